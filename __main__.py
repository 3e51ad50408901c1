"""``python -m digit_descent`` and the ``digit-descent`` command: the app by default,
``train|eval|lesson|record|bench …`` for the other commands (``--help`` lists them)."""

import os
import signal
import sys


def run():
    """Entry point; exits with the command's exit code."""
    # Ctrl+C while the modules load (a second or so): nothing is made yet, so leave at once
    # (cli.main hands Ctrl+C to each command once it starts).
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
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


if __name__ == "__main__":
    run()
