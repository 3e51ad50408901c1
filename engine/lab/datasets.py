"""The 2-D lab's data sets: TensorFlow Playground's six, more classes, and 1-D curves.

Classification points lie in the plane ``[-6, 6]²`` (Playground's domain); labels are
``0 … k−1`` (Playground's −1 is class 0, its +1 class 1). Curve samples are
``x ∈ [-6, 6]`` with targets in ``(0, 1)``, the range of the network's sigmoid output.
Surface samples (2-D regression) are points of the plane with targets in ``[-1, 1]``.

``noise`` is Playground's 0–0.5 (its slider's 0–50 %). Circle, exclusive or, two Gaussians,
spiral and the surfaces plane and multi-Gaussian follow Playground's ``dataset.ts``
(github.com/tensorflow/playground: classify*, regressPlane, regressGaussian): with noise 0
they are exactly its shapes. Everything is deterministic given ``seed``.
"""

import numpy as np

DOMAIN = 6.0  # the plane shown is [-DOMAIN, DOMAIN]²
CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "blobs", "arms")
MULTICLASS = ("blobs", "arms")  # 2–5 classes; the others have two
REGRESSION = ("sine", "bump", "step", "ramp")  # 1-D curves
SURFACES = ("plane", "multigauss")  # 2-D regression
_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],  # Playground's: centre, sign
                       [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])
MIN_CLASSES, MAX_CLASSES = 2, 5  # of the multi-class sets


def points(kind, n=500, noise=0.0, classes=2, seed=0):
    """``(xy (n, 2) float32, labels (n,) int64)`` of the data set ``kind``.

    ``classes`` counts only for the multi-class sets (MIN_CLASSES to MAX_CLASSES); every
    set has equally many points of each class before noise (exactly, up to one when ``n``
    does not divide).
    Raises ValueError for an unknown kind or out-of-range arguments.
    """
    if kind not in CLASSIFICATION:
        raise ValueError(f"unknown data set {kind!r}; choose from {', '.join(CLASSIFICATION)}")
    _check(n, noise)
    if kind in MULTICLASS:
        if not MIN_CLASSES <= classes <= MAX_CLASSES:
            raise ValueError(f"{kind} has {MIN_CLASSES} to {MAX_CLASSES} classes, not {classes}")
    else:
        classes = 2
    rng = np.random.default_rng(seed)
    counts = np.full(classes, n // classes)
    counts[:n % classes] += 1
    xy, labels = _MAKERS[kind](rng, counts, noise)
    return np.asarray(xy, np.float32), np.asarray(labels, np.int64)


def curve(kind, n=200, noise=0.0, seed=0):
    """``(x (n, 1) float32, y (n,) float32)``: samples of a 1-D curve with targets in (0, 1).

    sine: 0.5 + 0.35 sin x; bump: a Gaussian bump; step: a step at 0; ramp: |x| rising.
    ``noise`` adds N(0, (noise/2)²) to each target (clipped into [0.02, 0.98]).
    """
    if kind not in REGRESSION:
        raise ValueError(f"unknown curve {kind!r}; choose from {', '.join(REGRESSION)}")
    _check(n, noise)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-DOMAIN, DOMAIN, n)
    y = curve_value(kind, x) + rng.normal(0.0, noise / 2, n)
    return x[:, None].astype(np.float32), np.clip(y, 0.02, 0.98).astype(np.float32)


def curve_value(kind, x):
    """The noiseless curve ``kind`` at ``x`` (any shape)."""
    x = np.asarray(x, np.float64)
    if kind == "sine":
        return 0.5 + 0.35 * np.sin(x)
    if kind == "bump":
        return 0.15 + 0.7 * np.exp(-x * x / 2)
    if kind == "step":
        return np.where(x > 0, 0.8, 0.2)
    if kind == "ramp":
        return 0.15 + 0.7 * np.abs(x) / DOMAIN
    raise ValueError(f"unknown curve {kind!r}; choose from {', '.join(REGRESSION)}")


def surface(kind, n=500, noise=0.0, seed=0):
    """``(xy (n, 2) float32, target (n,) float32)``: points drawn uniformly over the plane,
    each with the surface's value at the point moved by noise (Playground: the point plus
    ``noise`` × U(−6, 6) in each coordinate), clipped into ``[-1, 1]`` (Playground's plane
    reaches ±1.2 in the corners; the lab's sigmoid output spans ±1 once rescaled).
    """
    if kind not in SURFACES:
        raise ValueError(f"unknown surface {kind!r}; choose from {', '.join(SURFACES)}")
    _check(n, noise)
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    moved = xy + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
    return xy.astype(np.float32), np.clip(surface_value(kind, moved), -1, 1).astype(np.float32)


def surface_value(kind, xy):
    """The noiseless surface ``kind`` at the points ``xy`` ``(..., 2)``, in ``[-1, 1]``.

    plane: (x + y)/10 (Playground maps x + y ∈ [−10, 10] onto [−1, 1], unclamped); multigauss:
    of six bumps ±(1 − d/2) clamped at 0 (d the distance to its centre), the largest in size.
    """
    xy = np.asarray(xy, np.float64)
    if kind == "plane":
        return (xy[..., 0] + xy[..., 1]) / 10
    if kind == "multigauss":
        d = np.hypot(xy[..., 0, None] - _GAUSSIANS[:, 0], xy[..., 1, None] - _GAUSSIANS[:, 1])
        bumps = _GAUSSIANS[:, 2] * np.clip(1 - d / 2, 0, 1)
        pick = np.argmax(np.abs(bumps), axis=-1)
        return np.take_along_axis(bumps, pick[..., None], axis=-1)[..., 0]
    raise ValueError(f"unknown surface {kind!r}; choose from {', '.join(SURFACES)}")


def train_test_split(n, train_fraction=0.5, seed=0):
    """A boolean mask ``(n,)``: True for the ``round(n·train_fraction)`` training samples,
    chosen at random (Playground shuffles, then cuts at its 'ratio of training data')."""
    if not 0.1 <= train_fraction <= 0.9:
        raise ValueError(f"the training fraction must be from 0.1 to 0.9, got {train_fraction}")
    mask = np.zeros(n, bool)
    mask[np.random.default_rng(seed + 1).permutation(n)[:round(n * train_fraction)]] = True
    return mask


def _check(n, noise):
    if not 4 <= n <= 10_000:
        raise ValueError(f"a lab data set has 4 to 10,000 points, not {n}")
    if not 0.0 <= noise <= 0.5:  # also refuses NaN
        raise ValueError(f"noise must be from 0 to 0.5, got {noise}")


def _circle(rng, counts, noise):
    radius = 5.0
    r = np.concatenate([rng.uniform(0, radius * 0.5, counts[1]),
                        rng.uniform(radius * 0.7, radius, counts[0])])
    angle = rng.uniform(0, 2 * np.pi, r.size)
    xy = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-radius, radius, xy.shape) * noise
    return xy, (np.hypot(*(xy + jitter).T) < radius * 0.5).astype(np.int64)


def _xor(rng, counts, noise):
    n, padding = counts.sum(), 0.3
    # Playground draws uniformly and labels by quadrant; here half the points are drawn in
    # each pair of quadrants so that the classes balance exactly without noise.
    xy = rng.uniform(0, 5, (n, 2)) + padding
    sx = rng.choice([-1.0, 1.0], n)
    sy = np.where(np.arange(n) < counts[1], sx, -sx)
    xy *= np.stack([sx, sy], axis=1)
    jitter = rng.uniform(-5, 5, xy.shape) * noise
    moved = xy + jitter
    return xy, (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)


def _gauss(rng, counts, noise):
    variance = 0.5 + 3.5 * noise / 0.5  # Playground: noise 0 → 0.5 … noise 0.5 → 4
    std = np.sqrt(variance)
    xy = np.concatenate([rng.normal((2, 2), std, (counts[1], 2)),
                         rng.normal((-2, -2), std, (counts[0], 2))])
    return xy, np.repeat([1, 0], [counts[1], counts[0]])


def _arms(rng, counts, noise, turns=1.75):
    parts, labels = [], []
    k = len(counts)
    # Playground's two-arm spiral: the positive arm starts at angle 0, the negative at π
    for c, m in enumerate(counts):
        i = np.arange(m) / max(m, 1)
        r = i * 5
        t = turns * i * 2 * np.pi + (1 - c if k == 2 else c) * 2 * np.pi / k
        xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        parts.append(xy + rng.uniform(-1, 1, xy.shape) * noise)
        labels.append(np.full(m, c))
    return np.concatenate(parts), np.concatenate(labels)


def _blobs(rng, counts, noise):
    k = len(counts)
    angle = 2 * np.pi * np.arange(k) / k + np.pi / 4
    centres = 3.5 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    std = 0.6 + 3 * noise
    xy = np.concatenate([rng.normal(centres[c], std, (m, 2)) for c, m in enumerate(counts)])
    return xy, np.repeat(np.arange(k), counts)


_MAKERS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _arms, "blobs": _blobs,
           "arms": _arms}
