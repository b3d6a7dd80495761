#!/usr/bin/env bash
# scripts/make-corpus: same arguments -> same bytes; truth lines parse and
# point at existing pages; another seed -> other output. Small (2 books x 1
# page, run four times), well under a minute.
set -euo pipefail
src="${HOTICH_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
py=/usr/bin/python3
if ! [ -x "$py" ] || ! "$py" -c 'import PIL, numpy, cv2' 2>/dev/null; then
  echo "SKIPPED: $py lacks PIL, numpy or cv2 (apt-get install python3-pil python3-numpy python3-opencv)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { "$py" "$src/scripts/make-corpus" --out "$1" --seed "$2" --books 2 --pages 1 --capture mixed; }
gen "$tmp/a" 7
gen "$tmp/b" 7
gen "$tmp/c" 8
sums() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
if ! diff <(sums "$tmp/a") <(sums "$tmp/b") >/dev/null; then
  echo "FAIL: same seed gave different files:"; diff <(sums "$tmp/a") <(sums "$tmp/b") || true
  exit 1
fi
if diff -q <(sums "$tmp/a") <(sums "$tmp/c") >/dev/null; then
  echo "FAIL: seeds 7 and 8 gave identical output"; exit 1
fi
"$py" - "$tmp/a" <<'PY'
import json, os, re, sys
root = sys.argv[1]
exts = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
natural = lambda s: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]
pages = {}
for book in sorted(os.listdir(root)):
    d = os.path.join(root, book)
    if os.path.isdir(d):
        pages[book] = sorted((f for f in os.listdir(d) if f.lower().endswith(exts)), key=natural)
        if os.path.exists(os.path.join(d, "book.json")):
            bj = json.load(open(os.path.join(d, "book.json"), encoding="utf-8"))
            assert set(bj) <= {"loaiSo", "quyenSo", "nam", "noiDangKy"}, bj
assert len(pages) == 2, pages
lines = open(os.path.join(root, "truth.jsonl"), encoding="utf-8").read().splitlines()
assert lines, "empty truth.jsonl"
keys = []
for n, line in enumerate(lines, 1):
    r = json.loads(line)
    for k in ("book", "page", "entry", "loaiSo", "capture", "layout", "fields", "hard"):
        assert k in r, f"line {n}: no {k}"
    assert r["loaiSo"] in ("khai_sinh", "ket_hon", "khai_tu"), r["loaiSo"]
    assert r["capture"] in ("scan", "photo") and r["layout"] in ("ledger", "form")
    assert r["book"] in pages and 1 <= r["page"] <= len(pages[r["book"]]), f"line {n}: no page image"
    f = r["fields"]
    for k in ("so", "ngayDangKy", "quyenSo", "noiDangKy"):
        assert f.get(k), f"line {n}: {k} empty"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", f["ngayDangKy"]), f["ngayDangKy"]
    assert all(k in f for k in r["hard"]), f"line {n}: hard key without value"
    keys.append((r["book"], r["page"], r["entry"]))
assert keys == sorted(keys) and len(set(keys)) == len(keys), "truth not sorted / duplicated"
for book in pages:  # every page holds at least one entry, entries numbered 1..n
    for p in range(1, len(pages[book]) + 1):
        es = [e for b, pg, e in keys if b == book and pg == p]
        assert es == list(range(1, len(es) + 1)) and es, (book, p, es)
print(f"ok: {len(lines)} entries on {sum(map(len, pages.values()))} pages")
PY
# --fonts: a family without Vietnamese letters is refused (a usage error),
# one that has them draws the pages, unlike the built-in mix.
if "$py" "$src/scripts/make-corpus" --out "$tmp/x" --seed 7 --books 1 --pages 1 --fonts "No Such Family" 2>"$tmp/err"; then
  echo "FAIL: --fonts accepted a family that is not installed"; exit 1
fi
grep -q "No Such Family" "$tmp/err" || { echo "FAIL: --fonts error does not name the family:"; cat "$tmp/err"; exit 1; }
"$py" "$src/scripts/make-corpus" --out "$tmp/d" --seed 7 --books 2 --pages 1 --capture mixed --fonts "DejaVu Serif"
if diff -q <(sums "$tmp/a") <(sums "$tmp/d") >/dev/null; then
  echo "FAIL: --fonts changed nothing"; exit 1
fi
echo "PASS: deterministic, truth consistent, seed-sensitive, --fonts"
