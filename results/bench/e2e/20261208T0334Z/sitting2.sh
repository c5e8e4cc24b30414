#!/usr/bin/env bash
# Part 2 of the session-7 sitting: the PyTorch end-to-end runs under the same environment as the Java side and as
# bench.sh's torch lines (scripts/cpu-env.sh: OPENBLAS_CORETYPE, thread settings), then the kernel A/B in JMH.
set -uo pipefail
cd /work/sit7
S=/work/sit7-out
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a $S/sitting.log; }
source scripts/cpu-env.sh; export OMP_NUM_THREADS=2
log "part 2: torch with cpu-env (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}) load $(cat /proc/loadavg)"
log "torch dense"; /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --threads 2 --out $S/torch-e2e.jsonl > $S/torch-dense.log 2>&1; log "rc=$?"
log "torch sparse"; /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --threads 2 --sparse-embeddings --out $S/torch-e2e.jsonl > $S/torch-sparse.log 2>&1; log "rc=$?"
log "JMH kernels A/B"
JMH_EXTRA="-p kernels=nd4j,vector" CLASSES="TrainStepBench InferenceBench" SKIP_TORCH=1 scripts/bench.sh > $S/bench-ab.out 2>&1; log "rc=$?"
log "end load $(cat /proc/loadavg)"
