#!/usr/bin/env bash
# End to end: `hotich run` over samples/ (real Tesseract), then the export is
# checked against samples/truth.jsonl by `hotich eval`, with thresholds that
# fail when recognition breaks. The recognition targets themselves are
# measured on the larger benchmark corpus (scripts/bench --accuracy).
set -euo pipefail
hotich=${HOTICH_BIN:?}
src=${HOTICH_SOURCE_DIR:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shared=$src/../shared/data
if [[ -d $shared ]]; then
  "$hotich" lexicon import --db "$work/e2e.db" "$shared/gazetteer/units-2025-03.csv" \
    "$shared/gazetteer/units-historical.csv" "$shared/ethnic-groups.csv" "$shared/names/boy.txt" "$shared/names/girl.txt" >/dev/null
else
  echo "SKIPPED (part): no reference lists at $shared; running without gazetteer and ethnic list"
fi
set +e
"$hotich" run "$src/samples" --db "$work/e2e.db" --jobs 2 --no-progress --report "$work/report.json"
rc=$?
set -e
(( rc == 0 )) || { echo "FAIL: hotich run exit $rc on the samples"; exit 1; }
# The report counts the pages the parser left notes on, page by page.
python3 - "$work/report.json" <<'PY' || { echo "FAIL: parse_notes in the report"; exit 1; }
import json, sys
n = json.load(open(sys.argv[1]))["parse_notes"]
assert n["pages"] == len(n["by_page"]), n
assert n["notes"] == sum(p["notes"] for p in n["by_page"]), n
assert all(p["notes"] > 0 and "/" in p["page"] for p in n["by_page"]), n
PY
"$hotich" export --db "$work/e2e.db" --out "$work/e2e.jsonl"
"$hotich" eval --truth "$src/samples/truth.jsonl" --export "$work/e2e.jsonl" \
  --min-entries "${E2E_MIN_ENTRIES:-0.97}" --min-auto "${E2E_MIN_AUTO:-0.35}" --max-residual "${E2E_MAX_RESIDUAL:-0.02}"
