#!/usr/bin/env bash
# Issue 15, acceptance 4: a seeded synthetic log (Zipf item popularity) through the whole Spark chain
# on one machine: generate-log -> prepare -> train (iALS) -> audience-all, each stage its own JVM
# with SPARK_HEAP of driver/executor memory (local mode: one JVM is both). Prints, per stage, the
# wall time, the job's own seconds, the driver's peak heap (the sum of the heap pools' peaks, an
# upper bound) and the process's peak resident memory. Run it on a quiet machine.
#   scripts/spark-scale.sh                       (50M rows, 5M users, 500k items, d 64, 5 iterations)
#   ROWS=5000000 USERS=500000 ITEMS=50000 scripts/spark-scale.sh     (a tenth, ~1/100 of the work)
# Then (HNSW=0 skips it) the CLI builds an HNSW graph over the items and audience-all runs again
# through it; the last line compares its rows with the exact ones.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${ROWS:-50000000}
USERS=${USERS:-5000000}
ITEMS=${ITEMS:-500000}
DIM=${DIM:-64}
ITERATIONS=${ITERATIONS:-5}
PER_USER=${PER_USER:-10}
PER_ITEM=${PER_ITEM:-1000}
BLOCKS=${BLOCKS:-40}
WORK=${WORK:-/tmp/totalrecall-spark-scale}
export SPARK_MASTER=${SPARK_MASTER:-local[2]}
export SPARK_HEAP=${SPARK_HEAP:-8g}
SPARK="$ROOT/scripts/spark-local.sh"
command -v /usr/bin/time >/dev/null || { echo "spark-scale: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 69; }
mkdir -p "$WORK"
"$SPARK" --version >/dev/null 2>&1 || true # builds the module if needed, outside the timings

printf '%-13s %9s %9s %15s %15s\n' stage wall_s job_s peak_heap_MB peak_rss_MB
stage() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$SPARK" "$@" --json >"$WORK/$name.json" 2>"$WORK/$name.log" || {
    echo "spark-scale: stage $name failed; the last lines of $WORK/$name.log:" >&2
    tail -20 "$WORK/$name.log" >&2
    exit 1
  }
  read -r wall rss <"$WORK/$name.time"
  python3 - "$WORK/$name.json" "$name" "$wall" "$rss" <<'EOF'
import json, sys
doc = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print("%-13s %9.1f %9.1f %15.0f %15.0f" % (sys.argv[2], float(sys.argv[3]), doc["seconds"],
      doc["driverPeakHeapBytes"] / 2**20, int(sys.argv[4]) / 1024))
EOF
}
stage generate-log generate-log --rows "$ROWS" --users "$USERS" --items "$ITEMS" --seed 1 --out "$WORK/log"
stage prepare prepare --data "$WORK/log" --format parquet --columns user,item,none,timestamp --out "$WORK/prepared"
stage train train --prepared "$WORK/prepared" --objective ials --dim "$DIM" --epochs "$ITERATIONS" \
  --blocks "$BLOCKS" --model "$WORK/model.trm"
stage audience-all audience-all --model "$WORK/model.trm" --per-user "$PER_USER" --per-item "$PER_ITEM" \
  --out "$WORK/audiences"
if [ "${HNSW:-1}" = 1 ]; then
  # the same audiences through an HNSW graph over the items, built once by the CLI (one machine)
  /usr/bin/time -f '%e %M' -o "$WORK/index.time" "$ROOT/totalrecall" index --model "$WORK/model.trm" \
    --direction u2i --threads 2 --out "$WORK/index" --json >"$WORK/index.json" 2>"$WORK/index.log"
  read -r wall rss <"$WORK/index.time"
  printf '%-13s %9.1f %9s %15s %15.0f\n' index "$wall" - - "$((rss / 1024))"
  stage audience-hnsw audience-all --model "$WORK/model.trm" --per-user "$PER_USER" --per-item "$PER_ITEM" \
    --index "$WORK/index" --ef "${EF:-100}" --out "$WORK/audiences-hnsw"
  "$SPARK" diff --left "$WORK/audiences" --right "$WORK/audiences-hnsw" --columns item,user 2>/dev/null | tail -1
fi
echo "details: $WORK/*.json (each job's summary), $WORK/*.log"
for s in prepare train audience-all; do tail -1 "$WORK/$s.json"; done
