import numpy as np
import pytest

from digit_descent.engine.optimizers import make_optimizer


def _quadratic_descent(name, steps=300, **kw):
    """Minimise ½ Σ c_i x_i² from x = 1; return the final x."""
    c = np.array([1.0, 10.0], np.float32)
    x = np.ones(2, np.float32)
    opt = make_optimizer(name, x, **kw)
    for _ in range(steps):
        opt.step(x, c * x)
    return x


@pytest.mark.parametrize("name,lr", [("sgd", 0.05), ("momentum", 0.02), ("adam", 0.05)])
def test_optimizers_reach_the_minimum(name, lr):
    assert np.abs(_quadratic_descent(name, lr=lr)).max() < 1e-2


def test_sgd_is_the_lectures_rule():
    x = np.array([1.0, 2.0])
    make_optimizer("sgd", x, lr=0.5).step(x, np.array([2.0, -2.0]))
    np.testing.assert_allclose(x, [0.0, 3.0])


def test_weight_decay_spares_biases():
    x = np.array([1.0, 1.0])
    opt = make_optimizer("sgd", x, lr=0.1, weight_decay=1.0, mask=np.array([1.0, 0.0]))
    opt.step(x, np.zeros(2))
    np.testing.assert_allclose(x, [0.9, 1.0])


def test_optimizer_keeps_float32():
    x = np.ones(3, np.float32)
    opt = make_optimizer("adam", x, lr=0.1)
    opt.step(x, np.ones(3, np.float32))
    assert x.dtype == np.float32 and opt.m.dtype == np.float32


def test_unknown_optimizer():
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("lbfgs", np.ones(2), lr=1)
