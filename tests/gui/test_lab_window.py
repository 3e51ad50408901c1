"""The 2-D lab's window: live training, points by mouse and file, surgery, hover card."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from digit_descent.engine import Network
from digit_descent.engine.lab import LabConfig
from digit_descent.engine.lab.features import feature_matrix
from digit_descent.engine.lab.maths import neuron_numbers
from digit_descent.gui.lab.window import LabWindow


@pytest.fixture
def lab(qtbot):
    window = LabWindow(LabConfig(n_points=100))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: window.runner.snapshot is not None, timeout=10000)
    yield window
    window.close()


def _after(window, qtbot, condition):
    qtbot.waitUntil(lambda: window.runner.snapshot is not None and condition(window.runner.snapshot),
                    timeout=10000)
    return window.runner.snapshot


def test_training_runs_live_and_pauses(lab, qtbot):
    lab.toggle_training()
    snap = _after(lab, qtbot, lambda s: s.epoch >= 5)
    qtbot.waitUntil(lambda: lab.controls.train_button.text() == "Pause")
    lab.toggle_training()
    qtbot.waitUntil(lambda: not lab.runner.running, timeout=5000)
    paused = lab.runner.snapshot.epoch
    assert paused >= snap.epoch
    lab.controls.step_button.click()
    _after(lab, qtbot, lambda s: s.epoch == paused + 1)
    b = lab.runner.snapshot.boundary
    assert b.output.shape == (100, 100, 1)  # and the panel drew it
    assert lab.boundary.image.image.shape == (100, 100, 3)


def test_a_click_adds_a_point_of_the_chosen_class_and_a_right_click_removes_it(lab, qtbot):
    # the class buttons come with the panel's first drawing of the data, a frame after the run
    qtbot.waitUntil(lambda: lab.boundary.class_group.button(1) is not None)
    # and the plane in view: the click is placed from the view's range
    vb = lab.boundary.plot.vb
    qtbot.waitUntil(lambda: all(lo <= -5.9 and hi >= 5.9 for lo, hi in vb.viewRange()))
    n = len(lab.runner.snapshot.labels)
    lab.boundary.class_group.button(1).setChecked(True)
    view = lab.boundary.view
    scene = lab.boundary.plot.vb.mapViewToScene(QPointF(5.5, -5.5))
    where = view.mapFromScene(scene)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=where)
    snap = _after(lab, qtbot, lambda s: len(s.labels) == n + 1)
    assert snap.labels[-1] == 1 and snap.is_train[-1]
    assert np.allclose(snap.points[-1], (5.5, -5.5), atol=0.1)
    # placed again from the view as it is now: a status line or the class row may have moved it
    where = view.mapFromScene(lab.boundary.plot.vb.mapViewToScene(QPointF(5.5, -5.5)))
    qtbot.mouseClick(view.viewport(), Qt.RightButton, pos=where)
    _after(lab, qtbot, lambda s: len(s.labels) == n)


def test_the_plane_stays_put_when_the_status_grows_a_line(lab, qtbot):
    status, view = lab.boundary.status, lab.boundary.view
    status.setText("epoch 1")
    QApplication.processEvents()  # the posted layout request
    before = view.height()
    status.setText("epoch 12,345   cost: train 0.123, test 0.456\naccuracy: train 99%, test 98%")
    assert status.heightForWidth(status.width()) < 2.5 * status.fontMetrics().lineSpacing()
    QApplication.processEvents()
    assert view.height() == before


def test_a_new_number_of_classes_leaves_one_row_of_class_buttons(lab, qtbot):
    """The old row's labels were taken out of the layout but stayed drawn under the new one."""
    from PySide6.QtWidgets import QLabel

    def shown(text):
        return [w for w in lab.boundary.findChildren(QLabel) if w.isVisible() and w.text() == text]

    qtbot.waitUntil(lambda: len(shown("right-click removes")) == 1)
    lab.controls.dataset.setCurrentIndex(lab.controls.dataset.findData("blobs"))
    lab.controls.classes.setValue(5)
    qtbot.waitUntil(lambda: lab.boundary.class_group.button(4) is not None)
    qtbot.waitUntil(lambda: len(shown("right-click removes")) == 1
                    and len(shown("Click adds:")) == 1)


def test_with_no_test_points_the_status_says_so(qtbot):
    from digit_descent.gui.lab.boundary import _status

    window = LabWindow(LabConfig(n_points=100))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.runner.snapshot is not None, timeout=10000)
    snap = window.runner.snapshot
    everything = replace(snap, is_train=np.ones_like(snap.is_train), test_cost=float("nan"),
                         test_accuracy=None)
    text = _status(everything)
    assert "no test points" in text and "nan" not in text and "accuracy: train" in text
    window.close()


def test_a_rate_between_the_boxs_steps_is_shown_and_kept(qtbot):
    """``lab --rate 0.5``: the λ box showed 0.3, and any other change then trained with 0.3."""
    window = LabWindow(LabConfig(n_points=100, regularization="L2", reg_rate=0.5))
    qtbot.addWidget(window)
    controls = window.controls
    assert controls.reg_rate.currentText() == "0.5"
    controls.activation.setCurrentText("relu")
    _after(window, qtbot, lambda s: s.config.activation == "relu")
    assert window.runner.snapshot.config.reg_rate == 0.5
    window.close()


def test_a_bad_hidden_entry_keeps_the_last_good_one_and_other_changes_count(lab, qtbot):
    """After 'abc' in Hidden layers every later change was ignored, the Data box showing a
    data set that was not the one trained."""
    controls = lab.controls
    controls.hidden.setText("abc")
    controls.hidden.editingFinished.emit()
    assert "whole numbers like 4-2" in controls.message.text()
    assert controls.hidden.text() == "4-2"  # the entry goes back to what is trained
    controls.dataset.setCurrentIndex(controls.dataset.findData("xor"))
    snap = _after(lab, qtbot, lambda s: s.config.dataset == "xor")
    assert snap.config.hidden == (4, 2) and controls.message.text() == ""


def test_typed_weight_switched_off_neuron_and_undo_change_the_output_at_once(lab, qtbot):
    view = lab.network.view
    qtbot.waitUntil(lambda: view.weights is not None)
    view.edit(("link", (1, 0, 2)), 0.0)  # the weight from hidden-1 neuron 2 to hidden-2 neuron 0
    view.editor.setText("2.5")
    qtbot.keyClick(view.editor, Qt.Key_Return)
    snap = _after(lab, qtbot, lambda s: s.can_undo)
    net = snap.network()
    assert net.weights[1][0, 2] == 2.5
    i, j = 10, 80
    x = feature_matrix(np.float32([[snap.boundary.axis[j], snap.boundary.axis[i]]]), ("x", "y"))
    assert np.allclose(snap.boundary.output[i, j], net.forward(x)[0], atol=1e-6)
    view.neuronSwitched.emit(1, 2, False)  # as a right-click on the neuron does
    snap = _after(lab, qtbot, lambda s: s.off[1][2])
    assert not snap.network().weights[1][:, 2].any()
    h1 = np.tanh(net.weights[0] @ x[0] + net.biases[0])
    h1[2] = 0  # switched off: sends nothing on
    h2 = np.tanh(net.weights[1] @ h1 + net.biases[1])
    by_hand = 1 / (1 + np.exp(-(net.weights[2] @ h2 + net.biases[2])))
    assert np.allclose(snap.boundary.output[i, j], by_hand, atol=1e-5)
    qtbot.keyClick(lab, Qt.Key_Z, Qt.ControlModifier)
    qtbot.keyClick(lab, Qt.Key_Z, Qt.ControlModifier)
    snap = _after(lab, qtbot, lambda s: not s.can_undo)
    assert not snap.off[1][2] and snap.network().weights[1][0, 2] != 2.5


def test_the_hover_card_shows_the_numbers_in_the_maths(lab, qtbot):
    view = lab.network.view
    qtbot.waitUntil(lambda: view.weights is not None)
    lab.network.set_probe(1.0, -2.0)
    view.hover(("neuron", (1, 3)))
    card = view.hover_label.text()
    snap = lab.runner.snapshot
    X, Y = snap.inputs("train")
    numbers = neuron_numbers(snap.network(), np.float32([1.0, -2.0]), 1, 3, X, Y, 0.03)
    assert view.hover_label.isVisible()
    assert "z = Σ wᵢaᵢ + b" in card and "tanh(z)" in card and "(1.00, −2.00)" in card
    assert f"{numbers.a:.3g}".replace("-", "−") in card
    view.hover(("link", (0, 1, 0)))
    assert "∂C/∂w" in view.hover_label.text() and "−η" in view.hover_label.text()
    view.hover(None)
    assert not view.hover_label.isVisible()


def test_choosing_l1_puts_its_term_in_the_training_and_the_hover_card(lab, qtbot):
    view = lab.network.view
    qtbot.waitUntil(lambda: view.weights is not None)
    lab.controls.regularization.setCurrentText("L1")
    lab.controls.reg_rate.setCurrentText("0.01")
    qtbot.waitUntil(lambda: lab.network.snapshot.config.l1 == 0.01)  # the panel's snapshot
    snap = lab.network.snapshot
    assert lab.controls.reg_rate.isEnabled()
    view.hover(("link", (0, 1, 0)))
    card = view.hover_label.text()
    w = snap.network().weights[0][1, 0]
    assert "λ·sign(w)" in card and "(L1)" in card and "λw" not in card
    assert ("0.01" if w > 0 else "(−0.01)") in card
    lab.controls.regularization.setCurrentText("L2")
    qtbot.waitUntil(lambda: lab.network.snapshot.config.l2 == 0.01)
    view.hover(("link", (0, 1, 0)))
    assert "λw" in view.hover_label.text() and "(L2)" in view.hover_label.text()


def test_a_surface_shows_its_output_and_its_points_in_the_sign_colours(qtbot):
    from digit_descent.gui.lab.colours import lightened_signed, signed

    window = LabWindow(LabConfig(dataset="plane", n_points=100))
    qtbot.addWidget(window)
    window.show()
    panel = window.boundary
    qtbot.waitUntil(lambda: panel.snapshot is not None and panel.image.image is not None,
                    timeout=10000)
    snap = panel.snapshot
    assert panel.image.isVisible() and not panel.output_curve.isVisible()
    assert "accuracy" not in panel.status.text() and "cost" in panel.status.text()
    qtbot.waitUntil(lambda: window.network.view._shape is not None)  # drawn in its turn
    assert window.network.view._shape[3] == ("value",)  # the output neuron's name
    a = panel.snapshot.boundary.output[..., 0]  # the output a: (a − ½)·2 in the sign colours
    assert np.array_equal(panel.image.image, lightened_signed(a - 0.5, 0.5))
    assert lightened_signed(np.float32([-0.5, 0, 0.5]), 0.5)[1].tolist() == [245] * 3
    brushes = panel.train_dots.data["brush"]
    targets = snap.targets[snap.is_train]
    i = int(np.argmax(targets))
    assert brushes[i].color().getRgb()[:3] == tuple(int(c) for c in signed(targets[i:i + 1], 1)[0])
    # its values have no place in a file of classes: saving them is not offered
    save = window.controls.save_button
    assert not save.isEnabled() and "classes" in save.toolTip()
    window.close()


def test_points_read_from_a_file_and_a_bad_file_refused_in_one_line(lab, qtbot, tmp_path):
    good = tmp_path / "mine.csv"
    good.write_text("x,y,label\n" + "\n".join(f"{i % 5 - 2},{i % 3},{i % 3}" for i in range(30)))
    assert lab.read_points_file(good)
    snap = _after(lab, qtbot, lambda s: s.config.dataset == "points")
    assert len(snap.labels) == 30 and snap.sizes[-1] == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,0\n1,2\n")
    assert not lab.read_points_file(bad)
    message = lab.controls.message.text()
    assert "bad.csv, line 2" in message and "\n" not in message
    assert lab.controls.save_button.isEnabled()  # classes: what is saved reads back


def test_a_curve_shows_its_output_and_each_neurons_share(qtbot):
    window = LabWindow(LabConfig(dataset="sine", features=("x",), hidden=(5,), n_points=60))
    qtbot.addWidget(window)
    window.show()
    snap = _after(window, qtbot, lambda s: True)
    assert snap.boundary.output.shape == (100, 1)
    qtbot.waitUntil(lambda: len(window.boundary.part_curves) == 5)
    x, y = window.boundary.output_curve.getData()
    assert np.allclose(y, snap.boundary.output[:, 0])
    window.close()


def test_the_node_link_panel_draws_an_image_network_with_its_hover_card(qtbot):
    from digit_descent.gui.panels.nodelink import NodeLinkPanel

    panel = NodeLinkPanel()
    qtbot.addWidget(panel)
    panel.show()
    net = Network((784, 16, 16, 10), seed=0)
    rng = np.random.default_rng(0)
    X = rng.random((20, 784), dtype=np.float32)
    Y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 20)]
    panel.show_network(net, (X[:1], X, Y), 1.0, (28, 28), list("0123456789"))
    v = panel.view
    assert v.nodes[1, 0].image.shape == (28, 28, 3)
    assert (v.first, len(v.nodes)) == (1, 42)
    assert v._shown_links[1].sum(axis=1).tolist() == [4] * 16  # wide: the strongest only
    v.hover(("neuron", (1, 0)))
    assert "778 more terms" in v.hover_label.text()
    panel.show_network(Network((784, 100, 10)))
    assert "too wide" in panel.note.text() and not v.isVisible()


def test_the_hover_card_follows_training_live(lab, qtbot):
    view = lab.network.view
    qtbot.waitUntil(lambda: view.weights is not None)
    view.hover(("link", (0, 1, 0)))
    first = view.hover_label.text()
    lab.toggle_training()
    qtbot.waitUntil(lambda: view.hover_label.text() != first, timeout=10000)
    assert "∂C/∂w" in view.hover_label.text()
    lab.toggle_training()


def test_the_main_window_opens_the_lab_and_about_credits_the_lessons_sources(make_window,
                                                                             qtbot):
    from digit_descent.engine.lessons import sources
    from digit_descent.gui.help import ABOUT
    from digit_descent.gui.lab.window import LabWindow

    window = make_window()
    window.commands["lab"].trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, LabWindow) and w.isVisible()
                                for w in window.findChildren(LabWindow)))
    for lab in window.findChildren(LabWindow):
        lab.close()
    assert "David Code" in ABOUT and "ml4a" in ABOUT
    assert all(source in ABOUT for source in sources())


@pytest.mark.parametrize("hidden, node_px", [((4, 2), 50), ((8, 8, 8, 8), 30)])
def test_nodes_fill_the_panel_and_the_hover_card_keeps_clear_of_what_it_describes(
        qtbot, hidden, node_px):
    window = LabWindow(LabConfig(dataset="blobs", hidden=hidden, n_points=60))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    view = window.network.view
    qtbot.waitUntil(lambda: view.weights is not None, timeout=10000)
    node = lambda: view._window_rect([], view._nodes_rect([(1, 0)]))  # noqa: E731
    qtbot.waitUntil(lambda: node().width() >= node_px)
    # (the 8-8-8-8 network's nodes were 20 px wide, before they filled the panel's height)
    titles = [view._window_rect([t]) for t in view.texts[:len(view.centres)]]
    assert not any(a.intersects(b) for i, a in enumerate(titles) for b in titles[i + 1:])
    targets = [("neuron", key) for key in view.frames] + \
        [("link", (l, to, frm)) for l, items in view.links.items()
         for (to, frm), _ in np.ndenumerate(items) if view._shown_links[l][to, frm]][::7]
    assert len(targets) > len(view.frames)  # links too
    for target in targets:
        view.hover(target)
        card = view.hover_label.geometry()
        element, column, network = view.hovered_rects()
        assert view.hover_label.isVisible() and not card.intersects(element), target
        if target[0] == "neuron":  # at 1280×720 there is room beside the drawing
            assert not card.intersects(column), target
    window.close()


def test_a_card_on_a_link_that_goes_with_a_new_shape_closes(lab, qtbot):
    view = lab.network.view
    qtbot.waitUntil(lambda: view.weights is not None)
    view.hover(("link", (2, 0, 1)))  # hidden 2 neuron 1 → the output
    assert view.hover_label.isVisible()
    lab.controls.hidden.setText("3")
    lab.controls.hidden.editingFinished.emit()
    qtbot.waitUntil(lambda: view.sizes == (2, 3, 1))
    assert view.hovered is None and not view.hover_label.isVisible()
    view.hover(("neuron", (1, 2)))
    assert view.hover_label.isVisible()
