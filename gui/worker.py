"""The training thread: trains flat out, publishes immutable snapshots, obeys commands.

The GUI never waits on this thread. It sends commands through a queue (read
between mini-batches) and reads ``worker.latest``, the newest
:class:`~engine.snapshot.Snapshot`; a newer snapshot simply replaces an older
one, so nothing ever queues up.

While the GUI thread draws a frame (:meth:`TrainingWorker.gui_frame`), this
thread waits for it before its next mini-batch. Both threads need the
GIL, and NumPy hands it over at every large array operation: drawing while
training runs alongside costs both threads dearly in hand-overs (a cost-panel
frame took 22 ms instead of 4). Taking turns, the GUI draws at full speed and
training loses only the frame's own time.
"""

import queue
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QThread, Signal

from engine import DigitDescentError, DivergedError, preset
from engine import data as datamod
from engine import inspection
from engine.snapshot import Snapshot
from engine.threads import limit_blas_threads
from engine.trainer import Trainer, build_network, cost_and_accuracy, prepare_data
from engine.trajectory import Trajectory


TRAIN_EVAL_LIMIT = 5_000  # training-set samples evaluated at each epoch end (±0.5% on accuracy)
CHUNK_S = 0.002  # mini-batches run back to back for about this long between command checks
MAX_CHUNK = 64
MAX_FRAME_WAIT_S = 0.25  # training waits at most this long for one GUI frame
LONG_EPOCH_STEPS = 100  # every epoch of at least this many mini-batches is evaluated;
MIN_EVALUATION_S = 0.05  # a shorter one only this long after the last evaluated one


def evaluate_epoch(network, train, test, epoch, with_train_evaluation):
    """The figures of an epoch end, from ``network`` (a copy: training goes on meanwhile).

    Returns ``(test Evaluation, training-set Evaluation or None, (train cost, accuracy),
    (test cost, accuracy))``; no Evaluations and NaN figures when the weights are not finite.
    """
    nan = (float("nan"), float("nan"))
    if not np.isfinite(network.params).all():
        return None, None, nan, nan
    test_evaluation = inspection.evaluate(network, test, epoch)
    if with_train_evaluation:
        train_evaluation = inspection.evaluate(network, train, epoch, limit=TRAIN_EVAL_LIMIT)
        train_figures = (train_evaluation.cost, train_evaluation.accuracy)
    else:
        train_evaluation = None
        train_figures = cost_and_accuracy(network, train, TRAIN_EVAL_LIMIT)
    return test_evaluation, train_evaluation, train_figures, (test_evaluation.cost,
                                                              test_evaluation.accuracy)


class TrainingWorker(QThread):
    """Owns the trainer; everything here runs on the worker thread except the command methods.

    Signals (delivered queued to the GUI thread):
    ``failed(str)``: an error the user must see (training paused);
    ``targetReached(int)``: the configured number of epochs was reached.
    """

    failed = Signal(str)
    targetReached = Signal(int)

    def __init__(self, config, publish_hz=30.0, parent=None):
        super().__init__(parent)
        self.latest = None
        self.trajectory = None
        self._gui_turn = threading.Lock()  # held by the GUI thread while it draws a frame
        self._gui_depth = 0  # frames being drawn (nested); written by the GUI thread only
        self._stopping = False
        self.publish_interval = 1.0 / publish_hz
        self._commands = queue.SimpleQueue()
        self._wake = threading.Event()
        self._config = config
        self._splits = {}
        self.trainer = None
        self._running = False
        self._quit = False
        self._steps_per_s = None  # None: flat out
        self._rate = (0.0, 0, 0.0)  # (time, samples_seen, samples/s)
        self._serial = 0
        self._commands_done = 0
        self._last_publish = 0.0
        self._epoch_seconds = 0.0
        self._evaluated_at = 0.0  # when the last epoch-end evaluation started
        self._initial = None
        self._evaluation = self._train_evaluation = None
        # Epoch-end evaluation runs beside training, on a copy of the weights.
        self._evaluator = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaluation")
        self._pending = None  # (future, EpochEnd) of the epoch being evaluated

    # ----------------------------------------------------- GUI-thread API
    def send(self, command, *args):
        """Queue a command for the training thread (never blocks)."""
        self._commands.put((command, args))
        self._wake.set()

    @contextmanager
    def gui_frame(self):
        """Training waits before its next mini-batch until the block ends (GUI thread only)."""
        if self._gui_depth:
            self._gui_depth += 1
        else:
            self._gui_turn.acquire()  # never held long by this thread: a few bytecodes
            self._gui_depth = 1
        try:
            yield
        finally:
            self._gui_depth -= 1
            if not self._gui_depth:
                self._gui_turn.release()

    @property
    def frames_drawing(self):
        """GUI frames being drawn now (nested); training waits while there are any."""
        return self._gui_depth

    def stop(self, timeout_ms=2000):
        """Ask the thread to finish and wait for it (call from the GUI thread).

        It may be called inside a frame (Ctrl+C lands anywhere): training stops waiting for
        frames first, or it would wait for this very call.
        """
        self._stopping = True
        self.send("quit")
        return self.wait(timeout_ms)

    # ---------------------------------------------------- worker thread
    def run(self):
        limit_blas_threads(1)
        self._configure(self._config)
        if self.trainer is None:  # the saved data set was refused: never leave the app without one
            self._configure(preset("3b1b"))
        while not self._quit:
            self._handle_commands()
            if self._quit:
                break
            try:
                if self._running and self.trainer is not None:
                    self._train_until_interrupted()
                else:
                    self._wake.wait(0.25)
                    self._wake.clear()
                    if self._collect_evaluation():
                        self._publish()
            except Exception:  # noqa: BLE001 - relayed to the GUI, never lost in a thread
                self._unexpected()
        self._evaluator.shutdown(wait=False, cancel_futures=True)

    def _handle_commands(self):
        while True:
            try:
                command, args = self._commands.get_nowait()
            except queue.Empty:
                return
            self._commands_done += 1  # counted first: the snapshot the command publishes shows it
            if self.trainer is None and command not in ("quit", "configure"):
                continue  # nothing to train yet
            try:
                getattr(self, "_cmd_" + command)(*args)
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

    # Commands ---------------------------------------------------------
    def _cmd_quit(self):
        self._quit = True

    def _cmd_start(self):
        if self.trainer is None:
            return
        if not np.isfinite(self.trainer.network.params).all():
            self._fail("The weights are NaN after a divergence: press Reset first.")
            return
        self._running = True
        self._rate = (time.perf_counter(), self.trainer.samples_seen, 0.0)
        self._publish()

    def _cmd_pause(self):
        self._running = False
        self._publish()

    def _cmd_step(self, count=1):
        self._running = False
        for _ in range(count):
            if not self._run_steps(1):
                return
        self._publish()

    def _cmd_epoch(self):
        self._running = False
        epoch = self.trainer.epoch
        while self.trainer.epoch == epoch:
            if not self._commands.empty() or not self._run_steps(16):
                break
            self._maybe_publish()
        self._collect_evaluation(wait=True)
        self._publish()

    def _cmd_reset(self, seed=None):
        self._running = False
        self._pending = None  # its report belongs to the weights just thrown away
        self.trainer.reset(seed)
        self._evaluation = self._train_evaluation = None
        self._new_trajectory()
        self._publish()

    def _cmd_set_lr(self, lr):
        self.trainer.lr = lr
        self._publish()

    def _cmd_set_batch_size(self, batch_size):
        self.trainer.batch_size = batch_size
        self._publish()

    def _cmd_set_speed(self, steps_per_s):
        self._steps_per_s = steps_per_s

    def _cmd_evaluate(self):
        """Evaluate on the test set and part of the training set now."""
        self._collect_evaluation(wait=True)  # an epoch end's, older, must not come after
        self._evaluate()
        self._publish()

    def _cmd_set_epochs(self, epochs):
        self._config = self._config.replace(epochs=epochs)

    def _cmd_configure(self, config, network=None):
        self._running = False
        self._configure(config, network)

    # Training -----------------------------------------------------------
    def _split_for(self, config):
        key = config.dataset
        if key not in self._splits:
            self._splits = {key: datamod.load(key)}  # keep only one: data sets are large
        return prepare_data(config, self._splits[key])

    def _configure(self, config, network=None):
        """Build data, network and trainer for ``config``; keep the old ones on failure."""
        try:
            split = self._split_for(config)
            trainer = Trainer(build_network(config, split), split, config,
                              train_eval_limit=TRAIN_EVAL_LIMIT)
        except (ValueError, DigitDescentError) as exc:
            self._fail(str(exc))
            return
        except MemoryError:
            self._fail(f"Not enough memory for the {config.dataset} data with layers "
                       f"{'-'.join(map(str, config.layers))}: the previous setting is kept.")
            return
        if network is not None:
            trainer.network.params[...] = network.params
        self._config = config
        self.trainer = trainer
        self._pending = None
        self._epoch_seconds = 0.0
        self._evaluation = self._train_evaluation = None
        self._new_trajectory()
        if network is not None:
            self._evaluate()  # a loaded model: show what it knows at once
        self._publish()

    def _evaluate(self):
        """Fresh Evaluations of the current network on the test set and part of the training set."""
        trainer = self.trainer
        self._evaluation, self._train_evaluation, _, _ = evaluate_epoch(
            trainer.network, trainer.train, trainer.test, trainer.epoch, with_train_evaluation=True)

    def _new_trajectory(self):
        net = self.trainer.network
        self._initial = np.array(net.params, copy=True)
        self._initial.flags.writeable = False
        self.trajectory = Trajectory(net.n_params)
        self.trajectory.record(0, net.params, force=True)

    def _run_steps(self, count=1):
        """Up to ``count`` mini-batches, stopping at an epoch end (handled here) or a divergence.

        Returns False when training must stop. The count is cut at the trajectory's next
        log-spaced step so that step is recorded.
        """
        trainer = self.trainer
        epoch = trainer.epoch
        count = max(1, min(count, self.trajectory.next_step - trainer.steps))
        start = time.perf_counter()
        try:
            trainer.run_steps(count, self._wait_for_gui)
        except DivergedError as exc:
            self._fail(f"{exc}, then press Reset.")
            return False
        self._epoch_seconds += time.perf_counter() - start
        self.trajectory.record(trainer.steps, trainer.network.params)
        if trainer.epoch != epoch:
            target = trainer.epoch >= self._config.epochs
            # A tiny data set (Trask's 4 rows) ends an epoch at every step: evaluate and record
            # the ends of such short epochs only every MIN_EVALUATION_S, or training would do
            # little else.
            long_epoch = -(-len(trainer.train) // trainer.batch_size) >= LONG_EPOCH_STEPS
            if (target or long_epoch
                    or time.perf_counter() - self._evaluated_at >= MIN_EVALUATION_S):
                self._start_evaluation()
                self.trajectory.record(trainer.steps, trainer.network.params, force=True)
            if target and self._running:
                self._running = False
                self._collect_evaluation(wait=True)
                self._publish()
                self.targetReached.emit(trainer.epoch)
                return False
        return True

    def _start_evaluation(self):
        """Evaluate the epoch just ended on the evaluation thread (after the previous one)."""
        self._collect_evaluation(wait=True)  # one at a time, reported in order
        trainer = self.trainer
        end = trainer.epoch_end(self._epoch_seconds)
        self._epoch_seconds = 0.0
        self._evaluated_at = time.perf_counter()
        future = self._evaluator.submit(
            evaluate_epoch, trainer.network.copy(), trainer.train, trainer.test, end.epoch,
            self._train_evaluation is not None)
        future.add_done_callback(lambda _: self._wake.set())  # wakes an idle worker to report it
        self._pending = (future, end)

    def _collect_evaluation(self, wait=False):
        """Report a finished epoch-end evaluation (waiting for it if asked); True if one was."""
        if self._pending is None or not (wait or self._pending[0].done()):
            return False
        future, end = self._pending
        self._pending = None
        test_evaluation, train_evaluation, train, test = future.result()
        self._evaluation = test_evaluation
        if train_evaluation is not None or test_evaluation is None:
            self._train_evaluation = train_evaluation
        self.trainer.record(end.report(train, test))
        return True

    def _wait_for_gui(self):
        if self._gui_depth and not self._stopping:
            # A frame takes milliseconds; the timeout only matters if one never ends.
            if self._gui_turn.acquire(timeout=MAX_FRAME_WAIT_S):
                self._gui_turn.release()

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
            self._collect_evaluation()
            self._maybe_publish()

    def _maybe_publish(self):
        if time.perf_counter() - self._last_publish >= self.publish_interval:
            self._publish()

    def _publish(self, message=""):
        now = time.perf_counter()
        self._last_publish = now
        if self.trainer is None:
            return
        t0, s0, rate = self._rate
        seen = self.trainer.samples_seen
        if self._running and now - t0 >= 0.5:
            rate = (seen - s0) / (now - t0)
            self._rate = (now, seen, rate)
        elif not self._running:
            rate = 0.0
        self._serial += 1
        self.latest = Snapshot.capture(
            self.trainer, self._initial, samples_per_s=rate, running=self._running,
            message=message, serial=self._serial, commands_done=self._commands_done,
            test_set=self.trainer.test,
            train_set=self.trainer.train, trajectory=self.trajectory.frozen, config=self._config,
            evaluation=self._evaluation, train_evaluation=self._train_evaluation)
