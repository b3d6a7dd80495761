#!/usr/bin/env bash
# A ledger page whose header OCR cannot read inherits the column plan of an
# earlier page of its book. The plans are stored with their pages, so a run
# that resumes an interrupted one (the earlier pages stored, not read again)
# gives the export of a clean run; and a page never inherits from a page
# after it, even when a re-run finds that page already stored.
#
# The book is crafted from samples/book01: page 1 as it is, and page 1 again
# with the text of one header cell ("Nơi sinh") painted over with the paper
# colour, so that its column is unread and only the book's plan maps it.
set -euo pipefail
hotich=${HOTICH_BIN:?}
src=${HOTICH_SOURCE_DIR:?}
py=/usr/bin/python3
if ! "$py" -c 'import cv2, numpy' 2>/dev/null; then
  echo "SKIPPED: needs Debian's python3-opencv and python3-numpy ($py)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

page="$src/samples/book01/scan_0001.jpg"
[[ -f $page ]] || fail "missing $page"
"$py" - "$page" "$work/damaged.png" <<'EOF'
import sys
import cv2
import numpy as np
im = cv2.imread(sys.argv[1])
# The "Nơi sinh" header cell's text, inside its rules (the rules stay).
roi = im[240:350, 560:700]
roi[:] = np.median(roi.reshape(-1, 3), axis=0).astype(np.uint8)
cv2.imwrite(sys.argv[2], im)
EOF

run() {  # run <folder> <db> [args...]: one run; a partial run (exit 1) is not an error here
  local in=$1 db=$2
  shift 2
  set +e
  "$hotich" run "$in" --db "$db" --jobs 2 --no-progress --log-level debug "$@" >/dev/null
  local rc=$?
  set -e
  (( rc == 0 || rc == 1 )) || fail "run of $in into $db: exit $rc"
}
export_db() { "$hotich" export --db "$1" --out "$2" 2>/dev/null; }
inherited() { grep -h "page $1: columns read by the plan of an earlier page" "$2".logs/*.log >/dev/null; }

echo "== clean run: page 2 reads its unread column by page 1's plan"
mkdir -p "$work/clean/bk"
cp "$page" "$work/clean/bk/p1.jpg"
cp "$work/damaged.png" "$work/clean/bk/p2.png"
run "$work/clean" "$work/clean.db"
inherited bk/2 "$work/clean.db" ||
  fail "page 2 did not take page 1's plan in a clean run: the crafted header no longer exercises inheritance"
export_db "$work/clean.db" "$work/clean.jsonl"
[[ $(sqlite3 "$work/clean.db" "SELECT group_concat(p.page_no) FROM column_plans c JOIN pages p ON p.id = c.page_id") == 1 ]] ||
  fail "stored plans: expected page 1's only (page 2's is inherited)"

echo "== resumed run: page 1 stored by an earlier run, then page 2 added"
mkdir -p "$work/resumed/bk"
cp "$page" "$work/resumed/bk/p1.jpg"
run "$work/resumed" "$work/resumed.db"
cp "$work/damaged.png" "$work/resumed/bk/p2.png"
run "$work/resumed" "$work/resumed.db"
[[ $(sqlite3 "$work/resumed.db" "SELECT group_concat(run_id) FROM (SELECT run_id FROM pages ORDER BY page_no)") == 1,2 ]] ||
  fail "the second run read page 1 again"
inherited bk/2 "$work/resumed.db" || fail "page 2 did not take the plan page 1 stored in the earlier run"
export_db "$work/resumed.db" "$work/resumed.jsonl"
cmp -s "$work/clean.jsonl" "$work/resumed.jsonl" || fail "the resumed run's export differs from the clean run's"

echo "== only earlier pages count: the damaged page first, then the book reprocessed"
mkdir -p "$work/first/bk"
cp "$work/damaged.png" "$work/first/bk/p1.png"
cp "$page" "$work/first/bk/p2.jpg"
run "$work/first" "$work/first.db"
export_db "$work/first.db" "$work/first.jsonl"
run "$work/first" "$work/first.db" --reprocess bk   # page 2's plan is stored now: page 1 must not take it
export_db "$work/first.db" "$work/first-again.jsonl"
if inherited bk/1 "$work/first.db"; then fail "page 1 took the plan of page 2"; fi
cmp -s "$work/first.jsonl" "$work/first-again.jsonl" || fail "reprocessing the book changed its export"

echo "book plans: all checks passed"
