"""The lab's class colours and the pictures made from the network's answers.

Classes take Okabe & Ito's colour-blind-safe colours (class 0 orange and class 1 blue, as
in TensorFlow Playground). A point of the plane is painted with the blend of the class
colours weighted by the output's probabilities (softmax, or σ and 1 − σ for two classes),
lightened so that the data points stand out on it. Activations, weights and a surface's
values (2-D regression) are drawn in the app's sign colours (gui.style's diverging map).
"""

import numpy as np
import pyqtgraph as pg

from .. import style

CLASS_COLOURS = (style.ORANGE, style.BLUE, style.GREEN, style.VERMILION, style.PURPLE)
LIGHTEN = 0.45  # the heat map is this much white: the points' full colours stand out on it
_RGB = np.array([pg.mkColor(c).getRgb()[:3] for c in CLASS_COLOURS], np.float32)


def class_colour(label):
    return CLASS_COLOURS[int(label) % len(CLASS_COLOURS)]


def probabilities(output):
    """Class probabilities ``(..., k)`` of output activations ``(..., n_out)`` (one sigmoid
    output: ``(1 − a, a)``)."""
    if output.shape[-1] == 1:
        return np.concatenate([1 - output, output], axis=-1)
    return output


def blend(output):
    """RGB ``(..., 3)`` uint8: the class colours blended by the output's probabilities."""
    p = probabilities(output)
    rgb = p @ _RGB[:p.shape[-1]]
    rgb *= 1 - LIGHTEN
    rgb += 255 * LIGHTEN
    return rgb.astype(np.uint8)


_LUT = style.diverging_colormap().getLookupTable(nPts=256, alpha=False)


def signed(values, scale):
    """RGB ``(..., 3)`` uint8 of signed ``values`` in the sign colours, ±``scale`` at the ends
    (``scale`` a number, or one per value of the last axis)."""
    i = np.multiply(values, np.float32(127.5) / np.maximum(np.float32(scale), 1e-12),
                    dtype=np.float32)
    i += 127.5
    np.clip(i, 0, 255, out=i)
    return _LUT.take(i.astype(np.uint8), axis=0)


def lightened_signed(values, scale):
    """:func:`signed`, LIGHTEN of the way to white: a surface's heat map under its points."""
    rgb = signed(values, scale).astype(np.float32)
    rgb *= 1 - LIGHTEN
    rgb += 255 * LIGHTEN
    return rgb.astype(np.uint8)
