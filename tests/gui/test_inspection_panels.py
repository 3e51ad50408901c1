import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QLabel

from digit_descent.engine import Network, load
from digit_descent.engine.inspection import evaluate
from digit_descent.engine.snapshot import Snapshot
from digit_descent.gui.panels.confusion import ConfusionPanel
from digit_descent.gui.panels.confusion_picture import COMPACT, DETAILED, THUMB
from digit_descent.gui.panels.weights import WeightsPanel


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
    n, h, w, cols, first, pad = panel.tiles
    assert (n, h, w, cols) == (tiles, 28, 28, grid[1])
    image = panel.image.image
    assert image.shape == (grid[0] * (28 + pad) - pad, grid[1] * (28 + pad) - pad)
    np.testing.assert_allclose(image[:28, :28], net.weights[0][0].reshape(28, 28))
    assert len(panel.labels) == (10 if len(sizes) == 2 else 0)  # digit names on templates
    if len(sizes) == 2:
        assert [l.textItem.toPlainText() for l in panel.labels] == list("0123456789")


def test_weight_images_fill_a_wide_panel(qtbot, mnist):
    """In a wide, low panel (a quarter of the presenter view) 16 neurons are drawn in two
    rows of eight, each image larger than in the square grid; a square panel goes back."""
    from digit_descent.gui import display

    panel = WeightsPanel()
    qtbot.addWidget(panel)
    panel.resize(960, 440)
    panel.show()
    panel.show_snapshot(snapshot_of(Network((784, 16, 16, 10), seed=1), mnist))
    qtbot.waitUntil(lambda: panel.tiles.cols == 8)
    box = panel.image_box.width(), panel.image_box.height()
    side = min(box[0] / (8 * 29), box[1] / (2 * 29)) * 28
    square = min(box[0] / (4 * 29), box[1] / (4 * 29)) * 28
    assert side > 1.5 * square
    assert panel.bars_plot.maximumHeight() <= panel.view.height() / 3 + 1
    panel.resize(700, 900)
    qtbot.waitUntil(lambda: panel.tiles.cols == display.fitting_columns(
        16, 29, 28, panel.image_box.width(), panel.image_box.height(), pad=0) != 8)


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
    net.biases[0][:] = [0.5, -0.25, 1.0, 0.0]
    panel.show_snapshot(snapshot_of(net, trask))
    image = panel.image.image
    assert image.shape == (4, 3 + 2)  # weights, a gap, the biases
    np.testing.assert_allclose(image[:, :3], net.weights[0])
    np.testing.assert_allclose(image[:, 4], net.biases[0])
    names = {label.toPlainText() for label in panel.labels}
    assert {"x0", "x2", "bias", "neuron 0", "neuron 3"} <= names
    values = [label.toPlainText() for label in panel.values_text]
    assert len(values) == 4 * 4 and values[3] == "+0.50" and values[7] == "-0.25"
    panel.layer.setCurrentIndex(1)  # 4 → 1: the output
    assert {"h3", "bias", "output 0"} <= {label.toPlainText() for label in panel.labels}


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
    qtbot.waitUntil(lambda: panel.image_box.width() > 100 and panel.tiles.cols > 4)
    cols = panel.tiles.cols  # as many as draw the 16 images largest
    view_point = QPointF(2 * 29 + 10, 1 * 29 + 10)  # tile row 1, col 2
    scene_point = panel.image_box.mapViewToScene(view_point)
    assert panel.neuron_at(scene_point) == cols + 2


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


def test_a_thumbnail_or_gallery_click_sends_the_image_with_its_label(qtbot, mnist):
    net = Network((784, 10), "sigmoid", "cross-entropy", seed=0)
    ev = evaluate(net, mnist)
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.resize(1500, 1000)  # room for the examples under the counts
    panel.show()
    panel.show_snapshot(snapshot_of(net, mnist, evaluation=ev))
    qtbot.waitUntil(lambda: panel.box.width() > 1000 and panel.grid is DETAILED)
    i, j = 3, int(np.argmax(ev.confusion()[3]))
    second = ev.cell(i, j)[1]
    CELL_W, CELL_H = DETAILED.cell_w, DETAILED.cell_h

    # the second thumbnail of cell (3, j)
    centre = QPointF(j * CELL_W + 2 + (THUMB + 2) + THUMB / 2, i * CELL_H + CELL_H - 3 - THUMB / 2)
    scene = panel.box.mapViewToScene(centre)
    assert panel.thumbnail_at(scene) == second
    assert panel.thumbnail_at(panel.box.mapViewToScene(QPointF(j * CELL_W + 5, i * CELL_H + 5))) is None
    received = []
    panel.imageChosen.connect(lambda image, label: received.append((image, label)))
    panel.choose(ev, second)
    assert np.array_equal(received[-1][0], mnist.x[second].reshape(28, 28))
    assert received[-1][1] == mnist.labels[second] == 3
    gallery = panel.show_worst_mistakes()
    item = gallery.list.item(0)
    index = item.data(0x0100)
    actual, read = ev.actual[index], ev.predicted[index]
    assert item.text() == f"read {read} ({ev.confidence[index]:.0%})\ntrue {actual}"
    gallery.list.itemClicked.emit(item)
    assert received[-1][1] == actual and np.array_equal(received[-1][0],
                                                        mnist.x[index].reshape(28, 28))


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
    from digit_descent.gui.display import nice_ceiling

    assert [nice_ceiling(v) for v in (0.9, 1.0, 1.2, 2.5, 4.0, 6.0, 0.031)] == \
        [1.0, 1.0, 1.5, 3.0, 5.0, 7.0, 0.05]
    assert nice_ceiling(0) == 1.0 and nice_ceiling(float("nan")) == 1.0


def test_long_class_names_fit_their_row_and_column(qtbot):
    from PySide6.QtGui import QFontMetrics

    from digit_descent.gui.panels.confusion_picture import font_px, fitting_size

    for grid in (DETAILED, COMPACT):
        for name in ("T-shirt/top", "Ankle boot", "Pullover", "Sneaker"):
            for width in (grid.cell_w - 6, grid.left - 12):
                size = fitting_size(name, width, 24, bold=True)
                assert 11 <= size <= 24
                assert QFontMetrics(font_px(size, True)).horizontalAdvance(name) <= width \
                    or size == 11
        assert fitting_size("7", grid.cell_w - 6, 24, bold=True) == 24  # digits keep their size


def test_counts_stay_legible_in_a_quarter_of_the_presenter_view(qtbot, mnist):
    """In a quarter of a 1920×1080 screen at the presenter's zoom (1.5), the examples give
    way to counts at least 20 px tall; with room to spare, the examples come back; a
    thumbnail can only be clicked where one is drawn."""
    from digit_descent.gui import style

    net = Network((784, 10), "sigmoid", "cross-entropy", seed=0)
    ev = evaluate(net, mnist)
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.resize(950, 500)
    panel.show()
    old = style.zoom()
    style.set_zoom(1.5)
    try:
        panel.show_snapshot(snapshot_of(net, mnist, evaluation=ev))
        qtbot.waitUntil(lambda: panel.grid is not None and not panel.grid.thumbs)
        assert panel.count_pixels()[0] >= 20
        assert not DETAILED.count_px(10, panel.box.width(), panel.box.height()) >= 20
        centre = QPointF(3.5 * panel.grid.cell_w, 3.5 * panel.grid.cell_h)
        assert panel.thumbnail_at(panel.box.mapViewToScene(centre)) is None
        assert panel.cell_at(panel.box.mapViewToScene(centre)) == (3, 3)
        panel.resize(1800, 1100)
        qtbot.waitUntil(lambda: panel.grid is DETAILED)
        assert f"{ev.confusion()[3, 3]:,}" in panel.drawn_texts
    finally:
        style.set_zoom(old)


@pytest.mark.parametrize("size", [(470, 300), (700, 560), (900, 330)])
def test_compact_counts_are_as_large_as_the_space_allows(qtbot, mnist, size):
    """The compact grid is fitted to the panel: its counts come out larger than the fixed
    grid's did (8–11 px beside the views column at 1280×720), every count fits its cell,
    and the picture fills the panel's width or its height."""
    from dataclasses import replace

    from PySide6.QtGui import QFontMetrics

    from digit_descent.gui.panels.confusion_picture import cell_labels, font_px, fitting_size

    net = Network((784, 10), "sigmoid", "cross-entropy", seed=0)
    ev = evaluate(net, mnist)
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    panel.show_snapshot(snapshot_of(net, mnist, evaluation=ev))
    qtbot.waitUntil(lambda: panel.count_pixels() is not None
                    and panel.grid.size(10) != COMPACT.size(10))
    grid, (count, _, _) = panel.grid, panel.count_pixels()
    width, height = panel.box.width(), panel.box.height()
    fixed = replace(COMPACT, cell_w=90, cell_h=40, left=100, right=190)  # the grid before
    assert count >= 1.1 * fixed.count_px(10, width, height)
    w, h = grid.size(10)
    scale = min(width / w, height / h)
    assert w * scale >= 0.97 * width or h * scale >= 0.97 * height  # fills one way
    for (i, j), label in cell_labels(ev.confusion()).items():
        size_u = fitting_size(label, grid.cell_w - 4, grid.count, bold=i == j)
        assert QFontMetrics(font_px(size_u, i == j)).horizontalAdvance(label) <= grid.cell_w - 4
        assert size_u >= (0.85 * grid.diagonal if i == j else grid.count)


@pytest.mark.parametrize("zoom", [1.0, 1.5])  # the window; the presenter view at 1080p
def test_gallery_labels_whole_and_the_inspectors_caption_large(qtbot, mnist, zoom):
    """A 118-px grid cell cut "read 8 (55%)" to "(55…" in the presenter view; the
    inspector's caption was the app's plain 10 pt."""
    from PySide6.QtGui import QFontMetrics

    from digit_descent.gui import style
    from digit_descent.gui.panels.confusion import InspectorDialog

    net = Network((784, 10), "sigmoid", "cross-entropy", seed=0)
    ev = evaluate(net, mnist)
    panel = ConfusionPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(snapshot_of(net, mnist, evaluation=ev))
    try:
        style.set_zoom(zoom)
        gallery = panel.show_worst_mistakes()
        qtbot.addWidget(gallery)
        metrics = QFontMetrics(style.font(style.APP_FONT_PT))
        cell = gallery.list.gridSize()
        for row in range(gallery.list.count()):
            for line in gallery.list.item(row).text().splitlines():
                assert metrics.horizontalAdvance(line) <= cell.width() - 8, line
        assert gallery.list.iconSize().width() >= round(56 * zoom)
        inspector = InspectorDialog(ev, int(gallery.list.item(0).data(0x0100)))
        qtbot.addWidget(inspector)
        caption = next(label for label in inspector.findChildren(QLabel)
                       if label.text().startswith("answered"))
        assert caption.font().pointSizeF() >= 13 * zoom - 0.1  # 26 px in F5 at 1080p
    finally:
        style.set_zoom(1.0)
