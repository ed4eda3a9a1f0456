#!/usr/bin/env bash
# Issue 15, acceptance 2 (ML-1M ncf, then Gowalla full): our iALS on Spark (local[2]) and Spark MLlib's implicit ALS
# (the bench/spark-als peer, local[2]) at the same rank and iterations, back to back, each with
# the settings chosen for it (ours: BENCHMARKS.md's iALS row; MLlib: reg 0.01, alpha 1), and the
# single-machine CLI iALS with ours for the quality check. Run on a quiet machine.
#   scripts/spark-ials-vs-mllib.sh [RANK] [ITERATIONS]     (default 64 10)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RANK=${1:-64}
ITER=${2:-10}
DATA="$ROOT/../shared/data/ml-1m-ncf"
WORK=${WORK:-/tmp/totalrecall-spark-ials}
mkdir -p "$WORK"
export SPARK_MASTER=local[2]
echo "== ours on Spark (local[2])"
"$ROOT/scripts/spark-local.sh" train --data "$DATA" --protocol ncf --dim "$RANK" --epochs "$ITER" --l2 0.003 \
  --option unobserved-weight=0.3 --model "$WORK/spark-ials.trm" --json 2>/dev/null | tail -1
"$ROOT/totalrecall" evaluate --model "$WORK/spark-ials.trm" --data "$DATA" --json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin)["metrics"]; print("quality: HR@10 %.4f NDCG@10 %.4f" % (m["hr@10"], m["ndcg@10"]))'
echo "== ours on one machine (the CLI, 2 threads)"
"$ROOT/totalrecall" train --data "$DATA" --objective ials --dim "$RANK" --epochs "$ITER" --l2 0.003 \
  --unobserved-weight 0.3 --threads 2 --model "$WORK/cli-ials.trm" --json \
  | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print("%.3f s per iteration" % (s["trainSeconds"] / s["epochsRun"]))'
"$ROOT/totalrecall" evaluate --model "$WORK/cli-ials.trm" --data "$DATA" --json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin)["metrics"]; print("quality: HR@10 %.4f NDCG@10 %.4f" % (m["hr@10"], m["ndcg@10"]))'
echo "== Spark MLlib implicit ALS (local[2])"
"$ROOT/scripts/spark-als-bench.sh" --rank "$RANK" --iterations "$ITER" --reg 0.01 --alpha 1 --threads 2 2>/dev/null

echo "== Gowalla (full): ours on Spark (local[2])"
GOW="$ROOT/../shared/data/gowalla"
"$ROOT/scripts/spark-local.sh" train --data "$GOW" --protocol full --dim "$RANK" --epochs "$ITER" --l2 0.003 \
  --option unobserved-weight=0.01 --model "$WORK/spark-ials-gowalla.trm" --json 2>/dev/null | tail -1
"$ROOT/totalrecall" evaluate --model "$WORK/spark-ials-gowalla.trm" --data "$GOW" --json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin)["metrics"]; print("quality: Recall@20 %.4f NDCG@20 %.4f" % (m["recall@20"], m["ndcg@20"]))'
echo "== Gowalla: ours on one machine (the CLI, 2 threads)"
"$ROOT/totalrecall" train --data "$GOW" --objective ials --dim "$RANK" --epochs "$ITER" --l2 0.003 \
  --unobserved-weight 0.01 --threads 2 --model "$WORK/cli-ials-gowalla.trm" --json \
  | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print("%.3f s per iteration" % (s["trainSeconds"] / s["epochsRun"]))'
"$ROOT/totalrecall" evaluate --model "$WORK/cli-ials-gowalla.trm" --data "$GOW" --json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin)["metrics"]; print("quality: Recall@20 %.4f NDCG@20 %.4f" % (m["recall@20"], m["ndcg@20"]))'
echo "== Gowalla: Spark MLlib implicit ALS (local[2])"
"$ROOT/scripts/spark-als-bench.sh" --data "$GOW" --rank "$RANK" --iterations "$ITER" --reg 0.01 --alpha 1 --threads 2 2>/dev/null
