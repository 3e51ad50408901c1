"""Digit Descent: watch a neural network learn to read handwritten digits.

``python main.py`` opens the app; ``python main.py train|eval|bench --help``
for headless work.
"""

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
