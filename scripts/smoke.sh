#!/usr/bin/env bash
# Launcher smoke test: the commands exactly as a user types them, through ./llkd, on tiny inputs (issue 25 item 2).
# Any crash, wrong exit code or missing output fails with the command and its last lines. .ci/run runs it after
# `mvn test`; run it yourself with `scripts/smoke.sh` (about 3-5 minutes on 2 cores; it builds ./llkd on first use).
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
}
serve_check serve-nd4j 18180
serve_check serve-onnx 18181 --runtime onnx --onnx "$T/out/onnx"

echo "smoke: $PASSED passed, $FAILED failed"
if [ "$FAILED" -gt 0 ]; then
  echo "[smoke] outputs kept in $T" >&2
  exit 1
fi
[ -z "${SMOKE_DIR:-}" ] && rm -rf "$T"
exit 0
