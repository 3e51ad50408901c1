"""``lesson``: the list of lessons, or one lesson's experiment run headless."""

import json
import sys

from digit_descent.engine.threads import limit_blas_threads

from .options import UsageError
from .output import Lines


def check_lesson_flags(args):
    """Raise UsageError for the flags ``lesson`` would otherwise ignore: ``--short`` always
    and ``--json`` with a lesson go with ``--headless``, which needs a lesson's name."""
    if args.headless and not args.name:
        raise UsageError("--headless runs a lesson's experiment: name one ('lesson NAME "
                         "--headless'; 'lesson' lists them)")
    if args.headless:
        return
    ignored = [flag for flag, given in (("--short", args.short),
                                        ("--json", args.json and args.name and not args.list))
               if given]
    if ignored:
        one = len(ignored) == 1
        then = " to open the app on the lesson" if args.name and not args.list else ""
        raise UsageError(f"{' and '.join(ignored)} {'goes' if one else 'go'} with --headless (the "
                         "experiment run without a window): add --headless, or drop "
                         f"{'it' if one else 'them'}{then}")


def checked_lesson(name, find):
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


def run_lesson(args, out=None):
    """``lesson [--list]``: the lessons; ``lesson NAME --headless``: its experiment."""
    from digit_descent.engine.lessons import lesson, lessons

    out = Lines(out or sys.stdout)
    if not args.name or args.list:
        for item in lessons():
            if args.json:
                out.write(json.dumps({"name": item.name, "title": item.title,
                                      "source": item.source, "stages": len(item.stages)}) + "\n")
            else:
                out.write(f"{item.name:<14} {item.title}\n")
        return 1 if out.failed else 0
    chosen = checked_lesson(args.name, lesson)
    if chosen.needs_data and not args.data:
        from digit_descent.engine.data import CIFAR_MISSING
        raise UsageError(f"lesson {chosen.name} needs --data FOLDER: {CIFAR_MISSING}")
    limit_blas_threads(1)
    for line in chosen.run(short=args.short, data=args.data):
        out.write((json.dumps(line) if args.json else _plain(line)) + "\n")
        if out.gone:  # nobody reads the rest of the experiment
            break
    return 1 if out.failed else 0
