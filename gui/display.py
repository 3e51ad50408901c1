"""Arranging arrays for display: tile mosaics, their hit-testing, colour limits.

Pure NumPy, no Qt; shared by the weights panel, its neuron dialog and the activations panel.
"""

import math

import numpy as np


def grid_shape(n):
    """``(rows, cols)`` for ``n`` tiles, as square as possible, wider than tall (30 → 5×6)."""
    cols = math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def fitting_columns(n, tile_h, tile_w, width, height, pad=1):
    """The number of columns that draws ``n`` tiles of ``tile_h``×``tile_w`` largest in a
    ``width``×``height`` area (``pad`` between tiles); the squarest grid when the area is
    not known yet (zero)."""
    if width <= 0 or height <= 0:
        return grid_shape(n)[1]

    def scale(cols):
        rows = math.ceil(n / cols)
        return min(width / (cols * (tile_w + pad)), height / (rows * (tile_h + pad)))
    return max(range(1, n + 1), key=lambda cols: (scale(cols), -cols))


def mosaic(tiles, cols=None, pad=1, fill=np.nan):
    """Tile ``(n, h, w)`` images into one ``(rows·(h+pad)−pad, cols·(w+pad)−pad)`` array.

    Gaps hold ``fill``. Returns ``(image, rows, cols)``.
    """
    tiles = np.asarray(tiles, np.float32)
    n, h, w = tiles.shape
    cols = cols or grid_shape(n)[1]
    rows = math.ceil(n / cols)
    padded = np.full((rows * cols, h + pad, w + pad), fill, np.float32)
    padded[:n, :h, :w] = tiles
    out = padded.reshape(rows, cols, h + pad, w + pad).transpose(0, 2, 1, 3)
    out = out.reshape(rows * (h + pad), cols * (w + pad))
    return np.ascontiguousarray(out[:out.shape[0] - pad, :out.shape[1] - pad]), rows, cols


def colour_mosaic(tiles, cols=None, pad=1, fill=1.0):
    """:func:`mosaic` of colour tiles ``(n, h, w, 3)``: an ``(H, W, 3)`` image."""
    channels = [mosaic(tiles[..., c], cols, pad, fill) for c in range(3)]
    return np.stack([c[0] for c in channels], axis=-1), channels[0][1], channels[0][2]


def tile_at(x, y, tile_h, tile_w, cols, n, pad=1):
    """Index of the tile under mosaic pixel ``(x, y)``, or None in a gap or outside."""
    if x < 0 or y < 0:
        return None
    c, cx = divmod(int(x), tile_w + pad)
    r, cy = divmod(int(y), tile_h + pad)
    i = r * cols + c
    if cx >= tile_w or cy >= tile_h or c >= cols or i >= n:
        return None
    return i


def symmetric_limit(values, percentile=99.5):
    """Colour limits ±L centred on 0: L is a high percentile of |values| (1 if all are 0).

    A percentile rather than the maximum, so that a few large weights do not wash out the rest.
    """
    finite = np.abs(values[np.isfinite(values)])
    limit = float(np.percentile(finite, percentile)) if finite.size else 0.0
    return limit if limit > 0 else 1.0


def is_colour(shape):
    """True for colour images ``(h, w, 3)``; grey ones are ``(h, w)``."""
    return shape is not None and len(shape) == 3 and shape[2] == 3


def picture(x, shape):
    """Pixels in [0, 1] as drawn: grey digits as dark ink on white (1 − x), colour photos as
    they are. ``x``: ``(..., prod(shape))``; returns ``(..., *shape)``."""
    images = np.asarray(x, np.float32).reshape(*np.shape(x)[:-1], *shape)
    return images if is_colour(shape) else 1 - images


def resample(images, size, colour=False):
    """``(..., h, w)`` (or ``(..., h, w, 3)`` if ``colour``) images to ``size × size`` by
    nearest pixels (thumbnails)."""
    h, w = images.shape[-3:-1] if colour else images.shape[-2:]
    rows, cols = np.arange(size) * h // size, np.arange(size) * w // size
    if colour:
        return images[..., rows[:, None], cols[None, :], :]
    return images[..., rows[:, None], cols[None, :]]


def colour_templates(tiles):
    """Colour weight templates ``(n, h, w, 3)`` stretched to [0, 1] each, the way CIFAR-10
    templates are shown (the lowest weight black, the highest bright)."""
    flat = tiles.reshape(len(tiles), -1)
    low, high = flat.min(axis=1), flat.max(axis=1)
    span = np.where(high > low, high - low, 1)
    return (tiles - low[:, None, None, None]) / span[:, None, None, None]


def nice_ceiling(value):
    """The smallest of 1, 1.5, 2, 3, 5, 7 × 10ⁿ that is ≥ ``value`` (> 0)."""
    if not value > 0 or not np.isfinite(value):
        return 1.0
    exponent = np.floor(np.log10(value))
    for step in (1, 1.5, 2, 3, 5, 7, 10):
        if step * 10 ** exponent >= value:
            return float(step * 10 ** exponent)
    return float(10 ** (exponent + 1))
