#!/usr/bin/env bash
# Issue 15, acceptance 1: recommend-all and audience-all on a seeded synthetic catalogue, by the
# CLI (one JVM, all cores) and by the Spark jobs (local[2]), back to back; checks that both give
# the same rows (exact search) and prints each one's time and peak heap. Run it on a quiet machine.
#   scripts/spark-vs-cli.sh [USERSxITEMS] [DIM]        (default 200000x100000, 64)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE=${1:-200000x100000}
DIM=${2:-64}
WORK=${WORK:-/tmp/totalrecall-spark-vs-cli}
mkdir -p "$WORK"
MODEL="$WORK/synthetic-$SIZE-$DIM.trm"
SPARK="$ROOT/scripts/spark-local.sh"
export SPARK_MASTER=${SPARK_MASTER:-local[2]}
[ -f "$MODEL" ] || "$SPARK" synthetic-model --size "$SIZE" --dim "$DIM" --out "$MODEL" 2>/dev/null
"$ROOT/totalrecall" --version >/dev/null 2>&1 || true   # builds the CLI if needed, outside the timings
echo "== recommend-all, k 10"
( time "$ROOT/totalrecall" recommend-all --model "$MODEL" --k 10 --threads 2 --out "$WORK/cli-recs.parquet" --json ) 2>&1 | grep -E '"seconds"|real'
( time "$SPARK" recommend-all --model "$MODEL" --k 10 --out "$WORK/spark-recs" --json 2>/dev/null ) 2>&1 | grep -E 'seconds|real'
"$SPARK" diff --left "$WORK/cli-recs.parquet" --right "$WORK/spark-recs" 2>/dev/null | tail -1
echo "== audience-all, K 10, N 1000"
( time "$ROOT/totalrecall" audience-all --model "$MODEL" --per-user 10 --per-item 1000 --threads 2 --out "$WORK/cli-aud.parquet" --json ) 2>&1 | grep -E '"seconds"|peakHeap|real'
( time "$SPARK" audience-all --model "$MODEL" --per-user 10 --per-item 1000 --out "$WORK/spark-aud" --json 2>/dev/null ) 2>&1 | grep -E 'seconds|real'
"$SPARK" diff --left "$WORK/cli-aud.parquet" --right "$WORK/spark-aud" 2>/dev/null | tail -1
