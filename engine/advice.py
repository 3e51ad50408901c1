"""Advice after a run went wrong: a learning rate that learns, and whether a run learned at all.

A learning rate that diverged calls for one that is known to learn on the same setup, not
merely a smaller one (1000 → 100 diverges again, 10 learns nothing, with the 3b1b network).
"""

import math

import numpy as np

# η that learns within one epoch, per (activation, cost, optimizer), for scaled initial weights
# (WORKING_LR) and N(0, 1) ones (WORKING_LR_NORMAL; None: no η learned). Measured on MNIST,
# one epoch of 3,000 images in mini-batches of 10, over η ∈ {10, 3, 1, 0.5, 0.3, 0.1, 0.05,
# 0.03, 0.01, 0.003, 0.001, 0.0003}: the best η, or the next smaller one where the best stood
# next to a divergence (ReLU + cross-entropy + momentum: 3b1b-tweaked's 0.005, between 0.01
# and 0.003). Scaled: a 784-16-10 network, 64–86% test accuracy each; N(0, 1): a
# 784-30-10 network (Nielsen's), 45–73%, except ReLU or tanh with MSE, which stayed under 45%
# at every η (saturated or dead neurons): there the advice is to scale the initial weights.
# tests/engine/test_advice.py trains each entry again.
WORKING_LR = {
    ("sigmoid", "mse", "sgd"): 1.0, ("sigmoid", "mse", "momentum"): 0.1,
    ("sigmoid", "mse", "adam"): 0.01,
    ("sigmoid", "cross-entropy", "sgd"): 0.5, ("sigmoid", "cross-entropy", "momentum"): 0.05,
    ("sigmoid", "cross-entropy", "adam"): 0.003,
    ("relu", "mse", "sgd"): 0.1, ("relu", "mse", "momentum"): 0.01,
    ("relu", "mse", "adam"): 0.001,
    ("relu", "cross-entropy", "sgd"): 0.05, ("relu", "cross-entropy", "momentum"): 0.005,
    ("relu", "cross-entropy", "adam"): 0.001,
    ("tanh", "mse", "sgd"): 0.3, ("tanh", "mse", "momentum"): 0.03,
    ("tanh", "mse", "adam"): 0.003,
    ("tanh", "cross-entropy", "sgd"): 0.1, ("tanh", "cross-entropy", "momentum"): 0.01,
    ("tanh", "cross-entropy", "adam"): 0.003,
}
WORKING_LR_NORMAL = {
    ("sigmoid", "mse", "sgd"): 3.0, ("sigmoid", "mse", "momentum"): 0.1,
    ("sigmoid", "mse", "adam"): 0.01,
    ("sigmoid", "cross-entropy", "sgd"): 0.5, ("sigmoid", "cross-entropy", "momentum"): 0.1,
    ("sigmoid", "cross-entropy", "adam"): 0.01,
    ("relu", "mse", "sgd"): None, ("relu", "mse", "momentum"): None,
    ("relu", "mse", "adam"): None,
    ("relu", "cross-entropy", "sgd"): 0.1, ("relu", "cross-entropy", "momentum"): 0.01,
    ("relu", "cross-entropy", "adam"): 0.03,
    ("tanh", "mse", "sgd"): None, ("tanh", "mse", "momentum"): None,
    ("tanh", "mse", "adam"): None,
    ("tanh", "cross-entropy", "sgd"): 0.3, ("tanh", "cross-entropy", "momentum"): 0.05,
    ("tanh", "cross-entropy", "adam"): 0.01,
}
SIGNIFICANCE = 1e-3  # a run learned when guessing would score as well with less chance


def _setup(config):
    return (tuple(config.layers), config.activation, config.cost, config.optimizer, config.init)


def working_lr(config):
    """``(η, why)``: a learning rate known to learn on ``config``'s setup — its preset's own η
    when layers, activation, cost, optimizer and initialisation are a preset's, else the
    table's for its activation, cost, optimizer and initialisation — and where it comes from
    (which says to change the initialisation where no η learns with it)."""
    from .config import PRESETS

    for name, (_, preset) in PRESETS.items():
        if _setup(preset) == _setup(config) and not preset.shuffle_labels:
            return preset.lr, f"the {name} preset's"
    key = (config.activation, config.cost, config.optimizer)
    if config.init != "normal":
        return WORKING_LR[key], f"known to learn with {' + '.join(key)}"
    if WORKING_LR_NORMAL[key] is None:
        return WORKING_LR[key], (f"with --init scaled: from N(0, 1) weights {' + '.join(key)} "
                                 "learned at no η measured")
    return WORKING_LR_NORMAL[key], f"known to learn with {' + '.join(key)} from N(0, 1) weights"


def smaller_lr(lr):
    """A learning rate about ten times smaller than ``lr``, with one significant digit."""
    return max(float(f"{lr / 10:.1g}"), 1e-5)


def suggested_lr(config, lr, diverged):
    """``(η, why)``: the learning rate to try after ``lr`` diverged (``diverged``) or learned
    nothing on ``config``'s setup, and where it comes from; η is None when ``lr`` is already
    the one that learns there."""
    good, why = working_lr(config)
    key = (config.activation, config.cost, config.optimizer)
    if config.init == "normal" and WORKING_LR_NORMAL[key] is None:
        return good, why  # the initialisation is at fault, whatever η
    if diverged and good >= lr:  # diverged below the usual η (a wider layer, say)
        good, why = smaller_lr(lr), "ten times smaller"
    return (None, why) if math.isclose(good, lr) else (good, why)


def lr_advice(config, lr, diverged, flag=False):
    """One sentence of advice (see :func:`suggested_lr`); ``flag``: name η as ``--lr``."""
    good, why = suggested_lr(config, lr, diverged)
    if good is None:
        return (f"learning rate {lr:g} is the usual one for this setup ({why}): train more "
                "epochs, or on more images")
    return f"{'try --lr' if flag else 'Try learning rate'} {good:g} ({why})"


def binomial_tail(k, n, p):
    """P(X ≥ k) for X ~ Binomial(n, p), summed in log space (exact up to rounding)."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])
    i = np.arange(k, n + 1)
    log_terms = (log_factorial[n] - log_factorial[i] - log_factorial[n - i]
                 + i * math.log(p) + (n - i) * math.log1p(-p))
    top = log_terms.max()
    return float(min(1.0, math.exp(top) * np.exp(log_terms - top).sum()))


def beyond_chance(labels, accuracy):
    """``(learned, chance)``: whether ``accuracy`` on test ``labels`` (``(n,)`` ints) beats
    guessing the commonest class, ``chance`` that class's share.

    Learned means both: more than 1.2 × chance, and a binomial tail P(X ≥ correct) under
    chance below SIGNIFICANCE (so 14% of 100 images is no proof, 14% of 10,000 is).
    """
    labels = np.asarray(labels)
    n = labels.size
    chance = float(np.bincount(labels).max() / n) if n else 1.0
    correct = int(round(accuracy * n))
    learned = accuracy > 1.2 * chance and binomial_tail(correct, n, chance) < SIGNIFICANCE
    return learned, chance
