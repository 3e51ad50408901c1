"""``python -m digit_descent`` and the ``digit-descent`` command: the app by default,
``train|eval|lesson|record|bench …`` for the other commands (``--help`` lists them)."""

import os
import signal
import sys


# The commands that open no window: a signal ends them with the usual 128 + its number.
NO_WINDOW = {"train", "eval", "predict", "record", "bench"}


def run():
    """Entry point; exits with the command's exit code."""
    # A signal while the modules load (a second or so): nothing is made yet, so leave at
    # once, with the code the command gives it later (a window: 130 for Ctrl+C, else 0);
    # cli.main hands the signals to each command once it starts.
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _leave)
    from digit_descent.cli import main

    code = main()
    if "PySide6.QtWidgets" in sys.modules:
        # A command that drew with Qt (record, bench…) has finished and written its files:
        # leave without the interpreter's teardown, which destroys Qt's objects in no set
        # order and can crash (a recorder exited with SIGSEGV after saving its video).
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more to say
                pass
        os._exit(code)
    sys.exit(code)


def _leave(signum, _frame):
    if signum == signal.SIGINT:
        os._exit(130)
    args = sys.argv[1:]
    command = next((a for a in args if a in NO_WINDOW or a == "lesson"), None)
    window = command is None or command == "lesson" and not {"--headless", "--list"} & set(args)
    os._exit(0 if window else 128 + signum)


if __name__ == "__main__":
    run()
