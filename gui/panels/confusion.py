"""Confusion matrix with the most confident examples of every cell.

Reads the :class:`~engine.inspection.Evaluation` s the training thread computes
at each epoch end (or on demand); nothing here runs the network.
"""

from contextlib import nullcontext

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QWidget, QComboBox, QDialog, QGraphicsPixmapItem, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from .. import display, style
from .base import Panel
from .confusion_picture import (RENDER_SCALE, THUMB, cell_labels, choose_grid, render_confusion,
                                thumb_top)


class ConfusionPanel(Panel):
    """Rows: actual class; columns: predicted class."""

    key = "confusion"
    bench_view = True
    title = "Confusion matrix"
    help = ("How often each digit (row) was read as each digit (column), on the test set or the "
            "training set. The diagonal (green) is right; everything else (orange) is a "
            "mistake. With room enough, each cell shows the examples the network was most sure "
            "of; in a small panel (or the presenter view) the counts are shown alone, large "
            "enough to read from the back of a hall. Right margin: "
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
        self._shown = None  # (evaluation, mode, grid) drawn last
        self._k = 0
        self.grid = None  # the picture's geometry (confusion_picture.Grid), by the space
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
        self.box.addItem(self.matrix_item)
        self.box.sigResized.connect(self._redraw)
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
        grid = None if ev is None else choose_grid(
            ev.n_classes, self.box.width(), self.box.height(), style.zoom(),
            cell_labels(ev.confusion(), self.mode.currentIndex() == 1), ev.dataset.class_names)
        key = (ev, self.mode.currentIndex(), grid)
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
        self._draw(ev, grid)

    def _show_message(self, text):
        self.matrix_item.hide()
        self.drawn_texts = []
        self.message.setText(text)
        self.message.setPos(0, 0)
        self.box.setRange(xRange=(-200, 200), yRange=(-100, 100))
        self.summary.setText(" ")

    def _draw(self, ev, grid):
        self.message.setText("")
        self._k, self.grid = ev.n_classes, grid
        image, self.drawn_texts = render_confusion(ev, grid, percent=self.mode.currentIndex() == 1)
        self.matrix_item.setPixmap(QPixmap.fromImage(image))
        self.matrix_item.setPos(-grid.left, -grid.top)
        self.matrix_item.show()
        width, height = grid.size(self._k)
        self.box.setRange(xRange=(-grid.left, width - grid.left),
                          yRange=(-grid.top, height - grid.top), padding=0)
        which = "training-set sample" if self.which.currentIndex() == 1 else "test set"
        self.summary.setText(f"{len(ev.actual):,} {which} images {ev.when}: "
                             f"accuracy {ev.accuracy:.2%}, {int((ev.actual != ev.predicted).sum()):,} mistakes")

    def count_pixels(self):
        """``(count, cell width, cell height)`` as drawn on screen, in pixels: the size of
        an off-diagonal count's font and of a cell (None before a matrix is drawn)."""
        if self.grid is None or not self.matrix_item.isVisible():
            return None
        width, height = self.grid.size(self._k)
        scale = min(self.box.width() / width, self.box.height() / height)
        return self.grid.count * scale, self.grid.cell_w * scale, self.grid.cell_h * scale

    # ----------------------------------------------------------- clicks
    def cell_at(self, scene_pos):
        """``(actual, predicted)`` of the cell under a scene position, or None."""
        if self.evaluation is None or not self.box.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.box.mapSceneToView(scene_pos)
        i, j = int(np.floor(p.y() / self.grid.cell_h)), int(np.floor(p.x() / self.grid.cell_w))
        return (i, j) if 0 <= i < self._k and 0 <= j < self._k else None

    def thumbnail_at(self, scene_pos):
        """Index (in the evaluated set) of the example thumbnail under a scene position, or None."""
        cell = self.cell_at(scene_pos)
        ev = self.evaluation
        grid = self.grid
        if cell is None or ev.dataset.image_shape is None or not grid.thumbs:
            return None
        p = self.box.mapSceneToView(scene_pos)
        x, y = p.x() - cell[1] * grid.cell_w - 2, p.y() - cell[0] * grid.cell_h - thumb_top(grid)
        t = int(x // (THUMB + 2))
        if not (0 <= y < THUMB and 0 <= t < grid.thumbs and x - t * (THUMB + 2) < THUMB):
            return None
        top = ev.cell(*cell, count=grid.thumbs)
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
        self.present(dialog)
        return dialog


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
        style.keep(self.list, self._fit_grid)
        self.list.itemClicked.connect(self._on_item_clicked)
        shown = min(len(self.indices), self.LIMIT)
        note = QLabel(f"{len(self.indices):,} images, most confident first"
                      + (f" (first {shown} shown)" if shown < len(self.indices) else "")
                      + ". Click one to read it on the drawing pad and see its outputs.")
        note.setWordWrap(True)  # beside the panels it has a quarter of the window
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)

    def _fit_grid(self, gallery):
        """Icons and grid cells at the zoom, each cell as wide as its widest line of text (a
        fixed 118-px cell cut "read 8 (55%)" to "(55…" in the presenter view)."""
        metrics = QFontMetrics(style.font(style.APP_FONT_PT))
        lines = [line for row in range(gallery.count())
                 for line in gallery.item(row).text().splitlines()]
        icon = round(style.scaled(56))
        widest = max(map(metrics.horizontalAdvance, lines), default=0)
        gallery.setIconSize(QSize(icon, icon))
        gallery.setGridSize(QSize(max(icon, widest) + 16, icon + 2 * metrics.lineSpacing() + 20))

    def _on_item_clicked(self, item):
        index = item.data(Qt.UserRole)
        self.chosen.emit(index)
        if self.evaluation.actual[index] >= 0:
            self.present(InspectorDialog(self.evaluation, index, self))

    def present(self, view):
        """Show ``view``, the inspector of a clicked image (the views column replaces this: it
        puts the view under the gallery; a gallery on its own shows it as a window)."""
        view.show()


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
        caption = QLabel(f"answered {names[evaluation.predicted[index]]} with "
                         f"{evaluation.confidence[index]:.1%} (green: the right answer)")
        caption.setWordWrap(True)
        style.sized_text(caption, 13)  # as the panel's summary: 26 px in F5 at 1080p
        layout.addWidget(caption)
        layout.addWidget(view, 1)
