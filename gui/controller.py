"""The GUI side of training: commands to the worker, the newest snapshot to the panels.

The settings and the run number live in the :class:`~gui.model.AppModel`: a live change there
(η, batch size, epoch target) is sent on to the training thread, and every command that
begins a new run takes the model's next run number, which the thread echoes in its
snapshots; a snapshot of an older run is dropped here, never shown.

The window's :class:`~gui.scheduler.RedrawScheduler` connects to
:attr:`TrainingController.snapshotChanged` and hands each snapshot to the panels on
screen. A redraw timer on the GUI thread looks at the worker's newest publication and
emits its snapshot only when it is new: stale ones are skipped, never queued; the
worker's status beside it is :attr:`TrainingController.status`. While training runs
the timer ticks only as often as the panels on screen redraw
(:attr:`TrainingController.running_poll_s`): every tick holds the GIL the training
thread needs.
"""

from PySide6.QtCore import QObject, QTimer, Signal

from digit_descent.engine import Network, TrainConfig

from .worker import TrainingWorker, WorkerStatus


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

    def __init__(self, model, redraw_hz=30.0, publish_hz=30.0, parent=None):
        super().__init__(parent)
        self.model = model
        self.snapshot = None
        self.status = WorkerStatus()  # the training thread's state with the newest snapshot
        self._published = None
        self._run_seen = None  # the run whose settings were checked against the model's
        self._running = False
        self.worker = TrainingWorker(model.config, publish_hz=publish_hz)
        model.liveChanged.connect(self._on_live)
        self.worker.failed.connect(self.failed)
        self.worker.targetReached.connect(self.targetReached)
        self.worker.start()
        self._fast_ms = int(1000 / redraw_hz)
        self._running_ms = self._fast_ms
        self._sent = 0  # commands sent; look often until the worker has carried them out
        self._timer = QTimer(self)
        self._timer.setInterval(self._fast_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    @property
    def running_poll_s(self):
        """Seconds between looks at the worker while training runs (paused: 1 / redraw_hz)."""
        return self._running_ms / 1000

    @running_poll_s.setter
    def running_poll_s(self, seconds):
        self._running_ms = max(self._fast_ms, int(1000 * seconds))
        self._retime()

    def _retime(self):
        fast = not self._running or self.status.commands_done < self._sent
        interval = self._fast_ms if fast else self._running_ms
        if self._timer.interval() != interval:
            self._timer.setInterval(interval)

    @property
    def poll_interval_ms(self):
        """How often the worker's newest snapshot is looked at now."""
        return self._timer.interval()

    @property
    def running(self):
        return self._running

    def poll(self):
        """Emit the worker's newest snapshot if it is newer than the last one shown."""
        latest = self.worker.latest
        if latest is None or latest is self._published:
            return
        if latest.snapshot.run != self.model.run:
            return  # an older run's: the command that begins the new one is on its way
        if self._run_seen != self.model.run and latest.snapshot.config is not None:
            self._run_seen = self.model.run  # the first snapshot of the run says what it runs
            self.model.adopt(latest.snapshot.config)
        with self.worker.turns.frame():  # training waits while the panels take the snapshot in
            self._published = latest
            self.snapshot, self.status = latest.snapshot, latest.status
            changed = self.status.running != self._running
            self._running = self.status.running
            self._retime()
            if changed:
                self.runningChanged.emit(self._running)
            self.snapshotChanged.emit(self.snapshot)

    @property
    def config(self):
        """The run's settings (the model's)."""
        return self.model.config

    def draws(self, widget):
        """Let ``widget`` (a window) paint with training waiting: see :mod:`gui.worker`."""
        self.worker.turns.guard(widget, self)

    def _send(self, *command, run=None):
        self.worker.send(*command, run=run)
        self._sent += 1
        self._retime()

    def _on_live(self, name, value):
        command = {"lr": (self.worker.set_lr, float), "epochs": (self.worker.set_epochs, int),
                   "batch_size": (self.worker.set_batch_size, int)}[name]
        self._send(command[0], command[1](value))

    # Commands (all return at once; the worker acts between mini-batches) ----
    def start(self):
        self._send(self.worker.start_training)

    def pause(self):
        self._send(self.worker.pause)

    def toggle(self):
        self.pause() if self._running else self.start()

    def step(self, count=1):
        self._send(self.worker.step, count)

    def run_epoch(self):
        self._send(self.worker.epoch)

    def evaluate(self):
        """Evaluate the current network on the test and training sets (off the GUI thread)."""
        self._send(self.worker.evaluate)

    def set_speed(self, steps_per_s):
        """Mini-batches per second; ``None`` trains flat out."""
        self._send(self.worker.set_speed, steps_per_s)

    # Commands that begin a new run ----
    def reset(self, seed=None):
        """New random weights from ``seed`` (None: the configured one)."""
        self._send(self.worker.reset, seed, run=self.model.begin_run())

    def configure(self, config, network=None):
        """Rebuild data, network and trainer for ``config`` (new architecture, data set,
        seed…), from ``network``'s weights if given."""
        self._send(self.worker.configure, config, network, run=self.model.begin_run(config))

    def load_network(self, network, dataset=None):
        """Continue from a loaded network (its shape replaces the configured one)."""
        self.configure(self.config.replace(layers=network.sizes,
                                           activation=network.activation_name,
                                           cost=network.cost_name, dataset=dataset), network)

    def fork(self, step):
        """Go back to ``step`` (the last recorded one at or before it) and train on from there."""
        self._send(self.worker.fork, step, run=self.model.begin_run())

    def open_record(self, record):
        """Make a saved session the run (it trains on from its end)."""
        self._send(self.worker.open_record, record, run=self.model.begin_run(record.config))

    def restart(self, changes, ghost):
        """Replay the run from its first weights with ``changes`` (a dict of settings, checked
        by ``TrainConfig.from_dict``) made to the current settings; the run so far is kept as
        the ghost ``ghost``. A new hidden activation starts from the seed's draw for it (the
        same draw, scaled for ReLU) rather than the very same numbers. The Train menu's restart and a lesson stage's both come here.

        Returns a list of one-line problems (a refused setting falls back to its default);
        raises ValueError if there is no run yet, or the layers or data set changed (other
        weights cannot be the same).
        """
        snap = self.snapshot
        if snap is None or not self.model.current(snap):
            raise ValueError("The run has not begun yet: nothing to restart (try again in "
                             "a moment).")
        config, problems = TrainConfig.from_dict({**self.config.to_dict(), **(changes or {})})
        if tuple(config.layers) != tuple(snap.sizes) or config.dataset != self.config.dataset:
            raise ValueError("The same initial weights need the same layers and data: change "
                             "another setting (learning rate, batch size, optimizer…).")
        self.model.add_ghost(ghost, snap)
        if config.activation != snap.activation:  # the seed's draw for the new activation
            self.configure(config)  # (ReLU: scaled by √2), as the lessons' experiments start
            return problems
        network = Network(config.layers, config.activation, config.cost)
        network.params[...] = snap.initial_params
        self.configure(config, network)
        return problems

    def shutdown(self, timeout_ms=2000):
        """Stop the training thread and wait for it; True if it ended in time."""
        self._timer.stop()
        if not self.worker.isRunning():
            return True
        return self.worker.stop(timeout_ms)
