"""Training settings and the lectures' presets."""

from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run.

    ``lr_decay`` multiplies the learning rate after every epoch;
    ``train_subset`` trains on the first N training samples only; ``augment``
    randomly shifts, rotates, scales and thickens every training image
    (28×28 data only), so that digits drawn by hand are recognised.
    """

    layers: tuple = (784, 16, 16, 10)
    activation: str = "sigmoid"
    cost: str = "mse"
    init: str = "scaled"
    optimizer: str = "sgd"
    lr: float = 1.0
    lr_decay: float = 1.0
    momentum: float = 0.9
    weight_decay: float = 0.0
    batch_size: int = 10
    epochs: int = 10
    seed: int = 0
    dataset: str = "mnist"
    shuffle_labels: bool = False
    train_subset: int = 0
    augment: bool = False

    def replace(self, **changes):
        """A copy with ``changes`` applied (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self):
        d = asdict(self)
        d["layers"] = list(self.layers)
        return d

    @classmethod
    def from_dict(cls, d):
        """A config from ``d`` (saved settings, a file): each valid value is taken, each
        missing, unknown or invalid one falls back to the default.

        Returns ``(config, problems)``, ``problems`` a list of one-line notices.
        """
        if not isinstance(d, dict):
            return cls(), ["the saved training settings are not readable: defaults used"]
        values, problems = {}, []
        for f in fields(cls):
            if f.name not in d:
                continue
            try:
                values[f.name] = _checked(f.name, d[f.name])
            except (TypeError, ValueError) as exc:
                problems.append(f"setting {f.name}: {exc}; the default {f.default!r} is used")
        return cls(**values), problems


def _checked(name, value):
    """``value`` of setting ``name``, converted and checked; raises ValueError saying why not."""
    from .activations import ACTIVATIONS
    from .costs import COSTS
    from .files import MAX_PARAMS
    from .optimizers import OPTIMIZERS

    choices = {"activation": ACTIVATIONS, "cost": COSTS, "optimizer": OPTIMIZERS,
               "init": ("scaled", "normal")}
    ranges = {"lr_decay": (1e-6, 1.0), "momentum": (0.0, 0.999),
              "weight_decay": (0.0, 0.999), "batch_size": (1, 60000), "epochs": (1, 1_000_000),
              "seed": (0, 2**31 - 1), "train_subset": (0, 10**8)}
    if name == "layers":
        layers = parse_layers("-".join(str(n) for n in value) if isinstance(value, (list, tuple))
                              else value)
        if sum(b * (a + 1) for a, b in zip(layers, layers[1:])) > MAX_PARAMS:
            raise ValueError(f"{'-'.join(map(str, layers))[:60]} is larger than this app trains")
        return layers
    if name in choices:
        if value not in choices[name]:
            raise ValueError(f"{str(value)[:40]!r} is not one of {', '.join(choices[name])}")
        return value
    if name in ("shuffle_labels", "augment"):
        if not isinstance(value, bool):
            raise ValueError(f"{str(value)[:40]!r} is not true or false")
        return value
    if name == "dataset":
        if not isinstance(value, str) or not value or len(value) > 4096:
            raise ValueError("not a data set name or path")
        return value
    if name == "lr":  # any η train --lr takes: a run that diverged at 5000 reads back too
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not 0 < value < float("inf")):
            raise ValueError(f"{str(value)[:40]!r} is not a positive number")
        return float(value)
    low, high = ranges[name]
    number = float(value) if isinstance(low, float) else value
    if isinstance(low, int) and not (isinstance(value, int) and not isinstance(value, bool)):
        raise ValueError(f"{str(value)[:40]!r} is not a whole number")
    if isinstance(value, bool) or not low <= number <= high:  # also refuses NaN
        raise ValueError(f"{str(value)[:40]!r} is not between {low:g} and {high:g}")
    return number


def parse_layers(text):
    """``"784-16-16-10"`` or ``"784,16,16,10"`` → ``(784, 16, 16, 10)``."""
    parts = str(text).replace(",", "-").replace(" ", "").split("-")
    try:
        layers = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"layer sizes must be whole numbers like 784-16-16-10, got {text!r}") from None
    if len(layers) < 2 or min(layers) < 1:
        raise ValueError(f"need at least an input and an output layer of width ≥ 1, got {text!r}")
    return layers


_3B1B = TrainConfig(lr=1.0, lr_decay=0.85)
_PLAIN = TrainConfig()  # constant learning rate

PRESETS = {
    "3b1b": (
        "3Blue1Brown's 784-16-16-10 sigmoid network: MSE cost, plain mini-batch SGD",
        _3B1B),
    "3b1b-tweaked": (
        "Same 784-16-16-10 shape with the usual tweaks: ReLU, softmax + cross-entropy, "
        "momentum, decaying learning rate",
        _3B1B.replace(activation="relu", cost="cross-entropy", optimizer="momentum",
                      lr=0.005, lr_decay=0.9, batch_size=10, epochs=20)),
    "nielsen": (
        "Nielsen's network.py: 784-30-10 sigmoid, N(0, 1) init, η = 3, batch 10",
        _PLAIN.replace(layers=(784, 30, 10), init="normal", lr=3.0, epochs=30)),
    "templates": (
        "No hidden layer (784-10): each output's weights become a blurry digit template",
        _PLAIN.replace(layers=(784, 10), cost="cross-entropy", lr=0.1, weight_decay=1e-3,
                       epochs=10)),
    "hidden10": (
        "784-10-10: a hidden layer of just ten neurons",
        _3B1B.replace(layers=(784, 10, 10))),
    "trask": (
        "Trask's 3-4-1 network on the 4-customer table, 60,000 full-batch iterations",
        _PLAIN.replace(layers=(3, 4, 1), dataset="trask", init="normal", lr=1.0,
                       batch_size=4, epochs=60000)),
    "xor": (
        "Exclusive or: 2-4-1 sigmoid, full batch",
        _PLAIN.replace(layers=(2, 4, 1), dataset="xor", init="normal", lr=2.0,
                       batch_size=4, epochs=5000)),
    "shuffled": (
        "Random labels: a bigger network memorises 2,000 shuffled images "
        "(training accuracy climbs, test accuracy stays at chance)",
        _PLAIN.replace(layers=(784, 256, 10), activation="relu", cost="cross-entropy",
                       optimizer="adam", lr=1e-3, batch_size=32, epochs=60,
                       shuffle_labels=True, train_subset=2000)),
    "strong": (
        "The best network we train in about a minute (784-256-128-10 ReLU, Adam, augmented "
        "images): the drawing pad's model",
        _3B1B.replace(layers=(784, 256, 128, 10), activation="relu", cost="cross-entropy",
                      optimizer="adam", lr=1e-3, lr_decay=0.85, batch_size=64, epochs=20,
                      augment=True)),
}


def preset(name):
    """The :class:`TrainConfig` of a preset."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return PRESETS[name][1]
