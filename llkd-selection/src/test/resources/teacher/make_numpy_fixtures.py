"""Regenerates the NumPy fixtures used by TeacherNumpyFixturesTest (numpy is the independent oracle for
LLKD-J's own NPY/NPZ parser and writer). Run from this directory: python3 make_numpy_fixtures.py
Written with numpy 2.4.6; the .npy layout (format 1.0, 64-byte aligned header) is stable across numpy 1.x/2.x.
"""
import json

import numpy as np

labels = ["sadness", "joy", "love"]
ids = ["train-0", "train-1", "train-2", "train-3"]

# Probabilities, float64: also the byte-exact reference for TeacherOutputWriter.writeNpy(FLOAT64).
p = np.array([[0.7, 0.2, 0.1],
              [0.125, 0.75, 0.125],
              [0.0, 0.0, 1.0],
              [0.25, 0.25, 0.5]], dtype=np.float64)
np.save("numpy_probs_f8.npy", p)
with open("numpy_probs_f8.npy.ids.txt", "w", encoding="utf-8") as f:
    f.write("".join(i + "\n" for i in ids))
with open("numpy_probs_f8.npy.meta.json", "w", encoding="utf-8") as f:
    f.write('{"note": "numpy fixture"}\n')

# Probabilities, float32, with sidecars; rows in another order than the dataset, classes permuted.
q = np.array([[0.2, 0.7, 0.1],      # train-2: joy, sadness, love
              [0.6, 0.3, 0.1],      # train-0
              [0.1, 0.1, 0.8]],     # train-1
             dtype=np.float32)
np.save("numpy_probs_f4.npy", q)
with open("numpy_probs_f4.npy.ids.txt", "w", encoding="utf-8") as f:
    f.write("train-2\ntrain-0\ntrain-1\n")
with open("numpy_probs_f4.npy.labels.txt", "w", encoding="utf-8") as f:
    f.write("joy\nsadness\nlove\n")

# Logits in a compressed NPZ with '<U' ids and label names.
z = np.array([[2.0, 0.0, -1.0],
              [0.5, 0.5, 0.5],
              [-3.0, 1.0, 4.0]], dtype=np.float64)
np.savez_compressed("numpy_logits.npz", logits=z, ids=np.array(["dev-0", "dev-1", "dev-2"]),
                    label_names=np.array(labels))

# Expected probabilities (softmax at T=1 and T=2), computed by numpy, for the test to compare against.
def softmax(a, t):
    e = np.exp((a - a.max(axis=1, keepdims=True)) / t)
    return e / e.sum(axis=1, keepdims=True)

with open("numpy_logits_expected.json", "w", encoding="utf-8") as f:
    json.dump({"T1": softmax(z, 1.0).tolist(), "T2": softmax(z, 2.0).tolist()}, f, indent=1)
    f.write("\n")
