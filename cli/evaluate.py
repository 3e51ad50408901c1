"""``eval``: a saved model's or session's test accuracy and confusion matrix."""

import json
import sys

from digit_descent.engine import data as datamod
from digit_descent.engine import inspection
from digit_descent.engine.model_io import load_model
from digit_descent.engine.session_io import is_session_file, load_session

from .options import UsageError


def run_eval(args, out=sys.stdout):
    step = None
    if is_session_file(args.model):
        record = load_session(args.model)
        step, net = record.network_at(args.step)
        net.metadata = {"dataset": record.config.dataset}
    elif args.step is not None:
        raise UsageError(f"{args.model}: --step needs a session file (train --session)")
    else:
        net = load_model(args.model)
    learned = net.metadata.get("dataset")
    learned = learned if isinstance(learned, str) and learned in datamod.NAMES else None
    split = datamod.load(args.dataset or learned or "mnist")
    test = split.test
    warning = None
    if learned and datamod.class_names(learned) != test.class_names:
        warning = (f"the model learned {learned}'s classes, this is {split.name}: its answers "
                   "name other things, so the accuracy compares unlike with unlike")
        if not args.json:
            sys.stderr.write(f"warning: {warning}\n")
    if net.sizes[0] != test.n_inputs or net.sizes[-1] != test.n_outputs:
        raise UsageError(f"{args.model}: a {'-'.join(map(str, net.sizes))} network does not fit "
                         f"the {split.name} data ({test.n_inputs} inputs, {test.n_outputs} outputs)")
    evaluation = inspection.evaluate(net, test)
    confusion, acc = evaluation.confusion(), evaluation.accuracy
    k = len(confusion)
    if args.json:
        result = {"model": str(args.model), "dataset": split.name, "test_accuracy": acc,
                  "confusion": confusion.tolist()}
        if step is not None:
            result["step"] = step
        if warning:
            result["warning"] = warning
        out.write(json.dumps(result) + "\n")
        return 0
    at = f" at step {step:,}" if step is not None else ""
    out.write(f"{args.model}{at}: test accuracy {acc:.2%} on {len(test):,} {split.name} images\n")
    out.write("rows: actual, columns: predicted\n")
    out.write("      " + "".join(f"{c:>6}" for c in range(k)) + "\n")
    for i, row in enumerate(confusion):
        out.write(f"{i:>6}" + "".join(f"{v:>6}" for v in row) + "\n")
    return 0
