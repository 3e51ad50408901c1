"""The application model, the run number the training thread echoes, the action table and
the versioned panel settings."""

import numpy as np
import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolBar

from digit_descent.engine import preset
from digit_descent.gui.actions import ACTIONS, Action, key_list
from digit_descent.gui.model import AppModel


def test_live_settings_emit_once_per_real_change(qtbot):
    model = AppModel(preset("3b1b"))
    live, configs = [], []
    model.liveChanged.connect(lambda name, value: live.append((name, value)))
    model.configChanged.connect(configs.append)
    model.set_live(lr=0.5, batch_size=10)  # batch size 10 is the preset's: no change
    assert live == [("lr", 0.5)] and len(configs) == 1 and model.config.lr == 0.5
    model.set_live(lr=0.5)
    assert len(configs) == 1  # the same value again: nothing emitted
    with pytest.raises(ValueError, match="layers"):
        model.set_live(layers=(784, 10))  # a new shape is a new run, not a live change


def test_a_new_run_gets_the_next_number_and_keeps_the_live_settings_on_adopt(qtbot):
    model = AppModel(preset("3b1b"))
    runs = []
    model.runChanged.connect(runs.append)
    assert model.begin_run(preset("nielsen")) == 1 and model.begin_run() == 2
    assert runs == [1, 2] and model.config == preset("nielsen")
    model.set_live(lr=0.25)
    model.adopt(preset("3b1b"))  # the thread refused nielsen: it runs 3b1b, at the live η
    assert model.config.layers == preset("3b1b").layers and model.config.lr == 0.25


def test_snapshots_of_an_older_run_are_never_shown(make_window, qtbot, small_config):
    w = make_window(small_config)
    shown = w.controller.snapshot
    assert shown.run == w.model.run
    w.model.begin_run()  # as if the command beginning a new run had not arrived yet
    w.controller.step()
    qtbot.waitUntil(lambda: w.controller.worker.latest.snapshot.step == shown.step + 1,
                    timeout=10000)
    w.controller.poll()
    assert w.controller.snapshot is shown
    w.controller.reset()
    qtbot.waitUntil(lambda: w.controller.snapshot.run == w.model.run, timeout=10000)
    assert w.controller.snapshot.step == 0


def test_the_controls_and_the_model_follow_each_other(make_window, small_config):
    w = make_window(small_config)
    w.controls.lr_spin.setValue(0.3)
    assert w.model.config.lr == 0.3 and w.controller.config.lr == 0.3
    w.model.set_live(epochs=7)
    assert w.controls.epochs.value() == 7


def test_every_key_is_in_the_help_once():
    actions = [a for a in ACTIONS if isinstance(a, Action)]
    keys = [QKeySequence(k).toString() for a in actions for k in a.shortcuts]
    assert len(keys) == len(set(keys)), "a shortcut bound twice"
    unlisted = {a.name for a in actions if a.shortcuts and not a.help}
    assert unlisted == {f"{kind}{n}" for kind in ("arrangement", "keep_arrangement")
                        for n in (2, 3, 4)}  # listed with the first of their family
    texts = [text for _, text in key_list()]
    assert len(texts) == sum(1 for a in actions if a.help)


def test_menus_and_toolbar_come_from_the_table(make_window):
    w = make_window(preset("3b1b"))
    menus = {a.text().replace("&", ""): a.menu() for a in w.menuBar().actions()}
    for row in (a for a in ACTIONS if isinstance(a, Action) and a.menu):
        action = w.commands[row.name]
        assert action in menus[row.menu].actions(), row.name
        assert [s.toString() for s in action.shortcuts()] == [
            QKeySequence(s).toString() for s in row.shortcuts]
    toolbar = w.findChild(QToolBar, "toolbar-training")
    assert [a.text() for a in toolbar.actions()] == ["Train", "Step", "Epoch", "Reset"]


def test_panel_settings_of_another_version_are_not_read(make_window, settings, monkeypatch):
    w = make_window(preset("3b1b"))
    w.cost_panel.log_scale.setChecked(True)
    w.save_settings()
    assert make_window(preset("3b1b")).cost_panel.log_scale.isChecked()
    monkeypatch.setattr(type(w.cost_panel), "settings_version", 2)
    again = make_window(preset("3b1b"))
    assert not again.cost_panel.log_scale.isChecked()
    assert "Cost" in again.banner_text.text() and "another version" in again.banner_text.text()


def test_the_panels_links_go_through_the_model(make_window, qtbot, monkeypatch):
    w = make_window(preset("3b1b"))
    image = w.controller.snapshot.test_set.x[0].reshape(28, 28)
    w.confusion_panel.imageChosen.emit(image, 7)  # a thumbnail clicked
    assert w.docks["pad"].isVisible()
    np.testing.assert_array_equal(w.model.input[0], image.reshape(-1))  # the pad's reading
    np.testing.assert_array_equal(w.activations_panel.x, image.reshape(-1))
    w.confusion_panel.imageChosen.emit(np.zeros((32, 32)), 1)  # not for the pad: said so
    assert "28×28" in w.statusBar().currentMessage()
    np.testing.assert_array_equal(w.model.input[0], image.reshape(-1))
    opened = []
    monkeypatch.setattr(w, "show_neuron", lambda layer, neuron: opened.append((layer, neuron)))
    w.weights_panel.neuronClicked.emit(0, 3)
    assert w.model.neuron == (0, 3) and opened == [(0, 3)]
