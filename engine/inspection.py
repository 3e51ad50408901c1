"""What a network has learned, as pure functions for the inspection panels."""

from dataclasses import dataclass

import numpy as np

from .metrics import accuracy, confusion_matrix
from .network import labels_from_outputs
from .optimizers import make_optimizer


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
    delta = network.cost.output_gradient(t.activations[-1][0].astype(np.float64), cls)
    for l in range(network.n_layers - 1, -1, -1):
        back = network.weights[l].T.astype(np.float64) @ delta
        if l == 0:
            return back
        a = t.activations[l][0].astype(np.float64)
        delta = network.activation.backward(back, a, np.empty_like(a))
    return delta


def descend(network, x, target, lr):
    """One step of plain gradient descent on one example, in place: w ← w − η ∂C/∂w, by the
    network's own backpropagation and the engine's SGD. ``x``: ``(n_in,)``, ``target``:
    ``(n_out,)``."""
    X = np.ascontiguousarray(np.reshape(x, (1, -1)), network.dtype)
    Y = np.ascontiguousarray(np.reshape(target, (1, -1)), network.dtype)
    grad = np.zeros_like(network.params)
    network.backprop(X, Y, *network.unflatten(grad))
    make_optimizer("sgd", network.params, lr).step(network.params, grad)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The network's answers on one data set: enough for a confusion matrix with examples.

    probs: ``(n, k)`` output probabilities (two columns for a one-output network);
    actual, predicted: ``(n,)`` labels; confidence: ``(n,)`` probability of the
    predicted class; cost: the network's mean cost on the set. ``dataset`` is
    the (read-only) set evaluated. ``step``: the mini-batch step of a network evaluated
    part-way through an epoch; None at an epoch's end (after ``epoch`` epochs).
    """

    dataset: object
    probs: np.ndarray
    actual: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    epoch: int = 0
    cost: float = float("nan")
    step: int | None = None

    @property
    def when(self):
        """'after epoch 3', or 'at step 1,024' part-way through an epoch."""
        return f"after epoch {self.epoch}" if self.step is None else f"at step {self.step:,}"

    @property
    def n_classes(self):
        return self.probs.shape[1]

    def confusion(self):
        return confusion_matrix(self.actual, self.predicted, self.n_classes)

    @property
    def accuracy(self):
        return accuracy(self.actual, self.predicted)

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


def evaluate(network, dataset, epoch=0, limit=None, step=None):
    """An :class:`Evaluation` of ``network`` on ``dataset`` (its first ``limit`` samples):
    the one whole-set evaluation of the app and the command line (``epoch``, ``step``: when
    in its training, see :class:`Evaluation`)."""
    if limit is not None and limit < len(dataset):
        dataset = dataset.subset(limit)
    with np.errstate(all="ignore"):
        out, cost = network.outputs_and_cost(dataset.x, dataset.targets)
    predicted = labels_from_outputs(out)
    probs = np.concatenate([1 - out, out], axis=1) if out.shape[1] == 1 else out
    actual = dataset.labels.astype(np.int64)
    confidence = probs[np.arange(len(predicted)), predicted]
    return Evaluation(dataset, probs, actual, predicted, confidence, epoch, cost, step)
