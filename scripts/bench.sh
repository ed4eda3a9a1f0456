#!/usr/bin/env bash
# Reproduces the speed figures of BENCHMARKS.md in one script, on one machine, one after the
# other (never concurrently): TotalRecall's training throughput and the PyTorch peer's on the
# same data, exact retrieval both ways, and full-ranking evaluation time.
#   scripts/bench.sh [OUT_DIR]        (default .bench/)
# Needs ../shared/data/ml-1m-ncf and ../shared/data/gowalla; the PyTorch peer runs when a
# python with torch is found ($TORCH_PYTHON, ~/torch-venv/bin/python, or python3 with torch).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$ROOT/.bench}
DATA=${TOTALRECALL_DATA:-$ROOT/../shared/data}
mkdir -p "$OUT"
cd "$ROOT"
TR=./totalrecall
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB" | tee "$OUT/machine.txt"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown), date: $(date -u +%FT%TZ)" | tee -a "$OUT/machine.txt"

echo "== TotalRecall: bench train (Bi-InfoNCE, ML-1M, batch 512, dim 64, 2 threads)"
$TR bench train --data "$DATA/ml-1m-ncf" --threads 2 --epochs 4 2>/dev/null | tee "$OUT/train.json"

# Both peers when present: the newest PyTorch (the venv of ../shared/peers/README.md) and Debian's build.
n=0
for py in "${TORCH_PYTHON:-}" "$HOME/torch-venv/bin/python" /usr/bin/python3; do
  [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 && "$py" -c 'import torch' 2>/dev/null || continue
  n=$((n + 1))
  echo "== PyTorch peer with $py ($("$py" -c 'import torch; print(torch.__version__)'))"
  "$py" "$ROOT/../shared/peers/torch_twotower.py" --data "$DATA/ml-1m-ncf" --loss bi --epochs 4 \
      --eval-every 0 --threads 2 | tee "$OUT/peer$n.jsonl"
done

echo "== TotalRecall: other methods on ML-1M (dim 64; median positives/s of epochs 2-4)"
method() { # name threads flags...
  local name=$1 t=$2; shift 2
  $TR train --data "$DATA/ml-1m-ncf" --dim 64 --epochs 4 --threads "$t" --model "$OUT/$name.trm" --quiet --json "$@" \
      > "$OUT/$name.train.json" 2>/dev/null
  python3 - "$OUT/$name.train.json" "$name" "$t" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
rates = d["summary"]["epochPositivesPerSecond"][1:4]
print(json.dumps({"method": sys.argv[2], "threads": int(sys.argv[3]), "positivesPerSecondMedian2to4": statistics.median(rates)}))
PY
}
{
  method bpr-sgd-1t 1 --objective bpr --optimizer sgd --lr 0.05 --scorer dot
  method bpr-sgd-2t 2 --objective bpr --optimizer sgd --lr 0.05 --scorer dot
  method sampled-softmax-shared1024-2t 2 --objective sampled-softmax --sampler uniform --shared 1024
  method full-softmax-2t 2 --objective full-softmax
} | tee "$OUT/methods.jsonl"

echo "== TotalRecall: iALS on ML-1M (seconds per iteration: median of iterations 2-6 of 6, 2 threads)"
ials() { # name flags...
  local name=$1; shift
  $TR train --data "$DATA/ml-1m-ncf" --objective ials --l2 0.01 --epochs 6 --threads 2 --model "$OUT/$name.trm" --quiet --json "$@" \
      > "$OUT/$name.train.json" 2>/dev/null
  python3 - "$OUT/$name.train.json" "$name" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
nnz = d["counts"]["fitInteractions"] if "fitInteractions" in d["counts"] else d["counts"]["trainInteractions"]
print(json.dumps({"method": sys.argv[2], "secondsPerIterationMedian2to6": statistics.median(nnz / r for r in s["epochPositivesPerSecond"][1:6])}))
PY
}
{
  ials ials-cg-d64 --dim 64
  ials ials-cg-d128 --dim 128
  ials ials-cholesky-d64 --dim 64 --solver cholesky
  ials ials-cholesky-d128 --dim 128 --solver cholesky
} | tee "$OUT/ials.jsonl"
# the iALS peer: Spark MLlib's implicit ALS, local[2], same rank, 10 iterations (bench/spark-als)
echo "== Spark MLlib ALS peer (rank 64 and 128, 10 iterations, local[2])"
for rank in 64 128; do
  "$ROOT/scripts/spark-als-bench.sh" --rank "$rank" --iterations 10 --reg 0.01 --alpha 1 --threads 2 2>/dev/null \
      | tee "$OUT/spark-als-$rank.json"
done

echo "== TotalRecall: bench retrieval (ML-1M shape, both ways)"
$TR bench retrieval --threads 2 2>/dev/null | tee "$OUT/retrieval.json"

echo "== TotalRecall: full-ranking evaluation time (model trained on ML-1M ncf, and Gowalla)"
if [ ! -f "$OUT/ml1m.trm" ]; then
  $TR train --data "$DATA/ml-1m-ncf" --objective bi-infonce --dim 64 --epochs 30 --seed 1 --model "$OUT/ml1m.trm" --quiet --json > "$OUT/ml1m-train.json"
fi
/usr/bin/time -f "%e s wall" $TR evaluate --model "$OUT/ml1m.trm" --data "$DATA/ml-1m-ncf" --protocol ncf --full --json 2>&1 | tee "$OUT/ml1m-full-eval.json"
if [ ! -f "$OUT/gowalla.trm" ]; then
  $TR train --data "$DATA/gowalla" --objective bi-infonce --dim 64 --tau 0.09 --logq-weight 1.75 --l2 0.01 --model "$OUT/gowalla.trm" --quiet --json > "$OUT/gowalla-train.json"
fi
/usr/bin/time -f "%e s wall" $TR evaluate --model "$OUT/gowalla.trm" --data "$DATA/gowalla" --protocol full --json 2>&1 | tee "$OUT/gowalla-full-eval.json"
