import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digit_descent.engine import Network, load_model, preset, save_model


def snap(w):
    return w.controller.snapshot


def test_window_opens_on_3b1b(make_window):
    w = make_window()
    assert w.windowTitle() == "Digit Descent"
    assert snap(w).sizes == (784, 16, 16, 10) and snap(w).dataset == "mnist"
    assert w.controls.preset.currentText() == "3b1b"
    assert set(w.docks) >= {"controls", "cost"}


def test_start_pause_step_reset(make_window, qtbot, small_config):
    w = make_window(small_config.replace(epochs=1000))
    initial = snap(w).params.copy()
    w.start_training()
    qtbot.waitUntil(lambda: w.controller.running and snap(w).step > 50, timeout=5000)
    assert w.train_action.text() == "Pause"
    w.stop_training()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=1000)
    paused_at = snap(w).step
    qtbot.wait(200)
    assert snap(w).step == paused_at
    w.controller.step()
    qtbot.waitUntil(lambda: snap(w).step == paused_at + 1, timeout=1000)
    w.reset_weights()
    qtbot.waitUntil(lambda: snap(w).step == 0, timeout=1000)
    assert np.array_equal(snap(w).params, initial)


def test_epoch_button_trains_one_epoch_and_evaluates(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.controller.run_epoch()
    qtbot.waitUntil(lambda: len(snap(w).reports) > 0, timeout=5000)  # evaluated beside training
    report = snap(w).reports[-1]
    assert report.samples_seen == 2000 and 0.15 < report.test_accuracy <= 1  # chance is 0.1


def test_training_stops_at_the_epoch_target(make_window, qtbot, small_config):
    w = make_window(small_config.replace(epochs=2))
    with qtbot.waitSignal(w.controller.targetReached, timeout=10000):
        w.start_training()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=1000)
    assert snap(w).epoch == 2
    # evaluated beside training, reported in order, the last one before the target is announced
    reports = snap(w).reports
    assert [(r.epoch, r.samples_seen) for r in reports] == [(1, 2000), (2, 4000)]
    assert all(0.1 < r.test_accuracy <= 1 and 0 < r.train_cost < 1 for r in reports)
    assert snap(w).evaluation.epoch == 2


def test_an_unexpected_error_in_training_reaches_the_window(make_window, qtbot, small_config):
    w = make_window(small_config.replace(epochs=1000))

    def broken():
        raise RuntimeError("boom")

    w.controller.worker.trainer.step = broken
    with qtbot.waitSignal(w.controller.failed, timeout=3000) as failed:
        w.start_training()
    assert "boom" in failed.args[0]
    qtbot.waitUntil(lambda: not w.controller.running, timeout=1000)
    assert w.controller.worker.isRunning()  # the thread lives on: Reset recovers


def test_latest_snapshot_wins(qtbot, small_config):
    from digit_descent.gui.controller import TrainingController
    from digit_descent.gui.model import AppModel

    c = TrainingController(AppModel(small_config), redraw_hz=20, publish_hz=1000)
    try:
        qtbot.waitUntil(lambda: c.snapshot is not None, timeout=15000)
        seen = []
        c.snapshotChanged.connect(lambda s: seen.append(c.status.serial))
        c.start()
        qtbot.wait(1000)
        published = c.worker.latest.status.serial
    finally:
        assert c.shutdown()
    assert len(seen) <= 25  # one per redraw tick at most, never a backlog
    assert seen == sorted(set(seen))
    assert published > 3 * len(seen)  # most snapshots were skipped, not queued


def test_flat_out_training_keeps_the_log_spaced_trajectory(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.start_training()
    qtbot.waitUntil(lambda: snap(w).step > 600, timeout=10000)  # 3 epochs of 200 steps
    w.stop_training()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=2000)
    steps = snap(w).trajectory[0]
    assert {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512} <= set(steps)
    assert {200, 400, 600} <= set(steps)  # epoch ends


def test_snapshots_are_looked_at_only_as_often_as_the_panels_redraw(make_window, qtbot, small_config):
    w = make_window(small_config.replace(epochs=1000))
    w.docks["confusion"].raise_()  # redraws every 2 s; the status bar every 0.25 s
    qtbot.waitUntil(lambda: w.controller.running_poll_s == 0.25, timeout=2000)
    w.docks["weights"].raise_()
    qtbot.waitUntil(lambda: w.controller.running_poll_s == 0.1, timeout=2000)
    w.start_training()
    qtbot.waitUntil(lambda: w.controller.poll_interval_ms == 100, timeout=3000)
    w.stop_training()
    assert w.controller.poll_interval_ms < 50  # a command's answer is looked for at once
    qtbot.waitUntil(lambda: not w.controller.running, timeout=1000)


def test_close_during_training_stops_the_worker(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.start_training()
    qtbot.waitUntil(lambda: w.controller.running, timeout=2000)
    w.close()
    assert not w.controller.worker.isRunning()


def test_saturation_banner_and_recovery(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.controls.lr_spin.setValue(1000)
    w.start_training()
    qtbot.waitUntil(lambda: w.banner_bar.isVisible(), timeout=5000)
    assert "learning rate 1000" in w.banner_text.text()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=2000)
    w.controls.lr_spin.setValue(1.0)
    w.banner_reset.click()
    assert not w.banner_bar.isVisible()
    qtbot.waitUntil(lambda: snap(w).step == 0, timeout=1000)
    w.start_training()
    qtbot.waitUntil(lambda: snap(w).step > 300, timeout=5000)
    assert np.isfinite(snap(w).last_cost) and not w.banner_bar.isVisible()


def test_nan_divergence_pauses_and_reset_recovers(make_window, qtbot, small_config):
    cfg = small_config.replace(layers=(784, 64, 10), activation="relu", cost="cross-entropy")
    w = make_window(cfg)
    w.controls.lr_spin.setValue(1000)
    w.start_training()
    qtbot.waitUntil(lambda: w.banner_bar.isVisible(), timeout=5000)
    assert "diverged" in w.banner_text.text()
    w.start_training()  # refuses to train on NaN weights
    qtbot.waitUntil(lambda: "Reset" in w.banner_text.text(), timeout=1000)
    w.controls.lr_spin.setValue(0.1)
    w.reset_weights()
    w.start_training()
    qtbot.waitUntil(lambda: snap(w).step > 100 and snap(w).finite, timeout=5000)


def test_architecture_change_asks_first(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.controller.step(5)
    qtbot.waitUntil(lambda: snap(w).step == 5, timeout=1000)
    w.confirm = lambda question: False
    w.controls.layers.setText("784-32-10")
    w.controls.layers.editingFinished.emit()
    qtbot.wait(200)
    assert snap(w).sizes == (784, 16, 16, 10) and w.controls.layers.text() == "784-16-16-10"
    w.confirm = lambda question: True
    w.controls.layers.setText("784-32-10")
    w.controls.layers.editingFinished.emit()
    qtbot.waitUntil(lambda: snap(w).sizes == (784, 32, 10), timeout=3000)
    assert snap(w).step == 0


def test_bad_layers_text_is_explained_not_applied(make_window, small_config):
    w = make_window(small_config)
    w.controls.layers.setText("784-abc-10")
    w.controls.layers.editingFinished.emit()
    assert w.controls.layers_error.isVisibleTo(w.controls)
    assert "whole numbers" in w.controls.layers_error.text()


def test_layers_that_do_not_fit_the_data_show_a_banner(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.apply_config(small_config.replace(layers=(100, 10)))
    qtbot.waitUntil(lambda: w.banner_bar.isVisible(), timeout=3000)
    assert "784 inputs" in w.banner_text.text()
    assert snap(w).sizes == (784, 16, 16, 10)  # the old network is kept


def test_missing_dataset_keeps_the_old_one(make_window, qtbot, small_config, tmp_path):
    w = make_window(small_config)
    w.files.open_dataset(tmp_path / "nothing-here")
    qtbot.waitUntil(lambda: w.banner_bar.isVisible(), timeout=3000)
    assert "no such data set" in w.banner_text.text()
    assert snap(w).dataset == "mnist"


def test_live_learning_rate_and_batch_size(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.controls.lr_spin.setValue(0.25)
    w.controls.batch_size.setValue(32)
    qtbot.waitUntil(lambda: snap(w).lr == 0.25 and snap(w).batch_size == 32, timeout=1000)
    w.controller.step()
    qtbot.waitUntil(lambda: snap(w).samples_seen == 32, timeout=1000)


def test_speed_control_slows_training(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.controls.speed.setValue(10)  # 10 steps per second
    w.start_training()
    qtbot.wait(700)
    w.stop_training()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=1000)
    assert 1 <= snap(w).step <= 20


def test_settings_persist(make_window, settings, small_config):
    w = make_window(small_config)
    w.controls.lr_spin.setValue(0.5)
    w.cost_panel.log_scale.setChecked(True)
    w.docks["cost"].setFloating(True)
    w.close()
    again = make_window()
    assert again.controller.config.lr == 0.5
    assert again.controller.config.train_subset == 2000
    assert again.cost_panel.log_scale.isChecked()
    assert again.docks["cost"].isFloating()
    again.reset_layout()
    assert not again.docks["cost"].isFloating()


def test_save_and_open_model(make_window, qtbot, small_config, tmp_path, warnings):
    w = make_window(small_config)
    w.controller.step(20)
    qtbot.waitUntil(lambda: snap(w).step == 20, timeout=2000)
    path = tmp_path / "m.npz"
    assert w.files.save_model(path)
    saved = load_model(path)
    assert np.array_equal(saved.params, snap(w).params)
    w.reset_weights()
    qtbot.waitUntil(lambda: snap(w).step == 0, timeout=1000)
    w.open_model(path)  # read off the GUI thread
    qtbot.waitUntil(lambda: np.array_equal(snap(w).params, saved.params), timeout=3000)
    assert "Opened" in w.statusBar().currentMessage()
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"garbage")
    w.open_model(bad)
    qtbot.waitUntil(lambda: len(warnings) > 0, timeout=3000)
    assert "bad.npz" in warnings[-1]


def test_a_model_names_its_data_set_as_a_hint_only(make_window, qtbot, small_config, tmp_path):
    w = make_window(small_config)
    path = tmp_path / "m.npz"
    save_model(Network((784, 16, 16, 10)), path, dataset=str(tmp_path / "some" / "folder"))
    w.open_model(path)
    qtbot.waitUntil(lambda: "Opened" in w.statusBar().currentMessage(), timeout=3000)
    assert w.controller.config.dataset == "mnist"


def test_exports(make_window, qtbot, small_config, tmp_path, warnings):
    from PySide6.QtGui import QImage

    w = make_window(small_config)
    w.controller.step(30)
    qtbot.waitUntil(lambda: snap(w).step == 30, timeout=2000)
    qtbot.waitUntil(lambda: w.cost_panel.snapshot is snap(w), timeout=2000)
    assert not w.files.export_csv(tmp_path)  # a folder: says what was expected
    assert warnings == [f"{tmp_path}: cannot export the cost history there (is a folder); "
                        "choose a file such as cost.csv"]
    warnings.clear()
    assert w.files.export_csv(tmp_path / "cost.csv")
    lines = (tmp_path / "cost.csv").read_text().splitlines()
    assert lines[0].startswith("kind,samples_seen") and len(lines) == 31
    # the plot only, at the chosen width: no combo boxes or hover read-out above it
    assert w.files.export_picture("cost", tmp_path / "cost.png", width=1920)
    image = QImage(str(tmp_path / "cost.png"))
    plot = w.cost_panel.plot
    assert image.width() == 1920
    assert abs(image.height() / image.width() - plot.height() / plot.width()) < 0.02
    if sys.platform != "win32":  # POSIX permission bits
        assert (tmp_path / "cost.png").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert "Saved" in w.statusBar().currentMessage()
    assert w.files.export_picture("weights", tmp_path / "weights.svg")
    assert b"<svg" in (tmp_path / "weights.svg").read_bytes()[:500]
    exportable = [k for k, panel in w.panels.items() if panel.picture() is not None]
    assert set(exportable) == set(w.panels) - {"controls"}
    for key in exportable:  # every panel's picture, hidden tab or not
        assert w.files.export_picture(key, tmp_path / f"{key}.png", width=640), warnings
        assert QImage(str(tmp_path / f"{key}.png")).width() == 640
    assert not w.files.export_picture("cost", tmp_path / "missing" / "cost.png")
    assert "cannot save the picture" in warnings[-1] and not (tmp_path / "missing").exists()
    assert "Export picture of a panel" in [a.text() for a in w.menuBar().actions()[0].menu().actions()]


def _umask():
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_status_messages_are_visible_over_the_training_status(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.statusBar().showMessage("Saved somewhere", 5000)
    assert w.statusBar().currentMessage() == "Saved somewhere"
    assert not w.status_text.isVisible()  # the message has the room; the status comes back after
    w.statusBar().clearMessage()
    assert w.status_text.isVisible()


def test_training_keys_work_wherever_the_focus_is(make_window, qtbot, small_config):
    from PySide6.QtWidgets import QApplication

    w = make_window(small_config.replace(epochs=1000))
    w.activateWindow()
    for field in (w.controls.lr_spin, w.controls.batch_size, w.controls.speed,
                  w.cost_panel.fit_button, w.controls.layers):
        field.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=1000)
        step = snap(w).step
        qtbot.keyClick(field, Qt.Key_Space)  # train…
        qtbot.waitUntil(lambda: w.controller.running, timeout=2000)
        qtbot.keyClick(field, Qt.Key_Space)  # …and pause
        qtbot.waitUntil(lambda: not w.controller.running, timeout=2000)
        assert snap(w).step > step
    w.controls.lr_spin.setFocus()
    step = snap(w).step
    qtbot.keyClick(w.controls.lr_spin, Qt.Key_Right)
    qtbot.waitUntil(lambda: snap(w).step == step + 1, timeout=2000)
    qtbot.keyClick(w.controls.lr_spin, Qt.Key_Escape)
    assert QApplication.focusWidget() is not w.controls.lr_spin


def test_the_window_fits_small_screens(make_window, qtbot):
    w = make_window()
    for key in ("surface", "pad", "confusion"):
        w.docks[key].raise_()
    w.surface_panel.mode.setCurrentIndex(1)
    hint = w.minimumSizeHint().expandedTo(w.minimumSize())
    assert hint.width() <= 1024 and hint.height() <= 720
    help_dialog = w.show_panel_help()
    qtbot.addWidget(help_dialog)
    assert help_dialog.height() <= w.screen().availableGeometry().height()


def test_epoch_end_fills_the_confusion_matrix_and_weights(make_window, qtbot, small_config):
    w = make_window(small_config)
    w.docks["confusion"].raise_()
    w.controller.run_epoch()
    qtbot.waitUntil(lambda: snap(w).evaluation is not None, timeout=5000)
    qtbot.waitUntil(lambda: w.confusion_panel.evaluation is snap(w).evaluation, timeout=2000)
    assert snap(w).evaluation.confusion().sum() == 10000
    w.docks["weights"].raise_()
    qtbot.waitUntil(lambda: w.weights_panel.snapshot is not None, timeout=2000)
    dialog = w.show_neuron(0, 3)
    assert dialog.windowTitle() == "Layer 1, neuron 3"


def test_evaluate_now_and_loaded_model_are_evaluated(make_window, qtbot, small_config, tmp_path):
    w = make_window(small_config)
    w.confusion_panel.evaluate_button.click()
    qtbot.waitUntil(lambda: snap(w).train_evaluation is not None, timeout=5000)
    assert len(snap(w).train_evaluation.actual) == 2000  # the training subset
    path = tmp_path / "m.npz"
    assert w.files.save_model(path)
    w.reset_weights()
    qtbot.waitUntil(lambda: snap(w).evaluation is None, timeout=2000)
    w.open_model(path)
    qtbot.waitUntil(lambda: snap(w).evaluation is not None, timeout=5000)


def test_missing_saved_dataset_falls_back_to_mnist(make_window, settings, tmp_path):
    import json

    gone = str(tmp_path / "deleted-folder")
    settings.setValue("config", json.dumps(preset("3b1b").replace(dataset=gone).to_dict()))
    w = make_window(settings=settings)
    assert snap(w).dataset == "mnist"
    assert w.banner_bar.isVisibleTo(w) and "deleted-folder" in w.banner_text.text()


def test_training_waits_while_the_gui_draws_a_frame(make_window, qtbot, small_config):
    from PySide6.QtWidgets import QWidget

    w = make_window(small_config.replace(epochs=1000))
    worker = w.controller.worker
    depths = []

    class Probe(QWidget):
        def paintEvent(self, event):
            depths.append(worker.turns.depth)

    probe = Probe()
    probe.setFixedSize(12, 12)
    w.statusBar().addWidget(probe)
    w.start_training()
    qtbot.waitUntil(lambda: w.controller.running, timeout=2000)
    with worker.turns.frame(), worker.turns.frame():  # nested frames are fine
        seen = worker.trainer.samples_seen
        qtbot.wait(300)  # the event loop runs, but training waits
        assert worker.trainer.samples_seen - seen <= 10 * snap(w).batch_size
    qtbot.waitUntil(lambda: worker.trainer.samples_seen > seen + 1000, timeout=2000)
    depths.clear()
    probe.update()
    qtbot.waitUntil(lambda: bool(depths), timeout=1000)
    assert depths == [1]  # the window's repaint ran inside a frame (and the test's are over)
    w.stop_training()


def test_stopping_inside_a_frame_does_not_wait_on_itself(qtbot, small_config):
    from digit_descent.gui.controller import TrainingController
    from digit_descent.gui.model import AppModel

    c = TrainingController(AppModel(small_config.replace(epochs=1000)))
    qtbot.waitUntil(lambda: c.snapshot is not None, timeout=15000)
    c.start()
    qtbot.waitUntil(lambda: c.running, timeout=2000)
    with c.worker.turns.frame():  # e.g. Ctrl+C closing the window while a panel draws
        assert c.shutdown(timeout_ms=1000)


def test_a_tiny_data_set_is_evaluated_now_and_then_not_at_every_step(make_window, qtbot):
    """Trask's table ends an epoch at every step: evaluating each one left training at ~16 steps/s."""
    w = make_window(preset("trask").replace(epochs=3000))
    with qtbot.waitSignal(w.controller.targetReached, timeout=60000):
        w.start_training()
    qtbot.waitUntil(lambda: not w.controller.running, timeout=2000)
    reports = snap(w).reports
    assert snap(w).epoch == 3000 and reports[-1].epoch == 3000
    assert len(reports) < 3000 and [r.epoch for r in reports] == sorted({r.epoch for r in reports})


def test_zoom_scales_text_ticks_lines_and_markers_together(make_window, qtbot, small_config,
                                                            settings):
    from digit_descent.gui import style

    w = make_window(small_config)
    cost = w.cost_panel
    axis = cost.plot.getPlotItem().getAxis("left")
    before = (axis.style["tickFont"].pointSizeF(), cost.smooth_curve.opts["pen"].widthF(),
              cost.acc_curve.opts["symbolSize"], w.pad_panel.answer.font().pointSizeF())
    try:
        qtbot.keyClick(w, Qt.Key_Plus, Qt.ControlModifier)
        qtbot.keyClick(w, Qt.Key_Plus, Qt.ControlModifier)
        assert style.zoom() == pytest.approx(1.44)
        after = (axis.style["tickFont"].pointSizeF(), cost.smooth_curve.opts["pen"].widthF(),
                 cost.acc_curve.opts["symbolSize"], w.pad_panel.answer.font().pointSizeF())
        assert after == pytest.approx(tuple(1.44 * v for v in before))
        assert "15.8pt" in cost.legend.styleSheet()  # 11 pt × 1.44
        w.close()
        again = make_window(small_config, settings=settings)  # the zoom is remembered
        assert style.zoom() == pytest.approx(1.44)
        qtbot.keyClick(again, Qt.Key_0, Qt.ControlModifier)
        assert style.zoom() == 1.0
    finally:
        style.set_zoom(1.0)


def test_presenter_view_fills_the_screen_with_the_panels_and_puts_everything_back(
        make_window, qtbot, small_config):
    from digit_descent.gui import style
    from digit_descent.gui.presenter import presenter_zoom

    w = make_window(small_config)

    def layout():
        return {k: (d.isVisible(), w.dockWidgetArea(d), d.isFloating()) for k, d in w.docks.items()}

    before = layout()
    try:
        qtbot.keyClick(w, Qt.Key_F5)
        assert w.presenter.active and w.isFullScreen() and not w.menuBar().isVisible()
        assert style.zoom() == pytest.approx(presenter_zoom(w.screen().geometry().size()))
        qtbot.waitUntil(lambda: all(w.docks[k].isVisible()
                                    for k in ("cost", "weights", "confusion", "pad")), timeout=3000)
        assert not w.docks["controls"].isVisible() and not w.docks["surface"].isVisible()
        assert not w.cost_panel.x_axis.isVisible()  # the panels' controls wait for the mouse
        w.presenter.show_controls(True)
        assert w.cost_panel.x_axis.isVisible()
        qtbot.keyClick(w, Qt.Key_2)
        qtbot.waitUntil(lambda: not w.docks["confusion"].isVisible(), timeout=3000)
        assert w.docks["cost"].isVisible() and w.docks["weights"].isVisible()
        qtbot.keyClick(w, Qt.Key_Escape)
        assert not w.presenter.active and w.menuBar().isVisible() and style.zoom() == 1.0
        assert w.docks["controls"].isVisible() and layout() == before
        assert not w.weights_panel.first.isVisible()  # hidden by its panel before: still hidden
    finally:
        style.set_zoom(1.0)


def test_the_presenter_zoom_follows_the_screen():
    from PySide6.QtCore import QSize

    from digit_descent.gui.presenter import presenter_zoom

    assert presenter_zoom(QSize(1920, 1080)) == 1.5
    assert presenter_zoom(QSize(3840, 2160)) == 3.0
    assert presenter_zoom(QSize(1280, 720)) == 1.0
