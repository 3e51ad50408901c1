"""``record``: film a training run or a saved session as a video."""

import os
import signal
import sys
import threading
import time

from digit_descent.engine import DigitDescentError
from digit_descent.engine.threads import limit_blas_threads

from .options import UsageError, config_from_args
from .train import open_session


def _size(text):
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size: expected WIDTHxHEIGHT like 1920x1080, got {text!r}") from None
    return width, height


def _panels(text):
    """The panels ``--panels`` names, in order; UsageError for one named twice (the recorder
    checks the names and their number)."""
    keys = [key.strip() for key in text.split(",") if key.strip()]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise UsageError(f"--panels names {', '.join(twice)} more than once: name each panel "
                         "once")
    return keys


def _saved(frames, args):
    """The line saying what was filmed: frames, length, and the length asked when whole
    frames made it another."""
    length = frames / args.fps
    rounded = (f": a whole number of frames, at least one, for the {args.seconds:g} s asked"
               if abs(length - args.seconds) > 0.5 / args.fps else "")
    return (f"saved {frames:,} frame{'s' if frames != 1 else ''} ({length:.1f} s at "
            f"{args.fps} fps{rounded}) to {args.out}")


def run_record(args, err=None):
    """``record``: the frames rendered offscreen, a progress bar on the terminal.

    Ctrl+C (or, with ``--until-stdin-closes``, the end of standard input) stops the
    recording after the frame being rendered, as KeyboardInterrupt: an exception raised
    inside Qt's painting, where a signal would otherwise land, crashes the process and
    leaves the hidden video behind. A second Ctrl+C interrupts at once, and so does the first
    once every frame is rendered (while the video is being written out).
    """
    err = err or sys.stderr
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # frames need no screen
    from digit_descent.gui.app import make_application
    from digit_descent.gui.recorder import record

    size, panels = _size(args.size), _panels(args.panels)
    if args.preset:
        source = config_from_args(args)
    else:
        source = open_session(args.session, args.dataset)[1]
    make_application()
    limit_blas_threads(1)
    stop, drawn, encoding = threading.Event(), threading.Event(), threading.Event()
    if args.until_stdin_closes:
        threading.Thread(target=_wait_for_end_of_input, args=(stop,), name="stdin-watch",
                         daemon=True).start()
    start = time.perf_counter()

    def progress(done, total):  # one line, redrawn (the app's Record… reads it too)
        drawn.set()
        bar = "#" * int(30 * done / total)
        try:
            err.write(f"\rrecording [{bar:<30}] frame {done}/{total}  "
                      f"{time.perf_counter() - start:.0f} s")
            err.flush()
        except OSError:  # nobody reads the progress any more (the app that asked is gone)
            stop.set()
        if stop.is_set():
            raise KeyboardInterrupt
        if done == total:
            encoding.set()  # no more painting: an interrupt may land anywhere now

    def on_ctrl_c(_signum, _frame):
        if stop.is_set() or encoding.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        frames = record(source, panels, args.out, fps=args.fps, size=size,
                        seconds=args.seconds, progress=progress)
    except DigitDescentError:
        if drawn.is_set():
            err.write("\n")  # the error on a line of its own, not after the progress bar
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    err.write(f"\n{_saved(frames, args)}\n")
    return 0


def _wait_for_end_of_input(stop):
    """Set ``stop`` once standard input ends: the program that started the recording closed
    it, or ended (even killed). Works where signals to another process do not (Windows)."""
    try:  # the file descriptor, not sys.stdin: its lock would stop the interpreter's exit
        while os.read(sys.stdin.fileno(), 4096):
            pass
    except (OSError, ValueError, AttributeError):  # no standard input: stop as well
        pass
    stop.set()
