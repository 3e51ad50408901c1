"""The numbers in the maths, for one neuron or one link (the node-link view's hover card).

A neuron ``j`` of layer ``l``: z = Σᵢ wᵢ aᵢ + b over the previous layer's activations aᵢ at
one input (the probe), then a = σ(z) (the hidden activation, or the output's sigmoid or
softmax). A link's weight w: its partial derivative ∂C/∂w averaged over a set of samples
(by backpropagation: ∂C/∂w = mean of δ_j aᵢ; Nielsen, *Neural Networks and Deep Learning*,
ch. 2, eq. BP4) and the gradient-descent step it makes, −η (∂C/∂w + λ w) with L2 weight
decay, −η (∂C/∂w + λ sign(w)) with L1 regularisation (Goodfellow, Bengio & Courville,
*Deep Learning*, §7.1); biases are not regularised.
"""

from dataclasses import dataclass

import numpy as np

from .grid import layer_outputs
from .regularization import penalty as regularization_term


@dataclass(frozen=True)
class NeuronNumbers:
    """Neuron ``neuron`` of layer ``layer`` at the probe: ``weights`` and ``inputs`` ``(n_in,)``
    (the aᵢ), ``bias``, ``z``, ``a``; ``function``: "tanh", "relu", "sigmoid" or "softmax";
    ``dC_db`` and ``step`` = −η ∂C/∂b over the samples given."""

    layer: int
    neuron: int
    weights: np.ndarray
    inputs: np.ndarray
    bias: float
    z: float
    a: float
    function: str
    dC_db: float
    step: float


@dataclass(frozen=True)
class LinkNumbers:
    """The weight ``w`` from neuron ``frm`` of layer ``layer − 1`` into neuron ``to`` of
    ``layer``; ``a_in`` the activation it carries at the probe, ``w · a_in`` its share of z;
    ``dC_dw`` over the samples; ``regularization`` "none", "L1" or "L2" and ``penalty`` its
    term (0, λ sign(w) or λ w); ``step`` = −η (∂C/∂w + penalty)."""

    layer: int
    to: int
    frm: int
    w: float
    a_in: float
    dC_dw: float
    regularization: str
    penalty: float
    step: float


def neuron_numbers(network, probe, layer, neuron, X, Y, lr):
    """:class:`NeuronNumbers` for ``neuron`` of ``layer`` (1 … len(sizes) − 1) at the input
    ``probe`` ``(sizes[0],)``; gradient over ``X`` ``(n, sizes[0])``, ``Y`` ``(n, sizes[-1])``;
    ``lr`` is η (a bias is not decayed: its step is −η ∂C/∂b)."""
    zs, acts = layer_outputs(network, np.asarray(probe)[None, :])
    _, db = network.gradients(X, Y)
    last = layer == network.n_layers
    function = network.activation_name
    if last:
        function = "softmax" if network.cost_name == "cross-entropy" and network.sizes[-1] > 1 \
            else "sigmoid"
    g = float(db[layer - 1][neuron])
    return NeuronNumbers(layer, neuron, network.weights[layer - 1][neuron].copy(),
                         acts[layer - 1][0].copy(), float(network.biases[layer - 1][neuron]),
                         float(zs[layer - 1][0, neuron]), float(acts[layer][0, neuron]),
                         function, g, -lr * g)


def link_numbers(network, probe, layer, to, frm, X, Y, lr, regularization="none", rate=0.0):
    """:class:`LinkNumbers` of the weight from ``frm`` (layer ``layer − 1``) into ``to``;
    ``regularization`` "none", "L1" or "L2" with the rate λ ``rate``."""
    _, acts = layer_outputs(network, np.asarray(probe)[None, :])
    dW, _ = network.gradients(X, Y)
    w = float(network.weights[layer - 1][to, frm])
    g = float(dW[layer - 1][to, frm])
    if not rate:
        regularization = "none"
    penalty = float(regularization_term(regularization, rate, w))
    return LinkNumbers(layer, to, frm, w, float(acts[layer - 1][0, frm]), g, regularization,
                       penalty, -lr * (g + penalty))
