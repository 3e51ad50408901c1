"""Universal approximation: one hidden layer fitting a curve, each neuron's v·σ(wx + b)
drawn, for 1, 2, 4 or 16 neurons; and two sigmoids making a bump."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton

from digit_descent.engine.lessons import universal as uni

from .. import style
from ..jobs import Jobs
from .base import TEXT_PT, LessonView, text_label

PALETTE = (style.BLUE, style.ORANGE, style.GREEN, style.PURPLE, style.SKY, style.GREY)


def _size_radio(button):
    """The text and its round button both at the zoom (the button stayed 13 px)."""
    side = round(style.scaled(TEXT_PT) * 0.9)  # points → ~0.9 of the text's height in px
    button.setStyleSheet(f"QRadioButton {{ font-size: {style.scaled(TEXT_PT):.1f}pt; }} "
                         f"QRadioButton::indicator {{ width: {side}px; height: {side}px; }}")


class UniversalFitView(LessonView):
    def __init__(self, parent=None):
        super().__init__("One hidden layer adds up sigmoids: the curve (black), the fit "
                         "(red), and below each neuron's part", parent)
        bar = QHBoxLayout()  # short labels: the row fits a column half a 1280-px window wide
        self.group = QButtonGroup(self)
        for width in ("bump", *uni.WIDTHS):
            if width == uni.WIDTHS[0]:
                bar.addSpacing(24)
                bar.addWidget(text_label("hidden neurons:", wrap=False))
            button = QRadioButton("two sigmoids → a bump" if width == "bump" else str(width))
            style.keep(button, _size_radio)
            self.group.addButton(button)
            button.setProperty("neurons", width)
            bar.addWidget(button)
        bar.addStretch(1)
        self.layout_.addLayout(bar)
        self.readout = text_label("<i>fitting 1, 2, 4 and 16 neurons…</i>")
        self.layout_.addWidget(self.readout)
        self.plots = pg.GraphicsLayoutWidget()
        self.plot = self.plots.addPlot(row=0, col=0)  # the curve and the fit
        self.parts = self.plots.addPlot(row=1, col=0)  # each neuron's v·σ(wx + b)
        self.parts.setXLink(self.plot)
        for plot, left in ((self.plot, "y"), (self.parts, "v·σ(wx + b)")):
            style.style_plot(plot, left=left, bottom="x")
            plot.setMouseEnabled(False, False)
            plot.showGrid(x=True, y=True, alpha=0.2)
        self.layout_.addWidget(self.plots, 1)
        self.fits = {}
        self.group.buttonClicked.connect(lambda b: self.show_width(b.property("neurons")))
        self.group.buttons()[0].setChecked(True)
        self.show_width("bump")
        self._jobs = Jobs(self)
        self._jobs.start(lambda job: uni.fits(), self._ready, self.readout.setText)

    def _ready(self, fits):
        self.fits = fits
        checked = self.group.checkedButton()
        self.show_width(checked.property("neurons") if checked else "bump")

    def _line(self, x, y, colour, width, plot=None):
        item = (plot or self.plot).plot(x, y)
        style.sized_pen(item, colour, width)
        return item

    def show_width(self, width):
        self.plot.clear()
        self.parts.clear()
        x = np.linspace(-1, 1, uni.POINTS)
        if width == "bump":
            s = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731
            self._line(x, s(12 * (x + 0.3)), PALETTE[0], 3, self.parts)
            self._line(x, -s(12 * (x - 0.3)), PALETTE[1], 3, self.parts)
            self._line(x, uni.bump(x), style.VERMILION, 4)
            self.readout.setText("Below: σ(12(x + 0.3)) (blue) and −σ(12(x − 0.3)) (orange). "
                                 "Their sum, above: a bump (red). Bumps side by side make any "
                                 "curve.")
            return
        self._line(x, uni.target(x), style.INK, 3)
        model = self.fits.get(width)
        if model is None:
            self.readout.setText("<i>fitting…</i>")
            return
        for j, part in enumerate(model.contributions(x).T):
            self._line(x, part, PALETTE[j % len(PALETTE)], 2, self.parts)
        self._line(x, model(x), style.VERMILION, 4)
        error = float(np.mean((model(x) - uni.target(x)) ** 2))
        self.readout.setText(f"{width} hidden neuron{'s' * (width > 1)}: mean squared error "
                             f"<b>{error:.2g}</b> on the {uni.POINTS} points. Below, each "
                             f"neuron's v·σ(wx + b); their sum plus the output bias "
                             f"({model.c[0]:+.2f}) is the red fit.")
