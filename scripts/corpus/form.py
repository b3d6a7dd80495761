"""Form pages: 1-2 entries per portrait page as "Label: value" lines.

Each entry opens with "Số: ..." then "Ngày đăng ký: ..." and sections
(child / mother / father / declarant; husband / wife; deceased / declarant).
The same labels repeat under different sections. Variants drawn per book:
section headings, label wordings, two labels on one line, mother | father in
two columns, dot leaders, names in capitals (records.Style).
"""
import random

from PIL import Image

from . import render
from .ledger import TITLES
from .records import Value

HEADINGS = {
    "nks": ["Người được khai sinh", "PHẦN KHAI VỀ NGƯỜI ĐƯỢC KHAI SINH", "I. NGƯỜI ĐƯỢC KHAI SINH"],
    "me": ["Người mẹ", "PHẦN KHAI VỀ NGƯỜI MẸ", "Mẹ"],
    "cha": ["Người cha", "PHẦN KHAI VỀ NGƯỜI CHA", "Cha"],
    "nyc_ks": ["Người đi khai sinh", "Người yêu cầu", "PHẦN KHAI VỀ NGƯỜI ĐI KHAI SINH"],
    "chong": ["Bên chồng", "BÊN CHỒNG", "Người chồng"],
    "vo": ["Bên vợ", "BÊN VỢ", "Người vợ"],
    "nkt": ["Người đã chết", "Người được khai tử", "PHẦN KHAI VỀ NGƯỜI CHẾT"],
    "nyc_kt": ["Người đi khai tử", "Người yêu cầu", "PHẦN KHAI VỀ NGƯỜI ĐI KHAI TỬ"],
}
LABELS = {
    "HoTen": ["Họ và tên", "Họ, chữ đệm, tên"], "GioiTinh": ["Giới tính"],
    "NgaySinh": ["Ngày, tháng, năm sinh", "Ngày sinh"], "NamSinh": ["Năm sinh"],
    "NoiSinh": ["Nơi sinh"], "QueQuan": ["Quê quán"], "DanToc": ["Dân tộc"],
    "QuocTich": ["Quốc tịch"], "NoiCuTru": ["Nơi cư trú", "Nơi thường trú"],
    "SoGiayToTuyThan": ["Số CMND/CCCD", "Giấy tờ tùy thân", "Số định danh cá nhân"],
    "QuanHe_ks": ["Quan hệ với người được khai sinh", "Quan hệ"],
    "QuanHe_kt": ["Quan hệ với người chết", "Quan hệ"],
    "NgayChet": ["Ngày chết", "Ngày, tháng, năm chết"], "NoiChet": ["Nơi chết"],
    "NguyenNhanChet": ["Nguyên nhân chết"], "ngayDangKy": ["Ngày đăng ký", "Ngày, tháng, năm đăng ký"],
}

# Sections: (prefix, heading key, rows); a row is a tuple of key suffixes
# that may share one line.
SECTIONS = {
    "khai_sinh": [("nks", "nks", [("HoTen",), ("GioiTinh", "NgaySinh"), ("NoiSinh",), ("QueQuan",),
                                  ("DanToc", "QuocTich")]),
                  ("me", "me", [("HoTen",), ("NgaySinh",), ("DanToc", "QuocTich"), ("NoiCuTru",),
                                ("SoGiayToTuyThan",)]),
                  ("cha", "cha", [("HoTen",), ("NgaySinh",), ("DanToc", "QuocTich"), ("NoiCuTru",),
                                  ("SoGiayToTuyThan",)]),
                  ("nyc", "nyc_ks", [("HoTen",), ("QuanHe",), ("SoGiayToTuyThan",)])],
    "ket_hon": [("chong", "chong", [("HoTen",), ("NgaySinh",), ("DanToc", "QuocTich"), ("NoiCuTru",),
                                    ("SoGiayToTuyThan",)]),
                ("vo", "vo", [("HoTen",), ("NgaySinh",), ("DanToc", "QuocTich"), ("NoiCuTru",),
                              ("SoGiayToTuyThan",)])],
    "khai_tu": [("nkt", "nkt", [("HoTen",), ("GioiTinh", "NgaySinh"), ("DanToc", "QuocTich"), ("NoiCuTru",),
                                ("SoGiayToTuyThan",), ("NgayChet",), ("NoiChet",), ("NguyenNhanChet",)]),
                ("nyc", "nyc_kt", [("HoTen",), ("QuanHe",), ("SoGiayToTuyThan",)])],
}
PAIRS = {"khai_sinh": ("me", "cha"), "ket_hon": ("chong", "vo")}


class FormBook:
    def __init__(self, rng, book_type, xh, scale=1.0):
        """xh = x-height in drawn pixels; scale = final / drawn size."""
        self.rng, self.type = rng, book_type
        self.family = rng.choice(render.families())
        self.height = int(rng.randint(1750, 2200) / scale)
        self.width = int(self.height * rng.uniform(0.69, 0.73))
        self.margin = int(rng.randint(70, 120) / scale)
        self.min_xh = 12.5 / scale
        self.xh = xh
        self.headings = {k: rng.choice(v) for k, v in HEADINGS.items()}
        self.labels = {k: rng.choice(v) for k, v in LABELS.items()}
        self.pair_p = rng.uniform(0.3, 0.9)
        self.two_col = book_type in PAIRS and rng.random() < 0.35
        self.leaders = rng.random() < 0.35
        self.quyen_on_so_line = rng.random() < 0.3
        self.bold_labels = rng.random() < 0.3
        self.page_no_style = rng.choice(["Trang {}", "- {} -"])
        self.set_font()

    def set_font(self):
        self.size = render.size_for_xheight(self.family, self.xh)
        self.f = render.font(self.family, self.size)
        self.fb = render.font(self.family, self.size, bold=True)
        self.lh = render.line_height(self.f)

    def label(self, prefix, suffix, value):
        if suffix == "NgaySinh" and prefix in ("me", "cha", "nkt") and len(value.truth) == 4:
            return self.labels["NamSinh"]
        if suffix == "QuanHe":
            return self.labels["QuanHe_ks" if self.type == "khai_sinh" else "QuanHe_kt"]
        return self.labels[suffix]


def entry_ops(book, rng, entry, idx, ctx, width):
    """Lays out one entry as draw ops [(kind, x, y, text, key)] relative to
    (0, 0) within `width`; returns (ops, height)."""
    f, lh = book.f, book.lh
    ops, y = [], 0

    def field_line(x0, w, y, items):
        """items = [(label, Value, key)]; returns new y."""
        n = len(items)
        slot = w / n
        maxy = y
        for j, (lab, val, key) in enumerate(items):
            x = x0 + j * slot
            text = lab + ":"
            ops.append(("label", x, y, text, None))
            vx = x + render.text_width(book.fb if book.bold_labels else f, text) + book.size * 0.4
            if book.leaders:
                dots = "." * rng.randint(4, 10)
                ops.append(("text", vx, y, dots, None))
                vx += render.text_width(f, dots) + book.size * 0.3
            room = x0 + (j + 1) * slot - vx - book.size * 0.5
            if not val.written:
                if book.leaders or rng.random() < 0.5:
                    ops.append(("text", vx, y, "." * max(3, int(room / max(1, render.text_width(f, "."))) - 1), None))
                continue
            if (idx, key) in ctx["hard"]:
                ops.append(("hand", vx, y, val.written, (key, max(40, room))))
                maxy = max(maxy, y + lh * 1.4)
                continue
            lines = render.wrap(f, val.written, room)
            if len(lines) > 1:  # continuation lines start under the label
                first = render.wrap(f, val.written, room)[0]
                rest = val.written[len(first):].strip()
                lines = [first] + render.wrap(f, rest, x0 + (j + 1) * slot - x - book.size * 0.5)
            yy = y
            for k, ln in enumerate(lines):
                ops.append(("text", vx if k == 0 else x + book.size, yy, ln, key))
                yy += lh
            maxy = max(maxy, yy - lh)
        return maxy + lh * 1.12

    so_line = [("Số", entry["so"], "so")]
    if book.quyen_on_so_line and ctx["show_quyen"]:
        so_line.append(("Quyển số", Value(ctx["quyenSo"], ctx["quyenSo"]), None))
    y = field_line(0, width, y, so_line)
    y = field_line(0, width, y, [(book.labels["ngayDangKy"], entry["ngayDangKy"], "ngayDangKy")])

    def section(x0, w, y, prefix, hkey, rows):
        ops.append(("heading", x0, y, book.headings[hkey], None))
        y += lh * 1.3
        for row in rows:
            items = [(book.label(prefix, s, entry[prefix + s]), entry[prefix + s], prefix + s) for s in row]
            if len(items) > 1 and (rng.random() > book.pair_p or w < width * 0.6):
                for it in items:
                    y = field_line(x0 + book.size, w - book.size, y, [it])
            else:
                y = field_line(x0 + book.size, w - book.size, y, items)
        return y + lh * 0.3

    sections = SECTIONS[book.type]
    pair = PAIRS.get(book.type) if book.two_col else None
    i = 0
    while i < len(sections):
        prefix, hkey, rows = sections[i]
        if pair and prefix == pair[0]:
            gap = book.size
            half = (width - gap) / 2
            y1 = section(0, half, y, prefix, hkey, rows)
            p2, h2, r2 = sections[i + 1]
            y2 = section(half + gap, half, y, p2, h2, r2)
            y = max(y1, y2)
            i += 2
            continue
        y = section(0, width, y, prefix, hkey, rows)
        i += 1
    y = field_line(0, width, y, [("Ghi chú", entry["ghiChu"], "ghiChu")])
    return ops, y


def header_ops(book, ctx, page_no, rng):
    f, lh = book.f, book.lh
    big = render.font(book.family, int(book.size * 1.4), bold=True)
    W = book.width - 2 * book.margin
    ops, y = [], 0
    if ctx["show_authority"]:
        a = ctx["noiDangKy"]
        for ln in render.wrap(f, a.upper() if rng.random() < 0.4 else a, W):
            ops.append(("text", 0, y, ln, None))
            y += lh
    t = TITLES[book.type]
    ops.append(("big", (W - render.text_width(big, t)) / 2, y + lh * 0.3, t, None))
    y += lh * 2
    if ctx["show_quyen"] and not book.quyen_on_so_line:
        q = f"Quyển số: {ctx['quyenSo']}"
        ops.append(("text", (W - render.text_width(f, q)) / 2, y, q, None))
        y += lh
    return ops, y + lh * 0.8


def draw_page(book, ctx, page_no, entries, rng, layout_seed):
    W, H = book.width, book.height
    ink = Image.new("L", (W, H), 0)
    pen = Image.new("L", (W, H), 0)
    big = render.font(book.family, int(book.size * 1.4), bold=True)
    inner = W - 2 * book.margin
    lrng = random.Random(layout_seed)
    hops, y = header_ops(book, ctx, page_no, lrng)
    all_ops = [(op, 0) for op in hops]
    y0 = 0
    for idx, e in enumerate(entries):
        ops, h = entry_ops(book, lrng, e, idx, ctx, inner)
        if idx:
            all_ops.append((("rule", 0, y - book.lh * 0.6, "", None), 0))
        all_ops += [(op, y) for op in ops]
        y += h + book.lh
    pn = book.page_no_style.format(page_no)
    for (kind, x, yy, text, key), dy in all_ops:
        px, py = book.margin + x, book.margin + yy + dy
        if kind == "rule":
            render.draw_line(ink, rng, (book.margin, py), (W - book.margin, py), 2, 255, False)
        elif kind == "big":
            render.draw_text(ink, (px, py), text, big)
        elif kind == "heading":
            render.draw_text(ink, (px, py), text, book.fb)
        elif kind == "label":
            render.draw_text(ink, (px, py), text, book.fb if book.bold_labels else book.f)
        elif kind == "hand":
            k, room = key
            img = render.handwriting(rng, text, book.xh * 1.8, int(room))
            pen.paste(255, (int(px), int(py)), img)
        else:
            render.draw_text(ink, (px, py), text, book.f)
    render.draw_text(ink, ((W - render.text_width(book.f, pn)) / 2, H - book.margin * 0.7 - book.lh), pn, book.f)
    return ink, pen, [(book.margin, book.margin, W - book.margin, H - book.margin)]


def content_height(book, ctx, entries, layout_seed):
    """Height the entries need; the same layout_seed gives draw_page's layout."""
    rng_probe = random.Random(layout_seed)
    _, y = header_ops(book, ctx, 1, rng_probe)
    for idx, e in enumerate(entries):
        _, h = entry_ops(book, rng_probe, e, idx, ctx, book.width - 2 * book.margin)
        y += h + book.lh
    return y
