"""Data sets: the embedded MNIST, files users have on disk, and the lectures' toy sets.

Every loader returns a :class:`DataSplit` of two :class:`Dataset` s. Images are
flattened to rows of float32 pixels in [0, 1]; a problem with a file raises
:class:`DataError` naming the file and what is wrong with it.
"""

import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from .cifar import (CIFAR_CLASSES, CIFAR_MISSING, CIFAR_RECORD, CIFAR_TEST,  # noqa: F401
                    CIFAR_TRAIN, is_cifar_folder, read_cifar_batch)
from .csvdata import read_csv_split
from .errors import DataError
from .files import check_regular_file, open_decompressed, read_npz
from .idx import IDX_FILES, find_idx, idx_prefix, is_idx_name, read_idx  # noqa: F401
from .pickled import read_nielsen

# The package's data files (an installed package lies in a folder, so the path is real).
RESOURCES = Path(str(files("digit_descent") / "resources"))
MNIST_PATH = RESOURCES / "mnist.npz"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
DIGITS = tuple("0123456789")
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
NAMES = ("mnist", "fashion", "trask", "xor")
FORMATS = ("a Keras-style .npz; Nielsen's mnist.pkl.gz; a CSV with a label per row (Kaggle's "
           "train.csv, mnist_train.csv); a folder of MNIST, Fashion-MNIST or EMNIST IDX files "
           "(Kaggle's folder-per-file layout too); CIFAR-10's cifar-10-batches-bin folder")
TRANSPOSED_NOTE = ("its images are stored transposed (as EMNIST stores them): turned back "
                   "upright")


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
    """A training and a test set; ``notes``: what the reader did that users should know
    (how a test set was held out, images turned upright), one sentence each."""

    name: str
    train: Dataset
    test: Dataset
    notes: tuple = ()


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


def _pixels(source, key, x):
    """``x`` as uint8 (integer pixels 0–255, of any integer type) or floats in [0, 1]."""
    if x.dtype == np.uint8:
        return x
    if np.issubdtype(x.dtype, np.integer):
        low, high = int(x.min()), int(x.max())
        if low < 0 or high > 255:
            raise DataError(f"{source}: {key} holds integers from {low} to {high}; pixels must "
                            "be 0–255")
        return x.astype(np.uint8)
    if not np.issubdtype(x.dtype, np.floating):
        raise DataError(f"{source}: {key} holds {x.dtype} values; pixels are integers 0–255 "
                        "or floats in [0, 1]")
    if not np.isfinite(x).all():
        raise DataError(f"{source}: {key} holds NaN or infinite pixels")
    low, high = float(x.min()), float(x.max())
    if low >= 0 and high <= 1:
        return x
    fix = ("divide them by 255, or store whole numbers as integers (x.astype(np.uint8))"
           if low >= 0 and high <= 255 else "rescale them to [0, 1]")
    raise DataError(f"{source}: {key} holds floats from {low:g} to {high:g}; pixels stored as "
                    f"floats must lie in [0, 1]: {fix}")


def _labels(source, key, y, n_classes):
    """``y`` as int64 labels 0 … n_classes − 1 (whole-number floats are taken too)."""
    if np.issubdtype(y.dtype, np.floating) and np.isfinite(y).all() and (y == np.rint(y)).all():
        y = y.astype(np.int64)
    if not np.issubdtype(y.dtype, np.integer):
        raise DataError(f"{source}: {key} holds {y.dtype} values; labels are whole numbers "
                        f"0–{n_classes - 1}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise DataError(f"{source}: {key} holds labels from {y.min()} to {y.max()}; expected labels "
                        f"0–{n_classes - 1}")
    return y.astype(np.int64)


def _one_hot_rows(y):
    return bool(np.issubdtype(y.dtype, np.number) and y.size and ((y == 0) | (y == 1)).all()
                and (y.sum(1) == 1).all())


def _checked(source, arrays, n_classes):
    """x/y train/test arrays from any source, checked; images ``(n, h, w)`` (a square row
    of pixels, or a single channel, is reshaped). Raises DataError naming ``source``."""
    out = {}
    for part in ("train", "test"):
        x, y = np.asarray(arrays[f"x_{part}"]), np.asarray(arrays[f"y_{part}"])
        if x.ndim == 4 and x.shape[3] == 1:  # Keras's (n, 28, 28, 1)
            x = x[..., 0]
        side = int(np.sqrt(x.shape[1])) if x.ndim == 2 else 0
        if x.ndim == 2 and side * side == x.shape[1]:
            x = x.reshape(-1, side, side)
        if x.ndim != 3 or x.shape[0] == 0:
            raise DataError(f"{source}: x_{part} should be a stack of images (n, h, w), got "
                            f"shape {x.shape}")
        if y.ndim == 2 and y.shape[0] == x.shape[0] and _one_hot_rows(y):
            y = y.argmax(1)  # one-hot targets, as Keras users keep them
        if y.shape != (x.shape[0],):
            raise DataError(f"{source}: y_{part} has shape {y.shape}, expected "
                            f"({x.shape[0]},) labels")
        out[f"x_{part}"] = _pixels(source, f"x_{part}", x)
        out[f"y_{part}"] = _labels(source, f"y_{part}", y, n_classes)
    if out["x_train"].shape[1:] != out["x_test"].shape[1:]:
        raise DataError(f"{source}: training and test images differ in size")
    return out


@lru_cache(maxsize=1)
def _mnist_mean():
    """MNIST's mean test image, ``(28, 28)`` float64 in bytes."""
    return read_npz(MNIST_PATH, ("x_test",), DataError)["x_test"].mean(0, dtype=np.float64)


def _correlation(a, b):
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / max(np.sqrt((a * a).sum() * (b * b).sum()), 1e-12))


def orientation(images):
    """``"upright"``, ``"transposed"`` (as EMNIST stores its digits) or None (no telling) for
    28×28 digits ``(n, 28, 28)``.

    Their mean image is compared with MNIST's own mean image and with its transpose: MNIST's
    mean correlates 0.73 with its own transpose, a sample of 100 MNIST images' mean 0.97
    with it, so either answer needs a correlation above 0.8 and 0.1 more than the other.
    """
    if images.shape[1:] != (28, 28) or not MNIST_PATH.is_file():
        return None
    mean = images[:20000].mean(0, dtype=np.float64)
    reference = _mnist_mean()
    upright, turned = _correlation(mean, reference), _correlation(mean, reference.T)
    if max(upright, turned) > 0.8 and abs(turned - upright) > 0.1:
        return "transposed" if turned > upright else "upright"
    return None


def _digits_split(name, source, arrays, class_names, notes=()):
    """The DataSplit of checked ``arrays``; digits stored transposed are turned upright:
    those that look it, and EMNIST's (named so) unless they look upright."""
    arrays = _checked(source, arrays, len(class_names))
    if class_names == DIGITS:
        seen = orientation(arrays["x_train"])
        emnist = "emnist" in str(name).lower() or "emnist" in Path(source).name.lower()
        if seen == "transposed" or (emnist and seen is None):
            for key in ("x_train", "x_test"):
                arrays[key] = np.ascontiguousarray(arrays[key].transpose(0, 2, 1))
            notes = (*notes, TRANSPOSED_NOTE)
    return _split(name, arrays, class_names, notes)


def _split(name, arrays, class_names, notes=()):
    return DataSplit(name,
                     image_dataset(name, arrays["x_train"], arrays["y_train"], class_names),
                     image_dataset(name, arrays["x_test"], arrays["y_test"], class_names),
                     tuple(notes))


def load_npz(path, name=None, class_names=DIGITS):
    """Our ``resources/mnist.npz`` or a Keras-style ``mnist.npz``.

    Keys ``x_train (n, 28, 28), y_train (n,), x_test, y_test``: pixels integers 0–255 or
    floats in [0, 1]; every array's declared size is checked before it is read.
    """
    path = Path(path)
    arrays = read_npz(path, tuple(IDX_FILES), DataError)
    return _digits_split(name or path.stem, path, arrays, class_names)


def load_idx_folder(folder, name=None, class_names=DIGITS):
    """The four IDX files in ``folder`` (see :mod:`engine.idx` for the layouts found).

    A folder named like an IDX file that holds no set (Kaggle's layout, one file of the
    set chosen) stands for the folder above it.
    """
    folder = Path(folder)
    if is_idx_name(folder.name) and (folder / folder.name).is_file():
        folder = folder.parent
    prefix = idx_prefix(folder)
    arrays = {key: read_idx(find_idx(folder, prefix, key), "images" if key[0] == "x" else
                            "labels") for key in IDX_FILES}
    notes = (f"read the {prefix}… files",) if prefix else ()
    return _digits_split(name or prefix.rstrip("-") or folder.name, folder, arrays,
                         class_names, notes)


def load_nielsen(path):
    """Nielsen's ``mnist.pkl.gz`` (see :mod:`engine.pickled`): 60,000 training and 10,000
    test images."""
    path = Path(path)
    return _digits_split(path.name.split(".")[0], path, read_nielsen(path), DIGITS)


def load_csv(path):
    """A CSV of digits (see :mod:`engine.csvdata`); its note says how the test set was made."""
    path = Path(path)
    arrays, note = read_csv_split(path)
    return _digits_split(path.stem, path, arrays, DIGITS, (note,))


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


def reference(source):
    """What a model or session records of the data it learned: the name (``mnist`` …) as
    it is, a path made absolute, so that ``eval`` finds it from any folder."""
    source = str(source)
    return source if source in NAMES else str(Path(source).resolve())


def counted(n, noun):
    """``"1 output"``, ``"784 inputs"``, ``"60,000 images"``: ``n`` of ``noun``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def same_data(a, b):
    """True when two data set names or paths name the same data."""
    a, b = str(a), str(b)
    if a in NAMES or b in NAMES:
        return a == b
    return Path(a).resolve() == Path(b).resolve()


def class_names(name):
    """The class names of the named data set (``mnist``, ``fashion``, ``trask``, ``xor``)."""
    return FASHION_CLASSES if name == "fashion" else ("0", "1") if name in ("trask", "xor") \
        else DIGITS


def _kind(path):
    """``"npz"``, ``"pickle"``, ``"idx"``, ``"csv"`` or None, from the file's first bytes."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"PK") or path.suffix.lower() == ".npz":
        return "npz"
    if head.startswith(b"\x1f\x8b"):
        with open_decompressed(path) as f:
            head = f.read(4)
    if head.startswith(b"\0\0\x08"):
        return "idx"
    if head[:1] == b"\x80" or path.name.lower().endswith((".pkl", ".pkl.gz", ".pickle")):
        return "pickle"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "csv" if path.suffix.lower() == ".csv" or "," in text.split("\n")[0] else None


def load(source="mnist"):
    """A data set by name (``mnist``, ``fashion``, ``trask``, ``xor``) or path (see
    FORMATS; a file is recognised by its first bytes, an IDX file stands for its folder).

    Raises DataError naming the file and what is wrong, listing the formats read when the
    file is none of them.
    """
    loaders = {"mnist": load_mnist, "fashion": load_fashion, "trask": trask, "xor": xor}
    if str(source) in loaders:
        return loaders[str(source)]()
    path = Path(source)
    if path.is_dir():
        return load_cifar10(path) if is_cifar_folder(path) else load_idx_folder(path)
    if not path.exists():
        raise DataError(f"{source}: no such data set; use one of {', '.join(NAMES)}, or a "
                        f"path to {FORMATS}")
    check_regular_file(path, DataError)
    try:
        kind = _kind(path)
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: damaged gzip file ({exc})") from None
    if kind == "idx":
        return load_idx_folder(path.parent)
    readers = {"npz": load_npz, "pickle": load_nielsen, "csv": load_csv}
    if kind is None:
        raise DataError(f"{path}: not a data set this app reads. It reads {FORMATS}")
    return readers[kind](path)
