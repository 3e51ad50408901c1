"""``python main.py`` from a clone runs the installed package, as ``python -m digit_descent``
does (install it first: README's first command)."""

import runpy
import sys

if __name__ == "__main__":
    try:
        import digit_descent  # noqa: F401
    except ModuleNotFoundError:
        sys.stderr.write("error: Digit Descent is not installed in this Python; run "
                         "'pip install .' in this folder first (see README.md)\n")
        sys.exit(2)
    runpy.run_module("digit_descent", run_name="__main__", alter_sys=True)
