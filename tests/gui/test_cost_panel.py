import numpy as np
import pyqtgraph as pg

from digit_descent.engine.snapshot import Snapshot
from digit_descent.engine.trainer import CostHistory, EpochReport
from digit_descent.engine.history import smoothed
from digit_descent.gui.panels.cost import CostPanel


def synthetic_snapshot(steps=500, epochs=2, capacity=128):
    history = CostHistory(capacity=capacity)
    for i in range(1, steps + 1):
        history.append(10 * i, 1.0 / np.sqrt(i))
    reports = tuple(EpochReport(e, 2000 * e, 0.5 / e, 0.6 / e, 0.8, 0.75 + 0.05 * e, 1.0, 1.0)
                    for e in range(1, epochs + 1))
    params = np.zeros(7850, np.float32)
    return Snapshot(sizes=(784, 10), activation="sigmoid", cost="mse", params=params,
                    initial_params=params, step=steps, samples_seen=10 * steps, batch_size=10,
                    n_train=2000, history=tuple(history.arrays()), history_stride=history.stride,
                    reports=reports)


def test_panel_draws_a_synthetic_snapshot(qtbot):
    panel = CostPanel()
    qtbot.addWidget(panel)
    s = synthetic_snapshot()
    panel.show_snapshot(s)
    x, y = panel.raw_curve.getData()
    assert len(x) == 2 * len(s.history[0])  # a min–max zig-zag; here one sample per column
    assert np.array_equal(panel.test_points.getData()[1], [0.6, 0.3])
    assert np.allclose(panel.acc_curve.getData()[1], [80, 85])
    panel.x_axis.setCurrentIndex(1)
    assert panel.raw_curve.getData()[0][-1] == 2.5  # 5000 samples / 2000 per epoch
    assert not panel.empty_text.isVisible()


def test_smoothing_is_incremental_and_matches_full(qtbot):
    panel = CostPanel()
    qtbot.addWidget(panel)
    s1 = synthetic_snapshot(steps=60)
    s2 = synthetic_snapshot(steps=100)
    panel.show_snapshot(s1)
    panel.show_snapshot(s2)
    np.testing.assert_allclose(panel.smoothed(s2), smoothed(s2.history[2], panel._span(), 1)[0])
    panel.smoothing.setValue(0)  # the slider sets the span: off is the costs themselves
    np.testing.assert_allclose(panel.smoothed(s2), s2.history[2], rtol=1e-6)


def test_average_starts_at_the_cost_not_above_it(qtbot):
    """Early in training the bold line sat far above the mini-batch costs it averages."""
    panel = CostPanel()
    qtbot.addWidget(panel)
    history = CostHistory()
    for i in range(1, 41):
        history.append(10 * i, 2.8 if i == 1 else 0.9)
    params = np.zeros(7850, np.float32)
    s = Snapshot(sizes=(784, 10), activation="sigmoid", cost="mse", params=params,
                 initial_params=params, step=40, n_train=2000, history=tuple(history.arrays()))
    panel.show_snapshot(s)
    assert panel.smooth_curve.getData()[1][-1] < 1.0


def test_log_scale_transforms_every_cost_and_keeps_accuracy_linear(qtbot):
    panel = CostPanel()
    qtbot.addWidget(panel)
    s = synthetic_snapshot()
    panel.log_scale.setChecked(True)
    panel.show_snapshot(s)
    raw_y = panel.raw_curve.getData()[1]
    assert np.allclose([raw_y.min(), raw_y.max()], np.log10([s.history[1].min(), s.history[1].max()]))
    smooth_y = panel.smooth_curve.getData()[1]
    assert np.allclose(smooth_y, np.log10(panel.smoothed(s)))
    assert np.allclose(panel.test_points.getData()[1], np.log10([0.6, 0.3]))
    assert panel.plot.getPlotItem().getAxis("left").logMode
    assert not panel.plot.getPlotItem().getAxis("right").logMode
    assert np.allclose(panel.acc_curve.getData()[1], [80, 85])
    panel.log_scale.setChecked(False)
    assert np.allclose(panel.test_points.getData()[1], [0.6, 0.3])


def test_training_accuracy_is_plotted_beside_test_accuracy(qtbot):
    panel = CostPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(synthetic_snapshot())
    assert np.allclose(panel.train_acc_curve.getData()[1], [80, 80])


def test_many_epochs_are_thinned_and_drawn_without_markers(qtbot):
    """Trask's 4-row table ends an epoch at every step: 34,736 markers smeared the plot black."""
    panel = CostPanel()
    qtbot.addWidget(panel)
    s = synthetic_snapshot(steps=5000, epochs=5000)
    panel.show_snapshot(s)
    x, y = panel.test_points.getData()
    assert len(x) <= 500 and x[-1] == 2000 * 5000
    assert panel.test_points.opts["symbol"] is None and panel.acc_curve.opts["symbol"] is None
    panel.show_snapshot(synthetic_snapshot(steps=50, epochs=3))
    assert panel.test_points.opts["symbol"] == "s" and panel.acc_curve.opts["symbol"] == "t1"


def test_log_scale_survives_zero_cost(qtbot):
    panel = CostPanel()
    qtbot.addWidget(panel)
    s = synthetic_snapshot()
    s.history[1][:] = 0
    panel.log_scale.setChecked(True)
    panel.show_snapshot(s)
    panel.grab()
    assert np.all(np.isfinite(panel.raw_curve.getData()[1]))
    assert panel.raw_curve.getData()[1].min() == -12


def test_csv_has_every_point_and_epoch(qtbot):
    panel = CostPanel()
    qtbot.addWidget(panel)
    s = synthetic_snapshot(steps=50)
    panel.show_snapshot(s)
    rows = panel.history_csv().splitlines()
    assert len(rows) == 1 + 50 + 2 and rows[-1].startswith("epoch,4000,2")


def test_repainting_many_frames_does_not_crash(qtbot):
    """PySide6 6.12.0 over-released None in QPainter calls and aborted Python 3.11 here."""
    panel = CostPanel()
    qtbot.addWidget(panel)
    panel.show()
    s = synthetic_snapshot()
    for _ in range(400):
        panel.show_snapshot(s)
        panel.plot.repaint()
    assert panel.isVisible()


def test_faint_colours_are_opaque_blends_over_the_background(qtbot):
    from digit_descent.gui import style

    c = style.faint("#000000", 51)  # 20% black over white
    assert c.alpha() == 255 and c.getRgb()[:3] == (204, 204, 204)
    assert style.faint(style.SKY, 255).name() == style.SKY.lower()
    assert CostPanel().raw_curve.opts["pen"].color().alpha() == 255  # Qt's slow path otherwise


def test_the_average_follows_a_short_run_closely(qtbot):
    """Trask's run: a cost that falls over ~1,000 steps; a 250-step average trailed far above it."""
    panel = CostPanel()
    qtbot.addWidget(panel)
    history = CostHistory()
    costs = 0.25 / (1 + np.exp((np.arange(1, 1501) - 700) / 100))
    for i, c in enumerate(costs, start=1):
        history.append(4 * i, c)
    params = np.zeros(21, np.float32)
    s = Snapshot(sizes=(3, 4, 1), activation="sigmoid", cost="mse", params=params,
                 initial_params=params, step=1500, n_train=4, history=tuple(history.arrays()),
                 history_stride=history.stride)
    panel.show_snapshot(s)
    smooth = panel.smoothed(s)
    assert np.max(np.abs(smooth - costs)) < 0.01  # within 4% of the cost's range, everywhere
    assert panel.smoothing_text.text() == "~251 steps"  # the slider keeps its setting


def test_the_samples_axis_reads_like_the_captions_and_hugs_the_data(qtbot):
    """It read 1e+06 and 600000, and ran 30% past the last point."""
    from digit_descent.gui.panels.cost import ThousandsAxis

    panel = CostPanel()
    qtbot.addWidget(panel)
    axis = panel.plot.getPlotItem().getAxis("bottom")
    assert isinstance(axis, ThousandsAxis)
    assert axis.tickStrings([600_000.0, 1_000_000.0], 1.0, 200_000.0) == ["600,000", "1,000,000"]
    assert axis.tickStrings([0.5, 1.0], 1.0, 0.5) == ["0.5", "1.0"]  # epochs stay as they were
    s = synthetic_snapshot(steps=500)
    panel.show_snapshot(s)
    right = panel.plot.getPlotItem().vb.viewRange()[0][1]
    assert 5000 <= right <= 1.12 * 5000


def test_a_run_with_no_test_set_speaks_of_training_accuracy(qtbot):
    """Trask's 4-row table is its own test set: its legend said "test accuracy"."""
    from dataclasses import replace

    from digit_descent.engine.data import trask

    panel = CostPanel()
    qtbot.addWidget(panel)
    panel.show()
    table = trask().train  # train and test are the same Dataset
    s = synthetic_snapshot()
    panel.show_snapshot(replace(s, train_set=table, test_set=table))
    legend = panel.legend.text()
    assert "training accuracy" in legend and "test accuracy" not in legend
    assert "test set" not in legend
    assert not panel.acc_curve.isVisible() and not panel.test_points.isVisible()
    assert panel.train_acc_curve.isVisible()
    with panel.picture() as item:  # the exported legend too
        legend = next(i for i in item.vb.childItems() if isinstance(i, pg.LegendItem))
        names = [label.text for _, label in legend.items]
    assert "test accuracy" not in names and "training accuracy" in names
    other = replace(table, name="held out")  # a test set of its own
    panel.show_snapshot(replace(s, train_set=table, test_set=other))
    assert "test accuracy" in panel.legend.text() and panel.acc_curve.isVisible()
