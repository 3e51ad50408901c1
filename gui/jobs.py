"""Work that must not freeze the window: one small pattern for every background job.

``Jobs.start(fn, on_done, on_error)`` runs ``fn(job)`` on a daemon thread and calls
``on_done(result)`` or ``on_error(message)`` on the GUI thread (a signal emitted from the
job's thread is queued to the GUI thread). ``job`` is a :class:`Job`: the function reports
its progress there and asks it whether it was cancelled. A user-facing error
(DigitDescentError) keeps its message; anything else becomes one line naming the exception,
its traceback printed on the terminal. A newer job of the same ``Jobs`` owner, or
:meth:`Jobs.cancel`, makes the older one's outcome be ignored.
"""

import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal

from digit_descent.engine import DigitDescentError


class Job:
    """What a running job shares with its owner: progress, and a request to stop."""

    def __init__(self):
        self.progress = 0  # written by the job (any count it likes), read by the GUI
        self._cancelled = threading.Event()

    def cancel(self):
        self._cancelled.set()

    @property
    def cancelled(self):
        return self._cancelled.is_set()


class Jobs(QObject):
    """Runs background jobs for one owner; only the newest job's outcome is delivered.

    The job's thread never holds the last reference to the function or the callbacks (which
    may hold widgets): they are kept here and let go on the GUI thread, because a Qt object
    destroyed on another thread can deadlock with the GUI thread (``~QObject`` waits for a Qt
    lock the GUI thread holds while it waits for the GIL).
    """

    _finished = Signal(int, object, object)  # serial, result, error

    def __init__(self, parent=None):
        super().__init__(parent)
        self._serial = 0
        self._calls = {}  # serial → (fn, on_done, on_error), until delivered
        self.current = None  # the newest Job, while it runs
        self._finished.connect(self._deliver)

    @property
    def busy(self):
        return bool(self._calls)

    def start(self, fn, on_done, on_error):
        """Run ``fn(job)`` off the GUI thread; then ``on_done(result)`` or ``on_error(message)``.

        Returns the :class:`Job`.
        """
        self.cancel()
        self._serial += 1
        self._calls[self._serial] = (fn, on_done, on_error)
        job = self.current = Job()
        threading.Thread(target=_run, args=(self._finished, self._serial, job, [fn]),
                         daemon=True, name="background-job").start()
        return job

    def cancel(self):
        """Ask the newest job to stop; its outcome will not be delivered."""
        if self.current is not None:
            self.current.cancel()
            self.current = None
            self._serial += 1

    def _deliver(self, serial, result, error):
        _, on_done, on_error = self._calls.pop(serial)
        if serial != self._serial:
            return  # cancelled, or a newer job replaced this one
        self.current = None
        if error is not None:
            on_error(error)
        else:
            on_done(result)


def _run(finished, serial, job, box):
    """The job's thread: ``box`` holds the function, dropped before the outcome is sent."""
    fn = box.pop()
    result = error = None
    try:
        result = fn(job)
    except DigitDescentError as exc:
        error = str(exc)
    except MemoryError:
        error = "not enough memory for this"
    except Exception as exc:  # noqa: BLE001 - relayed to the window, never lost
        traceback.print_exc(file=sys.stderr)
        error = f"{type(exc).__name__}: {exc}"
    del fn
    try:
        finished.emit(serial, result, error)
    except RuntimeError:  # the window closed while the job ran: nobody to tell
        pass
