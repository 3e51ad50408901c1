"""Work that must not freeze the window: one small pattern for every background job.

``start_job(fn, on_done, on_error)`` runs ``fn()`` on a daemon thread and calls
``on_done(result)`` or ``on_error(message)`` on the GUI thread (a signal emitted from the
job's thread is queued to the GUI thread). A user-facing error (DigitDescentError) keeps its
message; anything else becomes one line naming the exception, its traceback printed on the
terminal. A newer job of the same ``Jobs`` owner makes the older one's result be ignored.
"""

import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal

from engine import DigitDescentError


class Jobs(QObject):
    """Runs background jobs for one owner; only the newest job's outcome is delivered."""

    _finished = Signal(int, object, object, object)  # serial, callback, result, error

    def __init__(self, parent=None):
        super().__init__(parent)
        self._serial = 0
        self._running = 0
        self._finished.connect(self._deliver)

    @property
    def busy(self):
        return self._running > 0

    def start(self, fn, on_done, on_error):
        """Run ``fn()`` off the GUI thread; then ``on_done(result)`` or ``on_error(message)``."""
        self._serial += 1
        serial = self._serial
        self._running += 1

        def run():
            try:
                result = fn()
            except DigitDescentError as exc:
                self._finished.emit(serial, on_error, None, str(exc))
            except MemoryError:
                self._finished.emit(serial, on_error, None, "not enough memory for this")
            except Exception as exc:  # noqa: BLE001 - relayed to the window, never lost
                traceback.print_exc(file=sys.stderr)
                self._finished.emit(serial, on_error, None, f"{type(exc).__name__}: {exc}")
            else:
                self._finished.emit(serial, on_done, result, None)

        threading.Thread(target=run, daemon=True, name="background-job").start()

    def _deliver(self, serial, callback, result, error):
        self._running -= 1
        if serial != self._serial:
            return  # a newer job replaced this one
        callback(error if error is not None else result)
