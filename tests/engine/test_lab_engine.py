"""The 2-D lab's engine: data sets, boundary grid, surgery, the hover card's numbers, the run."""

import numpy as np
import pytest

from digit_descent.engine import Network
from digit_descent.engine.lab import Lab, LabConfig, datasets
from digit_descent.engine.lab.features import check_features, feature_matrix
from digit_descent.engine.lab.grid import boundary
from digit_descent.engine.lab.maths import link_numbers, neuron_numbers
from digit_descent.engine.lab.surgery import Surgery


@pytest.mark.parametrize("kind", datasets.CLASSIFICATION)
def test_data_sets_have_their_shape_balance_and_seed(kind):
    xy, labels = datasets.points(kind, n=300, noise=0.0, classes=3, seed=4)
    k = 3 if kind in datasets.MULTICLASS else 2
    assert xy.shape == (300, 2) and xy.dtype == np.float32 and labels.shape == (300,)
    assert np.bincount(labels, minlength=k).tolist() == [300 // k] * k
    assert np.abs(xy).max() <= datasets.DOMAIN
    again, same = datasets.points(kind, n=300, noise=0.0, classes=3, seed=4)
    assert np.array_equal(again, xy) and np.array_equal(same, labels)
    noisy = datasets.points(kind, n=300, noise=0.2, classes=3, seed=4)[0]  # spirals: noise only
    assert not np.array_equal(datasets.points(kind, n=300, noise=0.2, classes=3, seed=5)[0], noisy)


def test_playground_shapes_without_noise():
    xy, labels = datasets.points("circle", n=400)
    inside = np.hypot(xy[:, 0], xy[:, 1]) < 2.5
    assert np.array_equal(inside, labels == 1)
    xy, labels = datasets.points("xor", n=400)
    assert np.array_equal(xy[:, 0] * xy[:, 1] >= 0, labels == 1)
    assert np.abs(xy).min() >= 0.3  # Playground's padding around the axes
    xy, labels = datasets.points("gauss", n=400)
    assert np.allclose(xy[labels == 1].mean(0), (2, 2), atol=0.2)


def test_noise_mislabels_some_points_and_more_classes_up_to_five():
    xy, labels = datasets.points("circle", n=1000, noise=0.5, seed=1)
    assert not np.array_equal(np.hypot(*xy.T) < 2.5, labels == 1)
    for k in (3, 4, 5):
        assert set(datasets.points("arms", n=100, classes=k)[1]) == set(range(k))
    with pytest.raises(ValueError, match="2 to 5"):
        datasets.points("blobs", classes=6)
    with pytest.raises(ValueError, match="noise"):
        datasets.points("circle", noise=float("nan"))


def test_curves_and_split():
    x, y = datasets.curve("sine", n=200, seed=2)
    assert x.shape == (200, 1) and y.shape == (200,)
    assert np.allclose(y, datasets.curve_value("sine", x[:, 0]), atol=1e-6)
    assert 0 < y.min() and y.max() < 1
    mask = datasets.train_test_split(500, 0.5, seed=3)
    assert mask.sum() == 250 and np.array_equal(mask, datasets.train_test_split(500, 0.5, 3))


def test_features():
    p = np.float32([[1.0, 2.0], [-3.0, 0.5]])
    f = feature_matrix(p, ("x", "y", "x²", "y²", "xy", "sin x", "sin y"))
    assert np.allclose(f[1], [-3, 0.5, 9, 0.25, -1.5, np.sin(-3), np.sin(0.5)])
    with pytest.raises(ValueError, match="no y input"):
        check_features(("x", "xy"), dims=1)


def test_boundary_is_the_networks_forward_pass_over_the_grid():
    net = Network((3, 4, 2, 1), "tanh", "cross-entropy", seed=1)
    b = boundary(net, ("x", "y", "xy"), resolution=7)
    assert b.output.shape == (7, 7, 1) and [h.shape for h in b.hidden] == [(7, 7, 4), (7, 7, 2)]
    i, j = 2, 5  # row i: y = axis[i]; column j: x = axis[j]
    x, y = b.axis[j], b.axis[i]
    direct = net.forward(np.float32([[x, y, x * y]]))[0]
    assert np.allclose(b.output[i, j], direct, atol=1e-6)
    hidden = np.tanh(net.weights[0] @ np.float32([x, y, x * y]) + net.biases[0])
    assert np.allclose(b.hidden[0][i, j], hidden, atol=1e-6)
    curve = boundary(Network((1, 3, 1), "relu", "mse"), ("x",), dims=1, resolution=11)
    assert curve.output.shape == (11, 1) and curve.hidden[0].shape == (11, 3)


def _tiny():
    """2-2-1 sigmoid network with round weights, computed by hand below."""
    net = Network((2, 2, 1), "sigmoid", "mse")
    net.weights[0][...] = [[1, -1], [0.5, 2]]
    net.biases[0][...] = [0, -1]
    net.weights[1][...] = [[2, -3]]
    net.biases[1][...] = [0.5]
    return net


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_typed_weights_and_switched_off_neurons_change_the_output_as_by_hand():
    net, x = _tiny(), np.float32([1.0, 0.5])
    surgery = Surgery(net)
    h = _sigmoid(np.array([1 - 0.5, 0.5 + 1 - 1]))
    assert np.isclose(net.forward(x)[0, 0], _sigmoid(2 * h[0] - 3 * h[1] + 0.5), atol=1e-6)
    surgery.set_weight(1, 0, 1, 4.0)  # the weight from hidden neuron 1 into the output
    assert np.isclose(net.forward(x)[0, 0], _sigmoid(2 * h[0] + 4 * h[1] + 0.5), atol=1e-6)
    surgery.set_bias(2, 0, -1.0)
    assert np.isclose(net.forward(x)[0, 0], _sigmoid(2 * h[0] + 4 * h[1] - 1), atol=1e-6)
    surgery.switch(1, 0, on=False)  # hidden neuron 0 sends nothing on
    assert np.isclose(net.forward(x)[0, 0], _sigmoid(4 * h[1] - 1), atol=1e-6)
    surgery.set_weight(1, 0, 0, 7.0)  # typed while it is off: it counts when it is back on
    assert np.isclose(net.forward(x)[0, 0], _sigmoid(4 * h[1] - 1), atol=1e-6)
    surgery.switch(1, 0, on=True)
    assert np.isclose(net.forward(x)[0, 0], _sigmoid(7 * h[0] + 4 * h[1] - 1), atol=1e-6)
    while surgery.undo():
        pass
    assert np.array_equal(net.params, _tiny().params) and not surgery.off[1].any()


def test_surgery_refuses_bad_values_and_neurons():
    surgery = Surgery(_tiny())
    for bad in (float("nan"), float("inf"), 1e6, "abc"):
        with pytest.raises(ValueError, match="must be a number"):
            surgery.set_weight(0, 0, 0, bad)
    with pytest.raises(ValueError, match="hidden"):
        surgery.switch(2, 0, on=False)
    with pytest.raises(ValueError, match="no neuron"):
        surgery.set_weight(0, 5, 0, 1.0)
    assert not surgery.can_undo


def test_hover_numbers_are_the_maths_with_current_values():
    net = _tiny()
    X = np.float32([[1.0, 0.5], [-1.0, 2.0], [0.3, -0.2]])
    Y = np.float32([[1], [0], [1]])
    n = neuron_numbers(net, X[0], 1, 1, X, Y, lr=0.5)
    assert np.isclose(n.z, 0.5 * 1 + 2 * 0.5 - 1) and np.isclose(n.a, _sigmoid(n.z))
    assert np.isclose(n.z, n.weights @ n.inputs + n.bias)
    link = link_numbers(net, X[0], 2, 0, 1, X, Y, lr=0.5, regularization="L2", rate=0.1)
    eps = 1e-3  # the derivative by finite differences, in float64
    net64 = Network((2, 2, 1), "sigmoid", "mse", dtype=np.float64)
    net64.params[...] = net.params
    net64.weights[1][0, 1] += eps
    up = net64.loss(X, Y)
    net64.weights[1][0, 1] -= 2 * eps
    down = net64.loss(X, Y)
    assert np.isclose(link.dC_dw, (up - down) / (2 * eps), rtol=1e-3)
    assert np.isclose(link.step, -0.5 * (link.dC_dw + 0.1 * -3.0))
    l1 = link_numbers(net, X[0], 2, 0, 1, X, Y, lr=0.5, regularization="L1", rate=0.1)
    assert l1.penalty == -0.1 and np.isclose(l1.step, -0.5 * (link.dC_dw - 0.1))
    assert link_numbers(net, X[0], 2, 0, 1, X, Y, 0.5, "L1", 0.0).regularization == "none"
    assert np.isclose(link.a_in, _sigmoid(0.5))


def test_a_lab_learns_the_circle_and_keeps_a_switched_off_neuron_off():
    lab = Lab(LabConfig(n_points=200, lr=0.3))
    first = lab.snapshot()
    assert first.sizes == (2, 4, 2, 1) and first.is_train.sum() == 100
    for _ in range(40):
        snap = lab.frame()
    assert snap.epoch == 40 and snap.steps == 400
    assert snap.train_accuracy > 0.9 and snap.train_cost < first.train_cost
    lab.surgery.switch(1, 2, on=False)
    lab.frame()
    assert not lab.network.weights[1][:, 2].any() and lab.snapshot().off[1][2]
    assert lab.snapshot().params.flags.writeable is False


def test_points_are_added_removed_and_read_and_settings_keep_the_weights():
    lab = Lab(LabConfig(dataset="blobs", classes=4, n_points=80))
    assert lab.snapshot().sizes == (2, 4, 2, 4)
    before = lab.network.params.copy()
    lab.add_point(1.0, 1.0, 3)
    assert lab.is_train.sum() == 41 and np.array_equal(lab.network.params, before)
    assert lab.remove_point(1.1, 0.9) and len(lab.labels) == 80
    assert not lab.remove_point(5.9, -5.9)
    with pytest.raises(ValueError, match="class 7"):
        lab.add_point(0, 0, 7)
    from dataclasses import replace
    lab.configure(replace(lab.config, lr=0.5, regularization="L2", reg_rate=0.01))
    assert np.array_equal(lab.network.params, before) and lab.trainer.lr == 0.5
    lab.configure(replace(lab.config, hidden=(3,)))
    assert lab.network.sizes == (2, 3, 4)
    lab.use_points(np.float32([[0, 0], [1, 1], [2, 2], [3, 3]]), [0, 1, 2, 1])
    assert lab.snapshot().sizes == (2, 3, 3) and lab.config.dataset == "points"


def test_a_curve_lab_fits_its_curve():
    lab = Lab(LabConfig(dataset="bump", features=("x",), hidden=(8,), lr=1.0, n_points=100))
    first = lab.snapshot()
    for _ in range(60):
        snap = lab.frame()
    assert snap.train_accuracy is None and snap.train_cost < first.train_cost / 2
    assert snap.boundary.output.shape == (100, 1)


@pytest.mark.parametrize("kind, rate", [("L1", 0.1), ("L2", 0.1), ("none", 0.3)])
def test_one_step_moves_each_weight_by_its_gradient_and_regularisation_term(kind, rate):
    """Δw = −η (∂C₀/∂w + λ·sign(w)) for L1, −η (∂C₀/∂w + λw) for L2; Δb = −η ∂C₀/∂b."""
    cfg = LabConfig(n_points=40, lr=0.3, regularization=kind, reg_rate=rate, batch_size=20)
    lab = Lab(cfg)  # 20 training points: one full mini-batch, whatever its order
    net = lab.network
    X, Y = lab.snapshot().inputs("train")
    dW, db = net.gradients(X, Y)
    w0, b0 = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    lab.trainer.step()
    for l, w in enumerate(w0):
        term = {"L1": rate * np.sign(w), "L2": rate * w, "none": 0 * w}[kind]
        assert np.allclose(net.weights[l] - w, -0.3 * (dW[l] + term), atol=1e-6)
        assert np.allclose(net.biases[l] - b0[l], -0.3 * db[l], atol=1e-6)
    assert kind == "none" or not np.allclose(net.weights[0] - w0[0], -0.3 * dW[0], atol=1e-4)


def test_bad_regularisation_settings_are_refused_by_name():
    with pytest.raises(ValueError, match="L1, L2"):
        LabConfig(regularization="L3").checked()
    with pytest.raises(ValueError, match="λ must be from 0 to 1"):
        LabConfig(regularization="L1", reg_rate=float("nan")).checked()


def test_playgrounds_regression_surfaces_without_noise_and_seeded():
    xy, value = datasets.surface("plane", n=300, seed=2)
    assert xy.shape == (300, 2) and value.dtype == np.float32 and np.abs(xy).max() <= 6
    assert np.allclose(value, np.clip((xy[:, 0] + xy[:, 1]) / 10, -1, 1), atol=1e-6)
    assert np.array_equal(datasets.surface("plane", n=300, seed=2)[0], xy)
    # multi-Gaussian: +1 at (−4, 2.5), −1 at (0, 2.5), 0 two units from every centre
    assert datasets.surface_value("multigauss", np.float64([[-4, 2.5], [0, 2.5], [0, 0]])
                                  ).tolist() == [1.0, -1.0, 0.0]
    assert np.isclose(datasets.surface_value("multigauss", np.float64([4.5, -2.5])), -0.75)
    _, noisy = datasets.surface("multigauss", n=300, noise=0.3, seed=2)
    assert np.abs(noisy).max() <= 1 and not np.array_equal(noisy, datasets.surface(
        "multigauss", n=300, seed=2)[1])


def test_a_surface_lab_fits_by_squared_error_with_no_accuracy():
    lab = Lab(LabConfig(dataset="plane", n_points=100, lr=0.3))
    first = lab.snapshot()
    X, Y = first.inputs("train")
    assert first.sizes == (2, 4, 2, 1) and first.cost == "mse" and first.n_classes == 1
    assert np.allclose(Y[:, 0], (first.targets[first.is_train] + 1) / 2)
    for _ in range(30):
        snap = lab.frame()
    assert snap.train_accuracy is None and snap.train_cost < first.train_cost / 3
    assert snap.boundary.output.shape == (100, 100, 1)
    out = snap.network().forward(X)
    assert np.isclose(snap.train_cost, np.mean(np.sum((out - Y) ** 2, axis=1)), rtol=1e-4)
    lab.add_point(3.0, 2.0, 0)  # the surface's own value there
    assert lab.snapshot().targets[-1] == np.float32(0.5)
    assert lab.remove_point(3.0, 2.0) and len(lab.snapshot().targets) == 100
