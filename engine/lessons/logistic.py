"""Logistic regression on one feature, the first experiment of seed 001 ("from logistic
regression to neural networks").

The seed predicts heart disease from the maximum heart rate; that data cannot be had here, so
the task is a real one of the same shape: is this MNIST digit a 1 (not a 0), from one
feature, its amount of ink (standardised: 0 is the average image, 1 one standard deviation
more). P(y = 1) = σ(β₀ + β₁x); the curve's midpoint is c = −β₀/β₁, β₁ its steepness, and a
negative β₁ (more ink, less likely a 1) turns it round. The cost is the mean cross-entropy
over all 12,665 training zeros and ones: the surface over (β₀, β₁) is exact, no projection.
"""

import numpy as np

from .. import data as datamod
from ..landscape import Ball, MiniBatchProblem

START = (3.0, 3.0)  # β₀, β₁: the curve the wrong way round, centred at ink −1
LR = 1.0
STEPS = 150
EXTENT = (-6.0, 6.0, -8.0, 4.0)  # β₀ from, to; β₁ from, to (the view's window)


class InkTask:
    """The ink feature and labels of the training zeros and ones (``feature``, ``label``),
    the test ones standardised the same way (``test_feature``, ``test_label``); the cost
    and its gradient over all the training ones, as functions of (β₀, β₁)."""

    one_d = False
    extent = EXTENT

    def __init__(self, split=None):
        split = split or datamod.load("mnist")
        self._problem = MiniBatchProblem(split.train, batch_size=1)
        self._problem.batch = np.arange(len(self._problem.label))  # the whole set, always
        train = split.train
        keep = (train.labels == 0) | (train.labels == 1)
        ink = train.x[keep].sum(axis=1).astype(np.float64)
        mean, std = ink.mean(), ink.std()
        test = split.test
        keep_test = (test.labels == 0) | (test.labels == 1)
        self.feature, self.label = self._problem.feature, self._problem.label
        self.test_feature = (test.x[keep_test].sum(axis=1).astype(np.float64) - mean) / std
        self.test_label = (test.labels[keep_test] == 1).astype(np.float64)

    def cost(self, beta0, beta1):
        """Mean cross-entropy (nats) over the training zeros and ones; arrays broadcast."""
        return self._problem.full_cost(beta1, beta0)

    def grad(self, beta0, beta1):
        """(∂C/∂β₀, ∂C/∂β₁)."""
        d_beta1, d_beta0 = self._problem.grad(beta1, beta0)
        return d_beta0, d_beta1

    def sample(self, count=300, seed=0):
        """``count`` training points (feature, label) to draw, the same ones for a seed."""
        pick = np.random.default_rng(seed).choice(len(self.label), count, replace=False)
        return self.feature[pick], self.label[pick]


def probability(beta0, beta1, x):
    """P(y = 1 | x) = σ(β₀ + β₁x), for arrays ``x``."""
    return 0.5 * np.tanh(0.5 * (beta0 + beta1 * np.asarray(x, np.float64))) + 0.5


def accuracy(beta0, beta1, x, y):
    """The fraction of points read right (P > 0.5 read as a 1)."""
    return float(np.mean((probability(beta0, beta1, x) > 0.5) == (y > 0.5)))


def logistic(short=False, data=None, task=None):
    """The ball rolls down the exact cost surface from β = ``START``: every 10 steps β₀, β₁,
    the cost and the midpoint; the headline ``beta0``, ``beta1``, ``cost`` and the test
    ``accuracy`` at the end. Cheap: ``short`` runs it whole."""
    task = task or InkTask()
    ball = Ball(task, START, lr=LR)
    for step in range(STEPS + 1):
        if step % 10 == 0 or step == STEPS:
            b0, b1 = ball.position
            yield {"step": step, "beta0": float(b0), "beta1": float(b1),
                   "cost": float(task.cost(b0, b1)), "midpoint": float(-b0 / b1)}
        if step < STEPS:
            ball.step()
    b0, b1 = (float(v) for v in ball.position)
    yield {"beta0": b0, "beta1": b1, "cost": float(task.cost(b0, b1)),
           "accuracy": accuracy(b0, b1, task.test_feature, task.test_label),
           "train_accuracy": accuracy(b0, b1, task.feature, task.label),
           "start_cost": float(task.cost(*START)), "midpoint": -b0 / b1,
           "steps": STEPS, "lr": LR, "images": len(task.label),
           "test_images": len(task.test_label)}
