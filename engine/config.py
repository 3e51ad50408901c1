"""Training settings and the lectures' presets."""

from dataclasses import asdict, dataclass, replace

from .settings_spec import SETTINGS, SPEC, parse_layers

__all__ = ["TrainConfig", "PRESETS", "preset", "parse_layers"]


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run; each field is a setting of
    :data:`engine.settings_spec.SETTINGS`, which gives its default, range or choices and
    meaning.

    ``lr_decay`` multiplies the learning rate after every epoch; ``train_subset`` trains on
    the first N training samples only; ``augment`` randomly shifts, rotates, scales and
    thickens every training image (28×28 data only), so that digits drawn by hand are
    recognised.

    Every value is checked (and converted: a list of layer sizes becomes a tuple, a whole
    number η a float) at construction; raises ValueError naming the setting otherwise.
    """

    layers: tuple = SPEC["layers"].default
    activation: str = SPEC["activation"].default
    cost: str = SPEC["cost"].default
    init: str = SPEC["init"].default
    optimizer: str = SPEC["optimizer"].default
    lr: float = SPEC["lr"].default
    lr_decay: float = SPEC["lr_decay"].default
    momentum: float = SPEC["momentum"].default
    weight_decay: float = SPEC["weight_decay"].default
    batch_size: int = SPEC["batch_size"].default
    epochs: int = SPEC["epochs"].default
    seed: int = SPEC["seed"].default
    dataset: str = SPEC["dataset"].default
    shuffle_labels: bool = SPEC["shuffle_labels"].default
    train_subset: int = SPEC["train_subset"].default
    augment: bool = SPEC["augment"].default

    def __post_init__(self):
        for setting in SETTINGS:
            try:
                value = setting.check(getattr(self, setting.name))
            except ValueError as exc:
                raise ValueError(f"setting {setting.name}: {exc}") from None
            object.__setattr__(self, setting.name, value)  # frozen: set once, here

    def replace(self, **changes):
        """A copy with ``changes`` applied (``None`` values are ignored); raises ValueError
        naming a setting whose new value is not allowed."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self):
        """The settings as JSON-ready values (layer sizes as a list); :meth:`from_dict` and
        :meth:`from_saved` read them back."""
        d = asdict(self)
        d["layers"] = list(self.layers)
        return d

    @classmethod
    def from_dict(cls, d):
        """A config from saved settings ``d``: each valid value is taken, each missing one
        is the default, each invalid one is replaced by the default with a notice.

        Returns ``(config, notices)``, ``notices`` a list of one-line strings.
        """
        if not isinstance(d, dict):
            return cls(), ["the saved training settings are not readable: defaults used"]
        values, problems = _checked_values(d)
        return cls(**values), [f"setting {name}: {why}; the default {SPEC[name].default!r} "
                               "is used" for name, why in problems]

    @classmethod
    def from_saved(cls, d):
        """The config a file describes (a session, say), where no default may stand in for
        a bad value; a missing setting is the default (older files lack newer settings).

        Raises ValueError naming every invalid setting, on one line.
        """
        if not isinstance(d, dict):
            raise ValueError("the training settings are not a JSON object")
        values, problems = _checked_values(d)
        if problems:
            raise ValueError("; ".join(f"setting {name}: {why}" for name, why in problems))
        return cls(**values)


def _checked_values(d):
    """``({name: checked value}, [(name, why refused)])`` of the settings in dict ``d``."""
    values, problems = {}, []
    for setting in SETTINGS:
        if setting.name in d:
            try:
                values[setting.name] = setting.check(d[setting.name])
            except ValueError as exc:
                problems.append((setting.name, str(exc)))
    return values, problems


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
