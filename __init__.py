"""Digit Descent: watch a neural network learn to read handwritten digits, live.

``digit_descent.engine`` is the pure-NumPy engine (no Qt), ``digit_descent.gui`` the
desktop app built on it, ``digit_descent.cli`` the command line; ``resources/`` holds the
embedded MNIST and the drawing pad's model.
"""


def __getattr__(name):
    # ``__version__`` on demand: importing the package stays instant, so ``python -m
    # digit_descent`` sets its Ctrl+C handler as early as possible.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("digit-descent")
        except PackageNotFoundError:  # a source tree that was never installed
            return "unknown"
    raise AttributeError(f"module 'digit_descent' has no attribute {name!r}")
