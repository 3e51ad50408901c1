"""Command line: ``digit-descent [train|eval|predict|bench|lesson|record|lab] …``; no subcommand
opens the GUI.

Every user error prints one ``error: …`` line on stderr and exits with code 2; a training
run that ends no better than guessing, or diverges, warns and exits with code 1, and so does
``predict`` when it refused an image; Ctrl+C exits with 130; output whose reader has gone
(``| head``) ends quietly with 0 (``train`` still saves), and output that cannot be written
(``> /dev/full``) is one ``error:`` line and exit 1. A standard output closed from the
start (``>&-``) is taken as a reader gone; a closed standard error silences the notes, warnings
and errors, not the run.
"""

import signal
import sys

from digit_descent.engine import DigitDescentError

from .evaluate import run_eval
from .lesson import check_lesson_flags, checked_lesson, run_lesson
from .options import build_parser, config_from_args
from .output import open_standard_streams, silence
from .predict import run_predict
from .record import run_record
from .train import run_train

__all__ = ["main", "build_parser", "config_from_args"]


def main(argv=None):
    """Entry point; returns the process exit code."""
    open_standard_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            from digit_descent.gui.app import run_app  # installs its own signal handlers first thing
            from digit_descent.gui.settings import reset_settings

            if args.reset_settings:
                sys.stderr.write(f"forgot the settings in {reset_settings()}\n")

            return run_app(preset_name=args.preset, start=args.train)
        if args.command == "lesson":
            check_lesson_flags(args)
        if args.command == "lesson" and args.name and not args.list and not args.headless:
            from digit_descent.engine.lessons import lesson
            from digit_descent.gui.app import run_app

            return run_app(lesson_name=checked_lesson(args.name, lesson).name,
                           lesson_data=args.data)
        if args.command == "lab":  # a window: its own handlers from the first instant
            from .lab import run_lab
            return run_lab(args)
        if args.command == "bench":
            from digit_descent.gui.selfcheck import run_bench
        signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt from here
        for name in ("SIGTERM", "SIGHUP"):  # and the system's own end for these
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        if args.command == "train":
            return run_train(args)
        if args.command == "eval":
            return run_eval(args)
        if args.command == "predict":
            return run_predict(args)
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
    except BrokenPipeError:  # the reader went (| head): it has read all it wanted
        silence()
        return 0
    except OSError as exc:  # one no command named itself (a report to a full disk…)
        if exc.filename is None:
            silence()  # most likely standard output itself: drop what is still buffered
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"error: {where}{exc.strerror or exc}\n")
        return 1
