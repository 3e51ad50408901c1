"""``record``: film a training run or a saved session as a video."""

import sys
import time

from digit_descent.engine.threads import limit_blas_threads

from .options import UsageError, config_from_args


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
    from digit_descent.gui.app import make_application
    from digit_descent.gui.recorder import record

    size = _size(args.size)
    source = config_from_args(args) if args.preset else args.session
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
