"""File → Record…: film the run so far as a video, without stopping the app.

The run is saved as a session to a temporary file and replayed by ``main.py record`` in a
process of its own (rendering frames takes the GUI thread of whoever renders them); its
progress line feeds the dialog's progress bar.
"""

import os
import re
import signal
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from digit_descent.engine.session_io import save_session

from .recorder import RECORDABLE

PROGRESS = re.compile(rb"frame (\d+)/(\d+)")


class RecordDialog(QDialog):
    """Choose panels, file, size and length; Record runs ``main.py record --session``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Record the run as a video")
        self.process = None
        self._session = None
        self._errors = b""
        self.checks = {key: QCheckBox(key) for key in RECORDABLE}
        for key in ("cost", "weights"):
            self.checks[key].setChecked(True)
        boxes = QWidget()
        row = QHBoxLayout(boxes)
        row.setContentsMargins(0, 0, 0, 0)
        for check in self.checks.values():
            row.addWidget(check)
        self.path = QLineEdit(str(Path.home() / "training.mp4"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        where = QWidget()
        line = QHBoxLayout(where)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box, value in ((self.width_box, 1920), (self.height_box, 1080)):
            box.setRange(16, 7680)
            box.setSingleStep(2)
            box.setValue(value)
        self.fps = QSpinBox()
        self.fps.setRange(1, 120)
        self.fps.setValue(30)
        self.seconds = QSpinBox()
        self.seconds.setRange(1, 600)
        self.seconds.setValue(10)
        self.seconds.setSuffix(" s")
        form = QFormLayout()
        form.addRow("Panels (1–4)", boxes)
        form.addRow("Video (.mp4 or .gif)", where)
        form.addRow("Width × height", _pair(self.width_box, self.height_box))
        form.addRow("Frames per second", self.fps)
        form.addRow("Length", self.seconds)
        self.progress = QProgressBar()
        self.message = QLabel("The run so far is replayed as a time-lapse: dense at the "
                              "start, when the network changes fastest.")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.record_button = self.buttons.addButton("Record", QDialogButtonBox.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.Close)
        self.record_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def _choose(self):
        path, _ = QFileDialog.getSaveFileName(self, "Video", self.path.text(),
                                              "MP4 video (*.mp4);;Animated GIF (*.gif)")
        if path:
            self.path.setText(path)

    def panels(self):
        return [key for key, check in self.checks.items() if check.isChecked()]

    def start(self):
        """Save the run to a temporary session and start ``main.py record`` on it."""
        snapshot = self.window.controller.snapshot
        if snapshot is None or self.process is not None:
            return
        if not 1 <= len(self.panels()) <= 4:
            self.message.setText("Choose one to four panels.")
            return
        self._session = Path(tempfile.mkdtemp(prefix="digit-descent-")) / "run.npz"
        save_session(snapshot, self._session)
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.SeparateChannels)
        self.process.readyReadStandardError.connect(self._read_progress)
        self.process.finished.connect(self._finished)
        self.record_button.setEnabled(False)
        self.message.setText("Recording…")
        self.process.start(sys.executable, [
            "-m", "digit_descent", "record", "--session", str(self._session), "--panels",
            ",".join(self.panels()), "--out", self.path.text(), "--fps", str(self.fps.value()),
            "--seconds", str(self.seconds.value()),
            "--size", f"{self.width_box.value()}x{self.height_box.value()}"])

    def _read_progress(self):
        text = bytes(self.process.readAllStandardError())
        self._errors += text
        found = PROGRESS.findall(text)
        if found:
            done, total = found[-1]
            self.progress.setRange(0, int(total))
            self.progress.setValue(int(done))

    def _finished(self, code, _status):
        self.record_button.setEnabled(True)
        errors, self._errors = self._errors.decode(errors="replace"), b""
        self.process = None
        self._session.unlink(missing_ok=True)
        self._session.parent.rmdir()
        if code == 0:
            self.message.setText(f"Saved {self.path.text()}")
        else:
            last = [line for line in errors.replace("\r", "\n").splitlines()
                    if line.startswith("error:")]
            self.message.setText(last[-1] if last else f"Recording failed (exit code {code}).")

    def reject(self):
        if self.process is not None:  # closing stops the recording; no half-written file
            os.kill(self.process.processId(), signal.SIGINT)  # as Ctrl+C: it cleans up
            self.process.waitForFinished(5000)
        super().reject()


def _pair(a, b):
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(a)
    row.addWidget(QLabel("×"))
    row.addWidget(b)
    row.addStretch(1)
    return box
