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
    ball = Ball(problem, (4.0, 4.0), lr=1.0)
    for _ in range(200):
        problem.resample()
        ball.step()
    assert problem.full_cost(*ball.position) < 0.5 * problem.full_cost(4.0, 4.0)
