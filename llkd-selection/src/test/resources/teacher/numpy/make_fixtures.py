"""Writes the NPY/NPZ fixtures of NumpyWrittenFilesTest with numpy itself (run: python3 make_fixtures.py).

Every file holds the same 4 x 3 probability matrix P (rows sum to 1) in another layout numpy writes without
complaint: big-endian, Fortran order, both, float32, version 2.0 header, NPZ without ids or with integer ids.
"""
import numpy as np

P = np.array([[0.7, 0.2, 0.1],
              [0.05, 0.9, 0.05],
              [0.25, 0.25, 0.5],
              [0.125, 0.375, 0.5]])
np.save("c_f8.npy", P)
np.save("be_f8.npy", P.astype(">f8"))
np.save("be_f4.npy", P.astype(">f4"))
np.save("fortran_f8.npy", np.asfortranarray(P))
np.save("fortran_be_f4.npy", np.asfortranarray(P.astype(">f4")))
np.lib.format.write_array(open("v2_f4.npy", "wb"), P.astype("<f4"), version=(2, 0))
np.savez("noids.npz", probs=P)
np.savez_compressed("intids.npz", probs=np.asfortranarray(P), ids=np.array([17, 3, 42, 8], dtype=np.int64),
                    label_names=np.array(["neg", "neu", "pos"]))
for f in ["be_f8.npy", "fortran_f8.npy", "fortran_be_f4.npy"]:
    a = np.load(f)
    assert np.allclose(a, P), f
print("ok", np.__version__)
