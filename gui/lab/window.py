"""The 2-D lab's window: controls, the data panel and the node-link panel, trained live."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QSplitter, QWidget

from digit_descent.engine import DigitDescentError
from digit_descent.engine.lab import LabConfig
from digit_descent.engine.lab.points_csv import read_points, write_points

from ..folders import open_file_name, save_file_name
from ..settings import settings as app_settings
from .boundary import BoundaryPanel
from .controls import LabControls
from .network_panel import LabNetworkPanel
from .runner import LabRunner

DRAW_MS = 16  # a panel drawn a tick, in turns


class LabWindow(QMainWindow):
    """The lab. ``frames_per_s``: training's speed limit (None: flat out, for the bench)."""

    def __init__(self, config=LabConfig(), parent=None, frames_per_s=60.0):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window)
        self.setWindowTitle("Digit Descent — 2-D lab")
        # the opener's settings (the main window's, which remember the folders), else the app's
        self.settings = getattr(parent, "settings", None) or app_settings()
        self.runner = LabRunner(config, frames_per_s, poll_ms=DRAW_MS, parent=self)
        self.runner.draws(self)
        self.controls = LabControls(config)
        self.controls.setMaximumWidth(380)
        self.boundary = BoundaryPanel()
        self.network = LabNetworkPanel()
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.boundary)
        split.addWidget(self.network)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.controls)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)
        self._panels, self._next_panel = (self.boundary, self.network), 0
        self._draw_timer = QTimer(self)
        self._draw_timer.setInterval(DRAW_MS)
        self._draw_timer.timeout.connect(self._draw_next)
        self._draw_timer.start()
        self._connect()
        self.resize(1600, 900)

    def _connect(self):
        r, c = self.runner, self.controls
        r.snapshotChanged.connect(self.show_snapshot)
        r.failed.connect(c.message.setText)
        r.runningChanged.connect(lambda on: c.train_button.setText("Pause" if on else "Train"))
        c.configChanged.connect(lambda cfg: r.send(lambda lab: lab.configure(cfg)))
        c.train_button.clicked.connect(self.toggle_training)
        c.step_button.clicked.connect(lambda: r.send(lambda lab: lab.frame()))
        c.reset_button.clicked.connect(lambda: r.send(lambda lab: lab.reset()))
        c.undo_button.clicked.connect(self.undo)
        c.read_button.clicked.connect(self.ask_points_file)
        c.save_button.clicked.connect(self.ask_save_points)
        self.boundary.pointAdded.connect(lambda x, y, k: r.send(lambda lab: lab.add_point(x, y, k)))
        self.boundary.pointRemoved.connect(lambda x, y: r.send(lambda lab: lab.remove_point(x, y)))
        self.boundary.probeMoved.connect(self.network.set_probe)
        v = self.network.view
        v.weightTyped.connect(lambda *a: r.send(lambda lab: lab.surgery.set_weight(*a)))
        v.biasTyped.connect(lambda *a: r.send(lambda lab: lab.surgery.set_bias(*a)))
        v.neuronSwitched.connect(lambda *a: r.send(lambda lab: lab.surgery.switch(*a)))
        for keys, slot in (("Space", self.toggle_training), ("Ctrl+Z", self.undo)):
            QShortcut(QKeySequence(keys), self, activated=slot)

    def show_snapshot(self, snapshot):
        """A new snapshot: the controls follow at once, the panels at the next ticks."""
        self.controls.undo_button.setEnabled(snapshot.can_undo)
        if snapshot.config != self.controls.config:
            self.controls.set_config(snapshot.config)

    def _draw_next(self):
        """Refresh the hover card when it is due (5 Hz), or else draw the newest snapshot in
        one panel that does not show it yet, taking turns: one piece a tick keeps each of the
        GUI thread's turns short (each panel: up to 30 Hz)."""
        snapshot = self.runner.snapshot
        if snapshot is None:
            return
        with self.runner.turns.frame():  # training waits: no fight for the GIL
            if self.network.snapshot is not None and self.network.view.refresh_card(True):
                return
            for i in range(len(self._panels)):
                k = (self._next_panel + i) % len(self._panels)
                if self._panels[k].snapshot is not snapshot:
                    self._next_panel = k + 1
                    self._panels[k].show_snapshot(snapshot)
                    return

    def toggle_training(self):
        self.runner.set_running(not self.runner.running)

    def undo(self):
        self.runner.send(lambda lab: lab.surgery.undo())

    def read_points_file(self, path):
        """Read a CSV of x, y, label rows into the lab; a bad file: one line in the controls."""
        try:
            xy, labels = read_points(path)
        except DigitDescentError as exc:
            self.controls.message.setText(str(exc))
            return False
        self.controls.message.setText("")
        self.runner.send(lambda lab: lab.use_points(xy, labels))
        return True

    def ask_points_file(self):
        path = open_file_name(self, self.settings, "points", "Read points", "CSV (*.csv);;All (*)")
        if path:
            self.read_points_file(path)

    def ask_save_points(self):
        s = self.runner.snapshot
        path, _ = save_file_name(self, self.settings, "points", "Save points", "points.csv",
                                 "CSV (*.csv)")
        if path and s is not None:
            try:
                write_points(path, s.points, s.labels)
            except OSError as exc:
                self.controls.message.setText(f"{path}: not saved ({exc.strerror or exc})")

    def closeEvent(self, event):
        self._draw_timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)


def open_lab(parent=None, config=None):
    """Open the lab in a window of its own (from the main window: ``open_lab(self)``)."""
    window = LabWindow(config or LabConfig(), parent)
    window.setAttribute(Qt.WA_DeleteOnClose)
    window.show()
    return window

__all__ = ["LabWindow", "open_lab"]
