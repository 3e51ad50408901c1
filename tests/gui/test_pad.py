import os

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from digit_descent.engine import Network, load
from digit_descent.engine.snapshot import Snapshot
from digit_descent.engine import images
from digit_descent.engine.images import read_digit
from digit_descent.gui.panels.pad import PadPanel
from digit_descent.gui.panels.reader import LIVE, PRETRAINED, SHIPPED


@pytest.fixture
def pad(qtbot):
    panel = PadPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def random_digit(qtbot, pad):
    """A random test image on the pad; None comes back while MNIST loads in the background."""
    drawn = []
    qtbot.waitUntil(lambda: drawn.append(pad.random_test_digit()) or drawn[-1] is not None,
                    timeout=10000)
    return drawn[-1]


def draw_one(qtbot, canvas):
    """A vertical stroke down the middle, with real mouse events."""
    x = canvas.width() // 2
    top, bottom = canvas.height() // 5, 4 * canvas.height() // 5
    qtbot.mousePress(canvas, Qt.LeftButton, pos=QPoint(x, top))
    for y in range(top, bottom, 8):
        qtbot.mouseMove(canvas, QPoint(x, y))
    qtbot.mouseRelease(canvas, Qt.LeftButton, pos=QPoint(x, bottom))


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_drawing_a_stroke_gives_a_prediction(qtbot, pad):
    draw_one(qtbot, pad.canvas)
    qtbot.waitUntil(lambda: pad.last_output is not None and pad.last_input.any(), timeout=1000)
    assert pad.canvas.array().max() == 1.0
    assert pad.answer.text() == "1"
    assert pad.last_output.shape == (10,) and "sure" in pad.confidence.text()
    pad.canvas.undo()
    qtbot.waitUntil(lambda: not pad.last_input.any(), timeout=1000)
    assert pad.answer.text() == "?"


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_random_test_digits_are_read_correctly(qtbot, pad):
    test = load("mnist").test
    right = 0
    for _ in range(20):
        i = random_digit(qtbot, pad)
        pad.predict()
        right += int(pad.answer.text() == str(test.labels[i]))
    assert right >= 18


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_noise_still_gets_a_confident_answer(qtbot, pad):
    pad._rng = np.random.default_rng(1)  # the pad's noise is unseeded: the test's is not
    pad.noise()
    pad.predict()
    assert pad.canvas.array().sum() > 100
    assert pad.answer.text() in "0123456789" and pad.last_output.max() > 0.2


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_saliency_overlay(qtbot, pad):
    random_digit(qtbot, pad)
    pad.saliency.setChecked(True)
    rgba = pad.overlay.image
    assert pad.overlay.isVisible() and rgba.shape == (28, 28, 4)
    assert rgba[..., 3].max() == 255 and (rgba[..., 3] == 0).any()  # strong pixels opaque


def test_a_toy_network_disables_the_pad_with_a_reason(qtbot, pad):
    net = Network((3, 4, 1))
    trask = load("trask").test
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="mse", params=net.params.copy(),
                    initial_params=net.params.copy(), class_names=trask.class_names)
    pad.source.setCurrentIndex(LIVE)
    pad.show_snapshot(snap)
    assert not pad.canvas.isEnabled() and "does not read 28×28" in pad.reason.text()


def test_unreadable_file_is_a_message(qtbot, pad, tmp_path, warnings):
    bad = tmp_path / "digit.png"
    bad.write_bytes(b"not a png")
    pad.load_image(bad)
    qtbot.waitUntil(lambda: len(warnings) > 0, timeout=3000)
    assert "digit.png" in warnings[-1]
    if hasattr(os, "mkfifo"):  # POSIX
        fifo = tmp_path / "pipe.png"
        os.mkfifo(fifo)
        pad.load_image(fifo)  # would block forever if opened
        qtbot.waitUntil(lambda: len(warnings) > 1, timeout=3000)
        assert "not a regular file" in warnings[-1]


@pytest.mark.parametrize("mode", ["dark-on-light", "light-on-dark", "transparent"])
def test_loaded_images_are_read_either_way_round(qtbot, pad, tmp_path, mode):
    image = QImage(120, 90, QImage.Format_ARGB32)
    background = {"dark-on-light": QColor("white"), "light-on-dark": QColor("black"),
                  "transparent": QColor(0, 0, 0, 0)}[mode]
    ink = QColor("white") if mode == "light-on-dark" else QColor("black")
    image.fill(background)
    p = QPainter(image)
    p.setPen(QPen(ink, 10))
    p.drawLine(60, 10, 60, 80)
    p.end()
    path = tmp_path / "one.png"
    image.save(str(path))
    reading = read_digit(path)
    assert reading.ink.shape[0] >= 3 * reading.ink.shape[1]  # the stroke with a margin
    column = reading.ink[reading.ink.shape[0] // 2]
    assert column.max() > 0.9 and column[0] < 0.1 and column[-1] < 0.1
    pad.load_image(path)
    qtbot.waitUntil(lambda: pad.canvas.array().sum() > 0, timeout=3000)
    assert np.array_equal(pad.canvas.exact, reading.steps.result)  # read as the file reader did


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_activation_view_and_backprop_dialog(qtbot, pad):
    from digit_descent.gui.panels.activations import ActivationsPanel

    view = ActivationsPanel()
    qtbot.addWidget(view)
    view.show()  # a hidden panel draws when it is shown
    pad.inputChanged.connect(view.show_input)
    view.source.setCurrentIndex(SHIPPED)
    pad.predict()  # nothing drawn yet
    assert "Draw a digit" in view.message.text() and not view.neurons.data.size
    random_digit(qtbot, pad)
    net = pad.network()[0]
    assert len(view.neurons.data) == sum(net.sizes[1:])
    assert len(view.lines_up.getData()[0]) + len(view.lines_down.getData()[0]) > 0
    assert [label.toPlainText().split()[0] for label in view.labels] == list("0123456789")
    dialog = view.open_backprop()
    best = int(np.argmax(net.forward(pad.last_input.reshape(1, -1))[0]))
    assert dialog.label.currentIndex() == best and "Cost for label" in dialog.summary.text()
    # δ is explained in plain words where it is shown: the summary and each layer's bars
    plain = "how much the cost changes when this neuron's weighted input z changes a little"
    assert plain in dialog.summary.toolTip()
    delta_plots = [item for item in dialog.view.ci.items if "δ, " in getattr(
        getattr(item, "titleLabel", None), "text", "")]
    assert len(delta_plots) == len(net.sizes) - 1
    assert all(plain in plot.toolTip() for plot in delta_plots)
    wrong = (best + 1) % 10
    dialog.label.setCurrentIndex(wrong)
    assert f"label {wrong}" in dialog.summary.text()
    before = dialog.outputs()[wrong]
    dialog.lr.setValue(0.5)
    dialog.apply_step()  # one step of gradient descent towards the chosen label
    assert dialog.outputs()[wrong] > before and "went from" in dialog.summary.text()
    assert np.array_equal(net.params, pad.network()[0].params)  # on a copy only
    dialog.back_to_start()
    assert np.isclose(dialog.outputs()[wrong], before)
    # it fits the column beside the panels at 1280×720 (~440 px): controls, bars and titles
    from PySide6.QtCore import Qt

    assert dialog.minimumSizeHint().width() <= 440
    assert dialog.view.ci.effectiveSizeHint(Qt.MinimumSize).width() <= 440


def test_activations_follow_the_network_being_trained(qtbot, pad):
    from digit_descent.gui.panels.activations import ActivationsPanel

    view = ActivationsPanel()
    qtbot.addWidget(view)
    view.show()
    pad.inputChanged.connect(view.show_input)
    assert view.source.currentIndex() == LIVE  # the network being trained, by default
    net = Network((784, 12, 10), cost="cross-entropy")
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="cross-entropy",
                    params=net.params.copy(), initial_params=net.params.copy(),
                    image_shape=(28, 28), class_names=tuple("0123456789"))
    view.show_snapshot(snap)
    pad.show_snapshot(snap)
    random_digit(qtbot, pad)
    assert len(view.neurons.data) == 12 + 10
    toy = Network((2, 4, 1))  # xor: no image to read; the old lines and answer go
    view.show_snapshot(Snapshot(sizes=toy.sizes, activation="sigmoid", cost="mse",
                                params=toy.params.copy(), initial_params=toy.params.copy()))
    assert not view.neurons.data.size and not view.labels
    assert "does not read 28×28 images" in view.message.text()
    assert not view.backprop_button.isEnabled()


def test_huge_image_is_refused_before_decoding(qtbot, pad, tmp_path, warnings, monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 100 * 100)
    image = QImage(200, 200, QImage.Format_RGB32)
    image.fill(QColor("white"))
    path = tmp_path / "big.png"
    image.save(str(path))
    pad.load_image(path)
    qtbot.waitUntil(lambda: len(warnings) > 0, timeout=3000)
    assert "too large" in warnings[-1] and "200×200" in warnings[-1]


def test_pad_speaks_the_data_of_the_network_that_reads_it(qtbot, pad):
    from dataclasses import replace

    from digit_descent.engine.data import FASHION_CLASSES

    mnist = load("mnist").test
    fashion = replace(mnist.subset(50), name="fashion", class_names=FASHION_CLASSES,
                      x=1 - mnist.x[:50])  # inverted digits: images no MNIST test set holds
    net = Network((784, 10), cost="cross-entropy")
    snap = Snapshot(sizes=net.sizes, activation="sigmoid", cost="cross-entropy",
                    params=net.params.copy(), initial_params=net.params.copy(),
                    image_shape=(28, 28), class_names=FASHION_CLASSES, test_set=fashion)
    def shown():  # the canvas, back at 28×28
        return pad.canvas.array().reshape(28, 10, 28, 10).mean(axis=(1, 3))

    pad.show_snapshot(snap)  # starts loading MNIST for the pretrained network in the background
    pad.source.setCurrentIndex(LIVE)  # the network being trained: its own test images and names
    i = random_digit(qtbot, pad)
    assert np.abs(shown() - fashion.x[i].reshape(28, 28)).mean() < 0.05
    pad.predict()
    best = int(pad.answer.text())
    assert pad.confidence.text().startswith(FASHION_CLASSES[best] + " · ")
    assert pad.random_button.text() == "Random test image"
    # a test image is read as it is (not re-framed like a drawing) until it is drawn on
    assert np.allclose(pad.last_input, fashion.x[i].reshape(28, 28))
    draw_one(qtbot, pad.canvas)
    pad.predict()
    assert not np.allclose(pad.last_input, fashion.x[i].reshape(28, 28))
    pad.source.setCurrentIndex(SHIPPED)  # the pretrained network learned MNIST
    i = random_digit(qtbot, pad)
    assert pad.random_button.text() == "Random test digit"
    assert np.abs(shown() - mnist.x[i].reshape(28, 28)).mean() < 0.05
    assert np.abs(shown() - fashion.x[i % 50].reshape(28, 28)).mean() > 0.3


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_a_test_image_shows_its_true_label_until_drawn_on(qtbot, pad):
    test = load("mnist").test
    i = random_digit(qtbot, pad)
    label = int(test.labels[i])
    assert pad.true_label() == label
    verdict = "right" if pad.answer.text() == str(label) else "wrong"
    assert f"true label {label}" in pad.truth.text() and verdict in pad.truth.text()
    draw_one(qtbot, pad.canvas)
    pad.predict()
    assert pad.true_label() is None and not pad.truth.text().strip()


def test_the_strip_shows_how_a_drawing_is_prepared(qtbot, pad):
    draw_one(qtbot, pad.canvas)
    qtbot.waitUntil(lambda: pad.strip.steps is not None and pad.strip.steps.crop.size > 0,
                    timeout=1000)
    steps = pad.strip.steps
    assert np.array_equal(steps.result, pad.last_input)
    assert steps.crop.shape[0] > 3 * steps.crop.shape[1]  # a tall stroke, cropped to its ink
    assert max(steps.box.shape) == 20
    assert abs(steps.mass_centre[1] - 13.5) < 2  # a vertical stroke in the middle column
    random_digit(qtbot, pad)
    pad.predict()
    assert pad.strip.steps is None and pad.strip.exact is pad.last_input  # read as it is


def test_the_strip_shows_a_loaded_photos_steps(qtbot, pad, tmp_path):
    image = QImage(300, 200, QImage.Format_RGB32)
    image.fill(QColor(120, 120, 120))  # grey paper
    p = QPainter(image)
    p.setPen(QPen(QColor(30, 30, 30), 12))
    p.drawLine(150, 30, 150, 170)
    p.end()
    path = tmp_path / "photo.png"
    image.save(str(path))
    pad.load_image(path)
    qtbot.waitUntil(lambda: pad.canvas.exact is not None, timeout=5000)
    pad.predict()
    assert pad.strip.steps is not None
    assert np.array_equal(pad.strip.steps.result, read_digit(path).steps.result)
    pad.canvas.undo()  # the drawing before it: empty
    pad.predict()
    assert not pad.strip.steps.crop.size and not pad.last_input.any()


@pytest.mark.parametrize("size", [(960, 570), (1480, 940)])  # the pad at 1280×720, 1920×1080
def test_the_strip_is_legible_and_fits(qtbot, pad, size):
    from PySide6.QtGui import QFontMetricsF

    from digit_descent.gui import style
    from digit_descent.gui.panels.pad_steps import CAPTION_PT, CAPTIONS

    pad.resize(*size)
    qtbot.waitUntil(lambda: pad.strip.width() > 0 and pad.canvas.height() > 0, timeout=1000)
    cells, _ = pad.strip._layout()
    assert cells[0].left() >= 0 and cells[-1].right() <= pad.strip.width()
    assert cells[0].width() >= 64  # a 28×28 step at two screen pixels a pixel, at least
    metrics = QFontMetricsF(style.font(CAPTION_PT))
    for left, right, a, b in zip(cells, cells[1:], CAPTIONS, CAPTIONS[1:]):
        room = right.center().x() - left.center().x()
        assert (metrics.horizontalAdvance(a) + metrics.horizontalAdvance(b)) / 2 < room - 4
    assert pad.canvas.height() > 2 * pad.strip.height()  # the canvas stays the main thing


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
def test_every_output_bar_is_labelled_at_any_zoom(qtbot, pad):
    """pyqtgraph's own ticks labelled only 0, 2, 4, 6, 8 and piled up at zoom +2."""
    from PySide6.QtGui import QImage, QPainter

    from digit_descent.gui import style

    def drawn():
        axis = pad.bars_plot.getAxis("bottom")
        image = QImage(axis.width() or 400, 60, QImage.Format_ARGB32)
        painter = QPainter(image)
        try:
            texts = axis.generateDrawSpecs(painter)[2]
        finally:
            painter.end()
        rects = sorted((rect.left(), rect.right(), text) for rect, _, text in texts)
        assert all(a[1] <= b[0] for a, b in zip(rects, rects[1:])), rects  # none overlap
        return [text for *_, text in rects]

    digits = [str(i) for i in range(10)]
    random_digit(qtbot, pad)
    pad.predict()
    qtbot.waitUntil(lambda: drawn() == digits, timeout=2000)  # once the plot is laid out
    before = style.zoom()
    try:
        style.set_zoom(before * 1.44)
        qtbot.waitUntil(lambda: drawn() == digits, timeout=2000)
    finally:
        style.set_zoom(before)


def inside(widget, ancestor):
    """``widget``'s rectangle, in ``ancestor``'s coordinates, lies inside ``ancestor``."""
    rect = widget.rect().translated(widget.mapTo(ancestor, widget.rect().topLeft()))
    return ancestor.rect().contains(rect)


@pytest.mark.skipif(not PRETRAINED.exists(), reason="resources/strong.npz not built")
@pytest.mark.parametrize("tools", [False, True])  # the presenter view hides them; the window not
def test_nothing_is_cut_in_a_third_of_a_1280_px_screen(qtbot, pad, tools):
    """Beside the activations and the backpropagation view at 1280×720 the pad had ~396 px in
    the presenter view: its answer column and its answer's "wrong" were cut off (at least
    ~430 px were needed; ~500 with its controls, in the window)."""
    for widget in pad.presenter_hides():
        widget.setVisible(tools)
    random_digit(qtbot, pad)
    pad.show_image(pad.last_input, (int(pad.answer.text()) + 1) % 10)  # a wrong true label
    assert "wrong" in pad.truth.text()
    width = 480 if tools else 390
    assert pad.minimumSizeHint().width() <= width
    pad.resize(width, 560)
    qtbot.waitUntil(lambda: pad.width() == width and pad.view.width() > 0, timeout=1000)
    for part in (pad.canvas, pad.strip, pad.answer, pad.confidence, pad.truth, pad.view,
                 *([pad.tools] if tools else [])):
        assert inside(part, pad), part
    assert pad.truth.height() >= pad.truth.heightForWidth(pad.truth.width())  # wrapped, whole
    assert pad.view.width() >= pad.view.ci.effectiveSizeHint(Qt.MinimumSize).width()
    if tools:
        assert pad.tools.rows == 3  # Clear · Undo · eraser / Random · Noise / Load · brush
        assert all(inside(button, pad.tools) for button in pad.tools.parts)
    pad.resize(900, 600)
    qtbot.waitUntil(lambda: pad.tools.rows == 2, timeout=1000)


def test_the_outputs_are_a_chart_before_anything_is_drawn(qtbot, pad):
    """An empty pad showed a thin strip of bars labelled 0 and 5 under an empty box."""
    pad.resize(480, 700)
    qtbot.waitUntil(lambda: pad.width() == 480, timeout=1000)
    bottom = pad.bars_plot.getAxis("bottom")
    assert [text for _, text in bottom._tickLevels[0]] == [str(i) for i in range(10)]
    assert pad.bars_plot.height() >= pad.seen_box.height()  # the outputs at least as high
    assert pad.seen.image is not None and pad.seen.border is not None  # a framed blank input


@pytest.mark.parametrize("size", [(395, 650), (900, 500)])  # a third of 1280×720, and wide
def test_the_output_labels_never_overlap_nor_leave_the_view(qtbot, pad, size):
    """A third of a 1280-px screen drew the ten output labels on top of each other (the
    drawing is five times wider than high) and cut their values at the view's edge."""
    from digit_descent.gui.panels.activations import ActivationsPanel

    view = ActivationsPanel()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    net = Network((784, 16, 16, 10), cost="cross-entropy")
    view.show_snapshot(Snapshot(sizes=net.sizes, activation="sigmoid", cost="cross-entropy",
                                params=net.params.copy(), initial_params=net.params.copy(),
                                image_shape=(28, 28), class_names=tuple("0123456789")))
    view.show_input(load("mnist").test.x[0])
    qtbot.waitUntil(lambda: len(view.labels) == 10, timeout=2000)
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFontMetricsF

    def drawn(label):  # in the scene's pixels: anchored at its left end, halfway up
        at, text = view.box.mapViewToScene(label.pos()), label.textItem.boundingRect()
        high = QFontMetricsF(label.textItem.font()).height()  # the text, not its margins
        return QRectF(at.x(), at.y() - high / 2, text.width(), high)

    shown = view.box.sceneBoundingRect()
    rects = sorted(map(drawn, view.labels), key=lambda r: r.top())
    assert all(shown.contains(rect) for rect in rects), (shown, rects)
    assert all(a.bottom() <= b.top() + 1 for a, b in zip(rects, rects[1:])), (shown, rects)
