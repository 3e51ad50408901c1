"""Andrew Trask's "neural network in 11 lines of Python", reproduced exactly.

The engine's Network has biases and its own initialisation; Trask's 3-4-1 network has 16
weights and no biases, weights ``2 * random - 1`` from ``np.random.seed(1)``, full-batch
sigmoid layers and plain summed updates (no learning rate). Reproducing his published
printout digit for digit needs that exact variant, so it is kept here, as he wrote it.
"""

import numpy as np

# The customers table: the answer is the exclusive or of the first two columns.
X = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]], dtype=np.float64)
Y = np.array([[1], [1], [0], [0]], dtype=np.float64)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def train(iterations=60_000, report_every=10_000, seed=1):
    """Yield ``{"iteration": i, "error": mean |y − output|}`` every ``report_every``
    iterations (from 0), then ``{"outputs": [four outputs of the last iteration]}``."""
    rng = np.random.RandomState(seed)  # the stream np.random.seed(seed) gives
    syn0 = 2 * rng.random_sample((3, 4)) - 1
    syn1 = 2 * rng.random_sample((4, 1)) - 1
    l2 = None
    for i in range(iterations):
        l1 = _sigmoid(X.dot(syn0))
        l2 = _sigmoid(l1.dot(syn1))
        l2_error = Y - l2
        if i % report_every == 0:
            yield {"iteration": i, "error": float(np.mean(np.abs(l2_error)))}
        l2_delta = l2_error * (l2 * (1 - l2))
        l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    yield {"outputs": [float(v) for v in l2.ravel()]}
