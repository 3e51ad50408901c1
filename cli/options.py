"""The command line's parser: flags, their checks, and the configuration they make."""

import argparse
import sys
from pathlib import Path

import digit_descent
from digit_descent.engine import PRESETS, DigitDescentError, parse_layers, preset
from digit_descent.engine.activations import ACTIVATIONS
from digit_descent.engine.costs import COSTS
from digit_descent.engine.network import INITS
from digit_descent.engine.optimizers import OPTIMIZERS


class UsageError(DigitDescentError):
    """A bad flag or flag value."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def _number(convert, ok, rule):
    """An argparse type: ``convert(text)``, kept when ``ok(value)``; ``rule`` says what is
    allowed (argparse names the flag in its message)."""
    kind = "a whole number" if convert is int else "a number"

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"must be {rule}, got {text}")
        return value
    return parse


_positive_int = _number(int, lambda v: v >= 1, "at least 1")
_non_negative_int = _number(int, lambda v: 0 <= v < 2**32, "a whole number from 0 to 2³²−1")
_positive_seconds = _number(float, lambda v: 0 < v <= 3600, "more than 0 and at most 3600")
_learning_rate = _number(float, lambda v: 0 < v < float("inf"), "a positive number")


def _fraction(low_open, high_open):
    """A float in [0, 1] (ends excluded as asked)."""
    lo, hi = "(" if low_open else "[", ")" if high_open else "]"

    def inside(v):
        return (0 < v if low_open else 0 <= v) and (v < 1 if high_open else v <= 1)
    return _number(float, inside, f"in {lo}0, 1{hi}")


def _layers(text):
    try:
        return parse_layers(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _program_name():
    """What the user typed: ``digit-descent``, ``main.py`` or ``python -m digit_descent``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m digit_descent" if name in ("__main__.py", "-m", "-c", "") else name


def build_parser():
    parser = _Parser(prog=_program_name(), description="Digit Descent: watch a neural "
                     "network learn to read handwritten digits. With no subcommand, opens the app.")
    parser.add_argument("--version", action="version",
                        version=f"digit-descent {digit_descent.__version__}")
    parser.add_argument("--train", action="store_true", help="open the app and start training at once")
    parser.add_argument("--preset", choices=list(PRESETS),
                        help="preset to open the app with (default: the last one used, or 3b1b)")
    parser.add_argument("--reset-settings", action="store_true",
                        help="forget the app's saved settings (layout, last configuration) first")
    sub = parser.add_subparsers(dest="command", metavar="{train,eval,bench,lesson,record}")

    train = sub.add_parser("train", help="train headless and report each epoch")
    train.add_argument("--preset", choices=list(PRESETS),
                       help="start from a lecture's setting (default: 3b1b)")
    train.add_argument("--layers", type=_layers, help="layer sizes, e.g. 784,16,16,10")
    train.add_argument("--activation", choices=list(ACTIVATIONS))
    train.add_argument("--cost", choices=list(COSTS))
    train.add_argument("--optimizer", choices=list(OPTIMIZERS))
    train.add_argument("--init", choices=list(INITS),
                       help="initial weights: N(0, 1) ('normal'), or scaled to the layer's width")
    train.add_argument("--lr", type=_learning_rate, help="learning rate η")
    train.add_argument("--lr-decay", type=_fraction(True, False),
                       help="multiply η by this after every epoch (default 1: none)")
    train.add_argument("--momentum", type=_fraction(False, True),
                       help="momentum coefficient of the momentum optimizer (default 0.9)")
    train.add_argument("--weight-decay", type=_fraction(False, True),
                       help="L2 penalty λ on the weights (default 0)")
    train.add_argument("--augment", action="store_true", default=None,
                       help="randomly shift, rotate, scale and thicken the training images")
    train.add_argument("--batch-size", type=_positive_int)
    train.add_argument("--epochs", type=_positive_int)
    train.add_argument("--seed", type=_non_negative_int)
    train.add_argument("--shuffle-labels", action="store_true", default=None,
                       help="train on randomly permuted labels (memorisation experiment)")
    train.add_argument("--dataset", help="mnist, fashion, a folder of IDX files or a Keras-style .npz")
    train.add_argument("--save", metavar="PATH", help="save the trained model (.npz)")
    train.add_argument("--session", metavar="PATH",
                       help="save the whole run (weights along the way, costs, reports) to PATH")
    train.add_argument("--resume", metavar="SESSION",
                       help="train on from the end of a saved session (its network, settings "
                            "and records), --epochs more epochs (default: as many as it had)")
    train.add_argument("--json", action="store_true", help="one JSON object per line per epoch")

    ev = sub.add_parser("eval", help="test accuracy and confusion matrix of a saved model")
    ev.add_argument("model", help="a model saved by 'train --save' or the app, or a session "
                                  "saved by 'train --session'")
    ev.add_argument("--step", type=_non_negative_int,
                    help="a session's network as it was at this step (the last recorded one "
                         "at or before it; default: the end of the run)")
    ev.add_argument("--dataset", help="override the data set the model was trained on")
    ev.add_argument("--json", action="store_true")

    bench = sub.add_parser("bench", help="check this machine: training speed and GUI smoothness")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--seconds", type=_positive_seconds, default=6.0,
                       help="seconds of live training per view (as many again headless)")

    lesson = sub.add_parser("lesson", help="list the lessons, open the app on one, or run its "
                                           "experiment headless")
    lesson.add_argument("name", nargs="?", help="the lesson (without it: the list)")
    lesson.add_argument("--list", action="store_true", help="list the lessons")
    lesson.add_argument("--headless", action="store_true",
                        help="run the lesson's experiment without a window; the last line "
                             "holds its headline figures")
    lesson.add_argument("--short", action="store_true",
                        help="with --headless: a quick check on a fraction of the data")
    lesson.add_argument("--data", metavar="FOLDER",
                        help="the data a lesson needs and the app does not embed (cifar10: "
                             "the folder cifar-10-batches-bin)")
    lesson.add_argument("--json", action="store_true", help="JSON lines")

    rec = sub.add_parser("record", help="film a training run (or replay a session) as an MP4 "
                                        "or animated GIF of the chosen panels")
    source = rec.add_mutually_exclusive_group(required=True)
    source.add_argument("--preset", choices=list(PRESETS), help="train this preset and film it")
    source.add_argument("--session", metavar="PATH", help="replay a saved session")
    rec.add_argument("--epochs", type=_positive_int, help="with --preset: epochs to train")
    rec.add_argument("--panels", default="cost,weights",
                     help="one to four of cost, weights, confusion, surface, pad, activations "
                          "(default: cost,weights)")
    rec.add_argument("--out", required=True, metavar="FILE", help="the video: .mp4 or .gif")
    rec.add_argument("--fps", type=_number(int, lambda v: 1 <= v <= 120, "from 1 to 120"),
                     default=30)
    rec.add_argument("--seconds", type=_positive_seconds, default=10.0,
                     help="length of the video (default 10 s: fps × seconds frames)")
    rec.add_argument("--size", default="1920x1080", help="frame size WIDTHxHEIGHT")
    rec.add_argument("--until-stdin-closes", action="store_true",
                     help="stop as Ctrl+C does when standard input closes (for a program that "
                          "starts the recording: it stops with that program)")
    return parser


def config_from_args(args):
    cfg = preset(args.preset or "3b1b").replace(
        layers=args.layers, activation=args.activation, cost=args.cost, init=args.init,
        optimizer=args.optimizer, lr=args.lr, lr_decay=args.lr_decay, momentum=args.momentum,
        weight_decay=args.weight_decay, batch_size=args.batch_size, epochs=args.epochs,
        seed=args.seed, dataset=args.dataset, shuffle_labels=args.shuffle_labels,
        augment=args.augment)
    return cfg
