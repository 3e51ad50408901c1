"""Digit Descent: watch a neural network learn to read handwritten digits.

``python main.py`` opens the app; ``python main.py train|eval|bench --help``
for headless work.
"""

import os
import signal
import sys

if __name__ == "__main__":
    # Ctrl+C while the modules load (a second or so): nothing is made yet, so leave at once
    # (cli.main hands Ctrl+C to each command once it starts).
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    from cli import main

    sys.exit(main())
