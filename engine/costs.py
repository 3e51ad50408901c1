"""Cost functions, each paired with the output layer it is defined on.

A cost object knows three things (Nielsen's strategy pattern):

``output(z, out)``
    the output-layer activation (sigmoid or softmax), in place;
``value_and_delta(z, a, y, delta, tmp)``
    the mean cost over the batch, and ``delta = ∂C/∂z`` of the output layer
    (already divided by the batch size), written into ``delta``; ``tmp`` is
    scratch space of the same shape;
``value(z, a, y)``
    the mean cost only;
``output_gradient(a, c)``
    ``∂a_c/∂z`` ``(n_out,)`` of one sample's output activations ``a`` ``(n_out,)``.

Shapes: ``z, a, y, delta`` are ``(n, n_out)``; ``y`` is one-hot (or 0/1 with a
single output).
"""

import numpy as np

from .activations import Sigmoid


class MSE:
    """3Blue1Brown's cost: mean over samples of Σ_j (a_j − y_j)², sigmoid output."""

    name = "mse"

    @staticmethod
    def output(z, out):
        return Sigmoid.forward(z, out)

    @staticmethod
    def value_and_delta(z, a, y, delta, tmp):
        n = a.shape[0]
        np.subtract(a, y, out=delta)
        flat = delta.reshape(-1)
        cost = float(np.dot(flat, flat)) / n
        Sigmoid.backward(delta, a, tmp)
        delta *= 2.0 / n
        return cost

    @staticmethod
    def value(z, a, y):
        d = (a - y).reshape(-1)
        return float(np.dot(d, d)) / a.shape[0]

    @staticmethod
    def output_gradient(a, c):
        """Sigmoid outputs: only a_c depends on z_c, by σ' = a_c (1 − a_c)."""
        return np.where(np.arange(len(a)) == c, a * (1 - a), 0.0)


class CrossEntropy:
    """Softmax output with the mean negative log-likelihood.

    With a single output unit softmax is constant, so that case uses a sigmoid
    with binary cross-entropy; ``delta = (a − y) / n`` in both cases.
    """

    name = "cross-entropy"

    @staticmethod
    def output(z, out):
        if z.shape[1] == 1:
            return Sigmoid.forward(z, out)
        np.subtract(z, np.maximum.reduce(z, axis=1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= np.add.reduce(out, axis=1, keepdims=True)
        return out

    @staticmethod
    def value(z, a, y):
        n = z.shape[0]
        if z.shape[1] == 1:
            a = np.clip(a, 1e-7, 1 - 1e-7)
            return -float(np.dot(y[:, 0], np.log(a[:, 0])) + np.dot(1 - y[:, 0], np.log1p(-a[:, 0]))) / n
        # −Σ y·log a, with log a = (z − m) − log Σ exp(z − m): exact, no log(0)
        shifted = z - np.maximum.reduce(z, axis=1, keepdims=True)
        log_norm = np.log(np.add.reduce(np.exp(shifted), axis=1))
        return (float(log_norm.sum()) - float(np.dot(y.reshape(-1), shifted.reshape(-1)))) / n

    @staticmethod
    def output_gradient(a, c):
        """Softmax: ∂a_c/∂z_j = a_c (δ_cj − a_j); a single output is a sigmoid."""
        if len(a) == 1:
            return MSE.output_gradient(a, c)
        return a[c] * ((np.arange(len(a)) == c) - a)

    @classmethod
    def value_and_delta(cls, z, a, y, delta, tmp):
        cost = cls.value(z, a, y)
        np.subtract(a, y, out=delta)
        delta *= 1.0 / a.shape[0]
        return cost


COSTS = {cls.name: cls for cls in (MSE, CrossEntropy)}
