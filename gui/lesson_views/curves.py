"""The activation functions and their slopes, as the engine computes them."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout

from digit_descent.engine.lessons.activations import ORDER, curves

from .. import style
from .base import LessonView

COLOURS = {"sigmoid": style.BLUE, "tanh": style.ORANGE, "relu": style.GREEN}
NAMES = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)", "relu": "ReLU max(0, z)"}


class ActivationCurvesView(LessonView):
    """Left: f(z) for sigmoid, tanh and ReLU; right: their slopes f′(z), which
    backpropagation multiplies along the path."""

    def __init__(self, parent=None):
        super().__init__("Activation functions (left) and their slopes (right)", parent)
        row = QHBoxLayout()
        z = np.linspace(-5, 5, 501)
        found = curves(z)
        self.plots = []
        for index, (title, ylim) in enumerate((("f(z)", (-1.1, 2.1)), ("slope f′(z)", (-0.05, 1.1)))):
            widget = pg.PlotWidget()
            plot = widget.getPlotItem()
            style.style_plot(plot, left=title, bottom="z")
            plot.addLegend(offset=(10, 10), labelTextSize=f"{style.scaled(13):.0f}pt")
            for name in ORDER:
                item = plot.plot(z, found[name][index], name=NAMES[name])
                style.sized_pen(item, COLOURS[name], 3)
            plot.setYRange(*ylim, padding=0)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMouseEnabled(False, False)
            row.addWidget(widget)
            self.plots.append(plot)
        self.layout_.addLayout(row, 1)
