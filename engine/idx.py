"""IDX files (LeCun's format of MNIST, Fashion-MNIST and EMNIST) and finding them in a folder.

A folder may hold the four files as LeCun published them (``train-images-idx3-ubyte``,
gzipped or not, or ``train-images.idx3-ubyte``), as Kaggle's MNIST archive unpacks them
(each file inside a folder of the same name), or as EMNIST names them
(``emnist-digits-train-images-idx3-ubyte.gz``, ``emnist-mnist-…``).
"""

import gzip
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


KINDS = {"images": (3, "MNIST images are 3-dimensional (n, 28, 28)"),
         "labels": (1, "labels are 1-dimensional (n,)")}


def _stored_bytes(path, gzipped):
    """The bytes ``path`` holds once decompressed: its size, or a gzip file's recorded size
    (its last four bytes, modulo 2³²); for messages only."""
    size = path.stat().st_size
    if not gzipped or size < 4:
        return size
    with open(path, "rb") as f:
        f.seek(-4, 2)
        return int.from_bytes(f.read(4), "little")


def _kind_error(path, ndim, kind):
    """The DataError of an IDX file of ``ndim`` dimensions read as ``kind``."""
    other = {1: "a labels file", 3: "an images file"}.get(ndim)
    rule = KINDS[kind][1]
    if other:
        return DataError(f"{path}: this is {other} ({ndim}-dimensional IDX), not {kind}: {rule}")
    return DataError(f"{path}: an IDX file of {ndim} dimensions, not {kind}: {rule}")


def _size_error(path, dims, size, stored):
    """The DataError of a header announcing ``size`` bytes for ``dims`` when the file holds
    ``stored`` bytes in all, header included."""
    body = stored - 4 - 4 * len(dims)
    if len(dims) > 1 and stored == 8 + dims[0]:  # one byte per item after a count
        return DataError(f"{path}: this is a labels file (a count of {dims[0]:,}, then "
                         f"{dims[0]:,} bytes), not images: its header says {len(dims)} "
                         f"dimensions ({'×'.join(f'{d:,}' for d in dims)}); "
                         f"{KINDS['labels'][1]}")
    held = f"; the file holds {body:,}" if body >= 0 else ""
    if size > MAX_ARRAY_BYTES:
        return DataError(f"{path}: the header announces {size:,} bytes for shape {dims}{held}; "
                         f"the limit is {MAX_ARRAY_BYTES // 2**20:,} MB")
    return DataError(f"{path}: truncated or padded: the header announces {size:,} bytes of "
                     f"pixels for shape {dims}{held}")


def read_idx(path, kind=None):
    """An array from an IDX file of unsigned bytes (``*-idx3-ubyte``, gzipped or not).

    ``kind``: ``"images"`` (3 dimensions expected) or ``"labels"`` (1), or None for any
    1 to 4. The header is read first; a file whose header announces another number of
    dimensions, or more than MAX_ARRAY_BYTES, is refused before anything else is read or
    decompressed. Raises DataError naming ``path`` and, when it can tell, what the file is.
    """
    path = Path(path)
    check_regular_file(path, DataError)
    try:
        with open_decompressed(path) as f:
            magic = f.read(4)
            if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] != 0x08 or not 1 <= magic[3] <= 4:
                raise DataError(f"{path}: not an IDX file of unsigned bytes (bad magic number)")
            ndim = magic[3]
            if kind is not None and ndim != KINDS[kind][0]:
                raise _kind_error(path, ndim, kind)
            header = f.read(4 * ndim)
            if len(header) < 4 * ndim:
                raise DataError(f"{path}: truncated IDX header")
            dims = tuple(int.from_bytes(header[4 * i:4 * i + 4], "big") for i in range(ndim))
            size = math.prod(dims)
            # one byte more: a padded file is as wrong as a short one
            data = f.read(size + 1) if size <= MAX_ARRAY_BYTES else b""
            if len(data) != size:
                raise _size_error(path, dims, size,
                                  _stored_bytes(path, isinstance(f, gzip.GzipFile)))
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: damaged gzip file ({exc})") from None
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
