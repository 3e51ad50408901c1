"""IDX files (LeCun's format of MNIST, Fashion-MNIST and EMNIST) and finding them in a folder.

A folder may hold the four files as LeCun published them (``train-images-idx3-ubyte``,
gzipped or not, or ``train-images.idx3-ubyte``), as Kaggle's MNIST archive unpacks them
(each file inside a folder of the same name), or as EMNIST names them
(``emnist-digits-train-images-idx3-ubyte.gz``, ``emnist-mnist-…``).
"""

import math
import zlib
from pathlib import Path

import numpy as np

from .errors import DataError
from .files import MAX_ARRAY_BYTES, check_regular_file, open_decompressed

IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
# EMNIST's names: its test files are "test-…", not "t10k-…". The first prefix found wins.
PREFIXES = ("", "emnist-digits-", "emnist-mnist-")


def read_idx(path):
    """An array from an IDX file of unsigned bytes (``*-idx3-ubyte``, gzipped or not).

    The header is read first; a file whose header announces more than MAX_ARRAY_BYTES is
    refused before anything else is read or decompressed. Raises DataError naming ``path``.
    """
    path = Path(path)
    check_regular_file(path, DataError)
    try:
        with open_decompressed(path) as f:
            magic = f.read(4)
            if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] != 0x08 or not 1 <= magic[3] <= 4:
                raise DataError(f"{path}: not an IDX file of unsigned bytes (bad magic number)")
            ndim = magic[3]
            header = f.read(4 * ndim)
            if len(header) < 4 * ndim:
                raise DataError(f"{path}: truncated IDX header")
            dims = tuple(int.from_bytes(header[4 * i:4 * i + 4], "big") for i in range(ndim))
            size = math.prod(dims)
            if size > MAX_ARRAY_BYTES:
                raise DataError(f"{path}: the header announces {size:,} bytes for shape {dims}; "
                                f"the limit is {MAX_ARRAY_BYTES // 2**20:,} MB")
            data = f.read(size + 1)  # one more: a padded file is as wrong as a short one
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: damaged gzip file ({exc})") from None
    if len(data) != size:
        raise DataError(f"{path}: truncated or padded: the header announces {size:,} bytes of "
                        f"pixels for shape {dims}")
    return np.frombuffer(data, np.uint8).reshape(dims)


def is_idx_name(name):
    """True for a file or folder name of the IDX kind (``…-idx3-ubyte``, ``….idx1-ubyte``…)."""
    name = name.lower().removesuffix(".gz")
    return name.endswith("-ubyte") and "idx" in name


def _names(prefix, stem):
    if prefix.startswith("emnist"):
        stem = stem.replace("t10k-", "test-")
    for base in (prefix + stem, prefix + stem.replace("-idx", ".idx")):
        yield base
        yield base + ".gz"


def _candidate(folder, name):
    """``folder/name``, or Kaggle's ``folder/name/name``, when it is a file."""
    for path in (folder / name, folder / name / name):
        if path.is_file():
            return path
    return None


def idx_prefix(folder):
    """The naming of the IDX files in ``folder``: the first of PREFIXES whose training
    images are there (``""``, MNIST's own, when none is)."""
    folder = Path(folder)
    for prefix in PREFIXES:
        if any(_candidate(folder, n) for n in _names(prefix, IDX_FILES["x_train"])):
            return prefix
    return ""


def find_idx(folder, prefix, key):
    """The path of IDX file ``key`` (``x_train`` …) named with ``prefix`` in ``folder``.

    Raises DataError naming the folder and the file missing.
    """
    folder = Path(folder)
    names = list(_names(prefix, IDX_FILES[key]))
    path = next(filter(None, (_candidate(folder, n) for n in names)), None)
    if path is None:
        other = sorted(p.name for p in folder.glob("emnist-*-train-images*"))
        if not prefix and other:
            raise DataError(f"{folder}: holds {other[0]}, an EMNIST split of other classes "
                            "than digits; this app reads emnist-digits-… or emnist-mnist-…")
        raise DataError(f"{folder}: no {names[0]} (or {names[1]}) in this folder")
    return path
