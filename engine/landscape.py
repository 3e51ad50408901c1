"""Cost surfaces: the lectures' teaching surfaces, balls rolling down them, and slices of a
real network's cost through its weights (Li et al., 2018)."""

from dataclasses import dataclass

import numpy as np

from .errors import DataError
from .network import unflatten
from .optimizers import make_optimizer

# ------------------------------------------------------------------ teaching surfaces


@dataclass(frozen=True)
class Surface:
    """A 2-D cost ``C(x, y)`` with its gradient, over ``extent = (x0, x1, y0, y1)``."""

    name: str
    title: str
    extent: tuple
    cost: callable
    grad: callable
    one_d: bool = False

    @property
    def full_cost(self):
        """The cost itself: a fixed surface has no mini-batches (see :class:`MiniBatchProblem`)."""
        return self.cost

    @property
    def full_grad(self):
        return self.grad


def _bowl():
    return Surface("bowl", "Round bowl", (-3, 3, -3, 3),
                   lambda x, y: 0.5 * (x * x + y * y),
                   lambda x, y: (x, y))


def _valley():
    """Curvature 170 times larger across the valley than along it. At the default η = 0.1 plain
    descent overshoots across (each step multiplies y by 1 − 0.1·17 = −0.7: a zig-zag) while it
    crawls along (x shrinks by 1% a step); momentum helps."""
    return Surface("valley", "Long narrow valley", (-3, 3, -3, 3),
                   lambda x, y: 0.05 * x * x + 8.5 * y * y,
                   lambda x, y: (0.1 * x, 17.0 * y))


def _saddle():
    return Surface("saddle", "Saddle", (-3, 3, -3, 3),
                   lambda x, y: 0.5 * (x * x - y * y) + 0.05 * y ** 4,
                   lambda x, y: (x, -y + 0.2 * y ** 3))


def _bumpy():
    """A bowl with dimples: several valleys (local minima) of different depths."""
    def cost(x, y):
        return 0.12 * (x * x + y * y) - np.exp(-((x - 1.6) ** 2 + (y - 1.2) ** 2)) \
            - 0.7 * np.exp(-((x + 1.5) ** 2 + (y - 1.4) ** 2) / 0.6) \
            - 0.8 * np.exp(-((x + 0.6) ** 2 + (y + 1.7) ** 2) / 0.5) - 0.5 * np.cos(1.5 * x) * np.cos(1.5 * y)

    def grad(x, y):
        g1 = np.exp(-((x - 1.6) ** 2 + (y - 1.2) ** 2))
        g2 = 0.7 * np.exp(-((x + 1.5) ** 2 + (y - 1.4) ** 2) / 0.6)
        g3 = 0.8 * np.exp(-((x + 0.6) ** 2 + (y + 1.7) ** 2) / 0.5)
        dx = 0.24 * x + 2 * (x - 1.6) * g1 + 2 * (x + 1.5) / 0.6 * g2 + 2 * (x + 0.6) / 0.5 * g3 \
            + 0.75 * np.sin(1.5 * x) * np.cos(1.5 * y)
        dy = 0.24 * y + 2 * (y - 1.2) * g1 + 2 * (y - 1.4) / 0.6 * g2 + 2 * (y + 1.7) / 0.5 * g3 \
            + 0.75 * np.cos(1.5 * x) * np.sin(1.5 * y)
        return dx, dy
    return Surface("bumpy", "Bumpy bowl (several valleys)", (-3, 3, -3, 3), cost, grad)


def _curve():
    """The lecture's one-input function with several valleys (y is ignored)."""
    return Surface("curve", "One input, several valleys (1-D)", (-3, 3, -1, 1),
                   lambda x, y: 0.1 * x ** 4 - 0.8 * x ** 2 + 0.3 * x + 0 * y,
                   lambda x, y: (0.4 * x ** 3 - 1.6 * x + 0.3, 0 * y), one_d=True)


SURFACES = {s.name: s for s in (_bowl(), _bumpy(), _valley(), _saddle(), _curve())}


class MiniBatchProblem:
    """Logistic regression with two parameters on a real task: is this MNIST digit a 0 or a 1,
    from one feature, its standardised amount of ink?

    ``cost``/``grad`` are those of the current mini-batch (``resample`` draws a new
    one), so a ball follows the stochastic gradient while the surface under it shifts
    from step to step; ``full_cost``/``full_grad`` are those of the whole set. ``extent``
    holds the whole set's minimum (w ≈ −5.5, b ≈ −0.5 on MNIST's 12,665 zeros and ones)
    with room around it for the mini-batch steps' jitter.
    """

    name = "minibatch"
    title = "Mini-batches: logistic regression, 0 vs 1"
    extent = (-9.0, 3.0, -6.0, 6.0)
    one_d = False

    def __init__(self, dataset, batch_size=16, seed=0):
        keep = (dataset.labels == 0) | (dataset.labels == 1)
        if keep.sum() < batch_size:
            raise DataError(f"{int(keep.sum())} zeros and ones: fewer than a mini-batch of "
                            f"{batch_size}")
        ink = dataset.x[keep].sum(axis=1, dtype=np.float64)
        self.feature = (ink - ink.mean()) / max(ink.std(), 1e-12)
        self.label = (dataset.labels[keep] == 1).astype(np.float64)
        # per sample, log(1 + e^z) − y z = log(1 + e^{s z}) with s = 1 − 2y: one softplus
        sign = 1.0 - 2.0 * self.label
        self._signed = {np.float64: (self.feature * sign, sign),
                        np.float32: ((self.feature * sign).astype(np.float32),
                                     sign.astype(np.float32))}
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self.batch = np.arange(len(self.label))
        self.resample()

    @property
    def n_samples(self):
        return len(self.label)

    def resample(self):
        self.batch = self.rng.choice(len(self.label), self.batch_size, replace=False)
        return self.batch

    def _cost(self, w, b, idx):
        """Mean cross-entropy at ``(w, b)`` (arrays broadcast together) over the samples
        ``idx``; float32 arithmetic for float32 ``w``, float64 otherwise; shape of ``w + b``."""
        dtype = np.float32 if np.asarray(w).dtype == np.float32 else np.float64
        sf, sign = (a[idx] for a in self._signed[dtype])
        z = np.asarray(w, dtype)[..., None] * sf + np.asarray(b, dtype)[..., None] * sign
        return _softplus(z).mean(axis=-1, dtype=np.float64)

    def _grad(self, w, b, idx):
        f, y = self.feature[idx], self.label[idx]
        p = 0.5 * np.tanh(0.5 * (w * f + b)) + 0.5
        return float(np.mean((p - y) * f)), float(np.mean(p - y))

    def cost(self, w, b):
        return self._cost(w, b, self.batch)

    def full_cost(self, w, b):
        return self._cost(w, b, slice(None))

    def grad(self, w, b):
        return self._grad(w, b, self.batch)

    def full_grad(self, w, b):
        return self._grad(w, b, slice(None))

    def batch_grid(self, n=81):
        """The current mini-batch's cost on an ``n × n`` grid (see :func:`grid`)."""
        return grid(self, n, self.cost, per_point=self.batch_size)

    def full_grid(self, n=81, should_stop=None):
        """The whole set's cost on an ``n × n`` grid, float32, in blocks of rows of at most
        ``GRID_BLOCK`` values (two such blocks of temporaries: 16 MB); None if
        ``should_stop()`` said stop."""
        return grid(self, n, self.full_cost, per_point=self.n_samples, should_stop=should_stop)


def _softplus(z):
    """``log(1 + e^z)`` computed stably in place of ``z`` (and one temporary like it):
    ``max(z, 0) + log1p(e^−|z|)``. NumPy's logaddexp gives the same, 1.5–2× slower."""
    tail = np.abs(z)
    np.negative(tail, out=tail)
    np.exp(tail, out=tail)
    np.log1p(tail, out=tail)
    np.maximum(z, 0, out=z)
    z += tail
    return z


GRID_BLOCK = 1 << 21  # values in one block of a grid's temporaries: 8 MB of float32


def grid(surface, n=161, cost=None, per_point=1, should_stop=None):
    """``(xs, ys, C)``: ``C[i, j] = cost(xs[j], ys[i])`` over the surface's extent, float32
    ``(n,)``, ``(n,)``, ``(n, n)``.

    ``cost`` (default ``surface.cost``) is given a row ``x`` ``(1, n)`` and a column ``y``
    ``(r, 1)`` and broadcasts them; ``per_point``: the values its temporaries hold per grid
    point (a cost averaged over samples: the number of samples). The rows are computed ``r``
    at a time, ``r`` chosen so a block holds at most ``GRID_BLOCK`` values;
    ``should_stop()`` is asked before each block, and None returned when it says stop.
    """
    cost = cost or surface.cost
    x0, x1, y0, y1 = surface.extent
    xs, ys = np.linspace(x0, x1, n, dtype=np.float32), np.linspace(y0, y1, n, dtype=np.float32)
    rows = max(1, GRID_BLOCK // max(1, n * int(per_point)))
    C = np.empty((n, n), np.float32)
    for start in range(0, n, rows):
        if should_stop is not None and should_stop():
            return None
        block = ys[start:start + rows, None]
        C[start:start + rows] = np.broadcast_to(cost(xs[None, :], block), (len(block), n))
    return xs, ys, C


class Ball:
    """A point rolling down a surface by gradient descent, leaving a trail.

    ``optimizer``: ``sgd`` (step = η × slope), ``momentum`` or ``adam`` — the engine's own
    optimizers (:mod:`engine.optimizers`), on the two coordinates; ``noise``: standard
    deviation of Gaussian noise added to the gradient (the stochastic gradient of
    mini-batches). ``lr``, ``momentum`` and ``optimizer`` may change between steps.
    """

    def __init__(self, surface, start, lr=0.1, optimizer="sgd", momentum=0.9, noise=0.0, seed=0):
        self.surface = surface
        self.position = np.array(start, np.float64)
        self.trail = [self.position.copy()]
        self.lr, self.optimizer, self.momentum, self.noise = lr, optimizer, momentum, noise
        self._rule = None  # the optimizer object, rebuilt when ``optimizer`` names another
        self.rng = np.random.default_rng(seed)

    def _optimizer(self):
        if self._rule is None or self._rule.name != self.optimizer:
            self._rule = make_optimizer(self.optimizer, self.position, self.lr, self.momentum)
        self._rule.lr = float(self.lr)
        if hasattr(self._rule, "momentum"):
            self._rule.momentum = float(self.momentum)
        return self._rule

    def gradient(self):
        g = np.array(self.surface.grad(*self.position), np.float64)
        if self.surface.one_d:
            g[1] = 0.0
        if self.noise:
            g = g + self.rng.normal(0.0, self.noise, 2) * (np.array([1.0, 0.0]) if self.surface.one_d else 1.0)
        return g

    @property
    def escaped(self):
        """True once the ball has left the plot or its numbers overflowed."""
        x0, x1, y0, y1 = self.surface.extent
        x, y = self.position
        return not (np.isfinite(self.position).all() and x0 <= x <= x1 and y0 <= y <= y1)

    def step(self):
        if self.escaped:
            return self.position
        position = self.position.copy()
        with np.errstate(all="ignore"):
            self._optimizer().step(position, self.gradient())
        self.position = position
        self.trail.append(position.copy())
        return self.position


# ----------------------------------------------------------- a real network's cost


def filter_normalized_direction(network, rng):
    """A random direction in weight space, each neuron's part rescaled to the norm of its
    incoming weights (Li et al., 2018); biases get no component. Flat, like ``params``."""
    d = rng.standard_normal(network.n_params).astype(np.float64)
    dw, db = unflatten(network.sizes, d)
    for w_d, b_d, w in zip(dw, db, network.weights):
        norms = np.linalg.norm(w, axis=1, keepdims=True)
        w_d *= norms / np.maximum(np.linalg.norm(w_d, axis=1, keepdims=True), 1e-12)
        b_d[...] = 0
    return d


def pca_directions(trajectory):
    """The top two principal directions (orthonormal, flat) of a ``(T, n_params)`` trajectory,
    and the fraction of its variance each explains."""
    centred = trajectory - trajectory.mean(axis=0)
    _, s, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    explained = s ** 2 / max((s ** 2).sum(), 1e-300)
    return vt[0], vt[1], explained[:2]


def project(points, origin, d1, d2):
    """Coordinates ``(α, β)`` of flat parameter vectors on the plane origin + α d1 + β d2
    (least squares through the 2×2 Gram matrix; exact when the directions are orthogonal)."""
    basis = np.stack([d1, d2]).astype(np.float64)  # (2, n_params)
    offsets = np.atleast_2d(points).astype(np.float64) - origin
    return np.linalg.solve(basis @ basis.T, basis @ offsets.T).T


@dataclass(frozen=True, eq=False)
class PlaneSurface:
    """The network's cost on a plane: ``surface[i, j]`` at (α = axis[j], β = axis[i])."""

    surface: np.ndarray
    origin: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    axis: np.ndarray
    trail: np.ndarray  # (T, 2): the recorded trajectory projected on the plane
    note: str


def plane_surface(network, X, Y, trajectory=(), method="random", span=1.0, n=41, seed=0,
                  should_stop=None):
    """Directions, grid, cost and projected trajectory for the network-mode picture.

    ``method``: ``random`` (two filter-normalised directions) or ``pca`` (the top two
    principal directions of ``trajectory`` + the current weights; the span then grows
    to hold the whole path). Returns a :class:`PlaneSurface`, or None if stopped.
    """
    origin = network.params.astype(np.float64)
    if method == "pca":
        if len(trajectory) < 3:
            raise ValueError("PCA needs at least three recorded points of the trajectory")
        d1, d2, explained = pca_directions(np.stack(tuple(trajectory) + (network.params,)))
        note = f"PCA directions explain {explained[0]:.0%} and {explained[1]:.0%} of the path"
    else:
        rng = np.random.default_rng(seed)
        d1, d2 = filter_normalized_direction(network, rng), filter_normalized_direction(network, rng)
        note = "random filter-normalised directions"
    trail = project(np.stack(trajectory), origin, d1, d2) if len(trajectory) else np.zeros((0, 2))
    if method == "pca" and len(trail):
        span = max(span, 1.2 * float(np.abs(trail).max()))
    axis = np.linspace(-span, span, n)
    surface = loss_surface(network, X, Y, d1, d2, axis, axis, should_stop)
    if surface is None:
        return None
    return PlaneSurface(surface, origin, d1, d2, axis, trail, note)


def interpolate(axis, surface, points):
    """Bilinear value of ``surface[i, j]`` (at α = axis[j], β = axis[i]) at ``points`` ``(n, 2)``
    of ``(α, β)``; points outside the grid take the value at its edge."""
    points = np.atleast_2d(np.asarray(points, np.float64))
    last = len(axis) - 1
    fj = np.clip(np.interp(points[:, 0], axis, np.arange(len(axis))), 0, last)
    fi = np.clip(np.interp(points[:, 1], axis, np.arange(len(axis))), 0, last)
    j0, i0 = np.minimum(fj.astype(int), last - 1), np.minimum(fi.astype(int), last - 1)
    tj, ti = fj - j0, fi - i0
    s = np.asarray(surface, np.float64)
    return ((1 - ti) * ((1 - tj) * s[i0, j0] + tj * s[i0, j0 + 1])
            + ti * ((1 - tj) * s[i0 + 1, j0] + tj * s[i0 + 1, j0 + 1]))


def loss_surface(network, X, Y, d1, d2, alphas, betas, should_stop=None):
    """``C(θ + α d1 + β d2)`` on the grid ``(len(betas), len(alphas))`` (rows: β).

    The first layer is linear in its weights, so X (W + αD + βE)ᵀ = XWᵀ + α XDᵀ + β XEᵀ:
    three large products once, instead of one per grid point. The remaining small
    layers are evaluated for a whole row of grid points at once. ``should_stop()``
    is asked between rows; returns None when it said stop.
    """
    sizes = network.sizes
    f = np.float32  # half the memory traffic of float64; the cost is summed in float64 below
    W, b = unflatten(sizes, network.params.astype(f))
    D, Db = unflatten(sizes, np.asarray(d1, f))
    E, Eb = unflatten(sizes, np.asarray(d2, f))
    X, Y = np.asarray(X, f), np.asarray(Y, f)
    base, along_d, along_e = X @ W[0].T + b[0], X @ D[0].T + Db[0], X @ E[0].T + Eb[0]
    A = np.asarray(alphas, f)[:, None, None]  # (nα, 1, 1)
    out = np.empty((len(betas), len(alphas)))
    for row, beta in enumerate(betas):
        if should_stop is not None and should_stop():
            return None
        beta = float(beta)  # a Python float keeps float32 arrays float32
        z = base + A * along_d + beta * along_e  # (nα, n, n_1): every α of this row at once
        for l in range(1, len(sizes) - 1):
            a = network.activation.forward(z, out=np.empty_like(z))
            W_l = W[l] + A * D[l] + beta * E[l]  # (nα, n_out, n_in)
            b_l = b[l] + A[:, :, 0] * Db[l] + beta * Eb[l]  # (nα, n_out)
            z = a @ W_l.transpose(0, 2, 1) + b_l[:, None, :]
        out[row] = _costs(network, z, Y)
    return out


def _costs(network, z, Y):
    """The mean cost for each of a stack of output pre-activations ``z`` ``(m, n, k)``."""
    cost = network.cost
    return np.array([cost.value(zi, cost.output(zi, np.empty_like(zi)), Y) for zi in z])
