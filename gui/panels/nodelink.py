"""The node-link view of an image network (784-16-16-10), as a panel of the main window.

The 784 inputs are not drawn: each first-layer neuron shows its 784 incoming weights as a
28×28 picture in the sign colours; deeper neurons show their activation on the probe image
(the first test image); only each neuron's strongest incoming links are drawn. Hover for
the numbers in the maths, with the gradient over the first GRADIENT_SAMPLES training images.
"""

from contextlib import nullcontext

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout

from digit_descent.engine.lab.grid import layer_outputs
from digit_descent.engine.lab.maths import link_numbers, neuron_numbers

from .. import style
from ..lab.colours import signed
from ..lab.hovercard import link_card, neuron_card
from ..lab.nodelink import NodeLinkView
from .base import Panel

GRADIENT_SAMPLES = 100
MAX_WIDTH = 32  # wider hidden layers are not drawn whole: the panel says so


class NodeLinkPanel(Panel):
    """Takes main-window snapshots (:meth:`show_snapshot`) or a network (:meth:`show_network`)."""

    key = "nodelink"
    title = "Node-link"
    help = ("The network drawn as nodes and links. Each first-layer neuron shows its weights as "
            "a 28×28 picture (yellow positive, blue negative); deeper neurons are coloured by "
            "their activation on the first test image; only each neuron's strongest incoming "
            "links are drawn, their width the weight's size. Hover for the numbers.")
    redraw_interval_s = 0.25

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self.network = None
        self.probe = self.X = self.Y = None
        self.lr = 0.0
        self.view = NodeLinkView(editable=False)
        self.view.card = self.card
        self.note = QLabel("")
        style.sized_font(self.note, 11)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)

    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        test, train = snapshot.test_set, snapshot.train_set
        data = (test.x[:1], train.x[:GRADIENT_SAMPLES], train.targets[:GRADIENT_SAMPLES]) \
            if test is not None and train is not None else None
        names = list(snapshot.class_names or ())
        self.show_network(snapshot.network(), data, snapshot.lr, snapshot.image_shape, names)

    def show_network(self, network, data=None, lr=0.0, image_shape=(28, 28), class_names=()):
        """Draw ``network``; ``data`` = ``(probe (1, n_in), X, Y)`` for the hover card."""
        self.network, self.lr = network, lr
        if data is not None:
            self.probe, self.X, self.Y = data
        sizes = network.sizes
        if max(sizes[1:]) > MAX_WIDTH or len(sizes) < 3:
            self.note.setText(f"A {'-'.join(map(str, sizes))} network is too wide (or has no "
                              f"hidden layer) to draw whole: up to {MAX_WIDTH} neurons a layer.")
            self.view.hide()
            return
        self.view.show()
        self.note.setText(f"{'-'.join(map(str, sizes))} network"
                          + (" · neurons coloured by their activation on the first test image"
                             if self.probe is not None else ""))
        pictures = [None] * len(sizes)
        w0 = network.weights[0]
        if image_shape and int(np.prod(image_shape)) == sizes[0]:
            scale = float(np.percentile(np.abs(w0), 99)) or 1.0  # a few outliers: saturated
            pictures[1] = signed(w0.reshape(sizes[1], *image_shape), scale)
        if self.probe is not None:
            _, acts = layer_outputs(network, self.probe)
            for layer in range(1 if pictures[1] is None else 2, len(sizes)):
                a = acts[layer][0].reshape(-1, 1, 1)
                if network.activation_name == "sigmoid" or layer == len(sizes) - 1:
                    pictures[layer] = signed(2 * a - 1, 1.0)  # 0 … 1 around ½
                else:
                    pictures[layer] = signed(a, float(np.abs(a).max()) or 1.0)
        names = [str(c) for c in class_names] if len(class_names) == sizes[-1] else None
        self.view.show_network(sizes, network.params, pictures, None, 1, None, names)

    def card(self, kind, index):
        net = self.network
        if net is None or self.probe is None:
            return None
        where = "the first test image"
        samples = f"(mean over {len(self.X)} training images)"
        L = net.n_layers
        if kind == "neuron":
            layer, j = index
            numbers = neuron_numbers(net, self.probe[0], layer, j, self.X, self.Y, self.lr)
            names = None if layer > 1 else [f"pixel {i}" for i in range(net.sizes[0])]
            return neuron_card(numbers, L, where, names, samples=samples)
        l, to, frm = index
        numbers = link_numbers(net, self.probe[0], l + 1, to, frm, self.X, self.Y, self.lr)
        return link_card(numbers, L, where, self.lr, samples=samples)

    def picture(self):
        return nullcontext(self.view.view.ci)
