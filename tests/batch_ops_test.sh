#!/usr/bin/env bash
# Batch operations on real runs over samples/: idempotent re-run, a second
# writer refused, kill -9 at random points then a re-run (no duplicate, no
# lost page, same result as a clean run), inbox moves only complete books,
# shards partition the books, merge is idempotent and names conflicts.
set -euo pipefail
hotich=${HOTICH_BIN:?}
src=${HOTICH_SOURCE_DIR:?}
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
pages_new() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"]["new"])' "$1"; }

# A small batch: the first two sample books.
mkdir -p "$work/batch"
for b in $(ls -d "$src"/samples/*/ | head -n 2); do cp -r "$b" "$work/batch/"; done
nbooks=$(ls "$work/batch" | wc -l)
npages=$(find "$work/batch" -type f ! -name book.json | wc -l)
(( npages > 0 )) || fail "no sample pages"

echo "== clean run"
set +e
"$hotich" run "$work/batch" --db "$work/clean.db" --jobs 2 --no-progress --report "$work/r1.json" >/dev/null
rc=$?
set -e
(( rc == 0 || rc == 1 )) || fail "clean run exit $rc"
"$hotich" export --db "$work/clean.db" --out "$work/clean.jsonl" 2>/dev/null
[[ $(pages_new "$work/r1.json") == "$npages" ]] || fail "first run did not do all $npages pages"

echo "== idempotent re-run"
"$hotich" run "$work/batch" --db "$work/clean.db" --jobs 2 --no-progress --report "$work/r2.json" >/dev/null || true
[[ $(pages_new "$work/r2.json") == 0 ]] || fail "second run did $(pages_new "$work/r2.json") pages, expected 0"
"$hotich" export --db "$work/clean.db" --out "$work/again.jsonl" 2>/dev/null
cmp -s "$work/clean.jsonl" "$work/again.jsonl" || fail "re-run changed the export"

echo "== a second writer is refused"
"$hotich" run "$work/batch" --db "$work/busy.db" --jobs 1 --no-progress >/dev/null 2>&1 &
holder=$!
for _ in $(seq 100); do [[ -s "$work/busy.db.lock" ]] && break; sleep 0.05; done
set +e
"$hotich" run "$work/batch" --db "$work/busy.db" --no-progress >/dev/null 2>"$work/busy.err"
rc=$?
set -e
kill -9 $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
(( rc == 4 )) || fail "second writer exit $rc, expected 4"
grep -q "another hotich run" "$work/busy.err" || fail "no clear message for the second writer"

echo "== kill -9 at random points, then a re-run"
RANDOM=42
kills=${HOTICH_KILL_ROUNDS:-6}
for i in $(seq "$kills"); do
  "$hotich" run "$work/batch" --db "$work/killed.db" --jobs 2 --no-progress >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.2 + (r % 400) / 100 }')"
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
done
"$hotich" run "$work/batch" --db "$work/killed.db" --jobs 2 --no-progress >/dev/null || true
"$hotich" export --db "$work/killed.db" --out "$work/killed.jsonl" 2>/dev/null
cmp -s "$work/clean.jsonl" "$work/killed.jsonl" || fail "after kill -9 rounds the export differs from a clean run"
dups=$(sqlite3 "$work/killed.db" "SELECT count(*) FROM (SELECT book_id, page_no FROM pages GROUP BY 1, 2 HAVING count(*) > 1)")
[[ $dups == 0 ]] || fail "duplicate pages after kills"
stored=$(sqlite3 "$work/killed.db" "SELECT count(*) FROM pages")
[[ $stored == "$npages" ]] || fail "$stored pages stored after kills, expected $npages"
sqlite3 "$work/killed.db" "PRAGMA integrity_check" | grep -qx ok || fail "integrity check"

echo "== inbox: only complete books move"
mkdir -p "$work/inbox" "$work/done"
cp -r "$work/batch/$(ls "$work/batch" | head -n 1)" "$work/inbox/good"
mkdir -p "$work/inbox/broken"
cp "$(find "$work/batch" -type f ! -name book.json | head -n 1)" "$work/inbox/broken/p1.jpg"
echo "not an image" > "$work/inbox/broken/p2.jpg"
set +e
"$hotich" run --inbox "$work/inbox" --done "$work/done" --db "$work/inbox.db" --no-progress >/dev/null
rc=$?
set -e
(( rc == 1 )) || fail "inbox run with a broken page: exit $rc, expected 1 (partial)"
[[ -d "$work/done/good" && ! -e "$work/inbox/good" ]] || fail "complete book not moved"
[[ -d "$work/inbox/broken" && ! -e "$work/done/broken" ]] || fail "incomplete book moved"
moved_path=$(sqlite3 "$work/inbox.db" "SELECT path FROM pages WHERE book_id = 'good' LIMIT 1")
[[ $moved_path == "$work/done/good/"* ]] || fail "stored path not updated after the move: $moved_path"

echo "== shards partition the books; merge is idempotent"
mkdir -p "$work/many"
for i in $(seq 1 24); do mkdir -p "$work/many/book$i"; echo x > "$work/many/book$i/p1.png"; done
for k in 0 1 2; do
  "$hotich" run "$work/many" --db "$work/shard$k.db" --shard "$k/3" --no-progress >/dev/null 2>&1 || true
done
all=$(for k in 0 1 2; do sqlite3 "$work/shard$k.db" "SELECT id FROM books"; done | sort)
[[ $(echo "$all" | wc -l) == 24 && $(echo "$all" | sort -u | wc -l) == 24 ]] || fail "shards do not cover every book exactly once"
for k in 0 1 2; do [[ $(sqlite3 "$work/shard$k.db" "SELECT count(*) FROM books") -gt 0 ]] || fail "empty shard $k"; done
"$hotich" merge --into "$work/central.db" "$work/shard0.db" "$work/shard1.db" "$work/shard2.db" >/dev/null
before=$(sqlite3 "$work/central.db" "SELECT (SELECT count(*) FROM books) || '/' || (SELECT count(*) FROM pages)")
"$hotich" merge --into "$work/central.db" "$work/shard0.db" "$work/shard1.db" "$work/shard2.db" >/dev/null
after=$(sqlite3 "$work/central.db" "SELECT (SELECT count(*) FROM books) || '/' || (SELECT count(*) FROM pages)")
[[ $before == "24/24" && $after == "$before" ]] || fail "merge not idempotent: $before then $after"
"$hotich" merge --into "$work/central2.db" "$work/clean.db" >/dev/null
plans() { sqlite3 "$1" "SELECT group_concat(x, ' ') FROM (SELECT p.book_id || '/' || p.page_no || '/' || c.plan_no || c.plan AS x
  FROM column_plans c JOIN pages p ON p.id = c.page_id ORDER BY p.book_id, p.page_no, c.plan_no)"; }
[[ -n $(plans "$work/clean.db") && $(plans "$work/central2.db") == "$(plans "$work/clean.db")" ]] ||
  fail "merge did not copy the column plans"
set +e
"$hotich" merge --into "$work/central2.db" "$work/killed.db" >/dev/null 2>&1   # same books, same pages: no-op
rc1=$?
"$hotich" merge --into "$work/central3.db" "$work/clean.db" "$work/clean.db" 2>"$work/merge.err" >/dev/null
rc2=$?
set -e
(( rc1 == 0 )) || fail "merging identical books again failed"
(( rc2 != 0 )) && grep -q "is in two shards" "$work/merge.err" || fail "a book in two shards was not refused by name"
[[ $(sqlite3 "$work/central3.db" "SELECT count(*) FROM books" 2>/dev/null || echo 0) == 0 ]] || fail "failed merge wrote books"

echo "batch operations: all checks passed ($nbooks books, $npages pages, $kills kill rounds)"
