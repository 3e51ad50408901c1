"""Logistic regression, seed 001's way: the S-curve P(1) = σ(β₀ + β₁·ink) over the data,
β₀ and β₁ on sliders, and beside it the exact cost over (β₀, β₁) with the ball rolling down
while the curve fits itself."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSlider

from digit_descent.engine.landscape import Ball
from digit_descent.engine.lessons import logistic as lr

from .. import style
from ..jobs import Jobs
from .base import TEXT_PT, LessonView, text_label

SLIDER_SCALE = 100  # slider units per unit of β
GRID = 81


def _surface(job):
    """The task and its cost on a GRID × GRID grid over the extent (the slow part)."""
    task = lr.InkTask()
    b0_from, b0_to, b1_from, b1_to = lr.EXTENT
    b0, b1 = np.linspace(b0_from, b0_to, GRID), np.linspace(b1_from, b1_to, GRID)
    cost = np.array([task.cost(b0, np.full(GRID, v)) for v in b1])  # rows: β₁, cols: β₀
    x, y = task.sample()
    jitter = np.random.default_rng(1).uniform(-0.04, 0.04, len(y))
    return task, cost, x, y + jitter


class LogisticView(LessonView):
    """The curve, the surface and the sliders; ``roll``: set the ball rolling from β =
    START as soon as the surface is ready."""

    def __init__(self, parent=None, roll=False):
        super().__init__("Logistic regression: is it a 1 (not a 0), from its ink?", parent)
        self.task, self.ball = None, None
        self.readout = text_label("<i>computing the cost surface on 12,665 images…</i>")
        self.layout_.addWidget(self.readout)
        plots = QHBoxLayout()
        self.curve_plot = pg.PlotWidget()
        cp = self.curve_plot.getPlotItem()
        style.style_plot(cp, left="P(a 1)", bottom="ink (standardised: 0 = average)")
        cp.setRange(xRange=(-2.5, 3.5), yRange=(-0.1, 1.1), padding=0)
        cp.setMouseEnabled(False, False)
        self.points = pg.ScatterPlotItem(pen=None, brush=pg.mkBrush(0, 114, 178, 90))
        style.sized_symbol(self.points, 7)
        cp.addItem(self.points)
        self.curve = cp.plot()
        style.sized_pen(self.curve, style.VERMILION, 4)
        self.middle = pg.InfiniteLine(angle=90, pen=pg.mkPen(style.GREY, style=Qt.DashLine))
        cp.addItem(self.middle)
        self.surface_plot = pg.PlotWidget()
        sp = self.surface_plot.getPlotItem()
        style.style_plot(sp, left="β₁ (steepness)", bottom="β₀ (shift)")
        sp.setMouseEnabled(False, False)
        self.image = pg.ImageItem()
        sp.addItem(self.image)
        self.trail = sp.plot()
        style.sized_pen(self.trail, style.INK, 2)
        self.dot = pg.ScatterPlotItem(brush=pg.mkBrush(style.VERMILION), pen=pg.mkPen("w"))
        style.sized_symbol(self.dot, 16)
        sp.addItem(self.dot)
        plots.addWidget(self.curve_plot, 1)
        plots.addWidget(self.surface_plot, 1)
        self.layout_.addLayout(plots, 1)
        controls = QGridLayout()
        self.sliders = []
        for row, (name, low, high) in enumerate((("β₀", lr.EXTENT[0], lr.EXTENT[1]),
                                                  ("β₁", lr.EXTENT[2], lr.EXTENT[3]))):
            slider = QSlider(Qt.Horizontal)
            slider.setRange(int(low * SLIDER_SCALE), int(high * SLIDER_SCALE))
            slider.valueChanged.connect(self._slid)
            controls.addWidget(text_label(name), row, 0)
            controls.addWidget(slider, row, 1)
            self.sliders.append(slider)
        self.roll = QPushButton("Roll downhill (gradient descent)")
        self.roll.setCheckable(True)
        self.roll.toggled.connect(self._roll)
        style.sized_text(self.roll, TEXT_PT)
        controls.addWidget(self.roll, 0, 2, 2, 1)
        self.layout_.addLayout(controls)
        self.timer = QTimer(self)
        self.timer.setInterval(40)
        self.timer.timeout.connect(self.step)
        self.steps = 0
        self._roll_when_ready = roll
        self._jobs = Jobs(self)
        self._jobs.start(_surface, self._ready, self.readout.setText)

    @property
    def beta(self):
        return tuple(s.value() / SLIDER_SCALE for s in self.sliders)

    def _ready(self, found):
        self.task, cost, x, y = found
        b0_from, b0_to, b1_from, b1_to = lr.EXTENT
        self.image.setImage(np.log(cost), levels=(np.log(cost.min()), np.log(cost.max())))
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.image.setRect(b0_from, b1_from, b0_to - b0_from, b1_to - b1_from)
        self.surface_plot.getPlotItem().setRange(xRange=(b0_from, b0_to),
                                                 yRange=(b1_from, b1_to), padding=0)
        self.points.setData(x, y)
        self.set_beta(*lr.START)
        self.roll.setChecked(self._roll_when_ready)

    def set_beta(self, beta0, beta1, keep_trail=False):
        for slider, value in zip(self.sliders, (beta0, beta1)):
            slider.blockSignals(True)
            slider.setValue(round(value * SLIDER_SCALE))
            slider.blockSignals(False)
        if not keep_trail:
            self.ball = Ball(self.task, (beta0, beta1), lr=lr.LR)
            self.steps = 0
        self._draw(beta0, beta1)

    def _slid(self):
        if self.task is not None:
            self.roll.setChecked(False)
            self.set_beta(*self.beta)

    def _roll(self, on):
        if on and self.task is not None:
            self.timer.start()
        else:
            self.timer.stop()

    def step(self):
        """One step of gradient descent on the whole set (cheap: one pass over 12,665)."""
        if self.ball is None:
            return
        self.ball.step()
        self.steps += 1
        self.set_beta(*self.ball.position, keep_trail=True)
        if self.steps >= lr.STEPS:
            self.roll.setChecked(False)

    def _draw(self, beta0, beta1):
        xs = np.linspace(-2.5, 3.5, 300)
        self.curve.setData(xs, lr.probability(beta0, beta1, xs))
        if beta1:
            self.middle.setValue(-beta0 / beta1)
        trail = np.array(self.ball.trail)
        self.trail.setData(trail[:, 0], trail[:, 1])
        self.dot.setData([beta0], [beta1])
        task = self.task
        middle = f"{-beta0 / beta1:+.2f}" if beta1 else "none"
        self.readout.setText(
            f"β₀ = <b>{beta0:+.2f}</b>, β₁ = <b>{beta1:+.2f}</b> (middle at ink {middle}) "
            f"&nbsp; cost <b>{float(task.cost(beta0, beta1)):.3f}</b> &nbsp; test zeros and "
            f"ones read right: <b>{lr.accuracy(beta0, beta1, task.test_feature, task.test_label):.1%}</b>"
            f" &nbsp; steps: {self.steps}")

    def closeEvent(self, event):
        self.timer.stop()
        super().closeEvent(event)
