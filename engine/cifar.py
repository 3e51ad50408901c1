"""CIFAR-10's binary version: batches of 10,000 colour photos of 32×32 pixels.

Records of one label byte and 3,072 pixel bytes (the red, green and blue planes one after
another), as in ``cifar-10-binary.tar.gz`` from https://www.cs.toronto.edu/~kriz/cifar.html.
"""

from pathlib import Path

import numpy as np

from .errors import DataError
from .files import MAX_ARRAY_BYTES, check_regular_file

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                 "truck")
CIFAR_RECORD = 1 + 32 * 32 * 3  # a label byte, then the red, green and blue planes
CIFAR_TRAIN = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
CIFAR_TEST = "test_batch.bin"
CIFAR_MISSING = ("CIFAR-10 is not embedded (163 MB). Download its binary version, "
                 "cifar-10-binary.tar.gz, from https://www.cs.toronto.edu/~kriz/cifar.html, "
                 "unpack it and choose the folder cifar-10-batches-bin (it holds "
                 "data_batch_1.bin … data_batch_5.bin and test_batch.bin)")


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
