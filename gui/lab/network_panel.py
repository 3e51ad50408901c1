"""The lab's node-link panel: its network drawn whole, live, with the numbers in the maths.

Hover a neuron or a link for its card, worked out at the probe (the point under the mouse
in the data panel, or the first training point) with the gradient over the training points.
Click a link or a neuron to type its weight or bias; right-click a hidden neuron to switch
it off or on.
"""

from contextlib import nullcontext

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout

from digit_descent.engine.lab.features import feature_matrix
from digit_descent.engine.lab.maths import link_numbers, neuron_numbers

from .. import style
from ..panels.base import Panel
from .hovercard import input_card, link_card, neuron_card
from .nodelink import NodeLinkView
from .pictures import lab_pictures


class LabNetworkPanel(Panel):
    key = "lab_network"
    title = "Network"
    help = ("The network as nodes and links: a link's width is the size of its weight, its "
            "colour the sign (yellow positive, blue negative); each neuron shows its "
            "activation over the plane. Hover for the numbers, click to type a value, "
            "right-click a hidden neuron to switch it off.")
    redraw_interval_s = 1 / 60

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self.probe = None  # (x, y) of the plane, or None: the first training point
        self.view = NodeLinkView(editable=True)
        self.view.card = self.card
        self.view.card_follows_drawing = False  # the window refreshes it in a turn of its own
        self.hint = QLabel("Hover a neuron or a link for its numbers · click to type a value · "
                           "right-click a hidden neuron to switch it off · Ctrl+Z undoes")
        self.hint.setWordWrap(True)
        style.sized_font(self.hint, 10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        cfg = snapshot.config
        outputs = ["y"] if cfg.curve else ["value"] if cfg.surface else (
            ["class 1"] if snapshot.sizes[-1] == 1 else [f"class {k}" for k in
                                                          range(snapshot.sizes[-1])])
        self.view.show_network(snapshot.sizes, snapshot.params, lab_pictures(snapshot),
                               snapshot.off, 0, list(cfg.features), outputs)

    def set_probe(self, x, y):
        self.probe = (x, y)
        if self.snapshot is not None:
            self.view.refresh_card()

    def _probe(self):
        s = self.snapshot
        if self.probe is not None:
            point = np.float32([self.probe[:1] if s.config.curve else self.probe])
            where = (f"x = {self.probe[0]:.2f}" if s.config.curve
                     else f"the point ({self.probe[0]:.2f}, {self.probe[1]:.2f})")
        else:
            i = int(np.argmax(s.is_train))
            point = s.points[i:i + 1, :1] if s.config.curve else s.points[i:i + 1]
            where = "the first training point"
        return feature_matrix(point, s.config.features)[0], where.replace("-", "−")

    def card(self, kind, index):
        """The hover card's rich text for a neuron ``(layer, j)`` or a link ``(l, to, frm)``."""
        s = self.snapshot
        if s is None:
            return None
        probe, where = self._probe()
        X, Y = s.inputs("train")
        net, cfg = s.network(), s.config
        samples = f"(mean over the {len(X)} training points)"
        L = len(s.sizes) - 1
        if kind == "neuron":
            layer, j = index
            if layer == 0:
                return input_card(cfg.features[j], float(probe[j]), where)
            numbers = neuron_numbers(net, probe, layer, j, X, Y, cfg.lr)
            return neuron_card(numbers, L, where, list(cfg.features),
                               off=bool(s.off[layer][j]), samples=samples)
        l, to, frm = index
        numbers = link_numbers(net, probe, l + 1, to, frm, X, Y, cfg.lr, cfg.regularization,
                               cfg.reg_rate)
        source = f"input {cfg.features[frm]}" if l == 0 else ""
        return link_card(numbers, L, where, cfg.lr, source,
                         off=bool(s.off[l][frm]), samples=samples)

    def picture(self):
        return nullcontext(self.view.view.ci)
