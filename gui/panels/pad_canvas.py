"""The drawing pad's canvas (draw with the mouse or a pen, undo) and its saliency overlay."""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .. import style
from ..pixels import image_array

CANVAS = 280  # the drawing's resolution, whatever the widget's size
UNDO_DEPTH = 30


class DrawingCanvas(QWidget):
    """A square canvas: left button draws, right button (or the eraser) erases.

    The drawing is a ``CANVAS``×``CANVAS`` grey image, ink 1, background 0,
    shown dark on light and scaled to the widget.
    """

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image = QImage(CANVAS, CANVAS, QImage.Format_Grayscale8)
        self.image.fill(0)
        self.thickness = 22
        self.eraser = False
        self._undo = []
        self.exact = None  # the 28×28 image set_array showed, until the drawing changes
        self._last = None
        self._erasing = False
        self.setMinimumSize(140, 140)  # beside the answer in a pad a third of 1280 px wide
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setCursor(Qt.CrossCursor)
        self.setToolTip("Draw a digit with the left button; the right button erases")

    def sizeHint(self):
        return QSize(CANVAS + 40, CANVAS + 40)

    def _square(self):
        side = min(self.width(), self.height()) - 1  # the frame's right and bottom lines inside
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_canvas(self, pos):
        r = self._square()
        return QPointF((pos.x() - r.x()) * CANVAS / r.width(), (pos.y() - r.y()) * CANVAS / r.height())

    def paintEvent(self, _event):
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().window())
        inverted = self.image.copy()
        inverted.invertPixels()
        p.setRenderHint(QPainter.SmoothPixmapTransform)
        p.drawImage(self._square(), inverted)
        p.setPen(QPen(QColor(style.GREY), 1))
        p.drawRect(self._square())

    def mousePressEvent(self, event):
        self.push_undo()
        self._erasing = self.eraser or event.button() == Qt.RightButton
        self._last = self._to_canvas(event.position())
        self._stroke(self._last, self._last)

    def mouseMoveEvent(self, event):
        if self._last is None:
            return
        point = self._to_canvas(event.position())
        self._stroke(self._last, point)
        self._last = point

    def mouseReleaseEvent(self, _event):
        self._last = None

    def _stroke(self, a, b):
        p = QPainter(self.image)
        p.setRenderHint(QPainter.Antialiasing)  # a soft, round brush
        colour = QColor(0, 0, 0) if self._erasing else QColor(255, 255, 255)
        width = self.thickness * (2 if self._erasing else 1)
        p.setPen(QPen(colour, width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        p.drawLine(a, b)
        p.end()
        self.exact = None
        self.update()
        self.changed.emit()

    def push_undo(self):
        self._undo.append(self.image.copy())
        del self._undo[:-UNDO_DEPTH]

    def undo(self):
        if self._undo:
            self.image = self._undo.pop()
            self.exact = None
            self.update()
            self.changed.emit()

    def clear(self):
        self.push_undo()
        self.image.fill(0)
        self.exact = None
        self.update()
        self.changed.emit()

    def array(self):
        """The drawing as ``(CANVAS, CANVAS)`` float32, ink 1."""
        return image_array(self.image, QImage.Format_Grayscale8).astype(np.float32) / 255

    def set_array(self, values, exact=None):
        """Show ``values`` (any 2-D array, ink 1) scaled to the canvas, smoothly.

        ``exact`` (default: ``values`` if 28×28) is the 28×28 input read until the drawing
        changes: a test image is read as it is, not re-framed like a drawing
        (Fashion-MNIST's fill their frame), and a loaded image as the file reader read it.
        """
        self.push_undo()
        values = np.clip(np.nan_to_num(np.asarray(values, np.float32)), 0, 1)
        self.exact = exact if exact is not None else values if values.shape == (28, 28) else None
        grey = np.ascontiguousarray(values * 255, np.uint8)
        h, w = grey.shape
        small = QImage(grey.data, w, h, w, QImage.Format_Grayscale8).copy()
        self.image = small.scaled(CANVAS, CANVAS, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
        self.image = self.image.convertToFormat(QImage.Format_Grayscale8)
        self.update()
        self.changed.emit()


def saliency_rgba(x, gradient):
    """RGBA ``(28, 28, 4)``: input × gradient in the diverging colours, opaque where strong."""
    contribution = (x.reshape(-1) * gradient).reshape(28, 28)
    limit = float(np.abs(contribution).max()) or 1.0
    rgba = style.diverging_colormap().map(np.clip(0.5 + 0.5 * contribution / limit, 0, 1), mode="byte")
    rgba = rgba.reshape(28, 28, 4).copy()
    rgba[..., 3] = np.clip(255 * 1.5 * np.abs(contribution) / limit, 0, 255).astype(np.uint8)
    return rgba
