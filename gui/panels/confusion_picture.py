"""The confusion matrix drawn as one picture, in one of two grids.

The detailed grid shows each cell's most confident examples under its count; the compact
grid shows the counts alone, large. The panel picks the detailed grid when its counts come
out at least :data:`LEGIBLE_PX` pixels tall (times the app's zoom) in the space it has, and
the compact one otherwise: on a projector, in a corner of the presenter view, the numbers a
caption points at must read from the back row. The compact grid is fitted to the space
(:func:`fitted_compact`): cells just wide enough for the widest count, margins just wide
enough for the names and figures in them, and the cells stretched to the panel's shape, so
that the counts come out as large as the space allows.
"""

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from digit_descent.engine.metrics import recall_precision

from .. import display, style

RENDER_SCALE = 2  # picture pixels per unit: sharp on a 1920×1080 projector
THUMB = 28  # a thumbnail's side, in units
# The smallest count, in screen pixels at zoom 1, shown with the examples: 21 px in the
# presenter view at 1920×1080, whose zoom is 1.5.
LEGIBLE_PX = 14


@dataclass(frozen=True)
class Grid:
    """The picture's geometry, in units (``RENDER_SCALE`` picture pixels each).

    Cell (i, j) spans x ∈ [j·cell_w, (j+1)·cell_w), y ∈ [i·cell_h, (i+1)·cell_h); the
    picture's top-left corner is at (−left, −top). ``thumbs`` examples per cell (0: none);
    ``count`` and ``diagonal`` are the pixel sizes of the counts off and on the diagonal,
    ``text`` that of the margins' figures.
    """

    thumbs: int
    cell_w: int
    cell_h: int
    count: int
    diagonal: int
    text: int
    left: int
    top: int
    right: int
    bottom: int

    def size(self, k):
        """``(width, height)`` of the whole picture of ``k`` classes, in units."""
        return (self.left + k * self.cell_w + self.right, self.top + k * self.cell_h + self.bottom)

    def count_px(self, k, width, height):
        """How tall an off-diagonal count is, in screen pixels, when the picture is fitted
        into ``width`` × ``height`` pixels."""
        w, h = self.size(k)
        return self.count * min(width / w, height / h)


DETAILED = Grid(thumbs=3, cell_w=3 * (THUMB + 2) + 2, cell_h=THUMB + 34, count=18, diagonal=21,
                text=18, left=100, top=70, right=190, bottom=40)
COMPACT = Grid(thumbs=0, cell_w=90, cell_h=34, count=30, diagonal=30, text=22, left=100,
               top=66, right=190, bottom=40)
NARROWEST_LEFT = 64  # the compact grid's left margin at least ("precision", "actual ↓")
DIAGONAL_SHRINK = 0.85  # a fitted cell holds the diagonal's (widest) counts this much smaller
STEP = 4  # the fitted grid's sizes are multiples of this (a resize redraws less often)


def choose_grid(k, width, height, zoom=1.0, labels=None, names=()):
    """The detailed grid if its counts are legible in ``width`` × ``height`` screen pixels
    at ``zoom``, else the compact one, fitted to the space (given the cells' ``labels``,
    see :func:`cell_labels`, and the class ``names``; without them, :data:`COMPACT`)."""
    legible = DETAILED.count_px(k, width, height) >= LEGIBLE_PX * zoom
    if legible:
        return DETAILED
    return COMPACT if labels is None else fitted_compact(k, labels, names, width, height)


def fitted_compact(k, labels, names, width, height):
    """The compact grid for ``k`` classes fitted to ``width`` × ``height`` pixels: each
    cell as wide as the widest of ``labels`` ({(i, j): text}) needs at the counts' size (the
    diagonal's, bold and often a digit longer, at DIAGONAL_SHRINK of it), the margins as
    wide as the class ``names`` and the recall figures need, then the cells widened (or made
    taller) until the picture has the space's shape."""
    g = COMPACT
    widest = max((_advance(text, round(g.diagonal * DIAGONAL_SHRINK), True) if i == j
                  else _advance(text, g.count) for (i, j), text in labels.items()),
                 default=0) + 6
    named = max((_advance(name, g.text + 6, True) for name in names), default=0)
    grid = replace(g, cell_w=_step(max(g.cell_h + 6, widest)),
                   left=_step(min(g.left, max(NARROWEST_LEFT, named + 16))),
                   right=_step(max(_advance("99.9%", g.text), _advance("recall", g.text)) + 16))
    w, h = grid.size(k)
    shape = width / max(height, 1)
    if w / h < shape:  # room to spare across: wider cells (at most three times as wide)
        cell_w = (shape * h - grid.left - grid.right) / k
        return replace(grid, cell_w=_step(min(cell_w, 3 * grid.cell_w), down=True))
    cell_h = (w / shape - grid.top - grid.bottom) / k  # room to spare down: taller cells
    return replace(grid, cell_h=_step(min(max(cell_h, grid.cell_h), grid.cell_w), down=True))


def _advance(text, pixels, bold=False):
    return QFontMetrics(font_px(pixels, bold)).horizontalAdvance(text)


def _step(units, down=False):
    """``units`` rounded up (``down``: down) to a multiple of STEP."""
    whole = units // STEP if down else -(-units // STEP)
    return int(max(whole, 1) * STEP)


def cell_labels(confusion, percent=False):
    """{(i, j): text} of the non-empty cells of ``confusion`` (k × k counts): the count
    ("1,135"), or with ``percent`` the share of the row ("12.5%")."""
    rates = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    return {(int(i), int(j)): f"{100 * rates[i, j]:.1f}%" if percent else f"{confusion[i, j]:,}"
            for i, j in zip(*np.nonzero(confusion))}


def font_px(pixels, bold=False):
    f = QFont()
    f.setPixelSize(pixels)
    f.setBold(bold)
    return f


def fitting_size(text, width, size, bold=False, smallest=11):
    """The largest pixel size ≤ ``size`` at which ``text`` is at most ``width`` wide."""
    while size > smallest and QFontMetrics(font_px(size, bold)).horizontalAdvance(text) > width:
        size -= 1
    return size


def render_confusion(ev, grid=DETAILED, percent=False):
    """The confusion matrix of the evaluation ``ev`` as one QImage (``RENDER_SCALE`` pixels
    per unit of ``grid``) and the list of its texts (for tests and accessibility)."""
    k = ev.n_classes
    confusion = ev.confusion()
    rates = confusion / np.maximum(confusion.sum(axis=1, keepdims=True), 1)
    recall, precision = recall_precision(confusion)
    names = ev.dataset.class_names
    cw, ch = grid.cell_w, grid.cell_h
    width, height = grid.size(k)
    image = QImage(width * RENDER_SCALE, height * RENDER_SCALE, QImage.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.TextAntialiasing)  # rectangles need no antialiasing
    painter.scale(RENDER_SCALE, RENDER_SCALE)
    painter.translate(grid.left, grid.top)
    texts = []

    def text(s, x, y, align, size, bold=False, colour=style.INK):
        painter.setFont(font_px(size, bold))
        painter.setPen(QColor(colour))
        w, h = 240, 60
        dx = {"left": 0, "center": -w / 2, "right": -w}[align[0]]
        dy = {"top": 0, "center": -h / 2, "bottom": -h}[align[1]]
        flags = {"left": Qt.AlignLeft, "center": Qt.AlignHCenter, "right": Qt.AlignRight}[align[0]] | \
            {"top": Qt.AlignTop, "center": Qt.AlignVCenter, "bottom": Qt.AlignBottom}[align[1]]
        painter.drawText(QRectF(x + dx, y + dy, w, h), flags, s)
        texts.append(s)

    # one size for all the names of a row or column header, the largest at which all fit
    largest = grid.text + 6
    row_size = min(fitting_size(name, grid.left - 12, largest, bold=True) for name in names)
    column_size = min(fitting_size(name, cw - 6, largest, bold=True) for name in names)
    green, orange = QColor(style.GREEN), QColor(style.ORANGE)
    for i in range(k):
        for j in range(k):
            base = green if i == j else orange
            alpha = (40 + 180 * min(1.0, rates[i, j] * (1 if i == j else 4))) / 255 \
                if confusion[i, j] else 12 / 255
            # blended with the white page here: opaque fills are much faster than translucent
            colour = QColor(*(round(255 + (c - 255) * alpha)
                              for c in (base.red(), base.green(), base.blue())))
            painter.fillRect(QRectF(j * cw + 1, i * ch + 1, cw - 2, ch - 2), colour)
    thumbs = _thumbnail_image(ev, k, grid, RENDER_SCALE) if grid.thumbs else None
    if thumbs is not None:  # already at the picture's resolution: a plain copy, no resampling
        painter.save()
        painter.resetTransform()
        painter.drawImage(grid.left * RENDER_SCALE, grid.top * RENDER_SCALE, thumbs)
        painter.restore()
    count_y = 15 if grid.thumbs else ch / 2
    for (i, j), label in sorted(cell_labels(confusion, percent).items()):
        size = fitting_size(label, cw - 4, grid.diagonal if i == j else grid.count, bold=i == j)
        text(label, (j + 0.5) * cw, i * ch + count_y, ("center", "center"), size, bold=i == j)
    for i in range(k):
        text(names[i], -8, (i + 0.5) * ch, ("right", "center"), row_size, bold=True)
        text(names[i], (i + 0.5) * cw, -6, ("center", "bottom"), column_size, bold=True)
        text(_pct(recall[i]), k * cw + 8, (i + 0.5) * ch, ("left", "center"),
             fitting_size(_pct(recall[i]), grid.right - 10, grid.text))  # "100.0%" too
        text(_pct(precision[i]), (i + 0.5) * cw, k * ch + 6, ("center", "top"),
             fitting_size(_pct(precision[i]), cw - 4, grid.text))
    label = grid.text + 2
    text("recall", k * cw + 8, -6, ("left", "bottom"), grid.text, colour=style.GREY)
    text("precision", -8, k * ch + 6, ("right", "top"), fitting_size("precision", grid.left - 10,
                                                                     grid.text), colour=style.GREY)
    text("predicted →", k * cw / 2, -6 - 1.4 * column_size, ("center", "bottom"), label,
         colour=style.GREY)
    text("actual ↓", 4 - grid.left, -6 - 1.4 * column_size, ("left", "bottom"), label,
         colour=style.GREY)
    accuracy = f"accuracy {ev.accuracy:.2%}"
    size = fitting_size(accuracy, grid.right - 10, grid.text, bold=True)
    if _advance(accuracy, size, True) <= grid.right - 10:
        text(accuracy, k * cw + 8, k * ch + 6, ("left", "top"), size, bold=True)
    else:  # a narrow margin (a fitted compact grid): top right, on the line of "predicted →"
        text(accuracy, k * cw + grid.right - 4, -6 - 1.4 * column_size, ("right", "bottom"),
             grid.text, bold=True)
    painter.end()
    return image, texts


def _thumbnail_image(ev, k, grid, scale=1):
    """A (k·cell_h·scale, k·cell_w·scale) ARGB QImage: each cell's most confident examples
    (pixels repeated ``scale`` times), transparent elsewhere."""
    shape = ev.dataset.image_shape
    if shape is None:
        return None
    cw, ch, n = grid.cell_w, grid.cell_h, grid.thumbs
    colour = display.is_colour(shape)
    top = ev.top_per_cell(n)  # (k, k, n), −1 where a cell has fewer
    tiles = display.resample(display.picture(ev.dataset.x[np.maximum(top, 0)], shape), THUMB,
                             colour)
    if not colour:
        tiles = np.repeat(tiles[..., None], 3, axis=-1)
    present = top >= 0
    rgb = np.zeros((k, k, ch, cw, 3), np.uint8)
    alpha = np.zeros((k, k, ch, cw), np.uint8)
    y0 = thumb_top(grid)
    for t in range(n):
        x0 = 2 + t * (THUMB + 2)
        rgb[:, :, y0:y0 + THUMB, x0:x0 + THUMB] = (255 * tiles[:, :, t]).astype(np.uint8)
        alpha[:, :, y0:y0 + THUMB, x0:x0 + THUMB] = np.where(present[:, :, t, None, None], 255, 0)
    rgb = rgb.transpose(0, 2, 1, 3, 4).reshape(k * ch, k * cw, 3)
    alpha = alpha.transpose(0, 2, 1, 3).reshape(k * ch, k * cw)
    bgra = np.concatenate([rgb[..., ::-1], alpha[..., None]], axis=-1)
    bgra = np.ascontiguousarray(bgra.repeat(scale, axis=0).repeat(scale, axis=1))
    h, w = bgra.shape[:2]
    return QImage(bgra.data, w, h, 4 * w, QImage.Format_ARGB32).copy()


def thumb_top(grid):
    """The thumbnails' top edge within a cell, in units."""
    return grid.cell_h - THUMB - 3


def _pct(value):
    return "–" if not np.isfinite(value) else f"{value:.1%}"
