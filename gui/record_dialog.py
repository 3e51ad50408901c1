"""File → Record…: film the run so far as a video, without stopping the app.

The run is saved as a session to a temporary folder and replayed by ``digit-descent record``
in a process of its own (rendering frames takes the GUI thread of whoever renders them); its
progress line feeds the dialog's progress bar. Closing the dialog, closing the window or
quitting the app (Ctrl+Q, Ctrl+C, SIGTERM) stops that process as Ctrl+C would, by closing
its standard input (``record --until-stdin-closes``; it stops too if the app is killed): no
process, half-written video or temporary session is left behind. The panels, file, size, frame rate
and length are remembered in the app's settings.
"""

import re
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QProcess, Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from digit_descent.engine.session_io import save_session

from .folders import start_folder
from .recorder import FORMATS, RECORDABLE, temporaries

PROGRESS = re.compile(rb"frame (\d+)/(\d+)")
STOP_WAIT_MS = 5000  # for the recorder to clean up after its Ctrl+C, before it is killed
SETTINGS = "record/"


class RecordDialog(QDialog):
    """Choose panels, file, size and length; Record runs ``digit-descent record --session``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Record the run as a video")
        self.setAttribute(Qt.WA_DeleteOnClose)  # a new one each time: its hooks go with it
        self.process = None
        self._session = self._out = None
        self._errors = b""
        self._leftovers = set()
        self.checks = {key: QCheckBox(key) for key in RECORDABLE}
        boxes = QWidget()
        row = QHBoxLayout(boxes)
        row.setContentsMargins(0, 0, 0, 0)
        for check in self.checks.values():
            row.addWidget(check)
        self.path = QLineEdit()
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        where = QWidget()
        line = QHBoxLayout(where)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box in (self.width_box, self.height_box):
            box.setRange(16, 7680)
            box.setSingleStep(2)
        self.fps = QSpinBox()
        self.fps.setRange(1, 120)
        self.seconds = QSpinBox()
        self.seconds.setRange(1, 600)
        self.seconds.setSuffix(" s")
        self.frames = QLabel()
        for box in (self.fps, self.seconds):
            box.valueChanged.connect(self._count_frames)
        self.choices = QWidget()  # not changed while a recording runs
        form = QFormLayout(self.choices)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Panels (1–4)", boxes)
        form.addRow("Video (.mp4 or .gif)", where)
        form.addRow("Width × height", _pair(self.width_box, self.height_box))
        form.addRow("Frames per second", _pair(self.fps))
        form.addRow("Length", _pair(self.seconds, self.frames))
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m frames")
        self.message = QLabel("The run so far is replayed as a time-lapse: dense at the "
                              "start, when the network changes fastest.")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.record_button = self.buttons.addButton("Record", QDialogButtonBox.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.Close)
        self.record_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choices)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._restore()
        self._count_frames()
        window.installEventFilter(self)  # the window closing stops the recording
        QCoreApplication.instance().aboutToQuit.connect(self.stop)

    def _count_frames(self):
        self.frames.setText(f"= {self.fps.value() * self.seconds.value():,} frames")

    def _choose(self):
        path, _ = QFileDialog.getSaveFileName(self, "Video", self.path.text(),
                                              "MP4 video (*.mp4);;Animated GIF (*.gif)")
        if path:
            self.path.setText(path)

    def panels(self):
        return [key for key, check in self.checks.items() if check.isChecked()]

    def start(self):
        """Save the run to a temporary session and start ``digit-descent record`` on it."""
        snapshot = self.window.controller.snapshot
        if snapshot is None or self.process is not None:
            return
        if not 1 <= len(self.panels()) <= 4:
            self.message.setText("Choose one to four panels.")
            return
        self._remember()
        out = Path(self.path.text()).expanduser()
        folder = Path(tempfile.mkdtemp(prefix="digit-descent-"))
        try:
            save_session(snapshot, folder / "run.npz")
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            self.message.setText(f"The run could not be saved for recording: "
                                 f"{exc.strerror or exc}.")
            return
        self._session, self._out = folder, out
        self._leftovers = temporaries(out)  # a crashed recorder's new ones are removed
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.SeparateChannels)
        self.process.readyReadStandardError.connect(self._read_progress)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed_to_start)
        self.record_button.setEnabled(False)
        self.choices.setEnabled(False)
        self.progress.reset()
        self.message.setText("Recording… (Close stops it and keeps nothing.)")
        self.process.start(sys.executable, [
            "-m", "digit_descent", "record", "--session", str(folder / "run.npz"), "--panels",
            ",".join(self.panels()), "--out", str(out), "--fps", str(self.fps.value()),
            "--seconds", str(self.seconds.value()),
            "--size", f"{self.width_box.value()}x{self.height_box.value()}",
            "--until-stdin-closes"])  # it stops when this app closes its stdin, or dies

    def _read_progress(self):
        text = bytes(self.process.readAllStandardError())
        self._errors += text
        found = PROGRESS.findall(text)
        if found:
            done, total = found[-1]
            self.progress.setRange(0, int(total))
            self.progress.setValue(int(done))

    def _finished(self, code, status):
        errors, self._errors = self._errors.decode(errors="replace"), b""
        self._clean_up(crashed=code != 0 or status == QProcess.CrashExit)
        if code == 0 and status == QProcess.NormalExit:
            self.message.setText(f"Saved {self._out}")
        else:
            last = [line for line in errors.replace("\r", "\n").splitlines()
                    if line.startswith("error:")]
            self.message.setText(last[-1] if last else f"Recording failed (exit code {code}).")

    def _failed_to_start(self, error):
        if error == QProcess.FailedToStart:  # no finished() follows
            reason = self.process.errorString()
            self._clean_up(crashed=True)
            self.message.setText(f"The recorder could not be started: {reason}.")

    def _clean_up(self, crashed):
        """Forget the finished process; remove the temporary session and, after a crash,
        the hidden half-written video it left beside the target."""
        if self.process is not None:
            self.process.deleteLater()
        self.process = None
        self.record_button.setEnabled(True)
        self.choices.setEnabled(True)
        if self._session is not None:
            shutil.rmtree(self._session, ignore_errors=True)
            self._session = None
        if crashed:
            for leftover in temporaries(self._out) - self._leftovers:
                leftover.unlink(missing_ok=True)

    def stop(self):
        """Stop the recording in progress, if any, as Ctrl+C stops ``digit-descent record``
        (it removes its half-written video); killed if it has not ended after 5 s. Returns
        when it has ended and its temporary session is removed."""
        process = self.process
        if process is None:
            return
        if process.state() == QProcess.Starting:
            process.waitForStarted(STOP_WAIT_MS)
        process.closeWriteChannel()  # --until-stdin-closes: the recorder interrupts itself
        process.waitForFinished(STOP_WAIT_MS)
        if self.process is process and process.state() != QProcess.NotRunning:
            process.kill()  # stuck: its hidden video is removed here
            process.waitForFinished(STOP_WAIT_MS)
        if self.process is process:  # finished() did not come (the process is gone)
            self._clean_up(crashed=True)

    def eventFilter(self, watched, event):
        if watched is self.window and event.type() == QEvent.Close:
            self.stop()
            self._remember()  # before the window saves its settings
        return False

    def reject(self):
        self.stop()  # closing stops the recording; no half-written file
        self._remember()
        super().reject()

    def _remember(self):
        s = self.window.settings
        s.setValue(SETTINGS + "panels", ",".join(self.panels()))
        s.setValue(SETTINGS + "path", self.path.text())
        s.setValue(SETTINGS + "size", f"{self.width_box.value()}x{self.height_box.value()}")
        s.setValue(SETTINGS + "fps", self.fps.value())
        s.setValue(SETTINGS + "seconds", self.seconds.value())

    def _restore(self):
        """The last values used, each checked (a bad or missing one gives its default)."""
        s = self.window.settings
        panels = str(s.value(SETTINGS + "panels", "")).split(",")
        if not (1 <= len(panels) <= 4 and set(panels) <= set(RECORDABLE)):
            panels = ["cost", "weights"]
        for key, check in self.checks.items():
            check.setChecked(key in panels)
        self.path.setText(_saved_path(s.value(SETTINGS + "path"), start_folder(s, "video")))
        width, height = _saved_size(s.value(SETTINGS + "size"))
        self.width_box.setValue(width)
        self.height_box.setValue(height)
        self.fps.setValue(_saved_int(s.value(SETTINGS + "fps"), self.fps, 30))
        self.seconds.setValue(_saved_int(s.value(SETTINGS + "seconds"), self.seconds, 10))


def _saved_path(raw, folder):
    """The video path last used if it still can be, else training.mp4 in ``folder``."""
    default = str(Path(folder) / "training.mp4")
    if not isinstance(raw, str) or not 0 < len(raw) < 4096 or "\0" in raw:
        return default
    path = Path(raw)
    return raw if path.suffix.lower() in FORMATS and path.parent.is_dir() else default


def _saved_size(raw):
    try:
        width, height = (int(v) for v in str(raw).split("x"))
    except ValueError:
        return 1920, 1080
    ok = all(16 <= v <= 7680 and v % 2 == 0 for v in (width, height))
    return (width, height) if ok else (1920, 1080)


def _saved_int(raw, box, default):
    try:
        value = int(str(raw))
    except ValueError:
        return default
    return value if box.minimum() <= value <= box.maximum() else default


def _pair(a, b=None):
    """``a × b`` (or ``a`` and a label ``b``, or ``a`` alone) at their natural width."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(a)
    if isinstance(b, QSpinBox):
        row.addWidget(QLabel("×"))
    if b is not None:
        row.addWidget(b)
    row.addStretch(1)
    return box
