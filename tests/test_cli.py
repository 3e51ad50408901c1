import json
import os
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
    (["train", "--lr", "0"], "--lr: 0 is not between 1e-06 and 10,000"),
    (["train", "--batch-size", "0"], "--batch-size: 0 is not between 1 and 60,000"),
    (["train", "--layers", "784,x,10"], "whole numbers"),
    (["train", "--layers", "100,10"], "784 inputs"),
    (["train", "--dataset", "/no/such/place"], "no such data set"),
    (["train", "--preset", "nope"], "invalid choice"),
    (["train", "--momentum", "1"], "--momentum: 1 is not between 0 and 0.999"),
    (["train", "--lr-decay", "0"], "--lr-decay: 0 is not between 0.01 and 1"),
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
    assert r.returncode == 1
    assert "learning rate 1000" in r.stderr and "saturated" in r.stderr
    assert "Try learning rate 1 (the 3b1b preset's)" in r.stderr


def test_divergence_names_the_learning_rate():
    r = run("train", "--layers", "784,64,10", "--cost", "cross-entropy", "--activation", "relu",
            "--lr", "1e4", "--epochs", "1")
    assert r.returncode == 1
    assert "diverged" in r.stderr and "10000" in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.startswith("warning: ") and "\n\n" not in r.stderr  # no blank line


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
    r = run("train", "--preset", "xor", "--session", str(tmp_path / "missing" / "s.npz"))
    assert r.returncode == 2 and "cannot save the session there" in r.stderr and not r.stdout
    r = run("train", "--preset", "xor", "--save", str(tmp_path / "m.npz"), "--session",
            str(tmp_path / "." / "m.npz"))
    assert r.returncode == 2 and "--save and --session name the same file" in r.stderr
    assert not r.stdout and not (tmp_path / "m.npz").exists()


def test_save_onto_a_session_is_refused_before_training(tmp_path):
    """``train --resume s.npz --save s.npz`` replaced the session by a bare model."""
    import io

    from digit_descent.cli.train import run_train
    from digit_descent.engine.session_io import load_session

    session = tmp_path / "s.npz"
    assert run_train(_parsed("train", "--preset", "xor", "--epochs", "2", "--session",
                             str(session)), out=io.StringIO(), err=io.StringIO()) == 0
    before = session.read_bytes()
    for argv, what in [(("--resume", str(session)), "is the session being resumed"),
                       (("--preset", "xor"), "holds a session")]:
        r = run("train", *argv, "--epochs", "1", "--save", str(session))
        assert (r.returncode, r.stdout) == (2, "") and r.stderr == (
            f"error: --save {session}: it {what}; a model saved there would replace the run it "
            f"records. Keep it with --session {session}, or give --save another name\n")
    assert session.read_bytes() == before and load_session(session).epoch == 2


@pytest.mark.skipif(sys.platform == "win32", reason="Popen.send_signal(SIGINT) is POSIX")
def test_ctrl_c_during_train_save_keeps_the_epochs_trained(tmp_path):
    import signal

    model, session = tmp_path / "m.npz", tmp_path / "s.npz"
    process = subprocess.Popen([sys.executable, "-m", "digit_descent", "train", "--preset", "3b1b",
                                "--epochs", "1000", "--save", str(model), "--session",
                                str(session)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()  # the first epoch's report
    assert first.startswith("epoch 1/1000"), process.stderr.read()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err
    lines = err.splitlines()  # one line per file saved, no blank line, no bare "interrupted"
    assert len(lines) == 2 and lines[0].startswith("interrupted: saved the ") and \
        lines[0].endswith(f"to {model}") and lines[1].startswith("interrupted: saved the run up "
                                                                 "to step ") and \
        lines[1].endswith(str(session)), err
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
    assert r.returncode == 1 and "learned nothing" in r.stderr
    assert "try --lr 0.3 (known to learn with tanh + mse + sgd)" in r.stderr


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


def _parsed(*argv):
    from digit_descent.cli import build_parser

    return build_parser().parse_args(list(argv))


def test_a_preset_before_the_command_is_honoured():
    from digit_descent.cli import config_from_args

    assert config_from_args(_parsed("--preset", "nielsen", "train")).layers == (784, 30, 10)
    assert _parsed("--preset", "xor", "record", "--out", "x.gif").preset == "xor"
    assert _parsed("--preset", "xor").preset == "xor"  # the app's
    r = run("--preset", "xor", "train", "--epochs", "2", "--json")
    assert r.returncode == 0 and [json.loads(x)["epoch"] for x in r.stdout.splitlines()] == [1, 2]


@pytest.mark.parametrize("argv, message", [
    (("--preset", "nielsen", "train", "--preset", "xor"), "--preset given twice"),
    (("--preset", "xor", "eval", "m.npz"), "--preset does nothing for 'eval': drop it"),
    (("--preset", "xor", "record", "--session", "s.npz", "--out", "x.gif"), "give one"),
    (("record", "--out", "x.gif"), "record needs --preset"),
    (("--train", "train"), "--train is for the app, not for 'train': drop it, or run "
                           "'digit-descent --train' on its own"),
    (("--reset-settings", "lesson"), "--reset-settings is for the app"),
    (("--train", "--reset-settings", "eval", "m.npz"), "--train and --reset-settings are for"),
    (("train", "--train", "5"), "--train is for the app, not for 'train': drop it"),
    (("train", "--reset-settings"), "--reset-settings is for the app, not for 'train'"),
    (("eval", "m.npz", "--train", "--reset-settings"), "--train and --reset-settings are for"),
    (("train", "--ep", "1"), "unrecognized arguments: --ep 1"),  # no abbreviations
    (("train", "--epochs", "1", "--sa", "m.npz"), "unrecognized arguments: --sa m.npz"),
    (("record", "--preset", "xor", "--ou", "v.gif"), "--out"),
    (("lab", "--clas", "3"), "unrecognized arguments: --clas 3"),
    (("record", "--preset", "xor", "--out", ""), "argument --out: no file name given"),
    (("train", "--save", " "), "argument --save: no file name given"),
    (("train", "--session", ""), "argument --session: no file name given"),
    (("predict", "--model", "", "x.png"), "argument --model: no file name given"),
])
def test_options_before_the_command_are_refused_with_the_fix(argv, message):
    from digit_descent.cli.options import UsageError

    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        _parsed(*argv)


def test_a_presets_switches_can_be_turned_off():
    from digit_descent.cli import config_from_args

    assert config_from_args(_parsed("train", "--preset", "strong")).augment is True
    assert config_from_args(_parsed("train", "--preset", "strong", "--no-augment")).augment is False
    shuffled = config_from_args(_parsed("train", "--preset", "shuffled", "--no-shuffle-labels",
                                        "--train-subset", "0"))
    assert shuffled.shuffle_labels is False and shuffled.train_subset == 0
    assert config_from_args(_parsed("train", "--shuffle-labels")).shuffle_labels is True


def test_a_closed_pipe_ends_quietly_with_the_files_written(tmp_path):
    """``train … | head -1``: the reader goes, the run still saves, no traceback."""
    model, session = tmp_path / "m.npz", tmp_path / "s.npz"
    process = subprocess.Popen(
        [sys.executable, "-m", "digit_descent", "train", "--preset", "xor", "--epochs", "1500",
         "--save", str(model), "--session", str(session)],  # ~130 kB: more than a pipe holds
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("epoch 1/1500")
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err and not err.strip()
    from digit_descent.engine import load_model
    from digit_descent.engine.session_io import load_session

    assert load_model(model).metadata["summary"]["epochs"] == 1500
    assert load_session(session).epoch == 1500


def test_a_closed_pipe_with_nothing_to_save_stops_training():
    process = subprocess.Popen(
        [sys.executable, "-m", "digit_descent", "train", "--preset", "xor", "--epochs", "1000000"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("epoch 1/1000000")
    process.stdout.close()
    assert process.wait(timeout=120) == 0  # long before a million epochs (half an hour)
    assert not process.stderr.read().strip()


@pytest.mark.parametrize("argv", [("lesson",), ("eval", "MODEL"), ("--version",)])
def test_any_command_into_a_closed_pipe_ends_quietly(argv, tmp_path):
    from digit_descent.engine import Network, save_model

    save_model(Network((2, 3, 1)), tmp_path / "m.npz", dataset="xor")
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line
    try:
        r = subprocess.run([sys.executable, "-m", "digit_descent",
                            *[str(tmp_path / "m.npz") if a == "MODEL" else a for a in argv]],
                           cwd=ROOT, stdout=write, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write)
    assert r.returncode == 0 and not r.stderr, r.stderr


def test_record_takes_the_training_flags_with_a_preset_only():
    from digit_descent.cli import config_from_args
    from digit_descent.cli.options import UsageError

    args = _parsed("record", "--preset", "xor", "--lr", "100", "--no-augment", "--epochs", "3",
                   "--out", "x.gif")
    assert (config_from_args(args).lr, config_from_args(args).epochs) == (100.0, 3)
    with pytest.raises(UsageError, match="record --session films the saved run as it was: "
                                         "drop --lr, --epochs"):
        _parsed("record", "--session", "s.npz", "--lr", "1", "--epochs", "2", "--out", "x.gif")
    with pytest.raises(UsageError, match="argument --epochs: 0 is not between 1 and 1,000,000"):
        _parsed("record", "--preset", "xor", "--epochs", "0", "--out", "x.gif")


@pytest.mark.skipif(sys.platform == "win32", reason="Popen.send_signal(SIGINT) is POSIX")
def test_ctrl_c_with_nothing_to_save_says_so_in_one_line():
    import signal

    process = subprocess.Popen([sys.executable, "-m", "digit_descent", "train", "--preset", "xor",
                                "--epochs", "1000000"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("epoch 1/1000000")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert len(err.splitlines()) == 1 and err.startswith("interrupted at step ") and \
        "nothing saved" in err, err


def test_lab_help_and_error_give_one_range_of_classes():
    from digit_descent.cli.lab import lab_config
    from digit_descent.cli.options import UsageError
    from digit_descent.engine.lab.datasets import MAX_CLASSES, MIN_CLASSES

    parser = __import__("digit_descent.cli", fromlist=["build_parser"]).build_parser()
    lab = parser._subparsers._group_actions[0].choices["lab"]
    shown = f"{MIN_CLASSES} to {MAX_CLASSES}"
    assert shown in lab.format_help()
    with pytest.raises(UsageError, match=f"{shown} classes, not {MAX_CLASSES + 1}"):
        lab_config(_parsed("lab", "--dataset", "blobs", "--classes", str(MAX_CLASSES + 1)))


def test_a_full_standard_output_still_saves_the_files(tmp_path):
    """``train … --save m.npz > /dev/full``: one error line, the run ends and saves."""
    import errno
    import io

    from digit_descent.cli.train import run_train
    from digit_descent.engine import load_model

    class Full(io.StringIO):
        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    model, session = tmp_path / "m.npz", tmp_path / "s.npz"
    err = io.StringIO()
    args = _parsed("train", "--preset", "xor", "--epochs", "3", "--save", str(model),
                   "--session", str(session))
    assert run_train(args, out=Full(), err=err) == 1
    assert err.getvalue().splitlines() == [
        "error: cannot write to standard output (No space left on device); the run goes on "
        "without its report", f"saved {model}", f"saved the session in {session}"]
    assert load_model(model).metadata["summary"]["epochs"] == 3


def test_a_long_run_prints_about_fifty_epoch_lines():
    r = run("train", "--preset", "xor", "--epochs", "1000")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 51 and lines[0].startswith("epoch 1/1000 ")
    assert lines[0].endswith(" s  (then every 20th epoch and the last)") and not r.stderr
    assert lines[1].startswith("epoch 20/1000 ") and lines[-1].startswith("epoch 1000/1000 ")
    assert lines[1].endswith(" s")
    short = run("train", "--preset", "xor", "--epochs", "50")
    assert len(short.stdout.splitlines()) == 50 and not short.stderr  # unchanged


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", [("lesson", "--list"), ("eval", "MODEL"),
                                     ("predict", "IMAGE")])
def test_a_full_standard_output_is_one_line_not_a_traceback(command, tmp_path):
    """``eval``, ``predict``, ``lesson`` ``> /dev/full``: one error line, exit 1."""
    from PIL import Image, ImageDraw

    model, image = tmp_path / "m.npz", tmp_path / "one.png"
    picture = Image.new("L", (28, 28), 255)
    ImageDraw.Draw(picture).line((14, 4, 14, 24), fill=0, width=3)  # a dark stroke on white
    picture.save(image)
    assert run("train", "--preset", "3b1b", "--epochs", "1", "--train-subset", "100",
               "--save", str(model)).returncode in (0, 1)
    args = [str(model) if a == "MODEL" else str(image) if a == "IMAGE" else a for a in command]
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "digit_descent", *args], cwd=ROOT,
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "error: cannot write to standard output (No space left on device)"], r.stderr


def _run_closed(fd, *args):
    """The command run with file descriptor ``fd`` (1: standard output, 2: error) closed,
    as ``>&-`` (``2>&-``) does."""
    return subprocess.run([sys.executable, "-m", "digit_descent", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.close(fd))


@pytest.mark.skipif(sys.platform == "win32", reason="closing a descriptor before exec is POSIX")
@pytest.mark.parametrize("command", [("lesson",), ("lesson", "trask", "--headless", "--short"),
                                     ("eval", "MODEL"), ("predict", "--model", "MODEL", "IMAGE"),
                                     ("train", "--preset", "xor", "--epochs", "1000000")])
def test_a_closed_standard_output_ends_as_a_reader_gone(command, tmp_path):
    """``digit-descent eval m.npz >&-`` raised AttributeError (sys.stdout is None)."""
    from PIL import Image, ImageDraw

    from digit_descent.engine import Network, save_model

    model, image = tmp_path / "m.npz", tmp_path / "one.png"
    save_model(Network((784, 10)), model, dataset="mnist")
    picture = Image.new("L", (28, 28), 255)
    ImageDraw.Draw(picture).line((14, 4, 14, 24), fill=0, width=3)  # a dark stroke on white
    picture.save(image)
    r = _run_closed(1, *[str(model) if a == "MODEL" else str(image) if a == "IMAGE" else a
                         for a in command])
    assert (r.returncode, r.stderr) == (0, ""), r.stderr  # a million epochs: stopped at once


@pytest.mark.skipif(sys.platform == "win32", reason="closing a descriptor before exec is POSIX")
@pytest.mark.parametrize("fd", [1, 2])
def test_a_run_with_a_closed_standard_stream_still_saves(fd, tmp_path):
    from digit_descent.engine import load_model
    from digit_descent.engine.session_io import load_session

    model, session = tmp_path / "m.npz", tmp_path / "s.npz"
    r = _run_closed(fd, "train", "--preset", "xor", "--epochs", "20", "--save", str(model),
                    "--session", str(session))
    assert r.returncode == 0 and "Traceback" not in r.stderr + r.stdout
    assert load_model(model).metadata["summary"]["epochs"] == 20
    assert load_session(session).epoch == 20
    assert _run_closed(2, "train", "--epochs", "0").returncode == 2  # the error, unseen


def test_record_says_the_frames_and_length_it_made():
    """``record --seconds 0.01`` said "saved 1 frames (0.2 s at 5 fps)"."""
    from digit_descent.cli.record import _saved

    def said(frames, fps, seconds):
        return _saved(frames, _parsed("record", "--preset", "xor", "--out", "v.gif", "--fps",
                                      str(fps), "--seconds", str(seconds)))

    assert said(1, 5, 0.01) == ("saved 1 frame (0.2 s at 5 fps: a whole number of frames, at "
                                "least one, for the 0.01 s asked) to v.gif")
    assert said(300, 30, 10) == "saved 300 frames (10.0 s at 30 fps) to v.gif"
    assert said(3, 30, 0.11) == "saved 3 frames (0.1 s at 30 fps) to v.gif"  # 3.3: 3


def test_record_panels_help_names_every_recordable_panel_and_each_once():
    """--panels' help listed 6 panels, its error 7; ``--panels cost,cost`` was taken."""
    from digit_descent.cli.options import UsageError
    from digit_descent.cli.record import _panels
    from digit_descent.gui.recorder import RECORDABLE

    parser = __import__("digit_descent.cli", fromlist=["build_parser"]).build_parser()
    record = parser._subparsers._group_actions[0].choices["record"]
    shown = " ".join(record.format_help().split())
    assert f"one to four of {', '.join(RECORDABLE)}, each once" in shown
    assert _panels("cost, weights,") == ["cost", "weights"]
    with pytest.raises(UsageError, match="--panels names cost more than once: name each "
                                         "panel once"):
        _panels("cost,weights,cost")


@pytest.mark.parametrize("argv, message", [
    (("lesson", "3b1b", "--short", "--json"), "--short and --json go with --headless (the "
     "experiment run without a window): add --headless, or drop them to open the app on the "
     "lesson"),
    (("lesson", "noise", "--json"), "--json goes with --headless (the experiment run without a "
     "window): add --headless, or drop it to open the app on the lesson"),
    (("lesson", "--short"), "--short goes with --headless (the experiment run without a "
     "window): add --headless, or drop it"),
    (("lesson", "--headless"), "--headless runs a lesson's experiment: name one ('lesson NAME "
     "--headless'; 'lesson' lists them)"),
])
def test_lesson_flags_that_would_be_ignored_are_refused(argv, message):
    """``lesson 3b1b --short --json`` opened the app and ignored both flags."""
    from digit_descent.cli.lesson import check_lesson_flags
    from digit_descent.cli.options import UsageError

    with pytest.raises(UsageError) as error:
        check_lesson_flags(_parsed(*argv))
    assert str(error.value) == message
    for fine in (("lesson", "--json"), ("lesson", "--list", "--json"),
                 ("lesson", "noise", "--headless", "--short", "--json"), ("lesson", "noise")):
        check_lesson_flags(_parsed(*fine))


def test_a_lesson_stage_number_is_answered_in_words():
    """``lesson 3b1b 3`` said "unrecognized arguments: 3"."""
    from digit_descent.cli.options import UsageError

    with pytest.raises(UsageError, match=r"^lesson 3b1b 3: a lesson opens at its first stage; go "
                                         r"on with Next stage \(Page Down\) in the app$"):
        _parsed("lesson", "3b1b", "3")
    with pytest.raises(UsageError, match="^unrecognized arguments: x$"):
        _parsed("lesson", "3b1b", "x")

