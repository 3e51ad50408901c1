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

    sys.exit(main())


if __name__ == "__main__":
    run()
