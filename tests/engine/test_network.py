import numpy as np
import pytest

from digit_descent.engine import Network
from digit_descent.engine.data import one_hot


def _problem(sizes, n=7, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.random((n, sizes[0]))
    labels = rng.integers(0, max(2, sizes[-1]), n) % max(2, sizes[-1])
    Y = one_hot(labels if sizes[-1] > 1 else labels % 2, sizes[-1]).astype(np.float64)
    return X, Y


def _numeric_gradient(net, X, Y, eps=1e-6):
    grad = np.zeros_like(net.params)
    for i in range(net.n_params):
        old = net.params[i]
        net.params[i] = old + eps
        up = net.loss(X, Y)
        net.params[i] = old - eps
        down = net.loss(X, Y)
        net.params[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh"])
@pytest.mark.parametrize("cost", ["mse", "cross-entropy"])
@pytest.mark.parametrize("sizes", [(5, 4, 3, 3), (4, 3), (3, 4, 1)])
def test_gradients_match_central_differences(activation, cost, sizes):
    net = Network(sizes, activation, cost, seed=3, dtype=np.float64, init="normal")
    X, Y = _problem(sizes)
    dW, db = net.gradients(X, Y)
    analytic = np.concatenate([np.concatenate([w.ravel(), b]) for w, b in zip(dW, db)])
    numeric = _numeric_gradient(net, X, Y)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def test_fast_backprop_equals_trace_gradient():
    net = Network((6, 5, 4), "sigmoid", "mse", seed=0, dtype=np.float64)
    X, Y = _problem((6, 5, 4), n=9)
    grad = np.zeros_like(net.params)
    gw, gb = net.unflatten(grad)
    cost = net.backprop(X, Y, gw, gb)
    dW, db = net.gradients(X, Y)
    for a, b in zip(gw + gb, dW + db):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert cost == pytest.approx(net.loss(X, Y))


def test_mse_is_3blue1browns_cost():
    net = Network((3, 2), "sigmoid", "mse", seed=0, dtype=np.float64)
    X = np.array([[1.0, 0.0, 2.0], [0.5, 0.5, 0.5]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    w, b = net.weights[0], net.biases[0]
    a = 1 / (1 + np.exp(-(X @ w.T + b)))
    assert net.loss(X, Y) == pytest.approx(np.mean(np.sum((a - Y) ** 2, axis=1)))


def test_cross_entropy_outputs_are_probabilities():
    net = Network((4, 6, 3), "relu", "cross-entropy", seed=0)
    out = net.forward(np.random.default_rng(0).random((5, 4)))
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-6)
    assert out.dtype == np.float32


def test_trace_exposes_every_layer():
    net = Network((784, 16, 16, 10), seed=0)
    X, Y = _problem((784, 16, 16, 10), n=2)
    t = net.trace(X, Y)
    assert [z.shape for z in t.zs] == [(2, 16), (2, 16), (2, 10)]
    assert [a.shape for a in t.activations] == [(2, 784), (2, 16), (2, 16), (2, 10)]
    assert [d.shape for d in t.deltas] == [(2, 16), (2, 16), (2, 10)]
    np.testing.assert_allclose(t.activations[-1], net.forward(X), rtol=1e-6)


def test_layout_matches_the_lecture():
    net = Network((784, 16, 16, 10))
    assert net.n_params == 13002
    assert net.weights[0].shape == (16, 784) and net.biases[0].shape == (16,)
    assert np.shares_memory(net.weights[0], net.params)
    assert net.weights[0][3].reshape(28, 28).shape == (28, 28)


def test_same_seed_same_weights_different_seed_different():
    a, b, c = Network((10, 5, 2), seed=4), Network((10, 5, 2), seed=4), Network((10, 5, 2), seed=5)
    assert np.array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


def test_initialisations():
    nielsen = Network((784, 30, 10), init="normal", seed=0)
    assert nielsen.weights[0].std() == pytest.approx(1, rel=0.05)
    assert nielsen.biases[0].std() > 0.5
    he = Network((784, 300, 10), activation="relu", seed=0)
    assert he.weights[0].std() == pytest.approx(np.sqrt(2 / 784), rel=0.05)
    assert not he.biases[0].any()


@pytest.mark.parametrize("bad", [dict(sizes=(784,)), dict(sizes=(3, 0, 1)),
                                 dict(sizes=(3, 1), activation="swish"),
                                 dict(sizes=(3, 1), cost="hinge")])
def test_bad_construction_is_a_clear_value_error(bad):
    with pytest.raises(ValueError):
        Network(**bad)


def test_predict_single_output_thresholds():
    net = Network((2, 1), seed=0, dtype=np.float64)
    net.weights[0][...] = [[10.0, 0.0]]
    assert list(net.predict(np.array([[1.0, 0], [-1.0, 0]]))) == [1, 0]


def test_a_network_from_a_parameter_vector_holds_a_copy_of_it():
    params = np.arange(3 * 4 + 4 + 4 * 2 + 2, dtype=np.float64) / 10
    net = Network.from_params((3, 4, 2), params, "relu", "cross-entropy")
    assert net.params.dtype == np.float32 and net.activation_name == "relu"
    np.testing.assert_allclose(net.params, params, rtol=1e-6)
    params[0] = 99.0
    assert net.params[0] == 0.0  # a copy, not a view
    np.testing.assert_allclose(net.weights[1], params[16:24].reshape(2, 4), rtol=1e-6)
    copy = net.copy()
    assert copy.params is not net.params and np.array_equal(copy.params, net.params)
    with pytest.raises(ValueError, match="3-4-2 network has 26 weights and biases"):
        Network.from_params((3, 4, 2), np.zeros(25))
