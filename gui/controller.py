"""The GUI side of training: commands to the worker, the newest snapshot to the panels.

Panels connect to :attr:`TrainingController.snapshotChanged`. A redraw timer
on the GUI thread looks at the worker's newest snapshot and emits it only when
it is new: stale snapshots are skipped, never queued.
"""

from PySide6.QtCore import QObject, QTimer, Signal

from .worker import TrainingWorker


class TrainingController(QObject):
    """Owns the training thread.

    Signals
    -------
    snapshotChanged(Snapshot)
        a newer snapshot, at most ``redraw_hz`` times a second.
    runningChanged(bool)
        training started or paused.
    failed(str)
        divergence or an error in the training thread (training is paused).
    targetReached(int)
        the configured number of epochs has been trained.
    """

    snapshotChanged = Signal(object)
    runningChanged = Signal(bool)
    failed = Signal(str)
    targetReached = Signal(int)

    def __init__(self, config, redraw_hz=30.0, publish_hz=30.0, parent=None):
        super().__init__(parent)
        self.config = config
        self.snapshot = None
        self._running = False
        self.worker = TrainingWorker(config, publish_hz=publish_hz)
        self.worker.failed.connect(self.failed)
        self.worker.targetReached.connect(self.targetReached)
        self.worker.start()
        self._timer = QTimer(self)
        self._timer.setInterval(int(1000 / redraw_hz))
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    @property
    def running(self):
        return self._running

    def poll(self):
        """Emit the worker's newest snapshot if it is newer than the last one shown."""
        latest = self.worker.latest
        if latest is None or latest is self.snapshot:
            return
        self.snapshot = latest
        if latest.running != self._running:
            self._running = latest.running
            self.runningChanged.emit(self._running)
        self.snapshotChanged.emit(latest)

    # Commands (all return at once; the worker acts between mini-batches) ----
    def start(self):
        self.worker.send("start")

    def pause(self):
        self.worker.send("pause")

    def toggle(self):
        self.pause() if self._running else self.start()

    def step(self, count=1):
        self.worker.send("step", count)

    def run_epoch(self):
        self.worker.send("epoch")

    def reset(self, seed=None):
        self.worker.send("reset", seed)

    def evaluate(self):
        """Evaluate the current network on the test and training sets (off the GUI thread)."""
        self.worker.send("evaluate")

    def set_lr(self, lr):
        self.worker.send("set_lr", float(lr))

    def set_batch_size(self, batch_size):
        self.worker.send("set_batch_size", int(batch_size))

    def set_epochs(self, epochs):
        self.config = self.config.replace(epochs=int(epochs))
        self.worker.send("set_epochs", int(epochs))

    def set_speed(self, steps_per_s):
        """Mini-batches per second; ``None`` trains flat out."""
        self.worker.send("set_speed", steps_per_s)

    def configure(self, config):
        """Rebuild data, network and trainer (new architecture, data set, seed…)."""
        self.config = config
        self.worker.send("configure", config)

    def load_network(self, network, dataset=None):
        """Continue from a loaded network (its shape replaces the configured one)."""
        self.config = self.config.replace(
            layers=network.sizes, activation=network.activation_name, cost=network.cost_name,
            dataset=dataset)
        self.worker.send("configure", self.config, network)

    def shutdown(self, timeout_ms=2000):
        """Stop the training thread and wait for it; True if it ended in time."""
        self._timer.stop()
        if not self.worker.isRunning():
            return True
        return self.worker.stop(timeout_ms)
