"""Reference data: Vietnamese names, administrative units, ethnic groups.

Reads the shared data folder when it is there (gazetteer, ethnic-groups.csv,
names lists) and falls back to small built-in lists otherwise, so the
generator runs on a bare checkout. Everything is returned in a fixed order so
that seeded draws are reproducible.
"""
import csv
import json
import os
import unicodedata

# Common surnames with rough population shares (percent); facts about
# Vietnamese naming, written here so the generator needs no data files.
SURNAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5.1),
    ("Huỳnh", 2), ("Phan", 4.5), ("Vũ", 3.9), ("Võ", 2), ("Đặng", 2.1),
    ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
    ("Lý", 0.5), ("Đinh", 0.6), ("Trương", 0.5), ("Lâm", 0.4), ("Mai", 0.4),
    ("Đào", 0.4), ("Cao", 0.3), ("Tôn", 0.1), ("Quách", 0.1), ("Hà", 0.3),
]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Quốc", "Gia",
               "Bảo", "Thanh", "Xuân", "Trọng", "Tuấn", "Đình", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh",
                 "Hồng", "Bảo", "Thùy", "Mỹ", "Phương", "Diệu", "Khánh"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng",
              "Hùng", "Huy", "Khánh", "Khoa", "Lâm", "Long", "Lộc", "Mạnh",
              "Nam", "Nghĩa", "Phát", "Phúc", "Quân", "Sơn", "Tài", "Thắng",
              "Thành", "Thịnh", "Tiến", "Toàn", "Trí", "Trung", "Tùng", "Việt",
              "Vinh", "Vũ", "Đông", "Hưng", "Kiên", "Lực", "Nhân", "Tâm"]
GIVEN_FEMALE = ["Anh", "Châu", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hằng",
                "Hạnh", "Hiền", "Hoa", "Hồng", "Hương", "Huyền", "Lan", "Liên",
                "Linh", "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh",
                "Phương", "Quyên", "Quỳnh", "Thảo", "Thủy", "Trang", "Trâm",
                "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Nguyệt", "Huệ", "Lý"]

# Fallback places (province, district, commune) with their type words, used
# only when the gazetteer is absent.
FALLBACK_UNITS = [
    ("Tỉnh", "Thừa Thiên Huế", "Huyện", "Phú Vang", "Xã", "Phú Thượng"),
    ("Tỉnh", "Thừa Thiên Huế", "Huyện", "Phú Vang", "Thị trấn", "Phú Đa"),
    ("Tỉnh", "Thừa Thiên Huế", "Thị xã", "Hương Thủy", "Phường", "Phú Bài"),
    ("Tỉnh", "Nghệ An", "Huyện", "Nghi Lộc", "Xã", "Nghi Trung"),
    ("Tỉnh", "Nghệ An", "Huyện", "Diễn Châu", "Xã", "Diễn Hồng"),
    ("Tỉnh", "Thái Bình", "Huyện", "Vũ Thư", "Xã", "Tân Hòa"),
    ("Tỉnh", "Nam Định", "Huyện", "Hải Hậu", "Xã", "Hải Đông"),
    ("Thành phố", "Hà Nội", "Huyện", "Đông Anh", "Xã", "Uy Nỗ"),
    ("Thành phố", "Hà Nội", "Quận", "Hoàng Mai", "Phường", "Tương Mai"),
    ("Tỉnh", "Đồng Tháp", "Huyện", "Cao Lãnh", "Xã", "Mỹ Long"),
    ("Tỉnh", "An Giang", "Huyện", "Chợ Mới", "Xã", "Kiến An"),
    ("Tỉnh", "Quảng Nam", "Huyện", "Điện Bàn", "Xã", "Điện Hòa"),
    ("Tỉnh", "Lào Cai", "Huyện", "Bát Xát", "Xã", "Quang Kim"),
    ("Tỉnh", "Hà Giang", "Huyện", "Đồng Văn", "Xã", "Lũng Cú"),
]
FALLBACK_PROVINCE_CODES = {"Thừa Thiên Huế": "46", "Nghệ An": "40", "Thái Bình": "34",
                           "Nam Định": "36", "Hà Nội": "01", "Đồng Tháp": "87",
                           "An Giang": "89", "Quảng Nam": "49", "Lào Cai": "10",
                           "Hà Giang": "02"}

FALLBACK_ETHNIC = ["Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng",
                   "HMông", "Dao", "Gia-rai", "Ê-đê", "Ba-na", "Chăm", "Sán Dìu"]


def nfc(s):
    # Some public name lists type Vietnamese Đ as the look-alike Icelandic
    # eth (U+00D0/U+00F0); the registers are printed with Đ/đ (U+0110/U+0111).
    return unicodedata.normalize("NFC", s).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")


def strip_type(name, typ):
    """'Xã Tân Hòa', 'Xã' -> 'Tân Hòa'; the gazetteer keeps type words in names."""
    prefix = "Thành phố" if typ == "Thành phố Trung ương" else typ
    if name.startswith(prefix + " "):
        return name[len(prefix) + 1:]
    return name


class Unit:
    """One commune with its district and province (type word + bare name each)."""

    def __init__(self, ptype, pname, dtype, dname, ctype, cname, pcode):
        self.ptype, self.pname = ptype, pname
        self.dtype, self.dname = dtype, dname
        self.ctype, self.cname = ctype, cname
        self.pcode = pcode  # 2-digit province code, also CCCD digits 2-3


class RefData:
    def __init__(self, shared_dir):
        self.shared = shared_dir
        self.surnames, self.surname_weights = self._surnames()
        self.given_male = self._given("boy.txt", GIVEN_MALE)
        self.given_female = self._given("girl.txt", GIVEN_FEMALE)
        self.units = self._units()
        self.ethnic = self._ethnic()

    def _path(self, *parts):
        if not self.shared:
            return None
        p = os.path.join(self.shared, *parts)
        return p if os.path.isfile(p) else None

    def _surnames(self):
        p = self._path("names", "surnames-weighted.csv")
        if not p:
            return [s for s, _ in SURNAMES], [w for _, w in SURNAMES]
        acc = {}
        with open(p, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                name = nfc(row["surname"].strip())
                acc[name] = acc.get(name, 0.0) + float(row["weight"])
        names = sorted(acc)
        return names, [acc[n] for n in names]

    def _given(self, fname, fallback):
        p = self._path("names", fname)
        if not p:
            return list(fallback)
        with open(p, encoding="utf-8") as f:
            out = [nfc(" ".join(l.split())) for l in f if l.strip()]
        # The lists hold "middle + given" pairs and some single names; keep
        # names of one or two syllables made of letters only.
        return sorted({n for n in out if 1 <= len(n.split()) <= 2
                       and all(ch.isalpha() or ch == " " for ch in n)})

    def _units(self):
        p = self._path("gazetteer", "units-2025-03.csv")
        if not p:
            return [Unit(pt, pn, dt, dn, ct, cn, FALLBACK_PROVINCE_CODES[pn])
                    for pt, pn, dt, dn, ct, cn in FALLBACK_UNITS]
        rows = {}
        with open(p, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                rows[row["code"]] = row
        units = []
        for code in sorted(rows):
            c = rows[code]
            if c["level"] != "3":
                continue
            d = rows.get(c["parent_code"])
            pr = rows.get(d["parent_code"]) if d else None
            if not d or not pr:
                continue
            ptype = "Thành phố" if pr["type"] == "Thành phố Trung ương" else pr["type"]
            units.append(Unit(ptype, strip_type(nfc(pr["name"]), pr["type"]),
                              d["type"], strip_type(nfc(d["name"]), d["type"]),
                              c["type"], strip_type(nfc(c["name"]), c["type"]),
                              pr["code"]))
        # Bare names that are only numbers ("Phường 1") need their type
        # word to make sense; they are fine to keep, the writer adds it.
        return units

    def _ethnic(self):
        p = self._path("ethnic-groups.csv")
        if not p:
            return list(FALLBACK_ETHNIC)
        with open(p, encoding="utf-8") as f:
            rows = sorted(csv.DictReader(f), key=lambda r: r["code"])
        return [nfc(r["name"]) for r in rows]
