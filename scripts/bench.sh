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

for py in "${TORCH_PYTHON:-}" "$HOME/torch-venv/bin/python" /usr/bin/python3 python3; do
  [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 && "$py" -c 'import torch' 2>/dev/null || continue
  echo "== PyTorch peer with $py"
  "$py" "$ROOT/../shared/peers/torch_twotower.py" --data "$DATA/ml-1m-ncf" --loss bi --epochs 4 \
      --eval-every 0 --threads 2 | tee "$OUT/peer.jsonl"
  break
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
