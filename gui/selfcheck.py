"""``python main.py bench``: is this machine ready for the lecture?

Measures, in one run: headless training throughput; throughput with the whole
window training and drawing; how late the GUI event loop runs meanwhile; and
the time from launch to the first window. Works offscreen.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from digit_descent.engine import make_trainer, preset
from digit_descent.engine.threads import limit_blas_threads

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"event_loop_late_p99_ms": 25.0, "event_loop_late_max_ms": 150.0,
           "gui_throughput_ratio": 0.8, "first_window_s": 2.0, "pad_predict_ms": 30.0,
           "surface_41x41_s": 0.5, "lab_frames_per_s": 60.0, "lab_late_p99_ms": 16.0}
TICK_MS = 10

_FIRST_WINDOW = """
import sys, time
from PySide6.QtCore import QSettings, QTimer
from digit_descent.gui.app import make_application
from digit_descent.gui.main_window import MainWindow
app = make_application()
w = MainWindow(settings=QSettings({settings!r}, QSettings.IniFormat))
w.show()
def shown():
    print(time.time(), flush=True)
    import os; os._exit(0)
QTimer.singleShot(0, shown)
app.exec()
"""


def surface_seconds(repeats=3):
    """Seconds for the network-mode loss surface: 41×41 grid, 1,000 samples, 784-16-16-10."""
    from digit_descent.engine import Network, load
    from digit_descent.engine.landscape import filter_normalized_direction, loss_surface

    data = load("mnist").train.subset(1000)
    net = Network((784, 16, 16, 10), seed=0)
    rng = np.random.default_rng(0)
    d1, d2 = filter_normalized_direction(net, rng), filter_normalized_direction(net, rng)
    axis = np.linspace(-1, 1, 41)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        loss_surface(net, data.x, data.targets, d1, d2, axis, axis)
        best = min(best, time.perf_counter() - start)
    return best


def first_window_seconds():
    """Seconds from launching a fresh Python process to the window being shown."""
    with tempfile.TemporaryDirectory() as tmp:
        code = _FIRST_WINDOW.format(settings=str(Path(tmp) / "s.ini"))
        start = time.time()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60, env={**os.environ})
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr else "no window")
    return float(out.stdout.split()[-1]) - start


def bench_views():
    """The keys of the panels measured one by one (and then side by side): those whose
    contract says ``bench_view``."""
    from .panels import PANELS

    return tuple(cls.key for cls in PANELS if cls.bench_view)

ROUND_S = 0.5  # one live and one headless measurement, alternated: the machine's speed drifts


def gui_measurements(seconds, panels=None, presenter=True):
    """Throughput and event-loop lateness with the window training, one panel in view at a time.

    For each of ``panels`` (then all of them side by side, key ``side_by_side``, at 1920×1080,
    and, if ``presenter``, the presenter view's four panels at its zoom, key ``presenter``),
    ``seconds`` of training with the window live are compared with as many seconds of
    headless training in the same process, alternated in rounds of ROUND_S: on a shared
    machine the speed of a core drifts by ±15% from one second to the next, so only
    interleaved figures compare like with like. Reports each view's figures under
    ``<view>_…`` keys, and the worst of them.
    """
    from PySide6.QtCore import QSettings

    from .app import make_application
    from .main_window import MainWindow

    panels = bench_views() if panels is None else panels
    app = make_application()
    headless = _HeadlessTrainer()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        # epochs: never reach the target (training would pause) during the measurement
        window = MainWindow(config=preset("3b1b").replace(epochs=100_000),
                            settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat))
        window.resize(1920, 1080)
        window.show()
        _pump(app, lambda: window.controller.snapshot is not None, 30)
        views = [(key, [key]) for key in panels]
        if len(panels) > 1:
            views.append(("side_by_side", list(panels)))
        for name, keys in views:
            if len(keys) > 1:
                _side_by_side(window, keys)
            window.docks[keys[0]].raise_()
            figures = _interleaved(app, window, headless, seconds)
            results.update({f"{name}_{k}": v for k, v in figures.items()})
        if presenter:
            window.presenter.enter(4)  # four panels at the presenter's zoom
            window.showNormal()  # the offscreen screen is small: keep 1920×1080
            window.resize(1920, 1080)
            figures = _interleaved(app, window, headless, seconds)
            results.update({f"presenter_{k}": v for k, v in figures.items()})
            views.append(("presenter", []))
            window.presenter.leave()
        window.close()
    results["pad_predict_ms"] = _pad_latency(app)
    names = [name for name, _ in views]
    worst = min(names, key=lambda n: results[f"{n}_throughput_ratio"])
    results["worst_view"] = worst
    results["gui_samples_per_s"] = results[f"{worst}_samples_per_s"]
    results["headless_samples_per_s"] = results[f"{worst}_headless_samples_per_s"]
    results["gui_throughput_ratio"] = results[f"{worst}_throughput_ratio"]
    results["event_loop_late_p99_ms"] = max(results[f"{n}_late_p99_ms"] for n in names)
    results["event_loop_late_max_ms"] = max(results[f"{n}_late_max_ms"] for n in names)
    return results


def _side_by_side(window, keys):
    """Dock the panels ``keys`` next to each other, every other panel closed."""
    from PySide6.QtCore import Qt

    docks = window.docks
    for key in docks:
        if key != "controls":
            window.removeDockWidget(docks[key])
    window.addDockWidget(Qt.RightDockWidgetArea, docks[keys[0]])
    docks[keys[0]].show()
    for left, right in zip(keys, keys[1:]):
        window.splitDockWidget(docks[left], docks[right], Qt.Horizontal)
        docks[right].show()


class _HeadlessTrainer:
    """The 3b1b preset trained flat out on the calling thread, no GUI: the reference."""

    def __init__(self):
        limit_blas_threads(1)
        self.trainer = make_trainer(preset("3b1b"))
        self.trainer.run_steps(200)

    def run(self, seconds):
        """(samples, seconds) trained in about ``seconds``."""
        trainer = self.trainer
        start, seen = time.perf_counter(), trainer.samples_seen
        while time.perf_counter() - start < seconds:
            for _ in range(50):
                trainer.step()
        return trainer.samples_seen - seen, time.perf_counter() - start


def _interleaved(app, window, headless, seconds):
    controller = window.controller
    rounds = max(2, round(seconds / ROUND_S))
    live = [0, 0.0]
    reference = [0, 0.0]
    lateness = []
    for _ in range(rounds):
        window.start_training()
        _pump(app, lambda: controller.running, 5)
        _pump(app, lambda: False, 0.25)  # let the redraws settle in
        samples, elapsed, late = _measure_live(window, ROUND_S)
        live[0] += samples
        live[1] += elapsed
        lateness.extend(late)
        window.stop_training()
        _pump(app, lambda: not controller.running, 5)
        samples, elapsed = headless.run(ROUND_S)
        reference[0] += samples
        reference[1] += elapsed
    late = np.array(lateness or [0.0])
    gui_rate, headless_rate = live[0] / live[1], reference[0] / reference[1]
    return {"samples_per_s": gui_rate, "headless_samples_per_s": headless_rate,
            "throughput_ratio": gui_rate / headless_rate,
            "late_p99_ms": float(np.percentile(late, 99)), "late_max_ms": float(late.max())}


def _pad_latency(app, repeats=20):
    """Median ms from a finished stroke to the pad's answer (preprocess, forward, redraw)."""
    from .panels.pad import COALESCE_MS, PadPanel

    pad = PadPanel()
    pad.resize(900, 600)
    pad.show()
    pad.random_test_digit()
    pad.canvas.exact = None  # read it the way a stroke is read: cropped, scaled, centred
    app.processEvents()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        pad.predict()
        pad.repaint()
        times.append((time.perf_counter() - start) * 1e3)
    pad.close()
    return float(np.median(times)) + COALESCE_MS  # plus the pen movements' coalescing delay


def _measure_live(window, seconds):
    """(samples trained, seconds, lateness in ms of each 10 ms tick) over a real event loop."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    lateness, clock, last = [], QElapsedTimer(), [0]
    tick = QTimer()
    tick.setTimerType(Qt.PreciseTimer)
    tick.setInterval(TICK_MS)

    def on_tick():
        now = clock.nsecsElapsed()
        lateness.append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now

    tick.timeout.connect(on_tick)
    trainer = window.controller.worker.trainer  # read-only: a counter, for the measurement
    seen0 = trainer.samples_seen
    start = time.perf_counter()
    clock.start()
    tick.start()
    loop = QEventLoop()  # not app.quit(): in Qt 6 that closes the window, stopping training
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()  # a real event loop: blocked in Qt, not polling, between events
    tick.stop()
    return trainer.samples_seen - seen0, time.perf_counter() - start, lateness[1:]


def _pump(app, done, timeout_s):
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + timeout_s
    while not done() and time.perf_counter() < end:
        app.processEvents(QEventLoop.AllEvents, 20)
        time.sleep(0.001)


def run_bench(args):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = {"first_window_s": first_window_seconds(), "surface_41x41_s": surface_seconds()}
    results.update(gui_measurements(args.seconds))
    from .lab.bench import lab_measurements  # Playground's frame: 250 points, 100×100 boundaries
    results.update(lab_measurements(args.seconds))
    if args.json:
        print(json.dumps(results))
        return 0
    checks = [
        ("time to first window", f"{results['first_window_s']:.2f} s",
         results["first_window_s"] <= TARGETS["first_window_s"], "≤ 2 s"),
        ("training, headless", f"{results['headless_samples_per_s']:,.0f} samples/s", True, ""),
        ("training, window live", f"{results['gui_throughput_ratio']:.0%} of headless "
         f"(worst: {results['worst_view'].replace('_', ' ')})",
         results["gui_throughput_ratio"] >= TARGETS["gui_throughput_ratio"], "≥ 80%"),
        ("event loop late, p99", f"{results['event_loop_late_p99_ms']:.1f} ms",
         results["event_loop_late_p99_ms"] <= TARGETS["event_loop_late_p99_ms"], "≤ 25 ms"),
        ("event loop late, worst", f"{results['event_loop_late_max_ms']:.1f} ms",
         results["event_loop_late_max_ms"] <= TARGETS["event_loop_late_max_ms"], "≤ 150 ms"),
        ("loss surface 41×41", f"{results['surface_41x41_s']:.2f} s",
         results["surface_41x41_s"] <= TARGETS["surface_41x41_s"], "≤ 0.5 s"),
        ("pad: stroke to answer", f"{results['pad_predict_ms']:.1f} ms",
         results["pad_predict_ms"] <= TARGETS["pad_predict_ms"], "≤ 30 ms"),
        ("2-D lab, window live", f"{results['lab_frames_per_s']:.0f} frames/s (headless "
         f"{results['lab_headless_frames_per_s']:.0f})",
         results["lab_frames_per_s"] >= TARGETS["lab_frames_per_s"], "≥ 60 frames/s"),
        ("2-D lab: loop late, p99", f"{results['lab_late_p99_ms']:.1f} ms",
         results["lab_late_p99_ms"] <= TARGETS["lab_late_p99_ms"], "≤ 16 ms"),
    ]
    for name, value, ok, target in checks:
        mark = "ok  " if ok else "SLOW"
        print(f"{mark} {name:24s} {value:32s} {target}")
    return 0
