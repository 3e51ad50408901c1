"""The lessons' headless experiments: generators of JSON-ready dicts, headline figures last.

``short=True`` runs a quick check of the same experiment on a fraction of the data (the
tests use it); the figures the captions quote come from the full runs.
"""

import numpy as np

from .. import data as datamod
from .. import inspection, trask
from ..config import preset
from ..errors import DataError, DivergedError
from ..landscape import SURFACES, Ball, MiniBatchProblem
from ..session import Session

SHORT_SUBSET = 10_000  # training images of a short run
NOISE_IMAGES = 200


def _mnist(short):
    split = datamod.load("mnist")
    if short:  # a short run is evaluated on 2,000 test images
        split = datamod.DataSplit(split.name, split.train, split.test.subset(2000))
    return split


def _shortened(config, short, epochs=1, subset=SHORT_SUBSET):
    return config.replace(train_subset=subset, epochs=epochs) if short else config


def train(config, split, run=None):
    """Train ``config`` on ``split`` to its epoch target, yielding each epoch's report (tagged
    with ``run``); returns the Session. A run that diverges or stalls ends with a ``stopped``
    line, and its network is evaluated as it stood."""
    session = Session(config, split)
    try:
        for _ in range(config.epochs):
            report = session.run_epoch().to_dict()
            yield dict(report, run=run) if run is not None else report
    except DivergedError as exc:
        session.evaluate_now()
        yield {"run": run, "stopped": str(exc), "test_accuracy": _last_accuracy(session)}
    return session


def _last_accuracy(session):
    """The test accuracy of the latest evaluation (NaN when the weights are not finite)."""
    return session.evaluation.accuracy if session.evaluation is not None else float("nan")


# ----------------------------------------------------------------- 1. gradient descent
DESCENT_STARTS = ((-2.6, 2.4), (2.5, 2.6), (2.6, -2.2), (-2.4, -2.6), (0.2, 2.8), (-2.8, 0.3),
                  (1.0, -0.5))
DESCENT_LR = 0.1
DESCENT_STEPS = 400


def distinct_points(points, tolerance=0.05):
    """The points of ``points`` more than ``tolerance`` apart from every earlier one."""
    kept = []
    for p in points:
        if all(np.hypot(*(np.asarray(p) - q)) > tolerance for q in kept):
            kept.append(np.asarray(p))
    return kept


def descent(short=False, data=None):
    """Balls dropped at several places roll to one minimum in a bowl, to several in a
    bumpy bowl."""
    headline = {}
    for name in ("bowl", "bumpy"):
        surface, ends = SURFACES[name], []
        for start in DESCENT_STARTS:
            ball = Ball(surface, start, lr=DESCENT_LR)
            for _ in range(DESCENT_STEPS):
                ball.step()
            x, y = ball.position
            ends.append((x, y))
            yield {"surface": name, "start": list(start), "end": [round(x, 3), round(y, 3)],
                   "cost": round(float(surface.cost(x, y)), 4)}
        minima = distinct_points(ends)
        headline[f"{name}_minima"] = len(minima)
        headline[f"{name}_minimum_costs"] = sorted(round(float(surface.cost(*m)), 3)
                                                   for m in minima)
    yield headline


# ------------------------------------------------------------------- 2. learning rate
# x, y, η on the bowl: three starts, so that the three trails lie apart (in a round bowl each
# one runs straight through the bottom); the large η starts near the bottom, so that its
# growing zig-zag is seen for a few seconds before it leaves the plot.
RATE_BALLS = ((-2.5, 2.0, 0.03), (2.4, 2.3, 0.7), (0.35, -0.45, 2.05))
RATE_BALL_STEPS = 40
NETWORK_RATES = (0.01, 1.0, 100.0)


def learning_rate(short=False, data=None):
    """Three balls at three learning rates, then the 3b1b network trained 2 epochs from the
    same initial weights at η = 0.01, 1 and 100."""
    bowl = SURFACES["bowl"]
    for x, y, lr in RATE_BALLS:
        ball = Ball(bowl, (x, y), lr=lr)
        for _ in range(RATE_BALL_STEPS):
            ball.step()
        yield {"ball_lr": lr, "steps": RATE_BALL_STEPS, "escaped": ball.escaped,
               "cost": None if ball.escaped else round(float(bowl.cost(*ball.position)), 5)}
    split = _mnist(short)
    base = _shortened(preset("3b1b").replace(epochs=2), short)
    accuracies = {}
    for lr in NETWORK_RATES:
        session = yield from train(base.replace(lr=lr), split, run=f"lr {lr:g}")
        accuracies[f"{lr:g}"] = _last_accuracy(session)
    yield {"test_accuracy_by_lr": accuracies, "epochs": base.epochs}


# ------------------------------------------------------- 3–6. networks and their numbers
def _one_network(preset_name, short, epochs=1):
    split = _mnist(short)
    config = _shortened(preset(preset_name), short, epochs)
    session = yield from train(config, split)
    return session


def three_blue_one_brown(short=False, data=None):
    """784-16-16-10 sigmoid, squared error, plain SGD: 13,002 parameters, about 95%."""
    session = yield from _one_network("3b1b", short)
    yield {"parameters": session.network.n_params, "epochs": len(session.reports),
           "test_accuracy": _last_accuracy(session)}


TWEAK_LADDER = (("sigmoid, squared error, plain SGD (3Blue1Brown)", "3b1b"),
                ("ReLU, softmax + cross-entropy, momentum (same 784-16-16-10)", "3b1b-tweaked"),
                ("wider hidden layers 784-256-128-10, Adam, shifted and rotated images", "strong"))


def tweaks(short=False, data=None):
    """The same task, each rung of the ladder one set of changes more."""
    split = _mnist(short)
    rungs = []
    for label, name in TWEAK_LADDER:
        session = yield from train(_shortened(preset(name), short), split, run=name)
        rungs.append({"preset": name, "change": label, "parameters": session.network.n_params,
                      "test_accuracy": _last_accuracy(session)})
    yield {"rungs": rungs}


def most_common_confusion(evaluation, count=5):
    """The off-diagonal cell of ``evaluation``'s confusion matrix with most images:
    ``{"actual", "read_as", "images", "of"}`` (``of``: that digit's test images) and the
    ``count`` it is most confident of (``most_confident``, test-set indices)."""
    matrix = evaluation.confusion()
    off = matrix - np.diag(np.diag(matrix))
    actual, read_as = (int(v) for v in np.unravel_index(np.argmax(off), off.shape))
    return {"actual": actual, "read_as": read_as, "images": int(off[actual, read_as]),
            "of": int(matrix[actual].sum()),
            "most_confident": [int(i) for i in evaluation.cell(actual, read_as, count)]}


def templates(short=False, data=None):
    """No hidden layer: ten weight templates, ~91%; its most common confusion, computed."""
    session = yield from _one_network("templates", short)
    yield {"test_accuracy": _last_accuracy(session),
           "confusion": most_common_confusion(session.evaluation)}


# one change from the templates: a hidden layer of ten sigmoid neurons, every other setting
# (cost, optimizer, η, weight decay, epochs, seed) the templates' own
HIDDEN10_CONFIG = preset("templates").replace(layers=(784, 10, 10))


def hidden_ten(short=False, data=None):
    """A hidden layer of ten neurons against none, all else equal."""
    split = _mnist(short)
    accuracy = {}
    for run, config in (("no hidden layer", preset("templates")),
                        ("hidden layer", HIDDEN10_CONFIG)):
        session = yield from train(_shortened(config, short), split, run=run)
        accuracy[run] = _last_accuracy(session)
    yield {"test_accuracy": accuracy["hidden layer"],
           "no_hidden_test_accuracy": accuracy["no hidden layer"]}


# ------------------------------------------------------------------------ 7. noise
NOISE_SEED = 1  # the seed of the lesson's network (see the lesson's caption: it matters)
NOISE_CONFIG = preset("3b1b").replace(seed=NOISE_SEED)


def noise_images(count=NOISE_IMAGES, n_inputs=784, seed=0):
    """``count`` images of uniform random pixels."""
    return np.random.default_rng(seed).random((count, n_inputs), dtype=np.float32)


def noise_evaluation(network, class_names=datamod.DIGITS, count=NOISE_IMAGES):
    """The network's answers to ``count`` noise images, as an Evaluation whose true labels
    are −1 (there are none); ``confidence`` is the top output."""
    n_in, n_out = network.sizes[0], network.sizes[-1]
    images = noise_images(count, n_in)
    shape = (28, 28) if n_in == 784 else None
    dataset = datamod.Dataset("noise", images, np.full(count, -1, np.int64),
                              np.zeros((count, n_out), np.float32), tuple(class_names), shape)
    return inspection.evaluate(network, dataset)


NOISE_SEEDS = tuple(range(12))  # the seeds of the honesty check (two on a short run)
CONFIDENT = 0.7


def noise(short=False, data=None):
    """Random noise in, a confident answer out; then the same network trained from each of
    ``NOISE_SEEDS``: how the median confidence depends on the seed."""
    split = _mnist(short)
    session = yield from train(_shortened(NOISE_CONFIG, short), split)
    evaluation = noise_evaluation(session.network)
    medians = {}
    for seed in NOISE_SEEDS[:2] if short else NOISE_SEEDS:
        other = session if seed == NOISE_SEED else (
            yield from train(_shortened(NOISE_CONFIG.replace(seed=seed), short), split,
                             run=f"seed {seed}"))
        medians[seed] = float(np.median(noise_evaluation(other.network).confidence))
    yield {"seed": NOISE_SEED, "noise_images": len(evaluation.predicted),
           "test_accuracy": _last_accuracy(session),
           "median_confidence": float(np.median(evaluation.confidence)),
           "answers": np.bincount(evaluation.predicted, minlength=10).tolist(),
           "seeds": {"first": min(medians), "last": max(medians), "count": len(medians),
                     "lowest_median": min(medians.values()),
                     "highest_median": max(medians.values()),
                     "confident": sum(m >= CONFIDENT for m in medians.values())}}


# --------------------------------------------------------------------- 8. shuffled
def labels_left_right(config, split):
    """The fraction of ``config``'s training labels that its shuffle leaves right (by
    chance: about one in ten, a little more where the digits are unevenly many)."""
    train_set = split.train.subset(config.train_subset) if config.train_subset else split.train
    shuffled_set = train_set.with_shuffled_labels(config.seed)
    return float(np.mean(shuffled_set.labels == train_set.labels))


def shuffled(short=False, data=None):
    """The same network on shuffled and on true labels."""
    split = _mnist(short)
    config = preset("shuffled")
    if short:
        config = config.replace(train_subset=500, epochs=12)
    runs = {}
    for run, shuffle in (("shuffled", True), ("control", False)):
        session = yield from train(config.replace(shuffle_labels=shuffle), split, run=run)
        runs[run] = session.reports[-1]
    yield {"train_accuracy": runs["shuffled"].train_accuracy,
           "test_accuracy": runs["shuffled"].test_accuracy,
           "control_train_accuracy": runs["control"].train_accuracy,
           "control_test_accuracy": runs["control"].test_accuracy,
           "labels_left_right": labels_left_right(config, split),
           "images": config.train_subset, "epochs": config.epochs}


# ------------------------------------------------------------------------ 9. Trask
def trask_network(short=False, data=None):
    """Trask's 3-4-1 network, exactly as published: his printout, then the guide's tables
    (per customer) at the printout's iterations with the last outputs."""
    lines = list(trask.train())
    yield from lines[:-1]
    yield {**lines[-1], "tables": trask.tables()}


# ------------------------------------------------------------------ 10. mini-batches
MINIBATCH_START = (-4.0, 4.0)
MINIBATCH_LR = 1.0
MINIBATCH_STEPS = 60


def minibatches(short=False, data=None):
    """One ball follows the full-batch gradient, one the gradient of a fresh mini-batch of
    16 at every step (whose cost surface shifts under it)."""
    train_set = datamod.load("mnist").train
    stochastic = MiniBatchProblem(train_set, batch_size=16, seed=0)
    full = MiniBatchProblem(train_set, batch_size=len(stochastic.label), seed=0)
    paths, shifts = {}, []
    for name, problem in (("full_batch", full), ("minibatch", stochastic)):
        ball = Ball(problem, MINIBATCH_START, lr=MINIBATCH_LR)
        for _ in range(MINIBATCH_STEPS):
            if problem is stochastic:
                problem.resample()
                shifts.append(abs(float(problem.cost(*ball.position)
                                        - problem.full_cost(*ball.position))))
            ball.step()
        path = np.array(ball.trail)
        paths[name] = path
        yield {"ball": name, "end": [round(float(v), 3) for v in ball.position],
               "full_cost": round(float(full.full_cost(*ball.position)), 4),
               "path_length": round(float(_length(path)), 3)}
    yield {"steps": MINIBATCH_STEPS, "batch_size": stochastic.batch_size,
           "full_batch_cost": float(full.full_cost(*paths["full_batch"][-1])),
           "minibatch_cost": float(full.full_cost(*paths["minibatch"][-1])),
           "mean_surface_shift": float(np.mean(shifts)),
           "path_length_ratio": float(_length(paths["minibatch"]) / _length(paths["full_batch"]))}


def _length(path):
    return np.hypot(*np.diff(path, axis=0).T).sum()


# ----------------------------------------------------------------- 11. backpropagation
def misread_image(network, dataset):
    """The index of the first image of ``dataset`` that ``network`` reads wrong (else 0)."""
    wrong = np.flatnonzero(network.predict(dataset.x[:1000]) != dataset.labels[:1000])
    return int(wrong[0]) if wrong.size else 0


def backprop(short=False, data=None):
    """One image the network (trained one epoch) reads wrong: each layer's δ, the gradient,
    one step at the training's η then (1 × 0.85) and the outputs before and after."""
    split = _mnist(short)
    session = yield from train(_shortened(preset("3b1b"), short).replace(epochs=1), split)
    network = session.network.copy()
    index = misread_image(network, split.test)
    x, target = split.test.x[index], split.test.targets[index]
    label = int(split.test.labels[index])
    t = network.trace(x[None, :], target[None, :])
    for layer, (delta, dW) in enumerate(zip(t.deltas, t.dW), start=1):
        yield {"layer": layer, "delta_norm": float(np.linalg.norm(delta)),
               "gradient_norm": float(np.linalg.norm(dW))}
    before = network.forward(x[None, :])[0]
    lr = session.trainer.lr
    inspection.descend(network, x, target, lr)
    after = network.forward(x[None, :])[0]
    yield {"image": index, "label": label, "lr": lr,
           "read_before": int(before.argmax()), "read_after": int(after.argmax()),
           "output_before": float(before[label]), "output_after": float(after[label]),
           "cost_before": float(t.cost),
           "cost_after": float(network.loss(x[None, :], target[None, :]))}


# ---------------------------------------------------------------------- 12. CIFAR-10
CIFAR_CONFIG = preset("templates").replace(layers=(3072, 10), lr=0.01, weight_decay=1e-3,
                                           epochs=10)


def cifar10(short=False, data=None):
    """No hidden layer on CIFAR-10 (``data``: the folder of its binary version)."""
    if not data:
        raise DataError(datamod.CIFAR_MISSING)
    split = datamod.load_cifar10(data)
    config = CIFAR_CONFIG.replace(dataset=str(data))
    if short:
        config = config.replace(epochs=2)
    session = yield from train(config, split)
    yield {"test_accuracy": _last_accuracy(session), "images": len(split.train),
           "epochs": len(session.reports)}
