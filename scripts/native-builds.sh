#!/usr/bin/env bash
# Issue 25 item 6: what each shipped nd4j-native build buys end to end. Runs the quick-tier gold run (Emotion, seed 1)
# under every shipped build this CPU supports, ROUNDS times, interleaved (the build order rotates each round, so a
# drift of the machine's speed over the sitting does not favour one build), and writes per-run figures and a summary.
#
#   scripts/native-builds.sh [ROUNDS] [OUT]     (defaults: 3, results/bench/native/<UTC stamp>)
#
# Run it on an otherwise idle machine (no grid, no build): it is a timing measurement. Each run: `/usr/bin/time -v
# ./llkd run GoldFinetuneEvidence --quick --seeds 1` with LLKD_NATIVE_BUILD set; the summary
# (llkd-bench/scripts/native_builds_table.py) reads each run's provenance.json (training loop, whole run, peak resident
# size sampled by the run), time -v's maximum resident size and the test metrics.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-3}
OUT=${2:-$ROOT/results/bench/native/$(date -u +%Y%m%dT%H%MZ)}
mkdir -p "$OUT"
cd "$ROOT"
. scripts/cpu-env.sh >/dev/null
# the shipped builds this CPU can run, fastest-first as native-build.sh orders them
builds=()
for b in onednn-avx512 onednn-avx2 generic; do
  case $b in
    onednn-avx512) grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo \
      && grep -qw avx512vl /proc/cpuinfo && builds+=("$b") ;;
    onednn-avx2) grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && builds+=("$b") ;;
    generic) builds+=("$b") ;;
  esac
done
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/sitting.log"; }
log "builds: ${builds[*]}; rounds: $ROUNDS; cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
./llkd --help >/dev/null 2>&1 || true # build once before timing
n=${#builds[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  for ((i = 0; i < n; i++)); do
    b=${builds[$(((i + r - 1) % n))]}
    d="$OUT/r$r-$b"
    log "round $r $b"
    rc=0
    LLKD_NATIVE_BUILD=$b /usr/bin/time -v -o "$d.time-v.txt" ./llkd run GoldFinetuneEvidence --quick --seeds 1 \
      --out "$d" > "$d.log" 2>&1 || rc=$?
    log "round $r $b rc=$rc load $(cut -d' ' -f1-3 /proc/loadavg)"
    find "$d" -name checkpoint.zip -delete 2>/dev/null || true
  done
done
python3 llkd-bench/scripts/native_builds_table.py "$OUT" | tee "$OUT/summary.md"
