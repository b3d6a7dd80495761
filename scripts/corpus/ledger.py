"""Ledger pages: a ruled table, one row per entry, under a page header.

A book draws its column plan once (which fields, header wordings, groups with
a two-row header, combined columns holding several fields one per line,
order, widths); every page of the book then uses it, as a printed register
does. Rows are filled with entries until the page is full or the page's
drawn row count (4-8) is reached.
"""
from PIL import Image

from . import render

WORDINGS = {
    "so": ["Số", "Số TT", "STT", "Số đăng ký", "Số thứ tự"],
    "ngayDangKy": ["Ngày, tháng, năm đăng ký", "Ngày đăng ký", "Ngày tháng năm đăng ký"],
    "ghiChu": ["Ghi chú"],
    "nksHoTen": ["Họ và tên", "Họ và tên người được khai sinh", "Họ, chữ đệm, tên người được khai sinh"],
    "nksGioiTinh": ["Giới tính", "Nam/Nữ"],
    "nksNgaySinh": ["Ngày, tháng, năm sinh", "Ngày sinh"],
    "nksNoiSinh": ["Nơi sinh"], "nksQueQuan": ["Quê quán"],
    "nksDanToc": ["Dân tộc"], "nksQuocTich": ["Quốc tịch"],
    "nktNgayChet": ["Ngày, tháng, năm chết", "Ngày chết"], "nktNoiChet": ["Nơi chết"],
    "nktNguyenNhanChet": ["Nguyên nhân chết"],
}
SUB = {  # sub-column wordings under a group title, by key suffix
    "HoTen": ["Họ và tên", "Họ tên", "Họ, chữ đệm, tên"], "GioiTinh": ["Giới tính"],
    "NgaySinh": ["Năm sinh", "Ngày, tháng, năm sinh", "Ngày sinh"],
    "DanToc": ["Dân tộc"], "QuocTich": ["Quốc tịch"],
    "NoiCuTru": ["Nơi cư trú", "Nơi thường trú"],
    "SoGiayToTuyThan": ["Số CMND/CCCD", "Giấy tờ tùy thân", "Số CMND"],
    "QuanHe": ["Quan hệ", "Quan hệ với người được khai sinh"],
}
COMBINED_WORD = {"HoTen": "Họ tên", "NgaySinh": "năm sinh", "DanToc": "dân tộc",
                 "QuocTich": "quốc tịch", "NoiCuTru": "nơi cư trú", "GioiTinh": "giới tính"}
GROUP_TITLE = {
    "me": (["Người mẹ", "Mẹ", "Họ tên mẹ"], ["người mẹ", "mẹ"]),
    "cha": (["Người cha", "Cha", "Họ tên cha"], ["người cha", "cha"]),
    "chong": (["Bên chồng", "Chồng"], ["người chồng", "chồng"]),
    "vo": (["Bên vợ", "Vợ"], ["người vợ", "vợ"]),
    "nkt": (["Người chết", "Người đã chết", "Người được khai tử"], ["người chết", "người đã chết"]),
    "nks": (["Người được khai sinh"], ["người được khai sinh"]),
}
NYC = {
    "khai_sinh": (["Họ tên người đi khai sinh", "Người đi khai", "Người yêu cầu"],
                  ["Quan hệ với người được khai sinh", "Quan hệ"], ["Số CMND/CCCD người đi khai"],
                  ["Người đi khai sinh", "Người yêu cầu"]),
    "khai_tu": (["Họ tên người đi khai tử", "Người đi khai", "Người yêu cầu"],
                ["Quan hệ với người chết", "Quan hệ"], ["Số CMND/CCCD người đi khai"],
                ["Người đi khai tử", "Người yêu cầu"]),
}
TITLES = {"khai_sinh": "SỔ ĐĂNG KÝ KHAI SINH", "ket_hon": "SỔ ĐĂNG KÝ KẾT HÔN",
          "khai_tu": "SỔ ĐĂNG KÝ KHAI TỬ"}


class Col:
    """A leaf column (keys = one key, or several for a combined column)."""

    def __init__(self, keys, header, group=None):
        self.keys, self.header, self.group = keys, header, group
        self.width = 0


def _person(rng, prefix, suffixes, optional, style_p):
    """Columns for one person: a titled group, a combined column or plain ones."""
    keep = [s for s in suffixes if s not in optional or rng.random() < 0.7]
    titles, of = GROUP_TITLE[prefix]
    r = rng.random()
    if r < style_p[0]:
        group = rng.choice(titles)
        return [Col([prefix + s], rng.choice(SUB[s]), group) for s in keep]
    if r < style_p[0] + style_p[1]:
        comb = [s for s in keep if s in COMBINED_WORD]
        words = [COMBINED_WORD[s] for s in comb]
        header = ", ".join(words) + " của " + rng.choice(of)
        return [Col([prefix + s for s in comb], header[0].upper() + header[1:])]
    out = []
    for s in keep:
        w = rng.choice(SUB[s])
        out.append(Col([prefix + s], f"{w} {rng.choice(of)}" if s == "HoTen" else w))
    return out


def plan_columns(rng, book_type):
    cols = [Col(["so"], rng.choice(WORDINGS["so"])),
            Col(["ngayDangKy"], rng.choice(WORDINGS["ngayDangKy"]))]
    if book_type == "khai_sinh":
        child = ["nksHoTen", "nksGioiTinh", "nksNgaySinh", "nksNoiSinh", "nksQueQuan", "nksDanToc", "nksQuocTich"]
        child = [k for k in child if k in ("nksHoTen", "nksNgaySinh", "nksGioiTinh")
                 or rng.random() < {"nksQueQuan": 0.5}.get(k, 0.85)]
        if rng.random() < 0.3:
            i = rng.randrange(1, len(child) - 1)
            child[i], child[i + 1] = child[i + 1], child[i]
        if rng.random() < 0.25:
            g = rng.choice(GROUP_TITLE["nks"][0])
            cols += [Col([k], rng.choice(SUB.get(k[3:], WORDINGS[k])) if k[3:] in SUB else rng.choice(WORDINGS[k]), g)
                     for k in child]
        else:
            cols += [Col([k], rng.choice(WORDINGS[k])) for k in child]
        parents = [_person(rng, p, ["HoTen", "NgaySinh", "DanToc", "QuocTich", "NoiCuTru", "SoGiayToTuyThan"],
                           {"DanToc", "QuocTich", "SoGiayToTuyThan"}, (0.35, 0.6)) for p in ("me", "cha")]
        if rng.random() < 0.3:
            parents.reverse()
        cols += parents[0] + parents[1]
        cols += _nyc(rng, "khai_sinh")
    elif book_type == "ket_hon":
        for p in ("chong", "vo"):
            cols += _person(rng, p, ["HoTen", "NgaySinh", "DanToc", "QuocTich", "NoiCuTru", "SoGiayToTuyThan"],
                            {"QuocTich", "SoGiayToTuyThan"}, (0.55, 0.25))
    else:
        cols += _person(rng, "nkt", ["HoTen", "GioiTinh", "NgaySinh", "DanToc", "QuocTich", "NoiCuTru",
                                     "SoGiayToTuyThan"], {"DanToc", "QuocTich", "SoGiayToTuyThan", "GioiTinh"},
                        (0.45, 0.25))
        for c in cols:
            if c.keys == ["nktNoiCuTru"] and rng.random() < 0.5:
                c.header = "Nơi cư trú cuối cùng"
        cols += [Col([k], rng.choice(WORDINGS[k])) for k in ("nktNgayChet", "nktNoiChet", "nktNguyenNhanChet")]
        cols += _nyc(rng, "khai_tu")
    if rng.random() < 0.95:
        cols.append(Col(["ghiChu"], "Ghi chú"))
    if rng.random() < 0.25:  # some books put the registration date last
        c = cols.pop(1)
        cols.insert(len(cols) - (1 if cols[-1].keys == ["ghiChu"] else 0), c)
    return cols


def _nyc(rng, book_type):
    names, rels, ids, titles = NYC[book_type]
    keep_id = rng.random() < 0.6
    if rng.random() < 0.35:
        g = rng.choice(titles)
        out = [Col(["nycHoTen"], rng.choice(SUB["HoTen"]), g), Col(["nycQuanHe"], "Quan hệ", g)]
        if keep_id:
            out.append(Col(["nycSoGiayToTuyThan"], rng.choice(SUB["SoGiayToTuyThan"]), g))
        return out
    out = [Col(["nycHoTen"], rng.choice(names)), Col(["nycQuanHe"], rng.choice(rels))]
    if keep_id:
        out.append(Col(["nycSoGiayToTuyThan"], rng.choice(ids)))
    return out


class LedgerBook:
    """Per-book geometry: page size, font, column plan and widths."""

    def __init__(self, rng, book_type, sample_entries, xh, scale=1.0):
        """xh = wanted x-height in drawn pixels; scale = final / drawn size
        (photos are drawn larger, then shrunk), so the page is 2500-3000 px
        wide in the final image."""
        self.rng = rng
        self.type = book_type
        self.cols = plan_columns(rng, book_type)
        self.family = rng.choice(render.families())
        self.width = int(rng.randint(2500, 3000) / scale)
        self.height = int(self.width * rng.uniform(0.68, 0.76))
        self.margin = int(rng.randint(50, 90) / scale)
        self.min_xh = 12.5 / scale
        self.rule_w = rng.randint(1, 3)
        self.rule_level = rng.choice([255, 255, 200, 150])
        self.broken = rng.random() < 0.3
        self.numbers_row = rng.random() < 0.3
        self.page_no_style = rng.choice(["Trang {}", "- {} -", "Trang số {}"])
        self.page_no_top = rng.random() < 0.6
        self.xh = xh
        self.jitter = [rng.uniform(0.7, 1.3) for _ in self.cols]
        self._fit(sample_entries)

    def _fit(self, entries):
        avail = self.width - 2 * self.margin
        while True:
            self.size = render.size_for_xheight(self.family, self.xh)
            self.f = render.font(self.family, self.size)
            self.fb = render.font(self.family, self.size, bold=True)
            self.pad = max(6, self.size // 4)
            mins, nats = [], []
            for c in self.cols:
                words = c.header.split() + [w for e in entries for k in c.keys for w in e[k].written.split()]
                mn = max(render.text_width(self.fb, w) for w in words) + 2 * self.pad
                vals = sorted(render.text_width(self.f, e[k].written) for e in entries for k in c.keys) or [0]
                nat = vals[len(vals) * 3 // 4] + 2 * self.pad
                mins.append(mn)
                nats.append(max(mn, min(nat, 700)))
            if sum(mins) <= avail or self.xh <= self.min_xh:
                self._widths(avail, mins, nats)
                # a page holds at least 4 typical rows, else the text shrinks
                hs = sorted(self.row_height(e) for e in entries)
                title_h, sub_h, num_h = self.header_geometry()
                room = self.height - page_header_height(self) - title_h - sub_h - num_h - self.margin - 2 * self.lh
                if hs[len(hs) * 3 // 4] * 4 <= room or self.xh <= self.min_xh:
                    break
            self.xh -= 0.5

    def _widths(self, avail, mins, nats):
        extra = max(0, avail - sum(mins))
        want = [max(1.0, (n - m)) * self.jitter[i] for i, (m, n) in enumerate(zip(mins, nats))]
        tot = sum(want)
        for c, m, w in zip(self.cols, mins, want):
            c.width = int(m + extra * w / tot)
        self.lh = render.line_height(self.f)

    # ---- measuring ----------------------------------------------------
    def cell_lines(self, col, entry):
        lines = []
        for k in col.keys:
            lines += render.wrap(self.f, entry[k].written, col.width - 2 * self.pad)
        return lines

    def row_height(self, entry):
        n = max([len(self.cell_lines(c, entry)) for c in self.cols] + [1])
        return n * self.lh + 2 * self.pad

    def header_geometry(self):
        groups = any(c.group for c in self.cols)
        sub_h = max(len(render.wrap(self.fb, c.header, c.width - 2 * self.pad)) for c in self.cols) * self.lh + 2 * self.pad
        title_h = 0
        if groups:
            spans = self.group_spans()
            title_h = max(len(render.wrap(self.fb, g, w - 2 * self.pad)) for g, _, w in spans) * self.lh + 2 * self.pad
        num_h = self.lh + self.pad if self.numbers_row else 0
        return title_h, sub_h, num_h

    def group_spans(self):
        """(title, first column index, width) of each run of grouped columns."""
        spans, i = [], 0
        while i < len(self.cols):
            g = self.cols[i].group
            if g:
                j, w = i, 0
                while j < len(self.cols) and self.cols[j].group == g:
                    w += self.cols[j].width
                    j += 1
                spans.append((g, i, w))
                i = j
            else:
                i += 1
        return spans


def page_header_height(book):
    return int(book.lh * 4.6) + book.margin


def draw_page(book, ctx, page_no, entries, hard, rng):
    """Draws one page; entries already chosen to fit. hard = set of
    (entry index, key) drawn as handwriting. Returns (print ink, pen ink)."""
    W, H = book.width, book.height
    ink = Image.new("L", (W, H), 0)
    pen = Image.new("L", (W, H), 0)
    f, fb, lh, pad = book.f, book.fb, book.lh, book.pad
    big = render.font(book.family, int(book.size * 1.45), bold=True)
    # page header
    y = book.margin
    if ctx["show_authority"]:
        auth = ctx["noiDangKy"]
        render.draw_text(ink, (book.margin, y), auth.upper() if rng.random() < 0.5 else auth, f)
    pn = book.page_no_style.format(page_no)
    if book.page_no_top:
        render.draw_text(ink, (W - book.margin - render.text_width(f, pn), y), pn, f)
    else:
        render.draw_text(ink, ((W - render.text_width(f, pn)) / 2, H - book.margin * 0.8 - lh), pn, f)
    y += lh * 1.2
    title = TITLES[book.type]
    render.draw_text(ink, ((W - render.text_width(big, title)) / 2, y), title, big)
    y += lh * 1.6
    if ctx["show_quyen"]:
        q = f"Quyển số: {ctx['quyenSo']}"
        if ctx.get("nam") and rng.random() < 0.5:
            q += f"        Năm {ctx['nam']}"
        render.draw_text(ink, ((W - render.text_width(f, q)) / 2, y), q, f)
    y = page_header_height(book)
    # table header
    x0 = book.margin
    xs = [x0]
    for c in book.cols:
        xs.append(xs[-1] + c.width)
    title_h, sub_h, num_h = book.header_geometry()
    rule = lambda p0, p1, w=book.rule_w: render.draw_line(ink, rng, p0, p1, w, book.rule_level, book.broken)
    top = y
    hdr_bottom = top + title_h + sub_h
    for g, i, w in book.group_spans():
        lines = render.wrap(fb, g, w - 2 * pad)
        ty = top + (title_h - len(lines) * lh) / 2
        for ln in lines:
            render.draw_text(ink, (xs[i] + (w - render.text_width(fb, ln)) / 2, ty), ln, fb)
            ty += lh
        rule((xs[i], top + title_h), (xs[i] + w, top + title_h))
    for i, c in enumerate(book.cols):
        y0 = top + title_h if c.group else top
        h = hdr_bottom - y0
        lines = render.wrap(fb, c.header, c.width - 2 * pad)
        ty = y0 + (h - len(lines) * lh) / 2
        for ln in lines:
            render.draw_text(ink, (xs[i] + (c.width - render.text_width(fb, ln)) / 2, ty), ln, fb)
            ty += lh
    y = hdr_bottom
    if num_h:
        rule((xs[0], y), (xs[-1], y))
        for i, c in enumerate(book.cols):
            s = f"({i + 1})"
            render.draw_text(ink, (xs[i] + (c.width - render.text_width(f, s)) / 2, y + pad / 2), s, f)
        y += num_h
    rows_top = [y]
    for e in entries:
        rows_top.append(rows_top[-1] + book.row_height(e))
    # rows
    for r, e in enumerate(entries):
        ry = rows_top[r]
        for i, c in enumerate(book.cols):
            ty = ry + pad
            for k in c.keys:
                val = e[k].written
                if not val:
                    continue
                if (r, k) in hard:
                    img = render.handwriting(rng, val, book.xh * 1.8, c.width - 2 * pad)
                    pen.paste(255, (int(xs[i] + pad), int(ty)), img)
                    ty += max(lh, img.height + 4)
                    continue
                for ln in render.wrap(f, val, c.width - 2 * pad):
                    x = xs[i] + pad
                    if k == "so":
                        x = xs[i] + (c.width - render.text_width(f, ln)) / 2
                    render.draw_text(ink, (x, ty), ln, f)
                    ty += lh
    bottom = rows_top[-1]
    if rng.random() < 0.5:  # blank ruled rows below, as in a part-filled page
        while bottom + lh * 3 < H - book.margin - lh:
            rows_top.append(bottom + lh * 3)
            bottom = rows_top[-1]
    for ry in [top, hdr_bottom] + rows_top:
        rule((xs[0], ry), (xs[-1], ry))
    for i, x in enumerate(xs):
        c = book.cols[i] if i < len(book.cols) else None
        prev = book.cols[i - 1] if i > 0 else None
        inner = c is not None and prev is not None and c.group and c.group == prev.group
        rule((x, top + title_h if inner else top), (x, bottom), book.rule_w + (1 if i in (0, len(xs) - 1) else 0))
    return ink, pen, [(book.margin, top, xs[-1], bottom)]


def fit_rows(book, pending_next, want):
    """Takes entries from pending_next() while they fit (up to want)."""
    title_h, sub_h, num_h = book.header_geometry()
    room = book.height - page_header_height(book) - title_h - sub_h - num_h - book.margin - 2 * book.lh
    rows = []
    while len(rows) < want:
        e = pending_next(peek=True)
        h = book.row_height(e)
        if rows and h > room:
            break
        rows.append(pending_next(peek=False))
        room -= h
    return rows
