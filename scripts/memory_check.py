"""Memory of the app over a long run: ``python scripts/memory_check.py --minutes 5``.

Opens the window offscreen (fresh settings) on a preset, trains flat out with the cost and
weights panels on screen, and prints the process's resident memory and the sizes of the
run's records every ``--every`` seconds.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--preset", default="3b1b")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--every", type=float, default=30)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from digit_descent.engine import preset
    from digit_descent.gui.app import make_application
    from digit_descent.gui.main_window import MainWindow
    from digit_descent.gui.presenter import layout_docks

    make_application()
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(config=preset(args.preset).replace(epochs=1_000_000),
                            settings=QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat))
        window.resize(1920, 1080)
        window.show()

        def pause(ms):  # QTest.qWait would hold the GIL and starve the training thread
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()

        while window.controller.snapshot is None:
            pause(50)
        layout_docks(window, ("cost", "weights"), keep=("controls",))
        window.start_training()
        start = time.perf_counter()
        while time.perf_counter() - start < 60 * args.minutes:
            pause(int(1000 * args.every))
            s = window.controller.snapshot
            print(f"{time.perf_counter() - start:6.0f} s  RSS {rss_mb():7.1f} MB  step {s.step:,}  "
                  f"reports {len(s.reports):,}  trajectory {len(s.trajectory[0])} points  "
                  f"history {len(s.history[0]):,} buckets", flush=True)
        window.close()


if __name__ == "__main__":
    main()
