"""Each neuron's picture in the node-link view, from the lab's boundary grid.

2-D: its activation over the plane in the sign colours (the output: the class blend). 1-D:
its activation along x as a filled curve. Display only: the numbers come from the engine.
"""

import numpy as np

from digit_descent.engine.lab.features import feature_matrix

from .colours import blend, signed

CURVE_ROWS = 48


def lab_pictures(snapshot):
    """``pictures[layer]``: RGB uint8 ``(n, h, w, 3)`` of every layer of the lab's network."""
    b, cfg = snapshot.boundary, snapshot.config
    axis = b.axis
    if cfg.regression:
        inputs = feature_matrix(axis[:, None], cfg.features)
        pics = [curve_pictures(inputs, _scale(inputs))]
        pics += [curve_pictures(h, _level(h, cfg.activation)) for h in b.hidden]
        return pics + [curve_pictures(b.output * 2 - 1, 1.0)]
    gx, gy = np.meshgrid(axis, axis)
    inputs = feature_matrix(np.stack([gx.ravel(), gy.ravel()], 1), cfg.features)
    inputs = inputs.reshape(len(axis), len(axis), -1)
    pics = [_planes(inputs, np.abs(inputs).max(axis=(0, 1)))]
    pics += [_planes(h, np.full(h.shape[-1], _level(h, cfg.activation))) for h in b.hidden]
    out = blend(b.output)[None]
    if b.output.shape[-1] > 1:  # each output neuron: its own class probability
        out = np.stack([signed(b.output[..., k] * 2 - 1, 1.0) for k in range(b.output.shape[-1])])
    return pics + [out]


def _level(values, activation):
    """The colour scale's end: ±1 for tanh and sigmoid, the layer's largest for ReLU."""
    return 1.0 if activation != "relu" else max(float(values.max()), 1e-6)


def _scale(values):
    return np.maximum(np.abs(values).max(axis=0), 1e-6)


def _planes(values, scales):
    """``(R, R, n)`` values → ``(n, R, R, 3)`` pictures, neuron ``j`` scaled by ``scales[j]``."""
    return np.stack([signed(values[..., j], float(scales[j])) for j in range(values.shape[-1])])


def curve_pictures(values, scales):
    """``(R, n)`` values along x → ``(n, CURVE_ROWS, R, 3)``: each a filled curve from 0,
    ±``scales`` at the top and bottom rows, in the sign colours."""
    values = np.asarray(values, np.float32)
    scales = np.broadcast_to(np.asarray(scales, np.float32), values.shape[1:])
    level = np.linspace(-1, 1, CURVE_ROWS, dtype=np.float32)[:, None, None]  # row 0: bottom
    v = values / scales  # (R, n)
    filled = ((level >= 0) & (level <= v)) | ((level <= 0) & (level >= v))  # (rows, R, n)
    colour = signed(np.sign(v), 1.0)  # (R, n, 3)
    rgb = np.where(filled[..., None], colour[None], np.uint8(250)).astype(np.uint8)
    rgb[np.abs(level[:, 0, 0]) < 1.5 / CURVE_ROWS] = 120  # the zero line
    return np.ascontiguousarray(rgb.transpose(2, 0, 1, 3))
