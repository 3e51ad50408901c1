import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "digit_descent", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_train_json_lines_save_and_eval(tmp_path):
    model = tmp_path / "xor.npz"
    r = run("train", "--preset", "xor", "--epochs", "3", "--json", "--save", str(model))
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["epoch"] for d in lines] == [1, 2, 3]
    for d in lines:
        assert {"epoch", "train_cost", "test_cost", "train_accuracy", "test_accuracy", "seconds"} <= set(d)
    e = run("eval", str(model), "--json")
    assert e.returncode == 0, e.stderr
    result = json.loads(e.stdout)
    assert np.sum(result["confusion"]) == 4
    assert result["test_accuracy"] == pytest.approx(np.trace(result["confusion"]) / 4)


def test_train_mnist_epoch_human_output(tmp_path):
    r = run("train", "--layers", "784,10", "--cost", "cross-entropy", "--lr", "0.5",
            "--batch-size", "100", "--epochs", "1", "--save", str(tmp_path / "m.npz"))
    assert r.returncode == 0, r.stderr
    assert "epoch 1/1" in r.stdout and "test acc" in r.stdout
    e = run("eval", str(tmp_path / "m.npz"))
    assert "rows: actual" in e.stdout and e.returncode == 0


@pytest.mark.parametrize("args,message", [
    (["train", "--lr", "abc"], "--lr"),
    (["train", "--lr", "0"], "positive"),
    (["train", "--batch-size", "0"], "at least 1"),
    (["train", "--layers", "784,x,10"], "whole numbers"),
    (["train", "--layers", "100,10"], "784 inputs"),
    (["train", "--dataset", "/no/such/place"], "no such data set"),
    (["train", "--preset", "nope"], "invalid choice"),
    (["train", "--momentum", "1"], "[0, 1)"),
    (["train", "--lr-decay", "0"], "(0, 1]"),
    (["train", "--weight-decay", "x"], "expected a number"),
    (["eval", "/no/such/model.npz"], "no such file"),
])
def test_user_errors_are_one_line_exit_2(args, message):
    r = run(*args)
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and message in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_damaged_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"garbage")
    r = run("eval", str(bad))
    assert r.returncode == 2 and "bad.npz" in r.stderr and "Traceback" not in r.stderr


def test_saturation_at_lr_1000_is_reported():
    r = run("train", "--preset", "3b1b", "--lr", "1000", "--epochs", "1")
    assert r.returncode == 2
    assert "learning rate 1000" in r.stderr and "saturated" in r.stderr


def test_divergence_names_the_learning_rate():
    r = run("train", "--layers", "784,64,10", "--cost", "cross-entropy", "--activation", "relu",
            "--lr", "1e30", "--epochs", "1")
    assert r.returncode == 2
    assert "diverged" in r.stderr and "1e+30" in r.stderr and "Traceback" not in r.stderr


def test_every_training_setting_has_a_flag():
    from digit_descent.cli import build_parser, config_from_args

    args = build_parser().parse_args(
        ["train", "--preset", "nielsen", "--init", "normal", "--momentum", "0.5", "--lr-decay",
         "0.9", "--weight-decay", "0.001", "--augment", "--optimizer", "momentum"])
    cfg = config_from_args(args)
    assert (cfg.init, cfg.momentum, cfg.lr_decay, cfg.weight_decay, cfg.augment, cfg.optimizer) == (
        "normal", 0.5, 0.9, 0.001, True, "momentum")
    assert cfg.layers == (784, 30, 10)  # the rest is the preset's
    defaults = config_from_args(build_parser().parse_args(["train", "--preset", "nielsen"]))
    assert defaults.augment is False and defaults.lr_decay == 1.0


@pytest.mark.parametrize("args, flag", [(("train", "--seed", "-1"), "--seed"),
                                        (("bench", "--seconds", "nan"), "--seconds"),
                                        (("bench", "--seconds", "-5"), "--seconds")])
def test_bad_numbers_name_their_flag(args, flag):
    r = run(*args)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and flag in r.stderr
    assert "Traceback" not in r.stderr and "QThread" not in r.stderr


def test_save_target_is_checked_before_training(tmp_path):
    r = run("train", "--preset", "3b1b", "--save", str(tmp_path / "missing" / "m.npz"))
    assert r.returncode == 2 and "no such folder" in r.stderr and not r.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="Popen.send_signal(SIGINT) is POSIX")
def test_ctrl_c_during_train_save_keeps_the_epochs_trained(tmp_path):
    import signal

    model = tmp_path / "m.npz"
    process = subprocess.Popen([sys.executable, "-m", "digit_descent", "train", "--preset", "3b1b",
                                "--epochs", "1000", "--save", str(model)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()  # the first epoch's report
    assert first.startswith("epoch 1/1000"), process.stderr.read()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "saved the" in err and "Traceback" not in err
    from digit_descent.engine import load_model

    net = load_model(model)
    assert net.metadata["summary"]["epochs"] >= 1


def test_a_model_of_other_classes_is_evaluated_with_a_warning(tmp_path):
    from digit_descent.engine import Network, save_model

    model = tmp_path / "fashion.npz"
    save_model(Network((784, 10)), model, dataset="fashion")
    r = run("eval", str(model), "--dataset", "mnist", "--json")
    assert r.returncode == 0 and "warning" in json.loads(r.stdout)
    assert "fashion" in json.loads(r.stdout)["warning"]


def test_a_run_that_learned_nothing_says_so():
    r = run("train", "--activation", "tanh", "--lr", "100", "--epochs", "1", "--layers",
            "784,16,10", "--json")
    assert r.returncode == 1 and "learned nothing" in r.stderr and "--lr 10" in r.stderr


def test_reset_settings_forgets_them(tmp_path):
    import os

    conf = tmp_path / "DigitDescent" / "DigitDescent.conf"
    conf.parent.mkdir()
    conf.write_text("[General]\nspeed=12\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path),
           "QT_QPA_PLATFORM": "offscreen"}
    code = ("import sys; sys.argv = ['main.py', '--reset-settings']; import digit_descent.gui.app as a; "
            "a.run_app = lambda **k: 0; from digit_descent import cli; sys.exit(cli.main())")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and "forgot the settings" in r.stderr
    assert "speed" not in conf.read_text()
