"""Screenshots of every panel, as a lecturer would see them: ``python scripts/screenshots.py``.

Opens the window at the given size with a preset (fresh settings), trains a few epochs and
saves one PNG per panel brought to the front, plus the whole window. Runs offscreen.
"""

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--size", default="1920x1080", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--preset", default="3b1b")
    parser.add_argument("--dataset", help="another data set than the preset's")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=0,
                        help="train flat out this long instead of a number of epochs")
    parser.add_argument("--subset", type=int, default=0, help="train on the first N images only")
    parser.add_argument("--log", action="store_true", help="cost on a log scale")
    parser.add_argument("--zoom", type=float, default=1.0, help="the app's zoom (Ctrl +)")
    parser.add_argument("--out", default="screenshots")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from digit_descent.engine import preset
    from digit_descent.gui.app import make_application
    from digit_descent.gui.main_window import MainWindow

    make_application()
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat)
        config = preset(args.preset).replace(train_subset=args.subset or None,
                                             dataset=args.dataset)
        window = MainWindow(config=config, settings=settings)
        window.resize(width, height)
        window.show()

        def pause(ms):  # QTest.qWait would hold the GIL and starve the training thread
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()

        def wait(condition, seconds=120):
            for _ in range(int(seconds * 50)):
                if condition():
                    return
                pause(20)
            raise TimeoutError("the window did not get there in time")

        wait(lambda: window.controller.snapshot is not None)
        window.cost_panel.log_scale.setChecked(args.log)
        window.zoom(args.zoom)
        if args.seconds:
            window.start_training()
            pause(int(1000 * args.seconds))
            window.stop_training()
            wait(lambda: not window.controller.running)
        for _ in range(0 if args.seconds else args.epochs):
            epoch = window.controller.snapshot.epoch
            window.controller.run_epoch()
            wait(lambda: window.controller.snapshot.epoch > epoch
                 and window.controller.snapshot.evaluation is not None)
        if window.controller.snapshot.image_shape == (28, 28):
            window.pad_panel.random_test_digit()
        tag = f"{args.preset}{'-' + args.dataset if args.dataset else ''}-{width}x{height}"
        tag += f"-zoom{args.zoom:g}" if args.zoom != 1 else ""
        for key, dock in window.docks.items():
            dock.raise_()
            pause(400)
            window.grab().save(str(out / f"{tag}-{key}.png"))
        window.close()
    print(f"saved {len(window.docks)} screenshots to {out}/")


if __name__ == "__main__":
    main()
