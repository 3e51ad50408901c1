"""``main.py bench``'s 2-D lab figures: Playground's frame, live and headless.

Playground's frame is one pass over 250 training points and a 100×100 boundary of the output
and of every neuron. On a 2-4-2-1 tanh network, mini-batches of 10, the lab must keep 60
such frames a second with its window live (both panels drawing, a hover card open) and its
event loop at most 16 ms late at the 99th percentile.
"""

import time

import numpy as np

from digit_descent.engine.lab import Lab, LabConfig
from digit_descent.engine.threads import limit_blas_threads

WORKLOAD = LabConfig(dataset="circle", n_points=500, train_fraction=0.5, hidden=(4, 2),
                     activation="tanh", batch_size=10, resolution=100)
TICK_MS = 10


def headless_frames_per_s(seconds):
    """Frames a second of the workload on this thread, nothing drawn."""
    limit_blas_threads(1)
    lab = Lab(WORKLOAD)
    lab.frame()
    start, frames = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        lab.frame()
        frames += 1
    return frames / (time.perf_counter() - start)


def live_figures(app, seconds, frames_per_s=None):
    """``(frames per second, event-loop lateness p99 in ms, its worst)`` of the workload
    trained flat out with the lab's window live at 1920×1080."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    from .window import LabWindow

    window = LabWindow(WORKLOAD, frames_per_s=frames_per_s)
    window.resize(1920, 1080)
    window.show()
    _wait(app, lambda: window.network.view.weights is not None)
    window.network.view.hover(("link", (1, 0, 2)))  # the card's numbers follow every frame
    window.runner.set_running(True)
    _wait(app, lambda: window.runner.running)
    _wait(app, lambda: False, 0.3)
    lateness, clock, last = [], QElapsedTimer(), [0]

    def on_tick():
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now

    tick = QTimer()
    tick.setTimerType(Qt.PreciseTimer)
    tick.setInterval(TICK_MS)
    tick.timeout.connect(on_tick)
    frames0, start = window.runner.frames, time.perf_counter()
    clock.start()
    tick.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    tick.stop()
    rate = (window.runner.frames - frames0) / (time.perf_counter() - start)
    window.close()
    late = np.array(lateness[1:] or [0.0])
    return rate, float(np.percentile(late, 99)), float(late.max())


def _wait(app, done, timeout_s=10.0):
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + timeout_s
    while not done() and time.perf_counter() < end:
        app.processEvents(QEventLoop.AllEvents, 20)
        time.sleep(0.001)


def lab_measurements(seconds):
    """The bench's lab figures: ``lab_frames_per_s``, ``lab_late_p99_ms``,
    ``lab_late_max_ms`` and ``lab_headless_frames_per_s``."""
    from ..app import make_application

    app = make_application()
    live, p99, worst = live_figures(app, seconds)
    return {"lab_frames_per_s": live, "lab_late_p99_ms": p99, "lab_late_max_ms": worst,
            "lab_headless_frames_per_s": headless_frames_per_s(seconds)}
