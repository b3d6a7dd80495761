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
hotich run "$input" --shard "$k/$n" --db "$out/shard-$k.db" --jobs "${SLURM_CPUS_PER_TASK:-2}" \
  --report "$out/shard-$k.report.json" --no-progress || [[ $? == 1 ]]
