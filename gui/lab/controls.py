"""The lab's controls: data, inputs, network shape and training settings.

Every change makes a new :class:`~engine.lab.LabConfig` (signal ``configChanged``); the
window sends it to the lab, which keeps the weights unless the network's shape changed.
"""

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSlider, QSpinBox,
                               QVBoxLayout, QWidget)

from digit_descent.engine.activations import ACTIVATIONS
from digit_descent.engine.lab import LabConfig
from digit_descent.engine.lab.datasets import MAX_CLASSES, MIN_CLASSES, MULTICLASS, REGRESSION
from digit_descent.engine.lab.features import FEATURES
from digit_descent.engine.lab.lab import MAX_HIDDEN, MAX_WIDTH, parse_hidden
from digit_descent.engine.lab.regularization import REG_RATES, REGULARIZATIONS

from .. import style

DATASETS = {"circle": "Circle", "xor": "Exclusive or", "gauss": "Two Gaussians",
            "spiral": "Spiral", "blobs": f"Blobs ({MIN_CLASSES}–{MAX_CLASSES} classes)",
            "arms": f"Spiral arms ({MIN_CLASSES}–{MAX_CLASSES} classes)", "sine": "Curve: sine",
            "bump": "Curve: bump", "step": "Curve: step", "ramp": "Curve: ramp", "plane": "Surface: plane",
            "multigauss": "Surface: multi-Gaussian", "points": "Points read from a file"}
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)  # Playground's


class LabControls(QWidget):
    configChanged = Signal(object)

    def __init__(self, config=LabConfig(), parent=None):
        super().__init__(parent)
        self.config = config
        self._quiet = False
        self.train_button = QPushButton("Train")
        self.step_button = QPushButton("Step")
        self.reset_button = QPushButton("Reset")
        self.undo_button = QPushButton("Undo")
        self.read_button = QPushButton("Read points…")
        self.save_button = QPushButton("Save points…")
        self.train_button.setToolTip("Train or pause (Space)")
        self.step_button.setToolTip("Train one pass over the training points (one epoch)")
        self.reset_button.setToolTip("New random weights")
        self.undo_button.setToolTip("Take back the last typed value or switch (Ctrl+Z)")
        self.read_button.setToolTip("Read a CSV file of x, y, label rows (x and y in −6…6, "
                                    "labels 0–4)")
        self.dataset = QComboBox()
        for key, text in DATASETS.items():
            self.dataset.addItem(text, key)
        self.classes = QSpinBox()
        self.classes.setRange(MIN_CLASSES, MAX_CLASSES)
        self.noise = _slider(0, 50, "noise (%)")
        self.train_percent = _slider(10, 90, "training data (%)")
        self.features = {name: QCheckBox(name) for name in FEATURES}
        self.hidden = QLineEdit()
        self.hidden.setToolTip(f"Neurons of each hidden layer, e.g. 4-2 (up to {MAX_HIDDEN} "
                               f"layers of {MAX_WIDTH}; empty: none)")
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.lr = QComboBox()
        self.batch = QSpinBox()
        self.batch.setRange(1, 30)
        self.regularization = QComboBox()
        self.regularization.addItems(REGULARIZATIONS)
        self.regularization.setToolTip("L1 adds λ·sign(w) to each weight's gradient (pushes "
                                       "weights to exactly 0), L2 adds λ·w (shrinks them); "
                                       "biases are left alone")
        self.reg_rate = QComboBox()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        style.sized_text(self.message, 11, f"color: {style.VERMILION};")
        self._layout()
        self.set_config(config)
        for signal in (self.dataset.currentIndexChanged, self.classes.valueChanged,
                       self.noise.valueChanged, self.train_percent.valueChanged,
                       self.activation.currentIndexChanged, self.lr.currentIndexChanged,
                       self.batch.valueChanged, self.regularization.currentIndexChanged,
                       self.reg_rate.currentIndexChanged,
                       self.hidden.editingFinished):
            signal.connect(self._changed)
        for box in self.features.values():
            box.toggled.connect(self._changed)

    def _layout(self):
        layout = QVBoxLayout(self)
        buttons = QGridLayout()
        for i, b in enumerate((self.train_button, self.step_button, self.reset_button,
                               self.undo_button)):
            style.sized_font(b, 12, bold=i == 0)
            buttons.addWidget(b, i // 2, i % 2)
        layout.addLayout(buttons)
        data = QFormLayout()
        data.addRow("Data", self.dataset)
        data.addRow("Classes", self.classes)
        data.addRow("Noise", self.noise)
        data.addRow("Training", self.train_percent)
        files = QHBoxLayout()
        files.addWidget(self.read_button)
        files.addWidget(self.save_button)
        data.addRow(files)
        layout.addWidget(_group("Data", data))
        grid = QGridLayout()
        for i, box in enumerate(self.features.values()):
            grid.addWidget(box, i // 4, i % 4)
        layout.addWidget(_group("Inputs", grid))
        net = QFormLayout()
        net.addRow("Hidden layers", self.hidden)
        net.addRow("Activation", self.activation)
        layout.addWidget(_group("Network", net))
        train = QFormLayout()
        train.addRow("Learning rate η", self.lr)
        train.addRow("Mini-batch", self.batch)
        train.addRow("Regularisation", self.regularization)
        train.addRow("Rate λ", self.reg_rate)
        layout.addWidget(_group("Training", train))
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_config(self, config):
        """Show ``config`` (without sending it back)."""
        self._quiet = True
        self.config = config
        self.dataset.setCurrentIndex(self.dataset.findData(config.dataset))
        self.classes.setValue(config.classes)
        self.classes.setEnabled(config.dataset in MULTICLASS)
        self.noise.setValue(round(config.noise * 100))
        self.train_percent.setValue(round(config.train_fraction * 100))
        for name, box in self.features.items():
            box.setChecked(name in config.features)
            box.setEnabled(not config.curve or name in ("x", "x²", "sin x"))
        self.hidden.setText("-".join(map(str, config.hidden)))
        self.activation.setCurrentText(config.activation)
        _choose(self.lr, LEARNING_RATES, config.lr)
        self.batch.setValue(config.batch_size)
        self.regularization.setCurrentText(config.regularization)
        _choose(self.reg_rate, REG_RATES, config.reg_rate)
        self.reg_rate.setEnabled(config.regularization != "none")
        self.save_button.setEnabled(not config.regression)
        self.save_button.setToolTip(
            "Points files hold classes (x, y, label rows): a curve's or a surface's values "
            "have no place there" if config.regression else
            "Save the points, training and test, as x, y, label rows (Read points… reads them)")
        self._quiet = False

    def _changed(self):
        if self._quiet:
            return
        dataset = self.dataset.currentData()
        regression = dataset in REGRESSION
        features = tuple(n for n, box in self.features.items() if box.isChecked()
                         and (not regression or n in ("x", "x²", "sin x")))
        if regression and not features:
            features = ("x",)
        wanted = replace(self.config, dataset=dataset, classes=self.classes.value(),
                         noise=self.noise.value() / 100,
                         train_fraction=self.train_percent.value() / 100,
                         features=features or ("x", "y"), activation=self.activation.currentText(),
                         lr=self.lr.currentData(), batch_size=self.batch.value(),
                         regularization=self.regularization.currentText(),
                         reg_rate=self.reg_rate.currentData())
        problem, reverted = "", False
        try:
            wanted = replace(wanted, hidden=parse_hidden(self.hidden.text())).checked()
        except ValueError as exc:
            # a bad hidden-layers entry keeps the last good one: the other changes still count
            problem = str(exc)
            try:
                wanted = wanted.checked()
            except ValueError as other:  # the controls go back to what is trained
                wanted, problem, reverted = self.config, str(other), True
        self.message.setText(problem)
        self.set_config(wanted)
        if not reverted:
            self.configChanged.emit(wanted)


def _slider(low, high, tip):
    s = QSlider(Qt.Horizontal)
    s.setRange(low, high)
    s.setToolTip(tip)
    return s


def _group(title, layout):
    box = QGroupBox(title)
    box.setLayout(layout)
    return box


def _choose(combo, values, value):
    """Offer ``values`` and ``value`` (one given on the command line may lie between them) in
    ``combo``, each as its item's data, and select ``value``."""
    offered = sorted(set(values) | {value})
    if [combo.itemData(i) for i in range(combo.count())] != offered:
        combo.clear()
        for v in offered:
            combo.addItem(f"{v:g}", v)
    combo.setCurrentIndex(offered.index(value))
