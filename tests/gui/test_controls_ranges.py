"""The training controls take their ranges and choices from the parameter specification."""

import pytest

from digit_descent.engine import TrainConfig
from digit_descent.engine.settings_spec import SPEC
from digit_descent.gui.panels.controls import LR_TICKS_PER_DECADE, ControlsPanel


@pytest.fixture
def panel(qtbot):
    panel = ControlsPanel()
    qtbot.addWidget(panel)
    return panel


def test_the_boxes_hold_exactly_the_spec_ranges(panel):
    for name in ("batch_size", "epochs", "seed"):
        box = getattr(panel, name)
        assert (box.minimum(), box.maximum()) == (SPEC[name].low, SPEC[name].high), name
    assert (panel.lr_spin.minimum(), panel.lr_spin.maximum()) == (SPEC["lr"].low, SPEC["lr"].high)
    assert panel.lr_slider.minimum() == -6 * LR_TICKS_PER_DECADE
    assert panel.lr_slider.maximum() == 4 * LR_TICKS_PER_DECADE
    for name in ("activation", "cost", "optimizer"):
        combo = getattr(panel, name)
        assert tuple(combo.itemText(i) for i in range(combo.count())) == SPEC[name].choices


def test_the_extremes_of_the_spec_are_shown_as_they_are(panel, qtbot):
    high = TrainConfig(lr=SPEC["lr"].high, batch_size=SPEC["batch_size"].high,
                       epochs=SPEC["epochs"].high, seed=SPEC["seed"].high)
    panel.set_config(high)
    assert (panel.lr_spin.value(), panel.batch_size.value(), panel.epochs.value(),
            panel.seed.value()) == (1e4, 60_000, 1_000_000, 2**31 - 1)
    with qtbot.waitSignal(panel.lrChanged) as changed:
        panel.lr_slider.setValue(panel.lr_slider.minimum())
    assert changed.args == [SPEC["lr"].low] and panel.lr_spin.value() == SPEC["lr"].low
    assert panel.config.lr == SPEC["lr"].low


def test_the_learning_rate_is_written_as_people_write_it(panel, qtbot):
    """η 1 reads "1", not "1.000000"; the smallest η is still exact; a typed value is taken."""
    shown = {}
    for lr in (1.0, 0.003, 1e-6, 2.5, 10_000.0):
        panel.set_config(TrainConfig(lr=lr))
        shown[lr] = panel.lr_spin.text()
    assert shown == {1.0: "1", 0.003: "0.003", 1e-6: "0.000001", 2.5: "2.5",
                     10_000.0: "10000"}
    panel.lr_spin.lineEdit().selectAll()
    with qtbot.waitSignal(panel.lrChanged) as changed:
        qtbot.keyClicks(panel.lr_spin, "0.05")
        qtbot.keyClick(panel.lr_spin, "\r")
    assert changed.args == [0.05] and panel.config.lr == 0.05


def test_changing_only_the_epochs_keeps_the_preset(panel):
    """The box turned "(custom)" when only how long to train changed."""
    from digit_descent.engine import preset

    panel.set_config(preset("3b1b").replace(epochs=7))
    assert panel.preset.currentText() == "3b1b"
    panel.epochs.setValue(12)  # the live epoch target, as the user types it
    assert panel.preset.currentText() == "3b1b"
    panel.set_config(preset("3b1b").replace(lr=0.123))
    assert panel.preset.currentText() == "(custom)"
