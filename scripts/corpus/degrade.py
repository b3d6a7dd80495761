"""Turns ink layers into a scan or a phone photo of an aged paper page.

scan: flatbed, the page fills the image; yellowed paper, faded ink, bleed-
through, stains, a red stamp sometimes, skew up to 3 degrees, mild blur,
noise, JPEG artefacts. photo: the same page, then perspective onto a desk,
uneven light and a shadow, lower resolution and a little more blur.
All randomness comes from the rng passed in (a numpy Generator is derived
from it), so a seed gives the same pixels.
"""
import cv2
import numpy as np
from PIL import Image

from . import render


def _lowfreq(nrng, h, w, cells, lo, hi):
    """Smooth random field in [lo, hi]: a coarse grid scaled up."""
    g = nrng.uniform(0, 1, (max(2, h // cells), max(2, w // cells))).astype(np.float32)
    f = cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
    f = cv2.GaussianBlur(f, (0, 0), cells / 3)
    f = (f - f.min()) / (np.ptp(f) + 1e-6)
    return lo + (hi - lo) * f


def _over(img, alpha, color):
    a = alpha[..., None]
    img *= (1 - a)
    img += a * np.asarray(color, np.float32)


def age_paper(rng, ink, pen, boxes, stamp_text):
    """Composes paper, ink, pen, bleed-through, stains and stamp (RGB float)."""
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    w, h = ink.size
    paper = np.array([rng.uniform(236, 250), rng.uniform(228, 244), rng.uniform(200, 232)], np.float32)
    img = np.empty((h, w, 3), np.float32)
    img[:] = paper
    img *= _lowfreq(nrng, h, w, 160, 0.94, 1.02)[..., None]
    img += nrng.normal(0, 2.5, (h, w, 1)).astype(np.float32)
    a_ink = np.asarray(ink, np.float32) / 255
    if rng.random() < 0.5:  # bleed-through of the other side, mirrored
        back = cv2.GaussianBlur(np.ascontiguousarray(a_ink[:, ::-1]), (0, 0), rng.uniform(1.5, 3))
        back = np.roll(back, (rng.randint(-40, 40), rng.randint(-40, 40)), (0, 1))
        _over(img, back * rng.uniform(0.06, 0.16), (120, 100, 80))
    for _ in range(rng.choice([0, 0, 1, 2, 3])):  # stains
        m = np.zeros((h, w), np.float32)
        c = (rng.randrange(w), rng.randrange(h))
        ax = (rng.randint(40, 260), rng.randint(30, 200))
        cv2.ellipse(m, c, ax, rng.uniform(0, 180), 0, 360, 1.0, -1)
        m = cv2.GaussianBlur(m, (0, 0), rng.uniform(8, 30))
        _over(img, m * rng.uniform(0.08, 0.28), (175, 140, 85))
    fade = rng.uniform(0.75, 0.97) * (_lowfreq(nrng, h, w, 300, rng.uniform(0.45, 0.85), 1.0)
                                      if rng.random() < 0.6 else 1.0)
    a_ink = cv2.GaussianBlur(a_ink, (0, 0), 0.5) * fade
    _over(img, a_ink, (rng.uniform(20, 50), rng.uniform(20, 45), rng.uniform(25, 60)))
    a_pen = np.asarray(pen, np.float32) / 255
    if a_pen.any():
        _over(img, cv2.GaussianBlur(a_pen, (0, 0), 0.6) * rng.uniform(0.7, 0.95), (30, 45, 120))
    if stamp_text and boxes and rng.random() < 0.4:
        x0, y0, x1, y1 = boxes[0]
        radius = rng.randint(110, 190)
        mask = render.stamp(rng, *stamp_text, radius)
        cx = rng.randint(int(x0), max(int(x0) + 1, int(x1) - mask.width))
        cy = rng.randint(int(y0), max(int(y0) + 1, int(y1) - mask.height))
        full = np.zeros((h, w), np.float32)
        m = np.asarray(mask, np.float32) / 255
        mh, mw = min(m.shape[0], h - cy), min(m.shape[1], w - cx)
        speckle = _lowfreq(nrng, mh, mw, 20, 0.4, 1.0)
        full[cy:cy + mh, cx:cx + mw] = m[:mh, :mw] * speckle
        _over(img, full * rng.uniform(0.5, 0.75), (200, 35, 45))
    return img


def scan(rng, img):
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    h, w = img.shape[:2]
    ang = rng.uniform(-3, 3)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
    border = tuple(float(v) for v in img[5, 5] * rng.uniform(0.7, 0.95))
    img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=border)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 0.9))
    img += nrng.normal(0, rng.uniform(1.5, 4), img.shape[:2])[..., None].astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def photo(rng, img, s):
    """Phone photo, scaled by s (the page is drawn 1/s larger): uint8 RGB."""
    nrng = np.random.default_rng(rng.randrange(2 ** 32))
    h, w = img.shape[:2]
    mx, my = int(w * rng.uniform(0.06, 0.12)), int(h * rng.uniform(0.06, 0.12))
    W, H = w + 2 * mx, h + 2 * my
    # desk: dark wood or grey table with grain
    base = np.array(rng.choice([(70, 50, 35), (95, 70, 45), (60, 60, 62), (40, 35, 30)]), np.float32)
    grain = _lowfreq(nrng, H, 64, 8, 0.75, 1.2)
    grain = cv2.resize(grain, (W, H), interpolation=cv2.INTER_LINEAR)
    canvas = base * grain[..., None] * _lowfreq(nrng, H, W, 200, 0.8, 1.1)[..., None]
    j = lambda s: rng.uniform(-s, s)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[mx + j(0.045 * w), my + j(0.045 * h)], [mx + w + j(0.045 * w), my + j(0.045 * h)],
                      [mx + w + j(0.045 * w), my + h + j(0.045 * h)], [mx + j(0.045 * w), my + h + j(0.045 * h)]])
    pm = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(img, pm, (W, H), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), pm, (W, H), flags=cv2.INTER_LINEAR)
    # soft shadow of the page edge on the desk
    sh = cv2.GaussianBlur(mask, (0, 0), 12)
    canvas *= (1 - 0.45 * sh)[..., None]
    out = canvas * (1 - mask[..., None]) + warped * mask[..., None]
    # uneven light: a gradient, vignetting, and sometimes a hand/phone shadow
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    light = 0.93 + 0.14 * ((xx / W - 0.5) * gx + (yy / H - 0.5) * gy)
    r = np.sqrt(((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2)
    light *= 1 - rng.uniform(0.1, 0.3) * r ** 2 * 2
    if rng.random() < 0.6:
        poly = np.int32([[rng.uniform(0, W), 0], [rng.uniform(0, W), 0],
                         [rng.uniform(0, W), H], [rng.uniform(0, W), H]])
        poly = np.int32([poly[0], [max(poly[0][0], poly[1][0]), 0], [max(poly[2][0], poly[3][0]), H], poly[3]])
        sm = np.zeros((H, W), np.float32)
        cv2.fillPoly(sm, [poly], 1.0)
        sm = cv2.GaussianBlur(sm, (0, 0), rng.uniform(30, 80))
        light *= 1 - rng.uniform(0.15, 0.3) * sm
    out *= light[..., None]
    out *= np.array([1.0, rng.uniform(0.96, 1.0), rng.uniform(0.88, 0.97)], np.float32)  # warm light
    out = cv2.resize(out, (int(W * s), int(H * s)), interpolation=cv2.INTER_AREA)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.1))
    out += nrng.normal(0, rng.uniform(2.5, 5), out.shape[:2])[..., None].astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def to_image(arr, gray):
    im = Image.fromarray(arr, "RGB")
    return im.convert("L") if gray else im
