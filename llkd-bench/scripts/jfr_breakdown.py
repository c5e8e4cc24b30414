#!/usr/bin/env python3
"""Where does a benchmark op spend its time? Aggregates JFR stack samples of the JMH worker thread.

    java ... org.openjdk.jmh.Main TrainStepBench -p seqLen=128 -f 1 -wi 1 -i 3 \
        -jvmArgsAppend "-XX:StartFlightRecording=filename=/tmp/train.jfr,settings=profile"
    jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample /tmp/train.jfr > /tmp/train.json
    jfr_breakdown.py /tmp/train.json [TOP]

ND4J ops and BLAS calls run in native code while the calling Java thread waits in the JNI method, so
jdk.NativeMethodSample (every 20 ms with settings=profile) attributes wall time to the Java line that
issued the op; jdk.ExecutionSample covers Java code. Each sample is keyed by the innermost org.llkd frame
(class.method:line) and, for the shared helpers (Linear, LayerNorm, Dropout), also by its caller.
Samples under @Setup/@TearDown (model init, buffer reservation) are excluded. Prints a table: share of samples per key, and per block (SelfAttention fwd/bwd, FeedForward fwd/bwd ...).
"""
import collections
import json
import sys

HELPERS = {"Linear", "LayerNorm", "Dropout", "Arena"}


def frames_of(ev):
    st = ev["values"].get("stackTrace") or {}
    return st.get("frames") or []


def cls_name(fr):
    t = fr["method"]["type"]
    n = t.get("name") if isinstance(t, dict) else str(t)
    return n.replace("/", ".")


def main():
    data = json.load(open(sys.argv[1]))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    events = data["recording"]["events"]
    by_line = collections.Counter()
    by_block = collections.Counter()
    total = 0
    setup = 0
    for ev in events:
        th = ev["values"].get("sampledThread") or {}
        name = th.get("javaName") or th.get("osName") or ""
        if "jmh-worker" not in name:
            continue
        if any(f["method"]["name"] in ("setUp", "tearDown") for f in frames_of(ev)):
            setup += 1  # @Setup / @TearDown of the trial, not the op
            continue
        total += 1
        llkd = [f for f in frames_of(ev) if cls_name(f).startswith("org.llkd.models.")]
        if not llkd:
            outer = next((cls_name(f) + "." + f["method"]["name"] for f in frames_of(ev)
                          if cls_name(f).startswith("org.llkd.")), "(outside llkd)")
            by_line[outer] += 1
            by_block[outer] += 1
            continue
        inner = llkd[0]
        c = cls_name(inner).rsplit(".", 1)[-1]
        key = f"{c}.{inner['method']['name']}:{inner.get('lineNumber')}"
        if c in HELPERS and len(llkd) > 1:
            caller = llkd[1]
            key += f" <- {cls_name(caller).rsplit('.', 1)[-1]}.{caller['method']['name']}:{caller.get('lineNumber')}"
        by_line[key] += 1
        block = next((f for f in llkd if cls_name(f).rsplit(".", 1)[-1] not in HELPERS), inner)
        by_block[f"{cls_name(block).rsplit('.', 1)[-1]}.{block['method']['name']}"] += 1
    print(f"{total} samples of the JMH worker thread inside benchmark ops ({setup} more in @Setup/@TearDown, excluded)\n")
    print("| block | share |\n|---|---|")
    for k, n in by_block.most_common():
        print(f"| {k} | {100 * n / total:.1f}% |")
    print(f"\n| innermost llkd frame (<- caller) | share |\n|---|---|")
    for k, n in by_line.most_common(top):
        print(f"| {k} | {100 * n / total:.1f}% |")


if __name__ == "__main__":
    main()
