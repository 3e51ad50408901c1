"""``eval``: a saved model's or session's test accuracy and confusion matrix.

A model is scored on the data it learned (the name or path its description holds), or on
the data ``--dataset`` names, with a warning when that is not the data it learned.
"""

import json
import sys

from digit_descent.engine import data as datamod
from digit_descent.engine import inspection
from digit_descent.engine.errors import DataError
from digit_descent.engine.model_io import load_model
from digit_descent.engine.session_io import is_session_file, load_session

from .options import UsageError
from .output import Lines


def _split_for(model, learned, chosen):
    """``(split, warning or None)``: the data to score ``model`` on."""
    if chosen is None:
        if learned is None:
            raise UsageError(f"{model}: it does not say which data it learned; name the data to "
                             "score it on with --dataset")
        try:
            return datamod.load(learned), None
        except DataError as exc:
            raise UsageError(f"{model}: it learned {learned}, which cannot be read now ({exc}); "
                             "name the data to score it on with --dataset") from None
    split = datamod.load(chosen)
    if learned is None or datamod.same_data(learned, chosen):
        return split, None
    if learned in datamod.NAMES and datamod.class_names(learned) == split.test.class_names:
        return split, None
    what = ("its answers name other things" if learned in datamod.NAMES
            else "if their classes differ, its answers name other things")
    this = split.name if split.name == str(chosen) else f"{split.name} ({chosen})"
    return split, (f"the model learned {learned}, this is {this}: {what}, so the accuracy "
                   "compares unlike with unlike")


def load_network(path, step=None):
    """``(step, network, data set learned)`` of a model file, or of a session file's network
    at ``step`` (its last recorded one at or before; default its end). ``step`` is None for
    a model; giving one for a model raises UsageError."""
    if is_session_file(path):
        record = load_session(path)
        step, net = record.network_at(step)
        return step, net, record.config.dataset
    if step is not None:
        raise UsageError(f"{path}: --step needs a session file (train --session)")
    net = load_model(path)
    return None, net, net.metadata.get("dataset")


def run_eval(args, out=None, err=None):
    step, net, learned = load_network(args.model, args.step)
    learned = learned if isinstance(learned, str) and learned else None
    split, warning = _split_for(args.model, learned, args.dataset)
    test = split.test
    if net.sizes[0] != test.n_inputs or net.sizes[-1] != test.n_outputs:
        raise UsageError(f"{args.model}: a {'-'.join(map(str, net.sizes))} network does not fit "
                         f"the {split.name} data ({datamod.counted(test.n_inputs, 'input')}, "
                         f"{datamod.counted(test.n_outputs, 'output')})")
    evaluation = inspection.evaluate(net, test)
    confusion, acc = evaluation.confusion(), evaluation.accuracy
    k = len(confusion)
    out = Lines(out or sys.stdout, err)
    if args.json:
        result = {"model": str(args.model), "dataset": split.name, "test_accuracy": acc,
                  "confusion": confusion.tolist()}
        if step is not None:
            result["step"] = step
        if warning:
            result["warning"] = warning
        if split.notes:
            result["notes"] = list(split.notes)
        out.write(json.dumps(result) + "\n")
        return 1 if out.failed else 0
    err = err or sys.stderr
    if warning:
        err.write(f"warning: {warning}\n")
    for note in split.notes:
        err.write(f"note: {note}\n")
    at = f" at step {step:,}" if step is not None else ""
    out.write(f"{args.model}{at}: test accuracy {acc:.2%} on {len(test):,} {split.name} images\n")
    out.write("rows: actual, columns: predicted\n")
    out.write("      " + "".join(f"{c:>6}" for c in range(k)) + "\n")
    for i, row in enumerate(confusion):
        out.write(f"{i:>6}" + "".join(f"{v:>6}" for v in row) + "\n")
    return 1 if out.failed else 0
