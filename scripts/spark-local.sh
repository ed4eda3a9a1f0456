#!/usr/bin/env bash
# Runs a totalrecall-spark job in Spark's local mode without a Spark installation: the shaded
# totalrecall-spark.jar and the Spark 4.2 jars from Maven Central (the module's provided
# dependencies) on one classpath, with the JVM flags Spark's launcher would pass on JDK 25.
#   scripts/spark-local.sh recommend-all --model m.trm --k 10 --out recs
#   SPARK_MASTER=local[2] SPARK_HEAP=8g scripts/spark-local.sh audience-all --model m.trm --out aud
# On a cluster use spark-submit instead (README, "On Apache Spark").
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/find-jdk25.sh"
find_jdk25 || exit 69
JAR="$ROOT/totalrecall-spark/target/totalrecall-spark.jar"
CP_FILE="$ROOT/totalrecall-spark/target/spark-classpath.txt"
if [ ! -f "$JAR" ] || [ ! -s "$CP_FILE" ] || [ -n "$(find "$ROOT/totalrecall-spark/src/main" "$ROOT/totalrecall-core/src/main" -newer "$JAR" -print -quit)" ]; then
  echo "spark-local: building totalrecall-spark (the first build downloads Spark) ..." >&2
  (cd "$ROOT" && ./mvn25 -q -B -DskipTests -pl totalrecall-spark -am install >&2)
  # Spark's jars (provided) and what the core also needs at runtime (jackson, commons-compress, ...,
  # which Spark ships too but Maven files under the core's scope)
  (cd "$ROOT" && ./mvn25 -q -B -pl totalrecall-spark dependency:build-classpath -DincludeScope=provided \
      -Dmdep.outputFile="$CP_FILE.provided" >&2)
  (cd "$ROOT" && ./mvn25 -q -B -pl totalrecall-spark dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile="$CP_FILE.runtime" >&2)
  echo "$(cat "$CP_FILE.provided"):$(cat "$CP_FILE.runtime")" > "$CP_FILE"
fi
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
exec "$TOTALRECALL_JAVA_HOME/bin/java" -Xmx"${SPARK_HEAP:-8g}" -XX:+UseParallelGC \
  --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true \
  -Dspark.master="${SPARK_MASTER:-local[*]}" -Dspark.ui.enabled=false \
  -cp "$JAR:$(cat "$CP_FILE")" org.totalrecall.spark.SparkMain "$@"
