"""The 2-D lab's run: its data, its small network and trainer, surgery, and frames.

A :class:`Lab` is driven by one thread: :meth:`Lab.frame` trains one pass over the training
points (Playground's frame: an epoch in mini-batches) and returns a :class:`LabSnapshot`,
immutable, with the boundary of the output and of every hidden neuron over the plane.
"""

from dataclasses import dataclass, replace

import numpy as np

from ..activations import ACTIVATIONS
from ..config import TrainConfig
from ..data import DataSplit, Dataset, one_hot
from ..network import Network, labels_from_outputs
from ..optimizers import make_optimizer
from ..trainer import Trainer
from . import datasets
from .regularization import check as check_regularization
from .features import check_features, feature_matrix
from .grid import boundary
from .surgery import Surgery

DATASETS = datasets.CLASSIFICATION + datasets.REGRESSION + datasets.SURFACES + ("points",)
MAX_WIDTH = 16  # neurons in a hidden layer
MAX_HIDDEN = 6  # hidden layers
REMOVE_RADIUS = 0.4  # a right-click removes the nearest point this close (plane units)


def parse_hidden(text):
    """``"4-2"`` (or ``"4,2"``) → ``(4, 2)``; ``""`` → ``()`` (no hidden layer).

    Raises ValueError for anything but whole numbers joined by ``-`` (``"-4"``, ``"4--2"``,
    ``"abc"``); their range is :meth:`LabConfig.checked`'s.
    """
    text = str(text).strip()
    if not text:
        return ()
    try:
        return tuple(int(p) for p in text.replace(",", "-").split("-"))
    except ValueError:
        raise ValueError(f"hidden layers are whole numbers like 4-2, got {text[:20]!r}") from None


@dataclass(frozen=True)
class LabConfig:
    """The lab's settings; Playground's defaults (circle, 4-2 tanh, η = 0.03, batch 10).

    ``dataset``: one of :data:`datasets.CLASSIFICATION`, :data:`datasets.REGRESSION` (1-D
    curves), :data:`datasets.SURFACES` (2-D regression), or "points" (the points were read
    from a file or drawn: see :meth:`Lab.use_points`);
    ``classes`` counts for the multi-class sets only; ``regularization`` is "none", "L1"
    or "L2" with the rate λ ``reg_rate``: L2 adds λ·w to each weight's gradient, L1 adds
    λ·sign(w), biases are not regularised (see :mod:`.regularization` for the source).
    """

    dataset: str = "circle"
    classes: int = 3
    noise: float = 0.0
    train_fraction: float = 0.5
    n_points: int = 500
    seed: int = 0
    features: tuple = ("x", "y")
    hidden: tuple = (4, 2)
    activation: str = "tanh"
    lr: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    reg_rate: float = 0.0
    resolution: int = 100

    @property
    def curve(self):
        """A 1-D curve to fit (one input x)."""
        return self.dataset in datasets.REGRESSION

    @property
    def surface(self):
        """A surface over the plane to fit (2-D regression)."""
        return self.dataset in datasets.SURFACES

    @property
    def regression(self):
        """A curve or a surface: one sigmoid output, squared error, no accuracy."""
        return self.curve or self.surface

    def checked(self):
        """This config, or ValueError naming the first bad setting."""
        if self.dataset not in DATASETS:
            raise ValueError(f"unknown data set {self.dataset!r}")
        check_features(self.features, 1 if self.curve else 2)
        if not datasets.MIN_CLASSES <= self.classes <= datasets.MAX_CLASSES:
            raise ValueError(f"a lab data set has {datasets.MIN_CLASSES} to "
                             f"{datasets.MAX_CLASSES} classes, not {self.classes}")
        if not 0 <= self.noise <= 0.5 or not 0.1 <= self.train_fraction <= 0.9 \
                or not 4 <= self.n_points <= 10_000:
            raise ValueError("noise must be from 0 to 0.5, the training fraction from 0.1 to "
                             "0.9 and the number of points from 4 to 10,000")
        if not 0 <= len(self.hidden) <= MAX_HIDDEN or \
                not all(1 <= int(n) <= MAX_WIDTH for n in self.hidden):
            raise ValueError(f"up to {MAX_HIDDEN} hidden layers of 1 to {MAX_WIDTH} neurons")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}")
        check_regularization(self.regularization, self.reg_rate)
        if not 1e-5 <= self.lr <= 10 or not 1 <= self.batch_size <= 10_000 \
                or not 10 <= self.resolution <= 400:
            raise ValueError("η must be from 0.00001 to 10, the batch size from 1 to 10,000 "
                             "and the resolution from 10 to 400")
        return self

    @property
    def l1(self):
        """λ of L1 regularisation (0 unless it is chosen)."""
        return self.reg_rate if self.regularization == "L1" else 0.0

    @property
    def l2(self):
        """λ of L2 weight decay (0 unless it is chosen)."""
        return self.reg_rate if self.regularization == "L2" else 0.0


@dataclass(frozen=True, eq=False)
class LabSnapshot:
    """Everything the lab's panels draw at one moment (read-only arrays).

    ``points`` ``(n, 2)``: the plane's points, or a curve's ``(x, target)`` samples;
    ``labels`` ``(n,)`` (zeros for a curve or a surface); ``targets`` ``(n,)`` a surface's
    values in [−1, 1] (None otherwise: the network's target is (value + 1)/2, the range of
    its sigmoid output); ``is_train`` ``(n,)`` bool; ``params`` the flat
    weights and biases of a network of ``sizes``; ``off`` one bool mask a layer (switched-off
    neurons); ``boundary`` a :class:`~engine.lab.grid.Boundary`; costs are the mean cost,
    accuracies fractions (None for a curve or a surface).
    """

    config: LabConfig
    sizes: tuple
    cost: str
    params: np.ndarray
    off: tuple
    points: np.ndarray
    labels: np.ndarray
    is_train: np.ndarray
    n_classes: int
    boundary: object
    epoch: int
    steps: int
    train_cost: float
    test_cost: float
    train_accuracy: float = None
    test_accuracy: float = None
    can_undo: bool = False
    serial: int = 0
    targets: np.ndarray = None

    def network(self):
        """A new :class:`Network` holding these weights."""
        net = Network(self.sizes, self.config.activation, self.cost)
        net.params[...] = self.params
        return net

    def inputs(self, which=None):
        """Network inputs ``(n, sizes[0])`` of all points, or of the training (``"train"``)
        or test (``"test"``) ones, and their targets ``(n, sizes[-1])``."""
        keep = {None: slice(None), "train": self.is_train, "test": ~self.is_train}[which]
        return _inputs_targets(self.config, self.points[keep], self.labels[keep],
                               self.sizes[-1], None if self.targets is None
                               else self.targets[keep])


class Lab:
    """One lab run. Not thread-safe: one thread calls everything."""

    def __init__(self, config=LabConfig()):
        self.config = config.checked()
        points, labels, targets = _make_points(config)
        self._set_points(points, labels, datasets.train_test_split(
            len(labels), config.train_fraction, config.seed), targets)
        self._serial = 0
        self._build_network()

    # ----------------------------------------------------------- settings
    @property
    def n_classes(self):
        if self.config.regression:
            return 1
        if self.config.dataset == "points":
            return max(2, int(self.labels.max()) + 1)
        return self.config.classes if self.config.dataset in datasets.MULTICLASS else 2

    def configure(self, config):
        """Apply ``config``: new data if the data settings changed, a new network if its
        shape did, otherwise η, batch size and regularisation change with the weights kept."""
        config = config.checked()
        old, self.config = self.config, config
        data_keys = ("dataset", "classes", "noise", "train_fraction", "n_points", "seed")
        if any(getattr(old, k) != getattr(config, k) for k in data_keys):
            points, labels, targets = (self.points, self.labels, None) \
                if config.dataset == "points" else _make_points(config)
            self._set_points(points, labels, datasets.train_test_split(
                len(labels), config.train_fraction, config.seed), targets)
        shape_keys = ("features", "hidden", "activation", "dataset", "classes", "seed")
        if any(getattr(old, k) != getattr(config, k) for k in shape_keys) or \
                self.network.sizes != self._sizes():
            self._build_network()
        else:
            self._build_trainer(keep=True)

    def use_points(self, xy, labels):
        """Classify these points (read from a file): ``xy`` ``(n, 2)``, labels 0–4; half
        of them, at random, are for training. A new network."""
        self.config = replace(self.config, dataset="points").checked()
        labels = np.asarray(labels, np.int64)
        self._set_points(np.asarray(xy, np.float32).reshape(-1, 2), labels,
                         datasets.train_test_split(len(labels), self.config.train_fraction,
                                                   self.config.seed))
        self._build_network()

    def add_point(self, x, y, label):
        """A training point at ``(x, y)`` of class ``label`` (a curve: the sample (x, y); a
        surface: the point with the surface's noiseless value there)."""
        targets = self.targets
        if self.config.curve:
            y, label = min(max(float(y), 0.02), 0.98), 0
        elif self.config.surface:
            label = 0
            value = datasets.surface_value(self.config.dataset, np.float64([x, y]))
            targets = np.append(targets, np.float32(np.clip(value, -1, 1)))
        elif not 0 <= label < self.n_classes:
            raise ValueError(f"class {label} is not one of this data set's {self.n_classes}")
        self._set_points(np.concatenate([self.points, np.float32([[x, y]])]),
                         np.append(self.labels, np.int64(label)), np.append(self.is_train, True),
                         targets)
        self._build_trainer(keep=True)

    def remove_point(self, x, y):
        """Remove the point nearest ``(x, y)`` if it is within REMOVE_RADIUS (and at least
        two training points stay); True if one was removed."""
        d = np.hypot(self.points[:, 0] - x, self.points[:, 1] - y)
        i = int(np.argmin(d))
        if d[i] > REMOVE_RADIUS or (self.is_train[i] and self.is_train.sum() <= 2):
            return False
        keep = np.arange(len(self.labels)) != i
        self._set_points(self.points[keep], self.labels[keep], self.is_train[keep],
                         None if self.targets is None else self.targets[keep])
        self._build_trainer(keep=True)
        return True

    def reset(self, seed=None):
        """New random weights (and no surgery to undo)."""
        if seed is not None:
            self.config = replace(self.config, seed=int(seed))
        self._build_network()

    # ------------------------------------------------------------ training
    def frame(self, before_step=None):
        """Train to the end of the current pass over the training points; the snapshot.

        ``before_step()``, if given, is called before each mini-batch. Raises
        DivergedError when the cost becomes NaN or explodes.
        """
        steps = -(-int(self.is_train.sum()) // self.trainer.batch_size)

        def prepare():
            if before_step is not None:
                before_step()
            self.surgery.enforce()
        self.trainer.run_steps(steps, prepare)
        prepare()  # (the snapshot's passes over the grid are work too)
        return self.snapshot()

    def snapshot(self):
        """The :class:`LabSnapshot` of now."""
        cfg, net = self.config, self.network
        self.surgery.enforce()
        self._serial += 1
        params = net.params.copy()
        params.flags.writeable = False
        figures = {}
        for part, keep in (("train", self.is_train), ("test", ~self.is_train)):
            X, Y = _inputs_targets(cfg, self.points[keep], self.labels[keep], net.sizes[-1],
                                   None if self.targets is None else self.targets[keep])
            if not len(X):
                figures[f"{part}_cost"] = float("nan")
                continue
            out, figures[f"{part}_cost"] = net.outputs_and_cost(X, Y)
            if not cfg.regression:
                figures[f"{part}_accuracy"] = float(
                    (labels_from_outputs(out) == self.labels[keep]).mean())
        return LabSnapshot(
            config=cfg, sizes=net.sizes, cost=net.cost_name, params=params,
            off=self.surgery.off_masks(), **self._frozen_points(),
            n_classes=self.n_classes,
            boundary=boundary(net, cfg.features, 1 if cfg.curve else 2, cfg.resolution),
            epoch=self._epoch0 + self.trainer.epoch, steps=self._steps0 + self.trainer.steps,
            can_undo=self.surgery.can_undo, serial=self._serial, **figures)

    # ------------------------------------------------------------- helpers
    def _set_points(self, points, labels, is_train, targets=None):
        self.points, self.labels, self.is_train = points, labels, is_train
        self.targets = targets
        self._frozen = None

    def _frozen_points(self):
        """Read-only copies of the points, made again only when they change (so a panel can
        tell new points by identity)."""
        if self._frozen is None:
            self._frozen = {"points": _frozen(self.points), "labels": _frozen(self.labels),
                            "is_train": _frozen(self.is_train),
                            "targets": None if self.targets is None else _frozen(self.targets)}
        return self._frozen

    def _sizes(self):
        n_out = 1 if self.n_classes <= 2 else self.n_classes
        return (len(self.config.features), *map(int, self.config.hidden), n_out)

    def _build_network(self):
        cfg = self.config
        cost = "mse" if cfg.regression else "cross-entropy"
        self.network = Network(self._sizes(), cfg.activation, cost, seed=cfg.seed)
        self.surgery = Surgery(self.network)
        self.trainer = None
        self._epoch0 = self._steps0 = 0
        self._build_trainer(keep=False)

    def _build_trainer(self, keep):
        """A trainer on the current training points; ``keep``: the weights, the switched-off
        neurons and the counts go on (a new trainer starts from its seed's weights)."""
        cfg, net = self.config, self.network
        params = net.params.copy()
        if self.trainer is not None:
            self._epoch0 += self.trainer.epoch
            self._steps0 += self.trainer.steps
        X, Y = _inputs_targets(cfg, self.points[self.is_train], self.labels[self.is_train],
                               net.sizes[-1], None if self.targets is None
                               else self.targets[self.is_train])
        train = Dataset("lab", X, self.labels[self.is_train], Y, ("y",) if cfg.regression
                        else tuple(str(c) for c in range(self.n_classes)))
        tc = TrainConfig(layers=net.sizes, activation=cfg.activation, cost=net.cost_name,
                         optimizer="sgd", lr=cfg.lr, batch_size=cfg.batch_size,
                         weight_decay=cfg.l2, seed=cfg.seed, dataset="lab")
        self.trainer = Trainer(net, DataSplit("lab", train, train), tc)
        if cfg.l1:  # the shared trainer's settings know L2 only
            self.trainer.optimizer = make_optimizer("sgd", net.params, cfg.lr, l1=cfg.l1,
                                                    mask=net.weight_mask())
        if keep:
            net.params[...] = params
        self.surgery.enforce()


def _make_points(cfg):
    """``(points, labels, targets)`` of the config's data set (targets: a surface's)."""
    if cfg.curve:
        x, y = datasets.curve(cfg.dataset, cfg.n_points, cfg.noise, cfg.seed)
        return np.concatenate([x, y[:, None]], axis=1), np.zeros(len(y), np.int64), None
    if cfg.surface:
        xy, values = datasets.surface(cfg.dataset, cfg.n_points, cfg.noise, cfg.seed)
        return xy, np.zeros(len(values), np.int64), values
    if cfg.dataset == "points":
        raise ValueError("read points with Lab.use_points")
    return (*datasets.points(cfg.dataset, cfg.n_points, cfg.noise, cfg.classes, cfg.seed), None)


def _inputs_targets(cfg, points, labels, n_out, targets=None):
    """Network inputs and targets of ``points`` (a curve: inputs from x, targets y; a
    surface: targets (value + 1)/2, in the sigmoid output's range)."""
    if cfg.curve:
        return feature_matrix(points[:, :1], cfg.features), \
            np.ascontiguousarray(points[:, 1:2], np.float32)
    if cfg.surface:
        return feature_matrix(points, cfg.features), \
            ((np.asarray(targets, np.float32) + 1) / 2)[:, None]
    return feature_matrix(points, cfg.features), one_hot(labels, n_out)


def _frozen(a):
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a
