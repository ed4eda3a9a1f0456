#!/usr/bin/env bash
# HNSW, TotalRecall (Lucene's graph, our SIMD scoring) against Faiss's HNSW on the same vectors,
# queries and parameters, back to back in one script. Run it on a quiet machine (nothing else
# running): the figures are queries per second.
#
#   scripts/ann-bench.sh [--synthetic USERSxITEMS | --model FILE] [OUT]
#
# Defaults: the synthetic catalogue of issue 13 (200,000 users x 1,000,000 items, d 64, planted
# clusters). OUT (default target/ann-bench) receives ours.json, faiss.json and the dumped vectors.
# Needs faiss-cpu in ../shared/peers' venv ($HOME/torch-venv; see ../shared/peers/README.md).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SOURCE=(--synthetic 200000x1000000)
if [ "${1:-}" = "--synthetic" ] || [ "${1:-}" = "--model" ]; then
  SOURCE=("$1" "$2")
  shift 2
fi
OUT=${1:-$ROOT/target/ann-bench}
PY=${PYTHON:-$HOME/torch-venv/bin/python}
M=${M:-16}
EFC=${EFC:-200}
EFS=${EFS:-10,20,25,30,40,80,160}
THREADS=${THREADS:-1,2}
QUERIES=${QUERIES:-2000}
mkdir -p "$OUT"
"$PY" -c 'import faiss' 2>/dev/null || { echo "ann-bench: faiss-cpu is missing in $PY (see ../shared/peers/README.md)" >&2; exit 69; }
echo "ann-bench: TotalRecall (${SOURCE[*]}, m $M, efConstruction $EFC)" >&2
"$ROOT/totalrecall" bench ann "${SOURCE[@]}" --m "$M" --ef-construction "$EFC" --ef "$EFS" --threads "$THREADS" \
  --queries "$QUERIES" --dump "$OUT/vectors" > "$OUT/ours.json"
echo "ann-bench: Faiss on the same vectors" >&2
"$PY" "$ROOT/scripts/faiss-ann.py" "$OUT/vectors" --m "$M" --ef-construction "$EFC" --ef "$EFS" --threads "$THREADS" \
  > "$OUT/faiss.json"
"$PY" - "$OUT/ours.json" "$OUT/faiss.json" <<'PYEOF'
import json, sys
ours = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))
for d in ("u2i", "i2u"):
    if d not in peer:
        continue
    print("%s: %d queries over %d candidates; build: ours %.1f s (%d threads), Faiss %.1f s (%d threads)" % (
        d, peer[d]["queries"], peer[d]["candidates"], ours.get(d + ".buildSeconds", float("nan")),
        ours.get("buildThreads", 1), peer[d]["buildSeconds"], peer[d]["buildThreads"]))
    for run, prun in zip(ours["runs"], peer[d]["runs"]):
        o = run[d]
        print("  threads %d: exact batch %.0f q/s, exact one at a time %.0f q/s, Faiss flat %.0f q/s" % (
            prun["threads"], o["exact.qps"], o["exact.oneAtATime.qps"], prun["flat.qps"]))
        def faiss_at(recall, pts=sorted((x["recall@10"], x["qps"]) for x in prun["hnsw"])):
            # Faiss's q/s at a recall, log-linear between its two bracketing ef points (None outside)
            import math
            for (r0, q0), (r1, q1) in zip(pts, pts[1:]):
                if r0 <= recall <= r1 and r1 > r0:
                    return math.exp(math.log(q0) + (recall - r0) / (r1 - r0) * (math.log(q1) - math.log(q0)))
            return None
        for a, b in zip(o["hnsw"], prun["hnsw"]):
            print("    ef %4d  ours recall %.4f %8.0f q/s (%.1fx exact batch, %.1fx one at a time) | Faiss recall %.4f %8.0f q/s | ours/Faiss %.2fx" % (
                a["ef"], a["recall@10"], a["qps"], a["qps"] / o["exact.qps"], a["qps"] / o["exact.oneAtATime.qps"],
                b["recall@10"], b["qps"], a["qps"] / b["qps"]))
            f = faiss_at(a["recall@10"])
            if f:
                print("               Faiss at ours' recall: %.0f q/s (interpolated), ours/Faiss at equal recall %.2fx" % (
                    f, a["qps"] / f))
PYEOF
