"""Screenshots of the lessons, stage by stage: ``python scripts/lesson_screenshots.py``.

Opens the window (fresh settings) at the given size, in the presenter view or not, plays
each chosen lesson through all its stages (training each to its epoch target) and saves the
window after every stage, plus any view a stage opened. Runs offscreen.
"""

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    parser.add_argument("--size", default="1920x1080", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--presenter", action="store_true", help="in the presenter view (F5)")
    parser.add_argument("--cifar", help="the CIFAR-10 binary folder for the cifar10 lesson")
    parser.add_argument("--out", default="screenshots/lessons")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from digit_descent.engine.lessons import lessons
    from digit_descent.gui.app import make_application
    from digit_descent.gui.main_window import MainWindow

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

    chosen = [l for l in lessons() if (not args.lessons or l.name in args.lessons)
              and (args.cifar or not l.needs_data)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat)
        window = MainWindow(settings=settings)
        window.confirm = lambda question: True
        window.resize(width, height)
        window.show()
        wait(lambda: window.controller.snapshot is not None)
        if args.presenter:
            window.toggle_presenter()
            window.setFixedSize(width, height)  # offscreen "full screen" is the whole screen
        for lesson in chosen:
            if not window.open_lesson(lesson.name, args.cifar):
                print(f"{lesson.name}: not opened")
                continue
            for number, stage in enumerate(lesson.stages, start=1):
                if number > 1:
                    window.lesson_player.next_stage()
                # the new run's snapshots (after a restart), not the old one's
                wait(lambda: window.model.current(window.controller.snapshot))
                if stage.train_to:
                    wait(lambda: (s := window.controller.snapshot) is not None and
                         s.epoch >= stage.train_to and not window.controller.running
                         and s.reports and s.reports[-1].epoch >= stage.train_to)
                pause(2500 if stage.surface or stage.show else 600)
                tag = f"{lesson.name}-{number}-{width}x{height}{'-presenter' if args.presenter else ''}"
                window.grab().save(str(out / f"{tag}.png"))
                dialog = window.lesson_player.dialog
                if dialog is not None:
                    dialog.grab().save(str(out / f"{tag}-view.png"))
            print(f"{lesson.name}: {len(lesson.stages)} stages", flush=True)
        window.close()


if __name__ == "__main__":
    main()
