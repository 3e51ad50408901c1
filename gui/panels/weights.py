"""Weights panel: each hidden neuron's incoming weights as an image, live.

The first layer of an image network is drawn as one mosaic ``ImageItem``
(28×28 tiles, updated in place with fixed, symmetric levels). Deeper layers,
and networks whose input is not an image, are drawn as weight matrices. A
bar chart shows the selected neuron's outgoing weights.
"""

from contextlib import nullcontext
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QWidget, QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox,
                               QVBoxLayout)

from digit_descent.engine.network import unflatten

from .. import display, style
from .base import Panel

PAGE = 256  # tiles shown at once


class Tiles(NamedTuple):
    """How the shown image is laid out: ``n`` tiles of ``h``×``w`` in ``cols`` columns with
    ``pad`` between them, the first being neuron ``first`` (a matrix: one row a neuron)."""

    n: int
    h: int
    w: int
    cols: int
    first: int
    pad: int

SMALL = 48  # a layer with at most this many weights and biases is drawn with its numbers


class WeightsPanel(Panel):
    """Weight images / matrices of the newest snapshot. Feed it with :meth:`show_snapshot`."""

    key = "weights"
    bench_view = True
    title = "Weights"
    help = ("Each tile is one hidden neuron: its 784 incoming weights drawn as a 28×28 image. "
            "Yellow pixels are positive weights (ink there pushes the neuron up), blue pixels "
            "negative (ink there pushes it down); pale is about zero. With no hidden layer the ten tiles are the digits' templates. "
            "'change since start' shows what training added to the random initial weights. "
            "Hover a tile for its numbers; click it for a closer look and the test images that "
            "excite it most. Deeper layers are drawn as matrices (rows: neurons, columns: inputs); "
            "a toy network's small layers show every weight and bias as a number.")
    redraw_interval_s = 0.1  # painting holds the GIL the training thread needs

    neuronClicked = Signal(int, int)  # layer, neuron

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self._layout_key = None
        self.tiles = Tiles(0, 0, 0, 0, 0, 1)
        self._bars_key = self._bars_top = self._levels = None
        self.selected = 0
        self._build()

    # ------------------------------------------------------------ layout
    def _build(self):
        self.layer = QComboBox()
        self.layer.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.layer.setToolTip("Which weight layer to draw")
        self.mode = QComboBox()
        self.mode.addItems(["weights", "change since start"])
        self.mode.setToolTip("The weights, or how far training has moved them from their random start")
        self.per_neuron = QCheckBox("per-neuron scale")
        self.per_neuron.setToolTip("Stretch each tile's colours to its own range (shapes, not sizes)")
        self.first = QSpinBox()
        self.first.setPrefix("from neuron ")
        self.first.setSingleStep(PAGE)
        self.first.setToolTip(f"Large layers are shown {PAGE} neurons at a time")
        self.first.hide()
        controls = QHBoxLayout()
        for w in (QLabel("layer"), self.layer, self.mode, self.per_neuron, self.first):
            controls.addWidget(w)
        controls.addStretch(1)

        self.view = pg.GraphicsLayoutWidget()
        self.image_box = self.view.addViewBox(row=0, col=0)
        self.image_box.setAspectLocked(True)
        self.image_box.invertY(True)
        self.image_box.setMenuEnabled(False)
        self.image_box.setBackgroundColor("#d9d9d9")  # gaps between tiles
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image_box.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=style.diverging_colormap(), interactive=False, width=18,
                                        label="weight")
        style.style_colorbar(self.colorbar)
        self.colorbar.setImageItem(self.image)
        self.view.addItem(self.colorbar, row=0, col=1)
        self.highlight = pg.QtWidgets.QGraphicsRectItem()
        self.highlight.setPen(pg.mkPen(style.VERMILION, width=0.6))
        self.highlight.hide()
        self.image_box.addItem(self.highlight)
        self.labels = []
        self.values_text = []  # one per cell of a small matrix
        self.message = pg.TextItem("", color=style.GREY, anchor=(0.5, 0.5))
        style.sized_font(self.message, 15)
        self.image_box.addItem(self.message)

        self.bars_plot = self.view.addPlot(row=1, col=0, colspan=2)
        style.keep(self.bars_plot, lambda plot: self._fit_bars())
        self.bars_plot.setMouseEnabled(x=False, y=False)
        style.style_plot(self.bars_plot, left="weight", bottom="")
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.bars_plot.addItem(self.bars)
        style.sized_pen(self.bars_plot.addLine(y=0), style.GREY, 1)

        self.readout = QLabel(" ")
        style.sized_text(self.readout, 12)
        self.readout.setWordWrap(True)  # a long line must not widen the panel
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.control_bar = QWidget()
        self.control_bar.setLayout(controls)
        controls.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.control_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)

        self.layer.currentIndexChanged.connect(self._on_layout_changed)
        self.mode.currentIndexChanged.connect(self._on_layout_changed)
        self.per_neuron.toggled.connect(self._on_layout_changed)
        self.first.valueChanged.connect(self._on_layout_changed)
        self._hover = pg.SignalProxy(self.view.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._on_mouse_moved)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)
        self.image_box.sigResized.connect(self._on_resized)

    def _fit_bars(self):
        """The outgoing-weight bars take at most 170 px (zoomed) and a third of the height:
        the weight images come first."""
        self.bars_plot.setMaximumHeight(min(style.scaled(170), self.view.height() / 3))

    def _tile_area(self):
        """``(width, height)`` the tiles have; zeros (the squarest grid) while hidden."""
        if not self.isVisible():
            return 0, 0
        return self.image_box.width(), self.image_box.height()

    def _on_resized(self, *_):
        """Fit the bars to the new height; redraw when another number of columns would draw
        the tiles larger."""
        try:
            self._fit_bars()
            area = self._tile_area()
        except RuntimeError:  # the panel is being deleted: its view box reports a last resize
            return
        n, h, w, cols, first, pad = self.tiles
        if n and h > 1 and cols != display.fitting_columns(n, h + pad, w, *area, pad=0):
            self._layout_key = None
            self._redraw()

    def picture(self):
        """The plot to export (no controls)."""
        return nullcontext(self.view.ci)

    # -------------------------------------------------------------- data
    def presenter_hides(self):
        return [self.control_bar]

    def show_snapshot(self, snapshot):
        previous = self.snapshot
        self.snapshot = snapshot
        if previous is None or previous.sizes != snapshot.sizes:
            self._fill_layer_choices(snapshot)
        self._redraw()

    def _fill_layer_choices(self, snap):
        self.layer.blockSignals(True)
        self.layer.clear()
        for l, (n_in, n_out) in enumerate(zip(snap.sizes, snap.sizes[1:])):
            kind = "output" if l == len(snap.sizes) - 2 else "hidden"
            self.layer.addItem(f"{l + 1}: {n_in} → {n_out} ({kind})")
        self.layer.setCurrentIndex(0)
        self.layer.blockSignals(False)
        self.selected = 0
        self._on_layout_changed()

    def _is_image_layer(self, snap, layer):
        return (layer == 0 and snap.image_shape is not None
                and int(np.prod(snap.image_shape)) == snap.sizes[0])

    def _values(self, snap, layer):
        """The weight matrix of ``layer`` to draw (weights, or change since the start)."""
        w = snap.weights[layer]
        if self.mode.currentIndex() == 1:
            return w - initial_weights(snap, layer)
        return w

    def _on_layout_changed(self, *_):
        snap = self.snapshot
        if snap is None:
            return
        self._levels = None
        layer = max(self.layer.currentIndex(), 0)
        n_out = snap.sizes[layer + 1]
        self.first.setVisible(self._is_image_layer(snap, layer) and n_out > PAGE)
        self.first.setRange(0, max(0, n_out - 1))
        self._layout_key = None
        self._redraw()

    def _redraw(self, *_):
        snap = self.snapshot
        if snap is None:
            return
        layer = max(self.layer.currentIndex(), 0)
        values = self._values(snap, layer)
        finite = bool(np.isfinite(values).all())
        self.message.setText("" if finite else "The weights are NaN: training diverged.\nPress Reset.")
        if not finite:
            self.image.clear()
            return
        if self._is_image_layer(snap, layer):
            self._draw_tiles(snap, layer, values)
        else:
            self._draw_matrix(snap, layer, values)
        self._draw_outgoing(snap, layer)

    def _draw_tiles(self, snap, layer, values):
        h, w = snap.image_shape[:2]
        colour = display.is_colour(snap.image_shape)
        first = self.first.value() if self.first.isVisible() else 0
        tiles = values[first:first + PAGE].reshape(-1, *snap.image_shape)
        is_output = layer == len(snap.sizes) - 2
        pad = 9 if is_output else 1  # room for the digit names under output templates
        # as many columns as draw the tiles largest in the space the panel has
        cols = display.fitting_columns(len(tiles), h + pad, w, *self._tile_area(), pad=0)
        if colour:  # each template stretched to [0, 1] in its own colours
            image, rows, cols = display.colour_mosaic(display.colour_templates(tiles), cols,
                                                      pad=pad)
            self.image.setImage(image, autoLevels=False, levels=(0, 1))
        else:
            if self.per_neuron.isChecked():
                scale = np.abs(tiles).reshape(len(tiles), -1).max(axis=1)
                tiles = tiles / np.where(scale > 0, scale, 1)[:, None, None]
            image, rows, cols = display.mosaic(tiles, cols, pad=pad)
            limit = 1.0 if self.per_neuron.isChecked() else display.symmetric_limit(tiles)
            self._set_image(image, limit)
        self.colorbar.setVisible(not colour)
        self.tiles = Tiles(len(tiles), h, w, cols, first, pad)
        key = (layer, len(tiles), cols, first, snap.sizes)
        if key != self._layout_key:
            self._layout_key = key
            self._place_labels(snap, is_output, cols, h, w, len(tiles), first, pad)
            self._frame(image.shape, extra_below=pad)
            self.message.setPos(image.shape[1] / 2, image.shape[0] / 2)
        self._show_selection()

    def _place_labels(self, snap, is_output, cols, h, w, n, first, pad):
        """Digit names under the tiles of an output layer (the templates figure)."""
        self._clear_labels()
        if not is_output:
            return
        for i in range(n):
            r, c = divmod(i, cols)
            name = snap.class_names[first + i] if first + i < len(snap.class_names) else str(first + i)
            label = style.sized_font(pg.TextItem(name, color=style.INK, anchor=(0.5, 0)), 14,
                                     bold=True)
            label.setPos(c * (w + pad) + w / 2, r * (h + pad) + h)
            self.image_box.addItem(label)
            self.labels.append(label)

    def _draw_matrix(self, snap, layer, values):
        """Rows: neurons, columns: their inputs. A small layer (a toy network's) also shows its
        biases in a last column, every value written in its cell, and names rows and columns."""
        n_out, n_in = values.shape
        small = n_out * (n_in + 1) <= SMALL
        if small:
            biases = snap.biases[layer]
            if self.mode.currentIndex() == 1:
                biases = biases - unflatten(snap.sizes, snap.initial_params)[1][layer]
            gap = np.full((n_out, 1), np.nan, np.float32)
            values = np.hstack([values, gap, biases[:, None]]).astype(np.float32)
        limit = display.symmetric_limit(values)
        if self.per_neuron.isChecked():
            scale = np.nanmax(np.abs(values), axis=1, keepdims=True)
            values = values / np.where(scale > 0, scale, 1)
            limit = 1.0
        self._set_image(np.ascontiguousarray(values, np.float32), limit)
        self.tiles = Tiles(n_out, 1, values.shape[1], 1, 0, 0)
        key = ("matrix", values.shape, layer, small)
        if key != self._layout_key:
            self._layout_key = key
            self._clear_labels()
            if small:
                self._place_matrix_labels(snap, layer, n_in, n_out)
            self._frame(values.shape, extra_below=1.2 if small else 0,
                        extra_left=2.2 if small else 0)
            self.message.setPos(values.shape[1] / 2, n_out / 2)
        if small:
            for label, value in zip(self.values_text, values[:, [*range(n_in), n_in + 1]].ravel()):
                label.setText(f"{value:+.2f}")
        self._show_selection()

    def _clear_labels(self):
        for label in self.labels + self.values_text:
            self.image_box.removeItem(label)
        self.labels, self.values_text = [], []

    def _place_matrix_labels(self, snap, layer, n_in, n_out):
        """Names of the rows (this layer's neurons) and columns (their inputs, then the bias),
        and one text item per cell for its value."""
        source = "x" if layer == 0 else "h"  # the inputs, or the previous layer's neurons
        heads = [(j + 0.5, f"{source}{j}") for j in range(n_in)] + [(n_in + 1.5, "bias")]
        for x, name in heads:
            self.labels.append(self._add_label(name, (x, n_out + 0.1), (0.5, 0), bold=True))
        kind = "output" if layer == len(snap.sizes) - 2 else "neuron"
        for i in range(n_out):
            self.labels.append(self._add_label(f"{kind} {i}", (-0.1, i + 0.5), (1, 0.5),
                                               bold=True))
            for x in [*range(n_in), n_in + 1]:
                self.values_text.append(self._add_label("", (x + 0.5, i + 0.5), (0.5, 0.5)))

    def _add_label(self, text, pos, anchor, bold=False):
        label = style.sized_font(pg.TextItem(text, color=style.INK, anchor=anchor), 12, bold)
        label.setPos(*pos)
        self.image_box.addItem(label)
        return label

    def _set_image(self, image, limit):
        """Show ``image`` with symmetric levels that move in nice steps: the colour bar's axis
        is redrawn only when they do."""
        if self._levels is None or not 0.6 * self._levels <= limit <= self._levels:
            self._levels = display.nice_ceiling(limit)
            self.colorbar.setLevels((-self._levels, self._levels))
        self.image.setImage(image, autoLevels=False, levels=(-self._levels, self._levels))

    def _frame(self, shape, extra_below=0, extra_left=0):
        """Fit the view to an image of ``shape`` (explicitly: autoRange fails on a hidden view)."""
        self.image_box.setRange(xRange=(-extra_left, shape[1]), yRange=(0, shape[0] + extra_below),
                                padding=0.02)

    def _draw_outgoing(self, snap, layer):
        """Bars: the selected neuron's weights to each neuron of the next layer."""
        has_next = layer + 1 < len(snap.weights)
        self.bars_plot.setVisible(has_next)
        if not has_next:
            return
        neuron = min(self.selected, snap.sizes[layer + 1] - 1)
        out = snap.weights[layer + 1][:, neuron]
        colours = style.sign_colours(out)
        self.bars.setOpts(x=np.arange(len(out)), height=out, brushes=colours, pens=colours)
        # Ticks, title and range change the axes' pictures: set them only when they change.
        key = (layer, neuron, len(out), snap.class_names)
        if key != self._bars_key:
            self._bars_key = key
            names = snap.class_names if layer + 2 == len(snap.sizes) else None
            self.bars_plot.getAxis("bottom").setTicks(
                [[(i, names[i] if names else str(i)) for i in range(len(out))]]
                if len(out) <= 32 else None)
            self.bars_plot.setTitle(f"neuron {neuron}'s outgoing weights")
            style.sized_label(self.bars_plot.titleLabel, 11)
            self.bars_plot.setXRange(-0.6, len(out) - 0.4, padding=0)
            self._bars_top = None
        top = float(np.abs(out).max()) if out.size else 1.0
        if self._bars_top is None or not 0.5 * self._bars_top <= top <= self._bars_top:
            self._bars_top = display.nice_ceiling(top * 1.1)
            self.bars_plot.setYRange(-self._bars_top, self._bars_top, padding=0)
            # three labels, whatever the height: a short plot must not stack five
            self.bars_plot.getAxis("left").setTicks(
                [[(v, f"{v:g}") for v in (-self._bars_top, 0.0, self._bars_top)], []])

    def _show_selection(self):
        n, h, w, cols, first, pad = self.tiles
        i = self.selected - first
        if not 0 <= i < n:
            self.highlight.hide()
            return
        if h > 1:  # a tile of the mosaic
            r, c = divmod(i, cols)
            self.highlight.setRect(c * (w + pad), r * (h + pad), w, h)
        else:  # a row of the matrix
            self.highlight.setRect(0, i, w, 1)
        self.highlight.show()

    # ------------------------------------------------------------ mouse
    def neuron_at(self, scene_pos):
        """The neuron index under a scene position, or None."""
        if self.snapshot is None or not self.image_box.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.image_box.mapSceneToView(scene_pos)
        n, h, w, cols, first, pad = self.tiles
        if h == 1:  # matrix: rows are neurons
            row = int(np.floor(p.y()))
            return row if 0 <= row < n and 0 <= p.x() < w else None
        i = display.tile_at(p.x(), p.y(), h, w, cols, n, pad)
        return None if i is None else first + i

    def _on_mouse_moved(self, event):
        neuron = self.neuron_at(event[0])
        snap = self.snapshot
        if neuron is None or snap is None:
            return
        layer = max(self.layer.currentIndex(), 0)
        w = snap.weights[layer][neuron]
        b = snap.biases[layer][neuron]
        self.readout.setText(f"layer {layer + 1}, neuron {neuron}: bias {b:+.3f}, "
                             f"weights {w.min():+.3f} … {w.max():+.3f} (mean |w| {np.abs(w).mean():.3f})")

    def _on_clicked(self, event):
        neuron = self.neuron_at(event.scenePos())
        if neuron is None:
            return
        self.select(neuron)
        if event.double() or event.button() == Qt.LeftButton:
            self.neuronClicked.emit(max(self.layer.currentIndex(), 0), neuron)

    def select(self, neuron):
        self.selected = neuron
        self._redraw()


def initial_weights(snap, layer):
    """``(n_out, n_in)``: layer ``layer``'s weights as the run started."""
    return unflatten(snap.sizes, snap.initial_params)[0][layer]
