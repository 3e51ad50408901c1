"""Command line: ``python main.py [train|eval|bench|lesson] …``; no subcommand opens the GUI.

Every user error prints one ``error: …`` line on stderr and exits with code 2; a training
run that ends no better than guessing warns and exits with code 1; Ctrl+C exits with 130.
"""

import argparse
import json
import signal
import sys
import time

from engine import PRESETS, DigitDescentError, parse_layers, preset
from engine import data as datamod
from engine import inspection
from engine.activations import ACTIVATIONS
from engine.costs import COSTS
from engine.network import INITS
from engine.optimizers import OPTIMIZERS
from engine.threads import limit_blas_threads
from engine.model_io import check_save_target, load_model, save_model
from engine.session import Session
from engine.session_io import is_session_file, load_session, save_session
from engine.trainer import smaller_lr


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


def build_parser():
    parser = _Parser(prog="main.py", description="Digit Descent: watch a neural network "
                     "learn to read handwritten digits. With no subcommand, opens the app.")
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
    return parser


def config_from_args(args):
    cfg = preset(args.preset or "3b1b").replace(
        layers=args.layers, activation=args.activation, cost=args.cost, init=args.init,
        optimizer=args.optimizer, lr=args.lr, lr_decay=args.lr_decay, momentum=args.momentum,
        weight_decay=args.weight_decay, batch_size=args.batch_size, epochs=args.epochs,
        seed=args.seed, dataset=args.dataset, shuffle_labels=args.shuffle_labels,
        augment=args.augment)
    return cfg


class _ProgressBar:
    """One line per epoch on a terminal, redrawn at most ten times a second."""

    def __init__(self, stream, epoch, epochs):
        self.stream, self.label = stream, f"epoch {epoch}/{epochs}"
        self.start = self.last = time.perf_counter()

    def __call__(self, trainer):
        if trainer.steps % 64:
            return
        now = time.perf_counter()
        if now - self.last < 0.1:
            return
        self.last = now
        frac = trainer.epoch_progress
        bar = "#" * int(frac * 30)
        rate = frac * len(trainer.train) / max(now - self.start, 1e-9)
        self.stream.write(f"\r{self.label} [{bar:<30}] {frac:4.0%}  {rate:,.0f} samples/s  "
                          f"cost {trainer.last_cost:.4f}")
        self.stream.flush()

    def clear(self):
        self.stream.write("\r" + " " * 100 + "\r")


def _format_report(r, epochs):
    return (f"epoch {r.epoch}/{epochs}  train cost {r.train_cost:.4f}  test cost {r.test_cost:.4f}  "
            f"train acc {r.train_accuracy:6.2%}  test acc {r.test_accuracy:6.2%}  {r.seconds:.2f} s")


_SETTINGS = ("preset", "layers", "activation", "cost", "init", "optimizer", "lr", "lr_decay", "momentum",
             "weight_decay", "batch_size", "seed", "dataset", "shuffle_labels", "augment")


def _start_session(args):
    """``(Session, settings)``: a new run, or the saved one ``--resume`` names."""
    if not args.resume:
        cfg = config_from_args(args)
        try:
            return Session(cfg), cfg
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    changed = [f"--{name.replace('_', '-')}" for name in _SETTINGS
               if getattr(args, name) is not None]
    if changed:
        raise UsageError(f"--resume trains the saved run on as it was: drop {', '.join(changed)}")
    record = load_session(args.resume)
    try:
        session = Session.from_record(record)
    except ValueError as exc:
        raise UsageError(f"{args.resume}: {exc}") from None
    session.set_epochs(session.trainer.epoch + (args.epochs or record.config.epochs))
    return session, session.config


def run_train(args, out=sys.stdout, err=sys.stderr):
    for target in (args.save, args.session):
        if target:
            check_save_target(target)  # now, not after an hour of training
    session, cfg = _start_session(args)
    limit_blas_threads(1)
    show_bar = not args.json and err.isatty()
    try:
        while session.trainer.epoch < cfg.epochs:
            epoch = session.trainer.epoch + 1
            bar = _ProgressBar(err, epoch, cfg.epochs) if show_bar else None
            report = session.run_epoch(on_step=bar)
            if bar:
                bar.clear()
            if args.json:
                out.write(json.dumps(report.to_dict()) + "\n")
            else:
                out.write(_format_report(report, cfg.epochs) + "\n")
            out.flush()
    except KeyboardInterrupt:
        if args.save and session.last_epoch_params is not None:
            _save(session, cfg, args.save)
            err.write(f"\ninterrupted: saved the {session.reports[-1].epoch} whole epoch(s) "
                      f"trained so far to {args.save}\n")
        if args.session:
            save_session(session, args.session)
            err.write(f"\ninterrupted: saved the run so far to {args.session}\n")
        raise
    if args.save:
        _save(session, cfg, args.save)
        if not args.json:
            out.write(f"saved {args.save}\n")
    if args.session:
        save_session(session, args.session)
        if not args.json:
            out.write(f"saved the session in {args.session}\n")
    return _learned_something(session, cfg, err)


def _save(session, cfg, path):
    """Save the network as it was at the end of the last whole epoch trained."""
    last = session.reports[-1]
    network = session.network.copy()
    network.params[...] = session.last_epoch_params
    save_model(network, path, dataset=cfg.dataset, train_config=cfg.to_dict(),
               summary={"epochs": last.epoch, "test_accuracy": last.test_accuracy,
                        "test_cost": last.test_cost})


def _learned_something(session, cfg, err):
    """0, or 1 with a warning when a run on ten-class data ended no better than guessing."""
    last = session.reports[-1]
    classes = session.trainer.test.n_outputs
    chance = 1 / classes
    if cfg.shuffle_labels or classes < 3 or not last.test_accuracy <= 1.2 * chance:
        return 0
    err.write(f"warning: the network learned nothing: test accuracy {last.test_accuracy:.2%}, "
              f"guessing gives {chance:.0%}, cost {last.test_cost:.4g}. With learning rate "
              f"{cfg.lr:g} the neurons may have saturated: try --lr {smaller_lr(cfg.lr):g}\n")
    return 1


def run_eval(args, out=sys.stdout):
    step = None
    if is_session_file(args.model):
        record = load_session(args.model)
        step, net = record.network_at(args.step)
        net.metadata = {"dataset": record.config.dataset}
    elif args.step is not None:
        raise UsageError(f"{args.model}: --step needs a session file (train --session)")
    else:
        net = load_model(args.model)
    learned = net.metadata.get("dataset")
    learned = learned if isinstance(learned, str) and learned in datamod.NAMES else None
    split = datamod.load(args.dataset or learned or "mnist")
    test = split.test
    warning = None
    if learned and datamod.class_names(learned) != test.class_names:
        warning = (f"the model learned {learned}'s classes, this is {split.name}: its answers "
                   "name other things, so the accuracy compares unlike with unlike")
        if not args.json:
            sys.stderr.write(f"warning: {warning}\n")
    if net.sizes[0] != test.n_inputs or net.sizes[-1] != test.n_outputs:
        raise UsageError(f"{args.model}: a {'-'.join(map(str, net.sizes))} network does not fit "
                         f"the {split.name} data ({test.n_inputs} inputs, {test.n_outputs} outputs)")
    evaluation = inspection.evaluate(net, test)
    confusion, acc = evaluation.confusion(), evaluation.accuracy
    k = len(confusion)
    if args.json:
        result = {"model": str(args.model), "dataset": split.name, "test_accuracy": acc,
                  "confusion": confusion.tolist()}
        if step is not None:
            result["step"] = step
        if warning:
            result["warning"] = warning
        out.write(json.dumps(result) + "\n")
        return 0
    at = f" at step {step:,}" if step is not None else ""
    out.write(f"{args.model}{at}: test accuracy {acc:.2%} on {len(test):,} {split.name} images\n")
    out.write("rows: actual, columns: predicted\n")
    out.write("      " + "".join(f"{c:>6}" for c in range(k)) + "\n")
    for i, row in enumerate(confusion):
        out.write(f"{i:>6}" + "".join(f"{v:>6}" for v in row) + "\n")
    return 0


def _checked_lesson(name, find):
    try:
        return find(name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _plain(line):
    """One line of a lesson's output for people: ``key value`` pairs, numbers rounded."""
    def show(value):
        if isinstance(value, float):
            return f"{value:.6g}"
        if isinstance(value, list):
            return "[" + ", ".join(show(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
        return str(value)
    return "  ".join(f"{key} {show(value)}" for key, value in line.items())


def run_lesson(args, out=sys.stdout):
    """``lesson [--list]``: the lessons; ``lesson NAME --headless``: its experiment."""
    from engine.lessons import lesson, lessons

    if not args.name or args.list:
        for item in lessons():
            if args.json:
                out.write(json.dumps({"name": item.name, "title": item.title,
                                      "source": item.source, "stages": len(item.stages)}) + "\n")
            else:
                out.write(f"{item.name:<14} {item.title}\n")
        return 0
    chosen = _checked_lesson(args.name, lesson)
    if chosen.needs_data and not args.data:
        from engine.data import CIFAR_MISSING
        raise UsageError(f"lesson {chosen.name} needs --data FOLDER: {CIFAR_MISSING}")
    limit_blas_threads(1)
    for line in chosen.run(short=args.short, data=args.data):
        out.write((json.dumps(line) if args.json else _plain(line)) + "\n")
        out.flush()
    return 0


def _size(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size: expected WIDTHxHEIGHT like 1920x1080, got {text!r}") from None
    return width, height


def run_record(args, err=None):
    """``record``: the frames rendered offscreen, a progress bar on the terminal."""
    import os

    err = err or sys.stderr
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # frames need no screen
    from gui.app import make_application
    from gui.recorder import record

    size = _size(args.size)
    source = args.session
    if args.preset:
        source = preset(args.preset).replace(epochs=args.epochs)
    make_application()
    limit_blas_threads(1)
    start = time.perf_counter()

    def progress(done, total):  # one line, redrawn (the app's Record… reads it too)
        bar = "#" * int(30 * done / total)
        err.write(f"\rrecording [{bar:<30}] frame {done}/{total}  "
                  f"{time.perf_counter() - start:.0f} s")
        err.flush()

    frames = record(source, [p.strip() for p in args.panels.split(",") if p.strip()],
                    args.out, fps=args.fps, size=size, seconds=args.seconds, progress=progress)
    err.write(f"\nsaved {frames} frames ({frames / args.fps:.1f} s at {args.fps} fps) "
              f"to {args.out}\n")
    return 0


def main(argv=None):
    """Entry point; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            from gui.app import run_app  # installs its own signal handlers first thing
            from gui.settings import reset_settings

            if args.reset_settings:
                sys.stderr.write(f"forgot the settings in {reset_settings()}\n")

            return run_app(preset_name=args.preset, start=args.train)
        if args.command == "lesson" and args.name and not args.list and not args.headless:
            from engine.lessons import lesson
            from gui.app import run_app

            return run_app(lesson_name=_checked_lesson(args.name, lesson).name,
                           lesson_data=args.data)
        if args.command == "bench":
            from gui.selfcheck import run_bench
        signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt from here
        if args.command == "train":
            return run_train(args)
        if args.command == "eval":
            return run_eval(args)
        if args.command == "lesson":
            return run_lesson(args)
        if args.command == "record":
            return run_record(args)
        return run_bench(args)
    except DigitDescentError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
