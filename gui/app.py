"""Start the desktop app."""

import os
import signal
import sys
import traceback

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pyqtgraph.util.garbage_collector import GarbageCollector

from digit_descent.engine import preset

from . import style
from .platform_check import check_display
from .settings import ORGANIZATION

GIL_SWITCH_INTERVAL_S = 0.0002
QUIT_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def make_application(argv=None):
    """The QApplication (created once), with the app's names and pyqtgraph settings."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    # The training thread holds the GIL between NumPy calls; the GUI thread waits up to one
    # switch interval for it every time a Qt call has released it. 0.2 ms (default 5 ms)
    # keeps the GUI responsive; measured with main.py bench.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName("Digit Descent")
    style.configure_pyqtgraph()
    if not hasattr(app, "garbage_collector"):
        # Python's cyclic garbage collector runs in whichever thread allocates, so it could
        # destroy a Qt object in the training thread: ~QObject takes a Qt lock, then waits
        # for the GIL, which the GUI thread holds while it waits for that lock (a window
        # froze so, building a panel while the worker loaded MNIST). pyqtgraph's collector
        # turns automatic collection off and collects on a timer in the GUI thread.
        app.garbage_collector = GarbageCollector(interval=1.0)
    return app


def run_app(preset_name=None, start=False, lesson_name=None, lesson_data=None):
    """Open the main window (optionally training at once, or on a lesson); returns the exit
    code. Signals and errors as :func:`run_window`; an exception that escapes a slot becomes
    a message in the window, not a silent failure.
    """
    def build():
        from .main_window import MainWindow

        window = MainWindow(config=preset(preset_name) if preset_name else None)
        sys.excepthook = _show_in(window)
        return window

    def started(window):
        if start:
            QTimer.singleShot(0, window.start_training)
        if lesson_name:
            QTimer.singleShot(0, lambda: window.open_lesson(lesson_name, lesson_data))

    code, window = run_window(build, started)
    if window.controller.worker.isRunning():
        # The training thread is still inside one long NumPy call (a large network's
        # evaluation): the settings are saved; end now rather than wait or abort in Qt.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def run_window(build, started=None):
    """Show the window ``build()`` makes (then ``started(window)``) until it closes; returns
    ``(exit code, window)``.

    Ctrl+C (exit code 130), SIGTERM and SIGHUP (0; where the system has them) close the
    window as its Quit does, with the settings saved, at any moment from the first instant
    on; a second one ends the process at once. Raises DisplayError (before Qt is asked) if
    no window can be opened here.
    """
    check_display()  # before Qt, which would abort with a hint to reinstall
    state = {"window": None, "code": 0, "asked": False}

    def on_signal(signum, _frame):
        if state["asked"]:  # a second Ctrl+C: the settings were saved by the first
            os._exit(state["code"])
        state["code"] = 130 if signum == signal.SIGINT else 0
        state["asked"] = True
        if state["window"] is not None:  # closed from the event loop, once it runs
            QTimer.singleShot(0, close_and_quit)

    def close_and_quit():
        state["window"].close()
        QApplication.instance().quit()

    handle_quit_signals(on_signal)
    app = make_application()
    window = state["window"] = build()
    if state["asked"]:  # a signal came while the window was being built
        window.close()  # saves the settings and stops its training thread
        return state["code"], window
    window.show()
    if started is not None:
        started(window)
    wake = QTimer()  # lets Python see a signal while Qt waits for events
    wake.start(200)
    wake.timeout.connect(lambda: None)
    return app.exec() or state["code"], window


def handle_quit_signals(handler):
    """Install ``handler`` for each of SIGINT, SIGTERM and SIGHUP that this system has
    (Windows has no SIGHUP); returns the signals handled."""
    handled = [getattr(signal, name) for name in QUIT_SIGNALS if hasattr(signal, name)]
    for signum in handled:
        signal.signal(signum, handler)
    return handled


def _show_in(window):
    """An excepthook that shows a bug as one line in ``window`` and the traceback on stderr."""
    def hook(kind, value, tb):
        traceback.print_exception(kind, value, tb)
        if issubclass(kind, KeyboardInterrupt):
            return
        try:
            window.show_banner(f"Something went wrong ({kind.__name__}: {value}). The app carries "
                               "on; details are printed on the terminal.")
        except RuntimeError:  # the window is already gone
            pass
    return hook
