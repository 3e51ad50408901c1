"""Turning drawings into MNIST-style inputs, and random distortions of MNIST images.

MNIST digits were size-normalised to fit a 20×20 box (keeping the aspect
ratio, anti-aliased) and placed in a 28×28 image with their centre of mass at
the centre. :func:`to_mnist` does the same to any drawing.
"""

from dataclasses import dataclass

import numpy as np

FIELD = 28
BOX = 20
INK_THRESHOLD = 0.05


def _area_weights(n_in, n_out):
    """``(n_out, n_in)`` matrix averaging ``n_in`` cells into ``n_out`` (exact box filter)."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    cells = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, cells + 1) - np.maximum(lo, cells), 0.0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def resize_area(image, height, width):
    """Resize by area averaging (anti-aliased, no blocky nearest-neighbour)."""
    h, w = image.shape
    return _area_weights(h, height) @ image @ _area_weights(w, width).T


def shift(image, dy, dx):
    """Shift by a fractional number of pixels (bilinear), filling with zeros."""
    h, w = image.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    return bilinear(image[None], (y - dy)[None], (x - dx)[None])[0]


def bilinear(images, y, x):
    """Sample each of ``(n, h, w)`` images at float coordinates ``y, x`` ``(n, h', w')``; 0 outside."""
    n, h, w = images.shape
    y0, x0 = np.floor(y).astype(np.int64), np.floor(x).astype(np.int64)
    fy, fx = y - y0, x - x0
    batch = np.arange(n)[:, None, None]
    out = np.zeros(y.shape)
    for oy, ox, weight in ((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx),
                           (1, 0, fy * (1 - fx)), (1, 1, fy * fx)):
        yy, xx = y0 + oy, x0 + ox
        inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
        values = images[batch, np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]
        out += np.where(inside, values, 0.0) * weight
    return out


@dataclass(frozen=True)
class MnistSteps:
    """The steps of :func:`to_mnist_steps`, to show why a drawing is read as it is.

    ``crop``: the ink's bounding box ``(h, w)``; ``box``: scaled to fit 20×20 ``(h', w')``;
    ``placed``: the box in the middle of 28×28, with ``mass_centre`` its centre of mass
    ``(row, column)``; ``result``: shifted so that centre is the image's centre, ``(28, 28)``
    float32 in [0, 1]. An empty drawing has empty crop and box and zero images.
    """

    crop: np.ndarray
    box: np.ndarray
    placed: np.ndarray
    mass_centre: tuple
    result: np.ndarray


def to_mnist(canvas):
    """A drawing → ``(28, 28)`` float32 in [0, 1], prepared as MNIST's digits were.

    ``canvas``: any ``(H, W)`` float array, ink 1, background 0 (NaN counts as
    background). Crops to the ink, scales it to fit 20×20 keeping the aspect
    ratio with area averaging, and centres its centre of mass in 28×28. An
    empty canvas gives zeros.
    """
    return to_mnist_steps(canvas).result


def to_mnist_steps(canvas):
    """:func:`to_mnist`, keeping each step (see :class:`MnistSteps`)."""
    canvas = np.nan_to_num(np.asarray(canvas, np.float64), nan=0.0, posinf=1.0, neginf=0.0)
    canvas = np.clip(canvas, 0.0, 1.0)
    rows = np.flatnonzero((canvas > INK_THRESHOLD).any(axis=1))
    cols = np.flatnonzero((canvas > INK_THRESHOLD).any(axis=0))
    if rows.size == 0:
        empty, zeros = np.zeros((0, 0), np.float32), np.zeros((FIELD, FIELD), np.float32)
        return MnistSteps(empty, empty, zeros, ((FIELD - 1) / 2, (FIELD - 1) / 2), zeros)
    crop = canvas[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    digit = resize_area(crop, new_h, new_w)
    field = np.zeros((FIELD, FIELD))
    top, left = (FIELD - new_h) // 2, (FIELD - new_w) // 2
    field[top:top + new_h, left:left + new_w] = digit
    mass = field.sum()
    yy, xx = np.mgrid[0:FIELD, 0:FIELD]
    cy, cx = (yy * field).sum() / mass, (xx * field).sum() / mass
    centred = shift(field, (FIELD - 1) / 2 - cy, (FIELD - 1) / 2 - cx)
    return MnistSteps(crop.astype(np.float32), np.clip(digit, 0, 1).astype(np.float32),
                      np.clip(field, 0, 1).astype(np.float32), (float(cy), float(cx)),
                      np.clip(centred, 0.0, 1.0).astype(np.float32))


def augment(images, rng, max_shift=2.5, max_rotate=15.0, scale=(0.85, 1.15), thickness=True):
    """Randomly shifted, rotated, scaled and thickened / thinned copies of ``(n, 784)`` images.

    Vectorised over the batch: one bilinear resampling of every image, then a
    3×3 max (thicker strokes) or min (thinner) filter on a random third each.
    """
    n = images.shape[0]
    imgs = images.reshape(n, FIELD, FIELD)
    angle = np.deg2rad(rng.uniform(-max_rotate, max_rotate, n))
    s = rng.uniform(*scale, n)
    dy, dx = rng.uniform(-max_shift, max_shift, (2, n))
    c = (FIELD - 1) / 2
    yy, xx = np.mgrid[0:FIELD, 0:FIELD].astype(np.float64)
    # inverse map: output pixel → source pixel
    cos, sin = np.cos(angle)[:, None, None] / s[:, None, None], np.sin(angle)[:, None, None] / s[:, None, None]
    y = cos * (yy - c - dy[:, None, None]) - sin * (xx - c - dx[:, None, None]) + c
    x = sin * (yy - c - dy[:, None, None]) + cos * (xx - c - dx[:, None, None]) + c
    out = bilinear(imgs, y, x)
    if thickness:
        which = rng.integers(0, 3, n)  # 0 unchanged, 1 thicker, 2 thinner
        padded = np.pad(out, ((0, 0), (1, 1), (1, 1)))
        windows = np.stack([padded[:, i:i + FIELD, j:j + FIELD] for i in range(3) for j in range(3)])
        out = np.where((which == 1)[:, None, None], windows.max(axis=0), out)
        out = np.where((which == 2)[:, None, None], windows.min(axis=0) * 0.5 + out * 0.5, out)
    return np.clip(out, 0.0, 1.0).reshape(n, -1).astype(images.dtype)

