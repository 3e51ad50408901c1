"""The loss surface: balls rolling downhill on teaching surfaces, and the real network's cost
on a plane through its weights."""

from contextlib import nullcontext

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QStackedWidget, QVBoxLayout,
                               QWidget)

from digit_descent.engine import load
from digit_descent.engine.landscape import (SURFACES, MiniBatchProblem, grid)
from digit_descent.engine.scene import TeachingScene

from .. import style
from ..jobs import Jobs
from .base import Panel
from .surface3d import SurfaceView3D, opengl_available
from .surface_balls import BallsOnSurface
from .surface_network import NetworkSurfaceMode, rows as _rows

CONTOURS = 12
MINIBATCH_GRID = 81  # the mini-batch surface's grid: 81 × 81 points
MINIBATCH_MIN = 1000  # zeros and ones the run's training set needs, else all MNIST's are loaded
NOISE = 0.8  # the "noisy gradient" box: standard deviation of the noise added to each gradient


class SurfacePanel(BallsOnSurface, NetworkSurfaceMode, Panel):
    """Two modes: teaching surfaces with balls, and the network's own cost surface."""

    key = "surface"
    title = "Loss surface"
    help = ("Gradient descent made visible. Teaching surfaces: click to drop a ball; it rolls "
            "downhill by gradient descent (step = learning rate × slope), the arrow shows −∇C. "
            "Try a large learning rate (it overshoots and flies off), a small one (it crawls), "
            "the narrow valley (plain descent zig-zags, momentum helps), noisy gradients (the "
            "drunkard's walk of mini-batches) and several balls landing in different valleys. "
            "The network's cost: the real cost on a plane through the current weights along two "
            "directions (random, filter-normalised, or the two the training has moved along "
            "most); the ball is the network now and the trail its past.")
    redraw_interval_s = 0.2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self.scene = None  # the TeachingScene of teaching mode (None while it is prepared)
        self._ball_items = []  # (point, trail, arrow) of each of the scene's balls
        self._jobs, self._minibatch_jobs = Jobs(self), Jobs(self)
        self._job = None  # the Job computing the network's surface, if any
        self._plane = None  # the PlaneSurface shown in network mode
        self._plane_at = (0, ())  # its step, and the steps of its trail's points
        self._last_auto_step = 0
        self._minibatch = None  # (problem, whole-set grid), prepared off the GUI thread
        self._pending_balls = (None, ())  # a lesson's surface and balls, dropped once it is there
        self._build()
        self._started = False  # the first surface is drawn when the panel is first shown

    def showEvent(self, event):
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.opengl = opengl_available()
            self.three_d.setToolTip("Show the surface as a 3-D landscape (drag to turn it)"
                                    if self.opengl else
                                    "OpenGL is not available here, so the surface is shown in 2-D")
            self.set_surface()

    # ------------------------------------------------------------ layout
    def _build(self):
        self.mode = QComboBox()
        self.mode.addItems(["teaching surfaces", "the network's cost"])
        self.status = QLabel(" ")
        style.sized_text(self.status, 12)
        self.status.setWordWrap(True)

        # teaching controls
        self.surface = QComboBox()
        for name, s in SURFACES.items():
            self.surface.addItem(s.title, name)
        self.surface.addItem(MiniBatchProblem.title, MiniBatchProblem.name)
        self.overlay = QCheckBox("full-batch contours")
        self.overlay.setChecked(True)
        self.overlay.setToolTip("Contours of the cost on the whole set, under the mini-batch's")
        self.optimizer = QComboBox()
        self.optimizer.addItems(["sgd", "momentum", "adam"])
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(3)
        self.lr.setRange(0.001, 10.0)
        self.lr.setValue(0.1)
        self.lr.setPrefix("η ")
        self.lr.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)
        self.momentum = QDoubleSpinBox()
        self.momentum.setRange(0.0, 0.99)
        self.momentum.setSingleStep(0.05)
        self.momentum.setValue(0.9)
        self.momentum.setPrefix("momentum ")
        self.noisy = QCheckBox("noisy gradient")
        self.noisy.setToolTip("Add noise to every gradient, like the cost of a random mini-batch")
        self.play = QPushButton("Play")
        self.play.setCheckable(True)
        step, clear = QPushButton("Step"), QPushButton("Clear balls")
        self.speed = QSpinBox()
        self.speed.setRange(1, 50)
        self.speed.setValue(2)
        self.speed.setSuffix(" steps/frame")
        teach_box = _rows([self.surface, self.optimizer, self.lr, self.momentum],
                          [self.noisy, self.overlay, self.play, step, clear, self.speed])

        net_box = self._build_network_controls()
        self.controls = QStackedWidget()
        self.controls.addWidget(teach_box)
        self.controls.addWidget(net_box)
        self.controls.setMaximumHeight(teach_box.sizeHint().height() + 6)

        self.plot = pg.PlotWidget()
        self.item = self.plot.getPlotItem()
        style.style_plot(self.item, left="y", bottom="x")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.item.addItem(self.image)
        self.contours = []
        self.curve = style.sized_pen(self.item.plot(), style.INK, 3)  # the 1-D mode
        self.net_ball = style.sized_symbol(style.sized_pen(
            pg.ScatterPlotItem(brush=style.VERMILION), "w", 2), 20)
        self.net_trail = style.sized_pen(pg.PlotCurveItem(), "#ffffff", 2.5)
        self.item.addItem(self.net_trail)
        self.item.addItem(self.net_ball)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False,
                                        width=16, label="cost")
        style.style_colorbar(self.colorbar)
        self.colorbar.setImageItem(self.image, insert_in=self.item)
        self.hint = pg.TextItem("", color=style.GREY, anchor=(0.5, 0.5))
        style.sized_font(self.hint, 15)
        self.hint.hide()
        self.item.addItem(self.hint, ignoreBounds=True)

        self.three_d = QCheckBox("3-D")
        self.three_d.setEnabled(False)
        self.view3d = None
        self.opengl = False  # checked when the panel is first shown (importing OpenGL is slow)
        self.three_d.toggled.connect(self._on_three_d)
        top = QHBoxLayout()
        top.addWidget(QLabel("mode"))
        top.addWidget(self.mode)
        top.addWidget(self.three_d)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.control_bar = QWidget()
        bar = QVBoxLayout(self.control_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addLayout(top)
        bar.addWidget(self.controls)
        layout.addWidget(self.control_bar)
        self.views = QStackedWidget()
        self.views.addWidget(self.plot)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setInterval(33)
        self.timer.timeout.connect(self._tick)
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.surface.currentIndexChanged.connect(self.set_surface)
        self.play.toggled.connect(self._on_play)
        step.clicked.connect(self.step_balls)
        clear.clicked.connect(self.clear_balls)
        for w in (self.lr, self.momentum):
            w.valueChanged.connect(self._update_ball_settings)
        self.optimizer.currentIndexChanged.connect(self._update_ball_settings)
        self.optimizer.currentTextChanged.connect(  # β means something to momentum alone
            lambda name: self.momentum.setEnabled(name == "momentum"))
        self.momentum.setEnabled(self.optimizer.currentText() == "momentum")
        self.noisy.toggled.connect(self._update_ball_settings)
        self.overlay.toggled.connect(lambda on: [c.setVisible(on) for c in self.contours])
        self.plot.scene().sigMouseClicked.connect(self._on_clicked)

    def picture(self):
        """The plot to export (no controls)."""
        return nullcontext(self.item)

    # ---------------------------------------------------------- teaching
    @property
    def teaching(self):
        return self.mode.currentIndex() == 0

    def _on_mode(self, index):
        self.controls.setCurrentIndex(index)
        self.play.setChecked(False)
        if self.teaching:
            self.set_surface()
        else:
            self.clear_balls()
            self.three_d.setEnabled(self.opengl)
            self._show_network_state()

    def current_surface(self):
        """The chosen teaching surface; None while the mini-batch problem is prepared (its
        MNIST digits loaded and the whole set's cost computed, off the GUI thread)."""
        name = self.surface.currentData()
        if name != MiniBatchProblem.name:
            return SURFACES[name]
        if self._minibatch is None:
            self._prepare_minibatch()
            return None
        return self._minibatch[0]

    def _prepare_minibatch(self):
        """Build the mini-batch problem and its whole-set cost grid in a background job (from
        the run's MNIST training set if it holds MINIBATCH_MIN zeros and ones, else from all
        of MNIST's), unless one is already under way."""
        if self._minibatch_jobs.current is not None:
            return
        snap = self.snapshot
        train = snap.train_set if snap is not None and snap.dataset == "mnist" else None

        def run(job):
            enough = train is not None and np.isin(train.labels, (0, 1)).sum() >= MINIBATCH_MIN
            problem = MiniBatchProblem(train if enough else load("mnist").train)
            full = problem.full_grid(MINIBATCH_GRID, lambda: job.cancelled)
            return None if full is None else (problem, full)

        self._minibatch_jobs.start(run, self._on_minibatch_ready, self._on_minibatch_failed)

    def _on_minibatch_ready(self, prepared):
        if prepared is None:
            return
        self._minibatch = prepared
        if self.teaching and self.surface.currentData() == MiniBatchProblem.name:
            self.set_surface()

    def _on_minibatch_failed(self, message):
        if self.teaching and self.surface.currentData() == MiniBatchProblem.name:
            self.hint.setText("The mini-batch surface could not be prepared")
            self.status.setText(f"The mini-batch surface could not be prepared: {message}")

    def _scene_controls(self):
        return dict(lr=self.lr.value(), optimizer=self.optimizer.currentText(),
                    momentum=self.momentum.value(), noise=NOISE if self.noisy.isChecked() else 0.0)

    def set_surface(self, *_):
        """Show the chosen teaching surface, with no balls yet (a lesson's are dropped once
        it is there)."""
        self.clear_balls()
        s = self.current_surface()
        self.scene = None if s is None else TeachingScene(s, **self._scene_controls())
        self._clear_contours()
        self.net_ball.clear()
        self.net_trail.setData([], [])
        minibatch = self.surface.currentData() == MiniBatchProblem.name
        self.overlay.setVisible(minibatch)
        one_d = s is not None and s.one_d
        if one_d:  # a curve has no landscape to turn around
            self.three_d.setChecked(False)
        self.three_d.setEnabled(self.opengl and not one_d)
        style.axis_label(self.colorbar.getAxis("left"), "cost")
        self.colorbar.setVisible(s is not None and not one_d)
        self.hint.hide()
        # x and y of a teaching surface are alike: a round bowl must look round
        self.item.vb.setAspectLocked(not one_d and not minibatch)
        if s is None:
            self._show_computing()
            return
        x0, x1, y0, y1 = s.extent
        if one_d:
            xs, _, C = grid(s)
            self.image.hide()
            self.curve.setData(xs, C[0])
            self.curve.show()
            self.item.setLabels(left="cost C(x)", bottom="x (the one input)")
            low, high = float(C[0].min()), float(C[0].max())
            self.item.setRange(xRange=(x0, x1), yRange=(low - 0.3, high + 0.3))
        elif minibatch:
            self.curve.hide()
            self._show_heat_map(self._minibatch[1][2], s.extent)  # contours: the whole set
            self._levels = self.image.levels
            self._show_batch_surface()
            self.item.setLabels(left="b (bias)", bottom="w (weight of the ink feature)")
        else:
            self.curve.hide()
            self._show_heat_map(grid(s)[2], s.extent)
            self.item.setLabels(left="y", bottom="x")
        self.status.setText(self.scene.status())
        self._drop_pending()

    def _show_computing(self):
        """The mini-batch surface's waiting state: an empty plot saying what is computed."""
        self.image.hide()
        self.curve.hide()
        x0, x1, y0, y1 = MiniBatchProblem.extent
        self.item.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.03)
        self.item.setLabels(left="b (bias)", bottom="w (weight of the ink feature)")
        self.hint.setText("Computing the cost of all of MNIST's 0s and 1s…")
        self.hint.setPos((x0 + x1) / 2, (y0 + y1) / 2)
        self.hint.show()
        self.status.setText("Computing the cost of every 0 and 1 of MNIST's training set on a "
                            f"{MINIBATCH_GRID}×{MINIBATCH_GRID} grid, in the background…")

    def _show_batch_surface(self):
        """The heat map of the current mini-batch's cost, under the full set's contours."""
        problem = self._minibatch[0]
        self.image.setImage(problem.batch_grid(MINIBATCH_GRID)[2], autoLevels=False,
                            levels=self._levels)
        self._update_3d_surface()

    def _on_three_d(self, on):
        if on and self.view3d is None:
            self.view3d = SurfaceView3D()
            self.views.addWidget(self.view3d.widget)
        self.views.setCurrentIndex(1 if on else 0)
        self._update_3d_surface()
        if self.teaching:
            self._draw_balls()
        else:
            self._draw_network_ball()

    def _update_3d_surface(self):
        """Mirror the 2-D heat map (image and extent) in the 3-D view, if it is shown."""
        if not self.three_d.isChecked() or self.view3d is None or self.image.image is None:
            return
        C = self.image.image
        rect = self.image.mapRectToParent(self.image.boundingRect())
        xs = np.linspace(rect.left(), rect.right(), C.shape[1])
        ys = np.linspace(rect.top(), rect.bottom(), C.shape[0])
        self.view3d.set_surface(xs, ys, C, pg.colormap.get("viridis"))

    def _show_heat_map(self, C, extent):
        x0, x1, y0, y1 = extent
        C = np.asarray(C, np.float32)
        finite = C[np.isfinite(C)]
        lo, hi = (float(finite.min()), float(np.percentile(finite, 98))) if finite.size else (0, 1)
        self.image.setImage(C, autoLevels=False, levels=(lo, hi))
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)
        self.image.show()
        self.colorbar.setLevels((lo, hi))
        self._clear_contours()
        for level in np.linspace(lo, hi, CONTOURS)[1:-1]:
            iso = pg.IsocurveItem(data=C, level=level, pen=pg.mkPen((255, 255, 255, 110), width=1),
                                  axisOrder="row-major")
            iso.setParentItem(self.image)
            self.contours.append(iso)
        self.item.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.03)  # edge ticks show
        self._update_3d_surface()

    def _clear_contours(self):
        for c in self.contours:  # children of the image, not of the plot
            c.setParentItem(None)
            if c.scene() is not None:
                c.scene().removeItem(c)
        self.contours = []

    def presenter_hides(self):
        return [self.control_bar]

    def shutdown(self):
        self.play.setChecked(False)
        self._minibatch_jobs.cancel()
        self.cancel()
