#!/usr/bin/env bash
while pgrep -f /work/sitting.sh >/dev/null; do sleep 0.5; done
touch /work/QUIET
cd /work/sit; S=/work/sit-out
echo "[$(date -u +%H:%M:%S)] e2e java 2 threads again, LLKD_MAX_RSS=14G" >> $S/sitting.log
LLKD_MAX_RSS=14G /usr/bin/time -v ./llkd run GoldFinetuneEvidence --standard --seeds 1 --out $S/java2t-b > $S/java2t-b.log 2>&1
echo "[$(date -u +%H:%M:%S)] rc=$? end load $(cat /proc/loadavg)" >> $S/sitting.log
rm -f /work/QUIET
