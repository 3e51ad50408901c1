import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digit_descent.engine import SessionFileError, Session, load, preset
from digit_descent.engine.session_io import load_session, save_session
from digit_descent.engine.session_io import SavedGhost

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
    steps, points = session.trajectory.frozen[:2]
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
    train = subprocess.run([sys.executable, "-m", "digit_descent", "train", "--preset", "xor",
                            "--epochs", "300", "--json", "--session", str(path)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert train.returncode == 0, train.stderr
    last = json.loads(train.stdout.splitlines()[-1])
    ev = subprocess.run([sys.executable, "-m", "digit_descent", "eval", str(path), "--json"],
                        cwd=ROOT, capture_output=True, text=True, timeout=120)
    result = json.loads(ev.stdout)
    assert result["step"] == 300 and result["test_accuracy"] == last["test_accuracy"]
    early = subprocess.run([sys.executable, "-m", "digit_descent", "eval", str(path), "--step",
                            "5", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(early.stdout)["step"] == 4  # log-spaced: 0, 1, 2, 4, 8, …


def test_train_resumes_a_session_from_its_end(tmp_path):
    first, after = tmp_path / "first.npz", tmp_path / "after.npz"

    def main(*args):
        return subprocess.run([sys.executable, "-m", "digit_descent", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    assert main("train", "--preset", "xor", "--epochs", "50", "--session", str(first)).returncode == 0
    resumed = main("train", "--resume", str(first), "--epochs", "30", "--json",
                   "--session", str(after))
    assert resumed.returncode == 0, resumed.stderr
    assert [json.loads(line)["epoch"] for line in resumed.stdout.splitlines()] == list(range(51, 81))
    old, new = load_session(first), load_session(after)
    assert new.step == 80 and new.reports[:50] == old.reports
    assert np.array_equal(new.initial, old.initial)
    kept = list(new.steps).index(old.step)  # the old run's end is a point of the new one
    assert np.array_equal(new.trajectory[kept], old.params)
    refused = main("train", "--resume", str(first), "--preset", "3b1b", "--lr", "3")
    assert refused.returncode == 2 and "drop --preset, --lr" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.parametrize("damage, message", [
    ("truncate", "run.npz"), ("garbage", "run.npz"),
    ("model", r"run\.npz: a model \(saved with train --save or File → Save model\), not a "
              "session"),
    ("edited", "run.npz"), ("step", r"run\.npz: its step is -5 \(damaged or edited\)"),
])
def test_bad_session_files_are_one_clear_error(small_mnist, tmp_path, damage, message):
    from digit_descent.engine import Network, save_model

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
    elif damage == "step":
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
        meta = json.loads(str(arrays["meta"]))
        meta["step"] = -5
        arrays["meta"] = np.array(json.dumps(meta))
        np.savez(path, **arrays)
    else:  # arrays that no longer fit the description
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
        arrays["trajectory"] = arrays["trajectory"][:, :5]
        np.savez(path, **arrays)
    with pytest.raises(SessionFileError, match=message):
        load_session(path)


def _small_session(epochs=2):
    from digit_descent.engine import preset
    from digit_descent.engine.session import Session

    session = Session(preset("3b1b").replace(train_subset=500, epochs=epochs, lr_decay=0.5))
    for _ in range(epochs):
        session.run_epoch()
    return session


def test_a_snapshot_looks_back_at_a_recorded_step():
    session = _small_session()
    live = session.snapshot()
    steps, params, samples = live.trajectory
    back = live.at(70)  # between the recorded 64 and 128
    assert back.step == 64 and back.samples_seen == samples[steps.index(64)] == 640
    np.testing.assert_array_equal(back.params, params[steps.index(64)])
    assert back.epoch == 1 and back.epoch_progress == pytest.approx(140 / 500)
    assert back.live_step == live.step and back.evaluation is None
    assert back.at(0).live_step == live.step and back.at(0).step == 0


def test_fork_goes_back_and_trains_on_from_there():
    session = _small_session(epochs=3)
    steps, params, _ = session.trajectory.frozen
    assert session.fork(40) == 32  # (50, an epoch end, is recorded too)
    trainer = session.trainer
    np.testing.assert_array_equal(trainer.network.params, params[steps.index(32)])
    assert (trainer.steps, trainer.samples_seen, trainer.epoch) == (32, 320, 0)
    assert session.reports == [] and session.trajectory.steps[-1] == 32
    assert trainer.history.arrays()[0][-1] <= 320
    report = session.run_epoch()  # the rest of the first epoch
    assert (report.epoch, report.samples_seen, trainer.steps) == (1, 500, 50)
    assert report.lr == pytest.approx(0.5)  # decayed from the rate of that point


def test_snapshots_share_the_reports_until_they_change():
    session = _small_session(epochs=3)  # 50 steps an epoch
    first = session.snapshot().reports
    assert session.snapshot().reports is first and len(first) == 3  # no copy 30 times a second
    session.run_epoch()
    fourth = session.snapshot().reports
    assert fourth[:3] == first and len(fourth) == 4
    assert session.fork(170) == 150  # back to the third epoch's end, then a new fourth epoch
    session.run_epoch()
    branch = session.snapshot().reports
    assert len(branch) == 4 and branch[-1] is not fourth[-1] and branch[-1] is session.reports[-1]


def test_a_saved_run_continues_where_it_ended(tmp_path):
    from digit_descent.engine.session import Session

    session = _small_session()
    save_session(session, tmp_path / "run.npz")
    record = load_session(tmp_path / "run.npz")
    assert record.trajectory_samples == session.trajectory.frozen[2]
    again = Session.from_record(record)
    a, b = session.snapshot(), again.snapshot()
    for name in ("step", "epoch", "samples_seen", "history_stride"):
        assert getattr(a, name) == getattr(b, name), name
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.initial_params, b.initial_params)
    for x, y in zip(a.history, b.history):
        np.testing.assert_array_equal(x, y)
    assert a.reports == b.reports and a.trajectory[0] == b.trajectory[0]
    assert again.trainer.lr == pytest.approx(session.trainer.lr)
    report = again.run_epoch()
    assert report.epoch == 3 and report.samples_seen == 1500


def test_reports_stay_bounded_however_long_the_run(monkeypatch):
    import digit_descent.engine.session as session_module
    from digit_descent.engine.session import Session

    monkeypatch.setattr(session_module, "MAX_REPORTS", 40)
    session = Session(preset("trask").replace(epochs=500))
    for _ in range(200):
        session.run_epoch()
    epochs = [r.epoch for r in session.reports]
    assert len(epochs) <= 40 and epochs[-1] == 200
    assert epochs == sorted(epochs) and epochs[-10:] == list(range(191, 201))  # recent: all


def _xor_session(steps):
    session = Session(preset("xor").replace(epochs=steps))
    for _ in range(steps):
        session.run_epoch()
    return session


def ghost_of(label, s):
    """What the app keeps of an earlier run (gui.model.GhostRun has these fields)."""
    return SavedGhost(label, s.history, s.history_stride, s.step, s.n_train, s.reports)


def test_a_session_keeps_its_ghosts(tmp_path):
    """Saved sessions lost the earlier runs drawn faint beside the run (a fork's ghost)."""
    before, run = _xor_session(6), _xor_session(3)
    ghost = before.snapshot()
    path = tmp_path / "run.npz"
    labelled = ghost_of("before the fork at step 3", ghost)
    save_session(run, path, (labelled, labelled))
    record = load_session(path)
    assert len(record.ghosts) == 2 and "ghosts" not in record.extra
    back = record.ghosts[1]
    assert (back.label, back.step, back.n_train, back.history_stride) == \
        ("before the fork at step 3", ghost.step, ghost.n_train, ghost.history_stride)
    assert back.reports == ghost.reports
    for a, b in zip(back.history, ghost.history):
        np.testing.assert_array_equal(a, b)


def test_an_older_session_without_ghosts_still_opens(tmp_path):
    path = tmp_path / "run.npz"
    save_session(_xor_session(2), path)
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files if not k.startswith("ghost_")}
    meta = json.loads(str(arrays["meta"]))
    del meta["ghosts"]
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)
    assert load_session(path).ghosts == ()


@pytest.mark.parametrize("ghosts", [
    "not a list", [{"label": "x"}], [{"label": "x", "length": 10**9, "history_stride": 1,
                                      "step": 1, "n_train": 4, "reports": []}],
    [{"label": 5, "length": 0, "history_stride": 1, "step": 1, "n_train": 4, "reports": []}],
    [{"label": "x", "length": 0, "history_stride": 0, "step": 1, "n_train": 4, "reports": []}]])
def test_damaged_ghosts_are_one_clear_error(tmp_path, ghosts):
    path = tmp_path / "run.npz"
    save_session(_xor_session(2), path, (ghost_of("x", _xor_session(2).snapshot()),))
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files}
    meta = json.loads(str(arrays["meta"]))
    meta["ghosts"] = ghosts
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)
    with pytest.raises(SessionFileError, match="run.npz: its kept earlier runs"):
        load_session(path)
