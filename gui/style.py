"""Colours, fonts and pens shared by the panels: legible on a projector, colour-blind safe."""

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

# Okabe & Ito's colour-blind-safe palette.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
GREY = "#7f7f7f"
INK = "#222222"
BACKGROUND = "#ffffff"

# The sign of a weight, a gradient or a contribution, everywhere: the ends of one diverging,
# colour-blind-safe colour map (CET-CBD1): blue below zero, yellow above, pale grey at zero.
DIVERGING = "CET-CBD1"
NEGATIVE = "#3A90FE"
POSITIVE = "#A89008"

AXIS_FONT_PT = 11
LABEL_FONT_PT = 12


def configure_pyqtgraph():
    """Global pyqtgraph settings: row-major images, white background, antialiased lines."""
    pg.setConfigOptions(imageAxisOrder="row-major", background=BACKGROUND, foreground=INK,
                        antialias=True)


def style_plot(plot_item, left="", bottom="", right=None):
    """Large tick labels and axis titles on a ``PlotItem``."""
    font = QFont()
    font.setPointSize(AXIS_FONT_PT)
    names = ["left", "bottom"] + (["right"] if right is not None else [])
    for name, text in zip(names, [left, bottom, right]):
        axis = plot_item.getAxis(name)
        axis.setTickFont(font)
        axis.setLabel(text, **{"font-size": f"{LABEL_FONT_PT}pt"})
        axis.setTextPen(INK)
        axis.setPen(INK)
        axis.enableAutoSIPrefix(False)  # "−0.55", never "−550 (x0.001)"


def diverging_colormap():
    """The colour map of signed values (weights, changes, saliency)."""
    return pg.colormap.get(DIVERGING)


def sign_colours(values):
    """:data:`POSITIVE` or :data:`NEGATIVE` for each value (zero counts as positive)."""
    return [POSITIVE if v >= 0 else NEGATIVE for v in values]


def faint(colour, alpha):
    """``colour`` at opacity ``alpha`` (0–255) over the white background, as an opaque colour.

    Qt strokes translucent lines through a blend that it splits over its thread pool span
    by span: a translucent 1-px zig-zag across a plot took 25–65 ms and ~1,300 thread
    hand-overs; the same line opaque takes 2 ms.
    """
    c, back, a = QColor(colour), QColor(BACKGROUND), alpha / 255
    return QColor(*(round(a * x + (1 - a) * b) for x, b in zip(c.getRgb()[:3], back.getRgb()[:3])))


def pen(colour, width=2.0, alpha=255, style=None):
    c = QColor(colour)
    c.setAlpha(alpha)
    kw = {"color": c, "width": width}
    if style is not None:
        kw["style"] = style
    return pg.mkPen(**kw)
