"""The lessons' caption numbers beside a fresh run of their experiments.

    python bench/captions.py [NAME ...] [--short] [--write] [--headlines DIR]

Runs each lesson's experiment (all lessons but cifar10, which needs its data, unless
named), then prints every number its captions quote (as the caption shows it) beside the
fresh run's, and exits 1 if any differs. ``--write`` records the fresh figures in
engine/lessons/figures.json instead (atomically; the other lessons' figures are kept).
``--headlines DIR`` takes each lesson's headline from DIR/NAME.json (a headline saved from
``digit-descent lesson NAME --headless --json``) instead of running it.
The full runs take minutes (tweaks trains the strong network: the longest).
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from digit_descent.engine.lessons import captions, lesson, lessons
from digit_descent.engine.threads import limit_blas_threads

FIGURES = Path(captions.__file__).with_name(captions.FIGURES)


def fresh_headline(item, short, folder):
    """The lesson's headline: from ``folder``/NAME.json if given, else a fresh run."""
    if not folder:
        return list(item.run(short=short))[-1]
    path = Path(folder) / f"{item.name}.json"
    try:
        headline = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SystemExit(f"captions: cannot read the headline {path}: {exc}") from None
    if not isinstance(headline, dict):
        raise SystemExit(f"captions: {path} is not a headline (a JSON object)")
    return headline


def write_atomically(path, text):
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".figures-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="lessons (default: all but cifar10)")
    parser.add_argument("--short", action="store_true", help="short runs (numbers will differ)")
    parser.add_argument("--write", action="store_true", help="record the fresh figures")
    parser.add_argument("--headlines", metavar="DIR", help="saved headlines, NAME.json")
    args = parser.parse_args(argv)
    try:
        chosen = [lesson(n) for n in args.names] or [l for l in lessons() if not l.needs_data]
    except ValueError as exc:
        parser.error(str(exc))
    limit_blas_threads(1)
    recorded = captions.recorded_figures()
    differing = 0
    for item in chosen:
        templates = item.caption_templates()
        if not any(captions.fields(t) for t in templates):
            continue
        headline = fresh_headline(item, args.short, args.headlines)
        if args.write:
            recorded[item.name] = captions.recordable(templates, headline)
            print(f"{item.name}: recorded {len(recorded[item.name])} figures")
            continue
        mine = recorded.get(item.name, {})
        for template in templates:
            for path, spec in captions.fields(template):
                try:
                    shown = format(captions.resolve(mine, path), spec)
                except KeyError:
                    shown = "unrecorded"
                try:
                    new = format(captions.resolve(headline, path), spec)
                except KeyError:
                    new = "missing"
                differing += shown != new
                mark = "" if shown == new else "   <-- differs"
                print(f"{item.name:<14} {path:<32} caption {shown:>10}   fresh {new:>10}{mark}")
    if args.write:
        write_atomically(FIGURES, json.dumps(recorded, indent=1, sort_keys=True) + "\n")
        return 0
    print(f"{differing} caption number(s) differ from the fresh run" if differing
          else "every caption number matches the fresh run")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
