"""A fully connected feed-forward network, vectorised over mini-batches.

All weights and biases live in one flat float array, ``params``; ``weights[l]``
(shape ``(n_out, n_in)``) and ``biases[l]`` (shape ``(n_out,)``) are views into
it. One flat array makes an optimizer step, a snapshot copy or a direction in
weight space a single NumPy operation.
"""

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .costs import COSTS
from .files import MAX_PARAMS

INITS = ("scaled", "normal")


@dataclass(frozen=True)
class Trace:
    """Everything one forward/backward pass computed (copies, safe to keep).

    zs[l], activations[l + 1], deltas[l]: ``(n, sizes[l + 1])``;
    activations[0] is the input ``(n, sizes[0])``.
    dW[l]: ``(n_out, n_in)``, db[l]: ``(n_out,)``; ``cost`` is the mean cost.
    """

    zs: list
    activations: list
    deltas: list
    dW: list
    db: list
    cost: float


class _Workspace:
    """Preallocated per-layer buffers for one batch size."""

    def __init__(self, n, sizes, dtype):
        outs = sizes[1:]
        self.z = [np.empty((n, k), dtype) for k in outs]
        self.a = [None] + [np.empty((n, k), dtype) for k in outs]
        self.delta = [np.empty((n, k), dtype) for k in outs]
        self.tmp = [np.empty((n, k), dtype) for k in outs]


class Network:
    """Fully connected network ``sizes[0] → … → sizes[-1]``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first; ``[784, 10]`` has no hidden layer.
    activation : {"sigmoid", "relu", "tanh"}
        Hidden-layer activation.
    cost : {"mse", "cross-entropy"}
        ``mse``: sigmoid outputs, mean over samples of Σ_j (a_j − y_j)².
        ``cross-entropy``: softmax outputs, mean negative log-likelihood.
    seed : int
        Seed of the initial weights.
    init : {"scaled", "normal"}
        ``normal`` is Nielsen's N(0, 1) for weights and biases; ``scaled`` is
        N(0, 1/n_in) (Xavier) or N(0, 2/n_in) for ReLU (He), zero biases.
    """

    def __init__(self, sizes, activation="sigmoid", cost="mse", seed=0,
                 dtype=np.float32, init="scaled"):
        sizes = tuple(int(s) for s in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"a network needs at least two layers of width ≥ 1, got {sizes}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
        if cost not in COSTS:
            raise ValueError(f"unknown cost {cost!r}; choose from {sorted(COSTS)}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose from {INITS}")
        n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes, sizes[1:]))
        if n_params > MAX_PARAMS:
            raise ValueError(f"a {'-'.join(map(str, sizes))[:80]} network has {n_params:,} "
                             f"weights and biases; the limit is {MAX_PARAMS:,}")
        self.sizes = sizes
        self.activation_name, self.cost_name, self.init = activation, cost, init
        self.activation, self.cost = ACTIVATIONS[activation], COSTS[cost]
        self.dtype = np.dtype(dtype)
        self.seed = seed
        self.metadata = {}
        self.params = np.zeros(self.n_params, self.dtype)
        self.weights, self.biases = self.unflatten(self.params)
        self._workspaces = {}
        self.reset(seed)

    # ----------------------------------------------------------------- layout
    @property
    def n_params(self):
        return sum(n_out * (n_in + 1) for n_in, n_out in zip(self.sizes, self.sizes[1:]))

    @property
    def n_layers(self):
        """Number of weight layers (``len(sizes) − 1``)."""
        return len(self.sizes) - 1

    def unflatten(self, flat):
        """Views ``(weights, biases)`` into a flat parameter-shaped array."""
        return unflatten(self.sizes, flat)

    def weight_mask(self):
        """Flat array: 1 where ``params`` holds a weight, 0 where a bias."""
        mask = np.zeros(self.n_params, self.dtype)
        for w in self.unflatten(mask)[0]:
            w[...] = 1
        return mask

    def reset(self, seed=None):
        """New random weights from ``seed`` (default: the network's seed)."""
        self.seed = self.seed if seed is None else seed
        rng = np.random.default_rng(self.seed)
        for w, b in zip(self.weights, self.biases):
            n_in = w.shape[1]
            if self.init == "normal":
                w[...] = rng.standard_normal(w.shape)
                b[...] = rng.standard_normal(b.shape)
            else:
                gain = 2.0 if self.activation_name == "relu" else 1.0
                w[...] = rng.standard_normal(w.shape) * np.sqrt(gain / n_in)
                b[...] = 0

    def config(self):
        """The constructor arguments, JSON-friendly."""
        return {"sizes": list(self.sizes), "activation": self.activation_name,
                "cost": self.cost_name, "init": self.init, "seed": self.seed,
                "dtype": self.dtype.name}

    @classmethod
    def from_params(cls, sizes, params, activation="sigmoid", cost="mse", **kwargs):
        """A network of layer widths ``sizes`` holding ``params``, a flat parameter vector
        ``(n_params,)`` laid out as :attr:`params` (copied, in the network's dtype): a
        snapshot's, a rewound step's or a file's weights. ``kwargs``: as the constructor's.

        Raises ValueError when ``params`` does not fit ``sizes`` (or as the constructor).
        """
        net = cls(sizes, activation, cost, **kwargs)
        params = np.asarray(params)
        if params.shape != (net.n_params,):
            raise ValueError(f"a {'-'.join(map(str, net.sizes))} network has {net.n_params:,} "
                             f"weights and biases, not an array of shape {params.shape}")
        net.params[...] = params
        return net

    def copy(self):
        return Network.from_params(self.sizes, self.params, self.activation_name, self.cost_name,
                                   seed=self.seed, init=self.init, dtype=self.dtype)

    # ------------------------------------------------------------- core pass
    def _workspace(self, n):
        ws = self._workspaces.get(n)
        if ws is None:
            if len(self._workspaces) >= 4:
                self._workspaces.clear()
            ws = self._workspaces[n] = _Workspace(n, self.sizes, self.dtype)
        return ws

    def _forward(self, X, ws):
        """Forward pass into the workspace; returns the output activations."""
        ws.a[0] = X
        last = self.n_layers - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = np.matmul(ws.a[l], w.T, out=ws.z[l])
            z += b
            if l < last:
                self.activation.forward(z, out=ws.a[l + 1])
            else:
                self.cost.output(z, out=ws.a[l + 1])
        return ws.a[-1]

    def _backward(self, Y, ws, grad_w, grad_b):
        """Backpropagation from a workspace filled by ``_forward``.

        Writes ∂C/∂W and ∂C/∂b into ``grad_w``/``grad_b``; returns the cost.
        """
        L = self.n_layers
        cost = self.cost.value_and_delta(ws.z[-1], ws.a[-1], Y, ws.delta[-1], ws.tmp[-1])
        for l in range(L - 1, -1, -1):
            delta = ws.delta[l]
            np.matmul(delta.T, ws.a[l], out=grad_w[l])
            np.add.reduce(delta, axis=0, out=grad_b[l])
            if l:
                np.matmul(delta, self.weights[l], out=ws.delta[l - 1])
                self.activation.backward(ws.delta[l - 1], ws.a[l], ws.tmp[l - 1])
        return cost

    def backprop(self, X, Y, grad_w, grad_b):
        """Fast path for training: the batch gradient into preallocated views.

        ``X``: ``(n, sizes[0])``, ``Y``: ``(n, sizes[-1])``, both of the
        network's dtype and C-contiguous; ``grad_w, grad_b = unflatten(grad)``
        for a flat ``grad`` like ``params``. Returns the batch cost.
        """
        ws = self._workspace(X.shape[0])
        self._forward(X, ws)
        return self._backward(Y, ws, grad_w, grad_b)

    # ------------------------------------------------------------ public API
    def _as_input(self, X):
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"expected inputs of shape (n, {self.sizes[0]}), got {X.shape}")
        return np.ascontiguousarray(X)

    def forward(self, X, chunk=8192):
        """Output activations ``(n, sizes[-1])`` for inputs ``X`` ``(n, sizes[0])``."""
        X = self._as_input(X)
        out = np.empty((X.shape[0], self.sizes[-1]), self.dtype)
        for start in range(0, X.shape[0], chunk):
            part = X[start:start + chunk]
            out[start:start + chunk] = self._forward(part, self._workspace(part.shape[0]))
        return out

    def predict(self, X):
        """Predicted labels ``(n,)``: argmax, or output > 0.5 with one output."""
        return labels_from_outputs(self.forward(X))

    def loss(self, X, Y):
        """Mean cost over the batch; ``Y`` one-hot ``(n, sizes[-1])``."""
        X = self._as_input(X)
        ws = self._workspace(X.shape[0])
        a = self._forward(X, ws)
        return self.cost.value(ws.z[-1], a, np.asarray(Y, self.dtype))

    def trace(self, X, Y):
        """One forward/backward pass with every layer's z, activation and delta."""
        X = self._as_input(X)
        Y = np.asarray(Y, self.dtype).reshape(X.shape[0], self.sizes[-1])
        ws = _Workspace(X.shape[0], self.sizes, self.dtype)
        self._forward(X, ws)
        zs = [z.copy() for z in ws.z]
        grad = np.zeros_like(self.params)
        dW, db = self.unflatten(grad)
        cost = self._backward(Y, ws, dW, db)
        activations = [X.copy()] + ws.a[1:]
        return Trace(zs=zs, activations=activations, deltas=ws.delta, dW=dW, db=db, cost=cost)

    def gradients(self, X, Y):
        """``(dW_list, db_list)``: the exact gradient of ``loss(X, Y)``."""
        t = self.trace(X, Y)
        return t.dW, t.db

    def outputs_and_cost(self, X, Y, chunk=8192):
        """``(outputs (n, sizes[-1]), mean cost)`` over a whole data set, in chunks."""
        X = self._as_input(X)
        n = X.shape[0]
        out = np.empty((n, self.sizes[-1]), self.dtype)
        total = 0.0
        for start in range(0, n, chunk):
            part = X[start:start + chunk]
            ws = self._workspace(part.shape[0])
            out[start:start + chunk] = self._forward(part, ws)
            y = np.asarray(Y[start:start + chunk], self.dtype)
            total += self.cost.value(ws.z[-1], ws.a[-1], y) * part.shape[0]
        return out, (total / n if n else float("nan"))


def unflatten(sizes, flat):
    """Views ``(weights, biases)`` of a flat parameter array for layer ``sizes``."""
    weights, biases, offset = [], [], 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        weights.append(flat[offset:offset + n_out * n_in].reshape(n_out, n_in))
        offset += n_out * n_in
        biases.append(flat[offset:offset + n_out])
        offset += n_out
    return weights, biases


def labels_from_outputs(a):
    """Class labels from output activations ``(n, k)``."""
    if a.shape[1] == 1:
        return (a[:, 0] > 0.5).astype(np.int64)
    return np.argmax(a, axis=1)
