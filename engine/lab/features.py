"""Engineered inputs, as Playground offers them: the network sees functions of (x, y).

A 2-D point ``(x, y)`` (or a 1-D sample ``x``) becomes one input per chosen feature.
"""

import numpy as np

FEATURES = ("x", "y", "x²", "y²", "xy", "sin x", "sin y")
_NEEDS_Y = {"y", "y²", "xy", "sin y"}


def check_features(names, dims=2):
    """``names`` as a tuple, checked: known, distinct, at least one, and only ``x``-features
    when ``dims`` is 1. Raises ValueError."""
    names = tuple(names)
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown input feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
    if not names or len(set(names)) != len(names):
        raise ValueError("choose at least one input feature, each once")
    if dims == 1 and _NEEDS_Y & set(names):
        raise ValueError("a 1-D curve has no y input: use x, x² or sin x")
    return names


def feature_matrix(points, names):
    """Inputs ``(n, len(names))`` float32 for ``points`` ``(n, 1)`` or ``(n, 2)``."""
    p = np.asarray(points, np.float32)
    x = p[:, 0]
    y = p[:, 1] if p.shape[1] > 1 else None
    columns = {"x": lambda: x, "y": lambda: y, "x²": lambda: x * x, "y²": lambda: y * y,
               "xy": lambda: x * y, "sin x": lambda: np.sin(x), "sin y": lambda: np.sin(y)}
    out = np.empty((p.shape[0], len(names)), np.float32)
    for i, name in enumerate(names):
        out[:, i] = columns[name]()
    return out
