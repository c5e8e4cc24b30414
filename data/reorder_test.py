#!/usr/bin/env python3
"""Put the rows of one shipped split in a seeded random order (header kept first).

Why: the source of yahoo_answers/test.tsv lists its 10,000 rows in ten 1,000-row class blocks. The quick
tier evaluates on the first 1,000 dev/test rows, which must therefore be a random sample of the split;
on the source order they were one class. Every other shipped dev/test file is already in an order whose
first 1,000 rows match the split's class mix (DataOrderTest checks all of them).

The permutation is Python's random.Random(13).shuffle over the data rows; the row multiset is unchanged
(the manifest's per-class counts still hold). Run from data/:  python3 reorder_test.py yahoo_answers/test.tsv
then update SHA256SUMS and build_stats.json (this script prints the new sha256).
"""
import hashlib
import random
import sys

SEED = 13


def main(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header, rows = lines[0], lines[1:]
    if header != "label\ttext":
        sys.exit(f"{path}: line 1: expected header 'label<TAB>text', found {header!r}")
    before = sorted(rows)
    random.Random(SEED).shuffle(rows)
    assert sorted(rows) == before
    data = ("\n".join([header] + rows) + "\n").encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    print(hashlib.sha256(data).hexdigest(), path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        main(p)
