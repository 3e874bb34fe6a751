#!/usr/bin/env bash
# Reproduces the tables of BENCHMARKS.md.
#
#   ./sygra-benchmarks/run.sh            full matrix: C in {64,512,2048} x L in {20ms,200ms}, 3 reps,
#                                        5 workloads, then 1M echo records at -Xmx256m (~20 min)
#   ./sygra-benchmarks/run.sh --quick    one small cell per workload + 50k memory records (< 2 min);
#                                        prints one JSON line per workload
#   ./sygra-benchmarks/run.sh --jmh [REGEX] [JMH options]
#                                        the JMH benchmarks (default: all), JSON to target/jmh.json
#   Any other arguments go to BenchmarkHarness (see --help), e.g. --concurrency 512 --reps 5.
#
# Environment: SKIP_BUILD=1 reuses the last build; HARNESS_JAVA_OPTS (default -Xms1g -Xmx1g
# -XX:-UseDynamicNumberOfCompilerThreads, so JIT threads stay and their CPU can be excluded)
# sets the harness JVM's options; the memory workload always runs in a child JVM at -Xmx256m.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE="$ROOT/sygra-benchmarks"
TARGET="$MODULE/target"
CP_FILE="$TARGET/classpath.txt"

if [ "${SKIP_BUILD:-0}" != "1" ] || [ ! -f "$CP_FILE" ]; then
  echo "run.sh: building sygra-benchmarks and the modules it needs..." >&2
  (cd "$ROOT" && mvn -B -q -DskipTests -Dspotless.check.skip=true \
    package dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
    -pl sygra-benchmarks -am) >&2
fi
CP="$TARGET/sygra-benchmarks-0.1.0-SNAPSHOT.jar:$(cat "$CP_FILE")"

echo "run.sh: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM," \
  "$(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if [ "${1:-}" = "--jmh" ]; then
  shift
  exec java -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$TARGET/jmh.json" "$@"
fi

cd "$MODULE"
# shellcheck disable=SC2086
exec java ${HARNESS_JAVA_OPTS:--Xms1g -Xmx1g -XX:-UseDynamicNumberOfCompilerThreads} -cp "$CP" \
  io.sygra.benchmarks.harness.BenchmarkHarness --out "$TARGET/benchmark-results" "$@"
