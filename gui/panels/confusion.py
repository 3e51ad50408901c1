"""Confusion matrix with the most confident examples of every cell.

Reads the :class:`~engine.inspection.Evaluation` s the training thread computes
at each epoch end (or on demand); nothing here runs the network.
"""

from contextlib import nullcontext

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QWidget, QComboBox, QDialog, QGraphicsPixmapItem, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from digit_descent.engine.metrics import recall_precision

from .. import display, style
from .base import Panel

THUMBS = 3  # examples shown per cell
RENDER_SCALE = 2  # picture pixels per unit: sharp on a 1920×1080 projector
MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 100, 70, 190, 40
THUMB = 28
CELL_W = THUMBS * (THUMB + 2) + 2
CELL_H = THUMB + 34  # room for the count above the thumbnails


def _font_px(pixels, bold=False):
    f = QFont()
    f.setPixelSize(pixels)
    f.setBold(bold)
    return f


class ConfusionPanel(Panel):
    """Rows: actual class; columns: predicted class."""

    key = "confusion"
    bench_view = True
    title = "Confusion matrix"
    help = ("How often each digit (row) was read as each digit (column), on the test set or the "
            "training set. The diagonal (green) is right; everything else (orange) is a "
            "mistake. Each cell shows the examples the network was most sure of. Right margin: "
            "recall (how many of that digit were found); bottom: precision (how many answers of "
            "that digit were right). Click a thumbnail to send it to the drawing pad and the "
            "activations panel; click elsewhere in a cell for all its examples. 'Worst "
            "mistakes' lists the most confident wrong answers.")

    evaluateRequested = Signal()
    imageChosen = Signal(object, int)  # an image (h, w) of the evaluated set, its true label
    # While training flat out an epoch ends about three times a second; a matrix that
    # changes every 2 s is easier to read and costs the training thread less.
    redraw_interval_s = 2.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
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
        # The whole matrix is one picture, rendered once per evaluation: a hundred text items
        # would each be repainted at every frame, and painting holds the GIL training needs.
        self.matrix_item = QGraphicsPixmapItem()
        self.matrix_item.setTransformationMode(Qt.SmoothTransformation)
        self.matrix_item.setScale(1 / RENDER_SCALE)
        self.matrix_item.setPos(-MARGIN_LEFT, -MARGIN_TOP)
        self.box.addItem(self.matrix_item)
        self.drawn_texts = []  # what the picture says, for tests and accessibility
        self.message = pg.TextItem("", color=style.GREY, anchor=(0.5, 0.5))
        style.sized_font(self.message, 15)
        self.box.addItem(self.message)
        self.summary = QLabel(" ")
        style.sized_text(self.summary, 13)
        self.summary.setWordWrap(True)  # a long line must not widen the panel

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.control_bar = QWidget()
        self.control_bar.setLayout(controls)
        controls.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.control_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)

        self.which.currentIndexChanged.connect(self._on_which_changed)
        self.mode.currentIndexChanged.connect(self._redraw)
        self.evaluate_button.clicked.connect(self.evaluateRequested)
        self.worst_button.clicked.connect(self.show_worst_mistakes)
        self.view.scene().sigMouseClicked.connect(self._on_clicked)

    def picture(self):
        """The plot to export (no controls)."""
        return nullcontext(self.view.ci)

    # -------------------------------------------------------------- data
    @property
    def evaluation(self):
        snap = self.snapshot
        if snap is None:
            return None
        return snap.train_evaluation if self.which.currentIndex() == 1 else snap.evaluation

    def presenter_hides(self):
        return [self.control_bar]

    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        self._redraw()

    def _on_which_changed(self, index):
        if index == 1 and self.snapshot is not None and self.snapshot.train_evaluation is None:
            self.evaluateRequested.emit()
        self._redraw()

    def _redraw(self, *_):
        snap, ev = self.snapshot, self.evaluation
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
        self.matrix_item.hide()
        self.drawn_texts = []
        self.message.setText(text)
        self.message.setPos(0, 0)
        self.box.setRange(xRange=(-200, 200), yRange=(-100, 100))
        self.summary.setText(" ")

    def _draw(self, ev):
        self.message.setText("")
        self._k = ev.n_classes
        image, self.drawn_texts = render_confusion(ev, percent=self.mode.currentIndex() == 1)
        self.matrix_item.setPixmap(QPixmap.fromImage(image))
        self.matrix_item.show()
        k = self._k
        self.box.setRange(xRange=(-MARGIN_LEFT, k * CELL_W + MARGIN_RIGHT),
                          yRange=(-MARGIN_TOP, k * CELL_H + MARGIN_BOTTOM), padding=0)
        which = "training-set sample" if self.which.currentIndex() == 1 else "test set"
        self.summary.setText(f"{len(ev.actual):,} {which} images {ev.when}: "
                             f"accuracy {ev.accuracy:.2%}, {int((ev.actual != ev.predicted).sum()):,} mistakes")

    # ----------------------------------------------------------- clicks
    def cell_at(self, scene_pos):
        """``(actual, predicted)`` of the cell under a scene position, or None."""
        if self.evaluation is None or not self.box.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.box.mapSceneToView(scene_pos)
        i, j = int(np.floor(p.y() / CELL_H)), int(np.floor(p.x() / CELL_W))
        return (i, j) if 0 <= i < self._k and 0 <= j < self._k else None

    def thumbnail_at(self, scene_pos):
        """Index (in the evaluated set) of the example thumbnail under a scene position, or None."""
        cell = self.cell_at(scene_pos)
        ev = self.evaluation
        if cell is None or ev.dataset.image_shape is None:
            return None
        p = self.box.mapSceneToView(scene_pos)
        x, y = p.x() - cell[1] * CELL_W - 2, p.y() - cell[0] * CELL_H - (CELL_H - THUMB - 3)
        t = int(x // (THUMB + 2))
        if not (0 <= y < THUMB and 0 <= t < THUMBS and x - t * (THUMB + 2) < THUMB):
            return None
        top = ev.cell(*cell, count=THUMBS)
        return int(top[t]) if t < len(top) else None

    def _on_clicked(self, event):
        index = self.thumbnail_at(event.scenePos())
        if index is not None:
            self.choose(self.evaluation, index)
            return
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.open_cell(*cell)

    def choose(self, evaluation, index):
        """Send one example of ``evaluation`` to whoever listens (the pad)."""
        ds = evaluation.dataset
        self.imageChosen.emit(ds.x[index].reshape(ds.image_shape), int(evaluation.actual[index]))

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
        dialog.chosen.connect(lambda index: self.choose(ev, index))
        dialog.show()
        return dialog


def render_confusion(ev, percent=False):
    """The confusion matrix as one QImage (``RENDER_SCALE`` pixels per unit) and its texts.

    Unit coordinates: cell (i, j) spans x ∈ [j·CELL_W, (j+1)·CELL_W), y ∈ [i·CELL_H, …);
    the image's top-left corner is at (−MARGIN_LEFT, −MARGIN_TOP).
    """
    k = ev.n_classes
    confusion = ev.confusion()
    rates = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    recall, precision = recall_precision(confusion)
    names = ev.dataset.class_names
    width = MARGIN_LEFT + k * CELL_W + MARGIN_RIGHT
    height = MARGIN_TOP + k * CELL_H + MARGIN_BOTTOM
    image = QImage(width * RENDER_SCALE, height * RENDER_SCALE, QImage.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.TextAntialiasing)  # rectangles need no antialiasing
    painter.scale(RENDER_SCALE, RENDER_SCALE)
    painter.translate(MARGIN_LEFT, MARGIN_TOP)
    texts = []

    def text(s, x, y, align, size=12, bold=False, colour=style.INK):
        painter.setFont(_font_px(size, bold))
        painter.setPen(QColor(colour))
        w, h = 240, 40
        dx = {"left": 0, "center": -w / 2, "right": -w}[align[0]]
        dy = {"top": 0, "center": -h / 2, "bottom": -h}[align[1]]
        flags = {"left": Qt.AlignLeft, "center": Qt.AlignHCenter, "right": Qt.AlignRight}[align[0]] | \
            {"top": Qt.AlignTop, "center": Qt.AlignVCenter, "bottom": Qt.AlignBottom}[align[1]]
        painter.drawText(QRectF(x + dx, y + dy, w, h), flags, s)
        texts.append(s)

    # one size for all the names of a row or column header, the largest at which all fit
    row_size = min(fitting_size(name, MARGIN_LEFT - 12, 24, bold=True) for name in names)
    column_size = min(fitting_size(name, CELL_W - 6, 24, bold=True) for name in names)
    green, orange = QColor(style.GREEN), QColor(style.ORANGE)
    for i in range(k):
        for j in range(k):
            base = green if i == j else orange
            alpha = (40 + 180 * min(1.0, rates[i, j] * (1 if i == j else 4))) / 255 \
                if confusion[i, j] else 12 / 255
            # blended with the white page here: opaque fills are much faster than translucent
            colour = QColor(*(round(255 + (c - 255) * alpha)
                              for c in (base.red(), base.green(), base.blue())))
            painter.fillRect(QRectF(j * CELL_W + 1, i * CELL_H + 1, CELL_W - 2, CELL_H - 2), colour)
    thumbs = _thumbnail_image(ev, k, RENDER_SCALE)
    if thumbs is not None:  # already at the picture's resolution: a plain copy, no resampling
        painter.save()
        painter.resetTransform()
        painter.drawImage(MARGIN_LEFT * RENDER_SCALE, MARGIN_TOP * RENDER_SCALE, thumbs)
        painter.restore()
    for i in range(k):
        for j in range(k):
            if confusion[i, j]:
                label = f"{100 * rates[i, j]:.1f}%" if percent else f"{confusion[i, j]:,}"
                text(label, (j + 0.5) * CELL_W, i * CELL_H + 15, ("center", "center"),
                     size=21 if i == j else 18, bold=i == j)
    for i in range(k):
        text(names[i], -8, (i + 0.5) * CELL_H, ("right", "center"), size=row_size, bold=True)
        text(names[i], (i + 0.5) * CELL_W, -6, ("center", "bottom"), size=column_size, bold=True)
        text(_pct(recall[i]), k * CELL_W + 8, (i + 0.5) * CELL_H, ("left", "center"), size=18)
        text(_pct(precision[i]), (i + 0.5) * CELL_W, k * CELL_H + 6, ("center", "top"), size=18)
    text("recall", k * CELL_W + 8, -6, ("left", "bottom"), size=18, colour=style.GREY)
    text("precision", -8, k * CELL_H + 6, ("right", "top"), size=18, colour=style.GREY)
    text("predicted →", k * CELL_W / 2, -32, ("center", "bottom"), size=20, colour=style.GREY)
    text("actual ↓", 4 - MARGIN_LEFT, -32, ("left", "bottom"), size=20, colour=style.GREY)
    text(f"accuracy {ev.accuracy:.2%}", k * CELL_W + 8, k * CELL_H + 6, ("left", "top"), size=18,
         bold=True)
    painter.end()
    return image, texts


def fitting_size(text, width, size, bold=False, smallest=11):
    """The largest pixel size ≤ ``size`` at which ``text`` is at most ``width`` wide."""
    while size > smallest and QFontMetrics(_font_px(size, bold)).horizontalAdvance(text) > width:
        size -= 1
    return size


def _thumbnail_image(ev, k, scale=1):
    """A (k·CELL_H·scale, k·CELL_W·scale) ARGB QImage: each cell's most confident examples
    (pixels repeated ``scale`` times), transparent elsewhere."""
    shape = ev.dataset.image_shape
    if shape is None:
        return None
    colour = display.is_colour(shape)
    top = ev.top_per_cell(THUMBS)  # (k, k, THUMBS), −1 where a cell has fewer
    tiles = display.resample(display.picture(ev.dataset.x[np.maximum(top, 0)], shape), THUMB,
                             colour)
    if not colour:
        tiles = np.repeat(tiles[..., None], 3, axis=-1)
    present = top >= 0
    rgb = np.zeros((k, k, CELL_H, CELL_W, 3), np.uint8)
    alpha = np.zeros((k, k, CELL_H, CELL_W), np.uint8)
    y0 = CELL_H - THUMB - 3
    for t in range(THUMBS):
        x0 = 2 + t * (THUMB + 2)
        rgb[:, :, y0:y0 + THUMB, x0:x0 + THUMB] = (255 * tiles[:, :, t]).astype(np.uint8)
        alpha[:, :, y0:y0 + THUMB, x0:x0 + THUMB] = np.where(present[:, :, t, None, None], 255, 0)
    rgb = rgb.transpose(0, 2, 1, 3, 4).reshape(k * CELL_H, k * CELL_W, 3)
    alpha = alpha.transpose(0, 2, 1, 3).reshape(k * CELL_H, k * CELL_W)
    bgra = np.concatenate([rgb[..., ::-1], alpha[..., None]], axis=-1)
    bgra = np.ascontiguousarray(bgra.repeat(scale, axis=0).repeat(scale, axis=1))
    h, w = bgra.shape[:2]
    return QImage(bgra.data, w, h, 4 * w, QImage.Format_ARGB32).copy()


def _pct(value):
    return "–" if not np.isfinite(value) else f"{value:.1%}"


def image_icon(pixels, shape, size=56):
    """A QIcon of a [0, 1] image: a grey one drawn dark ink on white, a colour one as it is."""
    data = np.ascontiguousarray(np.clip(display.picture(pixels, shape), 0, 1) * 255, np.uint8)
    h, w = data.shape[:2]
    if display.is_colour(shape):
        image = QImage(data.data, w, h, 3 * w, QImage.Format_RGB888).copy()
    else:
        image = QImage(data.data, w, h, w, QImage.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(image).scaled(size, size, Qt.KeepAspectRatio,
                                                 Qt.SmoothTransformation))


class GalleryDialog(QDialog):
    """Examples sorted by confidence, each with the answer, its probability and the true label."""

    LIMIT = 600
    chosen = Signal(int)  # index of the clicked example in the evaluated set

    def __init__(self, evaluation, indices, title, parent=None):
        """``indices``: the examples to show in order (None: all, most confident first). An
        example whose true label is −1 (noise, say) has none to show."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 600)
        self.evaluation = evaluation
        self.indices = np.argsort(-evaluation.confidence, kind="stable") if indices is None \
            else np.asarray(indices)
        names = evaluation.dataset.class_names
        shape = evaluation.dataset.image_shape
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.IconMode)
        self.list.setIconSize(QSize(56, 56))
        self.list.setGridSize(QSize(118, 112))
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.Adjust)
        self.list.setSpacing(6)
        for idx in self.indices[:self.LIMIT]:
            p = evaluation.confidence[idx]
            labelled = evaluation.actual[idx] >= 0
            actual = names[evaluation.actual[idx]] if labelled else "none"
            predicted = names[evaluation.predicted[idx]]
            item = QListWidgetItem(f"read {predicted} ({p:.0%})"
                                   + (f"\ntrue {actual}" if labelled else ""))
            if shape is not None:
                item.setIcon(image_icon(evaluation.dataset.x[idx], shape))
            item.setData(Qt.UserRole, int(idx))
            item.setToolTip(f"image #{idx}: actual {actual}, answered {predicted} with "
                            f"p = {p:.3f}. Click: show it on the drawing pad")
            self.list.addItem(item)
        self.list.itemClicked.connect(self._on_item_clicked)
        shown = min(len(self.indices), self.LIMIT)
        note = QLabel(f"{len(self.indices):,} images, most confident first"
                      + (f" (first {shown} shown)" if shown < len(self.indices) else "")
                      + ". Click one to read it on the drawing pad and see its outputs.")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)

    def _on_item_clicked(self, item):
        index = item.data(Qt.UserRole)
        self.chosen.emit(index)
        if self.evaluation.actual[index] >= 0:
            InspectorDialog(self.evaluation, index, self).show()


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
            box.addItem(pg.ImageItem(display.picture(ds.x[index], ds.image_shape),
                                     axisOrder="row-major", levels=(0, 1)))
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
