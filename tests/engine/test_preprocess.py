import numpy as np
import pytest

from digit_descent.engine import Network
from digit_descent.engine.inspection import input_gradient
from digit_descent.engine.preprocess import augment, resize_area, to_mnist, to_mnist_steps


def _stroke(h=280, w=280, top=40, left=60, size=150, thickness=18):
    """A '7'-like drawing: a bar and a diagonal."""
    canvas = np.zeros((h, w))
    canvas[top:top + thickness, left:left + size] = 1
    for i in range(size):
        r, c = top + i, left + size - i // 2
        canvas[r:r + thickness, c - thickness:c] = 1
    return canvas


def test_shape_range_and_centre_of_mass():
    out = to_mnist(_stroke())
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert 0 <= out.min() and out.max() <= 1
    yy, xx = np.mgrid[0:28, 0:28]
    assert abs((yy * out).sum() / out.sum() - 13.5) < 0.3
    assert abs((xx * out).sum() / out.sum() - 13.5) < 0.3
    ink = np.argwhere(out > 0.05)
    assert max(np.ptp(ink[:, 0]), np.ptp(ink[:, 1])) <= 21  # fits the 20×20 box


def test_invariant_to_shifting_and_scaling_the_drawing():
    base = to_mnist(_stroke())
    shifted = to_mnist(_stroke(top=100, left=10))
    small = to_mnist(_stroke(size=75, thickness=9, top=10, left=10))
    assert np.abs(base - shifted).mean() < 0.01
    assert np.abs(base - small).mean() < 0.05


def test_steps_show_each_stage_of_the_preparation():
    canvas = _stroke(top=100, left=10)
    steps = to_mnist_steps(canvas)
    assert np.array_equal(steps.result, to_mnist(canvas))
    rows, cols = np.flatnonzero(canvas.any(axis=1)), np.flatnonzero(canvas.any(axis=0))
    assert steps.crop.shape == (np.ptp(rows) + 1, np.ptp(cols) + 1)  # cropped to the ink
    assert max(steps.box.shape) == 20 and steps.placed.shape == (28, 28)
    yy, xx = np.mgrid[0:28, 0:28]
    mass = steps.placed.sum()
    assert steps.mass_centre == pytest.approx(((yy * steps.placed).sum() / mass,
                                               (xx * steps.placed).sum() / mass), abs=1e-3)
    assert not to_mnist_steps(np.zeros((5, 5))).crop.size


def test_empty_and_all_ink_canvases():
    assert not to_mnist(np.zeros((280, 280))).any()
    full = to_mnist(np.ones((100, 50)))
    assert full.max() == pytest.approx(1.0, abs=1e-6) and np.isfinite(full).all()
    assert not to_mnist(np.full((10, 10), np.nan)).any()


def test_area_resize_preserves_the_mean():
    rng = np.random.default_rng(0)
    image = rng.random((97, 53))
    assert resize_area(image, 20, 11).mean() == pytest.approx(image.mean(), rel=1e-9)


def test_augment_keeps_shape_range_and_changes_images():
    rng = np.random.default_rng(0)
    x = np.zeros((8, 784), np.float32)
    x[:, 300:320] = 1
    out = augment(x, rng)
    assert out.shape == x.shape and out.dtype == np.float32
    assert 0 <= out.min() and out.max() <= 1
    assert not np.allclose(out, x) and out.sum() > 0


@pytest.mark.parametrize("cost", ["mse", "cross-entropy"])
def test_input_gradient_matches_finite_differences(cost):
    net = Network((6, 5, 4), "tanh", cost, seed=1, dtype=np.float64)
    x = np.random.default_rng(2).random(6)
    grad = input_gradient(net, x, 2)
    eps = 1e-6
    numeric = [(net.forward(x + eps * e)[0, 2] - net.forward(x - eps * e)[0, 2]) / (2 * eps)
               for e in np.eye(6)]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-9)
