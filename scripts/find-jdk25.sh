# Sourced by ./totalrecall, ./mvn25 and .ci/run: sets TOTALRECALL_JAVA_HOME to a JDK 25 or newer.
# Looks at $TOTALRECALL_JAVA_HOME, $JAVA_HOME, the java on PATH, then /usr/lib/jvm, /opt and
# ~/.sdkman. Returns 1, with a clear message on stderr, when there is none.

_tr_java_major() { # prints the feature version of the JDK at $1, or nothing
  local home=$1
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  "$home/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

find_jdk25() {
  local c major path_java=""
  if command -v java >/dev/null 2>&1; then
    path_java=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  for c in "${TOTALRECALL_JAVA_HOME:-}" "${JAVA_HOME:-}" "$path_java" \
           /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    major=$(_tr_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      TOTALRECALL_JAVA_HOME=$c
      export TOTALRECALL_JAVA_HOME
      return 0
    fi
  done
  echo "totalrecall: no JDK 25 or newer found (looked at \$TOTALRECALL_JAVA_HOME, \$JAVA_HOME, the java on PATH," >&2
  echo "  /usr/lib/jvm, /opt and ~/.sdkman). Install a JDK 25 (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
