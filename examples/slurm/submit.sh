#!/bin/bash
# Submits the array (SHARDS tasks, default 4) and the merge job that waits for it; prints both job ids.
# CORPUS, RESULTS (and MODEL, NORMSCOPE) are passed to the jobs through the environment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shards=${SHARDS:-4}
array=$(sbatch --parsable --array=0-$((shards - 1)) "$here/normscope-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch")
echo "array $array merge ${merge%%;*}"
