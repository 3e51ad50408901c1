"""The time machine in the window: rewinding, forking, restarting and session files."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digit_descent.engine import inspection
from digit_descent.gui.panels.reader import LIVE
from digit_descent.gui.panels.weights import WeightsPanel
from digit_descent.gui.presenter import layout_docks


def trained(make_window, qtbot, small_config, epochs=2):
    w = make_window(small_config.replace(epochs=epochs))
    w.start_training()
    qtbot.waitUntil(lambda: bool(not w.controller.running and w.controller.snapshot.reports
                                 and w.controller.snapshot.reports[-1].epoch == epochs),
                    timeout=30000)
    return w


def test_rewinding_shows_every_panel_as_it_was(make_window, qtbot, small_config):
    w = trained(make_window, qtbot, small_config)
    layout_docks(w, ("cost", "weights", "confusion", "pad"), keep=("controls",))
    live = w.controller.snapshot
    steps, params, _ = live.trajectory
    step = steps[len(steps) // 2]
    w.timeline.slider.setValue(len(steps) // 2)  # as a drag does
    view = w.timeline.viewing
    assert view.step == step and view.live_step == live.step
    for key in ("weights", "cost", "pad"):
        shown = w.panels[key].snapshot
        assert shown.step == step, key
        np.testing.assert_array_equal(shown.params, params[len(steps) // 2])
    fresh = WeightsPanel()  # a fresh render of the stored weights, in the same area (its
    fresh._tile_area = w.weights_panel._tile_area  # mosaic has the columns its area fits)
    fresh.show_snapshot(live.at(step))
    np.testing.assert_array_equal(w.weights_panel.image.image, fresh.image.image)
    assert w.cost_panel.cursor.isVisible()
    assert w.cost_panel.cursor.value() == pytest.approx(view.samples_seen)
    qtbot.waitUntil(lambda: w.confusion_panel.evaluation is not None
                    and w.confusion_panel.snapshot.step == step, timeout=20000)
    expected = inspection.evaluate(live.at(step).network(), live.test_set).confusion()
    np.testing.assert_array_equal(w.confusion_panel.evaluation.confusion(), expected)
    assert view.epoch_progress > 0  # part-way through an epoch, and the matrix says so
    assert f"images at step {step:,}:" in w.confusion_panel.summary.text()
    w.pad_panel.source.setCurrentIndex(LIVE)  # the pad reads with the network being trained
    reading, _ = w.pad_panel.network()
    np.testing.assert_array_equal(reading.params, params[len(steps) // 2])
    assert w.status_text.text().startswith(f"viewing step {step:,} of {live.step:,}")

    w.statusBar().showMessage("Finished 2 epochs", 5000)
    w.controls.batch_size.setFocus()  # the keys work wherever the focus is
    qtbot.keyClick(w.controls.batch_size, Qt.Key_Left, Qt.ControlModifier)
    assert w.timeline.viewing.step == steps[len(steps) // 2 - 1]
    assert w.status_text.text().startswith(f"viewing step {steps[len(steps) // 2 - 1]:,} of")
    assert w.statusBar().currentMessage() == ""  # the transient message gives way
    qtbot.keyClick(w.controls.batch_size, Qt.Key_Right, Qt.ControlModifier)
    assert w.timeline.viewing.step == step
    qtbot.keyClick(w, Qt.Key_End)
    assert w.timeline.viewing is None
    assert w.panels["weights"].snapshot is live and not w.cost_panel.cursor.isVisible()


def test_rewinding_puts_the_surface_ball_on_its_trail_as_it_was(make_window, qtbot,
                                                                 small_config):
    from digit_descent.engine.landscape import project

    w = trained(make_window, qtbot, small_config)
    layout_docks(w, ("surface", "cost"), keep=("controls",))
    panel = w.panels["surface"]
    panel.mode.setCurrentIndex(1)
    panel.resolution.setValue(11)
    panel.samples.setValue(200)
    assert panel.compute()
    qtbot.waitUntil(lambda: not panel.computing, timeout=30000)
    live = w.controller.snapshot
    steps = live.trajectory[0]
    w.timeline.slider.setValue(len(steps) // 2)
    view = w.timeline.viewing
    assert panel.snapshot.step == view.step < live.step
    plane = panel._plane
    here = project(view.params, plane.origin, plane.d1, plane.d2)[0]
    x, y = panel.net_ball.getData()
    assert (x[0], y[0]) == pytest.approx(tuple(here), abs=1e-5)
    tx, ty = panel.net_trail.getData()
    kept = sum(1 for s in steps if s <= view.step)  # the path up to then, and no further
    assert len(tx) == kept + 1
    np.testing.assert_allclose(np.c_[tx, ty][:kept], plane.trail[:kept], atol=1e-6)


def test_panels_stay_on_the_viewed_step_while_training_runs(make_window, qtbot, small_config):
    w = trained(make_window, qtbot, small_config)
    layout_docks(w, ("cost", "weights"), keep=("controls",))
    w.model.set_live(epochs=50)
    assert w.controls.config.epochs == 50  # the controls follow the model
    w.start_training()
    qtbot.waitUntil(lambda: w.controller.running, timeout=10000)
    w.timeline.slider.setValue(3)
    viewed = w.timeline.viewing
    step_then = w.controller.snapshot.step
    qtbot.waitUntil(lambda: w.controller.snapshot.step > step_then + 50, timeout=20000)
    for panel in (w.weights_panel, w.cost_panel):  # (its evaluation may have come in since)
        assert panel.snapshot is w.timeline.viewing and panel.snapshot.step == viewed.step
    assert w.timeline.slider.value() == 3  # live snapshots do not move the look back
    w.stop_training()


def test_resume_from_here_forks_the_run(make_window, qtbot, small_config):
    w = trained(make_window, qtbot, small_config)
    live = w.controller.snapshot
    steps = live.trajectory[0]
    index = steps.index(64)
    w.timeline.slider.setValue(index)
    w.timeline.resume_here()
    assert [g.label for g, *_ in w.cost_panel.ghosts] == ["before the fork at step 64"]
    assert w.timeline.viewing is None
    qtbot.waitUntil(lambda: w.controller.snapshot.step == 64, timeout=20000)
    forked = w.controller.snapshot
    np.testing.assert_array_equal(forked.params, live.trajectory[1][index])
    assert forked.initial_params is live.initial_params or \
        np.array_equal(forked.initial_params, live.initial_params)
    w.controller.step(5)
    qtbot.waitUntil(lambda: w.controller.snapshot.step == 69, timeout=20000)


def test_restart_with_the_same_initial_weights_keeps_a_ghost(make_window, qtbot, small_config):
    w = trained(make_window, qtbot, small_config, epochs=1)
    first = w.controller.snapshot
    w.controls.lr_spin.setValue(0.3)  # the live η, as the user types it
    assert w.model.config.lr == 0.3
    assert w.restart_same_weights()
    assert [g.label for g, *_ in w.cost_panel.ghosts] == ["previous run"]
    live_z = min(w.cost_panel.raw_curve.zValue(), w.cost_panel.smooth_curve.zValue())
    assert all(item.zValue() < live_z for _, *items in w.cost_panel.ghosts for item in items)
    assert "<i>previous run</i>" in w.cost_panel.legend.text()  # labelled off the plot
    qtbot.waitUntil(lambda: w.controller.snapshot.initial_params is not first.initial_params,
                    timeout=20000)
    again = w.controller.snapshot
    assert again.step == 0 and again.config.lr == 0.3
    np.testing.assert_array_equal(again.params, first.initial_params)
    with pytest.raises(ValueError, match="same layers"):
        w.controller.restart({"layers": [784, 20, 10]}, "other layers")
    assert [g.label for g, *_ in w.cost_panel.ghosts] == ["previous run"]


def test_session_saved_and_opened_in_the_app_is_the_same_run(make_window, qtbot, small_config,
                                                             tmp_path, settings):
    w = trained(make_window, qtbot, small_config)
    layout_docks(w, ("cost", "surface"), keep=("controls",))
    path = tmp_path / "run.npz"
    w.files.save_session(path)
    qtbot.waitUntil(path.exists, timeout=20000)
    saved = w.controller.snapshot

    other = make_window(small_config.replace(layers=(784, 12, 10)))
    other.files.open_session(path)
    qtbot.waitUntil(lambda: other.controller.snapshot.step == saved.step
                    and tuple(other.controller.snapshot.sizes) == tuple(saved.sizes),
                    timeout=30000)
    opened = other.controller.snapshot
    np.testing.assert_array_equal(opened.params, saved.params)
    np.testing.assert_array_equal(opened.initial_params, saved.initial_params)
    for a, b in zip(opened.history, saved.history):
        np.testing.assert_array_equal(a, b)
    assert opened.reports == saved.reports
    assert opened.trajectory[0] == saved.trajectory[0] and opened.evaluation is not None
    qtbot.waitUntil(other.docks["surface"].isVisible, timeout=5000)  # the layout came back
    other.timeline.slider.setValue(2)  # and it rewinds
    assert other.timeline.viewing.step == saved.trajectory[0][2]
    other.timeline.back_to_live()
    other.start_training()  # and trains on from its end
    qtbot.waitUntil(lambda: other.controller.snapshot.step > saved.step, timeout=20000)
    other.stop_training()


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04" + b"\0" * 40])
def test_a_bad_session_file_is_one_message_and_loses_nothing(make_window, qtbot, small_config,
                                                             tmp_path, warnings, content):
    w = trained(make_window, qtbot, small_config, epochs=1)
    before = w.controller.snapshot
    path = Path(tmp_path / "bad.npz")
    path.write_bytes(content)
    w.files.open_session(path)
    qtbot.waitUntil(lambda: len(warnings) == 1, timeout=10000)
    assert str(path) in warnings[0] and "\n" not in warnings[0].strip()
    assert w.controller.snapshot is before
