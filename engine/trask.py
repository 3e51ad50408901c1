"""Andrew Trask's "neural network in 11 lines of Python", reproduced exactly.

The engine's Network has biases and its own initialisation; Trask's 3-4-1 network has 16
weights and no biases, weights ``2 * random - 1`` from ``np.random.seed(1)``, full-batch
sigmoid layers and plain summed updates (no learning rate). Reproducing his published
printout digit for digit needs that exact variant, so it is kept here, as he wrote it.

The tables are those of David Code's beginner's guide built on the same code (l2, l2_error,
the sigmoid's slope read as confidence, l2_delta = error × slope, l1_error, l1_delta and the
update), computed from this run rather than copied from the guide's illustrative numbers.
"""

import numpy as np

# The survey (David Code's telling): one row per customer, columns = the three questions.
QUESTIONS = ("Have a cat?", "Drink imported beer?", "Visited LitterRip.com?")
OUTPUT = "Bought Litter Rip!?"
X = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]], dtype=np.float64)
Y = np.array([[1], [1], [0], [0]], dtype=np.float64)  # the exclusive or of the first two
ITERATIONS = 60_000
REPORT_EVERY = 10_000


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _iterations(iterations, seed=1):
    """Run his loop, yielding ``(i, state)`` at every iteration before its update; ``state``
    holds syn0 (3×4), syn1 (4×1), l1 (4×4), l2 (4×1), l2_error, l2_delta, l1_error,
    l1_delta (each the shape of the layer it belongs to). The arrays are the loop's own:
    copy what you keep."""
    rng = np.random.RandomState(seed)  # the stream np.random.seed(seed) gives
    syn0 = 2 * rng.random_sample((3, 4)) - 1
    syn1 = 2 * rng.random_sample((4, 1)) - 1
    for i in range(iterations):
        l1 = _sigmoid(X.dot(syn0))
        l2 = _sigmoid(l1.dot(syn1))
        l2_error = Y - l2
        l2_delta = l2_error * (l2 * (1 - l2))
        l1_error = l2_delta.dot(syn1.T)
        l1_delta = l1_error * (l1 * (1 - l1))
        yield i, dict(syn0=syn0, syn1=syn1, l1=l1, l2=l2, l2_error=l2_error,
                      l2_delta=l2_delta, l1_error=l1_error, l1_delta=l1_delta)
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)


def train(iterations=ITERATIONS, report_every=REPORT_EVERY, seed=1):
    """Yield ``{"iteration": i, "error": mean |y − output|}`` every ``report_every``
    iterations (from 0), then ``{"outputs": [four outputs of the last iteration]}``."""
    l2 = None
    for i, state in _iterations(iterations, seed):
        l2 = state["l2"]
        if i % report_every == 0:
            yield {"iteration": i, "error": float(np.mean(np.abs(state["l2_error"])))}
    yield {"outputs": [float(v) for v in l2.ravel()]}


def _table(i, s):
    """The guide's tables at iteration ``i``: per customer (rows) the output l2, its error,
    the sigmoid's slope l2(1 − l2) (small = confident), l2_delta = error × slope; per
    customer and hidden neuron l1_error and l1_delta; and the updates this iteration adds
    to syn1 (4) and syn0 (3×4)."""
    plain = lambda a: np.asarray(a).tolist()  # noqa: E731 (JSON-ready, every digit)
    l2 = s["l2"].ravel()
    return {"iteration": i, "l2": plain(l2), "l2_error": plain(s["l2_error"].ravel()),
            "slope": plain(l2 * (1 - l2)), "l2_delta": plain(s["l2_delta"].ravel()),
            "l1": plain(s["l1"]), "l1_error": plain(s["l1_error"]),
            "l1_delta": plain(s["l1_delta"]),
            "syn1_update": plain(s["l1"].T.dot(s["l2_delta"]).ravel()),
            "syn0_update": plain(X.T.dot(s["l1_delta"])),
            "syn0": plain(s["syn0"]), "syn1": plain(s["syn1"].ravel())}


def tables(at=tuple(range(0, ITERATIONS, REPORT_EVERY)), seed=1):
    """The tables (see :func:`_table`) at each iteration of ``at`` (0 ≤ i < 60,000, any
    order), sorted by iteration. Raises ValueError for an iteration out of that range."""
    wanted = sorted(set(int(i) for i in at))
    if wanted and not 0 <= wanted[0] <= wanted[-1] < ITERATIONS:
        raise ValueError(f"Trask's run has iterations 0 to {ITERATIONS - 1:,}")
    found = []
    if not wanted:
        return found
    for i, state in _iterations(wanted[-1] + 1, seed):
        if i in wanted:
            found.append(_table(i, state))
    return found
