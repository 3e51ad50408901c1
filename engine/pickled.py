"""Nielsen's ``mnist.pkl.gz``, read with an unpickler that builds NumPy arrays and nothing else.

The file of Michael Nielsen's book *Neural Networks and Deep Learning* (and of the older
deeplearning.net tutorials) is a gzipped Python pickle of three ``(images, labels)`` pairs:
50,000 training, 10,000 validation and 10,000 test images, each image a row of 784 float32
pixels stored as k/256, labels int64. Training and validation, in that order, are MNIST's
original 60,000 training images.

A pickle can name any function to call: this reader admits only what rebuilds an array or a
number (numpy's ``_reconstruct`` and ``_frombuffer``, ``dtype`` of numbers, ``scalar``) and
refuses anything else before it is constructed; arrays of Python objects are refused too.
"""

import io
import pickle
import zlib
from pathlib import Path

import numpy as np

from .errors import DataError
from .files import check_regular_file, open_decompressed

MAX_PICKLE_BYTES = 400 * 2**20  # decompressed; Nielsen's file is 220 MB


class _ArrayType:
    """Stands for ``numpy.ndarray`` in a pickle: numpy pickles an array as
    ``_reconstruct(ndarray, (0,), b"b")`` then its state; called by itself, ``ndarray(shape)``
    would allocate whatever the file says, so it is refused."""

    def __new__(cls, *args):
        raise pickle.UnpicklingError("numpy.ndarray called directly")


def _reconstruct(subtype, shape, code):
    from numpy._core.multiarray import _reconstruct as rebuild  # numpy ≥ 2

    if subtype is not _ArrayType or shape != (0,):
        raise pickle.UnpicklingError("an array rebuilt other than by numpy's own pickling")
    return rebuild(np.ndarray, shape, code)


def _number_dtype(*args):
    dtype = np.dtype(*args)
    if dtype.hasobject:
        raise pickle.UnpicklingError("an array of Python objects")
    return dtype


def _frombuffer(buffer, dtype, shape, order):
    """Protocol 5's form of an array: ``_frombuffer(bytes, dtype, shape, order)``."""
    if not isinstance(buffer, (bytes, bytearray)) or not isinstance(dtype, np.dtype):
        raise pickle.UnpicklingError("_frombuffer other than of an array's bytes")
    try:
        array = np.frombuffer(buffer, dtype).reshape(shape, order=order)
    except (TypeError, ValueError) as exc:
        raise pickle.UnpicklingError(f"an array that does not fit its bytes ({exc})") from None
    return array.copy()  # writable, like any other array read


def _scalar(dtype, data=None):
    """A NumPy scalar (a label pickled alone): ``scalar(dtype, bytes)``."""
    if (not isinstance(dtype, np.dtype) or not isinstance(data, bytes)
            or len(data) != dtype.itemsize):
        raise pickle.UnpicklingError("numpy scalar other than of a number's bytes")
    return np.frombuffer(data, dtype)[0]


def _latin1(text, encoding="latin1"):
    """Python 3 pickles an array's raw bytes as ``_codecs.encode(text, "latin1")``."""
    if not isinstance(text, str) or encoding != "latin1":
        raise pickle.UnpicklingError("_codecs.encode other than of an array's bytes")
    return text.encode("latin1")


_ALLOWED = {
    ("_codecs", "encode"): _latin1,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy", "ndarray"): _ArrayType,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy.core.multiarray", "scalar"): _scalar,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy", "dtype"): _number_dtype,
}


class _ArraysOnly(pickle.Unpickler):
    """Unpickler that rebuilds numpy arrays (and scalars) of numbers, and tuples and lists of
    them: each name a pickle asks for is looked up in _ALLOWED, anything else refused."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        raise pickle.UnpicklingError(f"it asks for {module}.{name}")


def unpickle_arrays(raw, source):
    """The arrays, in tuples and lists, of the pickle ``raw`` (bytes).

    Raises DataError naming ``source`` when the pickle asks for anything but numeric
    arrays (no other object is ever constructed) or is damaged.
    """
    try:
        value = _ArraysOnly(io.BytesIO(raw), encoding="latin1").load()
    except pickle.UnpicklingError as exc:
        raise DataError(f"{source}: refused: {exc}; only NumPy arrays of numbers are read "
                        "from a pickle, nothing else is ever constructed") from None
    except (EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError,
            MemoryError, RecursionError) as exc:
        raise DataError(f"{source}: damaged pickle ({type(exc).__name__})") from None
    _check_tree(value, source)
    return value


def _check_tree(value, source, depth=0):
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.hasobject:
            raise DataError(f"{source}: refused: an array of Python objects")
        return
    if isinstance(value, (tuple, list)) and depth < 3:
        for item in value:
            _check_tree(item, source, depth + 1)
        return
    raise DataError(f"{source}: holds a {type(value).__name__}, not the (images, labels) "
                    "arrays of Nielsen's mnist.pkl.gz")


def to_uint8(x, source="pixels"):
    """Pixels stored as k/256 (Nielsen's) or k/255 floats back to their bytes k, as
    ``(n, 28, 28)`` uint8 when they are exactly that; otherwise ``x`` unchanged."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating) or x.size == 0:
        return x
    for scale in (256.0, 255.0):
        k = np.rint(x * np.float32(scale))
        if np.abs(k - x * np.float32(scale)).max() <= 1e-3 and k.min() >= 0 and k.max() <= 255:
            return k.astype(np.uint8)
    return x


def read_nielsen(path):
    """``{x_train, y_train, x_test, y_test}`` from Nielsen's ``mnist.pkl.gz`` (gzipped or
    not): training + validation as the training set, images ``(n, 28, 28)``.

    Raises DataError naming ``path`` for a file that is not such a pickle.
    """
    path = Path(path)
    check_regular_file(path, DataError)
    try:
        with open_decompressed(path) as f:
            data = f.read(MAX_PICKLE_BYTES + 1)
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: damaged gzip file ({exc})") from None
    if len(data) > MAX_PICKLE_BYTES:
        raise DataError(f"{path}: over {MAX_PICKLE_BYTES // 2**20:,} MB once decompressed; "
                        "refused")
    parts = unpickle_arrays(data, path)
    if (not isinstance(parts, (tuple, list)) or len(parts) not in (2, 3)
            or not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in parts)):
        raise DataError(f"{path}: not Nielsen's layout: expected (training, validation, test) "
                        "pairs of (images, labels)")
    train, test = parts[:-1], parts[-1]
    try:
        arrays = {"x_train": np.concatenate([p[0] for p in train]),
                  "y_train": np.concatenate([p[1] for p in train]),
                  "x_test": np.asarray(test[0]), "y_test": np.asarray(test[1])}
    except ValueError as exc:
        raise DataError(f"{path}: its training arrays do not fit together ({exc})") from None
    for key in ("x_train", "x_test"):
        x = arrays[key]
        if x.ndim == 2 and x.shape[1] == 784:
            arrays[key] = to_uint8(x.reshape(-1, 28, 28))
    return arrays
