#!/usr/bin/env bash
# Builds totalrecall-bench and runs its JMH microbenchmarks (kernels: Panama against scalar; the
# batch loss) with JMH's own defaults, or with the JMH options given, e.g.
#   scripts/jmh.sh                                  # everything (several minutes)
#   scripts/jmh.sh KernelBenchmark.gemmAbt -f 1 -wi 3 -i 5
#   scripts/jmh.sh -h                               # JMH's options
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/find-jdk25.sh"
find_jdk25 || exit 69
"$ROOT/mvn25" -q -B -pl totalrecall-bench -am package -Dmaven.test.skip >&2
BENCH="$ROOT/totalrecall-bench/target"
exec "$TOTALRECALL_JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
  -cp "$BENCH/totalrecall-bench-0.1.0-SNAPSHOT.jar:$BENCH/lib/*" org.openjdk.jmh.Main \
  -jvmArgsAppend "--add-modules jdk.incubator.vector" "$@"
