#!/usr/bin/env python3
"""llm_teacher.py - label a dataset split with your own HuggingFace causal LM and write LLKD-J's teacher file.

    *** This script CANNOT run inside the LLKD-J project environment: there are no model weights, no PyPI
    *** access and no network there. Run it on a machine with a GPU (or a patient CPU), Python >= 3.9,
    *** `pip install torch transformers accelerate`, and access to the model (gated models such as LLaMA or
    *** Gemma need `huggingface-cli login` and an accepted license). Copy the .jsonl it writes back into the
    *** project and import it with org.llkd.selection.teacher.TeacherOutputReader.

What it does
------------
For every row of a split file in the shared dataset format (UTF-8 TSV, header `label<TAB>text`, one
`<label><TAB><text>` per line; the gold label is NOT shown to the model) it builds a classification prompt,
runs the model once, and scores every class name as the continuation of the prompt. It writes the canonical
JSONL teacher format of docs/teacher-formats.md:

    {"_meta": {"model": "...", "prompt_template": "...", "date": "...", ...}}
    {"id": "train-0", "logits": [14.25, 11.0625, 9.5], "label_names": ["sadness", "joy", "love"]}
    ...

The id is "<split>-<rowIndex>" with the 0-based row index within the split's TSV (header excluded), so
that LLKD-J aligns the rows to its dataset. The scores go to "logits": LLKD-J turns them into teacher
probabilities with softmax(logits / T) (TeacherOutputReader.Options.withTemperature, default T = 1).

Scoring modes (--scoring)
-------------------------
first_token (default, one forward pass per text):
    logits[c] = the model's next-token logit, after the prompt, of the FIRST token of
    `label_prefix + label_name[c]`.
    Caveats: (1) only the first token is scored, so two labels that share a first token ("Society & Culture"
    / "Science & Mathematics" may both start with " S") cannot be told apart - the script refuses to run
    then; (2) a multi-token label is judged by its start only ("sur" of "surprise"); (3) the token depends on
    the prefix: after "Category:" the answer usually starts with a space, hence --label-prefix " " (use ""
    with --chat, where the assistant turn starts fresh); (4) the model may prefer an answer that is no
    label at all ("The", "I"), which this restricted softmax hides - look at _meta.mean_label_mass, the
    average probability mass the label tokens got in the full-vocabulary softmax.
sequence (C forward passes' worth of work per text, batched):
    logits[c] = log P(label tokens | prompt) = the sum over the label's tokens of their log-probabilities
    (with --length-normalize: the mean, which favours long labels less). Exact for multi-token labels.
    The values are log-likelihoods (<= 0); softmax over them is the normalised likelihood of the labels.
    The prompt and the label are tokenized separately and concatenated, so a BPE merge across the boundary
    cannot move it.

Example (elsewhere, with a GPU)
-------------------------------
    python scripts/llm_teacher.py \
        --model meta-llama/Llama-3.1-8B-Instruct --chat --label-prefix "" \
        --tsv shared/data/emotion/train.tsv --labels-file shared/data/emotion/labels.txt \
        --out teacher/emotion_llama31_train.jsonl --batch-size 16 --dtype bfloat16

    python scripts/llm_teacher.py --model google/gemma-2-9b --scoring sequence \
        --tsv shared/data/emotion/dev.tsv --labels-file shared/data/emotion/labels.txt \
        --out teacher/emotion_gemma2_dev.jsonl

Try it first with --limit 20 and check the _meta line and a few rows by eye. The output is written to a
temporary file and renamed at the end, so an interrupted run leaves no partial teacher file behind.

The prompt template is a Python format string with the fields {labels} (the class names joined by ", ")
and {text}; pass your own with --prompt-template or --prompt-file. It is recorded verbatim in _meta.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import sys
from typing import List, Sequence, Tuple

DEFAULT_TEMPLATE = (
    "Classify the text into one of these categories: {labels}.\n"
    "\n"
    "Text: {text}\n"
    "Category:"
)
FORMAT_VERSION = "llkd-teacher-jsonl/1"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="HuggingFace model id or local path (causal LM)")
    p.add_argument("--revision", default=None, help="model revision (commit) to pin; recorded in _meta")
    p.add_argument("--tsv", required=True, help="split file: UTF-8, header 'label<TAB>text'")
    p.add_argument("--split", default=None,
                   help="split name used in the ids '<split>-<row>' (default: the TSV file name without .tsv)")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--labels-file", help="class names, one per line, in class-id order (labels.txt)")
    g.add_argument("--labels", help="class names separated by '|' (names may contain commas and spaces)")
    p.add_argument("--out", required=True, help="output .jsonl path")
    t = p.add_mutually_exclusive_group()
    t.add_argument("--prompt-template", default=None, help="format string with {labels} and {text}")
    t.add_argument("--prompt-file", default=None, help="file holding the prompt template")
    p.add_argument("--chat", action="store_true",
                   help="wrap the prompt as a user turn with the tokenizer's chat template (instruct models)")
    p.add_argument("--label-prefix", default=" ",
                   help="text put before each label name when it is scored (default ' ')")
    p.add_argument("--scoring", choices=["first_token", "sequence"], default="first_token")
    p.add_argument("--length-normalize", action="store_true",
                   help="sequence scoring: mean instead of sum of the label tokens' log-probabilities")
    p.add_argument("--max-text-chars", type=int, default=2000,
                   help="truncate each text to this many characters (recorded in _meta)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--dtype", choices=["bfloat16", "float16", "float32"], default="bfloat16")
    p.add_argument("--device", default="auto", help="'auto' (device_map=auto), 'cuda', 'cuda:1' or 'cpu'")
    p.add_argument("--limit", type=int, default=None, help="only the first N rows (trial runs)")
    return p.parse_args(argv)


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_split(path: str) -> List[str]:
    """Texts of a `label<TAB>text` TSV in row order (header excluded). Splits on the first TAB only."""
    texts = []
    with open(path, "r", encoding="utf-8", newline="\n") as f:  # strict UTF-8: a bad byte raises
        header = f.readline().rstrip("\n")
        if header != "label\ttext":
            sys.exit(f"{path} line 1: expected the header 'label<TAB>text', found {header!r}")
        for line_no, line in enumerate(f, start=2):
            line = line[:-1] if line.endswith("\n") else line
            if "\t" not in line:
                sys.exit(f"{path} line {line_no}: no TAB between label and text")
            texts.append(line.split("\t", 1)[1])  # do not strip: texts may have meaningful spaces
    return texts


def read_labels(args: argparse.Namespace) -> List[str]:
    if args.labels_file:
        with open(args.labels_file, "r", encoding="utf-8") as f:
            names = [ln.rstrip("\n") for ln in f if ln.rstrip("\n") != ""]
    else:
        names = [s.strip() for s in args.labels.split("|")]
    if len(names) < 2 or len(set(names)) != len(names) or any(not n for n in names):
        sys.exit(f"need at least 2 distinct non-empty label names, got {names}")
    return names


def build_prompt(tokenizer, template: str, labels: List[str], text: str, chat: bool) -> str:
    prompt = template.format(labels=", ".join(labels), text=text)
    if chat:
        prompt = tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False,
                                               add_generation_prompt=True)
    return prompt


def label_token_ids(tokenizer, labels: List[str], prefix: str) -> List[List[int]]:
    out = []
    for name in labels:
        ids = tokenizer(prefix + name, add_special_tokens=False)["input_ids"]
        if not ids:
            sys.exit(f"label {name!r} tokenizes to nothing with prefix {prefix!r}")
        out.append(ids)
    return out


def score_first_token(model, tokenizer, prompts: List[str], first_ids: List[int], device) -> Tuple[list, list]:
    """Next-token logits of each label's first token after each prompt: [B, C]; also the label mass [B]."""
    import torch
    enc = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=not _has_bos(tokenizer, prompts))
    enc = {k: v.to(device) for k, v in enc.items()}
    # Left padding: the last position is every prompt's end. Positions count real tokens only.
    position_ids = (enc["attention_mask"].cumsum(-1) - 1).clamp(min=0)  # [B, T]
    with torch.no_grad():
        logits = model(**enc, position_ids=position_ids).logits[:, -1, :].float()  # [B, vocab]
    idx = torch.tensor(first_ids, device=logits.device)
    chosen = logits.index_select(1, idx)  # [B, C]
    mass = torch.softmax(logits, dim=-1).index_select(1, idx).sum(dim=1)  # [B]
    return chosen.cpu().tolist(), mass.cpu().tolist()


def score_sequence(model, tokenizer, prompts: List[str], label_ids: List[List[int]], device,
                   length_normalize: bool) -> list:
    """log P(label tokens | prompt) for every prompt x label: [B, C]."""
    import torch
    rows, spans = [], []
    add_special = not _has_bos(tokenizer, prompts)
    for prompt in prompts:
        p_ids = tokenizer(prompt, add_special_tokens=add_special)["input_ids"]
        for l_ids in label_ids:
            rows.append(p_ids + l_ids)
            spans.append((len(p_ids), len(l_ids)))
    width = max(len(r) for r in rows)
    pad = tokenizer.pad_token_id
    input_ids = torch.full((len(rows), width), pad, dtype=torch.long)  # [B*C, T], right padded
    attn = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        input_ids[i, :len(r)] = torch.tensor(r)
        attn[i, :len(r)] = 1
    with torch.no_grad():
        # [B*C, T, vocab] in the model dtype: memory grows with batch x labels x length; lower --batch-size.
        logits = model(input_ids=input_ids.to(device), attention_mask=attn.to(device)).logits
        scores = []
        for i, (start, n) in enumerate(spans):
            pos = torch.arange(start - 1, start - 1 + n, device=logits.device)  # token t is predicted at t-1
            logp = torch.log_softmax(logits[i, pos, :].float(), dim=-1)  # [n, vocab]
            tok = input_ids[i, start:start + n].to(logits.device)  # [n]
            s = logp.gather(1, tok[:, None]).sum().item()
            scores.append(s / n if length_normalize else s)
    c = len(label_ids)
    return [scores[b * c:(b + 1) * c] for b in range(len(prompts))]


def _has_bos(tokenizer, prompts: List[str]) -> bool:
    """Whether the (chat-templated) prompt text already starts with the BOS token."""
    bos = tokenizer.bos_token
    return bool(bos) and prompts[0].startswith(bos)


def main(argv: Sequence[str]) -> None:
    args = parse_args(argv)
    import torch
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    split = args.split or os.path.basename(args.tsv).rsplit(".", 1)[0]
    if "-" in split or not split:
        sys.exit(f"split name {split!r} must be non-empty and contain no '-' (ids are '<split>-<row>')")
    labels = read_labels(args)
    texts = read_split(args.tsv)
    if args.limit is not None:
        texts = texts[:args.limit]
    if args.prompt_file:
        with open(args.prompt_file, "r", encoding="utf-8") as f:
            template = f.read()
    else:
        template = args.prompt_template or DEFAULT_TEMPLATE
    if "{text}" not in template:
        sys.exit("the prompt template must contain {text}")

    tokenizer = AutoTokenizer.from_pretrained(args.model, revision=args.revision)
    tokenizer.padding_side = "left"  # first_token scoring reads position -1
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    dtype = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}[args.dtype]
    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    dtype_kw = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"  # renamed in transformers 4.56
    if args.device == "auto":
        model = AutoModelForCausalLM.from_pretrained(args.model, revision=args.revision, device_map="auto",
                                                     **{dtype_kw: dtype})
        device = next(model.parameters()).device
    else:
        model = AutoModelForCausalLM.from_pretrained(args.model, revision=args.revision, **{dtype_kw: dtype})
        device = torch.device(args.device)
        model.to(device)
    model.eval()

    label_ids = label_token_ids(tokenizer, labels, args.label_prefix)
    first_ids = [ids[0] for ids in label_ids]
    if args.scoring == "first_token" and len(set(first_ids)) != len(first_ids):
        clash = {}
        for name, t in zip(labels, first_ids):
            clash.setdefault(t, []).append(name)
        clash = {tokenizer.decode([t]): names for t, names in clash.items() if len(names) > 1}
        sys.exit(f"labels share a first token {clash}; use --scoring sequence (or rename the labels in the prompt)")

    out_tmp = args.out + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    total_mass, n_done = 0.0, 0
    with open(out_tmp, "w", encoding="utf-8", newline="\n") as out:
        rows = []
        for start in range(0, len(texts), args.batch_size):
            batch = texts[start:start + args.batch_size]
            prompts = [build_prompt(tokenizer, template, labels, t[:args.max_text_chars], args.chat) for t in batch]
            if args.scoring == "first_token":
                scores, mass = score_first_token(model, tokenizer, prompts, first_ids, device)
                total_mass += sum(mass)
            else:
                scores = score_sequence(model, tokenizer, prompts, label_ids, device, args.length_normalize)
            for j, s in enumerate(scores):
                row = start + j
                if not all(math.isfinite(v) for v in s):
                    sys.exit(f"{args.tsv} row {row}: non-finite scores {s}; lower the batch size or use float32")
                rows.append({"id": f"{split}-{row}", "logits": [float(v) for v in s], "label_names": labels})
            n_done += len(batch)
            print(f"\r{n_done}/{len(texts)}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        meta = {
            "format": FORMAT_VERSION,
            "tool": "scripts/llm_teacher.py",
            "model": args.model,
            "model_revision": args.revision,
            "prompt_template": template,
            "chat_template": args.chat,
            "label_prefix": args.label_prefix,
            "scoring": args.scoring,
            "length_normalize": args.length_normalize if args.scoring == "sequence" else None,
            "label_names": labels,
            "label_token_ids": {name: ids for name, ids in zip(labels, label_ids)},
            "mean_label_mass": (total_mass / n_done) if args.scoring == "first_token" and n_done else None,
            "values": "logits",
            "input_file": os.path.basename(args.tsv),
            "input_sha256": sha256_file(args.tsv),
            "split": split,
            "num_rows": n_done,
            "limit": args.limit,
            "max_text_chars": args.max_text_chars,
            "dtype": args.dtype,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        }
        out.write(json.dumps({"_meta": meta}, ensure_ascii=False, allow_nan=False) + "\n")
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n")
    os.replace(out_tmp, args.out)  # atomic: no partial teacher file on interruption
    print(f"wrote {n_done} rows to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
