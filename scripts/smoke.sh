#!/usr/bin/env bash
# Launcher smoke test: the commands exactly as a user types them, through ./llkd, on tiny inputs (issue 25 item 2).
# Any crash, wrong exit code or missing output fails with the command and its last lines. .ci/run runs it after
# `mvn test`; run it yourself with `scripts/smoke.sh` (about 4-6 minutes on 2 cores; it builds ./llkd on first use).
#   SMOKE_DIR=/tmp/x scripts/smoke.sh    keep the outputs there (default: a temporary directory, removed on success)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
T=${SMOKE_DIR:-$(mktemp -d -t llkd-smoke.XXXXXX)}
mkdir -p "$T"
PASSED=0
FAILED=0
export LLKD_XMX=${LLKD_XMX:-2g}

# check NAME EXPECTED_EXIT -- COMMAND...: runs COMMAND, logs to $T/NAME.log, checks its exit code.
check() {
  local name=$1 want=$2; shift 3
  local t0=$SECONDS
  "$@" > "$T/$name.log" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "[smoke] FAIL $name: exit $rc, expected $want: $*" >&2
    tail -n 25 "$T/$name.log" | sed 's/^/    /' >&2
    FAILED=$((FAILED + 1))
    return 1
  fi
  echo "[smoke] ok   $name (exit $rc, $((SECONDS - t0)) s)"
  PASSED=$((PASSED + 1))
}

# expect NAME CONDITION-COMMAND...: a check on the outputs (no command of its own).
expect() {
  local name=$1; shift
  if "$@" > "$T/$name.log" 2>&1; then
    echo "[smoke] ok   $name"; PASSED=$((PASSED + 1))
  else
    echo "[smoke] FAIL $name: $*" >&2; tail -n 25 "$T/$name.log" | sed 's/^/    /' >&2; FAILED=$((FAILED + 1))
  fi
}

DATA=data/pubmed_rct_sample
# A user's files: the shipped sample's train rows (gold labels dropped from training by the teacher's supervision),
# its teacher's train rows only, and a few new texts.
cp "$DATA/train.tsv" "$T/train.tsv"
cp "$DATA/test.tsv" "$T/test.tsv"
grep -v '"id":"dev-' teachers/pubmed_rct_sample/zeroshot-bge.jsonl > "$T/teacher.jsonl"
{ printf 'text\n'; sed -n '2,41p' "$DATA/dev.tsv" | cut -f2; } > "$T/new.tsv"

check help 0 -- ./llkd --help
for c in run train predict evaluate "export onnx" serve teacher "teacher export" "teacher check" "teacher label" \
  "teacher plan" report sweep; do
  # shellcheck disable=SC2086
  check "help-${c// /-}" 0 -- ./llkd $c --help
done

# 1. a 3-method tiny grid: exit 0, three ok rows
check run-tiny 0 -- ./llkd run MainResultsTable --tiny --seeds 1 --dataset pubmed_rct_sample \
  --methods llkd,all,gold --out "$T/run"
expect run-tiny-rows python3 - "$T/run/raw.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["status"] for r in rows] == ["ok"] * 3, [(r.get("run_id"), r["status"]) for r in rows]
assert sorted(r["method"] for r in rows) == ["all", "gold", "llkd"], rows
EOF
# ... and a grid whose runs fail exits 1, its last line naming FAILED.txt
LLKD_MAX_RSS=1K check run-fails 1 -- ./llkd run MainResultsTable --tiny --seeds 1 --dataset pubmed_rct_sample \
  --methods llkd,all --out "$T/run-fail"
expect run-fails-last-line sh -c "tail -n 1 '$T/run-fails.log' | grep -q '^FAILED: 2 of 2 runs failed; see .*FAILED.txt'"

# 2. a stand-in teacher through onnxruntime (crashed with SIGSEGV before OrtRuntime and the @argfile)
check teacher-export 0 -- ./llkd teacher export --dataset pubmed_rct_sample --teacher zeroshot-bge --split dev \
  --out "$T/teacher-dev.jsonl"
expect teacher-export-rows sh -c "[ \$(grep -c '\"id\"' '$T/teacher-dev.jsonl') -eq 100 ]"

# 3. own data: check -> train -> predict (nd4j, onnx) -> evaluate -> export
check teacher-check 0 -- ./llkd teacher check "$T/teacher.jsonl" --train "$T/train.tsv"
check train 0 -- ./llkd train --train "$T/train.tsv" --teacher "$T/teacher.jsonl" --test "$T/test.tsv" \
  --tier quick --epochs 1 --out "$T/out"
expect train-outputs test -f "$T/out/model/model.json" -a -f "$T/out/model/weights.bin" -a -f "$T/out/metrics.json"
check export-onnx 0 -- ./llkd export onnx --model "$T/out/model" --out "$T/out/onnx"
check predict-nd4j 0 -- ./llkd predict --model "$T/out/model" --input "$T/new.tsv" --output "$T/pred-nd4j.jsonl"
check predict-onnx 0 -- ./llkd predict --model "$T/out/model" --input "$T/new.tsv" --runtime onnx \
  --onnx "$T/out/onnx" --output "$T/pred-onnx.jsonl"
expect predict-agree python3 - "$T/pred-nd4j.jsonl" "$T/pred-onnx.jsonl" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert len(a) == len(b) == 40, (len(a), len(b))
def probs(r):
    return r["probabilities"] if "probabilities" in r else {k: v for k, v in r.items() if isinstance(v, float)}
worst = 0.0
for x, y in zip(a, b):
    px, py = probs(x), probs(y)
    assert px.keys() == py.keys(), (px, py)
    worst = max(worst, max(abs(px[k] - py[k]) for k in px))
print("max |nd4j - onnx| =", worst)
assert worst <= 1e-4, worst
EOF
check evaluate 0 -- ./llkd evaluate --model "$T/out/model" --test "$T/test.tsv" --out "$T/eval"
expect evaluate-outputs test -f "$T/eval/metrics.json" -a -f "$T/eval/confusion.png"

# 3b. ids: a train file with an id column, shuffled, and a teacher keyed by it: the same agreement as the train-<row>
# teacher on the original file, with --id-column id or without it (a column named id is the id column); then a
# capped train on the shuffled file (--max-steps, --max-train-rows)
python3 - "$T" <<'EOF'
import csv, json, random, sys
t = sys.argv[1]
rows = list(csv.DictReader(open(t + "/train.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
ided = [{"id": "r%d" % (7 * i), "text": r["text"], "label": r["label"]} for i, r in enumerate(rows)]
for name, order in (("train-id.csv", ided), ("train-id-shuffled.csv", random.Random(5).sample(ided, len(ided)))):
    with open(t + "/" + name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "text", "label"]); w.writeheader(); w.writerows(order)
with open(t + "/teacher-id.jsonl", "w", encoding="utf-8") as f:
    for line in open(t + "/teacher.jsonl", encoding="utf-8"):
        o = json.loads(line)
        if "id" in o: o["id"] = "r%d" % (7 * int(o["id"][len("train-"):]))
        f.write(json.dumps(o) + "\n")
EOF
check teacher-check-id 0 -- ./llkd teacher check "$T/teacher-id.jsonl" --train "$T/train-id.csv" --id-column id
check teacher-check-id-shuffled 0 -- ./llkd teacher check "$T/teacher-id.jsonl" --train "$T/train-id-shuffled.csv" \
  --id-column id
check teacher-check-id-auto 0 -- ./llkd teacher check "$T/teacher-id.jsonl" --train "$T/train-id-shuffled.csv"
expect teacher-check-id-agree python3 - "$T" <<'EOF'
import sys
def agreement(name):
    return [l for l in open(sys.argv[1] + "/" + name + ".log") if "agreement with gold" in l]
a = agreement("teacher-check")
assert len(a) == 1, a
for n in ("teacher-check-id", "teacher-check-id-shuffled", "teacher-check-id-auto"):
    assert agreement(n) == a, (n, agreement(n), a)
assert "column 'id' (a column named 'id' is the id column" in open(sys.argv[1] + "/teacher-check-id-auto.log").read()
print(a[0].strip())
EOF
check train-id-capped 0 -- ./llkd train --train "$T/train-id-shuffled.csv" --id-column id --teacher "$T/teacher-id.jsonl" \
  --tier tiny --max-steps 6 --max-train-rows 100 --out "$T/out-id"
expect train-id-capped-summary grep -q '100 train rows, 6 steps' "$T/train-id-capped.log"

# 3c. from another directory with relative names (./llkd runs java in the caller's directory); the input holds
# quoted empty texts ("" and "   ": rows, not blank lines)
printf 'text\r\nfirst\r\n""\r\n"   "\r\nfifth\r\n' > "$T/quoted.csv"
check teacher-check-elsewhere 0 -- sh -c "cd '$T' && '$ROOT/llkd' teacher check teacher.jsonl --train train.tsv"
check predict-elsewhere 0 -- sh -c "cd '$T' && '$ROOT/llkd' predict --model out/model --input quoted.csv --output pred-quoted.jsonl"
expect predict-quoted-rows python3 - "$T/pred-quoted.jsonl" <<'EOF'
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1]) if l.strip()]
assert ids == ["0", "1", "2", "3"], ids
EOF

# 3d. kill -9 mid-run, then --resume from its checkpoint (--checkpoint-minutes 0: one at every epoch end)
./llkd train --train "$T/train.tsv" --teacher "$T/teacher.jsonl" --tier tiny --epochs 6 --checkpoint-minutes 0 \
  --out "$T/out-killed" > "$T/train-killed.log" 2>&1 &
killed_pid=$!
for _ in $(seq 1 600); do
  [ -f "$T/.out-killed.partial/run/checkpoint.zip" ] && break
  kill -0 "$killed_pid" 2>/dev/null || break
  sleep 0.2
done
kill -9 "$killed_pid" 2>/dev/null
wait "$killed_pid" 2>/dev/null
expect train-killed-partial test -f "$T/.out-killed.partial/run/checkpoint.zip" -a ! -e "$T/out-killed"
check train-resume 0 -- ./llkd train --train "$T/train.tsv" --teacher "$T/teacher.jsonl" --tier tiny --epochs 6 \
  --checkpoint-minutes 0 --out "$T/out-killed" --resume
expect train-resume-summary grep -q '(resumed)' "$T/train-resume.log"

# 4. report and a tiny sweep
check report 0 -- ./llkd report --results "$T" --out "$T/report.html"
check sweep 0 -- ./llkd sweep sweeps/fig5_pubmed_rct_sample_tiny.json --out "$T/sweep"
expect sweep-outputs test -f "$T/sweep/table.md" -a -f "$T/sweep/raw.csv"

# 5. serve: start, wait for /health, predict a list, a malformed request gets 400, /metrics counts the request,
# SIGTERM drains and exits; for both runtimes.
serve_check() { # NAME PORT [extra serve options...]
  local name=$1 port=$2; shift 2
  ./llkd serve --model "$T/out/model" --port "$port" "$@" > "$T/$name-server.log" 2>&1 &
  local pid=$!
  expect "$name" python3 - "$port" <<'EOF'
import json, sys, time, urllib.error, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
for _ in range(180):
    try:
        if urllib.request.urlopen(base + "/health", timeout=2).status == 200:
            break
    except Exception:
        time.sleep(1)
else:
    raise SystemExit("serve did not answer /health within 180 s")
req = urllib.request.Request(base + "/v1/predict", data=json.dumps({"texts": ["The trial was randomised .", ""]}).encode(),
                             headers={"Content-Type": "application/json"})
preds = json.load(urllib.request.urlopen(req, timeout=60))["predictions"]
assert len(preds) == 2 and all(abs(sum(p["probabilities"].values()) - 1) < 1e-4 for p in preds), preds
try:
    urllib.request.urlopen(urllib.request.Request(base + "/v1/predict", data=b'{"text": '), timeout=30)
    raise SystemExit("malformed JSON was accepted")
except urllib.error.HTTPError as e:
    assert e.code == 400, e.code
metrics = urllib.request.urlopen(base + "/metrics", timeout=30).read().decode()
assert 'llkd_requests_total{endpoint="predict",status="200"} 1.0' in metrics, metrics[:2000]
print("serve ok", preds[0]["label"])
EOF
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  expect "$name-sigterm" test "$rc" -eq 143 -o "$rc" -eq 0
  expect "$name-stop-log" sh -c "grep -q 'draining: 0 requests in flight' '$T/$name-server.log' \
    && grep -q 'stopped after .* s, [0-9]* requests served' '$T/$name-server.log'"
}
serve_check serve-nd4j 18180
serve_check serve-onnx 18181 --runtime onnx --onnx "$T/out/onnx"

# ... and its limits: an oversized body or too many texts get 413; a full queue 503 (queue 1: a text waits up to 3 s
# for others to share its batch, so a second text meanwhile finds the queue full)
./llkd serve --model "$T/out/model" --port 18182 --queue 1 --max-texts 1 --max-wait-ms 3000 --max-body-bytes 4096 \
  > "$T/serve-limits-server.log" 2>&1 &
limits_pid=$!
expect serve-limits python3 - 18182 <<'EOF'
import json, sys, threading, time, urllib.error, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
for _ in range(180):
    try:
        if urllib.request.urlopen(base + "/health", timeout=2).status == 200:
            break
    except Exception:
        time.sleep(1)
else:
    raise SystemExit("serve did not answer /health within 180 s")
def post(body):
    try:
        return urllib.request.urlopen(urllib.request.Request(base + "/v1/predict", data=body), timeout=60).status
    except urllib.error.HTTPError as e:
        return e.code
assert post(json.dumps({"text": "x" * 5000}).encode()) == 413
assert post(json.dumps({"texts": ["one", "two"]}).encode()) == 413
first = []
t = threading.Thread(target=lambda: first.append(post(b'{"text": "waits for its batch"}')))
t.start()
time.sleep(1)
assert post(b'{"text": "finds the queue full"}') == 503
t.join()
assert first == [200], first
print("413 and 503 ok")
EOF
kill -TERM "$limits_pid" 2>/dev/null
wait "$limits_pid" 2>/dev/null

# 6. a finished tiny grid, resumed with --keep-models: every run keeps its model
check run-keep-models 0 -- ./llkd run MainResultsTable --tiny --seeds 1 --dataset pubmed_rct_sample \
  --methods llkd,all,gold --out "$T/run" --resume --keep-models
expect run-keep-models-dirs sh -c "[ \$(ls '$T'/run/runs/*/model/model.json | wc -l) -eq 3 ]"

echo "smoke: $PASSED passed, $FAILED failed"
if [ "$FAILED" -gt 0 ]; then
  echo "[smoke] outputs kept in $T" >&2
  exit 1
fi
[ -z "${SMOKE_DIR:-}" ] && rm -rf "$T"
exit 0
