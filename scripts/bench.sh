#!/usr/bin/env bash
# Runs the llkd-bench JMH suite between two runs of the PyTorch reference and writes, under results/bench/:
#   runs/<run-id>/jmh-<Class>.json     JMH JSON, one file per benchmark class
#   runs/<run-id>/torch-before.jsonl   reference lines (train s128/s64 b32, infer s128 b32/b64) before JMH
#   runs/<run-id>/torch-after.jsonl    the same, right after JMH
#   runs/<run-id>/foreign-load.jsonl   per command: wall time, own and foreign CPU cores (/proc/stat), loadavg
#   runs/<run-id>/provenance.json      machine, CPU, thread/BLAS settings, versions, git commit, options
#   runs/<run-id>/jmh.log, torch.log   console output
#   table.md                           generated from the run by llkd-bench/scripts/bench_table.py (never edit)
#
# usage: scripts/bench.sh            full suite, 1 fork per benchmark (~20 min on a quiet 2-core box)
#   FORKS=3 scripts/bench.sh         STYLE 3.15's 3 forks (about 3x the JMH time)
#   CLASSES="TrainStepBench InferenceBench" scripts/bench.sh    a subset
#   CLASSES=KernelBench scripts/bench.sh        the fused Vector API kernels vs the ND4J ops, op by op
#   JMH_EXTRA="-p kernels=nd4j,vector" CLASSES="TrainStepBench InferenceBench" scripts/bench.sh
#                                    whole steps with the ND4J ops and with the fused kernels, in one JMH run
#                                    (JMH_EXTRA goes to every class's JMH command line; provenance records it)
#   SKIP_TORCH=1 scripts/bench.sh    JMH only (the ratio columns stay empty)
#   HEAVY_OPTS, LIGHT_OPTS           JMH iteration options of the single-shot / average-time classes
#   WAIT_IDLE (s, default 20), TORCH_RETRIES (default 0), TORCH_STEPS (default 10): passed to the reference
#   LLKD_NATIVE_BUILD=generic|onednn-avx2|onednn-avx512   force an nd4j-native build (default: the fastest the CPU
#                                    supports, scripts/native-build.sh); the JMH forks inherit it, provenance records it
#   scripts/bench.sh --dry-run       first-use check without timing anything: resolves the dependencies (online when
#                                    they were never resolved), builds llkd-bench and what it needs, checks/installs the
#                                    PyTorch reference, lists the JMH benchmarks, prints the commands it would run
# On a fresh clone the first run resolves llkd-bench's dependencies (JMH) from Maven Central and builds llkd-models and
# llkd-selection from source (nothing is taken from ~/.m2 snapshots). The PyTorch reference is Debian's python3-torch
# (1.13.1 in bookworm) with OpenBLAS-openmp: as root the script runs apt-get update + install itself, otherwise it
# prints the exact command. CI does not run this script (it needs a quiet machine).
set -euo pipefail
DRY_RUN=0
case "${1:-}" in
  --dry-run) DRY_RUN=1 ;;
  "") ;;
  *) echo "usage: scripts/bench.sh [--dry-run]   (options are environment variables; see the header)" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# shellcheck source=cpu-env.sh
source scripts/cpu-env.sh
export OMP_NUM_THREADS=2

FORKS=${FORKS:-1}
OUT=${OUT:-results/bench}
PY=/usr/bin/python3
CLASSES=${CLASSES:-"GemmBench AttentionMatmulBench KernelBench TrainStepBench InferenceBench LlkdStepBench SelectorStepBench TeacherImportBench TokenizerBench CheckpointBench PredictRuntimeBench ConcurrentPredictBench"}
HEAVY_OPTS=${HEAVY_OPTS:-"-wi 2 -i 5"}   # single-shot classes: 2 warm-up ops, 5 measured ops per fork
LIGHT_OPTS=${LIGHT_OPTS:-""}            # average-time classes: their annotations (2x1 s warm-up, 3x1 s)
WAIT_IDLE=${WAIT_IDLE:-20}
TORCH_RETRIES=${TORCH_RETRIES:-0}
TORCH_STEPS=${TORCH_STEPS:-10}
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR="$OUT/runs/$RUN_ID"
[ $DRY_RUN = 1 ] && RUN_DIR=$(mktemp -d)   # a dry run leaves nothing under results/
mkdir -p "$RUN_DIR"
FL="$RUN_DIR/foreign-load.jsonl"
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "bench run $RUN_ID -> $RUN_DIR" >&2
echo "settings: OMP_NUM_THREADS=$OMP_NUM_THREADS OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}" \
  "LLKD_NATIVE_BUILD=$LLKD_NATIVE_BUILD" \
  "OPENBLAS_THREAD_TIMEOUT=$OPENBLAS_THREAD_TIMEOUT OMP_WAIT_POLICY=$OMP_WAIT_POLICY FORKS=$FORKS" >&2
echo "load before: $(cat /proc/loadavg)" >&2

# ---- PyTorch reference: Debian packages, else say so clearly -------------------------------------------
TORCH=1
if [ "${SKIP_TORCH:-0}" = 1 ]; then
  TORCH=0
  echo "SKIP_TORCH=1: no PyTorch reference this run" >&2
else
  pkgs="python3-torch python3-numpy libopenblas0-openmp"
  install_cmd="apt-get update && apt-get install -y --no-install-recommends $pkgs"
  if [ -x "$PY" ] && "$PY" -c 'import torch, numpy' 2>/dev/null \
      && dpkg-query -W -f='${Status}\n' libopenblas0-openmp 2>/dev/null | grep -q 'install ok installed'; then
    :
  elif [ $DRY_RUN = 1 ]; then
    TORCH=0
    echo "dry run: the PyTorch reference is missing; a real run would install it (as root) with: $install_cmd" >&2
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "PyTorch reference missing; installing Debian's packages: $install_cmd" >&2
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
           && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >&2; }; then
      TORCH=0
      echo "ERROR: '$install_cmd' failed (see above); the PyTorch reference is NOT run and the ratio columns of" \
        "table.md will be empty." >&2
    fi
  else
    TORCH=0
    echo "ERROR: the PyTorch reference needs Debian/Ubuntu's $pkgs for $PY. Install them with" >&2
    echo "    sudo sh -c '$install_cmd'" >&2
    echo "  (check first with: apt-cache policy python3-torch; Debian 12 serves 1.13.1). Without them the reference" \
      "is NOT run and the ratio columns of table.md stay empty (or set SKIP_TORCH=1 to say so on purpose)." >&2
  fi
fi

torch_round() { # $1 = before|after
  local f="$RUN_DIR/torch-$1.jsonl" tag args
  for spec in "train_s128_b32:--mode train --seq 128 --batch 32" "train_s64_b32:--mode train --seq 64 --batch 32" \
              "infer_s128_b32:--mode infer --seq 128 --batch 32" "infer_s128_b64:--mode infer --seq 128 --batch 64"; do
    tag=${spec%%:*}
    args=${spec#*:}
    # shellcheck disable=SC2086
    $PY llkd-bench/scripts/foreign_load.py "$FL" "torch-$1:$tag" -- \
      $PY scripts/ref/torch_encoder_bench.py $args --steps "$TORCH_STEPS" --threads 2 --pool mean --classes 2 \
        --wait-idle "$WAIT_IDLE" --retries "$TORCH_RETRIES" --retry-wait 60 --tag "$tag" \
      > "$RUN_DIR/torch.out" 2>> "$RUN_DIR/torch.log" \
      || echo "WARNING: torch reference $tag ($1) failed; see $RUN_DIR/torch.log" >&2
    tail -n 1 "$RUN_DIR/torch.out" | grep '^{' >> "$f" || true
  done
  rm -f "$RUN_DIR/torch.out"
}

# ---- build: offline when everything was resolved before, else online once (first use on a fresh clone) ------
# -am builds llkd-models and llkd-selection from this checkout (no ~/.m2 snapshot of them is needed or used).
build=(-q -B -pl llkd-bench -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
if ! mvn -o "${build[@]}" >"$RUN_DIR/build.log" 2>&1; then
  echo "offline build failed (dependencies never resolved?); resolving from Maven Central (first use)" >&2
  mvn "${build[@]}" >&2
fi
CP="llkd-bench/target/classes:llkd-selection/target/classes:llkd-models/target/classes:$(cat llkd-bench/target/classpath.txt)"
# JMH forks get a classpath jar, not a ~10 KB -cp: onnxruntime 1.29.0 crashes on a long command line (PredictRuntimeBench)
JAVA_NATIVE="-Dorg.bytedeco.javacpp.platform.extension=$LLKD_NATIVE_EXT"
# The fused kernels (org.llkd.models.kernels) need the incubating Vector API; the forks inherit it (and the student
# benchmarks name it in their @Fork arguments too). The JVM prints "WARNING: Using incubator modules" once per JVM.
JAVA_VECTOR="--add-modules=jdk.incubator.vector"
JMH_CP_JAR="-Djmh.separateClasspathJAR=true"

if [ $DRY_RUN = 1 ]; then
  echo "dry run: build OK; nd4j-native build $LLKD_NATIVE_BUILD; PyTorch reference $([ $TORCH = 1 ] && echo ready || echo NOT available)" >&2
  java "$JAVA_NATIVE" "$JAVA_VECTOR" -cp "$CP" org.openjdk.jmh.Main -l > "$RUN_DIR/list.txt"
  if ! grep -E "^org\.llkd\.bench\.($(echo $CLASSES | tr ' ' '|'))\." "$RUN_DIR/list.txt" >&2; then
    echo "ERROR: JMH lists none of CLASSES ($CLASSES):" >&2; cat "$RUN_DIR/list.txt" >&2; exit 1
  fi
  for cls in $CLASSES; do
    echo "would run: java $JAVA_NATIVE $JAVA_VECTOR -cp \$CP org.openjdk.jmh.Main '^org\.llkd\.bench\.$cls\.' -f $FORKS ..." >&2
  done
  rm -rf "$RUN_DIR"
  exit 0
fi

[ $TORCH = 1 ] && torch_round before

# ---- JMH, one invocation per class so that each gets its own foreign-load record ----------------------
for cls in $CLASSES; do
  case $cls in
    TrainStepBench|InferenceBench|LlkdStepBench|TeacherImportBench|CheckpointBench) opts=$HEAVY_OPTS ;;
    *) opts=$LIGHT_OPTS ;;
  esac
  echo "== JMH $cls -f $FORKS $opts" >&2
  # shellcheck disable=SC2086
  $PY llkd-bench/scripts/foreign_load.py "$FL" "jmh:$cls" -- \
    java "$JAVA_NATIVE" "$JAVA_VECTOR" "$JMH_CP_JAR" -cp "$CP" org.openjdk.jmh.Main "^org\.llkd\.bench\.$cls\." -f "$FORKS" $opts \
      ${JMH_EXTRA:-} \
      -rf json -rff "$RUN_DIR/jmh-$cls.json" >> "$RUN_DIR/jmh.log" 2>&1 \
    || echo "WARNING: JMH $cls failed (exit $?); see $RUN_DIR/jmh.log" >&2
done

[ $TORCH = 1 ] && torch_round after

# ---- provenance ---------------------------------------------------------------------------------------
ENDED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
RUN_DIR="$RUN_DIR" STARTED="$STARTED" ENDED="$ENDED" FORKS="$FORKS" HEAVY_OPTS="$HEAVY_OPTS" LIGHT_OPTS="$LIGHT_OPTS" \
CLASSES="$CLASSES" JMH_EXTRA="${JMH_EXTRA:-}" TORCH="$TORCH" WAIT_IDLE="$WAIT_IDLE" TORCH_RETRIES="$TORCH_RETRIES" TORCH_STEPS="$TORCH_STEPS" \
$PY - <<'EOF'
import hashlib, json, os, platform, re, subprocess

def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError as e:
        return f"<{e}>"

cpu = {}
for line in sh("lscpu").splitlines():
    k, _, v = line.partition(":")
    if k in ("Model name", "CPU family", "Model", "Stepping", "CPU(s)", "Thread(s) per core", "Hypervisor vendor",
             "L2 cache", "L3 cache", "Vendor ID"):
        cpu[k] = v.strip()
flags = open("/proc/cpuinfo").read()
pom = open("pom.xml").read()
prop = lambda n: (re.search(rf"<{n}>([^<]+)</{n}>", pom) or [None, None])[1]
env = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_THREAD_TIMEOUT",
                                      "OMP_WAIT_POLICY", "MALLOC_ARENA_MAX", "LLKD_NATIVE_BUILD", "LLKD_NATIVE_EXT")}
status = sh("git", "status", "--porcelain")
ref = open("scripts/ref/torch_encoder_bench.py", "rb").read()
prov = {
    "run_id": os.path.basename(os.environ["RUN_DIR"]),
    "start_utc": os.environ["STARTED"], "end_utc": os.environ["ENDED"],
    "git_commit": sh("git", "rev-parse", "HEAD"), "git_dirty": bool(status),
    "host": platform.node(), "kernel": platform.release(),
    "cpu": cpu, "avx512f": " avx512f " in flags.replace("\n", " "),
    "mem_total": sh("sh", "-c", "grep MemTotal /proc/meminfo"),
    "thread_and_blas_settings": env,
    "java": sh("sh", "-c", "java -version 2>&1 | head -1"),
    "maven": sh("sh", "-c", "mvn -v 2>/dev/null | head -1"),
    "nd4j": {"version": prop("nd4j.version"), "backend": prop("nd4j.backend"), "classifier": "linux-x86_64",
             "native_build": os.environ.get("LLKD_NATIVE_BUILD"),
             "openblas": prop("openblas.version")},
    "jmh": {"version": prop("jmh.version"), "forks": int(os.environ["FORKS"]), "heavy_opts": os.environ["HEAVY_OPTS"],
            "light_opts": os.environ["LIGHT_OPTS"], "classes": os.environ["CLASSES"].split(),
            "extra": os.environ.get("JMH_EXTRA", "")},
    "torch_reference": {"run": os.environ["TORCH"] == "1", "script": "scripts/ref/torch_encoder_bench.py",
                        "script_sha256": hashlib.sha256(ref).hexdigest(),
                        "args": "--threads 2 --pool mean --classes 2 --steps " + os.environ["TORCH_STEPS"]
                                + " --wait-idle " + os.environ["WAIT_IDLE"] + " --retries " + os.environ["TORCH_RETRIES"],
                        "packages": sh("sh", "-c", "dpkg-query -W python3-torch libopenblas0-openmp python3-numpy 2>/dev/null")},
    "loadavg_end": open("/proc/loadavg").read().split()[:3],
}
json.dump(prov, open(os.path.join(os.environ["RUN_DIR"], "provenance.json"), "w"), indent=2)
EOF

$PY llkd-bench/scripts/bench_table.py "$RUN_DIR" > "$OUT/table.md"
echo "wrote $OUT/table.md from $RUN_DIR" >&2
