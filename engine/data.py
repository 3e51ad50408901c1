"""Data sets: the embedded MNIST, files users have on disk, and the lectures' toy sets.

Every loader returns a :class:`DataSplit` of two :class:`Dataset` s. Images are
flattened to rows of float32 pixels in [0, 1]; a problem with a file raises
:class:`DataError` naming the file and what is wrong with it.
"""

import gzip
import math
import zlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np

from .errors import DataError
from .files import MAX_ARRAY_BYTES, check_regular_file, read_npz

# The package's data files (an installed package lies in a folder, so the path is real).
RESOURCES = Path(str(files("digit_descent") / "resources"))
MNIST_PATH = RESOURCES / "mnist.npz"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
DIGITS = tuple("0123456789")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
NAMES = ("mnist", "fashion", "trask", "xor")
CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                 "truck")
CIFAR_RECORD = 1 + 32 * 32 * 3  # a label byte, then the red, green and blue planes
CIFAR_TRAIN = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
CIFAR_TEST = "test_batch.bin"
CIFAR_MISSING = ("CIFAR-10 is not embedded (163 MB). Download its binary version, "
                 "cifar-10-binary.tar.gz, from https://www.cs.toronto.edu/~kriz/cifar.html, "
                 "unpack it and choose the folder cifar-10-batches-bin (it holds "
                 "data_batch_1.bin … data_batch_5.bin and test_batch.bin)")


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs, labels and training targets of one set.

    x: ``(n, d)`` float32 in [0, 1]; labels: ``(n,)`` int64;
    targets: ``(n, k)`` float32, one-hot (or 0/1 when ``k == 1``);
    image_shape: ``(28, 28)`` for images, ``None`` for tabular toy data.
    """

    name: str
    x: np.ndarray
    labels: np.ndarray
    targets: np.ndarray
    class_names: tuple
    image_shape: tuple = None

    def __len__(self):
        return self.x.shape[0]

    @property
    def n_inputs(self):
        return self.x.shape[1]

    @property
    def n_outputs(self):
        return self.targets.shape[1]

    def subset(self, count_or_indices):
        """The first ``count`` samples, or the samples at the given indices."""
        idx = count_or_indices
        if np.isscalar(idx):
            idx = slice(0, int(idx))
        return Dataset(self.name, self.x[idx], self.labels[idx], self.targets[idx],
                       self.class_names, self.image_shape)

    def with_shuffled_labels(self, seed=0):
        """The same inputs with labels randomly permuted (the memorisation experiment)."""
        labels = np.random.default_rng(seed).permutation(self.labels)
        return Dataset(self.name + " (shuffled labels)", self.x, labels,
                       one_hot(labels, self.n_outputs), self.class_names, self.image_shape)


@dataclass(frozen=True, eq=False)
class DataSplit:
    name: str
    train: Dataset
    test: Dataset


def one_hot(labels, n_classes):
    """``(n, n_classes)`` float32 one-hot rows; a single class column holds 0/1."""
    labels = np.asarray(labels, dtype=np.int64)
    if n_classes == 1:
        return labels.astype(np.float32)[:, None]
    out = np.zeros((labels.size, n_classes), np.float32)
    out[np.arange(labels.size), labels] = 1.0
    return out


def image_dataset(name, images, labels, class_names):
    """A :class:`Dataset` from uint8 images ``(n, h, w)`` and integer labels."""
    images = np.asarray(images)
    flat = images.reshape(images.shape[0], -1)
    if images.dtype == np.uint8:  # one pass: uint8 → float32 in [0, 1]
        x = np.multiply(flat, np.float32(1 / 255), dtype=np.float32)
    else:
        x = flat.astype(np.float32)
    labels = np.asarray(labels).astype(np.int64)
    return Dataset(name, x, labels, one_hot(labels, len(class_names)), tuple(class_names),
                   tuple(images.shape[1:]))


def _check_arrays(source, arrays):
    """Validate x/y train/test arrays from any source; raise DataError naming ``source``."""
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.ndim != 3 or x.shape[0] == 0:
            raise DataError(f"{source}: x_{part} should be a stack of images (n, h, w), got shape {x.shape}")
        if y.shape != (x.shape[0],):
            raise DataError(f"{source}: y_{part} has shape {y.shape}, expected ({x.shape[0]},) labels")
        if not (np.issubdtype(y.dtype, np.integer) and y.min() >= 0 and y.max() <= 9):
            raise DataError(f"{source}: y_{part} should hold integer labels 0–9")
        if x.dtype != np.uint8 and not (np.issubdtype(x.dtype, np.floating)
                                         and np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1):
            raise DataError(f"{source}: x_{part} should be uint8 pixels or floats in [0, 1], got {x.dtype}")
    if arrays["x_train"].shape[1:] != arrays["x_test"].shape[1:]:
        raise DataError(f"{source}: training and test images differ in size")


def _split(name, arrays, class_names):
    return DataSplit(name,
                     image_dataset(name, arrays["x_train"], arrays["y_train"], class_names),
                     image_dataset(name, arrays["x_test"], arrays["y_test"], class_names))


def load_npz(path, name=None, class_names=DIGITS):
    """Our ``resources/mnist.npz`` or a Keras-style ``mnist.npz``.

    Keys ``x_train (n, 28, 28) uint8, y_train (n,), x_test, y_test``; every array's declared
    size is checked before it is read.
    """
    path = Path(path)
    arrays = read_npz(path, tuple(IDX_FILES), DataError)
    _check_arrays(path, arrays)
    return _split(name or path.stem, arrays, class_names)


def read_idx(path):
    """An array from an IDX file (``*-idx3-ubyte``, gzipped or not).

    The header is read first; a file whose header announces more than MAX_ARRAY_BYTES is
    refused before anything else is read or decompressed.
    """
    path = Path(path)
    check_regular_file(path, DataError)
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        with (gzip.open(path, "rb") if gzipped else open(path, "rb")) as f:
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


def _find_idx(folder, stem):
    for candidate in (folder / stem, folder / (stem + ".gz"),
                      folder / stem.replace("-idx", ".idx"), folder / (stem.replace("-idx", ".idx") + ".gz")):
        if candidate.is_file():
            return candidate
    raise DataError(f"{folder}: no {stem} (or {stem}.gz) in this folder")


def load_idx_folder(folder, name=None, class_names=DIGITS):
    """The four standard IDX files in ``folder`` (gzipped or not)."""
    folder = Path(folder)
    arrays = {key: read_idx(_find_idx(folder, stem)) for key, stem in IDX_FILES.items()}
    _check_arrays(folder, arrays)
    return _split(name or folder.name, arrays, class_names)


def read_cifar_batch(path):
    """``(images (n, 32, 32, 3) uint8, labels (n,))`` from one file of CIFAR-10's binary
    version (records of 1 label byte + 3,072 pixel bytes, colour planes one after another)."""
    path = Path(path)
    check_regular_file(path, DataError)
    size = path.stat().st_size
    if size == 0 or size % CIFAR_RECORD:
        raise DataError(f"{path}: not a CIFAR-10 binary batch ({size:,} bytes is not a whole "
                        f"number of {CIFAR_RECORD:,}-byte records)")
    if size > MAX_ARRAY_BYTES:
        raise DataError(f"{path}: {size:,} bytes is over the limit of "
                        f"{MAX_ARRAY_BYTES // 2**20:,} MB")
    try:
        records = np.fromfile(path, np.uint8).reshape(-1, CIFAR_RECORD)
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from None
    labels = records[:, 0]
    if labels.max() > 9:
        raise DataError(f"{path}: label {labels.max()} found; CIFAR-10 labels are 0–9")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


def is_cifar_folder(folder):
    return (Path(folder) / CIFAR_TEST).is_file()


def load_cifar10(folder):
    """CIFAR-10's binary version from ``folder``: the training batches present (at least
    ``data_batch_1.bin``) and ``test_batch.bin``; colour images of shape (32, 32, 3)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder. {CIFAR_MISSING}")
    train_files = [folder / name for name in CIFAR_TRAIN if (folder / name).is_file()]
    if not (folder / CIFAR_TRAIN[0]).is_file() or not is_cifar_folder(folder):
        raise DataError(f"{folder}: no data_batch_1.bin and test_batch.bin here. {CIFAR_MISSING}")
    parts = [read_cifar_batch(f) for f in train_files]
    arrays = {"x_train": np.concatenate([p[0] for p in parts]),
              "y_train": np.concatenate([p[1] for p in parts])}
    arrays["x_test"], arrays["y_test"] = read_cifar_batch(folder / CIFAR_TEST)
    return _split("cifar10", arrays, CIFAR_CLASSES)


def load_mnist():
    """The embedded MNIST: 60,000 training and 10,000 test images."""
    if not MNIST_PATH.is_file():
        raise DataError(f"{MNIST_PATH}: the embedded MNIST is missing; rebuild it with "
                        "scripts/build_mnist.py (see README)")
    return load_npz(MNIST_PATH, name="mnist")


def load_fashion(folder=FASHION_DIR):
    """Fashion-MNIST from Debian's ``dataset-fashion-mnist`` package (IDX files)."""
    if not Path(folder).is_dir():
        raise DataError(f"Fashion-MNIST not found in {folder}. Install it with "
                        "'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu), or pass "
                        "a folder holding its four IDX files with --dataset PATH")
    return load_idx_folder(folder, name="fashion", class_names=FASHION_CLASSES)


def _table(name, x, y, class_names):
    x = np.asarray(x, np.float32)
    labels = np.asarray(y, np.int64)
    ds = Dataset(name, x, labels, one_hot(labels, 1), class_names)
    return DataSplit(name, ds, ds)


def trask():
    """Trask's 4-customer table: the answer is the exclusive or of the first two columns."""
    return _table("trask", [[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]], [1, 1, 0, 0], ("0", "1"))


def xor():
    """Exclusive or of two bits."""
    return _table("xor", [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], ("0", "1"))


def class_names(name):
    """The class names of the named data set (``mnist``, ``fashion``, ``trask``, ``xor``)."""
    return FASHION_CLASSES if name == "fashion" else ("0", "1") if name in ("trask", "xor") \
        else DIGITS


def load(source="mnist"):
    """A data set by name (``mnist``, ``fashion``, ``trask``, ``xor``) or path.

    A path is a folder holding the four IDX files or CIFAR-10's binary batches, or a
    Keras-style ``.npz``.
    """
    loaders = {"mnist": load_mnist, "fashion": load_fashion, "trask": trask, "xor": xor}
    if str(source) in loaders:
        return loaders[str(source)]()
    path = Path(source)
    if path.is_dir():
        return load_cifar10(path) if is_cifar_folder(path) else load_idx_folder(path)
    if path.exists():
        return load_npz(path)  # refuses anything but a regular .npz file
    raise DataError(f"{source}: no such data set; use one of {', '.join(NAMES)}, "
                    "a folder of IDX files or a Keras-style .npz")
