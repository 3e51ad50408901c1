"""Optimizers that update a flat parameter array in place.

Each is built for one network (``n_params``) and keeps its state (velocity,
moments) in arrays of that size. ``lr`` may be changed between steps.
Optional L2 weight decay adds ``weight_decay · w`` to the gradient of every
weight, optional L1 regularisation ``l1 · sign(w)`` (the gradient of λ Σ|w|; Goodfellow,
Bengio & Courville, *Deep Learning*, 2016, §7.1.2, eq. 7.20; TensorFlow Playground's L1);
biases are neither decayed nor regularised; ``mask`` marks the weights.
"""

import numpy as np


class Optimizer:
    name = ""

    def __init__(self, params, lr, weight_decay=0.0, mask=None, l1=0.0):
        self.lr = float(lr)
        self.weight_decay, self.l1 = float(weight_decay), float(l1)
        mask = np.ones_like(params) if mask is None else mask
        self._decay = (mask * self.weight_decay).astype(params.dtype) \
            if self.weight_decay else None
        self._l1 = (mask * self.l1).astype(params.dtype) if self.l1 else None
        if self._decay is not None or self._l1 is not None:
            self._penalty_tmp = np.empty_like(params)

    def step(self, params, grad):
        """Update ``params`` in place from ``grad`` (which may be overwritten)."""
        if self._decay is not None:
            np.multiply(params, self._decay, out=self._penalty_tmp)
            grad += self._penalty_tmp
        if self._l1 is not None:
            np.sign(params, out=self._penalty_tmp)
            self._penalty_tmp *= self._l1
            grad += self._penalty_tmp
        self._update(params, grad)

    def _update(self, params, grad):
        raise NotImplementedError


class SGD(Optimizer):
    """The lectures' rule: w ← w − η ∇C."""

    name = "sgd"

    def _update(self, params, grad):
        grad *= -self.lr
        params += grad


class Momentum(Optimizer):
    """Heavy ball: v ← μ v − η ∇C;  w ← w + v."""

    name = "momentum"

    def __init__(self, params, lr, momentum=0.9, **kw):
        super().__init__(params, lr, **kw)
        self.momentum = float(momentum)
        self.velocity = np.zeros_like(params)

    def _update(self, params, grad):
        v = self.velocity
        v *= self.momentum
        grad *= self.lr
        v -= grad
        params += v


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction."""

    name = "adam"

    def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8, **kw):
        super().__init__(params, lr, **kw)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = np.zeros_like(params)
        self.v = np.zeros_like(params)
        self.t = 0

    def _update(self, params, grad):
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self.m *= b1
        self.m += (1 - b1) * grad
        grad *= grad
        self.v *= b2
        grad *= 1 - b2
        self.v += grad
        scale = self.lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        np.sqrt(self.v, out=grad)
        grad += self.eps
        np.divide(self.m, grad, out=grad)
        grad *= -scale
        params += grad


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make_optimizer(name, params, lr, momentum=0.9, weight_decay=0.0, mask=None, l1=0.0):
    """Build the optimizer called ``name`` for a flat ``params`` array."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose from {sorted(OPTIMIZERS)}")
    kw = {"weight_decay": weight_decay, "mask": mask, "l1": l1}
    if name == "momentum":
        kw["momentum"] = momentum
    return OPTIMIZERS[name](params, lr, **kw)
