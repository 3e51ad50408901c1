"""Universal approximation and depth, the last part of seed 001: one hidden layer of sigmoid
neurons fits a 1-D curve, each neuron adding one S-shaped step v·σ(wx + b); two opposite
steps make a bump; more neurons, a closer fit. Then depth against width on a two-armed
spiral with the same parameter budget.

The curve, the spiral and the training (full-batch Adam) are ours: the seed states the
theorem and draws the pictures without numbers.
"""

import numpy as np

from ..network import Network
from ..optimizers import Adam

WIDTHS = (1, 2, 4, 16)
POINTS = 200
STEPS = 4000
LR = 0.02
SEED = 0


def target(x):
    """The curve to fit on [−1, 1]: a bump and a wave (dimensionless)."""
    x = np.asarray(x, np.float64)
    return np.sin(3 * x) + 0.8 * np.exp(-((x - 0.4) / 0.15) ** 2)


def bump(x, left=-0.3, right=0.3, steepness=12.0):
    """Two sigmoids making a bump: σ(k(x − left)) − σ(k(x − right))."""
    x = np.asarray(x, np.float64)
    s = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731
    return s(steepness * (x - left)) - s(steepness * (x - right))


class OneLayerFit:
    """y ≈ c + Σ_j v_j σ(w_j x + b_j), ``width`` hidden sigmoid neurons, linear output,
    fitted by full-batch Adam to the mean squared error. The steps start spread over
    [−1, 1] (centres uniform, slopes about ±5), deterministic given ``seed``."""

    def __init__(self, width, seed=SEED):
        rng = np.random.default_rng(seed)
        self.w = rng.choice((-1.0, 1.0), width) * rng.uniform(3.0, 8.0, width)
        self.b = -self.w * rng.uniform(-1.0, 1.0, width)
        self.v = np.zeros(width)
        self.c = np.zeros(1)

    def _hidden(self, x):
        return 0.5 * np.tanh(0.5 * (np.outer(x, self.w) + self.b)) + 0.5

    def contributions(self, x):
        """``(len(x), width)``: each hidden neuron's term v_j σ(w_j x + b_j)."""
        return self._hidden(x) * self.v

    def __call__(self, x):
        return self.contributions(x).sum(axis=1) + self.c[0]

    def fit(self, x, y, steps=STEPS, lr=LR):
        """Minimise mean (f(x) − y)² with Adam; returns the final mean squared error."""
        params = np.concatenate([self.w, self.b, self.v, self.c])
        n = len(self.w)
        adam = Adam(params, lr)
        for _ in range(steps):
            self.w, self.b, self.v, self.c = (params[:n], params[n:2 * n], params[2 * n:3 * n],
                                              params[3 * n:])
            h = self._hidden(x)
            err = h @ self.v + self.c[0] - y
            g_out = 2 * err / len(x)
            g_h = np.outer(g_out, self.v) * h * (1 - h)
            grad = np.concatenate([g_h.T @ x, g_h.sum(axis=0), h.T @ g_out, [g_out.sum()]])
            adam.step(params, grad)
        self.w, self.b, self.v, self.c = (params[:n].copy(), params[n:2 * n].copy(),
                                          params[2 * n:3 * n].copy(), params[3 * n:].copy())
        return float(np.mean((self(x) - y) ** 2))


def fits(widths=WIDTHS, steps=STEPS):
    """``{width: fitted OneLayerFit}`` on ``POINTS`` points of :func:`target`."""
    x = np.linspace(-1, 1, POINTS)
    y = target(x)
    found = {}
    for width in widths:
        model = OneLayerFit(width)
        model.fit(x, y, steps)
        found[width] = model
    return found


# --------------------------------------------------------------------- depth vs width
SPIRAL_POINTS = 300  # per arm
SPIRAL_TURNS = 1.75
# (name, one wide layer, two narrow ones) of the same budget: 2-8-2 and 2-4-4-2 have 42
# weights and biases each, 2-70-2 and 2-16-16-2 have 352 and 354
BUDGETS = (("tight", (8,), (4, 4)), ("roomy", (70,), (16, 16)))
SPIRAL_STEPS = 3000
SPIRAL_LR = 0.01


def spiral(n=SPIRAL_POINTS, turns=SPIRAL_TURNS, noise=0.04, seed=0):
    """Two interleaved spiral arms: ``x`` ``(2n, 2)`` float32 in about [−1, 1]², ``labels``
    ``(2n,)`` 0 or 1."""
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0.02, 1.0, n))  # even density along the arm
    angle = 2 * np.pi * turns * t
    arm = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1)
    x = np.concatenate([arm, -arm]) + rng.normal(0.0, noise, (2 * n, 2))
    labels = np.repeat([0, 1], n)
    return x.astype(np.float32), labels


def train_spiral(hidden, steps=SPIRAL_STEPS, seed=SEED):
    """A tanh network 2-``hidden``-2 (softmax, cross-entropy) trained full batch with Adam
    on the spiral; returns ``(network, train accuracy, test accuracy)`` (the test spiral is
    a fresh draw of the same shape)."""
    x, labels = spiral(seed=0)
    x_test, labels_test = spiral(seed=1)
    net = Network((2, *hidden, 2), activation="tanh", cost="cross-entropy", seed=seed)
    targets = np.eye(2, dtype=np.float32)[labels]
    grad = np.zeros_like(net.params)
    grad_w, grad_b = net.unflatten(grad)
    adam = Adam(net.params, SPIRAL_LR)
    for _ in range(steps):
        net.backprop(x, targets, grad_w, grad_b)
        adam.step(net.params, grad)
    return (net, float(np.mean(net.predict(x) == labels)),
            float(np.mean(net.predict(x_test) == labels_test)))


SPIRAL_EXTENT = 1.3  # the pictures show [−1.3, 1.3]²: the spiral and a margin


def spiral_picture(net, resolution=121, extent=SPIRAL_EXTENT):
    """The network's probability of arm 1 over the square [−extent, extent]²: ``(R, R)``
    float32, row ``i`` at y = −extent + i·2·extent/(R − 1) (rows bottom to top)."""
    axis = np.linspace(-extent, extent, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(axis, axis)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    return net.forward(points)[:, 1].reshape(resolution, resolution)


def depth_against_width(steps=SPIRAL_STEPS):
    """The four spiral networks of :func:`universal` (each budget, one layer and two), as
    ``[{"budget", "layers", "parameters", "test_accuracy", "picture"}]`` with
    :func:`spiral_picture` of each, for the lesson's view."""
    found = []
    for budget, wide, deep in BUDGETS:
        for hidden in (wide, deep):
            net, _, test_acc = train_spiral(hidden, steps)
            found.append({"budget": budget, "layers": "-".join(map(str, net.sizes)),
                          "parameters": net.n_params, "test_accuracy": test_acc,
                          "picture": spiral_picture(net)})
    return found


def universal(short=False, data=None):
    """The fit error (mean squared error on the 200 points) for 1, 2, 4 and 16 hidden
    neurons, then depth against width on the spiral. ``short``: a quarter of the steps."""
    scale = 4 if short else 1
    fit_error = {}
    x = np.linspace(-1, 1, POINTS)
    for width, model in fits(steps=STEPS // scale).items():
        fit_error[str(width)] = float(np.mean((model(x) - target(x)) ** 2))
        yield {"width": width, "fit_error": fit_error[str(width)]}
    spirals = {}
    for budget, wide, deep in BUDGETS:
        for name, hidden in (("wide", wide), ("deep", deep)):
            net, train_acc, test_acc = train_spiral(hidden, SPIRAL_STEPS // scale)
            spirals[f"{budget}_{name}"] = line = {
                "layers": "-".join(map(str, net.sizes)), "parameters": net.n_params,
                "train_accuracy": train_acc, "test_accuracy": test_acc}
            yield {"spiral": f"{budget}_{name}", **line}
    x = np.linspace(-1, 1, POINTS)
    yield {"fit_error": fit_error, "target_variance": float(np.var(target(x))),
           "spiral": spirals, "steps": STEPS // scale, "spiral_steps": SPIRAL_STEPS // scale}
