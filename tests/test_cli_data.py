"""The command line on data sets people hold, on models trained on them, and on runs that
diverge: exit codes, messages and the files left behind."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digit_descent.engine import data
from digit_descent.engine.errors import DataError

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "digit_descent", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def digits():
    arrays = data.read_npz(data.MNIST_PATH, ("x_test", "y_test"), DataError)
    return arrays["x_test"][:300], arrays["y_test"][:300]


@pytest.fixture
def tiny_npz(tmp_path, digits):
    x, y = digits
    path = tmp_path / "tiny.npz"
    np.savez(path, x_train=x[:240], y_train=y[:240], x_test=x[240:], y_test=y[240:])
    return path


def test_a_hostile_pickle_trains_nothing_and_writes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(b"cos\nmkdir\n(V" + str(marker).encode() + b"\ntR."))
    r = run("train", "--dataset", str(path), "--save", str(tmp_path / "m.npz"))
    assert r.returncode == 2 and not r.stdout
    assert r.stderr == (f"error: {path}: refused: it asks for os.mkdir; only NumPy arrays of "
                        "numbers are read from a pickle, nothing else is ever constructed\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnist.pkl.gz"]


def test_train_on_a_csv_says_how_the_test_set_was_made(tmp_path, digits):
    x, y = digits
    rows = [",".join(map(str, [label, *image.ravel()])) for image, label in zip(x, y)]
    path = tmp_path / "train.csv"
    path.write_text("label," + ",".join(f"pixel{i}" for i in range(784)) + "\n"
                    + "\n".join(rows) + "\n")
    r = run("train", "--dataset", str(path), "--preset", "templates", "--epochs", "1", "--json",
            "--save", str(tmp_path / "m.npz"))
    assert r.returncode == 0, r.stderr
    assert "note: a CSV has no test set: its last 50 rows (1/6, in file order) are held out" \
        in r.stderr
    e = run("eval", str(tmp_path / "m.npz"), "--json", cwd=tmp_path.parent)
    assert e.returncode == 0, e.stderr
    result = json.loads(e.stdout)
    assert result["dataset"] == "train" and np.sum(result["confusion"]) == 50


def test_eval_scores_a_model_on_the_data_it_learned(tmp_path, tiny_npz):
    model = tmp_path / "m.npz"
    r = run("train", "--dataset", "tiny.npz", "--preset", "templates", "--epochs", "2",
            "--save", str(model), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    e = run("eval", str(model), "--json")  # from another folder: the path was made absolute
    assert e.returncode == 0 and not e.stderr, e.stderr
    result = json.loads(e.stdout)
    assert result["dataset"] == "tiny" and np.sum(result["confusion"]) == 60
    assert "warning" not in result
    other = run("eval", str(model), "--dataset", "mnist")
    assert other.returncode == 0 and "on 10,000 mnist images" in other.stdout
    assert other.stderr.startswith(f"warning: the model learned {tiny_npz}, this is mnist: ")
    copy = tmp_path / "copy.npz"  # a path: named as the data set, then as given
    copy.write_bytes(tiny_npz.read_bytes())
    assert f"this is copy ({copy}): " in run("eval", str(model), "--dataset", str(copy)).stderr
    tiny_npz.unlink()
    gone = run("eval", str(model))
    assert gone.returncode == 2 and not gone.stdout
    assert gone.stderr.startswith(f"error: {model}: it learned {tiny_npz}, which cannot be read "
                                  "now (")
    assert gone.stderr.endswith("name the data to score it on with --dataset\n")


def test_eval_refuses_a_model_that_names_no_data(tmp_path):
    from digit_descent.engine import Network, save_model

    model = tmp_path / "anonymous.npz"
    save_model(Network((784, 10)), model)
    r = run("eval", str(model))
    assert r.returncode == 2 and r.stderr == (
        f"error: {model}: it does not say which data it learned; name the data to score it on "
        "with --dataset\n")


@pytest.mark.parametrize("args, finite_end", [
    (("--preset", "3b1b", "--lr", "5000", "--epochs", "30"), True),  # saturates at step 128
    (("--layers", "784,64,10", "--activation", "relu", "--cost", "cross-entropy",
      "--lr", "1e4", "--epochs", "3"), False),  # NaN weights: cut back to the last finite
])
def test_a_diverged_run_saves_what_was_asked(tmp_path, tiny_npz, args, finite_end):
    session, model = tmp_path / "s.npz", tmp_path / "m.npz"
    r = run("train", "--dataset", str(tiny_npz), *args, "--session", str(session),
            "--save", str(model))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "warning: training" in r.stderr and "Try learning rate" in r.stderr
    assert "diverged: saved the run up to step" in r.stderr
    from digit_descent.engine import Session, load_model
    from digit_descent.engine.session_io import load_session

    record = load_session(session)
    assert np.isfinite(record.params).all() and len(record.history[0]) > 0
    Session.from_record(record, data.load(tiny_npz))  # as the app's Open session does
    e = run("eval", str(session), "--json")
    assert e.returncode == 0, e.stderr
    assert json.loads(e.stdout)["step"] == record.step
    if finite_end:  # 24 steps an epoch: five whole epochs before step 128
        assert "diverged: saved the 5 whole epoch(s) trained so far" in r.stderr
        assert load_model(model).metadata["summary"]["epochs"] == 5
    leftovers = {p.name for p in tmp_path.iterdir()} - {"s.npz", "m.npz", "tiny.npz"}
    assert not leftovers


def _bad_inputs(folder, digits):
    """(path, the message after "error: PATH: ") of one bad input of each kind."""
    x, y = digits
    test_csv = folder / "test.csv"
    test_csv.write_text(",".join(f"pixel{i}" for i in range(784)) + "\n"
                        + ",".join(["0"] * 784) + "\n")
    ragged = folder / "ragged.csv"
    ragged.write_text(("1," + ",".join(["0"] * 784) + "\n") * 2 + "2,0,0\n")
    floats = folder / "floats.npz"
    np.savez(floats, x_train=x[:10].astype(np.float64), y_train=y[:10],
             x_test=x[10:20].astype(np.float64), y_test=y[10:20])
    photo = folder / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    letters = folder / "letters"
    letters.mkdir()
    (letters / "emnist-letters-train-images-idx3-ubyte.gz").write_bytes(gzip.compress(b"x"))
    return [
        (test_csv, "has no label column: it looks like Kaggle's test.csv, which is for "
                   "submissions. Open train.csv (a 'label' column, then pixel0 … pixel783)"),
        (ragged, "line 3 has 3 fields; every row needs 785"),
        (floats, "x_train holds floats from 0 to 255; pixels stored as floats must lie in "
                 "[0, 1]: divide them by 255, or store whole numbers as integers "
                 "(x.astype(np.uint8))"),
        (photo, f"not a data set this app reads. It reads {data.FORMATS}"),
        (letters, "holds emnist-letters-train-images-idx3-ubyte.gz, an EMNIST split of other "
                  "classes than digits; this app reads emnist-digits-… or emnist-mnist-…"),
    ]


def test_bad_data_sets_are_one_line_and_leave_nothing(tmp_path, digits):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    for path, message in _bad_inputs(inputs, digits):
        r = run("train", "--dataset", str(path), "--save", str(out / "m.npz"),
                "--session", str(out / "s.npz"))
        assert (r.returncode, r.stdout, r.stderr) == (2, "", f"error: {path}: {message}\n")
        assert not any(out.iterdir())


def test_a_session_whose_data_moved_is_resumed_and_filmed_from_its_new_place(tmp_path, digits):
    """``train --resume`` and ``record --session`` said "no such data set" and refused
    ``--dataset``; it now gives the new place of the same kind of data, and only that."""
    from digit_descent.engine.session_io import load_session

    x, y = digits
    old, new = tmp_path / "old.npz", tmp_path / "moved" / "digits.npz"
    np.savez(old, x_train=x[:240], y_train=y[:240], x_test=x[240:], y_test=y[240:])
    session = tmp_path / "s.npz"
    r = run("train", "--dataset", str(old), "--layers", "784-10", "--epochs", "1",
            "--batch-size", "20", "--session", str(session))
    assert r.returncode in (0, 1), r.stderr
    new.parent.mkdir()
    old.rename(new)
    r = run("train", "--resume", str(session))
    assert (r.returncode, r.stderr) == (2, f"error: {session}: the data it learned, {old}, is not "
                                           "there any more: if it moved, give its new place "
                                           "with --dataset PATH\n")
    other = tmp_path / "other.npz"  # digits too, but not the 240 images its epoch had
    np.savez(other, x_train=x[:200], y_train=y[:200], x_test=x[240:], y_test=y[240:])
    r = run("train", "--resume", str(session), "--dataset", str(other))
    assert (r.returncode, r.stderr) == (2, f"error: {other}: other data than the session "
                                           "learned: 200 training images, where its epochs "
                                           "had 240\n")
    r = run("train", "--resume", str(session), "--dataset", "xor")
    assert r.returncode == 2 and r.stderr == ("error: xor: other data than the session learned: "
                                              "2 inputs and 1 output, where its 784-10 network "
                                              "has 784 inputs and 10 outputs\n")
    video = tmp_path / "v.gif"
    r = run("record", "--session", str(session), "--dataset", str(new), "--out", str(video),
            "--fps", "2", "--seconds", "1", "--size", "64x64", "--panels", "cost")
    assert r.returncode == 0 and video.stat().st_size > 0, r.stderr
    r = run("train", "--resume", str(session), "--dataset", str(new), "--session",
            str(session))
    assert r.returncode in (0, 1) and r.stdout.startswith("epoch 2/2 "), r.stderr
    record = load_session(session)
    assert (record.epoch, record.config.dataset) == (2, str(new))  # its data's new place
    r = run("train", "--resume", str(session), "--dataset", str(other))
    assert r.returncode == 2 and "not the data the session learned" in r.stderr


def test_a_network_that_does_not_fit_counts_in_words(tmp_path):
    """eval said "(2 inputs, 1 outputs)"."""
    from digit_descent.engine import Network, save_model

    save_model(Network((3, 4, 1)), tmp_path / "m.npz", dataset="trask")
    r = run("eval", str(tmp_path / "m.npz"), "--dataset", "xor")
    assert (r.returncode, r.stderr) == (2, f"error: {tmp_path / 'm.npz'}: a 3-4-1 network does "
                                           "not fit the xor data (2 inputs, 1 output)\n")

