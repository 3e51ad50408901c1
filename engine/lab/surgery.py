"""Surgery on a small network: typed weights and biases, neurons switched off, undo.

A switched-off hidden neuron sends nothing on: its outgoing weights are held at zero (their
values kept aside and given back when it is switched on), so every later layer, the cost
and the boundary change at once, and training — which calls :meth:`Surgery.enforce` before
every mini-batch — cannot bring it back.

Layers are numbered as in ``network.sizes``: layer 0 is the input, ``weights[l]`` lead from
layer ``l`` into layer ``l + 1``.
"""

import math

import numpy as np

MAX_VALUE = 100.0  # a typed weight or bias beyond this is refused
UNDO_DEPTH = 200


class Surgery:
    """Edits of ``network``'s parameters, each undoable (newest first)."""

    def __init__(self, network):
        self.network = network
        self.off = [np.zeros(n, bool) for n in network.sizes]  # off[0], off[-1] stay False
        self._kept = {}  # (layer, neuron) → its outgoing weights while it is off
        self._undo = []

    @property
    def can_undo(self):
        return bool(self._undo)

    def set_weight(self, l, to, frm, value):
        """``weights[l][to, frm] = value`` (the weight from neuron ``frm`` of layer ``l`` into
        neuron ``to`` of layer ``l + 1``). Raises ValueError for a bad index or value."""
        value = _checked(value, "weight")
        w = self._column(l, frm)
        if not 0 <= to < w.shape[0]:
            raise ValueError(f"layer {l + 1} has no neuron {to}")
        self._undo.append(("weight", l, to, frm, float(w[to])))
        w[to] = value
        self._trim()

    def set_bias(self, layer, neuron, value):
        """The bias of ``neuron`` in ``layer`` (1 … len(sizes) − 1) ``= value``."""
        value = _checked(value, "bias")
        b = self._biases(layer, neuron)
        self._undo.append(("bias", layer, neuron, float(b[neuron])))
        b[neuron] = value
        self._trim()

    def switch(self, layer, neuron, on):
        """Switch a hidden neuron on or off. Raises ValueError for an input or output neuron."""
        sizes = self.network.sizes
        if not 0 < layer < len(sizes) - 1 or not 0 <= neuron < sizes[layer]:
            raise ValueError("only hidden neurons can be switched off")
        if self.off[layer][neuron] != (not on):
            self._undo.append(("switch", layer, neuron, not on))
            self._switch(layer, neuron, on)
            self._trim()

    def undo(self):
        """Take back the newest edit; False when there is none."""
        if not self._undo:
            return False
        kind, *where = self._undo.pop()
        if kind == "weight":
            l, to, frm, old = where
            self._column(l, frm)[to] = old
        elif kind == "bias":
            layer, neuron, old = where
            self.network.biases[layer - 1][neuron] = old
        else:
            layer, neuron, was_off = where
            self._switch(layer, neuron, was_off)
        return True

    def enforce(self):
        """Hold the switched-off neurons' outgoing weights at zero (before every mini-batch)."""
        for layer, neuron in self._kept:
            self.network.weights[layer][:, neuron] = 0

    def off_masks(self):
        """Copies of the switched-off masks, one ``(sizes[l],)`` bool array a layer."""
        return tuple(m.copy() for m in self.off)

    # ----------------------------------------------------------------------
    def _switch(self, layer, neuron, on):
        out = self.network.weights[layer][:, neuron]
        if on:
            out[...] = self._kept.pop((layer, neuron))
        else:
            self._kept[(layer, neuron)] = out.copy()
            out[...] = 0
        self.off[layer][neuron] = not on

    def _column(self, l, frm):
        """The outgoing weights of neuron ``frm`` of layer ``l`` (kept aside while it is off)."""
        weights = self.network.weights
        if not 0 <= l < len(weights) or not 0 <= frm < weights[l].shape[1]:
            raise ValueError(f"layer {l} has no neuron {frm}")
        kept = self._kept.get((l, frm))
        return kept if kept is not None else weights[l][:, frm]

    def _biases(self, layer, neuron):
        sizes = self.network.sizes
        if not 0 < layer < len(sizes) or not 0 <= neuron < sizes[layer]:
            raise ValueError(f"layer {layer} has no neuron {neuron} with a bias")
        return self.network.biases[layer - 1]

    def _trim(self):
        del self._undo[:-UNDO_DEPTH]


def _checked(value, what):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"a {what} must be a number, got {str(value)[:20]!r}") from None
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        raise ValueError(f"a {what} must be a number from −{MAX_VALUE:g} to {MAX_VALUE:g}, "
                         f"got {value:g}")
    return value
