"""Depth against width on the two-armed spiral: the four networks of the universal lesson's
experiment (one hidden layer and two, at two budgets of weights and biases), each drawn as
its answer over the plane under the spiral's fresh test points."""

import pyqtgraph as pg

from digit_descent.engine.lessons import universal as uni

from .. import style
from ..jobs import Jobs
from ..lab.colours import blend
from .base import TEXT_PT, LessonView, text_label


class DepthWidthView(LessonView):
    def __init__(self, parent=None):
        super().__init__("Depth against width: the same budget, one hidden layer or two",
                         parent)
        self.readout = text_label("<i>training the four networks on the spiral (a few "
                                  "seconds)…</i>")
        self.layout_.addWidget(self.readout)
        self.plots = pg.GraphicsLayoutWidget()
        self.layout_.addWidget(self.plots, 1)
        self.networks = []  # the experiment's four, once trained
        self._jobs = Jobs(self)
        self._jobs.start(lambda job: uni.depth_against_width(), self._ready,
                         self.readout.setText)

    def _ready(self, networks):
        self.networks = networks
        tight, roomy = networks[0]["parameters"], networks[-1]["parameters"]
        self.readout.setText(
            f"About {tight} weights and biases (the first two), then about {roomy}. Each "
            "picture: the network's answer over the plane (orange: arm 0, blue: arm 1) under "
            "the fresh test points; the percentage is how many of them it reads right.")
        self._draw()

    def _columns(self):
        """Four pictures in a row when the view is wide, else two rows of two."""
        size = self.plots.size()
        return 4 if size.width() > 2.2 * size.height() else 2

    def _draw(self):
        self._drawn_columns = cols = self._columns()
        self.plots.clear()
        x, labels = uni.spiral(seed=1)  # the fresh points the accuracies are measured on
        e = uni.SPIRAL_EXTENT
        for i, net in enumerate(self.networks):
            plot = self.plots.addPlot(row=i // cols, col=i % cols)
            plot.setMouseEnabled(False, False)
            plot.setAspectLocked(True)
            plot.hideAxis("left")
            plot.hideAxis("bottom")
            image = pg.ImageItem(blend(net["picture"][..., None]), axisOrder="row-major")
            image.setRect(-e, -e, 2 * e, 2 * e)
            plot.addItem(image)
            for arm, colour in ((0, style.ORANGE), (1, style.BLUE)):
                keep = labels == arm
                plot.addItem(pg.ScatterPlotItem(
                    x[keep, 0], x[keep, 1], size=style.scaled(5), brush=pg.mkBrush(colour),
                    pen=pg.mkPen(style.INK, width=style.scaled(0.6))))
            plot.setTitle(f"{net['layers']}: <b>{net['test_accuracy']:.1%}</b><br>"
                          f"{net['parameters']} weights and biases")
            style.sized_label(plot.titleLabel, TEXT_PT - 2)
        self.updateGeometry()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.networks and self._columns() != getattr(self, "_drawn_columns", None):
            self._draw()

    def accuracies(self):
        """``{layers: test accuracy}`` of the networks drawn (empty until trained)."""
        return {n["layers"]: n["test_accuracy"] for n in self.networks}


__all__ = ["DepthWidthView"]
