"""The activation functions and their slopes, as the engine computes them."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from digit_descent.engine.lessons.activations import ORDER, curves

from .. import style
from .base import TEXT_PT, LessonView

COLOURS = {"sigmoid": style.BLUE, "tanh": style.ORANGE, "relu": style.GREEN}
NAMES = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU"}  # short: left of z = 0


class ActivationCurvesView(LessonView):
    """Above: f(z) for sigmoid, tanh and ReLU; below, on the same z axis: their slopes f′(z),
    which backpropagation multiplies along the path. Stacked, so that the column beside a
    stage's two panels stays narrow."""

    aside_share = (0.33, 0.4)

    def __init__(self, parent=None):
        super().__init__("Activation functions (above) and their slopes (below)", parent)
        column = QVBoxLayout()
        z = np.linspace(-5, 5, 501)
        found = curves(z)
        self.plots = []
        axes = (("f(z)", (-1.1, 2.1)), ("slope f′(z)", (-0.05, 1.1)))
        for index, (title, ylim) in enumerate(axes):
            widget = pg.PlotWidget()
            plot = widget.getPlotItem()
            style.style_plot(plot, left=title, bottom="z")
            if index == 0:  # one legend, top left, where every f(z) is low
                plot.addLegend(offset=(10, 10), labelTextSize=f"{style.scaled(TEXT_PT):.0f}pt")
            for name in ORDER:
                item = plot.plot(z, found[name][index], name=NAMES[name])
                style.sized_pen(item, COLOURS[name], 3)
            plot.setYRange(*ylim, padding=0)
            plot.setXRange(z[0], z[-1], padding=0.02)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMouseEnabled(False, False)
            column.addWidget(widget)
            self.plots.append(plot)
        self.layout_.addLayout(column, 1)
