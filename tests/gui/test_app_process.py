"""The app as a process: signals at any moment end it cleanly, with the settings saved."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and FIFOs")
QUIT_SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


@pytest.fixture
def launch(tmp_path):
    """Start the app as a process; it is killed after the test if it is still running."""
    processes = []

    def start(*args):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
               "XDG_CONFIG_HOME": str(tmp_path)}
        processes.append(subprocess.Popen([sys.executable, "-m", "digit_descent", *args],
                                          cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
        return processes[-1]

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.communicate()


def wait_until_caught(proc, signum, timeout_s=60):
    """Return once ``proc`` has a handler for ``signum``, read from its SigCgt mask (the test
    is skipped where there is no /proc to read it from)."""
    status = Path(f"/proc/{proc.pid}/status")
    if not status.exists():
        proc.kill()
        proc.communicate()
        pytest.skip("no /proc/PID/status to tell when the app handles the signal")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        caught = next(line for line in status.read_text().splitlines()
                      if line.startswith("SigCgt:"))
        if int(caught.split()[1], 16) >> (signum - 1) & 1:
            return
        time.sleep(0.05)
    raise AssertionError(f"the app never handled signal {signum}")


def wait_until_thread(proc, name, timeout_s=60):
    """Return once ``proc`` runs a thread called ``name`` (Qt names a QThread after its class);
    skipped where there is no /proc to read it from."""
    tasks = Path(f"/proc/{proc.pid}/task")
    if not tasks.exists():
        proc.kill()
        proc.communicate()
        pytest.skip("no /proc/PID/task to tell when the window is built")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        names = set()
        for comm in tasks.glob("*/comm"):
            try:
                names.add(comm.read_text().strip())
            except OSError:  # a thread that ended meanwhile
                pass
        if name in names:
            return
        time.sleep(0.05)
    raise AssertionError(f"the app never ran a thread {name}")


def settings_file(tmp_path):
    return tmp_path / "DigitDescent" / "DigitDescent.conf"


@POSIX_ONLY
@pytest.mark.parametrize("command, after_s", [
    *((("--train", "--preset", "nielsen"), s) for s in (0.3, 0.8, 1.5, 4.0)),
    *((("lab",), s) for s in (0.3, 1.0, 3.0))])
def test_ctrl_c_at_any_moment_exits_cleanly(launch, command, after_s):
    proc = launch(*command)
    time.sleep(after_s)  # the moment of the Ctrl+C: while importing, building, training
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "QThread: Destroyed" not in err


@POSIX_ONLY
@pytest.mark.parametrize("signum", QUIT_SIGNALS)
@pytest.mark.parametrize("command", [(), ("lab",)])
def test_a_quit_signal_from_the_first_instant_ends_a_window_with_0(launch, signum, command):
    proc = launch(*command)
    wait_until_caught(proc, signum)  # while the modules load, or later: 0 either way
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


@POSIX_ONLY
def test_a_quit_signal_ends_a_command_as_the_system_would(launch):
    proc = launch("train", "--preset", "3b1b", "--epochs", "1")
    wait_until_caught(proc, signal.SIGTERM)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert proc.returncode in (143, -signal.SIGTERM)  # while loading, or later


@POSIX_ONLY
@pytest.mark.parametrize("signum", QUIT_SIGNALS)
def test_sigterm_and_sighup_save_the_settings(launch, tmp_path, signum):
    proc = launch("--preset", "hidden10")
    # the moment of the signal: once the window is built (its training thread runs); before
    # that, while Python imports the app, the signal ends it at once with nothing to save
    wait_until_thread(proc, "TrainingWorker")
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "QThread: Destroyed" not in err
    saved = settings_file(tmp_path).read_text()
    assert "geometry" in saved  # saved on the way out
    assert "config" not in saved or "784, 10, 10" in saved  # once the run had started


def test_corrupt_settings_fall_back_per_key_with_a_notice(tmp_path, qtbot):
    from PySide6.QtCore import QSettings

    from digit_descent.gui.main_window import MainWindow

    path = tmp_path / "s.ini"
    path.write_text('[General]\nconfig="{\\"layers\\": [784, 30, 10], \\"lr\\": \\"fast\\", '
                    '\\"batch_size\\": -4, \\"dataset\\": \\"mnist\\"}"\n'
                    'controls%2Fspeed=quick\ncost%2Fsmoothing=1000\ncost%2Fx_axis=7\ngeometry=@ByteArray(xx)\n'
                    'windowState=@ByteArray(garbage)\n')
    window = MainWindow(settings=QSettings(str(path), QSettings.IniFormat))
    window.confirm = lambda question: True
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.controller.snapshot is not None, timeout=15000)
    config = window.controller.snapshot.config
    assert config.layers == (784, 30, 10)  # the good value is kept
    assert config.lr == 1.0 and config.batch_size == 10  # the bad ones fall back
    text = window.banner_text.text()
    assert "lr" in text and "batch_size" in text and "speed" in text and "smoothing" in text
    assert window.controls.speed.value() == window.controls.speed.maximum()
    window.close()


@POSIX_ONLY
def test_a_refused_data_set_is_not_saved_and_the_app_stays_usable(tmp_path, qtbot, warnings):
    from PySide6.QtCore import QSettings

    from digit_descent.engine import preset
    from digit_descent.gui.main_window import MainWindow

    path = tmp_path / "s.ini"
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    window = MainWindow(config=preset("3b1b").replace(dataset=str(fifo)),
                        settings=QSettings(str(path), QSettings.IniFormat))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.controller.snapshot is not None, timeout=15000)
    assert window.controller.snapshot.dataset == "mnist"  # the default, not a hang
    qtbot.waitUntil(lambda: "not a regular file" in window.banner_text.text(), timeout=5000)
    window.controller.step()
    qtbot.waitUntil(lambda: window.controller.snapshot.step == 1, timeout=5000)
    window.close()
    assert "pipe.npz" not in path.read_text()


def test_closing_while_the_training_thread_is_stuck_in_a_long_call(tmp_path):
    """A large network's evaluation can hold the thread for many seconds: closing must not
    abort with 'QThread: Destroyed while thread is still running', nor wait for it."""
    code = """
import sys, time
from PySide6.QtCore import QTimer
from digit_descent.engine import session
from digit_descent.gui import main_window, app

session.evaluate_epoch = lambda *args, **kwargs: time.sleep(60)  # a very long evaluation
show = main_window.MainWindow.show
def show_then_close(window):
    show(window)
    QTimer.singleShot(500, window.controller.evaluate)
    QTimer.singleShot(1500, window.close)
main_window.MainWindow.show = show_then_close
sys.exit(app.run_app())
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path)}
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=40)
    assert run.returncode == 0, run.stderr
    assert "QThread: Destroyed" not in run.stderr and "Traceback" not in run.stderr
    assert time.monotonic() - start < 20  # not the 60 s of the stuck call
    assert "geometry" in settings_file(tmp_path).read_text()


def test_only_the_signals_the_system_has_are_handled(monkeypatch):
    """Windows has no SIGHUP: asking for it stopped the app at start-up there."""
    from digit_descent.gui.app import handle_quit_signals

    installed = []
    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    monkeypatch.setattr(signal, "signal", lambda signum, handler: installed.append(signum))
    handled = handle_quit_signals(print)
    assert handled == installed == [signal.SIGINT, signal.SIGTERM]


def test_settings_that_cannot_be_written_are_said_once_in_the_banner(tmp_path, qtbot):
    """A settings folder that cannot be made (a file where the folder should be; a read-only
    XDG_CONFIG_HOME is the same for anyone but root) is one banner line, not silence."""
    from PySide6.QtCore import QSettings

    from digit_descent.gui.main_window import MainWindow

    (tmp_path / "config").write_text("a file, not a folder")
    folder = tmp_path / "config" / "DigitDescent"
    window = MainWindow(settings=QSettings(str(folder / "s.ini"), QSettings.IniFormat))
    window.confirm = lambda question: True
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "Settings will not be remembered" in window.banner_text.text(),
                    timeout=15000)
    assert f"{folder} cannot be written" in window.banner_text.text()
    window.close()
