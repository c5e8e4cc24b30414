#!/usr/bin/env bash
# Session 7 quiet sitting (issue 25 items 8/9 after the fused kernels): JMH vs torch, end-to-end standard run Java
# (vector kernels and nd4j ops) vs torch_e2e_standard.py (dense, sparse). Run from a clean clone /work/sit7.
set -uo pipefail
cd /work/sit7
S=/work/sit7-out; mkdir -p $S
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a $S/sitting.log; }
log "start $(git rev-parse HEAD) load $(cat /proc/loadavg)"
./llkd --help >/dev/null 2>&1   # build first
log "bench.sh"
scripts/bench.sh > $S/bench.out 2>&1; log "bench.sh rc=$?"
log "e2e java 2 threads, vector kernels"
/usr/bin/time -v ./llkd run GoldFinetuneEvidence --standard --seeds 1 --out $S/java2t-vector > $S/java2t-vector.log 2>&1; log "rc=$?"
log "e2e java 2 threads, nd4j ops"
LLKD_JAVA_OPTS=-Dllkd.kernels=nd4j /usr/bin/time -v ./llkd run GoldFinetuneEvidence --standard --seeds 1 --out $S/java2t-nd4j > $S/java2t-nd4j.log 2>&1; log "rc=$?"
log "torch dense"; /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --out $S/torch-e2e.jsonl > $S/torch-dense.log 2>&1; log "rc=$?"
log "torch sparse"; /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --sparse-embeddings --out $S/torch-e2e.jsonl > $S/torch-sparse.log 2>&1; log "rc=$?"
log "end load $(cat /proc/loadavg)"
