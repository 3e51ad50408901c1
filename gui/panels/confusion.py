"""Confusion matrix with the most confident examples of every cell.

Reads the :class:`~engine.inspection.Evaluation` s the training thread computes
at each epoch end (or on demand); nothing here runs the network.
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from engine.metrics import recall_precision

from .. import style

THUMBS = 3  # examples shown per cell
THUMB = 28
CELL_W = THUMBS * (THUMB + 2) + 2
CELL_H = THUMB + 34  # room for the count above the thumbnails


def _font(points, bold=False):
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f


class ConfusionPanel(QWidget):
    """Rows: actual class; columns: predicted class."""

    title = "Confusion matrix"
    help = ("How often each digit (row) was read as each digit (column), on the test set or the "
            "training set. The diagonal (green) is right; everything else (orange) is a "
            "mistake. Each cell shows the examples the network was most sure of. Right margin: "
            "recall (how many of that digit were found); bottom: precision (how many answers of "
            "that digit were right). Click a cell for all its examples; 'Worst mistakes' lists "
            "the most confident wrong answers.")

    evaluateRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._snapshot = None
        self._shown = None  # (evaluation, mode) drawn last
        self._k = 0
        self._build()

    def _build(self):
        self.which = QComboBox()
        self.which.addItems(["test set", "training set"])
        self.mode = QComboBox()
        self.mode.addItems(["counts", "row %"])
        self.evaluate_button = QPushButton("Evaluate now")
        self.evaluate_button.setToolTip("Run the current network on the test and training sets")
        self.worst_button = QPushButton("Worst mistakes…")
        self.worst_button.setToolTip("The network's most confident wrong answers")
        controls = QHBoxLayout()
        for w in (self.which, self.mode, self.evaluate_button, self.worst_button):
            controls.addWidget(w)
        controls.addStretch(1)

        self.view = pg.GraphicsLayoutWidget()
        self.box = self.view.addViewBox()
        self.box.setAspectLocked(True)
        self.box.invertY(True)
        self.box.setMouseEnabled(False, False)
        self.box.setMenuEnabled(False)
        self.cells = pg.ImageItem(axisOrder="row-major")
        self.thumbs = pg.ImageItem(axisOrder="row-major")
        self.thumbs.setLookupTable(pg.colormap.get("CET-L1").getLookupTable(nPts=256)[::-1])
        self.box.addItem(self.cells)
        self.box.addItem(self.thumbs)
        self.texts = []  # in use, in order of creation
        self._pool = []  # every TextItem ever made: reused, since creating one costs ~1 ms
        self.message = pg.TextItem("", color=style.GREY, anchor=(0.5, 0.5))
        self.message.setFont(_font(15))
        self.box.addItem(self.message)
        self.summary = QLabel(" ")
        self.summary.setStyleSheet("font-size: 13pt;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)

        self.which.currentIndexChanged.connect(self._on_which_changed)
        self.mode.currentIndexChanged.connect(self._redraw)
        self.evaluate_button.clicked.connect(self.evaluateRequested)
        self.worst_button.clicked.connect(self.show_worst_mistakes)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)

    # -------------------------------------------------------------- data
    @property
    def evaluation(self):
        snap = self._snapshot
        if snap is None:
            return None
        return snap.train_evaluation if self.which.currentIndex() == 1 else snap.evaluation

    def show_snapshot(self, snapshot):
        self._snapshot = snapshot
        self._redraw()

    def _on_which_changed(self, index):
        if index == 1 and self._snapshot is not None and self._snapshot.train_evaluation is None:
            self.evaluateRequested.emit()
        self._redraw()

    def _redraw(self, *_):
        snap, ev = self._snapshot, self.evaluation
        key = (ev, self.mode.currentIndex())
        if key == self._shown and ev is not None:
            return
        self._shown = key
        self.worst_button.setEnabled(ev is not None)
        if snap is None:
            return
        if not snap.finite:
            return self._show_message("The weights are NaN: training diverged.\nPress Reset.")
        if ev is None:
            return self._show_message("No evaluation yet.\nTrain an epoch or press Evaluate now.")
        self._draw(ev)

    def _show_message(self, text):
        self.cells.clear()
        self.thumbs.clear()
        self._clear_texts()
        self._hide_unused_texts()
        self.message.setText(text)
        self.message.setPos(0, 0)
        self.box.setRange(xRange=(-200, 200), yRange=(-100, 100))
        self.summary.setText(" ")

    def _clear_texts(self):
        self.texts = []

    def _hide_unused_texts(self):
        for item in self._pool[len(self.texts):]:
            if item.isVisible():
                item.hide()

    def _text(self, text, x, y, anchor=(0.5, 0.5), size=12, bold=False, colour=style.INK):
        n = len(self.texts)
        if n == len(self._pool):
            item = pg.TextItem()
            self.box.addItem(item)
            self._pool.append(item)
        item = self._pool[n]
        style_key = (size, bold, colour, anchor)
        if getattr(item, "_style_key", None) != style_key:
            item._style_key = style_key
            item.setFont(_font(size, bold))
            item.setColor(colour)
            item.setAnchor(anchor)
        # every Qt call releases and retakes the GIL: skip the ones that change nothing
        if getattr(item, "_text", None) != text:
            item._text = text
            item.setText(text)
        if getattr(item, "_xy", None) != (x, y):
            item._xy = (x, y)
            item.setPos(x, y)
        if not item.isVisible():
            item.show()
        self.texts.append(item)

    def _draw(self, ev):
        self.message.setText("")
        k = ev.n_classes
        self._k = k
        confusion = ev.confusion()
        rows = confusion.sum(axis=1, keepdims=True)
        rates = confusion / np.maximum(rows, 1)
        self.cells.setImage(cell_colours(confusion, rates), levels=(0, 255))
        self._draw_thumbnails(ev, k)

        self._clear_texts()
        names = ev.dataset.class_names
        percent = self.mode.currentIndex() == 1
        for i in range(k):
            for j in range(k):
                n = confusion[i, j]
                if n:
                    label = f"{100 * rates[i, j]:.1f}%" if percent else f"{n:,}"
                    self._text(label, (j + 0.5) * CELL_W, i * CELL_H + 15,
                               size=13 if i == j else 12, bold=i == j)
        recall, precision = recall_precision(confusion)
        for i in range(k):
            self._text(names[i], -8, (i + 0.5) * CELL_H, anchor=(1, 0.5), size=14, bold=True)
            self._text(names[i], (i + 0.5) * CELL_W, -6, anchor=(0.5, 1), size=14, bold=True)
            self._text(_pct(recall[i]), k * CELL_W + 8, (i + 0.5) * CELL_H, anchor=(0, 0.5), size=11)
            self._text(_pct(precision[i]), (i + 0.5) * CELL_W, k * CELL_H + 6, anchor=(0.5, 0), size=11)
        self._text("recall", k * CELL_W + 8, -6, anchor=(0, 1), size=11, colour=style.GREY)
        self._text("precision", -8, k * CELL_H + 6, anchor=(1, 0), size=11, colour=style.GREY)
        self._text("predicted →", k * CELL_W / 2, -34, anchor=(0.5, 1), size=12, colour=style.GREY)
        self._text("actual ↓", -60, -34, anchor=(1, 1), size=12, colour=style.GREY)
        self._text(f"accuracy {ev.accuracy:.2%}", k * CELL_W + 8, k * CELL_H + 6, anchor=(0, 0),
                   size=12, bold=True)
        self._hide_unused_texts()
        self.box.setRange(xRange=(-90, k * CELL_W + 150), yRange=(-60, k * CELL_H + 40), padding=0)
        which = "training-set sample" if self.which.currentIndex() == 1 else "test set"
        self.summary.setText(f"{len(ev.actual):,} {which} images after epoch {ev.epoch}: "
                             f"accuracy {ev.accuracy:.2%}, {int((ev.actual != ev.predicted).sum()):,} mistakes")

    def _draw_thumbnails(self, ev, k):
        shape = ev.dataset.image_shape
        if shape is None or tuple(shape) != (THUMB, THUMB):
            self.thumbs.clear()
            return
        # one (k·CELL_H, k·CELL_W) canvas: transparent (NaN) but for the thumbnails
        top = ev.top_per_cell(THUMBS)  # (k, k, THUMBS), −1 where a cell has fewer
        tiles = np.where((top >= 0)[..., None], ev.dataset.x[np.maximum(top, 0)], np.nan)
        tiles = tiles.reshape(k, k, THUMBS, THUMB, THUMB).astype(np.float32)
        cells = np.full((k, k, CELL_H, CELL_W), np.nan, np.float32)
        y0 = CELL_H - THUMB - 3
        for t in range(THUMBS):
            x0 = 2 + t * (THUMB + 2)
            cells[:, :, y0:y0 + THUMB, x0:x0 + THUMB] = tiles[:, :, t]
        canvas = cells.transpose(0, 2, 1, 3).reshape(k * CELL_H, k * CELL_W)
        self.thumbs.setImage(np.ascontiguousarray(canvas), autoLevels=False, levels=(0, 1))

    # ----------------------------------------------------------- clicks
    def cell_at(self, scene_pos):
        """``(actual, predicted)`` of the cell under a scene position, or None."""
        if self.evaluation is None or not self.box.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.box.mapSceneToView(scene_pos)
        i, j = int(np.floor(p.y() / CELL_H)), int(np.floor(p.x() / CELL_W))
        return (i, j) if 0 <= i < self._k and 0 <= j < self._k else None

    def _on_clicked(self, event):
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.open_cell(*cell)

    def open_cell(self, actual, predicted):
        ev = self.evaluation
        names = ev.dataset.class_names
        idx = ev.cell(actual, predicted)
        title = f"Actual {names[actual]}, read as {names[predicted]}: {len(idx):,} images"
        return self._gallery(ev, idx, title)

    def show_worst_mistakes(self):
        ev = self.evaluation
        if ev is None:
            return None
        return self._gallery(ev, ev.worst_mistakes(100), "The most confident wrong answers")

    def _gallery(self, ev, indices, title):
        dialog = GalleryDialog(ev, indices, title, self)
        dialog.show()
        return dialog


def cell_colours(confusion, rates):
    """RGBA ``(k·CELL_H, k·CELL_W, 4)``: green diagonal by recall, orange mistakes by rate."""
    k = len(confusion)
    diagonal = np.eye(k, dtype=bool)
    green, orange = QColor(style.GREEN), QColor(style.ORANGE)
    rgb = np.where(diagonal[..., None], [green.red(), green.green(), green.blue()],
                   [orange.red(), orange.green(), orange.blue()])
    alpha = 40 + 180 * np.minimum(1.0, rates * np.where(diagonal, 1, 4))
    alpha = np.where(confusion > 0, alpha, 12)
    block = np.concatenate([rgb, alpha[..., None]], axis=2).astype(np.ubyte)  # (k, k, 4)
    cells = np.zeros((k, k, CELL_H, CELL_W, 4), np.ubyte)
    cells[:, :, 1:-1, 1:-1] = block[:, :, None, None, :]  # a 1-px white border around each
    return cells.transpose(0, 2, 1, 3, 4).reshape(k * CELL_H, k * CELL_W, 4)


def _pct(value):
    return "–" if not np.isfinite(value) else f"{value:.1%}"


def image_icon(pixels, size=56):
    """A QIcon of a [0, 1] image drawn dark ink on white."""
    grey = np.ascontiguousarray(255 - np.clip(pixels, 0, 1) * 255, np.uint8)
    h, w = grey.shape
    image = QImage(grey.data, w, h, w, QImage.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(image).scaled(size, size, Qt.KeepAspectRatio,
                                                 Qt.SmoothTransformation))


class GalleryDialog(QDialog):
    """Examples sorted by confidence, each with its predicted probability."""

    LIMIT = 600

    def __init__(self, evaluation, indices, title, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 560)
        self.evaluation = evaluation
        self.indices = np.asarray(indices)
        names = evaluation.dataset.class_names
        shape = evaluation.dataset.image_shape
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.IconMode)
        self.list.setIconSize(QSize(56, 56))
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setSpacing(6)
        for idx in self.indices[:self.LIMIT]:
            p = evaluation.confidence[idx]
            item = QListWidgetItem(f"{names[evaluation.predicted[idx]]} {p:.0%}")
            if shape is not None:
                item.setIcon(image_icon(evaluation.dataset.x[idx].reshape(shape)))
            item.setData(Qt.UserRole, int(idx))
            item.setToolTip(f"image #{idx}: actual {names[evaluation.actual[idx]]}, "
                            f"answered {names[evaluation.predicted[idx]]} with p = {p:.3f}")
            self.list.addItem(item)
        self.list.itemClicked.connect(self._on_item_clicked)
        shown = min(len(self.indices), self.LIMIT)
        note = QLabel(f"{len(self.indices):,} images, most confident first"
                      + (f" (first {shown} shown)" if shown < len(self.indices) else "")
                      + ". Click one to inspect it.")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)

    def _on_item_clicked(self, item):
        InspectorDialog(self.evaluation, item.data(Qt.UserRole), self).show()


class InspectorDialog(QDialog):
    """One example: the image, enlarged, and the network's ten outputs."""

    def __init__(self, evaluation, index, parent=None):
        super().__init__(parent)
        ds = evaluation.dataset
        names = ds.class_names
        self.setWindowTitle(f"Image #{index}: actual {names[evaluation.actual[index]]}")
        self.resize(640, 360)
        view = pg.GraphicsLayoutWidget()
        if ds.image_shape is not None:
            box = view.addViewBox(row=0, col=0)
            box.setAspectLocked(True)
            box.invertY(True)
            box.addItem(pg.ImageItem(1 - ds.x[index].reshape(ds.image_shape), axisOrder="row-major",
                                     levels=(0, 1)))
        plot = view.addPlot(row=0, col=1)
        probs = evaluation.probs[index]
        colours = [style.GREEN if i == evaluation.actual[index] else style.ORANGE
                   if i == evaluation.predicted[index] else style.SKY for i in range(len(probs))]
        plot.addItem(pg.BarGraphItem(x=np.arange(len(probs)), height=probs, width=0.7,
                                     brushes=colours, pens=colours))
        plot.getAxis("bottom").setTicks([[(i, n) for i, n in enumerate(names)]])
        plot.setYRange(0, 1)
        style.style_plot(plot, left="output", bottom="")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"answered {names[evaluation.predicted[index]]} with "
                                f"{evaluation.confidence[index]:.1%} (green: the right answer)"))
        layout.addWidget(view, 1)
