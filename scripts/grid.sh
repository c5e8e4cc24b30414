#!/usr/bin/env bash
# Runs a long experiment grid the way the committed tables are produced (issue 26): from a clean clone of a given
# commit, two runs at a time on one thread each, resumable.
#
#   scripts/grid.sh [--commit REV] [--clone DIR] [--workers N] -- <Experiment> [llkd run options...]
#   e.g. scripts/grid.sh -- MainResultsTable --standard --seeds 3 --dataset emotion --out /work/grid-out/MainResultsTable
#
# Why this layout (docs/performance.md, sitting of 2026-12-07): two standard runs side by side on 1 thread each give
# 26.3 runs/hour against 18.9 for one run on 2 threads (1.39x), and a 1-thread run is bitwise reproducible (same seed,
# same build -> identical steps.csv and metrics), which a 2-thread run is not. The workers are Spark tasks in one JVM
# (--engine spark --master local[N]) with OMP_NUM_THREADS=1, so every ND4J op of a run is single-threaded.
# The clone is made once (git clone, not a worktree: the build stamp must be the clone's own commit) and reused;
# --resume is always passed, so rerunning the same command continues an interrupted grid. Copy finished runs into
# results/<Name>/runs/ of your checkout and rebuild with `./llkd run <Name> --out results/<Name> --collect`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COMMIT=HEAD
CLONE=${GRID_CLONE:-/work/gridc}
WORKERS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --commit) COMMIT=$2; shift 2 ;;
    --clone) CLONE=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: scripts/grid.sh [--commit REV] [--clone DIR] [--workers N] -- <Experiment> [options]" >&2; exit 2 ;;
  esac
done
[ $# -ge 1 ] || { echo "scripts/grid.sh: name the experiment after --" >&2; exit 2; }
REV=$(git -C "$ROOT" rev-parse "$COMMIT")
if [ ! -d "$CLONE/.git" ]; then
  git clone -q "$ROOT" "$CLONE"
fi
git -C "$CLONE" fetch -q "$ROOT" "$REV" 2>/dev/null || git -C "$CLONE" fetch -q "$ROOT"
git -C "$CLONE" checkout -q "$REV"
if [ -n "$(git -C "$CLONE" status --porcelain --untracked-files=no)" ]; then
  echo "scripts/grid.sh: $CLONE has modified tracked files; grids run from a clean tree" >&2; exit 2
fi
echo "[grid] $(date -u +%FT%TZ) commit $REV in $CLONE, $WORKERS workers x 1 thread: $*" >&2
cd "$CLONE"
export OMP_NUM_THREADS=1
# Spark local mode stays on the loopback address (it would otherwise bind the host name's interface address).
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# Resident-memory limit of the one JVM that runs all workers (docs/memory.md): ~5 GiB per concurrent standard run.
export LLKD_MAX_RSS=${LLKD_MAX_RSS:-$((WORKERS * 5 + 2))G}
export LLKD_XMX=${LLKD_XMX:-4g}
exec ./llkd run "$@" --resume --engine spark --master "local[$WORKERS]"
