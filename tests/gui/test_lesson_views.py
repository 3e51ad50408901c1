"""The lesson views (gui/lesson_views): each opens and shows its experiment's numbers."""

import numpy as np
import pytest

from digit_descent.engine import trask
from digit_descent.engine.lessons.chain_rule import chain_rule
from digit_descent.gui.lesson_views import VIEWS, make_view


def test_unknown_view_names_them_all():
    with pytest.raises(ValueError, match="chain-rule"):
        make_view("nope")


def test_chain_rule_view_shows_each_link_and_the_step(qtbot):
    view = make_view("chain-rule")
    qtbot.addWidget(view)
    view.show()
    top = list(chain_rule())[-1]
    assert f"{top['links']['daL/dzL']:+.4f}" in view.links.text()
    assert f"{top['gradient']['wL']:+.4f}" in view.products.text()
    view.step.click()
    assert f"{top['predicted_cost_change']:+.4f}" in view.outcome.text()
    assert f"{top['actual_cost_change']:+.4f}" in view.outcome.text()


def test_trask_tables_view_shows_his_numbers_at_the_chosen_iteration(qtbot):
    view = make_view("trask-tables")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.table is not None, timeout=20000)
    expected = trask.tables(at=[0])[0]
    assert view.outputs.item(0, 0).text() == "yes"  # customer 1 has a cat
    assert view.outputs.item(0, 4).text() == f"{expected['l2'][0]:.4f}"
    assert view.outputs.item(3, 7).text() == f"{expected['l2_delta'][3]:+.5f}"
    view.iteration.setValue(1000)
    qtbot.waitUntil(lambda: view.table["iteration"] == 1000, timeout=20000)
    later = trask.tables(at=[1000])[0]
    assert view.outputs.item(0, 4).text() == f"{later['l2'][0]:.4f}"


def test_activation_curves_view_plots_three_functions_and_slopes(qtbot):
    view = make_view("activation-curves")
    qtbot.addWidget(view)
    view.show()
    for plot in view.plots:
        assert len(plot.listDataItems()) == 3
    slopes = [item.yData.max() for item in view.plots[1].listDataItems()]
    assert slopes == pytest.approx([0.25, 1.0, 1.0], abs=1e-3)


def test_logistic_view_rolls_downhill(qtbot):
    view = make_view("logistic")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.task is not None, timeout=60000)
    start = float(view.task.cost(*view.beta))
    for _ in range(20):
        view.step()
    assert float(view.task.cost(*view.beta)) < start
    assert "steps: 20" in view.readout.text()
    view.sliders[0].setValue(150)  # dragging β₀ starts a new ball there
    assert view.beta[0] == 1.5 and view.steps == 0


def test_universal_view_draws_each_neuron(qtbot):
    view = make_view("universal-fit")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: bool(view.fits), timeout=60000)
    next(b for b in view.group.buttons() if b.property("neurons") == 4).click()
    assert len(view.plot.listDataItems()) == 2  # the curve and the fit
    parts = view.parts.listDataItems()  # four neurons' parts, adding up to the fit
    fit = view.plot.listDataItems()[1]
    model = view.fits[4]
    np.testing.assert_allclose(sum(p.yData for p in parts) + model.c[0], fit.yData)
    assert "mean squared error" in view.readout.text()


def test_every_view_opens(qtbot):
    for name in VIEWS:
        view = make_view(name)
        qtbot.addWidget(view)
        view.show()
        assert view.isVisible()
        view.close()


def test_a_stage_opens_its_view_and_the_strip_names_the_source(make_window, qtbot):
    from digit_descent.engine import preset
    from digit_descent.engine.lessons import lesson

    w = make_window(preset("3b1b").replace(train_subset=1000))
    assert w.open_lesson("chain-rule")
    player = w.lesson_player
    assert "zhyuzh3d" in player.strip.heading.text()  # the text the lesson follows
    assert type(player.view).__name__ == "ChainRuleView" and player.view.isVisible()
    assert lesson("chain-rule").stages[0].caption in player.strip.caption.text()
    first = player.view
    player.next_stage()
    assert not first.isVisible() and player.view is not first  # a fresh view per stage
    # a stage with no panels: its view takes all the width the controls leave (it took at
    # most 45%, and Trask's tables scrolled sideways beside wide controls)
    qtbot.waitUntil(lambda: w.aside.dock.width() > 0.6 * w.width())
    w.stop_training()


def test_logistic_descent_view_sets_the_ball_rolling(qtbot):
    view = make_view("logistic-descent")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.steps >= 5, timeout=60000)
    assert view.roll.isChecked()
    view.close()
    assert not view.timer.isActive()


def test_every_views_text_is_at_least_20_px_at_zoom_1(qtbot):
    """Issue #20: text a caption relies on is at least 20 px on a 1080p screen (zoom 1, 96
    dpi); only a footnote in italics may be smaller."""
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLabel, QTableWidget

    from digit_descent.gui import style

    style.set_zoom(1.0)
    for name in VIEWS:
        view = make_view(name)
        qtbot.addWidget(view)
        view.show()
        texts = [w for kind in (QLabel, QAbstractButton, QAbstractSpinBox, QTableWidget)
                 for w in view.findChildren(kind)
                 if w.isVisible() and not (isinstance(w, QLabel) and w.text().startswith("<i>The"))]
        assert texts, name
        for widget in texts:
            assert QFontInfo(widget.font()).pixelSize() >= 20, (name, type(widget).__name__,
                                                                 getattr(widget, "text", str)())


def test_trask_tables_stay_whole_when_zoomed(qtbot):
    from digit_descent.gui import style

    view = make_view("trask-tables")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.table is not None, timeout=20000)
    try:
        for zoom in (1.0, 1.728):
            style.set_zoom(zoom)
            for table in (view.outputs, view.hidden):
                rows = table.horizontalHeader().height() + table.verticalHeader().length()
                assert table.height() >= rows, zoom
                assert table.width() >= table.horizontalHeader().length(), zoom
                assert table.rowHeight(0) >= table.fontMetrics().height(), zoom
    finally:
        style.set_zoom(1.0)


def test_depth_view_draws_the_experiments_four_spiral_networks(qtbot, monkeypatch):
    """The universal lesson's stage 2 speaks of depth against width on the spiral: its view
    draws those networks (it showed the curve fit of stage 1)."""
    from functools import partial

    from digit_descent.engine.lessons import universal as uni

    monkeypatch.setattr(uni, "depth_against_width", partial(uni.depth_against_width, steps=60))
    view = make_view("depth-width")
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: bool(view.networks), timeout=60000)
    drawn = view.accuracies()
    assert set(drawn) == {"2-8-2", "2-4-4-2", "2-70-2", "2-16-16-2"}
    assert drawn["2-4-4-2"] == uni.train_spiral((4, 4), 60)[2]  # the experiment's figure
    titles = [item.titleLabel.text for item in view.plots.ci.items]
    assert any(f"{drawn['2-8-2']:.1%}" in t for t in titles)


def test_the_universal_views_radio_buttons_grow_with_the_zoom(qtbot):
    """Their text grew with Ctrl++, their round buttons stayed 13 px."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    from digit_descent.gui import style

    view = make_view("universal-fit")
    qtbot.addWidget(view)
    view.show()
    button = view.group.buttons()[1]

    def indicator():
        option = QStyleOptionButton()
        button.initStyleOption(option)
        return button.style().subElementRect(QStyle.SE_RadioButtonIndicator, option,
                                             button).height()
    try:
        before = indicator()
        style.set_zoom(2.0)
        assert indicator() >= 1.8 * before
    finally:
        style.set_zoom(1.0)
