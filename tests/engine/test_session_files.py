import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import SessionFileError, Session, load, preset
from engine.session_io import load_session, save_session

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def small_mnist():
    split = load("mnist")
    return type(split)(split.name, split.train.subset(1000), split.test.subset(500))


def test_a_saved_session_reads_back_exactly(small_mnist, tmp_path):
    session = Session(preset("3b1b").replace(epochs=2, train_subset=1000), small_mnist)
    session.run_epoch()
    session.run_epoch()
    session.run_steps(7)  # and a little into the third epoch
    path = tmp_path / "run.npz"
    save_session(session, path, layout={"panels": ["cost", "weights"]})
    record = load_session(path)
    steps, points = session.trajectory.frozen
    assert record.config == session.config and record.step == session.trainer.steps == 207
    assert list(record.steps) == list(steps)
    assert np.array_equal(record.trajectory, np.stack(points))
    assert np.array_equal(record.params, session.network.params)
    assert np.array_equal(record.initial, session.initial)
    assert record.reports == tuple(session.reports)
    for a, b in zip(record.history, session.trainer.history.arrays()):
        assert np.array_equal(a, b)
    assert record.extra == {"layout": {"panels": ["cost", "weights"]}}
    # the network as it was at a step: the last recorded one at or before it
    at, net = record.network_at(150)
    assert at == 128 and np.array_equal(net.params, points[list(steps).index(128)])
    at, net = record.network_at(100_000)
    assert at == 207 and np.array_equal(net.params, session.network.params)


def test_eval_of_a_session_agrees_with_the_training_run(tmp_path):
    path = tmp_path / "run.npz"
    train = subprocess.run([sys.executable, str(ROOT / "main.py"), "train", "--preset", "xor",
                            "--epochs", "300", "--json", "--session", str(path)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert train.returncode == 0, train.stderr
    last = json.loads(train.stdout.splitlines()[-1])
    ev = subprocess.run([sys.executable, str(ROOT / "main.py"), "eval", str(path), "--json"],
                        cwd=ROOT, capture_output=True, text=True, timeout=120)
    result = json.loads(ev.stdout)
    assert result["step"] == 300 and result["test_accuracy"] == last["test_accuracy"]
    early = subprocess.run([sys.executable, str(ROOT / "main.py"), "eval", str(path), "--step",
                            "5", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(early.stdout)["step"] == 4  # log-spaced: 0, 1, 2, 4, 8, …


@pytest.mark.parametrize("damage", ["truncate", "garbage", "model", "edited"])
def test_bad_session_files_are_one_clear_error(small_mnist, tmp_path, damage):
    from engine import Network, save_model

    path = tmp_path / "run.npz"
    session = Session(preset("xor").replace(epochs=3))
    session.run_epoch()
    save_session(session, path)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[:len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"PK\x03\x04" + bytes(300))
    elif damage == "model":
        save_model(Network((2, 4, 1)), path)
    else:  # arrays that no longer fit the description
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
        arrays["trajectory"] = arrays["trajectory"][:, :5]
        np.savez(path, **arrays)
    with pytest.raises(SessionFileError, match="run.npz"):
        load_session(path)
