#!/usr/bin/env bash
# The cost of each sampler on Gowalla (41k items, d = 64): epoch time of training with it (2 and
# 1 threads; the slowest at 2 only), and the time per draw of each per-row sampler measured by diagnose-sampler on a
# trained Gowalla model. Run on a quiet machine; prints one line per measurement.
#
#   scripts/sampler-cost.sh MODEL.trm [DATA_DIR]      (MODEL: a dot-product model trained on Gowalla)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
model="${1:?usage: scripts/sampler-cost.sh MODEL.trm [DATA_DIR]}"
data="${2:-$here/../shared/data/gowalla}"
tr="$here/totalrecall"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
epochs=2

epoch_seconds() { # name threads args... -> seconds of the second epoch (the first includes the JIT's warm-up)
  local name=$1 threads=$2; shift 2
  "$tr" train --data "$data" --epochs "$epochs" --threads "$threads" --seed 1 --dim 64 --model "$out/m.trm" --json "$@" \
    > "$out/$name.json" 2>/dev/null
  python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print('%.3f' % (s['recordsConsumed']/s['epochsRun']/s['epochPositivesPerSecond'][-1]))" \
    "$out/$name.json"
}

echo "# seconds of an epoch (Gowalla, d 64, the second of two unless stated, seed 1)"
for threads in 2 1; do
  echo "threads $threads bpr+uniform      $(epoch_seconds bu $threads --objective bpr --sampler uniform --scorer dot)"
  echo "threads $threads bpr+uniform 0:5  $(epoch_seconds b5 $threads --objective bpr --sampler uniform --ratio 0:5 --scorer dot)"
  echo "threads $threads bpr+popularity   $(epoch_seconds bp $threads --objective bpr --sampler popularity --scorer dot)"
  echo "threads $threads is-bpr+adasir    $(epoch_seconds au $threads --objective is-bpr --sampler adasir --scorer dot)"
  echo "threads $threads is-bpr+pris      $(epoch_seconds pr $threads --objective is-bpr --sampler pris --scorer dot)"
  echo "threads $threads bi-infonce       $(epoch_seconds bi $threads --objective bi-infonce)"
  echo "threads $threads bi-infonce+bir   $(epoch_seconds br $threads --objective bi-infonce --sampler bir)"
  if [ "$threads" = 2 ]; then
    echo "threads $threads is-bpr+adasir-w  $(epoch_seconds aw $threads --objective is-bpr --sampler adasir-w --scorer dot)"
    echo "threads $threads bpr+dns          $(epoch_seconds dn $threads --objective bpr --sampler dns --candidates 100 --scorer dot)"
    echo "threads $threads ss+uniform       $(epoch_seconds su $threads --objective sampled-softmax --sampler uniform --ratio 0:32 --scorer dot)"
    # the slowest take minutes per epoch: one epoch each, its time (the JIT's warm-up is a small share)
    epochs=1
    echo "threads $threads ss+kernel        $(epoch_seconds ke $threads --objective sampled-softmax --sampler kernel --ratio 0:32 --scorer dot)"
    echo "threads $threads bi-infonce+queue $(epoch_seconds bq $threads --objective bi-infonce --sampler queue --queue 4096)"
    echo "threads $threads bi-infonce+moco  $(epoch_seconds bm $threads --objective bi-infonce --sampler moco --queue 4096)"
    epochs=2
  fi
done

echo "# microseconds per draw (diagnose-sampler, 20 users x 20,000 draws, one thread)"
draw() { # label sampler options...
  local label=$1 sampler=$2; shift 2
  "$tr" diagnose-sampler --model "$model" --sampler "$sampler" --users 20 --draws 20000 --json "$@" 2>/dev/null \
    | python3 -c "import json,sys; d=json.load(sys.stdin); print('%-22s %8.3f us  TV %.4f' % (sys.argv[1], d['microsPerDraw'], d['meanTotalVariation']))" "$label"
}
draw uniform uniform
draw popularity popularity
draw "dns M=100" dns --option candidates=100
draw aobpr aobpr
draw "pris popularity" pris --option proposal=popularity
draw "kernel" kernel
# a Gowalla epoch draws 780,270 x 5 / 29,858 = 130 negatives per user: a pool rebuild per 130 draws
draw "adasir P=200" adasir --option pool=200 --epoch-every 130
draw "adasir P=200 popularity" adasir --option pool=200 --option proposal=popularity --epoch-every 130
draw "adasir P=1000" adasir --option pool=1000 --epoch-every 130
