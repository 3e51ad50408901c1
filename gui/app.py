"""Start the desktop app."""

import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from engine import preset

from . import style

GIL_SWITCH_INTERVAL_S = 0.0002


def make_application(argv=None):
    """The QApplication (created once), with the app's names and pyqtgraph settings."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    # The training thread holds the GIL between NumPy calls; the GUI thread waits up to one
    # switch interval for it every time a Qt call has released it. 0.2 ms (default 5 ms)
    # keeps the GUI responsive; measured with main.py bench.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app.setOrganizationName("DigitDescent")
    app.setApplicationName("Digit Descent")
    style.configure_pyqtgraph()
    return app


def run_app(preset_name=None, start=False):
    """Open the main window (optionally training at once); returns the exit code."""
    from .main_window import MainWindow

    app = make_application()
    window = MainWindow(config=preset(preset_name) if preset_name else None)
    window.show()
    if start:
        QTimer.singleShot(0, window.start_training)
    # Ctrl+C in the terminal closes the window cleanly; the timer lets Python see the signal.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    return app.exec()
