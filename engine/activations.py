"""Hidden-layer activations.

Each activation works in place on preallocated float arrays so that a training
step makes few NumPy calls. The derivative is written in terms of the
activation ``a = f(z)`` (all three allow it), so the forward pass need not keep
``z`` around.
"""

import numpy as np


class Sigmoid:
    name = "sigmoid"

    @staticmethod
    def forward(z, out):
        """out = 1 / (1 + exp(-z)), computed as 0.5·tanh(z/2) + 0.5 (no overflow)."""
        np.multiply(z, 0.5, out=out)
        np.tanh(out, out=out)
        out *= 0.5
        out += 0.5
        return out

    @staticmethod
    def backward(delta, a, tmp):
        """delta *= σ'(z) = a (1 − a)."""
        np.subtract(1.0, a, out=tmp)
        tmp *= a
        delta *= tmp
        return delta


class ReLU:
    name = "relu"

    @staticmethod
    def forward(z, out):
        return np.maximum(z, 0.0, out=out)

    @staticmethod
    def backward(delta, a, tmp):
        """delta *= [z > 0] = [a > 0]."""
        np.greater(a, 0.0, out=tmp)
        delta *= tmp
        return delta


class Tanh:
    name = "tanh"

    @staticmethod
    def forward(z, out):
        return np.tanh(z, out=out)

    @staticmethod
    def backward(delta, a, tmp):
        """delta *= 1 − a²."""
        np.multiply(a, a, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        delta *= tmp
        return delta


ACTIVATIONS = {cls.name: cls for cls in (Sigmoid, ReLU, Tanh)}
