"""The command line's parser: flags, their checks, and the configuration they make."""

import argparse
import sys
from pathlib import Path

import digit_descent
from digit_descent.engine import PRESETS, DigitDescentError, preset
from digit_descent.engine.settings_spec import SETTINGS

DEFAULT_PRESET = "3b1b"
_APP_ONLY = ("--train", "--reset-settings")


class UsageError(DigitDescentError):
    """A bad flag or flag value."""


class _Parser(argparse.ArgumentParser):
    """A parser whose errors are UsageError and that takes a flag only as spelled in full
    (no abbreviations: ``--train 5`` is not ``--train-subset 5``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        raise UsageError(message)


class _TopParser(_Parser):
    """The program's parser: the options before a sub-command are honoured (``--preset``
    by ``train`` and ``record``) or refused with the fix named, never silently dropped."""

    def parse_known_args(self, args=None, namespace=None):
        args, rest = super().parse_known_args(args, namespace)
        _merge_top_level(args, after=rest)
        if args.command == "lesson" and args.name and rest and rest[0].isdigit():
            raise UsageError(f"lesson {args.name} {rest[0]}: a lesson opens at its first stage; "
                             "go on with Next stage (Page Down) in the app")
        return args, rest


def _merge_top_level(args, after=()):
    """Check and merge the options given before the command; ``after``: the arguments its
    own parser did not know (the app's options there get the same fix as before it)."""
    command, top = args.command, args.app_preset
    if command is None:
        args.preset = top
        return
    given = [flag for flag in _APP_ONLY
             if getattr(args, flag[2:].replace("-", "_")) or flag in after]
    if given:
        many = len(given) > 1
        raise UsageError(f"{' and '.join(given)} {'are' if many else 'is'} for the app, not for "
                         f"'{command}': drop {'them' if many else 'it'}, or run 'digit-descent "
                         f"{' '.join(given)}' on its own")
    if top is not None:
        if command not in ("train", "record"):
            raise UsageError(f"--preset does nothing for '{command}': drop it (it opens the app "
                             "on a preset, or goes with 'train' and 'record')")
        if args.preset not in (None, top):
            raise UsageError(f"--preset given twice ({top} before '{command}', {args.preset} "
                             "after it): give it once")
        if command == "record" and args.session:
            raise UsageError("record: --preset and --session exclude each other: give one")
        args.preset = top
    if command == "record" and not (args.preset or args.session):
        raise UsageError("record needs --preset (train and film it) or --session (replay it)")
    if command == "record" and args.session:  # --dataset: the new place of its data
        given = [s.flag for s in SETTINGS if getattr(args, s.name) is not None
                 and s.name != "dataset"]
        if given:
            raise UsageError(f"record --session films the saved run as it was: drop "
                             f"{', '.join(given)}")


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


def _file_name(text):
    """An argparse type: a path that names something (argparse names the flag)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("no file name given")
    return text


_non_negative_int = _number(int, lambda v: 0 <= v < 2**32, "a whole number from 0 to 2³²−1")
_positive_seconds = _number(float, lambda v: 0 < v <= 3600, "more than 0 and at most 3600")


def _setting_type(setting):
    """An argparse type checking a flag's text against ``setting`` (engine.settings_spec)."""
    def parse(text):
        value = text
        if setting.kind in (int, float):
            try:
                value = setting.kind(text)
            except ValueError:
                kind = "a whole number" if setting.kind is int else "a number"
                raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        try:
            return setting.check(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _preset_value(setting):
    """``3b1b: 0.85``: the default preset's value of ``setting``, as a flag gives it."""
    value = getattr(preset(DEFAULT_PRESET), setting.name)
    if setting.kind is bool:
        value = "on" if value else "off"
    elif setting.kind is tuple:
        value = "-".join(map(str, value))
    elif setting.kind is float:
        value = f"{value:g}"
    return f"{DEFAULT_PRESET}: {value}"


def add_training_flags(parser):
    """One flag per training setting of engine.settings_spec, with its help, range and
    choices; ``--x/--no-x`` for a switch. Each defaults to None: the preset's value."""
    for setting in SETTINGS:
        shown = [] if setting.choices or setting.kind is bool else [setting.allowed()]
        help_text = f"{setting.help} ({'; '.join([*shown, _preset_value(setting)])})"
        if setting.kind is bool:
            parser.add_argument(setting.flag, action=argparse.BooleanOptionalAction,
                                default=None, help=help_text)
        elif setting.choices:
            parser.add_argument(setting.flag, choices=setting.choices, help=help_text)
        else:
            metavar = {tuple: "SIZES", int: "N", float: "X", str: "NAME"}[setting.kind]
            parser.add_argument(setting.flag, type=_setting_type(setting), metavar=metavar,
                                help=help_text)


def _program_name():
    """What the user typed: ``digit-descent``, ``main.py`` or ``python -m digit_descent``."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m digit_descent" if name in ("__main__.py", "-m", "-c", "") else name


def build_parser():
    parser = _TopParser(prog=_program_name(), description="Digit Descent: watch a neural "
                        "network learn to read handwritten digits. With no subcommand, opens the "
                        "app.")
    parser.add_argument("--version", action="version",
                        version=f"digit-descent {digit_descent.__version__}")
    parser.add_argument("--train", action="store_true", help="open the app and start training at once")
    parser.add_argument("--preset", dest="app_preset", choices=list(PRESETS),
                        help="preset to open the app with (default: the last one used, or "
                             f"{DEFAULT_PRESET}); before 'train' or 'record', theirs")
    parser.add_argument("--reset-settings", action="store_true",
                        help="forget the app's saved settings (layout, last configuration) first")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)  # argparse lists them

    train = sub.add_parser("train", help="train headless and report each epoch",
                           description="Train headless and report each epoch. The settings "
                           "are the preset's, changed by the flags given.")
    train.add_argument("--preset", choices=list(PRESETS),
                       help=f"start from a lecture's setting (default: {DEFAULT_PRESET})")
    add_training_flags(train)
    train.add_argument("--save", type=_file_name, metavar="PATH",
                       help="save the trained model (.npz)")
    train.add_argument("--session", type=_file_name, metavar="PATH",
                       help="save the whole run (weights along the way, costs, reports) to PATH")
    train.add_argument("--resume", type=_file_name, metavar="SESSION",
                       help="train on from the end of a saved session (its network, settings "
                            "and records), --epochs more epochs (default: as many as it had); "
                            "--dataset gives the new place of its data if that moved")
    train.add_argument("--json", action="store_true", help="one JSON object per line per epoch")

    ev = sub.add_parser("eval", help="test accuracy and confusion matrix of a saved model")
    ev.add_argument("model", help="a model saved by 'train --save' or the app, or a session "
                                  "saved by 'train --session'")
    ev.add_argument("--step", type=_non_negative_int,
                    help="a session's network as it was at this step (the last recorded one "
                         "at or before it; default: the end of the run)")
    ev.add_argument("--dataset", help="override the data set the model was trained on")
    ev.add_argument("--json", action="store_true")

    pred = sub.add_parser("predict", help="read digits in image files (photos, scans, "
                                          "drawings) as the pad's Load image… does")
    pred.add_argument("images", nargs="+", metavar="IMAGE")
    pred.add_argument("--model", type=_file_name, metavar="PATH",
                      help="a model saved by 'train --save' or the app, or a session (its "
                           "network at the end) (default: the shipped "
                           "resources/strong.npz)")
    pred.add_argument("--json", action="store_true",
                      help="one JSON object per line per image: file, answer, outputs")

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
    lesson.add_argument("--json", action="store_true",
                        help="JSON lines: the list, or with --headless the experiment's")

    rec = sub.add_parser("record", help="film a training run (or replay a session) as an MP4 "
                                        "or animated GIF of the chosen panels")
    source = rec.add_mutually_exclusive_group()  # one of them: checked in _merge_top_level
    source.add_argument("--preset", choices=list(PRESETS), help="train this preset and film it")
    source.add_argument("--session", type=_file_name, metavar="PATH",
                        help="replay a saved session (--dataset: the new place of its "
                             "data if that moved)")
    add_training_flags(rec.add_argument_group("with --preset, the training settings"))
    rec.add_argument("--panels", default="cost,weights",
                     help="one to four of cost, weights, confusion, surface, pad, activations, "
                          "nodelink, each once (default: cost,weights)")
    rec.add_argument("--out", required=True, type=_file_name, metavar="FILE",
                     help="the video: .mp4 or .gif")
    rec.add_argument("--fps", type=_number(int, lambda v: 1 <= v <= 120, "from 1 to 120"),
                     default=30)
    rec.add_argument("--seconds", type=_positive_seconds, default=10.0,
                     help="length of the video (default 10 s: fps × seconds frames)")
    rec.add_argument("--size", default="1920x1080", help="frame size WIDTHxHEIGHT")
    rec.add_argument("--until-stdin-closes", action="store_true",
                     help="stop as Ctrl+C does when standard input closes (for a program that "
                          "starts the recording: it stops with that program)")
    from .lab import add_lab_parser
    add_lab_parser(sub, _number(int, lambda v: v >= 1, "at least 1"))
    return parser


def config_from_args(args):
    """The :class:`TrainConfig` of ``train``'s flags: the preset's, changed by the flags given.

    Raises UsageError when the flags make a configuration the spec refuses.
    """
    try:
        return preset(args.preset or DEFAULT_PRESET).replace(
            **{setting.name: getattr(args, setting.name) for setting in SETTINGS})
    except ValueError as exc:
        raise UsageError(str(exc)) from None
