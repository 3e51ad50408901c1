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
from PySide6.QtCore import QLineF, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QLabel, QLineEdit, QVBoxLayout, QWidget

from digit_descent.engine.network import unflatten

from .. import style
from .nodelink_layout import NODE, PITCH, card_place, spacing, text_item, text_px, title_item

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
        self._aspect = None  # the panel's width / height the columns were spaced for
        self._last = None  # show_network's arguments, to lay out again on a resize
        self._range = None  # the drawing's rectangle in the view's units
        self.weights = self.biases = None
        self.off = []
        self._shown_links = {}
        self._pens = {}
        self._card_time = 0.0
        self.vb.sigResized.connect(self._fit)
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
        self.texts = []
        last, columns = len(sizes) - 1, len(sizes) - first
        height = max(sizes[first:]) * PITCH
        titles = {layer: [title_item(layer, last, sizes[layer], two) for two in (False, True)]
                  for layer in range(first, len(sizes))}
        names = {first: input_names if first == 0 else None, last: output_names}
        labels = {(layer, j): text_item(label, 12, anchor=(0, 0.5) if layer == last else (1, 0.5))
                  for layer, some in names.items() for j, label in enumerate(some or ())}
        side = {end: max([text_px(item)[0] for (layer, _), item in labels.items() if layer == end],
                         default=0.0) for end in (first, last)}  # the names beside the ends
        half = {end: text_px(titles[end][1])[0] / 2 for end in (first, last)}  # a title's overhang
        self._aspect = max(self.width(), 1) / max(self.height(), 1)
        unit, gap, two, stagger = spacing(self.width(), self.height(), columns, height,
                                          max(side[first], half[first]),
                                          max(side[last], half[last]), titles)
        title_h = max(text_px(titles[layer][two])[1] for layer in titles) / unit
        half = {end: text_px(titles[end][two])[0] / 2 / unit + 0.1 for end in (first, last)}
        self.gap = gap
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
            item = titles[layer][two]
            item.setPos(x, height / 2 + 0.1 + title_h * (stagger and (layer - first) % 2))
            self.vb.addItem(item)
            self.texts.append(item)
        for (layer, j), item in labels.items():
            cx, cy = self.centres[layer][j]
            item.setPos(cx + (NODE / 2 + 0.1) * (1 if layer == last else -1), cy)
            self.vb.addItem(item)
            self.texts.append(item)
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
        title_h *= 1 + stagger
        left = max(NODE / 2 + 0.2 + side[first] / unit, half[first])
        right = max(NODE / 2 + 0.2 + side[last] / unit, half[last])
        self._range = QRectF(-left, -height / 2 - 0.1, (columns - 1) * gap + left + right,
                             height + 0.3 + title_h)
        self._fit()
        if self.hovered is not None and not self._exists(self.hovered):
            self.hovered = None  # the network changed shape under the card
            self.hover_label.hide()

    def _exists(self, target):
        """Whether the neuron or link ``target`` is in the drawing."""
        kind, index = target
        if kind == "neuron":
            return index in self.frames
        l, to, frm = index
        return l in self.links and to < self.sizes[l + 1] and frm < self.sizes[l]

    def _fit(self):
        """Show the whole drawing, centred: its rectangle widened or heightened to the view's
        shape (left to the aspect lock, pyqtgraph may cut the wider side)."""
        size = self.vb.size()
        if self._range is None or size.width() < 2 or size.height() < 2:
            return
        r, aspect = QRectF(self._range), size.width() / size.height()
        if r.width() / r.height() < aspect:
            extra = r.height() * aspect - r.width()
            r.adjust(-extra / 2, 0, extra / 2, 0)
        else:
            extra = r.width() / aspect - r.height()
            r.adjust(0, -extra / 2, 0, extra / 2)
        self.vb.setRange(r, padding=0)

    def resizeEvent(self, event):
        """Space the columns again for the panel's new shape (when it changed by over 10%)."""
        super().resizeEvent(event)
        aspect = max(self.width(), 1) / max(self.height(), 1)
        if self._last is not None and self._aspect is not None and \
                abs(np.log(aspect / self._aspect)) > 0.1:
            self._shape = None
            self.show_network(*self._last)

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
        self._last = (sizes, params, pictures, off, first, input_names, output_names)
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
        label.move(self._card_place(label.size()))
        self.hover_label.show()
        self.hover_label.raise_()

    def _window_rect(self, items, scene=None):
        """The window's rectangle around graphics ``items`` (texts) and the scene's
        rectangle ``scene``."""
        scene = QRectF() if scene is None else scene
        for item in items:
            scene = scene.united(item.sceneBoundingRect())
        r = self.view.mapFromScene(scene).boundingRect()
        return QRect(self.view.mapTo(self.window(), r.topLeft()), r.size())

    def hovered_rects(self):
        """``(element, column, network)``: the window's rectangles around the hovered neuron
        or link, around its column (a link: the two columns it joins) and around the whole
        drawing with its titles."""
        self.vb.updateMatrix()  # (pyqtgraph maps a new range lazily, at the next paint)
        kind, index = self.hovered
        if kind == "neuron":
            element = self._window_rect([], self._nodes_rect([index]))
            layers = (index[0],)
        else:
            l, to, frm = index
            ends = [self.vb.mapViewToScene(QPointF(*self._end(l + k, j, not k)))
                    for k, j in ((0, frm), (1, to))]
            element = self._window_rect([], QRectF(*ends).normalized())
            element.adjust(-HIT_PX, -HIT_PX, HIT_PX, HIT_PX)
            layers = (l, l + 1) if l >= self.first else (l + 1,)
        column = self._window_rect([], self._nodes_rect([k for k in self.frames
                                                         if k[0] in layers]))
        network = self._window_rect(self.texts, self._nodes_rect(list(self.frames)))
        return element, column, network

    def _nodes_rect(self, keys):
        """The scene's rectangle around the nodes ``keys`` ((layer, j) pairs), from their
        centres (an item's bounds hold its pen's width in view units: too wide)."""
        c = np.array([self.centres[layer][j] for layer, j in keys])
        corners = [self.vb.mapViewToScene(QPointF(*(c.min(0) - NODE / 2))),
                   self.vb.mapViewToScene(QPointF(*(c.max(0) + NODE / 2)))]
        return QRectF(*corners).normalized()

    def _card_place(self, size):
        """Where the hover card goes (see :func:`.nodelink_layout.card_place`)."""
        window = self.window()
        return card_place(size, window.rect(), QRect(self.mapTo(window, QPoint()), self.size()),
                          *self.hovered_rects(), self.mapTo(window, self._mouse),
                          int(style.scaled(10)))

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
