"""How the network decides: every layer's activations for the pad's drawing, 3Blue1Brown style."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from engine.data import one_hot
from engine.inspection import grid_shape

from .. import style
from .weights import diverging_colormap

MAX_CIRCLES = 40  # wider layers are drawn as a strip of squares
COLUMN_GAP = 34
LINES = 60  # strongest connections drawn per pair of layers


class ActivationsPanel(QWidget):
    """Columns of neurons lit by their activation; lines for the strongest contributions."""

    title = "Activations"
    help = ("The network reading the pad's drawing: the 28×28 input, then each layer as a column "
            "of neurons, white when active and black when not. Lines show the strongest "
            "contributions (weight × activation) into the next layer: blue pushes it up, orange "
            "down. Hover a neuron for its value. 'Backpropagation…' steps through one gradient "
            "step for this drawing and the label you choose.")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network = None
        self.x = None
        self.view = pg.GraphicsLayoutWidget()
        self.box = self.view.addViewBox()
        self.box.setAspectLocked(True)
        self.box.invertY(True)
        self.box.setMenuEnabled(False)
        self.input_image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.input_image)
        self.lines_up = pg.PlotCurveItem(pen=style.pen(style.BLUE, 1.2, alpha=150), connect="pairs")
        self.lines_down = pg.PlotCurveItem(pen=style.pen(style.ORANGE, 1.2, alpha=150),
                                           connect="pairs")
        self.box.addItem(self.lines_up)
        self.box.addItem(self.lines_down)
        self.neurons = pg.ScatterPlotItem(pen=pg.mkPen(style.GREY), pxMode=False, hoverable=True,
                                          tip=lambda x, y, data: data)
        self.box.addItem(self.neurons)
        self.labels = []
        self.message = QLabel("Draw on the pad to see the network's activations.")
        self.message.setStyleSheet("font-size: 13pt;")
        self.backprop_button = QPushButton("Backpropagation…")
        self.backprop_button.setEnabled(False)
        self.backprop_button.clicked.connect(self.open_backprop)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.backprop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    def show_input(self, network, x):
        """Draw ``network``'s activations for the input ``x`` (784,)."""
        self.network, self.x = network, x
        self.backprop_button.setEnabled(bool(network is not None and x is not None and x.any()))
        if network is None or x is None:
            self.neurons.clear()
            return
        trace = network.trace(x.reshape(1, -1), np.zeros((1, network.sizes[-1])))
        acts = [a[0] for a in trace.activations]
        self.input_image.setImage(1 - acts[0].reshape(28, 28), autoLevels=False, levels=(0, 1))
        positions, spots = self._layout(network, acts)
        self.neurons.setData(spots=spots)
        self._draw_lines(network, acts, positions)
        best = int(np.argmax(acts[-1]))
        self.message.setText(f"answer {best}: output {acts[-1][best]:.2f}")

    def _layout(self, network, acts):
        """Neuron centres per layer (input pixels for layer 0) and the scatter spots.

        Up to MAX_CIRCLES neurons stand in a column of circles; a wider layer is a
        square grid of small squares, 28 units tall like the input image.
        """
        positions = [np.stack(np.divmod(np.arange(784), 28)[::-1], axis=1) + 0.5]  # (x, y)
        spots = []
        x0 = 28
        for l, a in enumerate(acts[1:], start=1):
            n = len(a)
            x0 += COLUMN_GAP
            if n <= MAX_CIRCLES:
                step = min(2.6, 34 / n)
                ys = 14 + (np.arange(n) - (n - 1) / 2) * step
                pos = np.stack([np.full(n, x0), ys], axis=1)
                size, symbol = 0.85 * step, "o"
            else:
                rows, cols = grid_shape(n)
                cell = 28 / rows
                r, c = np.divmod(np.arange(n), cols)
                pos = np.stack([x0 + (c + 0.5) * cell, (r + 0.5) * cell], axis=1)
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

    def open_backprop(self):
        dialog = BackpropDialog(self.network, self.x, self)
        dialog.show()
        return dialog


class BackpropDialog(QDialog):
    """One step of backpropagation for the pad's drawing and a chosen correct label."""

    def __init__(self, network, x, parent=None):
        super().__init__(parent)
        self.setWindowTitle("One step of backpropagation")
        self.resize(900, 620)
        self.network, self.x = network, x
        self.label = QSpinBox()
        self.label.setRange(0, network.sizes[-1] - 1)
        self.label.setPrefix("correct label: ")
        self.neuron = QSpinBox()
        self.neuron.setRange(0, network.sizes[1] - 1)
        self.neuron.setPrefix("first-layer neuron: ")
        self.lr = 1.0
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 13pt;")
        self.summary.setWordWrap(True)
        self.view = pg.GraphicsLayoutWidget()
        controls = QHBoxLayout()
        controls.addWidget(self.label)
        controls.addWidget(self.neuron)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.label.valueChanged.connect(self.update_view)
        self.neuron.valueChanged.connect(self.update_view)
        best = int(np.argmax(network.forward(x.reshape(1, -1))[0]))
        self.label.setValue(best)
        self.update_view()

    def update_view(self):
        net, label = self.network, self.label.value()
        target = one_hot([label], net.sizes[-1]) if net.sizes[-1] > 1 else np.array([[label]])
        trace = net.trace(self.x.reshape(1, -1), target)
        self.view.clear()
        for l, delta in enumerate(trace.deltas):
            plot = self.view.addPlot(row=0, col=l)
            d = delta[0]
            colours = [style.BLUE if v < 0 else style.ORANGE for v in d]
            plot.addItem(pg.BarGraphItem(x=np.arange(len(d)), height=d, width=0.7,
                                         brushes=colours, pens=colours))
            name = "output" if l == len(trace.deltas) - 1 else f"layer {l + 1}"
            plot.setTitle(f"δ of {name}", size="11pt")
        neuron = self.neuron.value()
        change = -self.lr * trace.dW[0][neuron]
        box = self.view.addViewBox(row=1, col=0, colspan=max(1, len(trace.deltas)))
        box.setAspectLocked(True)
        box.invertY(True)
        limit = float(np.abs(change).max()) or 1.0
        shape = (28, 28) if change.size == 784 else (1, change.size)
        image = pg.ImageItem(change.reshape(shape).astype(np.float32), axisOrder="row-major")
        image.setLookupTable(diverging_colormap().getLookupTable(nPts=256))
        image.setLevels((-limit, limit))
        box.addItem(image)
        self.summary.setText(
            f"Cost for label {label}: {trace.cost:.4f}. Bars: each layer's error δ = ∂C/∂z "
            f"(the chain rule carries it backwards from the output). Image: the change "
            f"−η·∂C/∂w (η = {self.lr:g}) this single example asks of neuron {neuron}'s "
            f"784 incoming weights (yellow: increase, blue: decrease; ±{limit:.3g}).")
