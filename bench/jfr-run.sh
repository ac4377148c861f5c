#!/usr/bin/env bash
# Run streamer's modules on the full JDK (the image has no jdk.jfr) with the image's JVM options and a
# JFR recording: bench/jfr-run.sh SECONDS OUT.jfr [streamer stream arguments...]
# Needs a reactor build (target/*.jar) and the dependencies in ~/.m2. See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1 out=$2
shift 2
m2=${M2_REPO:-$HOME/.m2/repository}
mp=$(ls streamer-{api,core,app,transport-tcp,source-javasound,source-signal,source-stdin,source-pulse}/target/streamer-*-0.1.0-SNAPSHOT.jar | tr '\n' :)
mp=${mp}streamer-picocli/target/streamer-picocli-0.1.0-SNAPSHOT.jar:$m2/tools/jackson/core/jackson-core/3.3.0/jackson-core-3.3.0.jar
mp=$mp:$m2/tools/jackson/core/jackson-databind/3.3.0/jackson-databind-3.3.0.jar:$m2/com/fasterxml/jackson/core/jackson-annotations/2.23/jackson-annotations-2.23.jar
# the options streamer-dist bakes into the image, and a recording that samples allocations and CPU
exec timeout -s INT "$seconds" "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -Xmx64m -Xmn4m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  --enable-native-access=dev.streamer.transport.tcp --enable-native-access=dev.streamer.source.pulse \
  "-XX:StartFlightRecording=filename=$out,settings=profile,dumponexit=true,+jdk.ThreadAllocationStatistics#period=10s" \
  -p "$mp" --add-modules dev.streamer.transport.tcp,dev.streamer.source.javasound,dev.streamer.source.signal,dev.streamer.source.stdin,dev.streamer.source.pulse \
  -m dev.streamer.app/dev.streamer.app.Main stream "$@"
