import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def write_cifar():
    """Writes tiny CIFAR-10 binary batches (the label decides which colour plane is bright)
    into a folder; returns the folder."""
    def write(folder, n=60, seed=0):
        rng = np.random.default_rng(seed)
        folder.mkdir(exist_ok=True)
        for name in ("data_batch_1.bin", "data_batch_2.bin", "test_batch.bin"):
            labels = rng.integers(0, 10, n).astype(np.uint8)
            planes = rng.integers(0, 60, (n, 3, 32, 32)).astype(np.uint8)
            planes[np.arange(n), labels % 3] += 180
            records = np.concatenate([labels[:, None], planes.reshape(n, -1)], axis=1)
            records.tofile(folder / name)
        return folder
    return write


def pytest_report_header(config):
    import digit_descent

    return f"digit_descent {digit_descent.__version__} from {Path(digit_descent.__file__).parent}"
