"""Training controls: preset, data, architecture and hyper-parameters."""

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QSlider, QSpinBox, QVBoxLayout)

from digit_descent.engine import PRESETS, TrainConfig, parse_layers
from digit_descent.engine.data import NAMES as DATASET_NAMES
from digit_descent.engine.settings_spec import SPEC

from ..widgets import LR_MAX, LR_MIN, LearningRateBox
from .base import Panel

LR_TICKS_PER_DECADE = 100
SPEED_MAX = 30  # slider position meaning "flat out"


def speed_from_slider(position):
    """Slider position → mini-batches per second (1 … ~800), or None for flat out."""
    return None if position >= SPEED_MAX else round(10 ** (position / 10), 1)


def speed_label(position):
    steps = speed_from_slider(position)
    if steps is None:
        return "flat out"
    return f"{steps:g} step/s" if steps == 1 else f"{steps:g} steps/s"


class ControlsPanel(Panel):
    """Edits a :class:`TrainConfig`.

    Changes that need a new network (preset, data, layers, activation, cost,
    optimizer, seed, shuffled labels) emit ``configEdited(TrainConfig)``;
    learning rate, batch size, epochs and speed apply live through their own
    signals.
    """

    key = "controls"
    area = "left"
    title = "Training"
    help = ("Choose a preset from the lectures or set up your own network: the layer sizes "
            "(input first), the activation of the hidden layers, the cost, the optimizer and "
            "its learning rate η, and how many images make one mini-batch. The learning rate, "
            "batch size and speed change live; the rest builds a new network.")

    configEdited = Signal(object)
    lrChanged = Signal(float)
    batchSizeChanged = Signal(int)
    epochsChanged = Signal(int)
    speedChanged = Signal(object)

    def __init__(self, config=TrainConfig(), parent=None):
        super().__init__(parent)
        self._config = config
        self._build()
        self.set_config(config)

    def _build(self):
        self.preset = QComboBox()
        self.preset.addItem("(custom)")
        for name, (description, _) in PRESETS.items():
            self.preset.addItem(name)
            self.preset.setItemData(self.preset.count() - 1, description, Qt.ToolTipRole)
        self.dataset = QComboBox()
        self.dataset.addItems(DATASET_NAMES)
        self.dataset.setToolTip("mnist: the embedded digits; fashion: Fashion-MNIST; "
                                "trask / xor: the lectures' toy tables")
        self.layers = QLineEdit()
        self.layers.setToolTip("Layer sizes, input first, e.g. 784-16-16-10 (Enter to apply)")
        self.layers_error = QLabel()
        self.layers_error.setStyleSheet("color: #D55E00")
        self.layers_error.setWordWrap(True)
        self.layers_error.hide()
        self.activation = QComboBox()
        self.activation.addItems(list(SPEC["activation"].choices))
        self.cost = QComboBox()
        self.cost.addItems(list(SPEC["cost"].choices))
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(SPEC["optimizer"].choices))

        self.lr_slider = QSlider(Qt.Horizontal)
        self.lr_slider.setRange(round(math.log10(LR_MIN) * LR_TICKS_PER_DECADE),
                                round(math.log10(LR_MAX) * LR_TICKS_PER_DECADE))
        self.lr_slider.setToolTip("Learning rate η (log scale): the size of each downhill step")
        self.lr_slider.setMinimumWidth(80)  # still a slider in a narrow column
        self.lr_spin = LearningRateBox()
        self.lr_spin.setKeyboardTracking(False)
        lr_row = QHBoxLayout()
        lr_row.addWidget(self.lr_slider, 1)
        lr_row.addWidget(self.lr_spin)

        self.batch_size = QSpinBox()
        self.batch_size.setRange(SPEC["batch_size"].low, SPEC["batch_size"].high)
        self.batch_size.setKeyboardTracking(False)
        self.batch_size.setToolTip("Images per mini-batch (one gradient step)")
        self.epochs = QSpinBox()
        self.epochs.setRange(SPEC["epochs"].low, SPEC["epochs"].high)
        self.epochs.setKeyboardTracking(False)
        self.epochs.setToolTip("Training pauses after this many epochs")
        self.seed = QSpinBox()
        self.seed.setRange(SPEC["seed"].low, SPEC["seed"].high)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("Seed of the random initial weights and shuffling")
        self.shuffle_labels = QCheckBox("shuffled labels")
        self.shuffle_labels.setToolTip("Train on randomly permuted labels: the network can only memorise")

        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, SPEED_MAX)
        self.speed.setValue(SPEED_MAX)
        self.speed.setToolTip("From one mini-batch per second (to watch single steps) to flat out")
        self.speed.setMinimumWidth(80)
        self.speed_text = QLabel(speed_label(SPEED_MAX))
        self.speed_text.setMinimumWidth(90)
        speed_row = QHBoxLayout()
        speed_row.addWidget(self.speed, 1)
        speed_row.addWidget(self.speed_text)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Preset", self.preset)
        form.addRow("Data", self.dataset)
        form.addRow("Layers", self.layers)
        form.addRow("", self.layers_error)
        form.addRow("Activation", self.activation)
        form.addRow("Cost", self.cost)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", lr_row)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Epochs", self.epochs)
        form.addRow("Seed", self.seed)
        form.addRow("", self.shuffle_labels)
        form.addRow("Speed", speed_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

        self.preset.activated.connect(self._on_preset)
        for combo in (self.dataset, self.activation, self.cost, self.optimizer):
            combo.activated.connect(self._on_structure_edited)
        self.layers.editingFinished.connect(self._on_structure_edited)
        self.seed.valueChanged.connect(self._on_structure_edited)
        self.shuffle_labels.toggled.connect(self._on_structure_edited)
        self.lr_slider.valueChanged.connect(self._on_lr_slider)
        self.lr_spin.valueChanged.connect(self._on_lr_spin)
        self.batch_size.valueChanged.connect(self._on_batch_size)
        self.epochs.valueChanged.connect(self._on_epochs)
        self.speed.valueChanged.connect(self._on_speed)

    # ------------------------------------------------------------ state
    @property
    def config(self):
        return self._config

    def set_config(self, config):
        """Show ``config`` in the widgets without emitting anything."""
        self._config = config
        widgets = (self.preset, self.dataset, self.layers, self.activation, self.cost,
                   self.optimizer, self.lr_slider, self.lr_spin, self.batch_size, self.epochs,
                   self.seed, self.shuffle_labels)
        for w in widgets:
            w.blockSignals(True)
        try:
            self.preset.setCurrentText(preset_of(config))
            if self.dataset.findText(config.dataset) < 0:
                self.dataset.addItem(config.dataset)
            self.dataset.setCurrentText(config.dataset)
            self.layers.setText("-".join(map(str, config.layers)))
            self.layers_error.hide()
            self.activation.setCurrentText(config.activation)
            self.cost.setCurrentText(config.cost)
            self.optimizer.setCurrentText(config.optimizer)
            self._show_lr(config.lr)
            self.batch_size.setValue(config.batch_size)
            self.epochs.setValue(config.epochs)
            self.seed.setValue(config.seed)
            self.shuffle_labels.setChecked(config.shuffle_labels)
        finally:
            for w in widgets:
                w.blockSignals(False)

    def _show_lr(self, lr):
        self.lr_spin.blockSignals(True)
        self.lr_slider.blockSignals(True)
        self.lr_spin.setValue(lr)
        self.lr_slider.setValue(round(math.log10(max(lr, LR_MIN)) * LR_TICKS_PER_DECADE))
        self.lr_spin.blockSignals(False)
        self.lr_slider.blockSignals(False)

    # ---------------------------------------------------------- editing
    def _on_preset(self, _index):
        name = self.preset.currentText()
        if name in PRESETS:
            self.configEdited.emit(PRESETS[name][1])

    def _on_structure_edited(self, *_):
        try:
            layers = parse_layers(self.layers.text())
        except ValueError as exc:
            self.layers_error.setText(str(exc))
            self.layers_error.show()
            return
        self.layers_error.hide()
        config = self._config.replace(
            dataset=self.dataset.currentText(), layers=layers,
            activation=self.activation.currentText(), cost=self.cost.currentText(),
            optimizer=self.optimizer.currentText(), seed=self.seed.value(),
            shuffle_labels=self.shuffle_labels.isChecked())
        if config != self._config:
            self.configEdited.emit(config)

    def _on_lr_slider(self, position):
        lr = float(f"{10 ** (position / LR_TICKS_PER_DECADE):.3g}")
        self._show_lr(lr)
        self._set_live(lr=lr)
        self.lrChanged.emit(lr)

    def _on_lr_spin(self, lr):
        self._show_lr(lr)
        self._set_live(lr=lr)
        self.lrChanged.emit(lr)

    def _on_batch_size(self, value):
        self._set_live(batch_size=value)
        self.batchSizeChanged.emit(value)

    def _on_epochs(self, value):
        self._set_live(epochs=value)
        self.epochsChanged.emit(value)

    def _on_speed(self, position):
        self.speed_text.setText(speed_label(position))
        self.speedChanged.emit(speed_from_slider(position))

    def save_settings(self, write):
        write("speed", self.speed.value())

    def restore_settings(self, read):
        self.speed.setValue(read("speed", int, self.speed.value(),
                                 lambda v: self.speed.minimum() <= v <= self.speed.maximum()))

    def _set_live(self, **changes):
        self._config = self._config.replace(**changes)
        self.preset.blockSignals(True)
        self.preset.setCurrentText(preset_of(self._config))
        self.preset.blockSignals(False)


def preset_of(config):
    """The name of the preset ``config`` is, "(custom)" if none: how long it trains (the
    epochs) does not make a preset another."""
    match = [name for name, (_, cfg) in PRESETS.items()
             if cfg.replace(epochs=config.epochs) == config]
    return match[0] if match else "(custom)"
