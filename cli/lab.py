"""``lab``: open the 2-D lab (small networks you can see whole) in a window of its own."""

import os
import signal
import sys

from digit_descent.engine.lab.datasets import (CLASSIFICATION, MAX_CLASSES, MIN_CLASSES,
                                                REGRESSION, SURFACES)
from digit_descent.engine.lab.regularization import REG_RATES, REGULARIZATIONS

from .options import UsageError


def add_lab_parser(sub, positive_int):
    """The ``lab`` sub-command's flags."""
    lab = sub.add_parser("lab", help="open the 2-D lab: small networks, their decision "
                                     "boundaries and the numbers in their maths")
    lab.add_argument("--dataset", choices=CLASSIFICATION + REGRESSION + SURFACES, default="circle")
    lab.add_argument("--classes", type=positive_int, default=3,
                     help=f"classes of blobs and arms ({MIN_CLASSES} to {MAX_CLASSES})")
    lab.add_argument("--hidden", default="4-2", help="hidden layers, e.g. 4-2 (default)")
    lab.add_argument("--activation", choices=("tanh", "relu", "sigmoid"), default="tanh")
    lab.add_argument("--regularization", choices=REGULARIZATIONS, default="none",
                     help="none (default), L1 (adds λ·sign(w) to each weight's gradient) or L2 "
                          "(adds λ·w)")
    lab.add_argument("--rate", type=float, default=0.0, metavar="λ",
                     help=f"the regularization rate λ, 0 to {REG_RATES[-1]:g} (default 0)")
    lab.add_argument("--points", metavar="CSV", help="classify the points of a CSV file of "
                                                     "x, y, label rows")
    return lab


def lab_config(args):
    """The :class:`LabConfig` of the flags; UsageError names a bad one."""
    from digit_descent.engine.lab import LabConfig

    try:
        hidden = tuple(int(p) for p in args.hidden.replace(",", "-").split("-") if p.strip())
    except ValueError:
        raise UsageError(f"--hidden: expected whole numbers like 4-2, got {args.hidden!r}") from None
    features = ("x",) if args.dataset in REGRESSION else ("x", "y")
    try:
        return LabConfig(dataset=args.dataset, classes=args.classes, hidden=hidden,
                         activation=args.activation, features=features,
                         regularization=args.regularization, reg_rate=args.rate).checked()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run_lab(args):
    """Open the lab; returns the exit code (Ctrl+C: 130)."""
    from digit_descent.engine.lab.points_csv import read_points

    config = lab_config(args)
    points = read_points(args.points) if args.points else None  # a bad file: one line, exit 2
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from digit_descent.gui.app import make_application
    from digit_descent.gui.lab.window import LabWindow

    app = make_application()
    window = LabWindow(config)
    if points is not None:
        window.runner.send(lambda lab: lab.use_points(*points))
    code = [0]

    def on_signal(signum, _frame):
        code[0] = 130 if signum == signal.SIGINT else 0
        QTimer.singleShot(0, window.close)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    wake = QTimer()  # lets Python see a signal while Qt waits for events
    wake.start(200)
    window.show()
    return app.exec() or code[0]
