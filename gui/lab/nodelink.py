"""A small network drawn whole: nodes and links, each neuron with its own picture.

Link width is |w| (relative to the layer's largest), colour its sign (gui.style's POSITIVE,
NEGATIVE); a layer with many links shows only each neuron's strongest incoming ones. Each
node shows a picture (its boundary over the plane, or its 28×28 weights). Hovering a node or
a link shows a card with the numbers of its maths (the owner writes it: see ``card``);
clicking a link or a neuron lets you type its weight or bias; right-clicking a hidden neuron
switches it off or on.
"""

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QLabel, QLineEdit, QVBoxLayout, QWidget

from digit_descent.engine.network import unflatten

from .. import style

NODE = 1.1  # a node's side, in the view's units
PITCH = 1.3  # from one node's centre to the next in a column
GAP = 2.8  # from one column to the next, at least (tall columns are spread wider: GAP_RATIO)
GAP_RATIO = 0.45
ALL_LINKS = 128  # a layer with more links shows each neuron's STRONGEST incoming ones
STRONGEST = 4
MAX_LINK_PX = 9.0
HIT_PX = 6.0
CARD_REFRESH_S = 0.2  # the hover card's numbers follow training this often (it is read)


class NodeLinkView(QWidget):
    """Call :meth:`show_network` with each new set of weights. ``card(kind, index)`` (set by
    the owner) returns the hover card's rich text: kind "neuron" with ``(layer, neuron)``,
    "link" with ``(l, to, frm)`` (the weight ``weights[l][to, frm]``); None hides it.

    Signals: ``weightTyped(l, to, frm, value)``, ``biasTyped(layer, neuron, value)``,
    ``neuronSwitched(layer, neuron, on)``. ``editable`` False: hover only.
    """

    weightTyped = Signal(int, int, int, float)
    biasTyped = Signal(int, int, float)
    neuronSwitched = Signal(int, int, bool)

    def __init__(self, editable=True, parent=None):
        super().__init__(parent)
        self.editable = editable
        self.card_follows_drawing = True  # False: the owner calls refresh_card itself
        self.card = lambda kind, index: None
        self.view = pg.GraphicsLayoutWidget()
        self.vb = self.view.addViewBox()
        self.vb.setAspectLocked(True)
        self.vb.setMouseEnabled(False, False)
        self.vb.setMenuEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.hover_label = QLabel(self)  # moved onto the window when first shown: room
        self.hover_label.setWordWrap(True)
        self.hover_label.setTextFormat(Qt.RichText)
        self.hover_label.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.hover_label.setAutoFillBackground(True)  # opaque: a new text repaints only it
        style.sized_text(self.hover_label, 12, f"background: #fffff4; color: {style.INK}; "
                         "border: 1px solid #888; padding: 6px;")
        self.hover_label.hide()
        self.editor = QLineEdit(self)
        self.editor.setValidator(QDoubleValidator(-100.0, 100.0, 6))
        style.sized_font(self.editor, 13)
        self.editor.hide()
        self.editor.returnPressed.connect(self._typed)
        self.editor.editingFinished.connect(self.editor.hide)
        self.hovered = None  # ("neuron", (layer, j)) or ("link", (l, to, frm))
        self._mouse = QPoint()
        self._card_at = None  # (hovered, mouse) where the card was placed
        self._editing = None
        self._shape = None
        self.weights = self.biases = None
        self.off = []
        self._shown_links = {}
        self._pens = {}
        self._card_time = 0.0
        self.view.scene().sigMouseMoved.connect(self._moved)
        self.view.scene().sigMouseClicked.connect(self._clicked)

    # ----------------------------------------------------------------- layout
    def _build(self, sizes, first, input_names, output_names):
        self.vb.clear()
        self._shape = (sizes, first, tuple(input_names or ()), tuple(output_names or ()))
        self.sizes, self.first = sizes, first
        self.centres = {}
        self.nodes, self.frames, self.links = {}, {}, {}
        self._shown_links = {}
        self._drawn_off = {}
        height = max(sizes[first:]) * PITCH
        gap = self.gap = max(GAP, GAP_RATIO * height)
        for layer in range(first, len(sizes)):
            n = sizes[layer]
            x = (layer - first) * gap
            ys = (np.arange(n)[::-1] - (n - 1) / 2) * PITCH
            self.centres[layer] = np.stack([np.full(n, x), ys], axis=1)
            for j, y in enumerate(ys):
                image = pg.ImageItem()
                image.rect = QRectF(x - NODE / 2, y - NODE / 2, NODE, NODE)
                image.setZValue(2)
                self.vb.addItem(image)
                frame = QGraphicsRectItem(x - NODE / 2, y - NODE / 2, NODE, NODE)
                frame.setZValue(3)
                self.vb.addItem(frame)
                self.nodes[layer, j], self.frames[layer, j] = image, frame
            title, count = _layer_title(layer, len(sizes) - 1, n)
            item = pg.TextItem(html=f'<div style="text-align:center; color:{style.INK}">'
                               f'<b>{title}</b><br>{count}</div>', anchor=(0.5, 1))
            style.sized_font(item, 12)
            item.setTextWidth(-1)
            item.setPos(x, height / 2 + 0.1)
            self.vb.addItem(item)
        names = {first: input_names if first == 0 else None, len(sizes) - 1: output_names}
        for layer, labels in names.items():
            for j, label in enumerate(labels or ()):
                right = layer == len(sizes) - 1
                item = _text(label, 12, anchor=(0, 0.5) if right else (1, 0.5))
                cx, cy = self.centres[layer][j]
                item.setPos(cx + (NODE / 2 + 0.1) * (1 if right else -1), cy)
                self.vb.addItem(item)
        for l in range(max(first, 0), len(sizes) - 1):
            items = []
            for to in range(sizes[l + 1]):
                for frm in range(sizes[l]):
                    line = QGraphicsLineItem(QLineF(*self._end(l, frm, True),
                                                    *self._end(l + 1, to, False)))
                    line.setZValue(1)
                    self.vb.addItem(line)
                    items.append(line)
            self.links[l] = np.array(items, dtype=object).reshape(sizes[l + 1], sizes[l])
        width = (len(sizes) - 1 - first) * gap
        left = 1.2 + NODE if first == 0 and input_names else 0.6 + NODE
        right = 2.8 + NODE if output_names else 0.6 + NODE  # room for the names
        self.vb.setRange(QRectF(-left, -height / 2 - 0.3, width + left + right, height + 2.4),
                         padding=0.02)

    def _end(self, layer, j, out):
        x, y = self.centres[layer][j]
        return x + (NODE / 2 if out else -NODE / 2), y

    # ---------------------------------------------------------------- drawing
    def show_network(self, sizes, params, pictures, off=None, first=0, input_names=None,
                     output_names=None):
        """Draw a network of ``sizes`` with flat ``params``. ``pictures[layer]``: RGB uint8
        ``(n, h, w, 3)`` (one picture a neuron) or None; ``off[layer]``: bool masks of the
        switched-off neurons; layers before ``first`` are not drawn."""
        sizes = tuple(sizes)
        if self._shape != (sizes, first, tuple(input_names or ()), tuple(output_names or ())):
            self._build(sizes, first, input_names, output_names)
        self.weights, self.biases = unflatten(sizes, params)
        off = self.off = off or [np.zeros(n, bool) for n in sizes]
        pen_px = style.scaled(1.5)
        for (layer, j), image in self.nodes.items():
            pics = pictures[layer] if layer < len(pictures) else None
            if pics is not None:
                image.setImage(pics[j], autoLevels=False, levels=(0, 255))
                image.setRect(image.rect)  # after the image: its size sets the scale
            is_off = bool(off[layer][j]) if layer < len(off) else False
            if self._drawn_off.get((layer, j)) != (is_off, pen_px):
                self._drawn_off[layer, j] = (is_off, pen_px)
                image.setOpacity(0.25 if is_off else 1.0)
                self.frames[layer, j].setPen(style.pen(
                    style.GREY if is_off else style.INK, pen_px,
                    style=Qt.DashLine if is_off else None))
        for l, items in self.links.items():
            self._draw_links(l, items, off)
        if self.card_follows_drawing:
            self.refresh_card(due_only=True)

    def _draw_links(self, l, items, off):
        w = self.weights[l]
        size = np.abs(w)
        top = float(size.max()) or 1.0
        shown = np.ones(w.shape, bool)
        if w.size > ALL_LINKS:
            keep = np.argsort(-size, axis=1)[:, :STRONGEST]
            shown[:] = False
            np.put_along_axis(shown, keep, True, axis=1)
        if l < len(off):
            shown[:, off[l]] = False
        widths = 0.5 + (MAX_LINK_PX - 0.5) * size / top
        hovered = self.hovered is not None and self.hovered[0] == "link" \
            and self.hovered[1][0] == l
        for (to, frm), line in np.ndenumerate(items):
            if not shown[to, frm]:
                line.setVisible(False)
                continue
            line.setVisible(True)
            colour = style.POSITIVE if w[to, frm] >= 0 else style.NEGATIVE
            width = style.scaled(widths[to, frm])
            if hovered and self.hovered[1][1:] == (to, frm):
                colour, width = style.INK, width + style.scaled(2)
            line.setPen(self._pen(colour, round(width * 4) / 4))
        self._shown_links[l] = shown

    def _pen(self, colour, width):
        """A link's pen (made once for each colour and quarter-pixel width)."""
        pen = self._pens.get((colour, width))
        if pen is None:
            pen = self._pens[colour, width] = style.pen(colour, width)  # opaque: see README
        return pen

    # ------------------------------------------------------------------ mouse
    def _hit(self, scene_pos):
        if self._shape is None or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.vb.mapSceneToView(scene_pos)
        x, y = p.x(), p.y()
        for layer, c in self.centres.items():
            inside = (np.abs(c[:, 0] - x) <= NODE / 2) & (np.abs(c[:, 1] - y) <= NODE / 2)
            if inside.any():
                return "neuron", (layer, int(np.argmax(inside)))
        px = max(self.vb.viewPixelSize()[0], 1e-9)
        best = None
        for l, shown in self._shown_links.items():
            a = self.centres[l] + (NODE / 2, 0)  # (n_in, 2)
            b = self.centres[l + 1] - (NODE / 2, 0)  # (n_out, 2)
            d = _segment_distance(np.array([x, y]), a[None, :, :], b[:, None, :])
            d[~shown] = np.inf
            to, frm = np.unravel_index(np.argmin(d), d.shape)
            if d[to, frm] / px <= HIT_PX and (best is None or d[to, frm] < best[0]):
                best = (d[to, frm], ("link", (l, int(to), int(frm))))
        return best[1] if best else None

    def _moved(self, scene_pos):
        self._mouse = self.view.mapFromScene(scene_pos) + self.view.pos()
        self.hover(self._hit(scene_pos))

    def leaveEvent(self, event):
        self.hover(None)
        super().leaveEvent(event)

    def hover(self, target):
        """Show the card of ``target`` (as :attr:`hovered`), or hide it (None)."""
        changed = target != self.hovered
        self.hovered = target
        if target is None:
            self.hover_label.hide()
        else:
            self._show_card()
        if changed and self.weights is not None:
            for l, items in self.links.items():
                self._draw_links(l, items, self.off)

    def refresh_card(self, due_only=False):
        """Work the hover card out again (its probe moved, or the weights changed);
        ``due_only``: only if CARD_REFRESH_S have passed since it was. True if it was."""
        now = time.monotonic()
        if self.hovered is None or (due_only and now - self._card_time < CARD_REFRESH_S):
            return False
        self._card_time = now
        self._show_card()
        return True

    def _show_card(self):
        text = self.card(*self.hovered)
        if not text:
            self.hover_label.hide()
            return
        label, window = self.hover_label, self.window()
        if label.parent() is not window:
            label.setParent(window)
        label.setMaximumWidth(int(style.scaled(560)))
        label.setText(text)
        size, same = label.size(), (self.hovered, self._mouse) == self._card_at
        self._card_at = (self.hovered, self._mouse)
        label.adjustSize()
        if same and label.isVisible():  # the numbers moved on: keep the card still, grow only
            label.resize(size.expandedTo(label.size()))
            return
        size = label.size()
        mouse = self.mapTo(window, self._mouse)
        x, y = mouse.x() + 18, mouse.y() + 18
        if x + size.width() > window.width():
            x = max(0, mouse.x() - size.width() - 12)
        y = max(0, min(y, window.height() - size.height()))
        label.move(x, y)
        self.hover_label.show()
        self.hover_label.raise_()

    def _clicked(self, event):
        target = self._hit(event.scenePos())
        if not self.editable or target is None:
            return
        kind, index = target
        if event.button() == Qt.RightButton and kind == "neuron":
            layer, j = index
            if 0 < layer < len(self.sizes) - 1:
                self.neuronSwitched.emit(layer, j, self._is_off(layer, j))
        elif event.button() == Qt.LeftButton:
            if kind == "link":
                l, to, frm = index
                self.edit(target, float(self.weights[l][to, frm]))
            elif index[0] > 0:
                self.edit(target, float(self.biases[index[0] - 1][index[1]]))

    def _is_off(self, layer, j):
        return layer < len(self.off) and bool(self.off[layer][j])

    def edit(self, target, value):
        """Open the box to type the weight or bias of ``target``, holding ``value``."""
        self._editing = target
        self.editor.setText(f"{value:.4g}")
        self.editor.selectAll()
        self.editor.adjustSize()
        self.editor.setFixedWidth(int(style.scaled(110)))
        pos = self._mouse
        self.editor.move(max(0, min(pos.x(), self.width() - self.editor.width())),
                         max(0, min(pos.y() - self.editor.height() - 4,
                                    self.height() - self.editor.height())))
        self.editor.show()
        self.editor.raise_()
        self.editor.setFocus()

    def _typed(self):
        text = self.editor.text().replace("−", "-").replace(",", ".")
        target, self._editing = self._editing, None
        self.editor.hide()
        try:
            value = float(text)
        except ValueError:
            return
        if target is None:
            return
        kind, index = target
        if kind == "link":
            self.weightTyped.emit(*index, value)
        else:
            self.biasTyped.emit(*index, value)


def _segment_distance(p, a, b):
    """Distances from the point ``p`` to the segments ``a``–``b`` (broadcast)."""
    ab = b - a
    t = np.clip(((p - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0, 1)
    return np.linalg.norm(a + t[..., None] * ab - p, axis=-1)


def _layer_title(layer, last, n):
    """The column's title and the count below it."""
    name = "inputs" if layer == 0 else "output" if layer == last else f"hidden {layer}"
    return name, f"({n})" if 0 < layer < last else ""


def _text(text, points, bold=False, anchor=(0.5, 0.5)):
    item = pg.TextItem(text, color=style.INK, anchor=anchor)
    style.sized_font(item, points, bold)
    return item
