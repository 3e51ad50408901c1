"""Hostile and damaged files: one clear error, no allocation a file asks for, no hang."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digit_descent.engine import DataError, ModelFileError, Network, load_model, save_model
from digit_descent.engine.data import load, read_idx

ROOT = Path(__file__).resolve().parent.parent.parent


def npy_header(shape, dtype="<f4"):
    """The bytes of a .npy header declaring ``shape`` (no data follows)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False,
                                                  "shape": tuple(shape)})
    return b"\x93NUMPY\x01\x00"[:0] + buffer.getvalue()


def write_npz(path, members, compress=False):
    """A .npz by hand: ``members`` maps a name to the raw bytes of its .npy."""
    mode = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", mode) as z:
        for name, data in members.items():
            z.writestr(name + ".npy", data)
    return path


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def meta_npy(**meta):
    base = {"format": "digit-descent-model", "version": 1, "sizes": [4, 3, 2],
            "activation": "sigmoid", "cost": "mse"}
    return npy(np.array(json.dumps({**base, **meta})))


def test_layer_sizes_that_need_gigabytes_are_refused_before_allocating(tmp_path):
    path = write_npz(tmp_path / "huge.npz", {"params": npy(np.zeros(10, np.float32)),
                                             "meta": meta_npy(sizes=[784, 10**6, 10**4])})
    with pytest.raises(ModelFileError, match="limit is 50,000,000"):
        load_model(path)


def test_an_array_header_declaring_a_trillion_floats_is_refused(tmp_path):
    path = write_npz(tmp_path / "liar.npz", {"params": npy_header((10**12,)), "meta": meta_npy()})
    with pytest.raises(ModelFileError, match="declares 1,000,000,000,000 values"):
        load_model(path)


def test_a_deflate_bomb_is_refused_from_its_declared_size(tmp_path):
    """A member that declares 3 GB is refused before a byte of it is inflated."""
    import struct

    path = write_npz(tmp_path / "bomb.npz", {"params": npy(np.zeros(64, np.float32)),
                                             "meta": meta_npy()}, compress=True)
    data = bytearray(path.read_bytes())
    declared = struct.pack("<I", 3 * 2**30)
    local = data.index(b"PK\x03\x04")  # the first member, params.npy
    central = data.index(b"PK\x01\x02")
    data[local + 22:local + 26] = declared  # uncompressed size, local header
    data[central + 24:central + 28] = declared  # and central directory
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="would take 3,072 MB"):
        load_model(path)


def test_huge_or_deep_metadata_is_one_message(tmp_path):
    big = write_npz(tmp_path / "big.npz", {"params": npy(np.zeros(23, np.float32)),
                                           "meta": npy(np.array("x" * (3 * 2**20)))})
    with pytest.raises(ModelFileError, match="the limit is"):
        load_model(big)
    deep = write_npz(tmp_path / "deep.npz", {"params": npy(np.zeros(23, np.float32)),
                                             "meta": npy(np.array("[" * 100000 + "]" * 100000))})
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model(deep)


@pytest.mark.parametrize("meta, message", [
    ({"sizes": "784-10"}, "layer sizes"), ({"sizes": [4, "three", 2]}, "layer sizes"),
    ({"sizes": [4, -3, 2]}, "layer sizes"), ({"activation": 7}, "activation 7"),
    ({"dtype": "object"}, "dtype"), ({"version": "one"}, "newer"), ({"cost": "hinge"}, "unknown cost"),
])
def test_malformed_descriptions_are_one_message(tmp_path, meta, message):
    path = write_npz(tmp_path / "m.npz", {"params": npy(np.zeros(23, np.float32)),
                                          "meta": meta_npy(**meta)})
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_non_numeric_and_non_finite_parameters(tmp_path):
    text = write_npz(tmp_path / "text.npz", {"params": npy(np.array(["a"] * 23)), "meta": meta_npy()})
    with pytest.raises(ModelFileError, match="not numbers"):
        load_model(text)
    params = np.zeros(23, np.float32)
    params[4] = np.nan
    nan = write_npz(tmp_path / "nan.npz", {"params": npy(params), "meta": meta_npy()})
    with pytest.raises(ModelFileError, match="NaN or infinite"):
        load_model(nan)


def test_random_bytes_and_idx_files_never_suggest_unpickling(tmp_path):
    for name, content in (("random.npz", os.urandom(5000)),
                          ("idx.npz", b"\x00\x00\x08\x03" + bytes(16 + 784))):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ModelFileError) as error:
            load_model(path)
        assert "pickle" not in str(error.value) and name in str(error.value)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root reads any file; Windows has no permission bits")
def test_permission_denied_is_not_called_damaged(tmp_path):
    path = tmp_path / "m.npz"
    save_model(Network((4, 3, 2)), path)
    path.chmod(0)
    with pytest.raises(ModelFileError, match="permission denied"):
        load_model(path)


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_files_that_are_not_regular_files_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ModelFileError, match="not a regular file"):
        load_model(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        load(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        read_idx(fifo)


def test_a_gzip_idx_bomb_is_refused_from_its_header(tmp_path):
    import gzip

    header = b"\x00\x00\x08\x03" + (10**6).to_bytes(4, "big") + (2000).to_bytes(4, "big") * 2
    path = tmp_path / "train-images-idx3-ubyte.gz"
    with gzip.open(path, "wb") as f:  # declares 4 GB; holds 64 MB of zeros
        f.write(header)
        f.write(bytes(64 * 2**20))
    assert path.stat().st_size < 2**20
    with pytest.raises(DataError, match="limit is 1,024 MB"):
        read_idx(path)


def test_idx_dimensions_that_overflow_are_one_message(tmp_path):
    path = tmp_path / "x-idx3-ubyte"
    path.write_bytes(b"\x00\x00\x08\x03" + b"\xff\xff\xff\xff" * 3 + bytes(100))
    with pytest.raises(DataError, match="limit"):
        read_idx(path)


def test_a_data_npz_with_a_lying_header_is_refused(tmp_path):
    path = write_npz(tmp_path / "mnist.npz", {"x_train": npy_header((10**9, 28, 28), "|u1"),
                                              "y_train": npy(np.zeros(10, np.uint8)),
                                              "x_test": npy(np.zeros((10, 28, 28), np.uint8)),
                                              "y_test": npy(np.zeros(10, np.uint8))})
    with pytest.raises(DataError, match="limit is 1,024 MB"):
        load(path)


@pytest.mark.skipif(sys.platform == "win32", reason="resource.setrlimit is POSIX")
def test_bombs_stay_within_a_memory_limit(tmp_path):
    """The real CLI, under a 1.5 GB address-space limit: refused with a message, exit code 2."""
    header = b"\x00\x00\x08\x03" + (10**6).to_bytes(4, "big") + (2000).to_bytes(4, "big") * 2
    folder = tmp_path / "data"
    folder.mkdir()
    import gzip

    with gzip.open(folder / "train-images-idx3-ubyte.gz", "wb") as f:
        f.write(header + bytes(8 * 2**20))
    model = write_npz(tmp_path / "liar.npz", {"params": npy_header((10**11,)), "meta": meta_npy()})
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20,) * 2); "
    for args in (["eval", str(model)], ["train", "--dataset", str(folder), "--epochs", "1"],
                 ["train", "--layers", "784-1000000-10", "--epochs", "1"]):
        code = limit + "import sys; sys.argv = ['main.py'] + %r; import runpy; " \
                       "runpy.run_module('digit_descent', run_name='__main__')" % args
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("error: ") and "Traceback" not in run.stderr
        assert "limit" in run.stderr
