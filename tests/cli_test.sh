#!/usr/bin/env bash
# The CLI contract: help, version, exit codes, bad input recorded as failed
# pages/books (the batch goes on), clear fatal messages.
set -euo pipefail
hotich=${HOTICH_BIN:?}
src=${HOTICH_SOURCE_DIR:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_rc() {  # expect_rc CODE CMD...: runs CMD, checks its exit code, keeps stderr in $work/err
  local want=$1; shift
  set +e; "$@" >"$work/out" 2>"$work/err"; local rc=$?; set -e
  (( rc == want )) || { cat "$work/out" "$work/err"; fail "$* exited $rc, expected $want"; }
}

expect_rc 0 "$hotich" --help
grep -q "Exit codes" "$work/out" || fail "--help does not document exit codes"
for cmd in run export status eval merge lexicon; do
  expect_rc 0 "$hotich" "$cmd" --help
done
expect_rc 0 "$hotich" --version
grep -Eq "^hotich [0-9]+\.[0-9]+" "$work/out" || fail "--version"
expect_rc 2 "$hotich" frobnicate
expect_rc 2 "$hotich" run
expect_rc 2 "$hotich" run "$work/nope" --db "$work/x.db"
expect_rc 2 "$hotich" run "$src/samples" --db "$work/x.db" --shard 3/3
expect_rc 2 "$hotich" export --db "$work/x.db" --format csv

# A missing language model and an unwritable DB are fatal, with a clear message.
expect_rc 3 "$hotich" run "$src/samples" --db "$work/x.db" --lang nosuchlang --no-progress
grep -q "nosuchlang.traineddata" "$work/err" || fail "missing model message does not name the file"
expect_rc 3 "$hotich" run "$src/samples" --db /proc/nope/x.db --no-progress
grep -q "x.db" "$work/err" || fail "unwritable DB message does not name the file"
expect_rc 3 "$hotich" status --db "$work/none.db"

# Bad input: an undecodable page and a bad book.json are recorded, the batch
# goes on, the exit code says partial, and status lists them.
mkdir -p "$work/batch/good" "$work/batch/badjson" "$work/batch/badpage"
book=$(ls -d "$src"/samples/*/ | head -n 1)
page=$(find "$book" -type f ! -name book.json | sort | head -n 1)
cp "$page" "$work/batch/good/p1.${page##*.}"
cp "$page" "$work/batch/badjson/p1.${page##*.}"
echo '{"loaiSo": "birth"}' > "$work/batch/badjson/book.json"
cp "$page" "$work/batch/badpage/p1.${page##*.}"
head -c 1000 "$page" > "$work/batch/badpage/p2.jpg"
expect_rc 1 "$hotich" run "$work/batch" --db "$work/bad.db" --no-progress --report "$work/report.json"
grep -q "failed: badpage/2" "$work/out" || fail "the truncated page is not reported as failed"
python3 - "$work/report.json" <<'PY' || fail "report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["pages"]["seen"] == 4 and r["pages"]["failed"] == 2, r["pages"]
reasons = " ".join(f["reason"] for f in r["failures"])
assert "decode" in reasons and "book.json" in reasons, reasons
assert r["exit_code"] == 1
assert set(r["stages"]) >= {"load", "decode", "clean", "layout", "ocr", "parse", "validate"}, r["stages"]
PY
expect_rc 0 "$hotich" status --db "$work/bad.db"
grep -q "badjson" "$work/out" && grep -q "badpage/2" "$work/out" || { cat "$work/out"; fail "status does not list the failures"; }
expect_rc 0 "$hotich" export --db "$work/bad.db" --out "$work/e.jsonl"
python3 - "$work/e.jsonl" <<'PY' || fail "export contract"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines, "no entries"
for d in lines:
    assert list(d) == ["book", "page", "entry", "loaiSo", "status", "fields", "flagged"], list(d)
    assert d["loaiSo"] in ("khai_sinh", "ket_hon", "khai_tu") and d["status"] in ("auto", "review", "verified", "rejected")
    assert all(k in d["fields"] for k in d["flagged"])
    assert d["book"] in ("good", "badpage")
PY
echo "cli: all checks passed"
