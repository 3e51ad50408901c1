"""The lab's training thread: runs :class:`~engine.lab.Lab` frames, publishes snapshots.

The pattern of :mod:`gui.worker`, for a run small enough to need none of its session
machinery: the GUI sends commands (functions of the :class:`Lab`) through a queue read
between frames and polls :attr:`LabRunner.latest`, the newest immutable
:class:`~engine.lab.LabSnapshot`, on a timer; nothing ever queues up. While the GUI thread
paints, the thread waits before its next mini-batch, and otherwise lets go of the GIL often
(:mod:`gui.turns`), so the two do not fight for it.
"""

import queue
import sys
import threading
import time
import traceback

from PySide6.QtCore import QObject, QTimer, Signal

from digit_descent.engine import DigitDescentError
from digit_descent.engine.lab import Lab
from digit_descent.engine.threads import limit_blas_threads

from ..turns import LAB_YIELD_S, Turns


class LabRunner(QObject):
    """Owns the lab's thread.

    Signals: ``snapshotChanged(LabSnapshot)`` at most once a poll (every ``poll_ms``;
    training runs at its own speed); ``failed(str)`` a command
    refused or training diverged (training pauses); ``runningChanged(bool)``.
    ``frames_per_s``: the speed limit (Playground's one frame an animation frame: 60), or
    None for flat out.
    """

    snapshotChanged = Signal(object)
    failed = Signal(str)
    runningChanged = Signal(bool)

    def __init__(self, config, frames_per_s=60.0, poll_ms=33, parent=None):
        super().__init__(parent)
        self.latest = None  # the newest publication of the training thread
        self.snapshot = None  # the newest LabSnapshot the GUI took
        self._published = None
        self.frames = 0  # frames trained (read by the bench)
        self.frames_per_s = frames_per_s
        self._running = False
        self._quit = False
        self._commands = queue.SimpleQueue()
        self._wake = threading.Event()
        self.turns = Turns(LAB_YIELD_S)
        self._error = None
        self._lab = None
        self._lab_running = False  # written by the GUI thread, read by the training thread
        self._thread = threading.Thread(target=self._run, args=(config,), daemon=True,
                                        name="lab-training")
        self._thread.start()
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    # ----------------------------------------------------------- GUI thread
    @property
    def running(self):
        return self._running

    def send(self, command, *args):
        """Queue ``command(lab, *args)`` for the training thread; a snapshot follows it.
        A ValueError or DigitDescentError it raises becomes :attr:`failed`."""
        self._commands.put((command, args))
        self._wake.set()

    def set_running(self, running):
        """Train frame after frame, or pause (after the frame being trained)."""
        self._lab_running = bool(running)
        self.send(lambda lab: None)  # a snapshot follows, saying whether it runs

    def draws(self, widget):
        """Let ``widget`` paint with training waiting (see the module's docstring)."""
        self.turns.guard(widget, self)

    def poll(self):
        """Emit the newest snapshot if it is new (and a failure, if one came)."""
        error, self._error = self._error, None
        if error:
            self.failed.emit(error)
        latest = self.latest
        if latest is None or latest is self._published:
            return
        with self.turns.frame():
            self._published, self.snapshot = latest, latest.snapshot
            if latest.running != self._running:
                self._running = latest.running
                self.runningChanged.emit(self._running)
            self.snapshotChanged.emit(latest.snapshot)

    def shutdown(self, timeout_s=2.0):
        """Stop the thread and wait for it; True if it ended in time."""
        self._timer.stop()
        self._quit = True
        self.turns.stopping = True
        self._wake.set()
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    # -------------------------------------------------------- training thread
    def _run(self, config):
        limit_blas_threads(1)
        try:
            self._lab = Lab(config)
        except (ValueError, DigitDescentError) as exc:
            self._error = str(exc)
            self._lab = Lab()
        self._publish(self._lab.snapshot())
        next_frame = time.perf_counter()
        while not self._quit:
            changed = self._handle_commands()
            if self._lab_running:
                try:
                    snapshot = self._lab.frame(before_step=self.turns.between_steps)
                except DigitDescentError as exc:  # diverged: stop until the user resets
                    self._lab_running = False
                    self._error = f"{exc}, then press Reset."
                    self._publish(self._lab.snapshot())
                    continue
                self.frames += 1
                self._publish(snapshot)
                if self.frames_per_s:
                    next_frame = max(next_frame + 1 / self.frames_per_s, time.perf_counter()
                                     - 0.1)
                    self._wake.wait(max(0.0, next_frame - time.perf_counter()))
                    self._wake.clear()
            elif changed:
                self._publish(self._lab.snapshot())
            else:
                self._wake.wait(0.25)
                self._wake.clear()
                next_frame = time.perf_counter()

    def _handle_commands(self):
        done = False
        while True:
            try:
                command, args = self._commands.get_nowait()
            except queue.Empty:
                return done
            done = True
            try:
                command(self._lab, *args)
            except (ValueError, DigitDescentError) as exc:
                self._error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a bug: reported, never lost in a thread
                traceback.print_exc(file=sys.stderr)
                self._error = (f"Unexpected error in the lab ({type(exc).__name__}: {exc}); "
                               "details are printed on the terminal.")

    def _publish(self, snapshot):
        self.latest = _Published(snapshot, self._lab_running)


class _Published:
    __slots__ = ("snapshot", "running")

    def __init__(self, snapshot, running):
        self.snapshot, self.running = snapshot, running

