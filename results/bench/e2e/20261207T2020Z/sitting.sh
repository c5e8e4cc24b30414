#!/usr/bin/env bash
# The quiet sitting of issue 25 item 8 (+ items 6 and the runs/hour comparison), from the clean clone /work/sit.
set -uo pipefail
cd /work/sit
S=/work/sit-out; mkdir -p $S
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a $S/sitting.log; }
log "start $(git rev-parse HEAD) load $(cat /proc/loadavg)"
apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq python3-torch python3-onnx >/dev/null 2>&1; log "torch: $(python3 -c 'import torch;print(torch.__version__)' 2>&1 | tail -1)"
./llkd --help >/dev/null 2>&1   # build first
log "bench.sh"
scripts/bench.sh > $S/bench.out 2>&1; log "bench.sh rc=$?"
log "e2e java 2 threads"
/usr/bin/time -v ./llkd run GoldFinetuneEvidence --standard --seeds 1 --out $S/java2t > $S/java2t.log 2>&1; log "java2t rc=$?"
log "torch dense"; /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --out $S/torch-e2e.jsonl > $S/torch-dense.log 2>&1; log "rc=$?"
log "torch sparse"; /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --sparse-embeddings --out $S/torch-e2e.jsonl > $S/torch-sparse.log 2>&1; log "rc=$?"
log "two 1-thread java runs side by side"
( OMP_NUM_THREADS=1 /usr/bin/time -v ./llkd run GoldFinetuneEvidence --standard --seeds 1 --out $S/java1t-a > $S/java1t-a.log 2>&1 ) &
( OMP_NUM_THREADS=1 /usr/bin/time -v ./llkd run GoldFinetuneEvidence --standard --seeds 1 --out $S/java1t-b > $S/java1t-b.log 2>&1 ) &
wait; log "1t pair done"
for b in generic onednn-avx2 onednn-avx512; do
  log "quick $b"; LLKD_NATIVE_BUILD=$b /usr/bin/time -v ./llkd run GoldFinetuneEvidence --quick --seeds 1 --out $S/quick-$b > $S/quick-$b.log 2>&1; log "rc=$?"
done
log "end load $(cat /proc/loadavg)"
rm -f /work/QUIET
