"""The node-link view's layout: node sizes and column spacing for the panel's shape, the
columns' titles, and where the hover card goes (clear of what it describes).

Lengths are in the view's units (a node is NODE wide) unless named ``_px``.
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRect

from .. import style

NODE = 1.1  # a node's side, in the view's units
PITCH = 1.3  # from one node's centre to the next in a column
GAP = 2.8  # from one column to the next (tall columns are spread wider: GAP_RATIO), unless
GAP_RATIO = 0.45  # the panel is narrow: then columns close up to GAP_MIN, so that the nodes
GAP_MIN = 1.9  # are as large as the panel's height allows
VIEW_MARGIN_PX = 9  # the graphics layout's margin around the view box
MAX_NODE_PX = 80  # larger nodes tell no more (a neuron's picture is 100 × 100) and paint slower


def spacing(width_px, height_px, columns, height, left_px, right_px, titles):
    """``(pixels a unit, column gap in units, two-line titles, staggered titles)`` for a
    view of ``width_px × height_px``, ``columns`` columns ``height`` units tall (names of
    ``left_px`` and ``right_px`` beside them; ``titles[layer]``: the one- and two-line title
    items): the nodes as large as the panel allows (the view keeps its aspect): as tall as its
    height allows, unless the columns, at least GAP_MIN apart and their titles clear of
    each other (on one line, two, or every other one raised), need more width than it
    has; a wide panel spreads the columns up to twice the spread a tall network's links
    need to be told apart."""
    w = max(width_px - 2 * VIEW_MARGIN_PX, 10) - left_px - right_px - 8
    h = max(height_px - 2 * VIEW_MARGIN_PX, 10)
    best = None
    for two, stagger in ((False, False), (True, False), (True, True)):
        title_w = (max(text_px(t[two])[0] for t in titles.values()) + 8) / (1 + stagger)
        title_h = max(text_px(t[two])[1] for t in titles.values()) * (1 + stagger)
        unit = (h - title_h - 8) / (height + 0.3)  # as tall as the panel
        if columns > 1:  # ... or as wide
            room = w - (columns - 1) * title_w
            unit = min(unit, w / ((columns - 1) * GAP_MIN + NODE),
                       room / NODE if room > 0 else 0.0)
        if best is None or unit > best[0] + 0.5:
            best = (unit, two, stagger)
    unit, two, stagger = best
    unit = min(max(unit, 1.0), style.scaled(MAX_NODE_PX) / NODE)
    gap = GAP_MIN if columns < 2 else (w - NODE * unit) / ((columns - 1) * unit)
    spread = max(GAP, GAP_RATIO * height)
    return unit, float(np.clip(gap, GAP_MIN, 2 * spread)), two, stagger


def card_place(size, bounds, panel, element, column, network, mouse, gap):
    """Where the hover card goes: never over the element it describes and, where there
    is room, not over its column: first the panel's empty space below or above the
    drawing, then beside the drawing (over the window's other panels), then beside the
    column, then anywhere in the window clear of the element.

    All rectangles in the window's pixels: ``bounds`` the window, ``panel`` the view's,
    ``element``, ``column`` and ``network`` around the hovered item, its column and the
    whole drawing; ``mouse`` a QPoint; ``gap`` the pixels kept clear. Returns a QPoint."""
    w, h = size.width(), size.height()
    x = max(panel.left(), min(mouse.x() - w // 2, panel.right() - w))
    x = max(0, min(x, bounds.width() - w))
    y = max(0, min(mouse.y() - h // 2, bounds.height() - h))
    tries = [(QPoint(x, network.bottom() + gap), panel, column),
             (QPoint(x, network.top() - gap - h), panel, column),
             (QPoint(network.left() - gap - w, y), bounds, network),
             (QPoint(network.right() + gap, y), bounds, network),
             (QPoint(column.right() + gap, y), bounds, column),
             (QPoint(column.left() - gap - w, y), bounds, column),
             (QPoint(x, element.bottom() + gap), bounds, element),
             (QPoint(x, element.top() - gap - h), bounds, element),
             (QPoint(element.right() + gap, y), bounds, element),
             (QPoint(element.left() - gap - w, y), bounds, element)]
    for corner, inside, avoid in tries:
        card = QRect(corner, size)
        if inside.contains(card) and not card.intersects(avoid):
            return corner
    corners = [QPoint(0, 0), QPoint(bounds.width() - w, 0), QPoint(0, bounds.height() - h),
               QPoint(bounds.width() - w, bounds.height() - h)]
    return next((c for c in corners if not QRect(c, size).intersects(element)),
                corners[0])


def title_item(layer, last, n, two_lines=False):
    """A column's title item: "hidden 1" over "(4)", or for narrow columns "hidden" over
    "1 (4)"."""
    title, count = _layer_title(layer, last, n)
    if two_lines and " " in title:
        title, number = title.split(" ")
        count = f"<b>{number}</b> {count}"
    item = pg.TextItem(html=f'<div style="text-align:center; color:{style.INK}">'
                       f'<b>{title}</b><br>{count}</div>', anchor=(0.5, 1))
    style.sized_font(item, 12)
    item.setTextWidth(-1)
    return item


def text_px(item):
    """A text item's width and height on screen, in pixels."""
    r = item.textItem.boundingRect()
    return r.width(), r.height()


def _layer_title(layer, last, n):
    """The column's title and the count below it."""
    name = "inputs" if layer == 0 else "output" if layer == last else f"hidden {layer}"
    return name, f"({n})" if 0 < layer < last else ""


def text_item(text, points, bold=False, anchor=(0.5, 0.5)):
    item = pg.TextItem(text, color=style.INK, anchor=anchor)
    style.sized_font(item, points, bold)
    return item
