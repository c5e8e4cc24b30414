#!/usr/bin/env python3
"""Summary of scripts/native-builds.sh: per-run figures and per-build medians (issue 25 item 6).

Reads OUT/r<round>-<build>/**/provenance.json (the run's own timings and resident-size samples), OUT/r<round>-<build>
.time-v.txt (GNU time's maximum resident size of the whole launcher process) and the run's metrics; prints Markdown.
"""
import glob
import json
import os
import re
import statistics
import sys


def run_provenance(d):
    for p in sorted(glob.glob(os.path.join(d, "**", "provenance.json"), recursive=True)):
        with open(p) as f:
            prov = json.load(f)
        if "timeSeconds" in prov:
            return prov
    return None


def max_rss_gib(path):
    try:
        with open(path) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
        return int(m.group(1)) / 2**20 if m else float("nan")
    except OSError:
        return float("nan")


def main(out):
    rows = []
    for d in sorted(glob.glob(os.path.join(out, "r*-*"))):
        if not os.path.isdir(d):
            continue
        m = re.match(r"r(\d+)-(.+)$", os.path.basename(d))
        prov = run_provenance(d)
        if prov is None:
            rows.append((int(m.group(1)), m.group(2), None))
            continue
        t = prov["timeSeconds"]
        steps = prov["metrics"].get("steps") if isinstance(prov.get("metrics"), dict) else None
        mem = prov.get("nativeMemory", {})
        rows.append((int(m.group(1)), m.group(2), {
            "loop": t["trainingLoop"], "total": t["total"], "outside": t["outsideLoop"],
            "steps": steps,
            "peak": mem.get("peakResidentBytes", float("nan")) / 2**30,
            "maxrss": max_rss_gib(d + ".time-v.txt"),
            "acc": prov["metrics"].get("test_accuracy"), "f1": prov["metrics"].get("test_macro_f1"),
            "build": prov.get("nd4j", {}).get("build", prov.get("nd4j", {}).get("nativeBuild", "?")),
        }))
    print("| round | build | training loop s | s/step | whole run s | outside loop s | peak resident (run) GiB "
          "| max RSS (time -v) GiB | test acc / macro-F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r, b, x in sorted(rows, key=lambda z: z[0]):
        if x is None:
            print(f"| {r} | {b} | failed | | | | | | |")
            continue
        sps = x["loop"] / x["steps"] if x["steps"] else float("nan")
        print(f"| {r} | {b} | {x['loop']:.1f} | {sps:.3f} | {x['total']:.1f} | {x['outside']:.1f} | {x['peak']:.2f} "
              f"| {x['maxrss']:.2f} | {x['acc']:.4f} / {x['f1']:.4f} |")
    print()
    print("Per build, median (min–max) over rounds:")
    print()
    print("| build | runs | training loop s | whole run s | peak resident GiB | max RSS GiB | test metrics identical |")
    print("|---|---|---|---|---|---|---|")
    for b in dict.fromkeys(b for _, b, _ in rows):
        xs = [x for _, bb, x in rows if bb == b and x is not None]
        if not xs:
            print(f"| {b} | 0 | | | | | |")
            continue
        def med(k):
            v = [x[k] for x in xs]
            return f"{statistics.median(v):.1f} ({min(v):.1f}–{max(v):.1f})"
        def medg(k):
            v = [x[k] for x in xs]
            return f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})"
        same = len({(x["acc"], x["f1"]) for x in xs}) == 1
        print(f"| {b} | {len(xs)} | {med('loop')} | {med('total')} | {medg('peak')} | {medg('maxrss')} "
              f"| {'yes' if same else 'no'}: {xs[0]['acc']:.4f} / {xs[0]['f1']:.4f} |")


if __name__ == "__main__":
    main(sys.argv[1])
