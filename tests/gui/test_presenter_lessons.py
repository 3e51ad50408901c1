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
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar, QWidget

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
    """The layout once it has stopped changing (the same at ``polls`` polls in a row), and
    once a backpropagation view beside the panels has been drawn: its plots' minimum width
    is known only then, and the window makes room for it after that."""
    from digit_descent.gui.panels.activations import BackpropDialog

    view = window.aside.view
    if isinstance(view, BackpropDialog):
        qtbot.waitUntil(lambda: view.view.minimumWidth() > 0, timeout=5000)
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
    """A confusion cell's gallery: a column beside the panels, in and out of F5; an image
    clicked in it shows its outputs under it, in the same column."""
    from dataclasses import replace

    import numpy as np

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
    ev = w.controller.snapshot.evaluation  # its fullest cell (a short run reads most as one digit)
    actual, read = divmod(int(np.argmax(np.bincount(ev.actual * 10 + ev.predicted))), 10)
    cell_stage = replace(lesson.stages[1], show=f"cell {actual} {read}")
    w.lesson_player.lesson = replace(lesson, stages=(lesson.stages[0], cell_stage,
                                                     lesson.stages[2]))
    w.lesson_player.next_stage()
    gallery = w.lesson_player.view
    dock, cell = w.aside.dock, w.docks["confusion"]

    def beside():
        return (dock.isVisible() and gallery.isVisible() and not gallery.isWindow()
                and cell.isVisible() and not dock.geometry().intersects(cell.geometry())
                and w.rect().contains(dock.geometry()) and w.rect().contains(cell.geometry()))
    try:
        qtbot.waitUntil(beside)
        assert dock.windowTitle().startswith(f"Actual {actual}, read as {read}")
        assert dock.features() & QDockWidget.DockWidgetClosable  # a panel's view has its ×
        gallery.list.itemClicked.emit(gallery.list.item(0))  # an image's outputs, under it
        inspector = w.aside.detail

        def under():  # the gallery's scroll area above, the outputs' below
            above, below = (dock.findChild(QWidget, f"scroll-{name}")
                            for name in ("aside", "aside-detail"))
            return (beside() and inspector.isVisible() and not inspector.isWindow()
                    and inspector.window() is w and below.isAncestorOf(inspector)
                    and above.isAncestorOf(gallery) and below.height() > 100
                    and below.geometry().top() > above.geometry().bottom())
        assert type(inspector).__name__ == "InspectorDialog"
        qtbot.waitUntil(under)
        assert not [t for t in QApplication.topLevelWidgets() if t.isVisible() and t is not w]
        before = settled(qtbot, w)
        w.toggle_presenter()
        qtbot.waitUntil(lambda: w.isFullScreen() and under())
        w.leave_field()
        qtbot.waitUntil(lambda: not w.isFullScreen())
        assert settled(qtbot, w) == before
        assert under() and inside_screen(w)
        w.lesson_player.next_stage()  # the stage's view closes with it, and its column
        qtbot.waitUntil(lambda: not dock.isVisible())
        assert w.lesson_player.view is None and not gallery.isVisible()
        assert w.aside.detail is None and not inspector.isVisible()
    finally:
        style.set_zoom(1.0)


@pytest.mark.skipif(SCREEN not in os.environ, reason="run by test_every_stage_at_*")
def test_each_lesson_view_in_the_window_in_and_out_of_the_presenter_view(make_window, qtbot):
    """Every lesson view a stage opens: in the views column of the window (never a window of
    its own), through F5 and Esc inside the screen, gone with its stage, back when the stage
    is shown again, gone when the lesson closes."""
    from PySide6.QtCore import Qt

    from digit_descent.engine import preset
    from digit_descent.engine.lessons import Lesson, Stage
    from digit_descent.gui import style
    from digit_descent.gui.lesson_views import VIEWS

    stages = tuple(Stage(f"The lesson view {name}, the stage's whole picture.", panels=(),
                         show=name) for name in VIEWS)
    lesson = Lesson("views", "Every lesson view", "tests", preset("3b1b").replace(
        train_subset=1000), (*stages, Stage("The view beside a panel.", panels=("cost",),
                                            show="chain-rule")), run=None)
    w = make_window()
    assert w.lesson_player.open(lesson)
    dock = w.aside.dock

    def focused(view):
        """The view's first widget that takes the focus, focused (else the window)."""
        for child in view.findChildren(QWidget):
            if child.isVisible() and child.focusPolicy() & Qt.TabFocus:
                child.setFocus()
                qtbot.waitUntil(child.hasFocus)
                return child
        return w

    def in_column(view):
        return (view is w.aside.view and view.isVisible() and not view.isWindow()
                and view.window() is w and dock.isVisible()
                and w.rect().contains(dock.geometry()) and inside_screen(w))
    try:
        seen = []
        for index, name in enumerate((*VIEWS, "chain-rule")):
            if index:  # the lecturer's clicker, with the focus in the view (a spin box…)
                qtbot.keyClick(focused(seen[-1]), Qt.Key_PageDown)
            qtbot.waitUntil(lambda: w.lesson_player.index == index)
            view = w.lesson_player.view
            qtbot.waitUntil(lambda: in_column(view))
            assert not seen or not seen[-1].isVisible()  # the stage before took its view
            assert not [t for t in QApplication.topLevelWidgets()
                        if t.isVisible() and t is not w], name
            seen.append(view)
            assert not dock.features() & QDockWidget.DockWidgetClosable  # it goes with its stage
            before = settled(qtbot, w)
            w.toggle_presenter()
            qtbot.waitUntil(lambda: w.isFullScreen() and in_column(view))
            if not lesson.stages[index].panels:  # the view has the screen to itself
                assert dock.width() > 0.9 * w.width(), (name, dock.width(), w.width())
            w.zoom(style.ZOOM_STEP)
            assert inside_screen(w) and in_column(view), name
            w.zoom(None)
            w.leave_field()
            qtbot.waitUntil(lambda: not w.isFullScreen())
            assert settled(qtbot, w) == before, name
            assert in_column(view)
            for _ in range(3):  # zoom in the window: it stays inside the screen
                w.zoom(style.ZOOM_STEP)
                assert inside_screen(w) and in_column(view), (name, style.zoom())
            w.zoom(None)
        assert w.docks["cost"].isVisible()  # beside a panel, never over it
        assert not dock.geometry().intersects(w.docks["cost"].geometry())
        qtbot.keyClick(focused(seen[-1]), Qt.Key_PageUp)
        qtbot.waitUntil(lambda: w.lesson_player.index == len(VIEWS) - 1)
        again = w.lesson_player.view
        assert type(again) is type(seen[len(VIEWS) - 1]) and again is not seen[-1]
        qtbot.waitUntil(lambda: in_column(again))
        w.lesson_player.close()
        qtbot.waitUntil(lambda: not dock.isVisible())
        assert w.aside.view is None and not again.isVisible() and w.lesson_player.view is None
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
