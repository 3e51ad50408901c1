"""Whatever ``train`` accepts, it writes, and ``eval`` and ``train --resume`` read back."""

import contextlib
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from digit_descent.cli import build_parser, config_from_args, main
from digit_descent.engine.session_io import load_session
from digit_descent.engine.settings_spec import SETTINGS, SPEC

ROOT = Path(__file__).resolve().parent.parent


def _value(setting):
    """Any value of ``setting`` the spec allows, for the 2-input xor data."""
    if setting.kind is tuple:
        hidden = st.lists(st.integers(1, 8), max_size=3)
        return hidden.map(lambda h: "-".join(map(str, (2, *h, 1))))
    if setting.choices:
        return st.sampled_from(setting.choices)
    if setting.kind is int:
        return st.integers(setting.low, setting.high).map(str)
    return st.floats(setting.low, setting.high).map(repr)


@st.composite
def _flags(draw):
    """``train`` flags: each setting left to the xor preset, or given a value in its range;
    one or two epochs (the largest count is checked in test_the_largest_epoch_count)."""
    argv = ["--epochs", str(draw(st.integers(1, 2)))]
    for setting in SETTINGS:
        if setting.name in ("dataset", "epochs") or not draw(st.booleans()):
            continue
        if setting.kind is bool:
            argv.append(setting.flag if draw(st.booleans()) else f"--no-{setting.flag[2:]}")
        else:
            argv += [setting.flag, str(draw(_value(setting)))]
    return argv


def _run(argv):
    """``main(argv)`` in this process: ``(exit code, stderr)``."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_flags())
def test_every_accepted_value_survives_session_eval_and_resume(flags):
    argv = ["train", "--preset", "xor", *flags]
    expected = config_from_args(build_parser().parse_args(argv))
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder, "first.npz"), Path(folder, "second.npz")
        code, err = _run([*argv, "--json", "--session", str(first), "--save",
                          str(Path(folder, "model.npz"))])
        if "diverged" in err:  # the rule: exit 1, the η named, and what was saved reads back
            assert code == 1 and "learning rate" in err, err
            if first.exists():
                load_session(first)  # only its finite part was saved
            event("diverged")
            return
        assert code == 0, err
        assert load_session(first).config == expected
        assert _run(["eval", str(first), "--json"]) == (0, "")
        assert _run(["eval", str(Path(folder, "model.npz"))]) == (0, "")
        code, err = _run(["train", "--resume", str(first), "--epochs", "1", "--session",
                          str(second)])
        if "diverged" in err:  # on resuming: the same rule
            assert code == 1 and "learning rate" in err, err
            if second.exists():
                load_session(second)
            return
        assert code == 0, err
        record = load_session(second)
        assert record.config == expected.replace(epochs=record.epoch)
        assert record.epoch == load_session(first).epoch + 1


def test_the_largest_epoch_count(tmp_path):
    """A run may aim at 1,000,000 epochs (saved after the first); it may not go beyond."""
    session = tmp_path / "s.npz"
    from digit_descent.engine import Session, preset
    from digit_descent.engine.session_io import save_session

    run = Session(preset("xor").replace(epochs=SPEC["epochs"].high))
    run.run_epoch()
    save_session(run, session)
    assert _run(["eval", str(session)])[0] == 0
    code, err = _run(["train", "--resume", str(session), "--epochs", str(SPEC["epochs"].high)])
    assert code == 2 and err.startswith("error: --epochs: ") and "1,000,000" in err
    assert len(err.splitlines()) == 1


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "digit_descent", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_values_testers_found_are_read_back(tmp_path):
    """The ends of the ranges, in real processes: train --session, eval, train --resume."""
    first, second = tmp_path / "first.npz", tmp_path / "second.npz"
    ends = ["--seed", str(SPEC["seed"].high), "--lr", str(SPEC["lr"].low),
            "--batch-size", str(SPEC["batch_size"].high), "--lr-decay", str(SPEC["lr_decay"].low),
            "--momentum", str(SPEC["momentum"].high), "--optimizer", "momentum",
            "--weight-decay", str(SPEC["weight_decay"].high),
            "--train-subset", str(SPEC["train_subset"].high)]
    r = _cli("train", "--preset", "xor", *ends, "--epochs", "1", "--session", str(first))
    assert r.returncode == 0, r.stderr
    r = _cli("eval", str(first), "--json")
    assert r.returncode == 0 and '"test_accuracy"' in r.stdout, r.stderr
    r = _cli("train", "--resume", str(first), "--epochs", "1", "--session", str(second))
    assert r.returncode == 0 and "epoch 2/2" in r.stdout, r.stderr
    config = load_session(second).config
    assert (config.seed, config.lr, config.batch_size, config.momentum) == (
        2**31 - 1, 1e-6, 60_000, 0.999)


def test_a_session_with_a_value_outside_the_spec_is_refused_without_a_default(tmp_path):
    import json

    import numpy as np

    from digit_descent.engine import Session, preset
    from digit_descent.engine.session_io import save_session

    good, bad = tmp_path / "good.npz", tmp_path / "bad.npz"
    run = Session(preset("xor").replace(epochs=1))
    run.run_epoch()
    save_session(run, good)
    with np.load(good) as saved:
        arrays = dict(saved)
    meta = json.loads(str(arrays["meta"]))
    meta["config"]["lr"] = 1e-7  # an edited file, or one from an older, laxer version
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(bad, **arrays)
    for argv in (["eval", str(bad)], ["train", "--resume", str(bad)]):
        code, err = _run(argv)
        assert code == 2 and len(err.splitlines()) == 1, err
        assert "setting lr: 1e-07 is not between 1e-06 and 10,000" in err
        assert "default" not in err
