"""How large the confusion matrix's counts come out on screen, where a lecturer shows them.

    python bench/confusion_legibility.py [--out screenshots/confusion]

For a 1280×720 and a 1920×1080 screen (offscreen Qt, each in a process of its own: a
screen's size is fixed when Qt starts) it trains the 3b1b network one epoch on 3,000
images, then prints, in the window (maximized) and in the presenter view (F5), with the
confusion matrix alone or beside the cost and weights panels, with and without the views
column (a cell's gallery open beside the panels): which grid is drawn, the panel's plot
size, a cell's size and an off-diagonal count's font size, in screen pixels
(:meth:`ConfusionPanel.count_pixels`). ``--out``: a screenshot of each, too.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCREENS = ((1280, 720), (1920, 1080))
SETUPS = (("window", ("confusion",)), ("window", ("cost", "weights", "confusion")),
          ("presenter", ("confusion",)), ("presenter", ("cost", "weights", "confusion")))


def measure(out):
    """In this process's screen: one line of JSON per setup, with and without the column."""
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from digit_descent.engine import preset
    from digit_descent.gui import style
    from digit_descent.gui.app import make_application
    from digit_descent.gui.main_window import MainWindow
    from digit_descent.gui.presenter import layout_docks

    app = make_application()

    def pause(ms=300):  # QTest.qWait would hold the GIL and starve the training thread
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat)
        w = MainWindow(config=preset("3b1b").replace(train_subset=3000, epochs=1),
                       settings=settings)
        w.showMaximized()
        while w.controller.snapshot is None:
            pause()
        w.start_training()
        while w.controller.running or w.controller.snapshot.evaluation is None:
            pause()
        panel = w.confusion_panel
        for where, keys in SETUPS:
            if where == "presenter":
                w.presenter.enter(1)
                w.presenter.show_panels(keys)
            else:
                layout_docks(w, keys)
            for column in (False, True):
                if column:
                    panel.open_cell(3, 5)
                    w.aside.place()
                pause()
                count, cell_w, cell_h = panel.count_pixels()
                name = f"{where}-{len(keys)}-panels{'-column' if column else ''}"
                print(json.dumps({"screen": w.screen().size().toTuple(), "setup": name,
                                  "zoom": style.zoom(), "grid": "detailed" if panel.grid.thumbs
                                  else "compact", "plot": [panel.box.width(), panel.box.height()],
                                  "cell": [cell_w, cell_h], "count": count}), flush=True)
                if out:
                    w.grab().save(str(Path(out) / f"{w.width()}x{w.height()}-{name}.png"))
                w.aside.close()
            if where == "presenter":
                w.presenter.leave()
        w.close()
        app.processEvents()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="a folder for a screenshot of each setup")
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    if args.here:
        return measure(args.out)
    print(f"{'screen':>10} {'setup':32} {'zoom':>5} {'grid':9} {'plot':>9} {'cell':>7} "
          "count (px)")
    with tempfile.TemporaryDirectory() as tmp:
        for width, height in SCREENS:
            screen = Path(tmp) / f"{width}x{height}.json"
            screen.write_text(json.dumps({"screens": [{
                "name": "s", "x": 0, "y": 0, "width": width, "height": height,
                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
            env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
            command = [sys.executable, __file__, "--here"] + (["--out", args.out] if args.out
                                                               else [])
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{width}x{height}: {done.stderr.strip().splitlines()[-1:]}")
            for line in done.stdout.splitlines():
                r = json.loads(line)
                print(f"{width:>5}x{height:<4} {r['setup']:32} {r['zoom']:5.2f} {r['grid']:9} "
                      f"{r['plot'][0]:4.0f}×{r['plot'][1]:<4.0f} {r['cell'][0]:3.0f}×"
                      f"{r['cell'][1]:<3.0f} {r['count']:5.1f}")


if __name__ == "__main__":
    main()
