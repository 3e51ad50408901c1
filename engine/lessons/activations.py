"""Activation functions on their own (seed 001): the same 784-16-16-10 network, the same
seed and every other setting, with sigmoid, tanh and ReLU hidden neurons, one change at a
time; and the functions and their slopes, computed by the engine's own activations."""

import numpy as np

from ..activations import ACTIVATIONS
from ..config import preset
from .experiments import _last_accuracy, _mnist, _shortened, train

ORDER = ("sigmoid", "tanh", "relu")
BASE = preset("3b1b")


def curves(z):
    """``{name: (f(z), f'(z))}`` for each activation, float64 arrays like ``z``; the slope is
    the engine's backward pass applied to a δ of ones."""
    z = np.asarray(z, np.float64)
    found = {}
    for name in ORDER:
        act = ACTIVATIONS[name]
        a = act.forward(z, np.empty_like(z))
        slope = act.backward(np.ones_like(z), a, np.empty_like(z))
        found[name] = (a, slope)
    return found


def activations(short=False, data=None):
    """Each activation's largest slope (on z in [−6, 6]), then the 3b1b network trained from
    the same seed with each hidden activation in turn (the output layer stays sigmoid).
    ``stopped_in_epoch[name]``: the epoch in which a run stalled or diverged, 0 if none did."""
    z = np.linspace(-6, 6, 1201)
    max_slope = {name: float(slope.max()) for name, (_, slope) in curves(z).items()}
    yield {"max_slope": max_slope}
    split = _mnist(short)
    config = _shortened(BASE, short)
    accuracy, stopped = {}, {}
    for name in ORDER:
        session = yield from train(config.replace(activation=name), split, run=name)
        accuracy[name] = _last_accuracy(session)
        epochs = session.trainer.epoch
        stopped[name] = epochs + 1 if epochs < config.epochs else 0
    yield {"max_slope": max_slope, "test_accuracy": accuracy, "stopped_in_epoch": stopped,
           "epochs": config.epochs}
