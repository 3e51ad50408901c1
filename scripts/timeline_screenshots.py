"""Screenshots of the time machine: ``python scripts/timeline_screenshots.py``.

Trains the 3b1b network two epochs, then saves the window looking back mid-run, after
"Resume from here" and one more epoch (a forked run), and after "Restart with the same
initial weights" at another learning rate (a ghost curve). Runs offscreen.
"""

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--size", default="1920x1080", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--out", default="screenshots/timeline")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from digit_descent.engine import preset
    from digit_descent.gui.app import make_application
    from digit_descent.gui.main_window import MainWindow
    from digit_descent.gui.presenter import layout_docks

    make_application()
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def pause(ms):  # QTest.qWait would hold the GIL and starve the training thread
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait(condition, seconds=300):
        for _ in range(int(seconds * 50)):
            if condition():
                return
            pause(20)
        raise TimeoutError("the window did not get there in time")

    def trained_to(epoch):
        s = window.controller.snapshot
        return (not window.controller.running and s.reports and s.reports[-1].epoch >= epoch)

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat)
        window = MainWindow(config=preset("3b1b").replace(epochs=2), settings=settings)
        window.resize(width, height)
        window.show()
        wait(lambda: window.controller.snapshot is not None)
        layout_docks(window, ("cost", "weights", "confusion"), keep=("controls",))
        window.start_training()
        wait(lambda: trained_to(2))
        steps = window.controller.snapshot.trajectory[0]
        index = steps.index(1024)
        window.timeline.slider.setValue(index)
        wait(lambda: window.confusion_panel.snapshot.evaluation is not None)
        pause(500)
        tag = f"{width}x{height}"
        window.grab().save(str(out / f"rewind-{tag}.png"))

        window.timeline.resume_here()
        window.model.set_live(epochs=1)
        wait(lambda: window.controller.snapshot.step == 1024)
        window.start_training()
        wait(lambda: trained_to(1))
        pause(500)
        window.grab().save(str(out / f"forked-{tag}.png"))

        window.model.set_live(lr=0.1, epochs=2)
        first = window.controller.snapshot.initial_params
        window.restart_same_weights()
        wait(lambda: window.controller.snapshot.initial_params is not first)
        window.start_training()
        wait(lambda: trained_to(2))
        pause(500)
        window.grab().save(str(out / f"ghost-{tag}.png"))
        window.close()
    print(f"saved 3 screenshots to {out}/")


if __name__ == "__main__":
    main()
