"""Internally consistent register entries and the ways clerks write them.

An entry is a dict key -> Value(written, truth): `written` is the text put on
the page, `truth` its normal form for truth.jsonl (ISO dates, digits-only ID
numbers, everything else as written). Empty values have written == "".
Rules kept: registration dates never decrease with the entry number and stay
in the book's year; birth <= registration; parents 18-45 years older than the
child; death after birth and before registration; CCCD digits agree with the
holder's birth year and sex and a real province code.
"""
import datetime as dt
from dataclasses import dataclass

KEYS = {
    "khai_sinh": ["so", "ngayDangKy", "nksHoTen", "nksGioiTinh", "nksNgaySinh", "nksNoiSinh",
                  "nksQueQuan", "nksDanToc", "nksQuocTich", "meHoTen", "meNgaySinh", "meDanToc",
                  "meQuocTich", "meNoiCuTru", "meSoGiayToTuyThan", "chaHoTen", "chaNgaySinh",
                  "chaDanToc", "chaQuocTich", "chaNoiCuTru", "chaSoGiayToTuyThan", "nycHoTen",
                  "nycQuanHe", "nycSoGiayToTuyThan", "ghiChu"],
    "ket_hon": ["so", "ngayDangKy", "chongHoTen", "chongNgaySinh", "chongDanToc", "chongQuocTich",
                "chongNoiCuTru", "chongSoGiayToTuyThan", "voHoTen", "voNgaySinh", "voDanToc",
                "voQuocTich", "voNoiCuTru", "voSoGiayToTuyThan", "ghiChu"],
    "khai_tu": ["so", "ngayDangKy", "nktHoTen", "nktGioiTinh", "nktNgaySinh", "nktDanToc",
                "nktQuocTich", "nktNoiCuTru", "nktSoGiayToTuyThan", "nktNgayChet", "nktNoiChet",
                "nktNguyenNhanChet", "nycHoTen", "nycQuanHe", "nycSoGiayToTuyThan", "ghiChu"],
}

ABBR = {"Xã": "X.", "Phường": "P.", "Thị trấn": "TT.", "Huyện": "H.", "Quận": "Q.",
        "Thị xã": "TX.", "Thành phố": "TP.", "Tỉnh": "T."}
DATE_FORMS = ["dd/mm/yyyy", "d/m/yyyy", "dd.mm.yyyy", "dd-mm-yyyy", "words"]
NATIONALITIES_RARE = ["Trung Quốc", "Lào", "Campuchia", "Hàn Quốc", "Nhật Bản", "Hoa Kỳ"]
DEATH_CAUSES = ["Già yếu", "Bệnh già", "Bệnh tim", "Tai biến mạch máu não", "Ung thư phổi",
                "Ung thư gan", "Tai nạn giao thông", "Đột quỵ", "Bệnh hiểm nghèo", "Suy tim",
                "Viêm phổi", "Đuối nước", "Bệnh tiểu đường", "Xơ gan", "Suy thận"]
GHI_CHU = ["Đăng ký quá hạn", "Đăng ký lại", "Đăng ký lại khai sinh", "Đã cấp bản sao",
           "Con ngoài giá thú", "Bổ sung hộ tịch", "Cải chính họ tên", "Xác định lại dân tộc",
           "Ghi vào sổ việc hộ tịch ở nước ngoài"]


@dataclass
class Value:
    written: str = ""
    truth: str = ""


def iso(d):
    return d.strftime("%Y-%m-%d")


def write_date(rng, d, form):
    if form == "dd/mm/yyyy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if form == "d/m/yyyy":
        return f"{d.day}/{d.month}/{d.year}"
    if form == "dd.mm.yyyy":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if form == "dd-mm-yyyy":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    month = f"{d.month:02d}" if (d.month < 3 and rng.random() < 0.6) else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


class Style:
    """How one book's clerk writes: drawn once per book so a book is coherent."""

    def __init__(self, rng, layout):
        self.date_forms = rng.sample(DATE_FORMS, rng.randint(1, 3))
        self.place_forms = rng.sample(["full", "abbr", "bare"], rng.randint(1, 2))
        self.caps_names = rng.random() < (0.6 if layout == "form" else 0.35)
        self.so_with_year = rng.random() < 0.3
        self.group_ids = rng.random() < 0.35
        self.parent_year_only = rng.uniform(0.4, 0.9)
        self.village_words = rng.choice([["Thôn"], ["Xóm"], ["Tổ dân phố"], ["Ấp"], ["Thôn", "Xóm"]])

    def date(self, rng, d):
        return Value(write_date(rng, d, rng.choice(self.date_forms)), iso(d))


class Gen:
    """Draws people, places and entries for one book."""

    def __init__(self, rng, ref, unit, style, book_type, year, quyen_so, so_start):
        self.rng, self.ref, self.unit, self.style = rng, ref, unit, style
        self.type, self.year, self.quyen_so = book_type, year, quyen_so
        self.so = so_start
        self.day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 150))
        # Most people registered in one commune live near it.
        self.near = [u for u in ref.units if u.pname == unit.pname and u.dname == unit.dname] or [unit]
        self.province_units = [u for u in ref.units if u.pname == unit.pname] or [unit]
        minority = rng.random() < 0.2
        self.ethnic_local = rng.choice(ref.ethnic[1:12]) if minority else "Kinh"

    # ---- people -------------------------------------------------------
    def surname(self):
        return self.rng.choices(self.ref.surnames, weights=self.ref.surname_weights)[0]

    def name(self, male, surname=None):
        rng = self.rng
        surname = surname or self.surname()
        given = rng.choice(self.ref.given_male if male else self.ref.given_female).split()
        if len(given) == 1 or rng.random() < 0.3:
            mid = rng.choice(["Văn", "Hữu", "Đức", "Công", "Quang", "Minh"] if male
                             else ["Thị", "Thị", "Ngọc", "Thu", "Kim"])
            given = [mid, given[-1]]
        full = " ".join([surname] + given)
        return full.upper() if self.style.caps_names else full

    def ethnic(self):
        r = self.rng.random()
        if r < 0.8:
            return self.ethnic_local
        if r < 0.93:
            return "Kinh"
        return self.rng.choice(self.ref.ethnic[:20])

    def nationality(self):
        return "Việt Nam" if self.rng.random() < 0.97 else self.rng.choice(NATIONALITIES_RARE)

    def id_number(self, birth_year, male, unit, when):
        """Empty, 9-digit CMND or 12-digit CCCD; CCCD after 2016 mostly."""
        rng = self.rng
        if when.year - birth_year < 14 or rng.random() < 0.12:
            return Value()
        cccd = when.year >= 2016 and rng.random() < min(0.95, 0.3 + 0.12 * (when.year - 2016))
        if cccd:
            century = 0 if birth_year < 2000 else 2
            digits = f"0{unit.pcode}{century + (0 if male else 1)}{birth_year % 100:02d}" \
                     f"{rng.randint(0, 999999):06d}"
            written = f"{digits[:3]} {digits[3:6]} {digits[6:]}" if self.style.group_ids else digits
        else:
            digits = f"{rng.randint(10, 38)}{rng.randint(0, 9999999):07d}"
            written = f"{digits[:3]} {digits[3:6]} {digits[6:]}" if self.style.group_ids else digits
        return Value(written, digits)

    # ---- places -------------------------------------------------------
    def place(self, unit, village=False, form=None):
        rng = self.rng
        form = form or rng.choice(self.style.place_forms)
        parts = []
        if village:
            w = rng.choice(self.style.village_words)
            parts.append(f"{w} {rng.choice([str(rng.randint(1, 12)), rng.choice(['Đông', 'Tây', 'Nam', 'Bắc', 'Thượng', 'Hạ', 'Trung', 'Mới'])])}")
        for typ, name in ((unit.ctype, unit.cname), (unit.dtype, unit.dname), (unit.ptype, unit.pname)):
            if form == "full" or (form == "bare" and name.isdigit()):
                parts.append(f"{typ} {name}")
            elif form == "abbr":
                parts.append(f"{ABBR.get(typ, typ)} {name}")
            else:
                parts.append(name)
        s = ", ".join(parts)
        return Value(s, s)

    def local_unit(self):
        r = self.rng.random()
        if r < 0.6:
            return self.unit
        if r < 0.85:
            return self.rng.choice(self.near)
        if r < 0.95:
            return self.rng.choice(self.province_units)
        return self.rng.choice(self.ref.units)

    def birth_place(self, unit):
        rng = self.rng
        r = rng.random()
        if r < 0.35:
            s = rng.choice([f"Bệnh viện Đa khoa {'tỉnh' if unit.ptype == 'Tỉnh' else 'thành phố'} {unit.pname}",
                            f"Bệnh viện Phụ sản {unit.pname}",
                            f"Trung tâm Y tế {unit.dtype.lower()} {unit.dname}"])
            return Value(s, s)
        if r < 0.5:
            s = f"Trạm Y tế {unit.ctype.lower()} {unit.cname}, {unit.dtype.lower()} {unit.dname}"
            return Value(s, s)
        return self.place(unit)

    def authority(self):
        u = self.unit
        head = self.rng.choice(["UBND", "Ủy ban nhân dân", "UBND"])
        s = f"{head} {u.ctype.lower()} {u.cname}, {u.dtype.lower()} {u.dname}, {u.ptype.lower()} {u.pname}"
        return s

    # ---- dates --------------------------------------------------------
    def next_registration(self):
        step = self.rng.choice([0, 0, 1, 1, 2, 3, 5, 8])
        nd = self.day + dt.timedelta(days=step)
        if nd.year == self.year:
            self.day = nd
        return self.day

    def date_in_year(self, year):
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364))

    def person_birth(self, year, year_only_p):
        d = self.date_in_year(year)
        if self.rng.random() < year_only_p:
            return d, Value(str(year), str(year))
        return d, self.style.date(self.rng, d)

    # ---- entries ------------------------------------------------------
    def entry(self):
        rng = self.rng
        reg = self.next_registration()
        e = {}
        so = str(self.so)
        self.so += 1
        if self.style.so_with_year:
            so = f"{so}/{self.year}"
        e["so"] = Value(so, so)
        e["ngayDangKy"] = self.style.date(rng, reg)
        getattr(self, "_" + self.type)(e, reg)
        if rng.random() < 0.08:
            g = rng.choice(GHI_CHU)
            e["ghiChu"] = Value(g, g)
        return {k: e.get(k, Value()) for k in KEYS[self.type]}

    def _parent(self, e, prefix, child_birth, male, reg, home, surname=None):
        rng = self.rng
        age = rng.randint(20, 42) if male else rng.randint(18, 40)
        by = child_birth.year - age
        bdate, e[prefix + "NgaySinh"] = self.person_birth(by, self.style.parent_year_only)
        e[prefix + "HoTen"] = Value(n := self.name(male, surname), n)
        e[prefix + "DanToc"] = Value(t := self.ethnic(), t)
        e[prefix + "QuocTich"] = Value(q := self.nationality(), q)
        e[prefix + "NoiCuTru"] = home
        e[prefix + "SoGiayToTuyThan"] = self.id_number(by, male, rng.choice([self.unit] + self.near[:3]), reg)
        return by

    def _khai_sinh(self, e, reg):
        rng = self.rng
        late = rng.random() < 0.07
        days = rng.randint(60, 3000) if late else rng.randint(1, 60)
        birth = reg - dt.timedelta(days=days)
        male = rng.random() < 0.52
        home_unit = self.local_unit()
        home = self.place(home_unit, village=rng.random() < 0.6)
        father = rng.random() > 0.06
        surname = self.surname()
        self._parent(e, "me", birth, False, reg, home)
        if father:
            self._parent(e, "cha", birth, True, reg, home, surname)
        if not father:
            surname = e["meHoTen"].truth.split()[0]
            if self.style.caps_names:
                surname = surname.upper()
        child = self.name(male, surname.title() if not self.style.caps_names else None)
        if self.style.caps_names:
            child = " ".join([surname.upper()] + child.split()[1:])
        e["nksHoTen"] = Value(child, child)
        e["nksGioiTinh"] = Value(g := ("Nam" if male else "Nữ"), g)
        e["nksNgaySinh"] = self.style.date(rng, birth)
        e["nksNoiSinh"] = self.birth_place(home_unit)
        e["nksQueQuan"] = self.place(rng.choice([home_unit, self.local_unit(), rng.choice(self.ref.units)]))
        parents_ethnic = [e["meDanToc"].truth] + ([e["chaDanToc"].truth] if father else [])
        e["nksDanToc"] = Value(t := rng.choice(parents_ethnic), t)
        e["nksQuocTich"] = Value("Việt Nam", "Việt Nam")
        r = rng.random()
        if father and r < 0.55:
            rel, src = "Cha", "cha"
        elif r < 0.82:
            rel, src = "Mẹ", "me"
        else:
            rel, src = rng.choice(["Ông nội", "Bà nội", "Ông ngoại", "Bà ngoại", "Bác", "Cô", "Dì", "Chú"]), None
        e["nycQuanHe"] = Value(rel, rel)
        if src:
            e["nycHoTen"] = e[src + "HoTen"]
            e["nycSoGiayToTuyThan"] = e[src + "SoGiayToTuyThan"]
        else:
            male_rel = rel in ("Ông nội", "Ông ngoại", "Bác", "Chú")
            nm = self.name(male_rel, surname.title() if rel in ("Ông nội", "Cô", "Chú") else None)
            e["nycHoTen"] = Value(nm, nm)
            by = birth.year - rng.randint(40, 70)
            e["nycSoGiayToTuyThan"] = self.id_number(by, male_rel, self.unit, reg)
        if late and rng.random() < 0.6:
            e["ghiChu"] = Value("Đăng ký quá hạn", "Đăng ký quá hạn")

    def _ket_hon(self, e, reg):
        rng = self.rng
        for prefix, male in (("chong", True), ("vo", False)):
            age = rng.randint(20, 45) if male else rng.randint(18, 40)
            by = reg.year - age
            _, e[prefix + "NgaySinh"] = self.person_birth(by, 0.15)
            e[prefix + "HoTen"] = Value(n := self.name(male), n)
            e[prefix + "DanToc"] = Value(t := self.ethnic(), t)
            e[prefix + "QuocTich"] = Value(q := self.nationality(), q)
            e[prefix + "NoiCuTru"] = self.place(self.local_unit(), village=rng.random() < 0.6)
            e[prefix + "SoGiayToTuyThan"] = self.id_number(by, male, self.local_unit(), reg)

    def _khai_tu(self, e, reg):
        rng = self.rng
        death = reg - dt.timedelta(days=rng.randint(0, 45))
        age = min(105, max(0, int(rng.triangular(0, 100, 82))))
        male = rng.random() < 0.5
        by = death.year - age
        bd, e["nktNgaySinh"] = self.person_birth(by, 0.55)
        if bd >= death:  # an infant who died in its birth year: keep birth first
            bd = death - dt.timedelta(days=rng.randint(1, 30))
            e["nktNgaySinh"] = self.style.date(rng, bd)
        e["nktHoTen"] = Value(n := self.name(male), n)
        e["nktGioiTinh"] = Value(g := ("Nam" if male else "Nữ"), g)
        e["nktDanToc"] = Value(t := self.ethnic(), t)
        e["nktQuocTich"] = Value("Việt Nam", "Việt Nam")
        home_unit = self.local_unit()
        e["nktNoiCuTru"] = self.place(home_unit, village=rng.random() < 0.6)
        e["nktSoGiayToTuyThan"] = self.id_number(by, male, home_unit, reg)
        e["nktNgayChet"] = self.style.date(rng, death)
        r = rng.random()
        if r < 0.4:
            e["nktNoiChet"] = Value(s := rng.choice(["Tại nhà", "Tại gia đình", "Tại nơi cư trú"]), s)
        elif r < 0.7:
            e["nktNoiChet"] = Value(s := f"Bệnh viện Đa khoa {home_unit.ptype.lower()} {home_unit.pname}", s)
        else:
            e["nktNoiChet"] = e["nktNoiCuTru"]
        e["nktNguyenNhanChet"] = Value(c := (rng.choice(DEATH_CAUSES[:3]) if age > 75 else rng.choice(DEATH_CAUSES)), c)
        rel = rng.choice(["Con", "Con trai", "Con gái", "Vợ", "Chồng", "Cháu", "Anh", "Em", "Con dâu"])
        if age < 18:
            rel = rng.choice(["Cha", "Mẹ"])
        rel_male = rel in ("Con trai", "Chồng", "Anh", "Cha") or (rel in ("Con", "Cháu", "Em") and rng.random() < 0.5)
        e["nycQuanHe"] = Value(rel, rel)
        e["nycHoTen"] = Value(n := self.name(rel_male), n)
        nby = by + rng.randint(20, 35) if rel.startswith("Con") or rel == "Cháu" else (by - 25 if rel in ("Cha", "Mẹ") else by + rng.randint(-5, 5))
        nby = min(nby, reg.year - 18)
        e["nycSoGiayToTuyThan"] = self.id_number(nby, rel_male, home_unit, reg)
