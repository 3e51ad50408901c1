"""The drawing pad: draw a digit, see what the network sees and what it answers."""

import math
from contextlib import nullcontext

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout,
                               QLabel, QMessageBox, QPushButton, QSlider, QVBoxLayout,
                               QWidget)

from digit_descent.engine import load
from digit_descent.engine.images import read_digit
from digit_descent.engine.inspection import input_gradient
from digit_descent.engine.preprocess import to_mnist_steps

from .. import style
from .base import Panel
from ..folders import open_file_name
from ..jobs import Jobs
from ..settings import settings as app_settings
from .pad_canvas import DrawingCanvas, saliency_rgba
from .pad_steps import StepsStrip
from .pad_tools import ToolGrid
from .reader import LIVE, SHIPPED, SOURCES, NetworkChoice

IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm"
COALESCE_MS = 15  # pen movements within this are read once: the answer follows in ~20 ms


class PadPanel(Panel):
    """Draw, and read the network's answer. Feed it snapshots with :meth:`show_snapshot`."""

    key = "pad"
    title = "Drawing pad"
    help = ("Draw a digit with the mouse (right button erases). The small picture is what the "
            "network sees: your drawing cropped, scaled to 20×20 and centred like MNIST's digits "
            "(the strip under the canvas shows each step). 'Load image…' reads a photo, a scan "
            "or a picture of a digit. "
            "The bars are the ten outputs; the big number is the answer. 'Random test digit' "
            "loads one from the test set and shows its true label; 'Noise' shows that the network answers confidently "
            "even for nonsense. 'Saliency' colours the pixels that push the answer up (yellow) "
            "or down (blue). Use the network being trained, or the pretrained one.")
    redraw_interval_s = 0.2

    inputChanged = Signal(object)  # the 784 inputs the network reads (zeros: nothing drawn)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self.reader = NetworkChoice()
        self._mnist_test = None  # MNIST's test set, loaded when the trained data is not MNIST
        self._mnist_jobs, self._jobs = Jobs(self), Jobs(self)
        self._random_when_loaded = False
        self.last_input = np.zeros((28, 28), np.float32)
        self._labelled = None  # (image on the canvas, its true label) for a test image
        self._loaded = None  # (image on the canvas, its MnistSteps) for an image file
        self.last_output = None
        self._rng = np.random.default_rng()
        self.settings = None  # a QSettings (the window's) remembering the image folder
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.predict)

    def _build(self):
        self.canvas = DrawingCanvas()
        self.canvas.changed.connect(self._timer_start)
        clear, undo = QPushButton("Clear"), QPushButton("Undo")
        clear.clicked.connect(self.canvas.clear)
        undo.clicked.connect(self.canvas.undo)
        self.eraser = QCheckBox("eraser")
        self.eraser.toggled.connect(lambda on: setattr(self.canvas, "eraser", on))
        self.thickness = QSlider(Qt.Horizontal)
        self.thickness.setRange(4, 48)
        self.thickness.setValue(self.canvas.thickness)
        self.thickness.setToolTip("Brush thickness")
        self.thickness.valueChanged.connect(lambda v: setattr(self.canvas, "thickness", v))
        self.random_button = QPushButton("Random test digit")
        self.random_button.clicked.connect(self.random_test_digit)
        self.noise_button = QPushButton("Noise")
        self.noise_button.clicked.connect(self.noise)
        load = QPushButton("Load image…")
        load.clicked.connect(self._load_dialog)
        self.source = QComboBox()
        self.source.addItems(SOURCES)
        self.source.setCurrentIndex(SHIPPED)
        self.source.setToolTip("Which network reads your drawing")
        self.source.currentIndexChanged.connect(self.predict)
        self.saliency = QCheckBox("saliency")
        self.saliency.setToolTip("Colour the pixels that push the answer up (yellow) or down (blue)")
        self.saliency.toggled.connect(self.predict)

        brush = QWidget()  # the slider with its name: one cell of the grid
        brush_row = QHBoxLayout(brush)
        brush_row.setContentsMargins(0, 0, 0, 0)
        brush_row.addWidget(QLabel("brush"))
        brush_row.addWidget(self.thickness, 1)
        self.tools = ToolGrid(clear, undo, self.eraser, brush, self.random_button,
                              self.noise_button, load)
        left = QVBoxLayout()
        left.addWidget(self.source)
        left.addWidget(self.canvas, 1)
        self.strip = StepsStrip()
        left.addWidget(self.strip)
        left.addWidget(self.tools)

        self.answer = QLabel("?")
        style.sized_font(self.answer, 64, bold=True)
        self.answer.setAlignment(Qt.AlignCenter)
        self.confidence = QLabel("draw a digit")
        self.truth = QLabel(" ")
        for label in (self.confidence, self.truth):  # wrapped in a narrow pad, never cut
            label.setAlignment(Qt.AlignCenter)
            label.setWordWrap(True)
            style.sized_text(label, 15)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setToolTip(self.VIEW_TIP)
        self._output_ticks = None  # the labels under the bars, once set
        self.seen_box = self.view.addViewBox(row=0, col=0)
        self.seen_box.setAspectLocked(True)
        self.seen_box.invertY(True)
        self.seen_box.setMouseEnabled(False, False)
        self.seen = pg.ImageItem(axisOrder="row-major")
        self.seen.setBorder(pg.mkPen(style.GREY))  # the input's 28×28 frame, even when blank
        self.seen_box.addItem(self.seen)
        self.overlay = pg.ImageItem(axisOrder="row-major")  # saliency, over the digit
        self.seen_box.addItem(self.overlay)
        style.sized_label(self.view.addLabel("network's input", row=1, col=0), 11)
        self.bars_plot = self.view.addPlot(row=2, col=0)
        self.bars_plot.setMouseEnabled(False, False)
        self.bars_plot.setYRange(0, 1)
        style.style_plot(self.bars_plot, left="", bottom="outputs")  # below: no width taken
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                    brush=style.SKY)
        self.bars_plot.addItem(self.bars)
        rows = self.view.ci.layout
        rows.setRowStretchFactor(0, 2)  # the input picture, and the outputs a little larger:
        rows.setRowStretchFactor(2, 3)  # before anything is drawn they were a thin strip
        self.seen.setImage(np.ones((28, 28), np.float32), autoLevels=False, levels=(0, 1))
        self._label_outputs(10)
        style.keep(self.view, lambda view: self._fit_view())
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        style.sized_text(self.reason, 13, f"color: {style.VERMILION};")
        self.reason.hide()
        right = QVBoxLayout()
        right.addWidget(self.answer)
        right.addWidget(self.confidence)
        right.addWidget(self.truth)
        right.addWidget(self.saliency)
        right.addWidget(self.view, 1)
        right.addWidget(self.reason)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def _fit_view(self):
        """The picture and the bars never narrower than their labels need (the pad's answer
        column is narrow beside two other columns at 1280×720): they widen the pad instead."""
        self.view.ci.layout.invalidate()
        least = self.view.ci.effectiveSizeHint(Qt.MinimumSize).width()
        names = [text for _, text in (self._output_ticks or [[]])[0]]
        if names:  # every bar's label, a space apart, right of the outputs' axis (measured
            #        from the font: pyqtgraph's axes keep a larger zoom's width a while)
            metrics = QFontMetricsF(style.font(style.AXIS_FONT_PT))
            room = len(names) * (max(map(metrics.horizontalAdvance, names))
                                 + metrics.horizontalAdvance(" "))
            axis = metrics.horizontalAdvance("0.5") + style.scaled(10)  # ticks and offset
            least = max(least if self.bars_plot.getAxis("left").width() <= axis
                        else 0, room + axis + 16)
        self.view.setMinimumWidth(math.ceil(least))

    VIEW_TIP = ("Above: what the network sees, the drawing as MNIST's 28×28 pixels. Below: its "
                "outputs.")

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.strip.fit(self.height())

    def picture(self):
        """The plot to export (no controls)."""
        return nullcontext(self.view.ci)

    # --------------------------------------------------------- network
    def presenter_hides(self):
        return [self.source, self.tools, self.saliency]

    def show_snapshot(self, snapshot):
        self.snapshot = self.reader.snapshot = snapshot
        if snapshot.test_set is not None and snapshot.test_set.name != "mnist":
            self._prefetch_mnist()  # random digits for the pretrained network, without a freeze
        if self.source.currentIndex() == LIVE:
            self.predict()

    def network(self):
        """The network that reads the drawing, or ``(None, reason)``."""
        return self.reader.network(self.source.currentIndex())

    # ------------------------------------------------------- prediction
    def _timer_start(self):
        if not self._timer.isActive():
            self._timer.start()

    def predict(self, *_):
        net, reason = self.network()
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        for w in (self.random_button, self.noise_button, self.canvas):
            w.setEnabled(net is not None)
        kind = "image" if self._class_name(0) else "digit"  # Fashion-MNIST's are not digits
        self.random_button.setText(f"Random test {kind}")
        x = self.canvas.exact
        if x is None:
            steps = to_mnist_steps(self.canvas.array())
            x = steps.result
        else:  # a test image is read as it is; an image file as the file reader prepared it
            loaded = self._loaded
            steps = loaded[1] if loaded is not None and loaded[0] is x else None
        self.strip.show_steps(steps, x)
        self.last_input = x
        self.inputChanged.emit(x.reshape(-1))
        truth = self.true_label()
        if net is None:
            self.answer.setText("–")
            self.confidence.setText(" ")
            self.truth.setText(" ")
            self.last_output = None
            return
        probs = net.forward(x.reshape(1, -1))[0]  # softmax, or independent sigmoids for MSE
        self.last_output = probs
        best = int(np.argmax(probs))
        empty = not x.any()
        self.answer.setText("?" if empty else str(best))
        name = self._class_name(best)
        self.confidence.setText(f"draw a {kind}" if empty else f"{name}{probs[best]:.0%} sure")
        if truth is None:
            self.truth.setText(" ")
        else:
            verdict = "right" if truth == best else "wrong"
            colour = style.GREEN if truth == best else style.VERMILION
            self.truth.setText(f'true label {self._name(truth)} · <span style="color:{colour}">'
                               f"<b>{verdict}</b></span>")
        colours = [style.BLUE if i == best and not empty else style.SKY for i in range(len(probs))]
        self.bars.setOpts(x=np.arange(len(probs)), height=probs, brushes=colours, pens=colours)
        self._label_outputs(len(probs))
        self.seen.setImage(1 - 0.6 * x if self.saliency.isChecked() else 1 - x,
                           autoLevels=False, levels=(0, 1))
        if self.saliency.isChecked() and not empty:
            self.overlay.setImage(saliency_rgba(x, input_gradient(net, x.reshape(-1), best)))
            self.overlay.show()
        else:
            self.overlay.hide()

    def _label_outputs(self, count):
        """A label under every bar (pyqtgraph's own ticks labelled only every other one, and
        piled up when zoomed): the class names where they are a character or two (digits),
        else the bars' numbers, with the names in the tooltip."""
        names = [self._name(i) for i in range(count)]
        short = all(len(name) <= 2 for name in names)
        ticks = [[(i, names[i] if short else str(i)) for i in range(count)]]
        if ticks != self._output_ticks:
            self._output_ticks = ticks
            self.bars_plot.getAxis("bottom").setTicks(ticks)
            self.bars_plot.setXRange(-0.6, count - 0.4, padding=0)
            self._fit_view()
            self.view.setToolTip(self.VIEW_TIP + ("" if short else "  Outputs: " + ", ".join(
                f"{i} {name}" for i, name in enumerate(names))))

    def _name(self, index):
        names = self.reader.class_names(self.source.currentIndex())
        return names[index] if index < len(names) else str(index)

    def _class_name(self, index):
        """``"Trouser · "`` when the reading network's classes are not the digits, else ``""``."""
        name = self._name(index)
        return "" if name == str(index) else f"{name} · "

    def true_label(self):
        """The label of the test image on the pad, or None once it has been drawn on."""
        shown = self._labelled
        return shown[1] if shown is not None and shown[0] is self.canvas.exact else None

    # ----------------------------------------------------------- inputs
    def show_image(self, image, label=None):
        """Put a 28×28 image (ink 1) on the pad, read as it is; ``label`` is its true class."""
        self.canvas.set_array(np.asarray(image, np.float32).reshape(28, 28))
        self._labelled = None if label is None else (self.canvas.exact, int(label))
        self.predict()

    def _test_images(self):
        """The test set the reading network learned; None while MNIST is still being loaded."""
        snap = self.snapshot
        if snap is not None and snap.test_set is not None:
            live = self.source.currentIndex() == LIVE and snap.image_shape == (28, 28)
            if live or snap.test_set.name == "mnist":
                return snap.test_set
        self._prefetch_mnist()
        return self._mnist_test

    def random_test_digit(self):
        """Draw a random test image of the data the reading network learned; returns its index
        (None while MNIST's test images are loading: one is drawn when they are there)."""
        test = self._test_images()
        if test is None:
            self._random_when_loaded = True
            self.confidence.setText("loading MNIST's test images…")
            return None
        i = int(self._rng.integers(len(test)))
        self.show_image(test.x[i], test.labels[i])
        return i

    def _prefetch_mnist(self):
        """Start loading MNIST's test set (the pretrained network's) off the GUI thread."""
        if self._mnist_test is None and not self._mnist_jobs.busy:
            self._mnist_jobs.start(lambda job: load("mnist").test, self._on_mnist_loaded,
                                   lambda error: self._show_problem(f"MNIST: {error}"))

    def _on_mnist_loaded(self, test):
        self._mnist_test = test
        if self._random_when_loaded:
            self._random_when_loaded = False
            self.random_test_digit()

    def noise(self):
        self.canvas.set_array(self._rng.random((28, 28)) * (self._rng.random((28, 28)) > 0.6))

    def load_image(self, path):
        """Draw an image file on the pad; it is read off the GUI thread, a problem is a message."""
        self.confidence.setText("reading the image…")
        self._jobs.start(lambda job: read_digit(path), self._show_reading, self._show_problem)

    def _show_reading(self, reading):
        """A file's digit on the canvas (upright, square, centred), read as the reader read it."""
        h, w = reading.ink.shape
        side = max(h, w)
        square = np.zeros((side, side), np.float32)
        top, left = (side - h) // 2, (side - w) // 2
        square[top:top + h, left:left + w] = reading.ink
        self._loaded = (reading.steps.result, reading.steps)
        self.canvas.set_array(square, exact=reading.steps.result)

    def _show_problem(self, message):
        self.confidence.setText(" ")
        QMessageBox.warning(self, "Digit Descent", message)

    def _load_dialog(self):
        settings = self.settings if self.settings is not None else app_settings()
        path = open_file_name(self, settings, "image", "Load a digit image",
                              f"Images ({IMAGE_PATTERNS});;All files (*)")
        if path:
            self.load_image(path)
