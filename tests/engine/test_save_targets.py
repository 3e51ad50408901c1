"""Saving never replaces what is not a regular file: a named pipe, a device (through a link)."""

import os
import sys

import numpy as np
import pytest

from digit_descent.engine import ModelFileError, Network, save_model
from digit_descent.engine.model_io import atomic_write, check_save_target, check_writable

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="mkfifo and /dev/null are POSIX")


@pytest.fixture(params=["fifo", "link-to-dev-null"])
def special(request, tmp_path, monkeypatch):
    """A path that is not a regular file; the test must leave it as it was. Should the
    refusal ever go, the rename that would replace the machine's /dev/null fails instead."""
    real_replace = os.replace

    def replace_inside(src, dst):
        if not os.path.realpath(dst).startswith(os.path.realpath(tmp_path)):
            raise AssertionError(f"would replace {os.path.realpath(dst)}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_inside)
    path = tmp_path / "target.npz"
    if request.param == "fifo":
        os.mkfifo(path)
        kind = "named pipe"
    else:
        path.symlink_to(os.devnull)  # never written: the refusal comes first
        kind = "character device"
    before = os.stat(path).st_mode
    yield path, kind
    assert os.stat(path).st_mode == before  # still a pipe / still the device
    assert [p.name for p in tmp_path.iterdir()] == ["target.npz"]  # no temporary left


def test_check_writable_refuses_a_special_file(special):
    path, kind = special
    with pytest.raises(OSError, match=f"is a {kind}, not a regular file"):
        check_writable(path)
    with pytest.raises(ModelFileError, match=f"target.npz: cannot save the model there .*{kind}"):
        check_save_target(path)


def test_atomic_write_refuses_a_special_file(special):
    path, kind = special
    written = []
    with pytest.raises(OSError, match=kind):
        atomic_write(path, written.append)
    assert not written  # refused before any work


def test_save_model_refuses_a_special_file(special):
    path, kind = special
    with pytest.raises(ModelFileError, match=kind):
        save_model(Network((3, 2), seed=0), path)


def test_save_session_refuses_a_special_file(special):
    from digit_descent.engine import SessionFileError
    from digit_descent.engine.session_io import save_session

    class _Run:  # the fields save_session reads, smallest possible
        trajectory = ([0], [np.zeros(2, np.float32)], [0])
        history = (np.zeros(0), np.zeros(0, np.float32), np.zeros(0, np.float32))
        step = epoch = samples_seen = 0
        history_stride = 1
        reports = ()
        sizes = (1, 1)
        initial_params = params = np.zeros(2, np.float32)

        class config:
            @staticmethod
            def to_dict():
                return {}

    path, kind = special
    with pytest.raises(SessionFileError, match=kind):
        save_session(_Run(), path)


def test_cli_train_refuses_a_special_target_before_training(special):
    import subprocess

    path, kind = special
    if kind != "named pipe":
        pytest.skip("a process of its own cannot be kept off the real /dev/null")
    for flag in ("--save", "--session"):
        r = subprocess.run([sys.executable, "-m", "digit_descent", "train", "--preset", "xor",
                            "--epochs", "1", flag, str(path)], capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 2 and not r.stdout, r.stderr
        assert r.stderr.count("\n") == 1 and kind in r.stderr and str(path) in r.stderr
