"""Digit Descent: watch a neural network learn to read handwritten digits, live.

``digit_descent.engine`` is the pure-NumPy engine (no Qt), ``digit_descent.gui`` the
desktop app built on it, ``digit_descent.cli`` the command line; ``resources/`` holds the
embedded MNIST and the drawing pad's model.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("digit-descent")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "unknown"
