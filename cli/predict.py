"""``predict``: what a saved network reads in image files, read as the pad's Load image… does."""

import json
import sys
from importlib.resources import files

import numpy as np

from digit_descent.engine import data as datamod
from digit_descent.engine.images import ImageError, read_digit

from .evaluate import load_network
from .options import UsageError
from .output import Lines

SHIPPED_MODEL = files("digit_descent.resources") / "strong.npz"


def run_predict(args, out=None, err=None):
    """Print each image's answer and ten outputs; returns 1 if any image was refused, else 0.

    A refused image is one ``error: FILE: reason`` line on ``err``; the others are still read.
    Raises UsageError (exit 2) for a model that does not read 28×28 images.
    """
    model = args.model or SHIPPED_MODEL
    _, net, learned = load_network(model)
    if net.sizes[0] != 28 * 28:
        raise UsageError(f"{model}: a {'-'.join(map(str, net.sizes))} network does not read "
                         "28×28 images")
    names = datamod.class_names(learned) if learned in datamod.NAMES else datamod.DIGITS
    err = err or sys.stderr
    out = Lines(out or sys.stdout, err)
    refused = 0
    for path in args.images:
        try:
            x = read_digit(path).steps.result
        except ImageError as exc:
            err.write(f"error: {exc}\n")
            err.flush()
            refused += 1
            continue
        outputs = net.forward(x.reshape(1, -1))[0]
        best = int(np.argmax(outputs))
        if args.json:
            out.write(json.dumps({"file": str(path), "answer": best,
                                  "outputs": [round(float(v), 6) for v in outputs]}) + "\n")
        else:
            name = names[best] if best < len(names) else str(best)
            values = " ".join(f"{v:.3f}" for v in outputs)
            out.write(f"{path}: {name} ({outputs[best]:.0%} sure)  outputs {values}\n")
    return 1 if refused or out.failed else 0
