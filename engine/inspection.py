"""What a network has learned, as pure functions for the inspection panels."""

import math
from dataclasses import dataclass

import numpy as np

from .metrics import confusion_matrix
from .network import labels_from_outputs


def grid_shape(n):
    """``(rows, cols)`` for ``n`` tiles, as square as possible, wider than tall (30 → 5×6)."""
    cols = math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


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


def top_activating(weights_row, bias, X, count=8):
    """Indices of the ``count`` inputs with the largest weighted input w·x + b, strongest first."""
    z = X @ weights_row + bias
    count = min(count, len(z))
    top = np.argpartition(-z, count - 1)[:count]
    return top[np.argsort(-z[top])], z[top][np.argsort(-z[top])]


def input_gradient(network, x, cls):
    """∂ a_cls / ∂ x: how each input pixel pushes output ``cls`` up (+) or down (−).

    ``x``: one input ``(n_in,)``. Backpropagates from the single output
    activation (not the cost) through the network's layers.
    """
    t = network.trace(x[None, :], np.zeros((1, network.sizes[-1])))
    a_out = t.activations[-1][0]
    k = len(a_out)
    if network.cost_name == "cross-entropy" and k > 1:  # softmax: ∂a_c/∂z_j = a_c (δ_cj − a_j)
        delta = a_out[cls] * ((np.arange(k) == cls) - a_out)
    else:  # sigmoid outputs
        delta = np.where(np.arange(k) == cls, a_out * (1 - a_out), 0.0)
    delta = delta.astype(np.float64)
    for l in range(network.n_layers - 1, -1, -1):
        back = network.weights[l].T.astype(np.float64) @ delta
        if l == 0:
            return back
        a = t.activations[l][0].astype(np.float64)
        name = network.activation_name
        derivative = a * (1 - a) if name == "sigmoid" else (a > 0) if name == "relu" else 1 - a * a
        delta = back * derivative
    return delta


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The network's answers on one data set: enough for a confusion matrix with examples.

    probs: ``(n, k)`` output probabilities (two columns for a one-output network);
    actual, predicted: ``(n,)`` labels; confidence: ``(n,)`` probability of the
    predicted class; cost: the network's mean cost on the set. ``dataset`` is
    the (read-only) set evaluated.
    """

    dataset: object
    probs: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    epoch: int = 0
    cost: float = float("nan")

    @property
    def n_classes(self):
        return self.probs.shape[1]

    def confusion(self):
        return confusion_matrix(self.actual, self.predicted, self.n_classes)

    @property
    def accuracy(self):
        return float(np.mean(self.actual == self.predicted)) if len(self.actual) else float("nan")

    def cell(self, actual, predicted, count=None):
        """Indices of the examples in one cell, most confident first."""
        idx = np.flatnonzero((self.actual == actual) & (self.predicted == predicted))
        idx = idx[np.argsort(-self.confidence[idx], kind="stable")]
        return idx if count is None else idx[:count]

    def top_per_cell(self, count):
        """``(k, k, count)`` indices of each cell's most confident examples; −1 pads short cells."""
        k = self.n_classes
        cell = self.actual * k + self.predicted
        order = np.lexsort((-self.confidence, cell))  # by cell, then most confident first
        sorted_cells = cell[order]
        starts = np.searchsorted(sorted_cells, np.arange(k * k))
        ends = np.searchsorted(sorted_cells, np.arange(k * k), side="right")
        rank = np.arange(count)
        pos = starts[:, None] + rank[None, :]
        top = np.where(pos < ends[:, None], order[np.minimum(pos, len(order) - 1)], -1)
        return top.reshape(k, k, count)

    def worst_mistakes(self, count=50):
        """Indices of the most confident wrong answers, most confident first."""
        wrong = np.flatnonzero(self.actual != self.predicted)
        return wrong[np.argsort(-self.confidence[wrong], kind="stable")][:count]


def evaluate(network, dataset, epoch=0, limit=None):
    """An :class:`Evaluation` of ``network`` on ``dataset`` (its first ``limit`` samples)."""
    if limit is not None and limit < len(dataset):
        dataset = dataset.subset(limit)
    with np.errstate(all="ignore"):
        out = network.forward(dataset.x)
    predicted = labels_from_outputs(out)
    probs = np.concatenate([1 - out, out], axis=1) if out.shape[1] == 1 else out
    rows = np.arange(len(predicted))
    actual = dataset.labels.astype(np.int64)
    with np.errstate(all="ignore"):
        if network.cost_name == "mse":  # mean over samples of Σ_j (a_j − y_j)²
            cost = float(np.square(out - dataset.targets).sum(dtype=np.float64)) / max(len(out), 1)
        else:  # −log of the probability given to the right answer (softmax, or sigmoid for 0/1)
            cost = float(-np.log(np.maximum(probs[rows, actual], 1e-30)).mean(dtype=np.float64))
    return Evaluation(dataset, probs, actual, predicted, probs[rows, predicted], epoch, cost)
