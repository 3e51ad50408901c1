"""Each neuron's picture in the node-link view, from the lab's boundary grid.

2-D: its activation over the plane in the sign colours (a classifier's output: the class
blend; a surface's: its value (a − ½)·2). 1-D:
its activation along x as a filled curve. Display only: the numbers come from the engine.
"""

from functools import lru_cache

import numpy as np

from digit_descent.engine.lab.features import feature_matrix

from .colours import blend, signed

CURVE_ROWS = 48


def lab_pictures(snapshot):
    """``pictures[layer]``: RGB uint8 ``(n, h, w, 3)`` of every layer of the lab's network."""
    b, cfg = snapshot.boundary, snapshot.config
    if cfg.curve:
        pics = [_inputs(cfg.features, b.axis, 1)]
        pics += [curve_pictures(h, _level(h, cfg.activation)) for h in b.hidden]
        return pics + [curve_pictures(b.output * 2 - 1, 1.0)]
    pics = [_inputs(cfg.features, b.axis, 2)]
    pics += [_planes(h, _level(h, cfg.activation)) for h in b.hidden]
    if b.output.shape[-1] == 1 and not cfg.surface:
        return pics + [blend(b.output)[None]]
    return pics + [_planes(b.output * 2 - 1, 1.0)]  # a class's probability, or a value


@lru_cache(maxsize=8)
def _input_pictures(features, axis_bytes, dims):
    axis = np.frombuffer(axis_bytes, np.float32)
    if dims == 1:
        inputs = feature_matrix(axis[:, None], features)
        return curve_pictures(inputs, _scale(inputs))
    gx, gy = np.meshgrid(axis, axis)
    inputs = feature_matrix(np.stack([gx.ravel(), gy.ravel()], 1), features)
    inputs = inputs.reshape(len(axis), len(axis), -1)
    return _planes(inputs, np.abs(inputs).max(axis=(0, 1)))


def _inputs(features, axis, dims):
    """The inputs' pictures (the same every frame: made once)."""
    return _input_pictures(tuple(features), np.asarray(axis, np.float32).tobytes(), dims)


def _level(values, activation):
    """The colour scale's end: ±1 for tanh and sigmoid, the layer's largest for ReLU."""
    return 1.0 if activation != "relu" else max(float(values.max()), 1e-6)


def _scale(values):
    return np.maximum(np.abs(values).max(axis=0), 1e-6)


def _planes(values, scales):
    """``(R, R, n)`` values → ``(n, R, R, 3)`` pictures, neuron ``j`` scaled by ``scales[j]``."""
    return np.ascontiguousarray(signed(values, scales).transpose(2, 0, 1, 3))


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
