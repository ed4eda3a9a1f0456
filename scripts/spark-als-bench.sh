#!/usr/bin/env bash
# Peer benchmark: Apache Spark MLlib implicit ALS on MovieLens-1M (NCF split, HR/NDCG@10 with the
# 99 negatives) or, with --data pointing at a LightGCN layout (Gowalla), Recall/NDCG@20 by full ranking. Builds the standalone
# project bench/spark-als (outside the root build; the first run downloads Spark from Maven Central),
# then runs it with a JDK 25 and the JVM flags Spark needs. Prints one JSON object on stdout.
# Usage: scripts/spark-als-bench.sh [--data DIR] [--rank 64] [--iterations 10] [--reg 0.01]
#                                   [--alpha 1.0] [--threads 2] [--seed 1]
# Environment: SPARK_ALS_HEAP (default 4g) sets the JVM heap; SPARK_ALS_JAVA_OPTS adds JVM flags, e.g.
#   -Ddev.ludovic.netlib.blas.nativeLib=none to make Spark use its pure-Java BLAS instead of a system
#   libblas.so.3 (the JSON's "blas" field says which one ran).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT=$ROOT/bench/spark-als

. "$ROOT/scripts/find-jdk25.sh"
if ! find_jdk25; then
  echo "spark-als-bench: needs a JDK 25 or newer (see above)." >&2
  exit 69
fi

echo "spark-als-bench: building $PROJECT (the first build downloads Spark) ..." >&2
# the peer scores the LightGCN (Gowalla) split with TotalRecall's evaluator: install the core first
(cd "$ROOT" && JAVA_HOME=$TOTALRECALL_JAVA_HOME ./mvnw -q -B -pl totalrecall-core -am install -DskipTests \
    -Dspotless.check.skip=true >&2)
# The sun.misc.Unsafe warnings printed while Maven starts come from Maven's own Guava; they are harmless.
# Maven: the repository's Maven Wrapper (the pinned Maven, downloaded from Maven Central on first use)
JAVA_HOME=$TOTALRECALL_JAVA_HOME "$ROOT/mvnw" -q -B -Dstyle.color=never -f "$PROJECT/pom.xml" package >&2
CLASSPATH_FILE=$PROJECT/target/classpath.txt
if [ ! -s "$CLASSPATH_FILE" ]; then
  echo "spark-als-bench: $CLASSPATH_FILE was not written by the build." >&2
  exit 70
fi

# What Spark's launcher passes on JDK 17+ (JavaModuleOptions), plus the JDK 24+ switches that keep
# sun.misc.Unsafe memory access and native access (netty, netlib) working without warnings.
JVM_FLAGS=(
  -Xmx"${SPARK_ALS_HEAP:-4g}"
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow
  --enable-native-access=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
  -Dtotalrecall.root="$ROOT"
)
# Extra JVM flags from the environment (word-split on purpose).
# shellcheck disable=SC2206
JVM_FLAGS+=(${SPARK_ALS_JAVA_OPTS:-})
# Local mode only: bind to loopback and skip Spark's "hostname resolves to a loopback address" warning.
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

exec "$TOTALRECALL_JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" \
  -cp "$PROJECT/target/classes:$(cat "$CLASSPATH_FILE")" \
  org.totalrecall.peer.SparkAlsBench "$@"
