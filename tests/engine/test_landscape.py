import numpy as np
import pytest

from digit_descent.engine import Network, load
from digit_descent.engine.landscape import (SURFACES, Ball, filter_normalized_direction, loss_surface,
                              pca_directions, project)


@pytest.mark.parametrize("name", list(SURFACES))
def test_teaching_gradients_match_finite_differences(name):
    s = SURFACES[name]
    rng = np.random.default_rng(0)
    for x, y in rng.uniform(-2.5, 2.5, (20, 2)):
        eps = 1e-6
        gx = (s.cost(x + eps, y) - s.cost(x - eps, y)) / (2 * eps)
        gy = (s.cost(x, y + eps) - s.cost(x, y - eps)) / (2 * eps)
        np.testing.assert_allclose(s.grad(x, y), (gx, gy), rtol=1e-5, atol=1e-7)


def test_ball_trail_follows_minus_the_gradient():
    s = SURFACES["bumpy"]
    ball = Ball(s, (2.0, -1.0), lr=0.05)
    for _ in range(5):
        before = ball.position.copy()
        g = np.array(s.grad(*before))
        ball.step()
        np.testing.assert_allclose(ball.position - before, -0.05 * g)
    costs = [s.cost(*p) for p in ball.trail]
    assert all(b < a for a, b in zip(costs, costs[1:]))


def test_too_large_a_step_escapes_and_stops():
    ball = Ball(SURFACES["bowl"], (1.0, 1.0), lr=2.5)
    for _ in range(50):
        ball.step()
    assert ball.escaped and len(ball.trail) < 50


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_other_optimizers_reach_the_bowls_bottom(optimizer):
    ball = Ball(SURFACES["bowl"], (2.0, -2.0), lr=0.1, optimizer=optimizer)
    for _ in range(400):
        ball.step()
    assert np.linalg.norm(ball.position) < 0.05


@pytest.fixture(scope="module")
def small():
    test = load("mnist").test.subset(300)
    net = Network((784, 16, 16, 10), seed=0)
    return net, test


def test_surface_centre_is_the_networks_cost(small):
    net, data = small
    rng = np.random.default_rng(1)
    d1, d2 = filter_normalized_direction(net, rng), filter_normalized_direction(net, rng)
    alphas = betas = np.linspace(-1, 1, 5)
    surface = loss_surface(net, data.x, data.targets, d1, d2, alphas, betas)
    assert surface.shape == (5, 5)
    assert surface[2, 2] == pytest.approx(net.loss(data.x, data.targets), rel=1e-5)
    # a corner equals the cost of the network moved there
    moved = net.copy()
    moved.params[...] = net.params + (-1) * d1 + 1 * d2
    assert surface[4, 0] == pytest.approx(moved.loss(data.x, data.targets), rel=1e-4)
    assert project(net.params, net.params, d1, d2) == pytest.approx(np.zeros((1, 2)))


def test_filter_normalisation_matches_each_neurons_norm(small):
    net, _ = small
    d = filter_normalized_direction(net, np.random.default_rng(0))
    dw, db = net.unflatten(d)
    np.testing.assert_allclose(np.linalg.norm(dw[0], axis=1), np.linalg.norm(net.weights[0], axis=1),
                               rtol=1e-5)
    assert not db[0].any()


def test_pca_directions_are_orthonormal():
    rng = np.random.default_rng(0)
    path = np.cumsum(rng.normal(size=(30, 50)) * np.linspace(3, 0.1, 50), axis=0)
    d1, d2, explained = pca_directions(path)
    assert abs(d1 @ d2) < 1e-10 and abs(d1 @ d1 - 1) < 1e-10 and abs(d2 @ d2 - 1) < 1e-10
    assert explained[0] >= explained[1] > 0


def test_surface_can_be_cancelled(small):
    net, data = small
    rng = np.random.default_rng(1)
    d1, d2 = filter_normalized_direction(net, rng), filter_normalized_direction(net, rng)
    rows = []

    def stop():
        rows.append(1)
        return len(rows) > 3

    assert loss_surface(net, data.x, data.targets, d1, d2, np.zeros(3), np.zeros(41), stop) is None
    assert len(rows) == 4


def test_minibatch_problem_gradient_and_shifting_surface():
    from digit_descent.engine.landscape import MiniBatchProblem, grid

    problem = MiniBatchProblem(load("mnist").train.subset(3000), batch_size=16, seed=0)
    w, b, eps = 0.7, -0.3, 1e-6
    gw = (problem.cost(w + eps, b) - problem.cost(w - eps, b)) / (2 * eps)
    gb = (problem.cost(w, b + eps) - problem.cost(w, b - eps)) / (2 * eps)
    np.testing.assert_allclose(problem.grad(w, b), (gw, gb), rtol=1e-5)
    first = grid(problem, 21)[2]
    problem.resample()
    assert not np.allclose(first, grid(problem, 21)[2])  # the surface moves with the batch
    ball = Ball(problem, (2.5, 4.0), lr=1.0)
    for _ in range(200):
        problem.resample()
        ball.step()
    assert problem.full_cost(*ball.position) < 0.5 * problem.full_cost(2.5, 4.0)


def _tiny(n=40, seed=0):
    """A tiny 'dataset' of zeros and ones, with other digits that must be ignored."""
    from types import SimpleNamespace

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    x = rng.random((n, 6)).astype(np.float32) * (1 + (labels == 0))[:, None]
    return SimpleNamespace(x=x, labels=labels)


def test_minibatch_grid_equals_a_direct_computation():
    from digit_descent.engine.landscape import MiniBatchProblem

    data = _tiny()
    problem = MiniBatchProblem(data, batch_size=4)
    keep = data.labels <= 1
    ink = data.x[keep].sum(axis=1).astype(np.float64)
    f, y = (ink - ink.mean()) / ink.std(), (data.labels[keep] == 1).astype(np.float64)
    xs, ys, C = problem.full_grid(9)
    assert C.dtype == np.float32 and C.shape == (9, 9)
    direct = np.array([[np.mean(np.log1p(np.exp(w * f + b)) - y * (w * f + b)) for w in xs]
                       for b in ys])
    np.testing.assert_allclose(C, direct, rtol=1e-5)
    batch = problem.batch_grid(9)[2]
    fb, yb = f[problem.batch], y[problem.batch]
    np.testing.assert_allclose(batch[2, 7], np.mean(np.log1p(np.exp(xs[7] * fb + ys[2]))
                                                    - yb * (xs[7] * fb + ys[2])), rtol=1e-5)
    # far out the softplus neither overflows nor loses the cost to cancellation
    assert np.isfinite(problem.full_cost(-1e4, 1e4)) and problem.full_cost(-1e4, 1e4) > 1e3


def test_the_whole_sets_grid_keeps_its_temporaries_bounded():
    import tracemalloc

    from digit_descent.engine.landscape import GRID_BLOCK, MiniBatchProblem

    problem = MiniBatchProblem(_tiny(n=15_000), batch_size=16)
    n = 81  # one pass over the grid would hold 81 × 81 × ~10,000 float32: 260 MB
    tracemalloc.start()
    try:
        problem.full_grid(n)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * GRID_BLOCK * 4  # two blocks of float32 temporaries, and small change


def test_minibatch_problem_refuses_too_few_zeros_and_ones():
    from types import SimpleNamespace

    from digit_descent.engine import DataError
    from digit_descent.engine.landscape import MiniBatchProblem

    data = SimpleNamespace(x=np.ones((5, 4), np.float32), labels=np.array([0, 1, 2, 0, 1]))
    with pytest.raises(DataError, match="4 zeros and ones"):
        MiniBatchProblem(data, batch_size=16)
