"""The presenter view's status line and dock titles (tests/gui/test_presenter_lessons.py
drives it through every lesson stage)."""

from PySide6.QtCore import Qt
from shiboken6 import isValid

from digit_descent.gui import style


def test_the_presenter_view_shows_the_step_the_timeline_looks_back_at(make_window, qtbot,
                                                                       small_config):
    w = make_window(small_config.replace(epochs=1))
    w.start_training()
    qtbot.waitUntil(lambda: not w.controller.running and bool(w.controller.snapshot.reports),
                    timeout=30000)
    try:
        w.toggle_presenter()
        assert not w.statusBar().isVisible()  # nothing but the panels while live
        qtbot.keyClick(w, Qt.Key_Left, Qt.ControlModifier)
        qtbot.waitUntil(lambda: w.model.viewed is not None)
        qtbot.waitUntil(lambda: w.statusBar().isVisible())
        assert w.status_line.isVisible() and w.status_line.text().startswith("viewing step")
        w.timeline.back_to_live()
        qtbot.waitUntil(lambda: not w.statusBar().isVisible())
        w.leave_field()
        assert w.statusBar().isVisible()
    finally:
        style.set_zoom(1.0)


def test_dock_titles_follow_the_zoom(make_window, qtbot, small_config):
    w = make_window(small_config)
    dock = w.docks["cost"]
    try:
        top = dock.widget().geometry().top()  # below the title bar
        size = dock.font().pointSizeF()
        w.zoom(2.0)
        assert dock.font().pointSizeF() == 2 * size
        qtbot.waitUntil(lambda: dock.widget().geometry().top() > 1.5 * top)
        assert w.cost_panel.font().pointSizeF() == 2 * style.APP_FONT_PT  # its own, not the title's
    finally:
        style.set_zoom(1.0)


def test_the_neuron_view_opens_beside_and_its_dock_closes_it(make_window, qtbot, small_config):
    w = make_window(small_config)
    view = w.show_neuron(0, 3)
    qtbot.waitUntil(lambda: w.aside.dock.isVisible() and view.isVisible())
    assert not view.isWindow() and w.aside.view is view
    assert not w.aside.dock.geometry().intersects(w.docks["weights"].geometry())
    w.aside.dock.close()  # its ×
    qtbot.waitUntil(lambda: not w.aside.dock.isVisible())
    assert w.aside.view is None and not view.isVisible()


def test_a_gallery_image_shows_its_outputs_under_the_gallery(make_window, qtbot, small_config):
    """The inspector of a clicked image goes under the gallery in the views column; another
    click replaces it; closing the gallery closes it."""
    w = make_window(small_config)
    w.arrange(("confusion",))  # on screen: it draws the evaluation
    w.controller.evaluate()
    qtbot.waitUntil(lambda: w.confusion_panel.evaluation is not None, timeout=30000)
    gallery = w.confusion_panel.show_worst_mistakes()
    qtbot.waitUntil(lambda: w.aside.view is gallery and gallery.isVisible())
    column = w.aside.dock.widget()
    inspectors = []
    for row in (0, 1):
        gallery.list.itemClicked.emit(gallery.list.item(row))
        inspectors.append(w.aside.detail)
        qtbot.waitUntil(lambda: inspectors[-1].isVisible())
        assert not inspectors[-1].isWindow() and inspectors[-1].window() is w
        qtbot.waitUntil(lambda: column.count() == 2)  # the gallery, one inspector
        assert column.widget(1).isAncestorOf(inspectors[-1])
    assert gone(inspectors[0])
    w.aside.dock.close()  # its ×: the gallery and its inspector go
    qtbot.waitUntil(lambda: not w.aside.dock.isVisible())
    assert w.aside.detail is None and gone(inspectors[-1])


def gone(widget):
    """Deleted, or hidden."""
    return not isValid(widget) or not widget.isVisible()


def backpropagation_stage(w, qtbot, width, height):
    """``w`` at ``width`` × ``height`` showing the pad, the activations and a test image's
    backpropagation step beside them; returns it and the step's view."""
    w.resize(width, height)
    qtbot.waitUntil(lambda: w.size().toTuple() == (width, height))
    test = w.controller.snapshot.test_set
    w.model.choose_input(test.x[0], int(test.labels[0]))
    w.arrange(("pad", "activations"))
    return w, w.activations_panel.open_backprop()


def test_three_columns_at_1280_by_720_leave_nothing_cut(make_window, qtbot, small_config):
    """The backpropagation stage (the pad, the activations, the step's view) at 1280×720:
    the controls were squeezed to ~90 px and the pad, the activations and the view each
    scrolled, their answers and labels cut. The controls now make room (and come back
    when the view closes, or with a stage that leaves room); each column gets at least its
    minimum."""
    w, view = backpropagation_stage(make_window(small_config), qtbot, 1280, 720)
    columns = {w.docks["pad"]: w.pad_panel, w.docks["activations"]: w.activations_panel,
               w.aside.dock: view}

    def whole():
        return all(dock.widget().width() >= held.minimumSizeHint().width()
                   for dock, held in columns.items())
    qtbot.waitUntil(lambda: not w.docks["controls"].isVisible() and whole())
    assert w.width() <= 1280
    assert view.view.width() >= view.view.ci.effectiveSizeHint(Qt.MinimumSize).width() - 1
    assert not w.aside.dock.titleBarWidget()  # a panel's view keeps its title bar
    w.aside.close()  # the room the view took is there again
    qtbot.waitUntil(lambda: w.docks["controls"].isVisible())
    w.activations_panel.open_backprop()
    qtbot.waitUntil(lambda: not w.docks["controls"].isVisible())
    w.arrange(("pad",))  # so is a stage's with fewer panels
    qtbot.waitUntil(lambda: w.docks["controls"].isVisible())


def test_a_lesson_view_has_no_title_bar_repeating_its_heading(make_window, qtbot, small_config):
    from digit_descent.gui.lesson_views.universal import UniversalFitView

    w = make_window(small_config)
    view = w.show_aside(UniversalFitView())
    qtbot.waitUntil(lambda: view.isVisible())
    bar = w.aside.dock.titleBarWidget()
    assert bar is not None and bar.height() <= 1  # an empty one: the heading says it
    assert view.heading.text() == view.windowTitle()
    w.aside.close()


def test_esc_puts_back_a_backpropagation_view_beside_its_panels(make_window, qtbot, small_config):
    """Its plots' minimum width grew with the presenter's zoom and stayed: after Esc the
    views column took ~750 px of a 1920-px window instead of the ~470 it had."""
    w, view = backpropagation_stage(make_window(small_config), qtbot, 1920, 1080)

    def columns():
        return {key: dock.geometry().getRect() for key, dock in
                {**w.docks, "aside": w.aside.dock}.items() if dock.isVisible()}

    def settled():
        seen = []
        qtbot.waitUntil(lambda: seen.append((columns(), view.view.minimumWidth())) or (
            len(seen) >= 5 and all(s == seen[-1] for s in seen[-5:])), timeout=5000)
        return seen[-1]
    try:
        before = settled()
        w.toggle_presenter()
        w.zoom(1.5)  # as F5 does on a 1920×1080 screen (this test's screen is smaller)
        qtbot.waitUntil(lambda: view.view.minimumWidth() > before[1])  # zoomed plots
        w.leave_field()
        qtbot.waitUntil(lambda: not w.isFullScreen())
        after = settled()
        assert after[0] == before[0]
        assert abs(after[1] - before[1]) <= 10  # pyqtgraph's axes keep 10 px of slack
    finally:
        style.set_zoom(1.0)
