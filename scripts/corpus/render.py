"""Fonts, text on an ink layer, handwriting-like cells and round stamps.

Pages are drawn on 8-bit "ink" layers (0 = paper, 255 = full ink) rather
than on RGB, so degrade.py can fade, tint and bleed the ink afterwards.
"""
import math
import subprocess

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Families that cover Vietnamese; the first path fc-list reports for each
# style wins. The fallback paths are Debian's.
FAMILIES = {
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVu Serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "Liberation Serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "Liberation Mono": "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
    "FreeSerif": "/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
    "FreeSans": "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
}
BOLD = {
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "DejaVu Serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "Liberation Serif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "Liberation Mono": "/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf",
    "FreeSerif": "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf",
    "FreeSans": "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
}
HAND = ["/usr/share/fonts/truetype/freefont/FreeSerifItalic.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"]


def _fc_list(*pattern):
    """(file, family, style) of the fonts fc-list reports for the pattern,
    sorted; raises OSError or SubprocessError when fc-list cannot run."""
    out = subprocess.run(["fc-list", *pattern, "--format", "%{file}|%{family[0]}|%{style[0]}\n"],
                         capture_output=True, text=True, timeout=20).stdout
    return [tuple(parts) for parts in (line.split("|") for line in sorted(out.splitlines())) if len(parts) == 3]


def _fc_lookup():
    """Maps family -> regular file via fc-list; falls back to fixed paths."""
    found = {}
    try:
        fonts = _fc_list()
    except (OSError, subprocess.SubprocessError):
        fonts = []
    for path, fam, style in fonts:
        if path.endswith(".ttf") and fam in FAMILIES and style in ("Regular", "Book") and fam not in found:
            found[fam] = path
    return {fam: found.get(fam, path) for fam, path in FAMILIES.items()}


_FONT_FILES = None
_CACHE = {}


def use_families(names):
    """Draws pages in these installed families instead of the built-in ones
    (make-corpus --fonts): fonts the pipeline was never tuned on. Each needs
    a Regular and a Bold TrueType/OpenType file that covers Vietnamese;
    raises ValueError naming the first family that lacks one."""
    global _FONT_FILES
    try:
        fonts = _fc_list(":charset=1ec5 1eef 1b0 1a1 111")
    except (OSError, subprocess.SubprocessError) as e:
        raise ValueError(f"fc-list failed: {e}")
    styles = {}
    for path, fam, style in fonts:
        if path.endswith((".ttf", ".otf")):
            styles.setdefault((fam, style), path)
    regular, bold = {}, {}
    for name in names:
        reg = styles.get((name, "Regular")) or styles.get((name, "Book"))
        bd = styles.get((name, "Bold"))
        if not reg or not bd:
            raise ValueError(f"no Regular and Bold font with Vietnamese letters for {name!r}")
        regular[name], bold[name] = reg, bd
    _FONT_FILES = regular
    BOLD.clear()
    BOLD.update(bold)


def families():
    global _FONT_FILES
    if _FONT_FILES is None:
        _FONT_FILES = _fc_lookup()
    return sorted(_FONT_FILES)


def font(family, size, bold=False):
    families()
    path = BOLD[family] if bold else _FONT_FILES[family]
    key = (path, size)
    if key not in _CACHE:
        _CACHE[key] = ImageFont.truetype(path, size)
    return _CACHE[key]


def size_for_xheight(family, xh):
    """Point size whose lower-case x is about xh pixels tall."""
    f = font(family, 100)
    l, t, r, b = f.getbbox("x")
    return max(8, round(xh * 100 / (b - t)))


def text_width(f, s):
    return f.getlength(s) if s else 0


def line_height(f):
    asc, desc = f.getmetrics()
    return int((asc + desc) * 1.15)


def wrap(f, text, width):
    """Greedy word wrap; a word wider than width gets a line of its own."""
    if not text:
        return []
    lines, cur = [], ""
    for w in text.split():
        cand = f"{cur} {w}" if cur else w
        if cur and text_width(f, cand) > width:
            lines.append(cur)
            cur = w
        else:
            cur = cand
    lines.append(cur)
    return lines


def draw_text(ink, xy, s, f, level=255):
    ImageDraw.Draw(ink).text(xy, s, font=f, fill=level)


def draw_line(ink, rng, p0, p1, width, level, broken):
    """A ruled line; broken lines lose a few short stretches (worn print)."""
    d = ImageDraw.Draw(ink)
    if not broken:
        d.line([p0, p1], fill=level, width=width)
        return
    (x0, y0), (x1, y1) = p0, p1
    n = max(1, int(math.hypot(x1 - x0, y1 - y0) // 40))
    for i in range(n):
        if rng.random() < 0.12:
            continue
        a, b = i / n, (i + 1) / n
        d.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
               fill=level, width=width)


def handwriting(rng, text, height, max_width):
    """Renders text as an unsure hand would: jittered, slanted, elastic, thin
    uneven strokes, partly written over. Returns an L image (ink 255) no wider
    than max_width, or wraps onto two lines when it must."""
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    path = rng.choice(HAND)
    base = max(10, int(height * rng.uniform(1.6, 2.0)))
    w = int(max(40, len(text) * base * 0.65 + base))
    h = int(base * 2.2)
    img = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(img)
    x = base * 0.3
    for ch in text:
        size = max(8, int(base * rng.uniform(0.8, 1.2)))
        f = ImageFont.truetype(path, size)
        y = h * 0.25 + rng.uniform(-0.18, 0.18) * base
        d.text((x, y), ch, font=f, fill=int(rng.uniform(170, 255)))
        x += f.getlength(ch) * rng.uniform(0.85, 1.15)
    arr = np.array(img, dtype=np.float32)
    # overwritten: a second pass of a few letters slightly off
    for _ in range(rng.choice([1, 2]) if len(text) > 2 else 0):
        k = rng.randint(0, len(text) - 2)
        sub = Image.new("L", (w, h), 0)
        f = ImageFont.truetype(path, base)
        prefix = f.getlength(text[:k])
        ImageDraw.Draw(sub).text((base * 0.3 + prefix + rng.uniform(-5, 5), h * 0.25 + rng.uniform(-6, 6)),
                                 text[k:k + rng.randint(1, 3)], font=f, fill=230)
        arr = np.maximum(arr, np.array(sub, dtype=np.float32))
    # slant
    shear = rng.uniform(-0.45, 0.25)
    m = np.float32([[1, shear, -shear * h / 2], [0, 1, 0]])
    arr = cv2.warpAffine(arr, m, (w, h))
    # elastic distortion
    for sigma, alpha in ((base * 0.5, base * 0.5), (base * 0.15, base * 0.2)):
        dx = cv2.GaussianBlur(nrng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
        dy = cv2.GaussianBlur(nrng.uniform(-1, 1, (h, w)).astype(np.float32), (0, 0), sigma)
        dx *= alpha / (np.abs(dx).max() + 1e-6)
        dy *= alpha / (np.abs(dy).max() + 1e-6)
        gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        arr = cv2.remap(arr, gx + dx, gy + dy, cv2.INTER_LINEAR, borderValue=0)
    # thin, uneven strokes: erode, then modulate by low-frequency pressure
    arr = cv2.erode(arr, np.ones((2, 2), np.uint8))
    pressure = cv2.GaussianBlur(nrng.uniform(0.2, 1.0, (h, w)).astype(np.float32), (0, 0), base * 0.4)
    pressure = (pressure - pressure.min()) / (np.ptp(pressure) + 1e-6) * 0.9 + 0.08
    arr = np.clip(arr * pressure, 0, 255)
    out = Image.fromarray(arr.astype(np.uint8))
    bbox = out.getbbox()
    if bbox:
        out = out.crop(bbox)
    scale = min(1.0, max_width / max(1, out.width), (height * 2.4) / max(1, out.height))
    if scale < 1.0:
        out = out.resize((max(1, int(out.width * scale)), max(1, int(out.height * scale))), Image.BILINEAR)
    return out


def stamp(rng, text_ring, text_center, radius):
    """A round office seal: double ring, text along the ring, a star. Returns
    an L mask (255 = full stamp ink) of size 2*radius+8."""
    size = 2 * radius + 8
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    c = size / 2
    d.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=max(3, radius // 28))
    r2 = radius * 0.72
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(2, radius // 45))
    f = ImageFont.truetype(FAMILIES["DejaVu Sans"].replace("DejaVuSans", "DejaVuSans-Bold"),
                           max(10, int(radius * 0.17)))
    chars = list(text_ring)
    span = 2 * math.pi * 0.92
    for i, ch in enumerate(chars):
        ang = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(chars)
        rr = (radius + r2) / 2
        glyph = Image.new("L", (int(radius * 0.3), int(radius * 0.3)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BILINEAR)
        x = c + rr * math.cos(ang) - glyph.width / 2
        y = c + rr * math.sin(ang) - glyph.height / 2
        img.paste(255, (int(x), int(y)), glyph)
    # star
    pts = []
    rs = r2 * 0.35
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rk = rs if k % 2 == 0 else rs * 0.4
        pts.append((c + rk * math.cos(a), c - r2 * 0.25 + rk * math.sin(a)))
    d.polygon(pts, fill=255)
    fc = ImageFont.truetype(FAMILIES["DejaVu Sans"].replace("DejaVuSans", "DejaVuSans-Bold"),
                            max(10, int(radius * 0.15)))
    d.text((c, c + r2 * 0.35), text_center, font=fc, fill=255, anchor="mm")
    return img.rotate(rng.uniform(-40, 40), resample=Image.BILINEAR)
