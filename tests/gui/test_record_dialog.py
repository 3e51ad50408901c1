"""File → Record…: the run filmed by a process of its own, stopped with the dialog, the
window or the app; its settings remembered."""

import os
import select
import signal
import subprocess
import sys
import time
import tempfile
from pathlib import Path

import pytest

from digit_descent.gui.folders import start_folder

imageio = pytest.importorskip("imageio.v2")

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and processes")


def frames_of(path):
    reader = imageio.get_reader(path)
    count = sum(1 for _ in reader)
    reader.close()
    return count


def is_running(pid):
    """True while process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(")")[-1].split()[0] == "Z")


@pytest.fixture
def own_tempdir(tmp_path, monkeypatch):
    """The temporary folder the dialog's session goes to, empty at first."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def long_recording(dialog, out):
    dialog.path.setText(str(out))
    dialog.width_box.setValue(160)
    dialog.height_box.setValue(120)
    dialog.fps.setValue(30)
    dialog.seconds.setValue(600)  # 18,000 frames: still running when it is stopped
    dialog.start()


def test_record_dialog_films_the_run_so_far(make_window, qtbot, small_config, tmp_path,
                                            own_tempdir):
    w = make_window(small_config.replace(epochs=1))
    w.start_training()
    qtbot.waitUntil(lambda: bool(w.controller.snapshot.reports), timeout=30000)
    dialog = w.show_record_dialog()
    out = tmp_path / "lecture.mp4"
    dialog.path.setText(str(out))
    dialog.width_box.setValue(320)
    dialog.height_box.setValue(240)
    dialog.fps.setValue(3)
    dialog.seconds.setValue(2)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.process is None, timeout=60000)
    assert dialog.message.text() == f"Saved {out}"
    assert dialog.progress.value() == 6
    assert frames_of(out) == 6
    assert list(own_tempdir.iterdir()) == []  # the temporary session is gone


@POSIX_ONLY
@pytest.mark.parametrize("how", ["dialog", "window"])
def test_closing_stops_the_recording_and_leaves_nothing(make_window, qtbot, tmp_path,
                                                        own_tempdir, how):
    w = make_window()
    dialog = w.show_record_dialog()
    out_dir = tmp_path / "videos"
    out_dir.mkdir()
    long_recording(dialog, out_dir / "talk.gif")
    qtbot.waitUntil(lambda: dialog.progress.value() >= 2, timeout=60000)
    pid = dialog.process.processId()
    assert [p.name for p in out_dir.iterdir()][0].startswith(".talk.gif.")  # being written
    (dialog if how == "dialog" else w).close()
    assert not is_running(pid)
    assert list(out_dir.iterdir()) == [] and list(own_tempdir.iterdir()) == []


def test_the_dialog_remembers_its_settings_and_checks_them(make_window, tmp_path, settings):
    w = make_window()
    dialog = w.show_record_dialog()
    dialog.checks["cost"].setChecked(False)
    dialog.checks["confusion"].setChecked(True)
    dialog.path.setText(str(tmp_path / "lecture.gif"))
    dialog.width_box.setValue(1280)
    dialog.height_box.setValue(720)
    dialog.fps.setValue(12)
    dialog.seconds.setValue(45)
    dialog.close()
    again = w.show_record_dialog()
    assert again.panels() == ["weights", "confusion"]
    assert again.path.text() == str(tmp_path / "lecture.gif")
    assert (again.width_box.value(), again.height_box.value()) == (1280, 720)
    assert (again.fps.value(), again.seconds.value()) == (12, 45)
    again.close()
    for key, value in [("panels", "cost,nonsense"), ("path", str(tmp_path / "no" / "v.gif")),
                       ("size", "99999x3"), ("fps", "-5"), ("seconds", "lots")]:
        settings.setValue(f"record/{key}", value)
    fresh = w.show_record_dialog()
    assert fresh.panels() == ["cost", "weights"]
    assert fresh.path.text() == str(Path(start_folder(settings, "video")) / "training.mp4")
    assert (fresh.width_box.value(), fresh.height_box.value()) == (1920, 1080)
    assert (fresh.fps.value(), fresh.seconds.value()) == (30, 10)
    fresh.close()


QUIT_WHILE_RECORDING = """
import sys
from PySide6.QtCore import QTimer
from digit_descent.gui import app, main_window

show = main_window.MainWindow.show


def show_and_record(window):
    show(window)

    def record():
        if window.controller.snapshot is None:
            return QTimer.singleShot(100, record)
        dialog = window.show_record_dialog()
        dialog.path.setText(sys.argv[1])
        dialog.width_box.setValue(160)
        dialog.height_box.setValue(120)
        dialog.seconds.setValue(600)
        dialog.start()

        def announce():  # the recorder's process id, once its video is being written
            if dialog.progress.value() >= 2:
                print(dialog.process.processId(), flush=True)
            else:
                QTimer.singleShot(100, announce)
        announce()
    record()


main_window.MainWindow.show = show_and_record
sys.exit(app.run_app())
"""


@POSIX_ONLY
@pytest.mark.parametrize("signum, group, code", [
    (signal.SIGTERM, False, 0), (signal.SIGINT, False, 130),
    (signal.SIGINT, True, 130),  # Ctrl+C in a terminal: the recorder gets it too
    (signal.SIGKILL, False, -signal.SIGKILL),  # the app cannot clean up; the recorder does
], ids=["SIGTERM", "SIGINT", "Ctrl+C", "SIGKILL"])
def test_quitting_the_app_stops_the_recording_and_leaves_nothing(tmp_path, signum, group,
                                                                  code):
    out_dir, temp = tmp_path / "videos", tmp_path / "tmp"
    out_dir.mkdir()
    temp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "TMPDIR": str(temp)}
    app = subprocess.Popen([sys.executable, "-c", QUIT_WHILE_RECORDING,
                            str(out_dir / "talk.mp4")], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        ready, _, _ = select.select([app.stdout], [], [], 120)
        assert ready, "the recording did not start"
        pid = int(app.stdout.readline())
        assert is_running(pid) and any(temp.iterdir()) and any(out_dir.iterdir())
        if group:
            os.killpg(app.pid, signum)
        else:
            app.send_signal(signum)
        _, err = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == code, err
    assert "Traceback" not in err
    deadline = time.monotonic() + 30  # a killed app's recorder stops by itself
    while is_running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_running(pid)
    assert list(out_dir.iterdir()) == []
    if signum != signal.SIGKILL:  # the temporary session is the app's to remove
        assert list(temp.iterdir()) == []
