"""The GUI thread and a training thread taking turns with the GIL.

Both threads need the GIL. Left alone, a thread that trains flat out in Python and NumPy
holds it for the interpreter's whole switch interval (5 ms) each time the GUI thread asks for
it, and the GUI thread asks at every entry into Python (a timer, a slot, a paint): a frame
then costs several hand-overs of 5 ms (a cost-panel frame took 22 ms instead of 4; the lab's
event loop ran 15 ms late at the 99th percentile). Two rules:

- while the GUI thread draws a frame (:meth:`Turns.frame`), training waits before its next
  mini-batch (:meth:`Turns.between_steps`), so the frame runs at full speed;
- otherwise, if asked to (``Turns(yield_s)``), training lets go of the GIL every ``yield_s``
  between mini-batches, so the GUI thread's next entry into Python waits about a mini-batch,
  not a switch interval. The 2-D lab, whose target is a smooth event loop, does (its p99
  lateness went from 12–16 ms to 9–11 ms); the main window, whose training throughput is
  measured with its panels live, does not (handing over every millisecond cost it 15–25% of
  its samples a second for no clear gain in lateness: `main.py bench`, same session).
"""

import threading
import time
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject

MAX_FRAME_WAIT_S = 0.25  # training waits at most this long for one GUI frame
LAB_YIELD_S = 0.001  # the lab's training lets the GUI thread in this often (a syscall: ~1 µs)


class Turns:
    """The turn-taking of one training thread with the GUI thread; ``yield_s``: let the GUI
    thread have the GIL this often between mini-batches (None: only for its frames)."""

    def __init__(self, yield_s=None):
        self.yield_s = yield_s
        self._lock = threading.Lock()  # held by the GUI thread while it draws a frame
        self._depth = 0  # frames being drawn (nested); written by the GUI thread only
        self._yielded = 0.0
        self.stopping = False  # set when the training thread must not wait any more

    @contextmanager
    def frame(self):
        """Training waits before its next mini-batch until the block ends (GUI thread)."""
        if self._depth:
            self._depth += 1
        else:
            self._lock.acquire()  # never held long by the training thread: a few bytecodes
            self._depth = 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth:
                self._lock.release()

    @property
    def depth(self):
        """GUI frames being drawn now (nested); training waits while there are any."""
        return self._depth

    def between_steps(self):
        """Called by the training thread between mini-batches: wait for the GUI's frame,
        or let the GUI thread have the GIL if it has not had a chance for ``yield_s``."""
        if self._depth and not self.stopping:
            # A frame takes milliseconds; the timeout only matters if one never ends.
            if self._lock.acquire(timeout=MAX_FRAME_WAIT_S):
                self._lock.release()
            self._yielded = time.perf_counter()
        elif self.yield_s is not None and time.perf_counter() - self._yielded > self.yield_s:
            time.sleep(0)  # releases the GIL: a thread waiting for it takes it
            self._yielded = time.perf_counter()

    def guard(self, window, parent=None):
        """Make ``window``'s repaints frames (one UpdateRequest paints every dirty widget
        in it); returns the event filter (kept alive by ``parent``)."""
        guard = _FrameGuard(self.frame, parent)
        window.installEventFilter(guard)
        return guard


class _FrameGuard(QObject):
    def __init__(self, frame, parent=None):
        super().__init__(parent)
        self._frame = frame

    def eventFilter(self, obj, event):
        if event.type() != QEvent.UpdateRequest:
            return False
        with self._frame():
            obj.event(event)
        return True
