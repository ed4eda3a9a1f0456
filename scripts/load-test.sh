#!/usr/bin/env bash
# Load test of the HTTP service on loopback, bounded in requests and time: starts
# `totalrecall serve` on MODEL (with INDEX if given), waits for /healthz, then runs three phases
# with `totalrecall bench http` (a real HTTP client): clean u2i requests at k = 10; the same with
# 10% malformed requests (each must be a 400 or 404, never a 5xx); and the same with a model
# reload every RELOAD_EVERY requests (none may fail). Stops the server with SIGTERM (graceful).
#
#   scripts/load-test.sh MODEL [INDEX] [OUT]
#
# Environment: REQUESTS (default 50000), SECONDS (60), CONCURRENCY (32), PORT (18080).
# Run it on a quiet machine: the figures are requests per second on this machine's cores.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODEL=${1:?usage: scripts/load-test.sh MODEL [INDEX] [OUT]}
INDEX=${2:-}
OUT=${3:-$ROOT/target/load-test}
REQUESTS=${REQUESTS:-50000}
SECONDS_MAX=${SECONDS:-60}
CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-18080}
RELOAD_EVERY=${RELOAD_EVERY:-10000}
mkdir -p "$OUT"
TOKEN_FILE="$OUT/admin-token"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TOKEN_FILE"
INDEX_ARGS=()
[ -n "$INDEX" ] && INDEX_ARGS=(--index "$INDEX")
"$ROOT/totalrecall" serve --model "$MODEL" "${INDEX_ARGS[@]}" --port "$PORT" --admin-token-file "$TOKEN_FILE" \
  2> "$OUT/server.log" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.5
done
run() { # name, extra args
  local name=$1; shift
  "$ROOT/totalrecall" bench http --url "http://127.0.0.1:$PORT" --model "$MODEL" --requests "$REQUESTS" \
    --seconds "$SECONDS_MAX" --concurrency "$CONCURRENCY" "$@" > "$OUT/$name.json" || status=$?
  python3 - "$OUT/$name.json" "$name" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
print("%-10s %7d requests in %5.1f s: %7.0f req/s, p50 %.2f ms, p99 %.2f ms, statuses %s, transport errors %d,"
      " contract violations %d, reloads %d (failed %d)" % (sys.argv[2], d["requests"], d["seconds"],
      d["requestsPerSecond"], d["p50Millis"], d["p99Millis"], d["statuses"], d["transportErrors"],
      d["contractViolations"], d["reloads"], d["reloadFailures"]))
PYEOF
}
status=0
run clean
run malformed --malformed 0.1
run reload --malformed 0.1 --reload-token-file "$TOKEN_FILE" --reload-every "$RELOAD_EVERY"
kill -TERM $SERVER
wait $SERVER || true
trap - EXIT
echo "server log: $OUT/server.log"
exit $status
