"""How the network decides: every layer's activations for the pad's drawing, 3Blue1Brown style."""

import math
from contextlib import nullcontext

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import (QComboBox, QDialog, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout)

from digit_descent.engine.data import one_hot
from digit_descent.engine.inspection import descend

from .. import style
from ..display import grid_shape
from ..widgets import LearningRateBox
from .base import Panel
from .reader import LIVE, SOURCES, NetworkChoice

MAX_CIRCLES = 40  # wider layers are drawn as a strip of squares
COLUMN_GAP = 34
LINES = 60  # strongest connections drawn per pair of layers
OUTPUT_LABEL_WIDTH = 12  # room right of the output neurons for "name  0.98"
OUTPUT_FONT_PT = 12  # not zoomed: the neurons it names do not grow either
MAX_SPREAD = 4.0  # a narrow, tall panel spreads the columns up to this much higher (the
#                   output labels overlapped in a third of a 1280-px screen)
DELTA_TIP = ("δ (delta, δ = ∂C/∂z): how much the cost changes when this neuron's weighted input z "
             "changes a little. Large: this neuron is much to blame for the error; the sign says "
             "which way z should move (against δ) to lower the cost.")
NO_DRAWING = "Draw a digit on the pad (or pick a test image there) to see the network read it."


def _output_font():
    font = QFont()
    font.setPointSize(OUTPUT_FONT_PT)
    return font


def _name(names, index):
    return names[index] if index < len(names) else str(index)


class ActivationsPanel(Panel):
    """Columns of neurons lit by their activation; lines for the strongest contributions."""

    key = "activations"
    title = "Activations"
    help = ("The network reading the pad's drawing: the 28×28 input, then each layer as a column "
            "of neurons, white when active and black when not, the outputs named. Lines show the "
            "strongest contributions (weight × activation) into the next layer: orange pushes it "
            "up, blue down. It shows the network being trained, or the pretrained one. Hover a "
            "neuron for its value. 'Backpropagation…' steps through one gradient step for this "
            "drawing and the label you choose, and can apply it.")
    redraw_interval_s = 0.2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.reader = NetworkChoice()
        self._framed = None  # (layer sizes, right, spread) the view was last fitted to
        self.network = None
        self.x = None
        self.view = pg.GraphicsLayoutWidget()
        self.box = self.view.addViewBox()
        self.box.setAspectLocked(True)
        self.box.invertY(True)
        self.box.setMenuEnabled(False)
        self.input_image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.input_image)
        self.lines_up = style.sized_pen(pg.PlotCurveItem(connect="pairs"), style.POSITIVE, 1.2,
                                        alpha=150)
        self.lines_down = style.sized_pen(pg.PlotCurveItem(connect="pairs"), style.NEGATIVE, 1.2,
                                          alpha=150)
        self.box.addItem(self.lines_up)
        self.box.addItem(self.lines_down)
        self.neurons = pg.ScatterPlotItem(pen=pg.mkPen(style.GREY), pxMode=False, hoverable=True,
                                          tip=lambda x, y, data: data)
        self.box.addItem(self.neurons)
        self.labels = []
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.source.setToolTip("Which network reads the pad's drawing")
        self.source.currentIndexChanged.connect(self.redraw)
        self.message = QLabel(NO_DRAWING)
        style.sized_text(self.message, 13)
        self.message.setWordWrap(True)
        self.backprop_button = QPushButton("Backpropagation…")
        self.backprop_button.setEnabled(False)
        self.backprop_button.clicked.connect(self.open_backprop)
        row = QHBoxLayout()
        row.addWidget(self.source)
        row.addStretch(1)
        row.addWidget(self.backprop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.message)  # a line of its own: beside the row it was three
        layout.addWidget(self.view, 1)

    def picture(self):
        """The plot to export (no controls)."""
        return nullcontext(self.view.ci)

    def presenter_hides(self):
        return [self.source, self.backprop_button]

    def show_snapshot(self, snapshot):
        self.reader.snapshot = snapshot
        if self.source.currentIndex() == LIVE:
            self.redraw()

    def show_input(self, x):
        """Read the 784 inputs ``x`` (the pad's drawing; zeros or None: nothing drawn)."""
        self.x = None if x is None else np.asarray(x, np.float32).reshape(-1)
        if self.isVisible():  # a hidden panel draws when it is shown
            self.redraw()

    def showEvent(self, event):
        super().showEvent(event)
        self.redraw()

    def redraw(self, *_):
        net, reason = self.reader.network(self.source.currentIndex())
        x = self.x
        drawn = x is not None and x.size == 784 and bool(x.any())
        self.network = net
        self.backprop_button.setEnabled(net is not None and drawn)
        if net is None or not drawn:
            self._clear()
            self.message.setText(reason or NO_DRAWING)
            return
        trace = net.trace(x.reshape(1, -1), np.zeros((1, net.sizes[-1])))
        acts = [a[0] for a in trace.activations]
        self.input_image.setImage(1 - acts[0].reshape(28, 28), autoLevels=False, levels=(0, 1))
        names = self.reader.class_names(self.source.currentIndex())
        right, spread = self._frame(net, names)
        positions, spots = self._layout(net, acts, spread)
        self.input_image.setRect(0, 14 * (spread - 1), 28, 28)
        self.neurons.setData(spots=spots)
        self._draw_lines(net, acts, positions)
        if (net.sizes, right, spread) != self._framed:  # frame a new network (or a resized
            self._framed = (net.sizes, right, spread)  # view) once; the user may zoom after
            self.box.setRange(xRange=(0, right), yRange=(0, 28 * spread), padding=0.03)
        self._label_outputs(positions[-1], acts[-1], names)
        best = int(np.argmax(acts[-1]))
        self.message.setText(f"answer {_name(names, best)}: output {acts[-1][best]:.2f}")

    def _frame(self, network, names):
        """``(right, spread)``: the drawing's width in the view's units (the input image is
        28 wide), with room for the output labels' pixels at the view's width; and how much
        higher than 28 units its columns of neurons are spread: as much as the view is taller
        than the drawing (1 to MAX_SPREAD, in quarter steps)."""
        right = 28
        for n in network.sizes[1:]:
            rows, cols = grid_shape(n)
            right += COLUMN_GAP + (cols * 28 / rows if n > MAX_CIRCLES else 0)
        width, height = self.view.width(), self.view.height()
        if network.sizes[-1] > MAX_CIRCLES:
            right += 2
        else:  # the labels' width in pixels, whatever the scale: the rest for the drawing
            metrics = QFontMetricsF(_output_font())
            label = 8 + max(metrics.horizontalAdvance(f"{_name(names, i)}  0.00")
                            for i in range(network.sizes[-1]))
            right = (right + 1.6) * width / (width - label) if width > 2 * label \
                else right + OUTPUT_LABEL_WIDTH
        if width <= 0 or height <= 0:
            return round(right, 1), 1.0
        fitting = right * height / width / 28
        return round(right, 1), float(np.clip(np.floor(fitting * 4) / 4, 1.0, MAX_SPREAD))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.network is not None and self._framed is not None and self._framed[1:] != \
                self._frame(self.network, self.reader.class_names(self.source.currentIndex())):
            self.redraw()

    def _clear(self):
        self.neurons.clear()
        self.input_image.clear()
        for item in (self.lines_up, self.lines_down):
            item.setData([], [])
        self._label_outputs(np.zeros((0, 2)), [], ())

    def _label_outputs(self, positions, outputs, names):
        """Each output neuron's class name and value, beside it (a narrow output layer only)."""
        for label in self.labels:
            self.box.removeItem(label)
        self.labels = []
        if len(outputs) > MAX_CIRCLES:
            return
        for i, ((x, y), value) in enumerate(zip(positions, outputs)):
            label = pg.TextItem(f"{_name(names, i)}  {value:.2f}", color=style.INK,
                                anchor=(0, 0.5))
            label.setFont(_output_font())
            label.setPos(x + 1.6, y)
            self.box.addItem(label)
            self.labels.append(label)

    def _layout(self, network, acts, spread=1.0):
        """Neuron centres per layer (input pixels for layer 0) and the scatter spots.

        Up to MAX_CIRCLES neurons stand in a column of circles, ``spread`` times as far apart
        as in a 28-unit-high column (circles no larger); a wider layer is a square grid of
        small squares, 28 units tall like the input image, centred in the 28 × ``spread``
        units.
        """
        middle = 14 * spread
        positions = [np.stack(np.divmod(np.arange(784), 28)[::-1], axis=1)
                     + [0.5, 0.5 + middle - 14]]  # (x, y)
        spots = []
        x0 = 28
        for l, a in enumerate(acts[1:], start=1):
            n = len(a)
            x0 += COLUMN_GAP
            if n <= MAX_CIRCLES:
                step = min(2.6, 34 / n)
                ys = middle + (np.arange(n) - (n - 1) / 2) * step * spread
                pos = np.stack([np.full(n, x0), ys], axis=1)
                size, symbol = 0.85 * step * min(spread, 1.5), "o"
            else:
                rows, cols = grid_shape(n)
                cell = 28 / rows
                r, c = np.divmod(np.arange(n), cols)
                pos = np.stack([x0 + (c + 0.5) * cell, (r + 0.5) * cell + middle - 14], axis=1)
                size, symbol = 0.9 * cell, "s"
                x0 += cols * cell
            positions.append(pos)
            kind = "output" if l == len(acts) - 1 else f"layer {l}"
            for i in range(n):
                level = int(255 * float(np.clip(a[i], 0, 1)))
                spots.append({"pos": pos[i], "size": size, "symbol": symbol,
                              "brush": pg.mkBrush(level, level, level),
                              "data": f"{kind}, neuron {i}: activation {a[i]:.3f}"})
        return positions, spots

    def _draw_lines(self, network, acts, positions):
        ups, downs = [], []
        for l, w in enumerate(network.weights):
            contribution = w * acts[l][None, :]  # (n_out, n_in)
            flat = np.abs(contribution).ravel()
            count = min(LINES, flat.size)
            top = np.argpartition(-flat, count - 1)[:count]
            j, i = np.divmod(top, w.shape[1])
            for jj, ii in zip(j, i):
                if contribution[jj, ii] == 0:
                    continue
                segment = [positions[l][ii], positions[l + 1][jj]]
                (ups if contribution[jj, ii] > 0 else downs).extend(segment)
        for item, points in ((self.lines_up, ups), (self.lines_down, downs)):
            pts = np.array(points) if points else np.zeros((0, 2))
            item.setData(pts[:, 0], pts[:, 1])

    def open_backprop(self, label=None):
        """The backpropagation view of the drawing; ``label``: the right answer, if known
        (else the network's own answer)."""
        snap = self.reader.snapshot
        lr = snap.lr if snap is not None and self.source.currentIndex() == LIVE else 0.1
        names = self.reader.class_names(self.source.currentIndex())
        dialog = BackpropDialog(self.network, self.x, lr, names, self, label)
        self.present(dialog)
        return dialog


class BackpropDialog(QDialog):
    """One step of gradient descent on one image, made visible: each layer's δ, the change it
    asks of a neuron's weights, and — once applied — how the outputs moved.

    The step is applied to a copy of the network: training is never touched.
    """

    def __init__(self, network, x, lr, class_names, parent=None, label=None):
        super().__init__(parent)
        self.setWindowTitle("One step of backpropagation")
        self.resize(980, 680)
        self.original, self.network, self.x = network, network.copy(), x
        self.names = tuple(class_names)
        self.steps = 0
        self.label = QComboBox()
        self.label.addItems([f"correct label: {_name(self.names, i)}"
                             for i in range(network.sizes[-1])])
        self.neuron = QSpinBox()
        self.neuron.setRange(0, network.sizes[1] - 1)
        self.neuron.setPrefix("first-layer neuron: ")
        self.lr = LearningRateBox()
        self.lr.setPrefix("η ")
        self.lr.setValue(lr)
        self.lr.setToolTip("The learning rate of the step (the training's η to begin with)")
        self.apply_button = QPushButton("Apply step")
        self.apply_button.setToolTip("w ← w − η ∂C/∂w for this one image (on a copy of the network)")
        self.undo_button = QPushButton("Back to the start")
        self.summary = QLabel()
        style.sized_text(self.summary, 13)
        self.summary.setWordWrap(True)
        self.summary.setToolTip(DELTA_TIP)
        self.view = pg.GraphicsLayoutWidget()
        self.view.viewport().installEventFilter(self)
        style.keep(self.view, lambda view: view.setMinimumWidth(0))  # anew at each zoom
        controls = QGridLayout()  # two rows: the column beside the panels may be narrow
        for i, w in enumerate((self.label, self.neuron, self.lr, self.apply_button,
                               self.undo_button)):
            controls.addWidget(w, i // 3, i % 3)
        controls.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        if label is None:  # unknown: the network's own answer
            label = int(np.argmax(network.forward(x.reshape(1, -1))[0]))
        self.label.setCurrentIndex(label)
        self.first_output = self.outputs()
        self.label.currentIndexChanged.connect(self.update_view)
        self.neuron.valueChanged.connect(self.update_view)
        self.lr.valueChanged.connect(self.update_view)
        self.apply_button.clicked.connect(self.apply_step)
        self.undo_button.clicked.connect(self.back_to_start)
        self.update_view()

    def eventFilter(self, obj, event):
        """After each paint (the axes widen to their tick labels as they are drawn): the plots
        never narrower than their titles and axes need, in a narrow column (nor wider, after
        a zoom back)."""
        if event.type() == QEvent.Paint:
            least = math.ceil(self.view.ci.effectiveSizeHint(Qt.MinimumSize).width())
            if least != self.view.minimumWidth():
                QTimer.singleShot(0, lambda: self.view.setMinimumWidth(least))
        return False

    def outputs(self):
        return self.network.forward(self.x.reshape(1, -1))[0]

    def _target(self):
        label, k = self.label.currentIndex(), self.network.sizes[-1]
        return one_hot([label], k) if k > 1 else np.array([[label]])

    def _trace(self):
        return self.network.trace(self.x.reshape(1, -1), self._target())

    def apply_step(self):
        """Gradient descent on this one image: w ← w − η ∂C/∂w, b ← b − η ∂C/∂b."""
        descend(self.network, self.x, self._target(), self.lr.value())
        self.steps += 1
        self.update_view()

    def back_to_start(self):
        self.network.params[...] = self.original.params
        self.steps = 0
        self.update_view()

    def update_view(self):
        trace = self._trace()
        label, lr = self.label.currentIndex(), self.lr.value()
        self.view.clear()
        for l, delta in enumerate(trace.deltas):
            plot = self.view.addPlot(row=0, col=l)
            d = delta[0]
            colours = style.sign_colours(d)
            plot.addItem(pg.BarGraphItem(x=np.arange(len(d)), height=d, width=0.7,
                                         brushes=colours, pens=colours))
            name = "output" if l == len(trace.deltas) - 1 else f"layer {l + 1}"
            plot.setTitle(f"δ, {name}")  # short: the column may be narrow
            plot.setToolTip(DELTA_TIP)
            style.sized_label(plot.titleLabel, 11)
        neuron = self.neuron.value()
        change = -lr * trace.dW[0][neuron]
        box = self.view.addViewBox(row=1, col=0)
        box.setAspectLocked(True)
        box.invertY(True)
        limit = float(np.abs(change).max()) or 1.0
        shape = (28, 28) if change.size == 784 else (1, change.size)
        image = pg.ImageItem(change.reshape(shape).astype(np.float32), axisOrder="row-major")
        image.setLookupTable(style.diverging_colormap().getLookupTable(nPts=256))
        image.setLevels((-limit, limit))
        box.addItem(image)
        outputs = self.outputs()
        bars = self.view.addPlot(row=1, col=1, colspan=max(1, len(trace.deltas) - 1))
        k = len(outputs)
        bars.addItem(pg.BarGraphItem(x=np.arange(k) - 0.2, height=self.first_output, width=0.4,
                                     brush=style.faint(style.GREY, 120), pen=None))
        colours = [style.GREEN if i == label else style.SKY for i in range(k)]
        bars.addItem(pg.BarGraphItem(x=np.arange(k) + 0.2, height=outputs, width=0.4,
                                     brushes=colours, pens=colours))
        bars.getAxis("bottom").setTicks([[(i, _name(self.names, i)) for i in range(k)]])
        bars.setYRange(0, 1)
        bars.setTitle("outputs: grey before, coloured now")  # short: the column may be narrow
        style.sized_label(bars.titleLabel, 11)
        before, now = self.first_output[label], outputs[label]
        moved = (f" After {self.steps} step{'s' if self.steps != 1 else ''}, output "
                 f"{_name(self.names, label)} went from {before:.3f} to {now:.3f}."
                 if self.steps else " Press Apply step to take it and watch the outputs move.")
        self.summary.setText(
            f"Cost for label {_name(self.names, label)}: {trace.cost:.4f}. Bars: each layer's "
            f"error δ = ∂C/∂z (the chain rule carries it backwards from the output). Image: the "
            f"change −η·∂C/∂w (η = {lr:g}) this single example asks of neuron {neuron}'s "
            f"incoming weights (yellow: increase, blue: decrease; ±{limit:.3g})." + moved)
