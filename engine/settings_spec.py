"""The training settings, each declared once: type, default, range or choices, unit and help.

:class:`~engine.config.TrainConfig` checks its values against this table (at construction,
and when reading saved settings or a session file), the command line makes the flags of
``train`` from it, and the app's controls take their ranges and choices from it, so all of
them accept the same values.

The ranges are generous where a lesson needs it: η reaches 10,000 for the learning-rate
lesson's η = 100 and for divergence demos; a seed is 0 … 2³¹−1 (what a spin box holds).
"""

import numbers
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .costs import COSTS
from .files import MAX_PARAMS
from .network import INITS
from .optimizers import OPTIMIZERS

MAX_LAYERS = 50  # layers of a network, input and output included
MAX_DATASET_CHARS = 4096  # a data set's name or path


def parse_layers(text):
    """``"784-16-16-10"`` or ``"784,16,16,10"`` → ``(784, 16, 16, 10)``.

    Raises ValueError for anything but at least two whole numbers ≥ 1.
    """
    parts = str(text).replace(",", "-").replace(" ", "").split("-")
    try:
        layers = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError("layer sizes must be whole numbers like 784-16-16-10, got "
                         f"{_short(text)}") from None
    if len(layers) < 2 or min(layers) < 1:
        raise ValueError(f"need at least an input and an output layer of width ≥ 1, got {_short(text)}")
    return layers


def _short(value):
    return repr(value)[:40]


def _number_text(value):
    """``2,147,483,647`` or ``10,000`` for a whole number, ``1e-06`` or ``0.999`` otherwise;
    ``1e+400`` for a whole number too long to read."""
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = str(abs(value))
        return f"{'-' if value < 0 else ''}{digits[0]}e+{len(digits) - 1}"
    if isinstance(value, int) or (1000 <= abs(value) < 1e15 and value == int(value)):
        return f"{int(value):,}"
    return f"{value:g}"


@dataclass(frozen=True)
class Setting:
    """One training setting: a field of :class:`~engine.config.TrainConfig`.

    ``kind`` is ``int``, ``float``, ``bool``, ``str`` or ``tuple`` (the layer sizes);
    ``low`` … ``high`` the closed range of a number; ``choices`` the allowed strings (empty:
    any); ``unit`` what a number counts (shown after it).
    """

    name: str
    kind: type
    default: object
    help: str
    low: float = None
    high: float = None
    choices: tuple = ()
    unit: str = ""

    @property
    def flag(self):
        """The command line's flag: ``--batch-size`` for ``batch_size``."""
        return "--" + self.name.replace("_", "-")

    def allowed(self):
        """What the setting takes, in words: ``from 1e-06 to 10,000``, ``sgd, momentum or adam``."""
        if self.kind is bool:
            return "true or false"
        if self.choices:
            return " or ".join(filter(None, [", ".join(self.choices[:-1]), self.choices[-1]]))
        if self.kind is tuple:
            return (f"{MAX_LAYERS} layers at most, {MAX_PARAMS:,} weights and biases at most")
        if self.kind is str:
            return f"a name or path of at most {MAX_DATASET_CHARS:,} characters"
        unit = f" {self.unit}" if self.unit else ""
        return f"from {_number_text(self.low)} to {_number_text(self.high)}{unit}"

    def check(self, value):
        """``value`` converted to this setting's type (``tuple`` of ints, ``float`` …).

        Raises ValueError saying why it is not allowed (the value shortened, the setting not
        named: the caller names it as a flag or a setting).
        """
        if self.kind is tuple:
            return _checked_layers(value)
        if self.kind is bool:
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{_short(value)} is not {self.allowed()}")
            return bool(value)
        if self.kind is str:
            if self.choices:
                ok = isinstance(value, str) and value in self.choices
            else:
                ok = (isinstance(value, str) and 0 < len(value) <= MAX_DATASET_CHARS
                      and "\0" not in value)
            if not ok:
                raise ValueError(f"{_short(value)} is not {self.allowed()}")
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{_short(value)} is not a number")
        if not isinstance(value, numbers.Integral):
            value = float(value)
        if not self.low <= value <= self.high:  # also refuses NaN; 1e308 is out of range
            raise ValueError(f"{_number_text(value)[:40]} is not between "
                             f"{_number_text(self.low)} and {_number_text(self.high)}")
        if self.kind is int:
            if not isinstance(value, numbers.Integral):
                raise ValueError(f"{_short(value)} is not a whole number")
            return int(value)
        return float(value)


def _checked_layers(value):
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_LAYERS:
            raise ValueError(f"{len(value)} layers; at most {MAX_LAYERS} are allowed")
        if not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in value):
            raise ValueError(f"{_short(value)} are not whole numbers")
        value = "-".join(str(n) for n in value)
    layers = parse_layers(value)
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"{len(layers)} layers; at most {MAX_LAYERS} are allowed")
    n_params = sum(b * (a + 1) for a, b in zip(layers, layers[1:]))
    if n_params > MAX_PARAMS:
        raise ValueError(f"{'-'.join(map(str, layers))[:60]} has {n_params:,} weights and "
                         f"biases; the limit is {MAX_PARAMS:,}")
    return layers


SETTINGS = (
    Setting("layers", tuple, (784, 16, 16, 10),
            "layer sizes, input first, e.g. 784-16-16-10 or 784,16,16,10"),
    Setting("activation", str, "sigmoid", "activation of the hidden layers",
            choices=tuple(ACTIVATIONS)),
    Setting("cost", str, "mse", "cost function; cross-entropy comes with a softmax output",
            choices=tuple(COSTS)),
    Setting("init", str, "scaled", "initial weights: 'normal' is Nielsen's N(0, 1), "
            "'scaled' suits the layer's width: Xavier, or He for ReLU", choices=INITS),
    Setting("optimizer", str, "sgd", "how the gradient moves the weights",
            choices=tuple(OPTIMIZERS)),
    Setting("lr", float, 1.0, "learning rate η: the size of each downhill step",
            low=1e-6, high=1e4),
    Setting("lr_decay", float, 1.0, "multiply η by this after every epoch, 1 for a constant η",
            low=0.01, high=1.0),
    Setting("momentum", float, 0.9, "momentum coefficient β of the momentum optimizer",
            low=0.0, high=0.999),
    Setting("weight_decay", float, 0.0, "L2 weight decay λ: adds λ·w to each weight's gradient",
            low=0.0, high=1.0),
    Setting("batch_size", int, 10, "images per mini-batch, one gradient step each",
            low=1, high=60_000, unit="images"),
    Setting("epochs", int, 10, "passes over the training set", low=1, high=1_000_000,
            unit="epochs"),
    Setting("seed", int, 0, "seed of the initial weights, the shuffling and the augmentation",
            low=0, high=2**31 - 1),
    Setting("dataset", str, "mnist", "mnist, fashion, xor, trask, a folder of IDX files or a "
            "Keras-style .npz"),
    Setting("shuffle_labels", bool, False,
            "train on randomly permuted labels: the memorisation experiment"),
    Setting("train_subset", int, 0, "train on the first N training images only, 0 for all",
            low=0, high=10**8, unit="images"),
    Setting("augment", bool, False, "randomly shift, rotate, scale and thicken the training "
            "images, 28×28 data only"),
)

SPEC = {setting.name: setting for setting in SETTINGS}

