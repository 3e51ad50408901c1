"""``lab``: open the 2-D lab (small networks you can see whole) in a window of its own."""

from digit_descent.engine.lab.datasets import (CLASSIFICATION, MAX_CLASSES, MIN_CLASSES,
                                                MULTICLASS, REGRESSION, SURFACES)
from digit_descent.engine.lab.regularization import REG_RATES, REGULARIZATIONS

from .options import UsageError


def add_lab_parser(sub, positive_int):
    """The ``lab`` sub-command's flags."""
    lab = sub.add_parser("lab", help="open the 2-D lab: small networks, their decision "
                                     "boundaries and the numbers in their maths")
    lab.add_argument("--dataset", choices=CLASSIFICATION + REGRESSION + SURFACES,
                     help="the data (default: circle; not with --points, which gives its own)")
    lab.add_argument("--classes", type=positive_int,
                     help=f"classes of blobs and arms ({MIN_CLASSES} to {MAX_CLASSES}; "
                          "default 3)")
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
    from digit_descent.engine.lab.lab import parse_hidden

    try:
        hidden = parse_hidden(args.hidden)
    except ValueError as exc:
        raise UsageError(f"--hidden: {exc}") from None
    if args.points and args.dataset:
        raise UsageError(f"--points gives the data (classes on the plane): drop --dataset "
                         f"{args.dataset}")
    dataset = args.dataset or "circle"
    if args.classes is not None and dataset not in MULTICLASS:
        raise UsageError(f"--classes is for {' and '.join(MULTICLASS)}; {dataset} has its own")
    features = ("x",) if dataset in REGRESSION else ("x", "y")
    try:
        return LabConfig(dataset=dataset, classes=args.classes or 3, hidden=hidden,
                         activation=args.activation, features=features,
                         regularization=args.regularization, reg_rate=args.rate).checked()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run_lab(args):
    """Open the lab; returns the exit code (Ctrl+C: 130; no display: DisplayError)."""
    from digit_descent.engine.lab.points_csv import read_points

    config = lab_config(args)
    points = read_points(args.points) if args.points else None  # a bad file: one line, exit 2
    from digit_descent.gui.app import run_window

    def build():
        from digit_descent.gui.lab.window import LabWindow

        window = LabWindow(config)
        if points is not None:
            window.runner.send(lambda lab: lab.use_points(*points))
        return window

    return run_window(build)[0]
