import numpy as np
import pytest

from digit_descent.engine import Network, load
from digit_descent.engine.inspection import evaluate, top_activating


def test_top_activating_is_strongest_first():
    X = np.eye(5, dtype=np.float32)
    idx, z = top_activating(np.array([0.1, 0.5, -1, 2, 0.3]), 0.0, X, count=3)
    assert list(idx) == [3, 1, 4] and np.all(np.diff(z) <= 0)


@pytest.fixture(scope="module")
def test_subset():
    return load("mnist").test.subset(500)


def test_evaluation_counts_and_confident_first(test_subset):
    net = Network((784, 10), "sigmoid", "cross-entropy", seed=0)
    ev = evaluate(net, test_subset)
    c = ev.confusion()
    assert c.shape == (10, 10) and c.sum() == 500
    assert ev.accuracy == pytest.approx(np.trace(c) / 500)
    np.testing.assert_allclose(ev.probs.sum(axis=1), 1, rtol=1e-5)
    for i, j in [(3, 5), (0, 0)]:
        idx = ev.cell(i, j)
        assert len(idx) == c[i, j]
        assert np.all(ev.actual[idx] == i) and np.all(ev.predicted[idx] == j)
        assert np.all(np.diff(ev.confidence[idx]) <= 0)
    worst = ev.worst_mistakes(20)
    assert np.all(ev.actual[worst] != ev.predicted[worst])
    assert np.all(np.diff(ev.confidence[worst]) <= 0)


def test_evaluation_of_a_one_output_network():
    split = load("xor")
    net = Network((2, 4, 1), seed=0)
    ev = evaluate(net, split.test)
    assert ev.n_classes == 2 and ev.confusion().sum() == 4


def test_top_per_cell_matches_cell(test_subset):
    net = Network((784, 10), "sigmoid", "cross-entropy", seed=3)
    ev = evaluate(net, test_subset)
    top = ev.top_per_cell(3)
    for i in range(10):
        for j in range(10):
            expected = list(ev.cell(i, j, 3))
            assert list(top[i, j][:len(expected)]) == expected
            assert all(v == -1 for v in top[i, j][len(expected):])


@pytest.mark.parametrize("sizes,cost", [((784, 16, 10), "mse"), ((784, 16, 10), "cross-entropy")])
def test_evaluation_cost_is_the_networks_loss(test_subset, sizes, cost):
    net = Network(sizes, "relu", cost, seed=2)
    ev = evaluate(net, test_subset)
    assert ev.cost == pytest.approx(net.loss(test_subset.x, test_subset.targets), rel=1e-4)


def test_descend_is_one_sgd_step_on_one_example():
    net = Network((4, 3, 2), seed=1)
    x, target = np.array([0.2, 0.4, 0.1, 0.9]), np.array([1.0, 0.0])
    before = net.params.copy()
    t = net.trace(x[None], target[None])
    from digit_descent.engine.inspection import descend

    descend(net, x, target, 0.5)
    expected = before.copy()
    for w, b, dw, db in zip(*net.unflatten(expected), t.dW, t.db):
        w -= 0.5 * dw
        b -= 0.5 * db
    np.testing.assert_allclose(net.params, expected, rtol=1e-6)
    assert net.loss(x[None], target[None]) < t.cost
