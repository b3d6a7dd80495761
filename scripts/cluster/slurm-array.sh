#!/usr/bin/env bash
# Beyond one machine: a Slurm job array over a shared folder of books. Each
# task reads its own deterministic share of the books (by book id) into its
# own SQLite file; a last job merges them.
#   sbatch --array=0-15 scripts/cluster/slurm-array.sh /shared/batch /shared/out
#   then: hotich merge --into /shared/out/central.db /shared/out/shard-*.db
#SBATCH --job-name=hotich
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=12:00:00
set -euo pipefail
input=${1:?batch folder}
out=${2:?output folder}
n=${SLURM_ARRAY_TASK_COUNT:?run as a job array}
k=${SLURM_ARRAY_TASK_ID:?run as a job array}
# Array ids may not start at 0 (--array=1-16): shard by position in the array.
k=$(( k - ${SLURM_ARRAY_TASK_MIN:-0} ))
mkdir -p "$out"
# SQLite's WAL does not work on network file systems: write on local disk,
# then copy the finished file (a re-run starts again from the copy).
local_db=${TMPDIR:-/tmp}/hotich-shard-$k.db
[[ -f "$out/shard-$k.db" && ! -f $local_db ]] && cp "$out/shard-$k.db" "$local_db"
hotich run "$input" --shard "$k/$n" --db "$local_db" --jobs "${SLURM_CPUS_PER_TASK:-2}" \
  --report "$out/shard-$k.report.json" --no-progress || [[ $? == 1 ]]
sqlite3 "$local_db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$local_db" "$out/shard-$k.db.part" && mv "$out/shard-$k.db.part" "$out/shard-$k.db"
