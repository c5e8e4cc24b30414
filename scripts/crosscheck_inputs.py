#!/usr/bin/env python3
"""Inputs of the CrossCheck experiment from the independent PyTorch reference (ref/crosscheck-emotion/).

Writes
  ref/crosscheck-emotion/train_rows_s{1,2,3}.txt   the reference's 4,000 train rows per seed, one 0-based row of
                                                   data/emotion/train.tsv per line, ascending:
                                                   numpy.random.RandomState(1000 + seed).choice(16000, 4000, replace=False)
  teachers/emotion/crosscheck-bge.jsonl            the reference's teacher ({train,dev,test}_probs.npy) in the
                                                   project's JSONL format (ids <split>-<row>, label names from
                                                   data/emotion/labels.txt), a third Emotion teacher (--teacher crosscheck-bge)

Deterministic: rerunning rewrites byte-identical files. Needs numpy only.
"""
import hashlib
import json
import os

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REF = os.path.join(REPO, "ref", "crosscheck-emotion")
SEEDS = (1, 2, 3)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    labels = [l.strip() for l in open(os.path.join(REPO, "data", "emotion", "labels.txt"), encoding="utf-8") if l.strip()]
    n_train = sum(1 for _ in open(os.path.join(REPO, "data", "emotion", "train.tsv"), encoding="utf-8")) - 1
    assert n_train == 16000, n_train
    for seed in SEEDS:
        rows = np.random.RandomState(1000 + seed).choice(16000, 4000, replace=False)
        with open(os.path.join(REF, "train_rows_s%d.txt" % seed), "w", encoding="utf-8") as f:
            f.write("".join("%d\n" % r for r in sorted(rows.tolist())))
    out = os.path.join(REPO, "teachers", "emotion", "crosscheck-bge.jsonl")
    meta = {"_meta": {
        "teacher": "crosscheck-bge", "dataset": "emotion", "splits": ["train", "dev", "test"], "label_names": labels,
        "model": "BAAI/bge-small-en-v1.5 zero-shot (the independent PyTorch cross-check's teacher)",
        "recipe": "ONNX model and tokenizer from the langchain4j jar, max length 128, CLS pooling, L2 norm; class "
                  "description 'This text expresses <label>.' with the bge query instruction; "
                  "p = softmax(cos / 0.05)",
        "source": {s: "ref/crosscheck-emotion/%s_probs.npy sha256:%s" % (s, sha256(os.path.join(REF, s + "_probs.npy")))
                   for s in ("train", "dev", "test")},
        "written_by": "scripts/crosscheck_inputs.py",
        "note": "not teachers/emotion/zeroshot-bge.jsonl (other descriptions, no query instruction, T = 0.02)"}}
    with open(out, "w", encoding="utf-8") as f:
        f.write(json.dumps(meta, separators=(",", ":")) + "\n")
        for split in ("train", "dev", "test"):
            p = np.load(os.path.join(REF, split + "_probs.npy"))
            assert p.dtype == np.float32 and p.shape[1] == len(labels), (split, p.dtype, p.shape)
            for i, row in enumerate(p):
                f.write('{"id":"%s-%d","probs":[%s],"label_names":%s}\n' % (
                    split, i, ",".join("%.9g" % float(v) for v in row), json.dumps(labels, separators=(",", ":"))))
    print("wrote", out, "and", ", ".join("train_rows_s%d.txt" % s for s in SEEDS))


if __name__ == "__main__":
    main()
