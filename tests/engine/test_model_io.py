import sys

import numpy as np
import pytest

from digit_descent.engine import ModelFileError, Network, load_model, save_model


def test_round_trip_keeps_weights_and_metadata(tmp_path):
    net = Network((784, 16, 16, 10), "relu", "cross-entropy", seed=7)
    path = tmp_path / "m.npz"
    save_model(net, path, dataset="mnist", summary={"test_accuracy": 0.96})
    loaded = load_model(path)
    assert loaded.sizes == net.sizes and loaded.activation_name == "relu"
    assert loaded.cost_name == "cross-entropy"
    assert np.array_equal(loaded.params, net.params)
    assert loaded.metadata["summary"]["test_accuracy"] == 0.96
    assert loaded.metadata["dataset"] == "mnist"
    assert not list(tmp_path.glob("*.tmp"))


def test_saving_over_a_file_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    save_model(Network((3, 2), seed=0), path)
    before = path.read_bytes()

    def broken_savez(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(ModelFileError, match="disk full"):
        save_model(Network((3, 2), seed=1), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_truncated_model(tmp_path):
    path = tmp_path / "m.npz"
    save_model(Network((784, 16, 10)), path)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelFileError, match="m.npz"):
        load_model(path)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04\x00\x00"])
def test_garbage_model(tmp_path, content):
    path = tmp_path / "g.npz"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match="g.npz"):
        load_model(path)


def test_foreign_npz_and_pickle(tmp_path):
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, params=np.zeros(3), meta=np.array('{"format": "something else"}'))
    with pytest.raises(ModelFileError, match="not a Digit Descent model"):
        load_model(foreign)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, params=np.array([object()], dtype=object), meta=np.array("{}"))
    with pytest.raises(ModelFileError, match="pickled.npz"):
        load_model(pickled)


def test_wrong_parameter_count(tmp_path):
    path = tmp_path / "m.npz"
    save_model(Network((4, 3, 2)), path)
    with np.load(path) as f:
        meta = f["meta"]
    np.savez(path, params=np.zeros(5, np.float32), meta=meta)
    with pytest.raises(ModelFileError, match="need 23"):
        load_model(path)


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load_model(tmp_path / "nope.npz")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_saved_file_gets_ordinary_permissions(tmp_path):
    import os
    import stat

    path = tmp_path / "m.npz"
    save_model(Network((3, 2)), path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask  # not mkstemp's 0600


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_saving_through_a_symlink_replaces_its_target(tmp_path):
    import os

    target = tmp_path / "real.npz"
    save_model(Network((3, 2), seed=0), target)
    link = tmp_path / "link.npz"
    os.symlink(target, link)
    save_model(Network((3, 2), seed=1), link)
    assert link.is_symlink() and np.array_equal(load_model(target).params,
                                                Network((3, 2), seed=1).params)


def test_a_read_only_file_is_not_replaced(tmp_path):
    path = tmp_path / "m.npz"
    save_model(Network((3, 2), seed=0), path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(ModelFileError, match="read-only"):
        save_model(Network((3, 2), seed=1), path)
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444


def test_temporary_files_of_a_killed_save_are_cleaned_up(tmp_path):
    import os
    import time

    path = tmp_path / "m.npz"
    stale = tmp_path / ".m.npz.abc123.tmp"
    stale.write_bytes(b"x" * 1000)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    save_model(Network((3, 2)), path)
    assert not stale.exists() and path.exists()
