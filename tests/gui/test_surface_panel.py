import threading

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from digit_descent.engine import Network, load
from digit_descent.engine.snapshot import Snapshot
from digit_descent.gui.panels.surface import SurfacePanel


@pytest.fixture
def panel(qtbot):
    p = SurfacePanel()
    qtbot.addWidget(p)
    p.resize(900, 600)
    p.show()
    return p


def test_teaching_ball_rolls_down_and_reports_escape(qtbot, panel):
    panel.surface.setCurrentIndex(list(panel.surface.itemData(i) for i in range(panel.surface.count())).index("bowl"))
    ball = panel.drop_ball(2.0, 2.0)
    start = ball.surface.cost(*ball.position)
    panel.step_balls(20)
    assert ball.surface.cost(*ball.position) < start
    assert len(panel.balls[0][2].getData()[0]) == 21  # the trail
    panel.lr.setValue(2.5)
    panel.step_balls(40)
    assert ball.escaped and "left the plot" in panel.status.text()


def test_one_dimensional_curve_mode(qtbot, panel):
    names = [panel.surface.itemData(i) for i in range(panel.surface.count())]
    panel.surface.setCurrentIndex(names.index("curve"))
    assert panel.curve.isVisible() and not panel.image.isVisible()
    ball = panel.drop_ball(2.5, 0.7)
    panel.step_balls(200)
    assert ball.position[1] == 0.0 and abs(ball.surface.grad(*ball.position)[0]) < 0.05


def test_network_surface_in_the_background(qtbot, panel):
    data = load("mnist").train.subset(400)
    net = Network((784, 16, 16, 10), seed=0)
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="mse", params=net.params.copy(),
                    initial_params=net.params.copy(), train_set=data, image_shape=(28, 28), step=5)
    panel.mode.setCurrentIndex(1)
    panel.resolution.setValue(11)
    panel.samples.setValue(300)
    panel.show_snapshot(snap)
    assert panel.compute()
    qtbot.waitUntil(lambda: not panel.computing, timeout=30000)
    surface = panel.image.image  # shown as log10(cost)
    assert surface.shape == (11, 11)
    assert 10 ** surface[5, 5] == pytest.approx(net.loss(data.x[:300], data.targets[:300]), rel=1e-4)
    x, y = panel.net_ball.getData()
    assert abs(x[0]) < 1e-6 and abs(y[0]) < 1e-6  # the current weights sit at the centre
    assert panel.progress.value() == panel.progress.maximum()  # it stayed at 0% once done


def test_controls_that_do_not_apply_are_off(qtbot, panel):
    """The span showed ± 1 while PCA axes span the whole path; β stayed on for plain SGD."""
    panel.mode.setCurrentIndex(1)
    assert panel.span.isVisible()
    panel.directions.setCurrentIndex(1)  # PCA: the slice reaches as far as the path went
    assert not panel.span.isVisible()
    panel.directions.setCurrentIndex(0)
    assert panel.span.isVisible()
    panel.optimizer.setCurrentText("sgd")
    assert not panel.momentum.isEnabled()
    panel.optimizer.setCurrentText("momentum")
    assert panel.momentum.isEnabled()
    panel.optimizer.setCurrentText("adam")
    assert not panel.momentum.isEnabled()
    assert "scaled to the size of the weights" in panel.directions.toolTip()


def test_pca_needs_a_trajectory(qtbot, panel):
    data = load("mnist").train.subset(100)
    net = Network((784, 10), seed=0)
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="mse", params=net.params.copy(),
                    initial_params=net.params.copy(), train_set=data)
    panel.mode.setCurrentIndex(1)
    panel.directions.setCurrentIndex(1)
    panel.show_snapshot(snap)
    assert not panel.compute() and "PCA needs" in panel.status.text()


def test_cancel_mid_surface(qtbot, panel):
    data = load("mnist").train.subset(2000)
    net = Network((784, 64, 10), seed=0)
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="mse", params=net.params.copy(),
                    initial_params=net.params.copy(), train_set=data)
    panel.mode.setCurrentIndex(1)
    panel.resolution.setValue(101)
    panel.samples.setValue(2000)
    panel.show_snapshot(snap)
    panel.compute()
    panel.cancel()
    assert not panel.cancel_button.isEnabled() and panel.status.text() == "Cancelled."


def test_minibatch_mode_shifts_the_surface_while_the_ball_descends(qtbot, panel):
    _choose(panel, "minibatch")  # MNIST loads, the whole set's cost is computed: off the GUI thread
    assert "in the background" in panel.status.text() and panel.hint.isVisible()
    assert panel.drop_ball(0.0, 0.0) is None  # nothing to drop a ball on yet
    qtbot.waitUntil(lambda: panel.scene is not None, timeout=60000)
    assert len(panel.contours) > 0 and not panel.hint.isVisible()
    assert panel.overlay.isVisible()
    ball = panel.drop_ball(2.5, 4.5)
    panel.lr.setValue(1.0)
    first = panel.image.image.copy()
    panel.step_balls(1)
    assert not np.allclose(first, panel.image.image)
    start = panel.current_surface().full_cost(2.5, 4.5)
    panel.step_balls(150)
    assert panel.current_surface().full_cost(*ball.position) < 0.5 * start


def _minibatch_snapshot(images):
    data = load("mnist").train.subset(images)
    net = Network((784, 10), seed=0)
    return Snapshot(sizes=net.sizes, activation="sigmoid", cost="mse", params=net.params.copy(),
                    initial_params=net.params.copy(), train_set=data, dataset="mnist")


def test_choosing_the_minibatch_surface_leaves_the_event_loop_responsive(qtbot, panel,
                                                                        monkeypatch):
    """The whole set's 81×81 grid was computed on the GUI thread: the window froze ~5.6 s.
    It is computed on another thread, and the event loop keeps running meanwhile (how late
    its ticks run is measured by bench/, not asserted here: it depends on the machine's load)."""
    from digit_descent.engine.landscape import MiniBatchProblem

    computed_on = []
    full_grid = MiniBatchProblem.full_grid

    def recorded(self, *args, **kwargs):
        computed_on.append(threading.current_thread())
        return full_grid(self, *args, **kwargs)

    monkeypatch.setattr(MiniBatchProblem, "full_grid", recorded)
    panel.show_snapshot(_minibatch_snapshot(20_000))  # ~4,200 zeros and ones
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(bool(computed_on) and panel.scene is None))
    timer.start()
    panel.show_teaching("minibatch", [(-4.0, 4.0, 1.0)])
    qtbot.waitUntil(lambda: panel.scene is not None, timeout=60000)
    timer.stop()
    assert computed_on and threading.main_thread() not in computed_on
    assert sum(ticks) >= 10  # the event loop ran on while the grid was computed
    qtbot.waitUntil(lambda: len(panel.balls) == 1)  # the lesson's ball starts when it arrives
    assert panel.play.isChecked() and panel.balls[0][0].lr == 1.0 == panel.lr.value()


def test_a_newer_lesson_stage_supersedes_the_balls_of_an_older_one(qtbot, panel):
    panel.show_snapshot(_minibatch_snapshot(6000))  # 1,300 zeros and ones
    panel.show_teaching("minibatch", [(-4.0, 4.0, 1.0)])
    panel.show_teaching("minibatch", [(1.0, 1.0, 0.5), (2.0, -2.0, 0.2)])  # one job, not two
    assert panel._minibatch_jobs.busy
    qtbot.waitUntil(lambda: len(panel.balls) == 2, timeout=60000)
    assert [tuple(b.trail[0]) for b, *_ in panel.balls] == [(1.0, 1.0), (2.0, -2.0)]
    assert [b.lr for b, *_ in panel.balls] == [0.5, 0.2]
    assert "own learning rate" in panel.status.text()


def test_a_lesson_ball_waiting_for_the_minibatch_surface_is_not_dropped_elsewhere(qtbot, panel):
    panel.show_snapshot(_minibatch_snapshot(6000))  # 1,300 zeros and ones
    panel.show_teaching("minibatch", [(-4.0, 4.0, 1.0)])
    _choose(panel, "bowl")
    qtbot.waitUntil(lambda: panel._minibatch is not None, timeout=60000)
    assert panel.balls == [] and panel.current_surface().name == "bowl"


def test_a_minibatch_surface_that_cannot_be_prepared_says_why(qtbot, panel, monkeypatch):
    from digit_descent.engine import DataError
    from digit_descent.gui.panels import surface as surfacemod

    def no_mnist(name):
        raise DataError("mnist.npz: no such file")

    monkeypatch.setattr(surfacemod, "load", no_mnist)
    panel.show_teaching("minibatch", [(-4.0, 4.0, 1.0)])
    qtbot.waitUntil(lambda: "could not be prepared" in panel.status.text(), timeout=10000)
    assert "mnist.npz: no such file" in panel.status.text() and panel.balls == []
    _choose(panel, "bowl")  # the other surfaces still work
    assert panel.drop_ball(1.0, 1.0) is not None


def test_balls_stop_and_play_stops_once_every_ball_has_settled(qtbot, panel):
    _choose(panel, "bowl")
    panel.drop_ball(2.0, 1.0)
    panel.play.setChecked(True)
    qtbot.waitUntil(lambda: not panel.play.isChecked(), timeout=20000)
    assert "settled at a minimum" in panel.status.text()
    assert not panel.balls[0][3].isVisible()  # no arrow: no slope left


def test_without_opengl_the_3d_view_falls_back_to_2d(qtbot, panel):
    from digit_descent.gui.panels.surface import opengl_available

    assert not opengl_available()  # the offscreen platform has no OpenGL
    assert not panel.three_d.isEnabled() and "2-D" in panel.three_d.toolTip()
    assert panel.views.currentWidget() is panel.plot


def _choose(panel, name):
    names = [panel.surface.itemData(i) for i in range(panel.surface.count())]
    panel.surface.setCurrentIndex(names.index(name))


def test_network_mode_before_compute_is_an_empty_plot_with_a_hint(qtbot, panel):
    _choose(panel, "curve")  # the teaching curve must not stay under the α/β axes
    panel.mode.setCurrentIndex(1)
    assert not panel.curve.isVisible() and not panel.image.isVisible()
    assert panel.hint.isVisible() and "Compute" in panel.hint.textItem.toPlainText()
    assert not panel.colorbar.isVisible()
    assert panel.item.getAxis("bottom").labelText.startswith("α")


def test_clear_balls_forgets_that_balls_left_the_plot(qtbot, panel):
    _choose(panel, "bowl")
    panel.lr.setValue(2.5)
    panel.drop_ball(2.0, 2.0)
    panel.step_balls(40)
    assert "left the plot" in panel.status.text()
    panel.clear_balls()
    assert "left the plot" not in panel.status.text()


def test_a_bowl_is_round_and_a_curve_has_no_colour_bar(qtbot, panel):
    _choose(panel, "bowl")
    assert panel.item.vb.state["aspectLocked"] and panel.colorbar.isVisible()
    _choose(panel, "curve")
    assert not panel.colorbar.isVisible() and not panel.item.vb.state["aspectLocked"]


def test_the_narrow_valley_zig_zags_at_the_default_learning_rate(qtbot, panel):
    _choose(panel, "valley")
    ball = panel.drop_ball(-2.5, 1.0)
    panel.step_balls(8)
    ys = np.array(ball.trail)[:, 1]
    assert np.all(np.sign(ys[1:]) == -np.sign(ys[:-1]))  # across the valley at every step
    assert abs(ys[-1]) < abs(ys[0]) and np.array(ball.trail)[-1, 0] > -2.5


def test_an_error_in_the_surface_job_reaches_the_panel(qtbot, panel, monkeypatch):
    from digit_descent.gui.panels import surface_network

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(surface_network, "plane_surface", out_of_memory)
    data = load("mnist").train.subset(100)
    net = Network((784, 10), seed=0)
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="mse", params=net.params.copy(),
                    initial_params=net.params.copy(), train_set=data, image_shape=(28, 28))
    panel.mode.setCurrentIndex(1)
    panel.show_snapshot(snap)
    assert panel.compute()
    qtbot.waitUntil(lambda: "Not enough memory" in panel.status.text(), timeout=5000)
    assert not panel.cancel_button.isEnabled() and panel.progress.value() == 0
    assert panel.compute_button.isEnabled()


def test_interpolate_is_exact_on_the_grid_and_linear_between():
    from digit_descent.engine.landscape import interpolate

    axis = np.linspace(-1, 1, 5)
    surface = axis[None, :] * 2 + axis[:, None] * 3  # linear: 2α + 3β
    points = np.array([[0.0, 0.0], [0.5, -0.5], [0.25, 0.1], [5.0, 0.0]])
    np.testing.assert_allclose(interpolate(axis, surface, points), [0, -0.5, 0.8, 2.0])


def test_the_3d_choice_comes_back_after_the_one_dimensional_curve(qtbot, panel):
    panel.opengl = True  # as where OpenGL is available
    _choose(panel, "curve")
    assert not panel.three_d.isEnabled()
    panel.mode.setCurrentIndex(1)
    assert panel.three_d.isEnabled()
    panel.mode.setCurrentIndex(0)
    _choose(panel, "bumpy")
    assert panel.three_d.isEnabled()
