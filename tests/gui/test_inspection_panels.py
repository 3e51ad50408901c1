import numpy as np
import pytest
from PySide6.QtCore import QPointF

from engine import Network, load
from engine.inspection import evaluate
from engine.snapshot import Snapshot
from gui.panels.confusion import ConfusionPanel
from gui.panels.weights import WeightsPanel


@pytest.fixture(scope="module")
def mnist():
    split = load("mnist")
    return split.test.subset(600)


def snapshot_of(net, dataset, evaluation=None, params=None):
    params = net.params.copy() if params is None else params
    return Snapshot(sizes=net.sizes, activation=net.activation_name, cost=net.cost_name,
                    params=params, initial_params=net.params.copy(), image_shape=dataset.image_shape,
                    class_names=dataset.class_names, test_set=dataset, evaluation=evaluation)


@pytest.mark.parametrize("sizes,tiles,grid", [((784, 16, 16, 10), 16, (4, 4)),
                                              ((784, 30, 10), 30, (5, 6)),
                                              ((784, 100, 10), 100, (10, 10)),
                                              ((784, 10), 10, (3, 4))])
def test_weight_mosaic_for_several_architectures(qtbot, mnist, sizes, tiles, grid):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    net = Network(sizes, seed=1)
    panel.show_snapshot(snapshot_of(net, mnist))
    n, h, w, cols, first, pad = panel._tiles
    assert (n, h, w, cols) == (tiles, 28, 28, grid[1])
    image = panel.image.image
    assert image.shape == (grid[0] * (28 + pad) - pad, grid[1] * (28 + pad) - pad)
    np.testing.assert_allclose(image[:28, :28], net.weights[0][0].reshape(28, 28))
    assert len(panel.labels) == (10 if len(sizes) == 2 else 0)  # digit names on templates
    if len(sizes) == 2:
        assert [l.textItem.toPlainText() for l in panel.labels] == list("0123456789")


def test_deeper_layer_is_a_matrix_and_bars_show_outgoing_weights(qtbot, mnist):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    net = Network((784, 16, 16, 10), seed=2)
    panel.show_snapshot(snapshot_of(net, mnist))
    panel.select(3)
    np.testing.assert_allclose(panel.bars.opts["height"], net.weights[1][:, 3])
    panel.layer.setCurrentIndex(1)
    assert panel.image.image.shape == (16, 16)
    np.testing.assert_allclose(panel.image.image, net.weights[1])


def test_change_since_start(qtbot, mnist):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    net = Network((784, 10), seed=0)
    moved = net.params.copy()
    moved[:784] += 0.5
    panel.show_snapshot(snapshot_of(net, mnist, params=moved))
    panel.mode.setCurrentIndex(1)
    np.testing.assert_allclose(panel.image.image[:28, :28], 0.5)


def test_toy_network_weights_are_plain_matrices(qtbot):
    trask = load("trask").test
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    net = Network((3, 4, 1), seed=0)
    panel.show_snapshot(snapshot_of(net, trask))
    assert panel.image.image.shape == (4, 3)


def test_nan_weights_show_a_message(qtbot, mnist):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    net = Network((784, 16, 10))
    params = net.params.copy()
    params[5] = np.nan
    panel.show_snapshot(snapshot_of(net, mnist, params=params))
    assert "NaN" in panel.message.textItem.toPlainText()


def test_hover_names_the_neuron_under_the_mouse(qtbot, mnist):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    net = Network((784, 16, 10), seed=0)
    panel.show_snapshot(snapshot_of(net, mnist))
    qtbot.wait(50)
    view_point = QPointF(2 * 29 + 10, 1 * 29 + 10)  # tile row 1, col 2 → neuron 6
    scene_point = panel.image_box.mapViewToScene(view_point)
    assert panel.neuron_at(scene_point) == 6


def test_confusion_matrix_counts_and_gallery(qtbot, mnist):
    net = Network((784, 10), "sigmoid", "cross-entropy", seed=0)
    ev = evaluate(net, mnist)
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(snapshot_of(net, mnist, evaluation=ev))
    texts = panel.drawn_texts
    assert f"accuracy {ev.accuracy:.2%}" in texts
    i, j = np.unravel_index(np.argmax(ev.confusion() - np.diag(np.diag(ev.confusion()))), (10, 10))
    dialog = panel.open_cell(int(i), int(j))
    assert dialog.list.count() == ev.confusion()[i, j]
    first = dialog.list.item(0).data(0x0100)
    assert ev.confidence[first] == ev.confidence[ev.cell(i, j)].max()
    worst = panel.show_worst_mistakes()
    assert worst.list.count() == min(100, int((ev.actual != ev.predicted).sum()))


def test_confusion_states_before_evaluation_and_after_divergence(qtbot, mnist):
    net = Network((784, 10))
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(snapshot_of(net, mnist))
    assert "No evaluation yet" in panel.message.textItem.toPlainText()
    params = net.params.copy()
    params[:] = np.nan
    panel.show_snapshot(snapshot_of(net, mnist, params=params))
    assert "NaN" in panel.message.textItem.toPlainText()


def test_training_set_choice_asks_for_an_evaluation(qtbot, mnist):
    net = Network((784, 10))
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(snapshot_of(net, mnist, evaluation=evaluate(net, mnist)))
    with qtbot.waitSignal(panel.evaluateRequested, timeout=500):
        panel.which.setCurrentIndex(1)


def test_nice_ceiling():
    from gui.panels.weights import nice_ceiling

    assert [nice_ceiling(v) for v in (0.9, 1.0, 1.2, 2.5, 4.0, 6.0, 0.031)] == \
        [1.0, 1.0, 1.5, 3.0, 5.0, 7.0, 0.05]
    assert nice_ceiling(0) == 1.0 and nice_ceiling(float("nan")) == 1.0
