"""The training thread: trains flat out, publishes immutable snapshots, obeys commands.

The run itself — data, network, the record of the weights, the epoch-end evaluations — is an
:class:`engine.session.Session`; this module adds only the thread: commands, taking turns
with the GUI, the training speed, and publishing.

The GUI never waits on this thread. It sends commands (bound methods of the worker) through
a queue read between mini-batches, and reads ``worker.latest``, the newest
:class:`Published` snapshot; a newer one simply replaces an older one, so nothing ever
queues up.

While the GUI thread draws a frame (``worker.turns.frame()``), this thread waits for it
before its next mini-batch: see :mod:`gui.turns`.
"""

import queue
import sys
import threading
import time
import traceback
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QThread, Signal

from digit_descent.engine import DigitDescentError, DivergedError, Session, preset
from digit_descent.engine import data as datamod
from digit_descent.engine.threads import limit_blas_threads

from .turns import Turns

TRAIN_EVAL_LIMIT = 5_000  # training-set samples evaluated at each epoch end (±0.5% on accuracy)
CHUNK_S = 0.002  # mini-batches run back to back for about this long between command checks
MAX_CHUNK = 64


@dataclass(frozen=True, eq=False)
class WorkerStatus:
    """The training thread's side of a publication, apart from the run's own state: a
    snapshot of a saved session or an older step has none of these."""

    running: bool = False
    samples_per_s: float = 0.0
    message: str = ""
    commands_done: int = 0  # commands the thread had carried out
    serial: int = 0  # publications so far


@dataclass(frozen=True, eq=False)
class Published:
    snapshot: object
    status: WorkerStatus


class TrainingWorker(QThread):
    """Owns the session; everything here runs on the worker thread except the GUI-thread API.

    Signals (delivered queued to the GUI thread):
    ``failed(str)``: an error the user must see (training paused);
    ``targetReached(int)``: the configured number of epochs was reached.
    """

    failed = Signal(str)
    targetReached = Signal(int)

    def __init__(self, config, publish_hz=30.0, parent=None):
        super().__init__(parent)
        self.latest = None
        self.session = None
        self.turns = Turns()  # the GUI's frames and this thread's mini-batches
        self.publish_interval = 1.0 / publish_hz
        self._commands = queue.SimpleQueue()
        self._wake = threading.Event()
        self._config = config
        self._splits = {}
        self._running = False
        self._quit = False
        self._steps_per_s = None  # None: flat out
        self._rate = (0.0, 0, 0.0)  # (time, samples_seen, samples/s)
        self._commands_done = 0
        self._serial = 0
        self._run = 0  # the run number snapshots carry (Snapshot.run)
        self._last_publish = 0.0

    @property
    def trainer(self):
        return self.session.trainer if self.session is not None else None

    # ----------------------------------------------------- GUI-thread API
    def send(self, command, *args, run=None):
        """Queue ``command(*args)`` (a method of this worker) for the training thread;
        ``run``: the number of the run the command begins (echoed in every snapshot after it,
        even if the command fails and the old run goes on)."""
        self._commands.put((command, args, run))
        self._wake.set()

    def stop(self, timeout_ms=2000):
        """Ask the thread to finish and wait for it (call from the GUI thread).

        It may be called inside a frame (Ctrl+C lands anywhere): training stops waiting for
        frames first, or it would wait for this very call.
        """
        self.turns.stopping = True
        self.send(self.quit_thread)
        return self.wait(timeout_ms)

    # ---------------------------------------------------- worker thread
    def run(self):
        limit_blas_threads(1)
        self.configure(self._config)
        if self.session is None:  # the saved data set was refused: never leave the app without one
            self.configure(preset("3b1b"))
        while not self._quit:
            self._handle_commands()
            if self._quit:
                break
            try:
                if self._running and self.session is not None:
                    self._train_until_interrupted()
                else:
                    self._wake.wait(0.25)
                    self._wake.clear()
                    if self.session is not None and self.session.collect():
                        self._publish()
            except Exception:  # noqa: BLE001 - relayed to the GUI, never lost in a thread
                self._unexpected()
        if self.session is not None:
            self.session.close()

    def _handle_commands(self):
        while True:
            try:
                command, args, run = self._commands.get_nowait()
            except queue.Empty:
                return
            if run is not None:
                self._run = run
            self._commands_done += 1  # counted first: the snapshot the command publishes shows it
            if self.session is None and command not in (self.quit_thread, self.configure):
                continue  # nothing to train yet
            try:
                command(*args)
            except DigitDescentError as exc:
                self._fail(str(exc))
            except Exception:  # noqa: BLE001 - relayed to the GUI, never lost in a thread
                self._unexpected()

    def _unexpected(self):
        """A bug: one line for the user, the traceback on the terminal for whoever fixes it."""
        kind, value, _ = sys.exc_info()
        traceback.print_exc()
        self._fail(f"Unexpected error in the training thread ({kind.__name__}: {value}); "
                   "training is paused. Details are printed on the terminal.")

    def _fail(self, message):
        self._running = False
        self._publish(message=message)
        self.failed.emit(message)

    # Commands: sent from the GUI thread, carried out here between mini-batches ----------
    def quit_thread(self):
        self._quit = True

    def start_training(self):
        if not np.isfinite(self.trainer.network.params).all():
            self._fail("The weights are NaN after a divergence: press Reset first.")
            return
        self._running = True
        self._rate = (time.perf_counter(), self.trainer.samples_seen, 0.0)
        self._publish()

    def pause(self):
        self._running = False
        self._publish()

    def step(self, count=1):
        self._running = False
        for _ in range(count):
            if not self._run_steps(1):
                return
        self._publish()

    def epoch(self):
        self._running = False
        epoch = self.trainer.epoch
        while self.trainer.epoch == epoch:
            if not self._commands.empty() or not self._run_steps(16):
                break
            self._maybe_publish()
        self.session.collect(wait=True)
        self._publish()

    def reset(self, seed=None):
        self._running = False
        self.session.reset(seed)
        self._publish()

    def set_lr(self, lr):
        self.trainer.lr = lr
        self._publish()

    def set_batch_size(self, batch_size):
        self.trainer.batch_size = batch_size
        self._publish()

    def set_speed(self, steps_per_s):
        self._steps_per_s = steps_per_s

    def evaluate(self):
        """Evaluate on the test set and part of the training set now."""
        self.session.evaluate_now()
        self._publish()

    def set_epochs(self, epochs):
        self._config = self._config.replace(epochs=epochs)
        if self.session is not None:
            self.session.set_epochs(epochs)

    def configure(self, config, network=None):
        """A new session for ``config`` (from ``network``'s weights if given); the old one is
        kept when the new one cannot be built."""
        self._running = False
        try:
            session = Session(config, self._split_for(config), network,
                              train_eval_limit=TRAIN_EVAL_LIMIT, background=True)
        except (ValueError, DigitDescentError) as exc:
            self._fail(str(exc))
            return
        except MemoryError:
            self._fail(f"Not enough memory for the {config.dataset} data with layers "
                       f"{'-'.join(map(str, config.layers))}: the previous setting is kept.")
            return
        if self.session is not None:
            self.session.close()
        self._config = config
        self.session = session
        if network is not None:
            session.evaluate_now()  # a loaded model: show what it knows at once
        self._publish()

    def fork(self, step):
        """Go back to the recorded step ≤ ``step`` and make it the run's present (a new
        branch): training goes on from there when started."""
        self._running = False
        self.session.fork(step)
        self.session.evaluate_now()
        self._publish()

    def open_record(self, record):
        """Make a saved run (a :class:`~engine.session_io.SessionRecord`) the run, ready to
        train on from its end; the current one is kept if it cannot be built."""
        self._running = False
        try:
            session = Session.from_record(record, self._split_for(record.config),
                                          background=True, train_eval_limit=TRAIN_EVAL_LIMIT)
        except (ValueError, DigitDescentError) as exc:
            self._fail(str(exc))
            return
        if self.session is not None:
            self.session.close()
        self._config = record.config
        self.session = session
        session.evaluate_now()
        self._publish()

    # Training -----------------------------------------------------------
    def _split_for(self, config):
        key = config.dataset
        if key not in self._splits:
            self._splits = {key: datamod.load(key)}  # keep only one: data sets are large
        return self._splits[key]

    def _run_steps(self, count=1):
        """Up to ``count`` mini-batches; False when training must stop (a divergence, or the
        epoch target reached while running)."""
        session = self.session
        try:
            ended = session.run_steps(count, self.turns.between_steps)
        except DivergedError as exc:
            self._fail(f"{exc}, then press Reset.")
            return False
        if ended and self.trainer.epoch >= self._config.epochs and self._running:
            self._running = False
            session.collect(wait=True)
            self._publish()
            self.targetReached.emit(self.trainer.epoch)
            return False
        return True

    def _train_until_interrupted(self):
        """Train until a command arrives or training stops; publish at the snapshot rate.

        Flat out, mini-batches run in chunks of about CHUNK_S seconds, so the per-step
        bookkeeping here (Python, holding the GIL) is paid once per chunk.
        """
        commands = self._commands
        chunk = 1
        while self._running and commands.empty():
            if self._steps_per_s:
                if not self._run_steps(1):
                    return
                self._wake.wait(1.0 / self._steps_per_s)
                self._wake.clear()
                self._publish()
                continue
            start = time.perf_counter()
            if not self._run_steps(chunk):
                return
            elapsed = time.perf_counter() - start
            chunk = max(1, min(MAX_CHUNK, int(chunk * CHUNK_S / max(elapsed, 1e-6)), 2 * chunk))
            self.session.collect()
            self._maybe_publish()

    def _maybe_publish(self):
        if time.perf_counter() - self._last_publish >= self.publish_interval:
            self._publish()

    def _publish(self, message=""):
        now = time.perf_counter()
        self._last_publish = now
        if self.session is None:
            return
        t0, s0, rate = self._rate
        seen = self.trainer.samples_seen
        if self._running and now - t0 >= 0.5:
            rate = (seen - s0) / (now - t0)
            self._rate = (now, seen, rate)
        elif not self._running:
            rate = 0.0
        self._serial += 1
        status = WorkerStatus(self._running, rate, message, self._commands_done, self._serial)
        self.latest = Published(self.session.snapshot(run=self._run), status)
