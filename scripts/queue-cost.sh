#!/usr/bin/env bash
# CLRec's inter-batch queue against in-batch Bi-InfoNCE at the same batch size (issue 14, check 4):
# positives/s of each on ML-1M `ncf` (d 64, seed 1), for several batch sizes B and queue
# capacities r (the keys per step, the batch's own included: a B x r score block against in-batch's
# B x B, so r/B of the arithmetic). Each figure is the faster of epochs 2 and 3 (the first includes
# the JIT's warm-up). Run on a quiet machine; prints one line per (threads, B).
#
#   scripts/queue-cost.sh [DATA_DIR]        (BATCHES="512 1024 2048 3072" QUEUES="4096 16384" THREADS="2 1")
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$here/../shared/data/ml-1m-ncf}"
tr="$here/totalrecall"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

positives_per_second() { # threads batch args... -> positives/s
  local threads=$1 batch=$2; shift 2
  "$tr" train --data "$data" --objective bi-infonce --epochs 3 --threads "$threads" --seed 1 --dim 64 \
    --batch-size "$batch" --model "$out/m.trm" --json "$@" > "$out/run.json" 2> "$out/err" \
    || { grep -v WARNING "$out/err" >&2; return 1; }
  python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print('%.0f' % max(s['epochPositivesPerSecond'][1:]))" \
    "$out/run.json"
}

echo "# positives/s, Bi-InfoNCE on ML-1M ncf, d 64; queue cost = in-batch / queue positives/s (arithmetic r/B)"
for threads in ${THREADS:-2 1}; do
  for batch in ${BATCHES:-512 1024 2048 3072}; do
    base=$(positives_per_second "$threads" "$batch")
    line="threads $threads  B $batch  in-batch $base"
    for r in ${QUEUES:-4096 16384}; do
      if [ "$r" -ge "$batch" ]; then
        q=$(positives_per_second "$threads" "$batch" --sampler queue --queue "$r")
        line="$line | queue r $r: $q ($(python3 -c "print('%.2fx, arithmetic %.2fx' % ($base/$q, $r/$batch))"))"
      fi
    done
    echo "$line"
  done
done
