import numpy as np
import pytest

from digit_descent.engine import load
from digit_descent.engine.landscape import SURFACES, MiniBatchProblem, Surface, grid
from digit_descent.engine.lessons.experiments import MINIBATCH_LR, MINIBATCH_START
from digit_descent.engine.scene import SETTLED_SLOPE, TeachingScene

TILTED = Surface("tilted", "Tilted plane", (-3, 3, -3, 3),  # falls on to the right, no minimum
                 lambda x, y: -0.5 * x + 0 * y, lambda x, y: (-0.5 + 0 * x, 0 * y))


def test_a_ball_on_the_bowl_at_a_small_eta_settles_at_the_minimum_and_stops():
    scene = TeachingScene(SURFACES["bowl"], lr=0.1)
    ball = scene.drop(2.0, -1.5)
    taken = scene.step(1000)
    assert taken < 1000 and not scene.moving  # it stopped: no step after it settled
    assert np.hypot(*ball.position) < SETTLED_SLOPE  # the bowl's slope is its position
    assert scene.rolling[0].state == "settled" and scene.rolling[0].steps == taken
    assert "Ball 1 settled at a minimum" in scene.status() and "too large" not in scene.status()
    before = ball.position.copy()
    assert scene.step(10) == 0 and np.array_equal(ball.position, before)


def test_a_ball_at_a_large_eta_escapes_and_the_status_blames_eta():
    scene = TeachingScene(SURFACES["bowl"], lr=2.5)
    scene.drop(1.0, 1.0)
    scene.step(50)
    assert scene.rolling[0].state == "escaped" and scene.rolling[0].cause == "overshoot"
    assert "η = 2.5 is too large" in scene.status()


def test_a_ball_rolling_downhill_off_the_plot_is_not_blamed_on_eta():
    scene = TeachingScene(TILTED, lr=0.1)  # slow: 0.05 a step
    scene.drop(0.0, 0.0)
    scene.step(200)
    assert scene.rolling[0].cause == "downhill"
    assert "still going downhill" in scene.status() and "too large" not in scene.status()


def test_a_noisy_walk_off_the_plot_is_not_blamed_on_eta():
    scene = TeachingScene(SURFACES["bowl"], lr=0.1, noise=20.0)  # steps of ~2 at random
    scene.drop(0.5, 0.5)
    scene.step(200)
    assert scene.rolling[0].cause == "noise" and "noise" in scene.status()
    assert "too large" not in scene.status()


def test_a_ball_on_the_saddles_ridge_stops_on_the_saddle_point():
    scene = TeachingScene(SURFACES["saddle"], lr=0.1)
    scene.drop(1.5, 0.0)  # on the ridge y = 0 the slope never turns it aside
    scene.drop(1.5, 0.5)
    scene.step(1000)
    assert [r.cause for r in scene.rolling] == ["saddle", "minimum"]
    assert "Ball 1 stopped on a saddle point" in scene.status()
    assert "Ball 2 settled at a minimum" in scene.status()


def test_a_ball_keeps_its_own_eta_when_the_scenes_changes():
    scene = TeachingScene(SURFACES["bowl"], lr=0.1)
    scene.drop(1.0, 1.0, lr=1.5)
    scene.drop(-1.0, 1.0)
    assert "Each ball has its own learning rate: η = 0.1, η = 1.5" == scene.status()
    scene.set_controls(lr=0.05, optimizer="momentum")
    assert [b.lr for b in scene.balls] == [1.5, 0.05]
    assert all(b.optimizer == "momentum" for b in scene.balls)


def test_a_noisy_scene_replays_the_same_given_the_same_drops():
    trails = []
    for _ in range(2):
        scene = TeachingScene(SURFACES["bumpy"], lr=0.1, noise=0.8)
        scene.drop(2.0, 2.0)
        scene.drop(-2.0, 1.0)
        scene.step(30)
        trails.append([np.array(b.trail) for b in scene.balls])
    for a, b in zip(*trails):
        np.testing.assert_array_equal(a, b)


def test_one_input_balls_stay_on_the_curve():
    scene = TeachingScene(SURFACES["curve"], lr=0.1)
    ball = scene.drop(2.5, 0.7)
    scene.step(500)
    assert ball.position[1] == 0.0 and scene.rolling[0].cause == "minimum"


@pytest.fixture(scope="module")
def zeros_and_ones():
    return load("mnist").train.subset(20000)


def test_the_minibatch_lessons_ball_settles_inside_the_plot(zeros_and_ones):
    """The lesson's ball drifted out of the plot (the whole set's minimum, w ≈ −5.5, sat
    0.5 from the edge) while the status said "η = 1 is too large"."""
    problem = MiniBatchProblem(zeros_and_ones, seed=0)
    xs, ys, C = problem.full_grid(41)
    i, j = np.unravel_index(np.argmin(C), C.shape)
    assert 3 <= i <= 37 and 3 <= j <= 37  # the minimum lies well inside the plot
    for lr in (MINIBATCH_LR, 0.1):
        scene = TeachingScene(MiniBatchProblem(zeros_and_ones, seed=0), lr=lr)
        scene.drop(*MINIBATCH_START)
        scene.step(3000)
        assert scene.rolling[0].state == "settled", scene.status()
        assert "settled at a minimum of the whole set" in scene.status()
        assert np.hypot(*problem.full_grad(*scene.balls[0].position)) < SETTLED_SLOPE


def test_the_minibatch_surface_shifts_at_every_step_even_without_balls(zeros_and_ones):
    problem = MiniBatchProblem(zeros_and_ones, seed=0)
    scene = TeachingScene(problem)
    first = problem.batch_grid(21)[2]
    assert scene.step(1) == 1
    assert not np.allclose(first, problem.batch_grid(21)[2])


def test_grid_blocks_match_one_pass_and_can_be_stopped(zeros_and_ones, monkeypatch):
    from digit_descent.engine import landscape

    problem = MiniBatchProblem(zeros_and_ones.subset(3000))
    whole = problem.full_grid(13)[2]
    monkeypatch.setattr(landscape, "GRID_BLOCK", 13 * problem.n_samples * 2)  # 2 rows a block
    asked = []
    np.testing.assert_array_equal(problem.full_grid(13, lambda: asked.append(1))[2], whole)
    assert len(asked) == 7
    assert problem.full_grid(13, lambda: len(asked) > 8 or bool(asked.append(1))) is None
    assert grid(SURFACES["bowl"], 5)[2].dtype == np.float32
