import gzip

import numpy as np
import pytest

from digit_descent.engine import data
from digit_descent.engine.errors import DataError


def test_embedded_mnist_is_the_original_split():
    split = data.load("mnist")
    assert len(split.train) == 60000 and len(split.test) == 10000
    assert split.train.x.dtype == np.float32 and split.train.x.shape == (60000, 784)
    assert 0 <= split.train.x.min() and split.train.x.max() <= 1
    assert list(split.train.labels[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # original order
    assert list(np.bincount(split.test.labels)) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert split.train.targets.shape == (60000, 10)
    assert (split.train.targets.argmax(1) == split.train.labels).all()
    assert split.train.image_shape == (28, 28)


def _write_idx(path, array, gz=False):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if gz else payload)


def _idx_folder(tmp_path, gz):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (30, 28, 28)), "y_train": rng.integers(0, 10, 30),
              "x_test": rng.integers(0, 256, (12, 28, 28)), "y_test": rng.integers(0, 10, 12)}
    for key, stem in data.IDX_FILES.items():
        _write_idx(tmp_path / (stem + (".gz" if gz else "")), arrays[key], gz)
    return arrays


@pytest.mark.parametrize("gz", [False, True])
def test_idx_folder_round_trip(tmp_path, gz):
    arrays = _idx_folder(tmp_path, gz)
    split = data.load(tmp_path)
    assert len(split.train) == 30 and len(split.test) == 12
    np.testing.assert_allclose(split.test.x[3] * 255, arrays["x_test"][3].ravel(), atol=1e-3)
    assert list(split.train.labels) == list(arrays["y_train"])


def test_truncated_idx_names_the_file(tmp_path):
    _idx_folder(tmp_path, gz=False)
    f = tmp_path / "train-images-idx3-ubyte"
    f.write_bytes(f.read_bytes()[:-100])
    with pytest.raises(DataError, match="train-images-idx3-ubyte.*truncated"):
        data.load(tmp_path)


def test_garbage_idx_names_the_file(tmp_path):
    _idx_folder(tmp_path, gz=False)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(b"hello, this is not an idx file")
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.*magic"):
        data.load(tmp_path)


def test_truncated_gzip(tmp_path):
    _idx_folder(tmp_path, gz=True)
    f = tmp_path / "train-labels-idx1-ubyte.gz"
    f.write_bytes(f.read_bytes()[:20])
    with pytest.raises(DataError, match="train-labels-idx1-ubyte.gz"):
        data.load(tmp_path)


def test_missing_idx_file(tmp_path):
    with pytest.raises(DataError, match="no train-images-idx3-ubyte"):
        data.load_idx_folder(tmp_path)


def test_keras_npz(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), y_train=np.arange(20) % 10,
             x_test=rng.integers(0, 256, (5, 28, 28), dtype=np.uint8), y_test=np.arange(5))
    split = data.load(path)
    assert split.train.x.shape == (20, 784) and list(split.test.labels) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04garbage", b"\x93NUMPY nonsense"])
def test_garbage_npz(tmp_path, content):
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    with pytest.raises(DataError, match="bad.npz"):
        data.load(path)


def test_npz_with_wrong_keys(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, a=np.zeros(3))
    with pytest.raises(DataError, match="missing x_train"):
        data.load(path)


def test_npz_with_bad_labels(tmp_path):
    path = tmp_path / "labels.npz"
    x = np.zeros((3, 28, 28), np.uint8)
    np.savez(path, x_train=x, y_train=np.array([0, 1, 12]), x_test=x, y_test=np.array([0, 1, 2]))
    with pytest.raises(DataError, match="labels 0–9"):
        data.load(path)


def test_fashion_absent_says_how_to_get_it(tmp_path):
    with pytest.raises(DataError, match="apt-get install dataset-fashion-mnist"):
        data.load_fashion(tmp_path / "nowhere")


@pytest.mark.skipif(not data.FASHION_DIR.is_dir(), reason="dataset-fashion-mnist not installed")
def test_fashion_from_debian_package():
    split = data.load("fashion")
    assert len(split.train) == 60000 and split.train.class_names[9] == "Ankle boot"


def test_toy_sets():
    t = data.load("trask")
    assert t.train.x.tolist() == [[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]]
    assert t.train.labels.tolist() == [1, 1, 0, 0] and t.train.targets.shape == (4, 1)
    assert data.load("xor").train.labels.tolist() == [0, 1, 1, 0]


def test_shuffled_labels_keep_inputs_and_label_counts():
    ds = data.load("mnist").train.subset(1000)
    sh = ds.with_shuffled_labels(seed=0)
    assert sh.x is ds.x
    assert sorted(sh.labels) == sorted(ds.labels)
    assert np.mean(sh.labels == ds.labels) < 0.2
    assert (sh.targets.argmax(1) == sh.labels).all()
