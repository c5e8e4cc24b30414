#!/usr/bin/env bash
# Loopback load test of `llkd serve` (org.llkd.experiments.serve.ServeLoad): an in-process server on 127.0.0.1 with an
# ephemeral port, 1, 8 and 32 closed-loop clients, each level bounded by time and request count; writes
# results/bench/serve/serve-load.{csv,md}. Options: [--model DIR] [--out DIR] [--clients 1,8,32] [--seconds 20]
# [--max-requests 3000]. Without --model it serves a standard-tier-shaped student with random weights.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./llkd --version >/dev/null # builds if needed and writes the class-path argfile
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
. "$root/scripts/cpu-env.sh"
exec java --add-modules=jdk.incubator.vector ${LLKD_JAVA_OPTS:-} -Xmx"${LLKD_XMX:-3g}" -Dorg.bytedeco.javacpp.maxbytes="${LLKD_OFFHEAP:-12G}" -Dai.djl.offline=true \
  -Dorg.bytedeco.javacpp.platform.extension="$LLKD_NATIVE_EXT" \
  @llkd-experiments/target/llkd-java.args org.llkd.experiments.serve.ServeLoad "$@"
