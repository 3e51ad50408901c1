"""The presenter view with lessons on stage, driven in the real window at two screen sizes.

For every lesson and stage: F5 shows exactly the stage's panels; at every zoom step the
window stays inside the screen; Esc puts back the layout, the size and the zoom exactly.
The offscreen platform takes its screen from a JSON file and is chosen once per process, so
each size runs the check in a pytest subprocess of its own.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QToolBar

from digit_descent.engine.lessons import lessons

SCREEN = "DIGIT_DESCENT_TEST_SCREEN"  # WIDTHxHEIGHT of the subprocess's offscreen screen


def layout(window):
    """What Esc must put back: the window's size, the zoom and each dock on screen."""
    from digit_descent.gui import style

    docks = {key: (dock.geometry().getRect(), dock.isFloating())
             for key, dock in {**window.docks, "aside": window.aside.dock}.items()
             if dock.isVisible()
             and dock.geometry().bottom() > 0}  # a tab behind another sits above the screen
    bars = {bar.objectName(): bar.geometry().getRect()
            for bar in window.findChildren(QToolBar) if bar.isVisible()}
    return window.size(), style.zoom(), docks, bars


def settled(qtbot, window, polls=5):
    """The layout once it has stopped changing (the same at ``polls`` polls in a row)."""
    seen = []

    def still():
        seen.append(layout(window))
        return len(seen) >= polls and all(x == seen[-1] for x in seen[-polls:])
    qtbot.waitUntil(still, timeout=5000)
    return seen[-1]


def shown(window):
    return {key for key, dock in window.docks.items()
            if dock.isVisible() and dock.geometry().bottom() > 0}


def inside_screen(window):
    screen = window.screen().geometry()
    return window.width() <= screen.width() and window.height() <= screen.height()


@pytest.mark.skipif(SCREEN not in os.environ, reason="run by test_every_stage_at_*")
@pytest.mark.parametrize("name", [l.name for l in lessons() if not l.needs_data])
def test_every_stage_in_and_out_of_the_presenter_view(make_window, qtbot, name):
    from digit_descent.gui import style

    w = make_window()
    width, height = (int(v) for v in os.environ[SCREEN].split("x"))
    assert w.screen().geometry().size().toTuple() == (width, height)
    assert inside_screen(w)
    assert w.open_lesson(name)
    lesson = w.lesson_player.lesson
    for index, stage in enumerate(lesson.stages):
        if index:
            w.lesson_player.next_stage()
        w.stop_training()
        qtbot.waitUntil(lambda: not w.controller.running)
        before = settled(qtbot, w)
        assert inside_screen(w), (name, index + 1, w.size())
        w.toggle_presenter()
        qtbot.waitUntil(lambda: shown(w) == set(stage.panels))
        for _ in range(3):
            w.zoom(style.ZOOM_STEP)
            assert inside_screen(w), (name, index + 1, style.zoom(), w.size())
        w.zoom(None)
        w.leave_field()
        qtbot.waitUntil(lambda: not w.isFullScreen())
        assert settled(qtbot, w) == before, (name, index + 1)
        for _ in range(4):
            w.zoom(style.ZOOM_STEP)
            assert inside_screen(w), (name, index + 1, style.zoom(), w.size())
        w.zoom(None)


@pytest.mark.skipif(SCREEN not in os.environ, reason="run by test_every_stage_at_*")
def test_a_panels_view_beside_the_panels_in_and_out_of_the_presenter_view(make_window, qtbot):
    """A confusion cell's gallery: a column beside the panels, in and out of F5."""
    from digit_descent.engine import preset
    from digit_descent.gui import style
    from digit_descent.engine.lessons import Lesson, Stage

    lesson = Lesson("small", "A small lesson", "tests", preset("3b1b").replace(
        train_subset=1000), (
        Stage("Train one epoch.", panels=("cost",), train_to=1),
        Stage("The cell of threes read as fives.", panels=("confusion",), show="cell 3 5"),
        Stage("Back to the cost.", panels=("cost",))), run=None)
    w = make_window()
    assert w.lesson_player.open(lesson)
    qtbot.waitUntil(lambda: w.controller.snapshot.evaluation is not None
                    and w.model.current(w.controller.snapshot), timeout=30000)
    qtbot.waitUntil(lambda: not w.controller.running, timeout=30000)
    w.lesson_player.next_stage()
    gallery = w.lesson_player.dialog
    dock, cell = w.aside.dock, w.docks["confusion"]

    def beside():
        return (dock.isVisible() and gallery.isVisible() and not gallery.isWindow()
                and cell.isVisible() and not dock.geometry().intersects(cell.geometry())
                and w.rect().contains(dock.geometry()) and w.rect().contains(cell.geometry()))
    try:
        qtbot.waitUntil(beside)
        assert dock.windowTitle().startswith("Actual 3, read as 5")
        before = settled(qtbot, w)
        w.toggle_presenter()
        qtbot.waitUntil(lambda: w.isFullScreen() and beside())
        w.leave_field()
        qtbot.waitUntil(lambda: not w.isFullScreen())
        assert settled(qtbot, w) == before
        assert beside()
        w.lesson_player.next_stage()  # the stage's view closes with it, and its column
        qtbot.waitUntil(lambda: not dock.isVisible())
        assert w.lesson_player.dialog is None and not gallery.isVisible()
    finally:
        style.set_zoom(1.0)


@pytest.mark.parametrize("size", ["1920x1080", "1280x720"])
def test_every_stage_at_a_screen_size(size, tmp_path):
    width, height = (int(v) for v in size.split("x"))
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "s1", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", **{SCREEN: size})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", __file__,
         "-k", "in_and_out"], env=env, capture_output=True, text=True,
        cwd=Path(__file__).parent, timeout=900)  # ~80 s each; never hang a CI run
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
