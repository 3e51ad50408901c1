"""Colours, fonts and pens shared by the panels: legible on a projector, colour-blind safe.

One zoom factor scales every font, tick label, line and marker of the app together
(View → Zoom, Ctrl + / Ctrl − / Ctrl 0). Sizes are given at zoom 1; the helpers below
apply them scaled and apply them again whenever the zoom changes, for as long as the widget
or item they styled lives.
"""

import weakref

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

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
APP_FONT_PT = 10  # widgets without a size of their own (menus, combo boxes, buttons…)
ZOOM_RANGE = (0.6, 3.0)
ZOOM_STEP = 1.2

_zoom = [1.0]
_styled = []  # (weak reference, restyle): everything to restyle when the zoom changes


def zoom():
    return _zoom[0]


def scaled(size):
    """``size`` (points, pixels of a pen…) at the current zoom."""
    return size * _zoom[0]


def set_zoom(factor):
    """Zoom everything styled here (and the app's own font) to ``factor`` (clamped)."""
    low, high = ZOOM_RANGE
    _zoom[0] = min(high, max(low, float(factor)))
    app = QApplication.instance()
    if app is not None:
        font = app.font()
        font.setPointSizeF(scaled(APP_FONT_PT))
        app.setFont(font)
    alive = []
    for ref, restyle in _styled:
        target = ref()
        if target is None:
            continue
        try:
            restyle(target)
        except RuntimeError:  # its Qt object was deleted
            continue
        alive.append((ref, restyle))
    _styled[:] = alive
    return _zoom[0]


def keep(target, restyle):
    """``restyle(target)`` now, and again at every zoom change while ``target`` lives."""
    restyle(target)
    _styled.append((weakref.ref(target), restyle))
    return target


def font(points, bold=False):
    """A QFont of ``points`` at the current zoom."""
    f = QFont()
    f.setPointSizeF(scaled(points))
    f.setBold(bold)
    return f


def sized_font(target, points, bold=False):
    """Give ``target`` (a widget or a text item) a font of ``points``, kept zoomed."""
    return keep(target, lambda t: t.setFont(font(points, bold)))


def sized_text(widget, points, css=""):
    """A style sheet with ``css`` and a font size of ``points`` for ``widget``, kept zoomed."""
    return keep(widget, lambda w: w.setStyleSheet(f"{css} font-size: {scaled(points):.1f}pt;"))


def sized_label(label, points):
    """A pyqtgraph LabelItem (a plot's title, a layout's label) at ``points``, kept zoomed."""
    return keep(label, lambda item: item.setText(item.text, size=f"{scaled(points):.1f}pt"))


def sized_pen(item, colour, width=2.0, alpha=255, style=None):
    """``item.setPen`` with a pen of ``width`` at the current zoom, kept zoomed."""
    return keep(item, lambda i: i.setPen(pen(colour, scaled(width), alpha, style)))


def sized_symbol(item, size):
    """A PlotDataItem's or ScatterPlotItem's marker size, kept zoomed."""
    setter = getattr(item, "setSymbolSize", None) or item.setSize
    return keep(item, lambda i: setter(scaled(size)))


def configure_pyqtgraph():
    """Global pyqtgraph settings: row-major images, white background, antialiased lines."""
    pg.setConfigOptions(imageAxisOrder="row-major", background=BACKGROUND, foreground=INK,
                        antialias=True)


def style_plot(plot_item, left="", bottom="", right=None):
    """Large tick labels and axis titles on a ``PlotItem``, kept zoomed."""
    names = ["left", "bottom"] + (["right"] if right is not None else [])
    for name, text in zip(names, [left, bottom, right]):
        axis = plot_item.getAxis(name)
        axis.setTextPen(INK)
        axis.enableAutoSIPrefix(False)  # "−0.55", never "−550 (x0.001)"
        axis.setLabel(text)
        keep(axis, _restyle_axis)


def style_colorbar(colorbar):
    """A ColorBarItem's axis like the plots' (ticks, title, width), kept zoomed. Its title
    sits on another axis of the bar (pyqtgraph puts the label opposite the ticks)."""
    colorbar.axis.setTextPen(INK)
    keep(colorbar.axis, _restyle_colorbar_axis)
    for name in ("left", "right", "top", "bottom"):
        axis = colorbar.getAxis(name)
        if axis is not colorbar.axis and axis.labelText:
            keep(axis, lambda a: axis_label(a, a.labelText))


def _restyle_colorbar_axis(axis):
    _restyle_axis(axis)
    axis.setWidth(int(round(scaled(48))))


def axis_label(axis, text):
    """Change an axis title (its size follows the zoom)."""
    axis.setLabel(text, **{"font-size": f"{scaled(LABEL_FONT_PT):.1f}pt"})


def _restyle_axis(axis):
    axis.setTickFont(font(AXIS_FONT_PT))
    axis.setPen(pen(INK, scaled(1)))
    axis.setStyle(tickTextOffset=int(round(scaled(4))), tickLength=int(round(scaled(-5))))
    axis_label(axis, axis.labelText)


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


def device_pixels(width):
    """A cosmetic pen's ``width`` in device pixels: Qt draws cosmetic pens (pyqtgraph's)
    in device pixels, so on a screen scaled by 2 (a 4K projector) a 2-px line would be
    drawn half as thick as everything else."""
    app = QApplication.instance()
    return width * (app.devicePixelRatio() if app is not None else 1.0)


def pen(colour, width=2.0, alpha=255, style=None):
    """A pyqtgraph pen of ``width`` logical pixels (see :func:`device_pixels`)."""
    c = QColor(colour)
    c.setAlpha(alpha)
    kw = {"color": c, "width": device_pixels(width)}
    if style is not None:
        kw["style"] = style
    return pg.mkPen(**kw)
