"""Screenshots of the lessons, stage by stage: ``python scripts/lesson_screenshots.py``.

Opens the window (fresh settings) on an offscreen screen of each given size, plays each
chosen lesson through all its stages (training each to its epoch target) and saves the
window after every stage, plus any view a stage opened. With ``--presenter`` each stage is
also shown in the presenter view (F5) and left again (Esc): three pictures a stage, and a
line saying whether Esc put the window back as it was and whether it stayed on the screen.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    parser.add_argument("--size", nargs="+", default=["1920x1080"],
                        help="screen sizes, WIDTHxHEIGHT (the window fills each)")
    parser.add_argument("--presenter", action="store_true",
                        help="also into the presenter view (F5) and out (Esc) at every stage")
    parser.add_argument("--cifar", help="the CIFAR-10 binary folder for the cifar10 lesson")
    parser.add_argument("--out", default="screenshots/lessons")
    args = parser.parse_args(argv)
    if len(args.size) > 1:  # the screen is chosen once per process: one process a size
        rest = [a for a in (argv if argv is not None else sys.argv[1:])]
        at = rest.index("--size")
        rest[at:at + 1 + len(args.size)] = []
        for size in args.size:
            subprocess.run([sys.executable, __file__, *rest, "--size", size], check=True)
        return
    width, height = (int(v) for v in args.size[0].lower().split("x"))
    screen = Path(tempfile.mkdtemp()) / "screen.json"
    screen.write_text(json.dumps({"screens": [{
        "name": "s1", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from digit_descent.engine.lessons import lessons
    from digit_descent.gui.app import make_application
    from digit_descent.gui.main_window import MainWindow

    make_application()
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

    chosen = [l for l in lessons() if (not args.lessons or l.name in args.lessons)
              and (args.cifar or not l.needs_data)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat)
        window = MainWindow(settings=settings)
        window.confirm = lambda question: True
        window.resize(width, height)
        window.show()
        wait(lambda: window.controller.snapshot is not None)
        stopped = []  # the failures of the stage's run
        window.controller.failed.connect(stopped.append)

        def layout():
            return (window.size().toTuple(), {
                key: dock.geometry().getRect() for key, dock in window.docks.items()
                if dock.isVisible() and dock.geometry().bottom() > 0})
        for lesson in chosen:
            if not window.open_lesson(lesson.name, args.cifar):
                print(f"{lesson.name}: not opened")
                continue
            for number, stage in enumerate(lesson.stages, start=1):
                stopped.clear()
                if number > 1:
                    window.lesson_player.next_stage()
                # the new run's snapshots (after a restart), not the old one's
                wait(lambda: window.model.current(window.controller.snapshot))
                if stage.train_to:  # or until the run stops by itself (diverged, stalled)
                    wait(lambda: (s := window.controller.snapshot) is not None and
                         not window.controller.running and (stopped or (
                             s.epoch >= stage.train_to and s.reports
                             and s.reports[-1].epoch >= stage.train_to)))
                pause(2500 if stage.surface or stage.show else 600)
                tag = f"{lesson.name}-{number}-{width}x{height}"
                window.grab().save(str(out / f"{tag}.png"))
                view = window.lesson_player.view
                if view is not None:
                    view.grab().save(str(out / f"{tag}-view.png"))
                if args.presenter:
                    before = layout()
                    window.toggle_presenter()
                    pause(600)
                    shown = sorted(layout()[1])
                    window.grab().save(str(out / f"{tag}-presenter.png"))
                    window.leave_field()
                    pause(600)
                    window.grab().save(str(out / f"{tag}-after-esc.png"))
                    after = layout()
                    fits = after[0][0] <= width and after[0][1] <= height
                    panels = ", ".join(shown) or "the view alone"
                    print(f"  stage {number}: presenter shows {panels}; Esc "
                          f"{'restores' if after == before else 'CHANGES'} the layout; "
                          f"window {after[0][0]}x{after[0][1]}"
                          f"{'' if fits else ' LARGER THAN THE SCREEN'}", flush=True)
            print(f"{lesson.name}: {len(lesson.stages)} stages", flush=True)
        window.close()


if __name__ == "__main__":
    main()
