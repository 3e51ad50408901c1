"""Finding the ink of a photographed, scanned or drawn digit: ``(h, w, 4)`` RGBA → ``(h, w)`` ink.

A photo is not a drawing: the paper is grey and unevenly lit, it may lie on a desk of
another colour, the ink may be dark on light or light on dark, and a transparent picture
may hold its strokes in the alpha channel alone. :func:`ink_from_rgba` handles each:

1. alpha: the picture is composited over a backdrop that contrasts with its own colour, so
   ink is whatever differs from the background, however transparent;
2. background: estimated with a grey-level morphological closing (dark ink) or opening
   (light ink) whose square window is wider than any stroke, so a stroke disappears from the
   estimate while the paper's shading and the straight edges of a sheet on a desk stay in
   it (the rolling-ball / top-hat method: Sternberg, "Biomedical image processing", IEEE
   Computer 16(1), 1983);
3. polarity: decided from the strokes and the paper around them (the thinnest features
   are the ink, the wider ones around them the paper), not from the picture's outer border,
   which may be a desk;
4. contrast: the noise floor (median + 3 robust standard deviations) maps to 0 and the
   typical stroke to 1;
5. clean-up: specks, and shapes that run along the picture's frame (a desk's edge, a
   shadow), are not part of the digit.

Pure NumPy, float32, deterministic.
"""

import numpy as np

WINDOW_FRACTION = 0.3  # the widest background window, × the shorter side (else 3 strokes)
FRAME_CONTACT = 0.15  # a shape touching the frame along more than this × the shorter side
SPECK = 0.05  # a shape holding less ink than this × the digit's largest stroke is a speck
MIN_CONTRAST = 0.04  # a picture whose strongest stroke is fainter than this is blank
POLARITY_SIDE = 192  # pixels on the longer side for the pattern spectrum
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # ITU-R BT.601, as JPEG's Y


def ink_from_rgba(rgba):
    """An ``(h, w, 4)`` RGBA picture (uint8, or float in [0, 1]) → ``(h, w)`` float32 ink, [0, 1].

    Background 0, the typical stroke 1, whatever the ink's colour, polarity or alpha and
    however unevenly the paper is lit. A blank picture gives zeros.
    """
    rgba = np.asarray(rgba)
    rgba = rgba.astype(np.float32) / 255 if rgba.dtype == np.uint8 else rgba.astype(np.float32)
    rgba = np.clip(np.nan_to_num(rgba, nan=0.0), 0.0, 1.0)
    grey = composite_grey(rgba)
    dark, stroke = polarity(grey)
    window = round(max(3, min(WINDOW_FRACTION * min(grey.shape), 3 * stroke))) | 1
    if dark:
        closing = min_filter(max_filter(grey, window), window)
        # relative to the paper's brightness (even under a shadow), but never amplifying a
        # dark region's noise more than twice (a desk is not paper in shadow)
        ink = (closing - grey) / np.maximum(closing, 0.5 * float(closing.max()) + 1e-3)
    else:
        ink = grey - max_filter(min_filter(grey, window), window)
    ink = stretch(ink)
    return keep_digit(ink) if ink.any() else ink


def composite_grey(rgba):
    """``(h, w, 4)`` float RGBA → ``(h, w)`` luma, composited over a backdrop unlike the picture.

    The backdrop is white when the picture's (alpha-weighted) colour is dark, else black, so
    semi-transparent dark ink on a transparent background becomes grey on white.
    """
    luma = rgba[..., :3] @ _LUMA
    alpha = rgba[..., 3]
    if alpha.min() >= 1.0:
        return luma
    weight = float(alpha.sum())
    colour = float((luma * alpha).sum()) / weight if weight > 0 else 0.0
    backdrop = 1.0 if colour < 0.5 else 0.0
    return luma * alpha + backdrop * (1 - alpha)


def polarity(grey):
    """``(dark, stroke)``: whether the ink is darker than the paper, and the strokes' typical
    width in pixels, judged from the strokes and the region around them.

    A morphological pattern spectrum (Maragos, IEEE PAMI 11(7), 1989) at up to
    POLARITY_SIDE pixels: for windows from 3 pixels up, the area of the thin dark features
    (closing − grey) and of the thin light ones (grey − opening) that stand clearly above
    the noise and do not run along the frame. Strokes are the thinnest features; the paper
    around them (a gap between two strokes, a margin between the digit and a desk) is wider.
    So each area a window adds counts as that many window-sized squares (area / window²):
    a stroke adds many, a hole or a gap a few, a wide margin fewer still; the polarity with
    more is the ink, and its area-weighted geometric mean window is the stroke width. Without
    any such feature, ink is the minority (a mean below the median means dark ink) and the
    stroke width is unknown (infinite).
    """
    factor = -(-max(grey.shape) // POLARITY_SIDE)
    small = block_mean(grey, factor)
    largest = max(3, round(WINDOW_FRACTION * min(small.shape)))
    structure = (min_filter(max_filter(small, largest), largest)
                 - max_filter(min_filter(small, largest), largest))
    floor = noise_floor(structure)
    level = floor + 0.3 * (float(box3(structure).max()) - floor)
    sizes = np.array(_scales(largest), np.float64)
    areas = np.zeros((2, len(sizes)))
    for k, size in enumerate(sizes.astype(int)):
        dark = min_filter(max_filter(small, size), size) - small > level
        light = small - max_filter(min_filter(small, size), size) > level
        for p, mask in enumerate((dark, light)):
            if mask.any():
                areas[p, k] = np.isin(*_components(mask, mask, specks=False)).sum()
    grown = np.clip(np.diff(areas, prepend=0.0, axis=1), 0.0, None)
    total = grown.sum(axis=1)
    if total.max() < max(4, 0.002 * small.size):
        return float(grey.mean()) < float(np.median(grey)), float("inf")
    dark = bool(grown[0] @ sizes ** -2.0 >= grown[1] @ sizes ** -2.0)
    p = 0 if dark else 1
    return dark, float(np.exp(grown[p] @ np.log(sizes) / total[p]) * factor)


def block_mean(image, factor):
    """Mean over ``factor``×``factor`` blocks (a partial last block averages what it holds)."""
    if factor <= 1:
        return np.asarray(image, np.float32)
    h, w = image.shape
    rows, cols = np.arange(0, h, factor), np.arange(0, w, factor)
    sums = np.add.reduceat(np.add.reduceat(image, rows, axis=0), cols, axis=1)
    counts = np.outer(np.diff(rows, append=h), np.diff(cols, append=w))
    return (sums / counts).astype(np.float32)


def _scales(largest):
    """Odd window sizes from 3 up to ``largest``, each about 1.6 × the one before."""
    sizes = [3]
    while sizes[-1] * 1.6 < largest:
        sizes.append(int(sizes[-1] * 1.6) | 1)
    return sizes


def noise_floor(values):
    """Median + 3 robust standard deviations (1.4826 × the median absolute deviation)."""
    median = float(np.median(values))
    return median + 3 * 1.4826 * float(np.median(np.abs(values - median)))


def stretch(ink):
    """Map the noise floor to 0 and the typical stroke to 1 (clipped); zeros if no stroke is
    at least MIN_CONTRAST above the floor."""
    ink = np.asarray(ink, np.float32)
    low = noise_floor(ink)
    peak = float(box3(ink).max())  # a lone noisy pixel is not a stroke
    if peak - low < MIN_CONTRAST:
        return np.zeros_like(ink)
    strong = ink > (low + peak) / 2
    high = max(float(np.median(ink[strong])), low + MIN_CONTRAST)
    return np.clip((ink - low) / (high - low), 0.0, 1.0).astype(np.float32)


def keep_digit(ink, level=0.3):
    """``ink`` without specks and without shapes running along the frame.

    A shape is a connected region of ``ink > level``; faint pixels within 2 pixels of a kept
    shape (anti-aliasing) stay. If every shape runs along the frame, all are kept.
    """
    labels, keep = _components(ink > level, ink)
    if not keep:
        return ink
    kept = np.isin(labels, keep)
    near = max_filter(kept.astype(np.float32), 5) > 0
    return np.where(near, ink, 0.0).astype(np.float32)


def _components(mask, weights, specks=True):
    """Labels of ``mask``'s 8-connected shapes and the labels to keep: not along the frame,
    and (if ``specks``) holding at least SPECK × the heaviest such shape's weight."""
    labels = label(mask)
    h, w = mask.shape
    found = np.unique(labels[mask])
    if found.size == 0:
        return labels, []
    frame = np.concatenate([labels[0], labels[-1], labels[1:-1, 0], labels[1:-1, -1]])
    contact = np.bincount(np.searchsorted(found, frame[np.isin(frame, found)]),
                          minlength=found.size)
    mass = np.bincount(np.searchsorted(found, labels[mask]), weights=weights[mask],
                       minlength=found.size)
    inside = contact <= FRAME_CONTACT * min(h, w)
    if not inside.any():
        return labels, []
    keep = inside & (mass >= SPECK * mass[inside].max()) if specks else inside
    return labels, [int(k) for k in found[keep]]


def label(mask):
    """8-connected component labels of a boolean ``(h, w)`` mask: each shape's pixels hold the
    flat index of its first pixel; background holds ``h * w``.

    Union–find on the pairs of neighbouring pixels, vectorised: every pass hooks the larger
    of two neighbours' roots under the smaller, then halves every path by pointer jumping
    (Shiloach & Vishkin, J. Algorithms 3(1), 1982), so a few passes label any shape.
    """
    h, w = mask.shape
    none = h * w
    index = np.arange(none).reshape(h, w)
    pairs = [(index[:, :-1], index[:, 1:], mask[:, :-1] & mask[:, 1:]),
             (index[:-1], index[1:], mask[:-1] & mask[1:]),
             (index[:-1, :-1], index[1:, 1:], mask[:-1, :-1] & mask[1:, 1:]),
             (index[:-1, 1:], index[1:, :-1], mask[:-1, 1:] & mask[1:, :-1])]
    a = np.concatenate([first[both] for first, _, both in pairs])
    b = np.concatenate([second[both] for _, second, both in pairs])
    parent = np.arange(none + 1)
    while True:
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            break
        np.minimum.at(parent, np.maximum(ra, rb)[differ], np.minimum(ra, rb)[differ])
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    return np.where(mask, parent[:none].reshape(h, w), none)


def max_filter(image, size):
    """Maximum over a ``size``×``size`` square window (edges repeated), in O(1) per pixel."""
    return _sliding(_sliding(image, size, np.maximum, 0), size, np.maximum, 1)


def min_filter(image, size):
    """Minimum over a ``size``×``size`` square window (edges repeated), in O(1) per pixel."""
    return _sliding(_sliding(image, size, np.minimum, 0), size, np.minimum, 1)


def box3(image):
    """Mean over a 3×3 window (edges repeated)."""
    h, w = image.shape
    padded = np.pad(image, 1, mode="edge")
    return sum(padded[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)) / 9


def _sliding(image, size, op, axis):
    """``op`` (np.maximum or np.minimum) over a centred window of ``size`` along ``axis``.

    Van Herk / Gil–Werman: prefix and suffix running extrema within blocks of ``size``
    (van Herk, Pattern Recognition Letters 13(7), 1992).
    """
    a = np.moveaxis(np.asarray(image, np.float32), axis, 0)
    n = a.shape[0]
    before = size // 2
    after = size - 1 - before + (-(n + size - 1)) % size  # to a whole number of blocks
    padded = np.pad(a, [(before, after)] + [(0, 0)] * (a.ndim - 1), mode="edge")
    blocks = padded.reshape(-1, size, *a.shape[1:])
    prefix = op.accumulate(blocks, axis=1).reshape(padded.shape)
    suffix = op.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].reshape(padded.shape)
    out = op(suffix[:n], prefix[size - 1:size - 1 + n])
    return np.moveaxis(out, 0, axis)
