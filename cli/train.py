"""``train``: headless training, one line (or JSON object) per epoch."""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from digit_descent.engine.advice import beyond_chance, lr_advice
from digit_descent.engine.data import NAMES, load, reference
from digit_descent.engine.errors import DivergedError, SessionFileError
from digit_descent.engine.model_io import check_save_target, save_model
from digit_descent.engine.session import Session
from digit_descent.engine.session_io import (is_session_file, load_session, relocated,
                                              save_session)
from digit_descent.engine.settings_spec import SETTINGS, SPEC
from digit_descent.engine.threads import limit_blas_threads

from .options import UsageError, config_from_args
from .output import Lines


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


# fixed by --resume (--dataset only gives the new place of its data)
_SETTINGS = ("preset", *(s.name for s in SETTINGS if s.name not in ("epochs", "dataset")))


def open_session(path, dataset=None):
    """``(record, Session)`` of the session file ``path``, its data read from ``dataset``
    when given: the new place of data that moved (see engine.session_io.relocated).

    Raises UsageError naming --dataset as the fix when its data is no longer where it was.
    """
    record, split = load_session(path), None
    if dataset:
        split = load(dataset)
        record = relocated(record, dataset, split)
    learned = record.config.dataset
    if split is None and learned not in NAMES and not Path(learned).exists():
        raise UsageError(f"{path}: the data it learned, {learned}, is not there any more: if "
                         "it moved, give its new place with --dataset PATH")
    try:
        return record, Session.from_record(record, split)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _start_session(args):
    """``(Session, settings)``: a new run, or the saved one ``--resume`` names."""
    if not args.resume:
        cfg = config_from_args(args)
        cfg = cfg.replace(dataset=reference(cfg.dataset))  # eval finds it from any folder
        try:
            return Session(cfg), cfg
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    changed = [f"--{name.replace('_', '-')}" for name in _SETTINGS
               if getattr(args, name) is not None]
    if changed:
        raise UsageError(f"--resume trains the saved run on as it was: drop {', '.join(changed)}")
    record, session = open_session(args.resume, args.dataset)
    try:
        session.set_epochs(session.trainer.epoch + (args.epochs or record.config.epochs))
    except ValueError:
        raise UsageError(f"--epochs: {args.resume} ended at epoch {session.trainer.epoch:,}; "
                         f"training on may reach epoch {SPEC['epochs'].high:,} at most") from None
    return session, session.config


def _check_targets(args):
    """Raise UsageError (or the file's error) now, not after an hour of training, when a
    file ``--save`` or ``--session`` names could not be written or would lose a run."""
    def same(a, b):
        return a and b and os.path.realpath(a) == os.path.realpath(b)

    if same(args.save, args.session):
        raise UsageError(f"--save and --session name the same file ({args.save}): the session "
                         "would overwrite the model; give two names")
    if args.save and (same(args.save, args.resume) or is_session_file(args.save)):
        what = ("is the session being resumed" if same(args.save, args.resume)
                else "holds a session")
        raise UsageError(f"--save {args.save}: it {what}; a model saved there would replace "
                         f"the run it records. Keep it with --session {args.save}, or give "
                         "--save another name")
    if args.save:
        check_save_target(args.save)
    if args.session:
        check_save_target(args.session, "session", SessionFileError)


def run_train(args, out=None, err=None):
    err = err or sys.stderr
    out = Lines(out or sys.stdout, err, then="the run goes on without its report")
    _check_targets(args)
    session, cfg = _start_session(args)
    for note in session.trainer.split.notes:  # how a CSV's test set was made, say
        err.write(f"note: {note}\n")
    limit_blas_threads(1)
    show_bar = not args.json and err.isatty()
    first, every = session.trainer.epoch + 1, _report_every(cfg.epochs - session.trainer.epoch)
    bar = None
    try:
        while session.trainer.epoch < cfg.epochs:
            if out.gone and not (args.save or args.session):
                return 1 if out.failed else 0  # nobody reads the reports, nothing to save
            epoch = session.trainer.epoch + 1
            bar = _ProgressBar(err, epoch, cfg.epochs) if show_bar else None
            report = session.run_epoch(on_step=bar)
            if bar:
                bar.clear()
            if args.json:
                out.write(json.dumps(report.to_dict()) + "\n")
            elif report.epoch % every == 0 or report.epoch in (first, cfg.epochs):
                said = f"  (then every {every:,}th epoch and the last)" if every > 1 and \
                    report.epoch == first else ""
                out.write(_format_report(report, cfg.epochs) + said + "\n")
    except KeyboardInterrupt:
        if bar:
            bar.clear()  # and the ^C the terminal echoed on it
        if not (args.save or args.session):
            err.write(f"interrupted at step {session.trainer.steps:,} (epoch "
                      f"{session.trainer.epoch + 1}); nothing saved: --save or --session keep "
                      "a run\n")
        _save_so_far(session, cfg, args, err, "interrupted")
        return 130
    except DivergedError as exc:
        if bar:
            bar.clear()
        err.write(f"warning: {exc}\n")
        _save_so_far(session, cfg, args, err, "diverged")
        return 1
    if args.save:
        _save(session, cfg, args.save)
        if not args.json:
            (err if out.failed else out).write(f"saved {args.save}\n")
    if args.session:
        save_session(session, args.session)
        if not args.json:
            (err if out.failed else out).write(f"saved the session in {args.session}\n")
    return _learned_something(session, cfg, err) or (1 if out.failed else 0)


MAX_REPORT_LINES = 50  # of a long run's human-readable output (JSON has every epoch)


def _report_every(epochs):
    """Report every k-th epoch of a run of ``epochs`` so that at most MAX_REPORT_LINES
    lines are printed (k = 1 for ordinary runs)."""
    return max(1, -(-epochs // MAX_REPORT_LINES))


def _save(session, cfg, path):
    """Save the network as it was at the end of the last whole epoch trained."""
    last = session.reports[-1]
    network = session.network.copy()
    network.params[...] = session.last_epoch_params
    save_model(network, path, dataset=cfg.dataset, train_config=cfg.to_dict(),
               summary={"epochs": last.epoch, "test_accuracy": last.test_accuracy,
                        "test_cost": last.test_cost})


def _save_so_far(session, cfg, args, err, why):
    """After Ctrl+C or a divergence: save the whole epochs trained (``--save``) and the run
    so far (``--session``), and say so."""
    params = session.last_epoch_params
    if args.save and params is not None and np.isfinite(params).all():
        _save(session, cfg, args.save)
        err.write(f"{why}: saved the {session.reports[-1].epoch} whole epoch(s) trained "
                  f"so far to {args.save}\n")
    elif args.save:
        err.write(f"{why}: no whole epoch was trained, so no model was saved to "
                  f"{args.save}\n")
    if args.session:
        if why == "diverged":
            _cut_to_finite(session)
        save_session(session, args.session)
        err.write(f"{why}: saved the run up to step {session.trainer.steps:,} to "
                  f"{args.session}\n")


def _cut_to_finite(session):
    """A diverged run made savable: its last weights recorded when finite, else the run cut
    back to the last recorded weights that are (the initial ones at worst)."""
    trainer = session.trainer
    session.collect(wait=True)
    if np.isfinite(trainer.network.params).all():
        session.trajectory.record(trainer.steps, trainer.network.params, trainer.samples_seen,
                                  force=True)
        return
    steps, params, _ = session.trajectory.frozen
    finite = [step for step, p in zip(steps, params) if np.isfinite(p).all()]
    session.fork(finite[-1] if finite else 0)


def _learned_something(session, cfg, err):
    """0, or 1 with a warning when a run on data of three classes or more ended no better
    than guessing the commonest class (see engine.advice.beyond_chance)."""
    last = session.reports[-1]
    test = session.trainer.test
    if cfg.shuffle_labels or test.n_outputs < 3:
        return 0
    learned, chance = beyond_chance(test.labels, last.test_accuracy)
    if learned:
        return 0
    err.write(f"warning: the network learned nothing: test accuracy {last.test_accuracy:.2%} on "
              f"{len(test):,} images, guessing the commonest class gives {chance:.0%}, cost "
              f"{last.test_cost:.4g}. With learning rate {cfg.lr:g}: "
              f"{lr_advice(cfg, cfg.lr, diverged=False, flag=True)}\n")
    return 1
