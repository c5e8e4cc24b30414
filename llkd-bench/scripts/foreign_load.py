#!/usr/bin/env python3
"""Runs a command and records how much CPU *other* processes used meanwhile (foreign load).

    foreign_load.py RECORD.json LABEL -- command args...

Foreign cores = (busy CPU seconds from /proc/stat - CPU seconds of the command and all its descendants) / wall
seconds, the same definition as the PyTorch reference's ForeignLoad (torch_encoder_bench.py). Descendants count
once they are reaped, which JMH does for its forks. Appends one JSON object per run to RECORD.json (JSON lines)
and exits with the command's status.
"""
import json
import os
import resource
import subprocess
import sys
import time


def busy_seconds():
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return (sum(vals[:8]) - idle) / hz


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit("usage: foreign_load.py RECORD.json LABEL -- command args...")
    record, label, cmd = sys.argv[1], sys.argv[2], sys.argv[4:]
    load0 = os.getloadavg()
    b0, c0, t0 = busy_seconds(), children_cpu(), time.time()
    rc = subprocess.call(cmd)
    b1, c1, t1 = busy_seconds(), children_cpu(), time.time()
    wall = max(t1 - t0, 1e-9)
    own = c1 - c0
    rec = {
        "label": label,
        "start_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0)),
        "end_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t1)),
        "wall_s": round(wall, 2),
        "own_cpu_cores": round(own / wall, 3),
        "foreign_cpu_cores": round(max(0.0, (b1 - b0) - own) / wall, 3),
        "loadavg_before": load0,
        "loadavg_after": os.getloadavg(),
        "exit_status": rc,
        "command": cmd,
    }
    with open(record, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"[foreign_load] {label}: wall {wall:.0f}s, own {rec['own_cpu_cores']:.2f} cores, "
          f"foreign {rec['foreign_cpu_cores']:.2f} cores", file=sys.stderr)
    sys.exit(rc)


if __name__ == "__main__":
    main()
