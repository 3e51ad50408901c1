"""Shuffled mini-batches of gradient descent.

The trainer never prints and never sleeps: it does one mini-batch per :meth:`Trainer.step`
(:meth:`Trainer.run_steps` a few, up to an epoch's end). A whole run — epochs, their
evaluations, the record of the weights — is a :class:`engine.session.Session`.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np

from . import data as datamod
from . import inspection
from .advice import lr_advice
from .config import TrainConfig
from .errors import DivergedError
from .network import Network
from .optimizers import make_optimizer
from .preprocess import augment


# Overflow and NaN in the engine's arithmetic are detected (DivergedError) and reported, not
# warned about. A filter rather than np.errstate: a non-default errstate makes every NumPy
# call in a training step slower (measured: 10–15% of a 3b1b step).
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"engine\.")

EXPLOSION_FACTOR = 1000.0  # a cost this many times the first one means divergence


@dataclass(frozen=True)
class EpochReport:
    """Costs and accuracies after one epoch; ``seconds`` is training time only."""

    epoch: int
    samples_seen: int
    train_cost: float
    test_cost: float
    train_accuracy: float
    test_accuracy: float
    seconds: float
    lr: float

    def to_dict(self):
        return dict(self.__dict__)


@dataclass(frozen=True)
class EpochEnd:
    """Where training stood at the end of an epoch, for a report made when it is evaluated."""

    epoch: int
    samples_seen: int
    seconds: float
    lr: float

    def report(self, train, test):
        """The :class:`EpochReport`, given ``(cost, accuracy)`` on the training and test sets."""
        return EpochReport(self.epoch, self.samples_seen, train[0], test[0], train[1], test[1],
                           self.seconds, self.lr)


class CostHistory:
    """Mini-batch costs over a whole run, in bounded memory.

    Costs are gathered in buckets of ``stride`` steps; each bucket keeps one raw
    mini-batch cost (for the faint, noisy curve) and the bucket's mean. When
    ``capacity`` buckets are full, neighbours merge and the stride doubles.
    """

    def __init__(self, capacity=4096):
        self.capacity = capacity
        self.samples = np.empty(capacity, np.float64)
        self.raw = np.empty(capacity, np.float32)
        self.mean = np.empty(capacity, np.float32)
        self.count = 0
        self.stride = 1
        self._sum = 0.0
        self._n = 0

    def append(self, samples_seen, cost):
        self._sum += cost
        self._n += 1
        if self._n < self.stride:
            return
        i = self.count
        self.samples[i], self.raw[i], self.mean[i] = samples_seen, cost, self._sum / self._n
        self.count += 1
        self._sum, self._n = 0.0, 0
        if self.count == self.capacity:
            half = self.capacity // 2
            self.samples[:half] = self.samples[1::2]
            self.raw[:half] = self.raw[1::2]
            self.mean[:half] = 0.5 * (self.mean[0::2] + self.mean[1::2])
            self.count = half
            self.stride *= 2

    def arrays(self):
        """Copies ``(samples_seen, raw_cost, mean_cost)`` of the filled part."""
        n = self.count
        return self.samples[:n].copy(), self.raw[:n].copy(), self.mean[:n].copy()

    @classmethod
    def restored(cls, samples, raw, mean, stride, capacity=4096):
        """A history holding these buckets (a run read back, or cut at a fork)."""
        history = cls(capacity)
        n = min(len(samples), capacity - 1)
        history.samples[:n], history.raw[:n], history.mean[:n] = samples[:n], raw[:n], mean[:n]
        history.count, history.stride = n, max(1, int(stride))
        return history

    def cut(self, samples_seen):
        """The history up to ``samples_seen`` (later buckets dropped), as a new history."""
        samples, raw, mean = self.arrays()
        keep = samples <= samples_seen
        return CostHistory.restored(samples[keep], raw[keep], mean[keep], self.stride,
                                    self.capacity)


def prepare_data(config, split=None):
    """The data split of ``config``, with its subset / shuffled-labels options applied."""
    split = split or datamod.load(config.dataset)
    train = split.train
    if config.train_subset:
        train = train.subset(config.train_subset)
    if config.shuffle_labels:
        train = train.with_shuffled_labels(config.seed)
    return datamod.DataSplit(split.name, train, split.test, split.notes)


def build_network(config, split):
    """A fresh network for ``config``, checked against the data's shape."""
    layers = tuple(config.layers)
    if layers[0] != split.train.n_inputs or layers[-1] != split.train.n_outputs:
        raise ValueError(
            f"layers {'-'.join(map(str, layers))} do not fit the {split.name} data: it has "
            f"{datamod.counted(split.train.n_inputs, 'input')} and needs "
            f"{datamod.counted(split.train.n_outputs, 'output')}")
    return Network(layers, config.activation, config.cost, seed=config.seed, init=config.init)


class Trainer:
    """Mini-batch gradient descent of ``network`` on ``split.train``.

    ``lr`` and ``batch_size`` may be changed between steps.
    """

    def __init__(self, network, split, config=TrainConfig()):
        self.network, self.split, self.config = network, split, config
        self.train, self.test = split.train, split.test
        self.grad = np.zeros_like(network.params)
        self._grad_w, self._grad_b = network.unflatten(self.grad)
        self.batch_size = config.batch_size
        self._augment = config.augment and split.train.image_shape == (28, 28)
        self.base_lr = config.lr
        self.history = CostHistory()
        self.reset(config.seed)

    def reset(self, seed=None):
        """New random weights and a fresh optimizer; the clock restarts at zero."""
        seed = self.config.seed if seed is None else seed
        self.network.reset(seed)
        cfg = self.config
        self.optimizer = make_optimizer(cfg.optimizer, self.network.params, self.base_lr,
                                        cfg.momentum, cfg.weight_decay, self.network.weight_mask())
        self.rng = np.random.default_rng(seed)
        self.epoch = self.steps = self.samples_seen = self._pos = 0
        self._order = None
        self.last_cost = float("nan")
        self._explode_at = math.inf
        self.history = CostHistory()

    def place(self, steps, samples_seen, lr):
        """Stand at this point of a run (going back to it, or reading it back; set the cost
        history first): the counters and the learning rate as they were there; the optimizer
        starts afresh (its momentum is not recorded) and the rest of that epoch's images come
        in a new order."""
        cfg = self.config
        self.optimizer = make_optimizer(cfg.optimizer, self.network.params, lr, cfg.momentum,
                                        cfg.weight_decay, self.network.weight_mask())
        self.base_lr = float(lr)
        n = len(self.train)
        self.steps, self.samples_seen = int(steps), int(samples_seen)
        self.epoch, self._pos = divmod(self.samples_seen, n)
        self._order = self.rng.permutation(n) if self._pos else None
        first = float(self.history.raw[0]) if self.history.count else math.nan
        self._explode_at = EXPLOSION_FACTOR * max(first, 1.0) if math.isfinite(first) else math.inf
        self.last_cost = float("nan")

    @property
    def lr(self):
        return self.optimizer.lr

    @lr.setter
    def lr(self, value):
        """Set the current learning rate; later epochs decay from it, and a reset starts from it."""
        self.base_lr = self.optimizer.lr = float(value)

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        value = int(value)
        if value < 1:
            raise ValueError(f"batch size must be at least 1, got {value}")
        self._batch_size = value
        n = min(value, len(self.train))
        self._xbuf = np.empty((n, self.train.n_inputs), self.network.dtype)
        self._ybuf = np.empty((n, self.train.n_outputs), self.network.dtype)

    @property
    def epoch_progress(self):
        """Fraction of the current epoch done, in [0, 1)."""
        return self._pos / len(self.train)

    def step(self):
        """One mini-batch of gradient descent; returns its cost.

        Raises :class:`DivergedError` when the cost is NaN, infinite or has exploded
        (over EXPLOSION_FACTOR times the first step's), or every neuron has saturated.
        """
        n = len(self.train)
        if self._pos == 0:
            self._order = self.rng.permutation(n)
        idx = self._order[self._pos:self._pos + self._batch_size]
        k = idx.shape[0]
        x, y = self._xbuf[:k], self._ybuf[:k]
        # mode="clip": with the default mode="raise", take() buffers its output (2.5–3× slower)
        self.train.x.take(idx, axis=0, out=x, mode="clip")
        self.train.targets.take(idx, axis=0, out=y, mode="clip")
        if self._augment:
            x = augment(x, self.rng)
        cost = self.network.backprop(x, y, self._grad_w, self._grad_b)
        if not cost <= self._explode_at:  # also catches NaN
            what = f"became {cost}" if not math.isfinite(cost) else f"exploded to {cost:.3g}"
            raise DivergedError(
                f"training diverged: the cost {what} at step {self.steps + 1} with learning rate "
                f"{self.lr:g}. {lr_advice(self.config, self.lr, diverged=True)}")
        if self.steps == 0:
            self._explode_at = EXPLOSION_FACTOR * max(cost, 1.0)
        if self.steps % 128 == 127 and not self.grad.any():
            raise DivergedError(
                f"training stalled: with learning rate {self.lr:g} the weights were thrown so far "
                f"that every output neuron saturated (its slope is 0), the gradient is exactly "
                f"zero and learning stopped. "
                f"{lr_advice(self.config, self.lr, diverged=True)}")
        self.optimizer.step(self.network.params, self.grad)
        self._pos += k
        self.steps += 1
        self.samples_seen += k
        self.last_cost = cost
        self.history.append(self.samples_seen, cost)
        if self._pos >= n:
            self._pos = 0
            self.epoch += 1
            self.optimizer.lr *= self.config.lr_decay
        return cost

    def run_steps(self, count, before_step=None):
        """Up to ``count`` mini-batches, stopping after the last one of an epoch.

        ``before_step()``, if given, is called before each mini-batch. Returns how many ran.
        """
        epoch = self.epoch
        for done in range(1, count + 1):
            if before_step is not None:
                before_step()
            self.step()
            if self.epoch != epoch:
                return done
        return count

    def evaluate(self, dataset, limit=None):
        """``(mean cost, accuracy)`` of the current network on ``dataset``."""
        return cost_and_accuracy(self.network, dataset, limit)


def cost_and_accuracy(network, dataset, limit=None):
    """``(mean cost, accuracy)`` of ``network`` on ``dataset`` (its first ``limit`` samples)."""
    evaluation = inspection.evaluate(network, dataset, limit=limit)
    return evaluation.cost, evaluation.accuracy


def make_trainer(config, split=None):
    """Data, network and trainer for ``config`` (``split`` defaults to the config's data set);
    mini-batch steps only (a whole run with its evaluations is a Session)."""
    split = prepare_data(config, split)
    return Trainer(build_network(config, split), split, config)
