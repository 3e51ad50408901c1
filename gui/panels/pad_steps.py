"""The drawing pad's preparation strip: crop → 20-pixel box → centre of mass → 28×28.

Shows :class:`~digit_descent.engine.preprocess.MnistSteps` so a user sees why a drawing or a
photo is read as it is: what was cropped, how small the digit became, where its centre of
mass was, and the 28×28 input the network reads.
"""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from digit_descent.engine.preprocess import BOX, FIELD

from .. import style

CAPTIONS = ("crop", "20-pixel box", "centre of mass", "28×28")
EXACT_CAPTIONS = ("a test image is read as it is: 28×28", "read as it is: 28×28")
CELL = 72  # pixels at zoom 1: the smallest a step is drawn
SHARE = 0.13  # of the panel's height the strip takes when that is more
ARROW = 34  # pixels at zoom 1 between two steps
CAPTION_PT = 11


def grey_image(values):
    """``(h, w)`` ink in [0, 1] → a QImage, ink dark on white (as the canvas shows it)."""
    grey = np.ascontiguousarray(255 - np.clip(values, 0, 1) * 255, np.uint8)
    h, w = grey.shape
    return QImage(grey.data, w, h, w, QImage.Format_Grayscale8).copy()


class StepsStrip(QWidget):
    """Four small pictures with captions and arrows; :meth:`show_steps` sets them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.steps = None
        self.exact = None
        self._panel_height = 0
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.setToolTip("How the drawing becomes the network's input, as MNIST's digits were "
                        "made: cropped to the ink, scaled to fit a 20×20 box, placed in 28×28 "
                        "and shifted so that its centre of mass (red cross) is the image's centre "
                        "(grey cross)")
        style.keep(self, lambda w: w.fit(w._panel_height))

    def fit(self, panel_height):
        """Take SHARE of ``panel_height``, but at least a CELL-pixel step with its caption."""
        self._panel_height = panel_height
        least = style.scaled(CELL + 2.2 * CAPTION_PT + 6)
        self.setFixedHeight(round(max(least, SHARE * panel_height)))

    def show_steps(self, steps, exact=None):
        """Show ``steps`` (MnistSteps), or, with ``steps`` None, the ``exact`` 28×28 image a
        test image is read as (no preparation)."""
        self.steps, self.exact = steps, exact
        self.update()

    def sizeHint(self):
        return QSize(round(style.scaled(4 * CELL + 3 * ARROW)), self.height())

    def _layout(self):
        """The four cells' squares and the caption band's height."""
        caption = style.scaled(2.2 * CAPTION_PT)
        arrow = style.scaled(ARROW)
        side = max(8.0, min(self.height() - caption - 4, (self.width() - 3 * arrow) / 4))
        total = 4 * side + 3 * arrow
        left = (self.width() - total) / 2
        return [QRectF(left + i * (side + arrow), 2, side, side) for i in range(4)], caption

    def paintEvent(self, _event):
        p = QPainter(self)
        p.setFont(style.font(CAPTION_PT))
        cells, caption = self._layout()
        if self.steps is None:  # one picture: as large as the strip's height allows
            if self.exact is not None:
                side = max(8.0, min(self.height() - caption - 4, self.width()))
                cell = QRectF((self.width() - side) / 2, cells[0].top(), side, side)
                self._picture(p, cell, grey_image(self.exact))
                text = next(t for t in EXACT_CAPTIONS  # the shorter one in a narrow pad
                            if p.fontMetrics().horizontalAdvance(t) <= self.width()
                            or t == EXACT_CAPTIONS[-1])
                self._caption(p, QRectF(0, cell.bottom(), self.width(), caption), text)
            return
        steps = self.steps
        if steps.crop.size:
            self._picture(p, self._fit(cells[0], steps.crop.shape), grey_image(steps.crop),
                          smooth=True)
            inner = cells[1].adjusted(*(cells[1].width() * (FIELD - BOX) / FIELD / 2 * s
                                        for s in (1, 1, -1, -1)))
            p.setPen(QPen(QColor(style.GREY), 1, Qt.DashLine))
            p.drawRect(inner)
            self._picture(p, self._fit(inner, steps.box.shape), grey_image(steps.box),
                          frame=False)
        middle = ((FIELD - 1) / 2, (FIELD - 1) / 2)
        self._picture(p, cells[2], grey_image(steps.placed))
        self._cross(p, cells[2], middle, style.GREY)
        if steps.crop.size:
            self._cross(p, cells[2], steps.mass_centre, style.VERMILION)
        self._picture(p, cells[3], grey_image(steps.result))
        self._cross(p, cells[3], middle, style.VERMILION if steps.crop.size else style.GREY)
        p.setPen(QColor(style.INK))
        for i, text in enumerate(CAPTIONS):
            centre = cells[i].center().x()
            band = QRectF(centre - cells[i].width(), cells[i].bottom(), 2 * cells[i].width(),
                          caption)
            self._caption(p, band, text)
            if i < 3:
                gap = QRectF(cells[i].right(), cells[i].top(), cells[i + 1].left()
                             - cells[i].right(), cells[i].height())
                p.drawText(gap, Qt.AlignCenter, "→")

    @staticmethod
    def _fit(cell, shape):
        """The largest rectangle of ``shape``'s aspect ratio centred in ``cell``."""
        h, w = shape
        scale = min(cell.width() / w, cell.height() / h)
        return QRectF(cell.center().x() - w * scale / 2, cell.center().y() - h * scale / 2,
                      w * scale, h * scale)

    @staticmethod
    def _picture(p, rect, image, smooth=False, frame=True):
        p.setRenderHint(QPainter.SmoothPixmapTransform, smooth)
        p.drawImage(rect, image)
        if frame:
            p.setPen(QPen(QColor(style.GREY), 1))
            p.drawRect(rect)

    @staticmethod
    def _cross(p, cell, centre, colour):
        """A cross at ``centre`` (row, column in 28×28 pixels, pixel centres) of ``cell``."""
        unit = cell.width() / FIELD
        point = QPointF(cell.left() + (centre[1] + 0.5) * unit,
                        cell.top() + (centre[0] + 0.5) * unit)
        arm = 2.5 * unit
        p.setPen(QPen(QColor(colour), max(1.5, style.scaled(2))))
        p.drawLine(point - QPointF(arm, 0), point + QPointF(arm, 0))
        p.drawLine(point - QPointF(0, arm), point + QPointF(0, arm))

    @staticmethod
    def _caption(p, band, text):
        p.setPen(QColor(style.INK))
        p.drawText(band, Qt.AlignHCenter | Qt.AlignTop, text)
