"""The network's answer over the plane (or the line): the boundary panel's pictures.

One vectorised forward pass over a ``resolution × resolution`` grid of ``[-6, 6]²`` (or
``resolution`` points of ``[-6, 6]`` for a 1-D curve) gives the output and every hidden
neuron's activation at once: Playground's frame draws both.
"""

from dataclasses import dataclass

import numpy as np

from .datasets import DOMAIN
from .features import feature_matrix


@dataclass(frozen=True, eq=False)
class Boundary:
    """``axis`` ``(R,)``: the grid's coordinates along x (and y).

    2-D: ``output`` ``(R, R, k)`` and ``hidden[h]`` ``(R, R, sizes[h + 1])``, row ``i``,
    column ``j`` being the point ``(axis[j], axis[i])``. 1-D: ``output`` ``(R, k)``,
    ``hidden[h]`` ``(R, sizes[h + 1])``. ``output`` is the output activation (sigmoid or
    softmax); ``hidden`` the hidden layers' activations.
    """

    axis: np.ndarray
    output: np.ndarray
    hidden: tuple


def layer_outputs(network, X):
    """``(zs, activations)`` of one forward pass over inputs ``X`` ``(n, sizes[0])``.

    ``zs[l]`` ``(n, sizes[l + 1])`` are the weighted inputs z = W a + b of layer ``l + 1``;
    ``activations[l]`` ``(n, sizes[l])`` its activations, ``activations[0]`` the input.
    The network's own forward pass (copied out of its workspace).
    """
    X = network._as_input(X)
    ws = network._workspace(X.shape[0])
    network._forward(X, ws)
    return [z.copy() for z in ws.z], [X.copy()] + [a.copy() for a in ws.a[1:]]


def boundary(network, features, dims=2, resolution=100, extent=DOMAIN):
    """The :class:`Boundary` of ``network`` fed with ``features`` of the grid's points."""
    axis = np.linspace(-extent, extent, resolution, dtype=np.float32)
    if dims == 2:
        gx, gy = np.meshgrid(axis, axis)
        points = np.stack([gx.ravel(), gy.ravel()], axis=1)
        shape = (resolution, resolution)
    else:
        points, shape = axis[:, None], (resolution,)
    _, acts = layer_outputs(network, feature_matrix(points, features))
    reshape = [a.reshape(*shape, a.shape[1]) for a in acts[1:]]
    for a in reshape:
        a.flags.writeable = False
    axis.flags.writeable = False
    return Boundary(axis, reshape[-1], tuple(reshape[:-1]))
