#!/usr/bin/env bash
# Nightly-sized run of the fuzz suite (issue 10): seeded mutations of small valid files for every
# data reader (checked against an independent oracle, through the core API and, for a subset, the
# CLI), the hand-written contract cases, and the exhaustive damage test of a small model file.
#   scripts/fuzz.sh [CASES_PER_READER] [SEED]        (defaults: 2000, 20261129)
# Prints the per-reader summary (cases, clean errors, accepted with correct counts, defects) and
# every defect class with a minimal reproducer; the full report is written to
# totalrecall-cli/target/fuzz-report.txt and Maven's output to totalrecall-cli/target/fuzz.log.
# Exit status: 0 when every invariant holds, 1 otherwise.
# Replay one case (the report prints the exact flags):
#   ./mvn25 -B -q -pl totalrecall-cli -am -Dtest=DataReaderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
#     -Dtotalrecall.fuzz.seed=SEED -Dtotalrecall.fuzz.replay=READER:INDEX test
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CASES=${1:-2000}
SEED=${2:-20261129}
case "$CASES" in ''|*[!0-9]*) echo "fuzz.sh: CASES_PER_READER must be a number, got '$CASES'" >&2; exit 64 ;; esac
case "$SEED" in ''|*[!0-9-]*) echo "fuzz.sh: SEED must be an integer, got '$SEED'" >&2; exit 64 ;; esac
cd "$ROOT"
OUT=totalrecall-cli/target
REPORT=$OUT/fuzz-report.txt
LOG=$OUT/fuzz.log
mkdir -p "$OUT"
rm -f "$REPORT"
echo "fuzz.sh: $CASES cases per reader, seed $SEED (log: $LOG)"
set +e
./mvn25 -B -q -pl totalrecall-cli -am \
  -Dtest='DataReaderFuzzTest,ContractCasesTest,ModelFileFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtotalrecall.fuzz.cases="$CASES" -Dtotalrecall.fuzz.seed="$SEED" -Dtotalrecall.fuzz.shrinkBudget=400 \
  test >"$LOG" 2>&1
rc=$?
set -e
if [ -f "$REPORT" ]; then
  cat "$REPORT"
else
  echo "fuzz.sh: no report written (build or test setup failed); the end of $LOG:" >&2
  tail -n 40 "$LOG" >&2
fi
echo "== model files and contract cases"
grep -h "^model fuzz:" "$LOG" || true
grep -E "Tests run:.*(ContractCasesTest|ModelFileFuzzTest)" "$LOG" | sed 's/^\[[A-Z]*\] //' || true
grep -E "^\[ERROR\]   (ContractCasesTest|ModelFileFuzzTest)" "$LOG" | sed 's/^\[ERROR\]   /FAILED /' || true
if [ "$rc" -ne 0 ]; then
  echo "fuzz.sh: invariants broken (Maven exit $rc); details above and in $LOG"
  exit 1
fi
echo "fuzz.sh: all invariants hold"
