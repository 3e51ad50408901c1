"""The loss surface: balls rolling downhill on teaching surfaces, and the real network's cost
on a plane through its weights."""

import bisect
from contextlib import nullcontext

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout,
                               QWidget)

from digit_descent.engine import DataError, load
from digit_descent.engine.landscape import (SURFACES, MiniBatchProblem, grid, interpolate,
                                            plane_surface, project)
from digit_descent.engine.scene import TeachingScene

from .. import style
from ..jobs import Jobs
from .base import Panel
from .surface3d import SurfaceView3D, opengl_available

BALL_COLOURS = [style.VERMILION, style.BLUE, style.GREEN, style.PURPLE, style.ORANGE, style.SKY]
CONTOURS = 12
MINIBATCH_GRID = 81  # the mini-batch surface's grid: 81 × 81 points
MINIBATCH_MIN = 1000  # zeros and ones the run's training set needs, else all MNIST's are loaded
NOISE = 0.8  # the "noisy gradient" box: standard deviation of the noise added to each gradient


def _rows(*rows):
    """A widget holding the given rows of widgets (two short rows fit a narrow dock)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widgets in rows:
        row = QHBoxLayout()
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        layout.addLayout(row)
    return box


class SurfacePanel(Panel):
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

        # network controls
        self.directions = QComboBox()
        self.directions.addItems(["random directions (filter-normalised)",
                                  "PCA of the weight trajectory"])
        self.resolution = QSpinBox()
        self.resolution.setRange(5, 101)
        self.resolution.setValue(41)
        self.resolution.setPrefix("grid ")
        self.samples = QSpinBox()
        self.samples.setRange(50, 60000)
        self.samples.setSingleStep(500)
        self.samples.setValue(1000)
        self.samples.setSuffix(" samples")
        self.span = QDoubleSpinBox()
        self.span.setRange(0.05, 20.0)
        self.span.setValue(1.0)
        self.span.setPrefix("± ")
        self.compute_button = QPushButton("Compute")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.auto = QSpinBox()
        self.auto.setRange(0, 100000)
        self.auto.setSingleStep(500)
        self.auto.setPrefix("refresh every ")
        self.auto.setSuffix(" steps")
        self.auto.setSpecialValueText("refresh on demand")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        net_box = _rows([self.directions, self.resolution, self.samples, self.span],
                        [self.compute_button, self.cancel_button, self.auto, self.progress])
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
        self.noisy.toggled.connect(self._update_ball_settings)
        self.overlay.toggled.connect(lambda on: [c.setVisible(on) for c in self.contours])
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self.plot.scene().sigMouseClicked.connect(self._on_clicked)
        self._poll = QTimer(self)  # the progress bar follows the job's rows
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._show_progress)

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

    @property
    def balls(self):
        """``(Ball, point item, trail item, arrow item)`` of each ball shown."""
        balls = self.scene.balls if self.scene is not None else []
        return [(ball, *items) for ball, items in zip(balls, self._ball_items)]

    def drop_ball(self, x, y, lr=None):
        """Drop a ball at (x, y) of the current teaching surface; None while it is prepared.
        ``lr``: its own learning rate (else it follows the η box). Returns the Ball."""
        if self.scene is None:
            return None
        ball = self.scene.drop(x, y, lr)
        colour = BALL_COLOURS[len(self._ball_items) % len(BALL_COLOURS)]
        point = style.sized_symbol(style.sized_pen(pg.ScatterPlotItem(brush=colour), "w", 2), 16)
        trail = style.sized_pen(pg.PlotCurveItem(), colour, 2.5)
        arrow = pg.ArrowItem(pen=pg.mkPen(colour), brush=colour, headLen=14, tailWidth=3)
        for it in (trail, arrow, point):
            self.item.addItem(it)
        self._ball_items.append((point, trail, arrow))
        self._draw_balls()
        return ball

    def _update_ball_settings(self, *_):
        if self.scene is not None:
            self.scene.set_controls(**self._scene_controls())

    def show_teaching(self, name, balls=()):
        """Teaching surface ``name`` with ``balls`` ``(x, y, η)`` dropped and rolling (a
        lesson's stage); the mini-batch surface drops them once it is computed. A newer
        call replaces the balls of an older one still waiting."""
        self.mode.setCurrentIndex(0)
        self.surface.setCurrentIndex(self.surface.findData(name))
        self.clear_balls()
        self._pending_balls = (name, tuple(balls))
        self._drop_pending()

    def _drop_pending(self):
        name, balls = self._pending_balls
        if not balls or self.scene is None or name != self.surface.currentData():
            return
        self._pending_balls = (None, ())
        rates = {lr for *_, lr in balls}
        lr = rates.pop() if len(rates) == 1 else None
        if lr is not None and self.lr.minimum() <= lr <= self.lr.maximum() and round(lr, 3) == lr:
            self.lr.setValue(lr)  # one η for all: the box shows it and the balls follow it
        else:
            lr = None
        for x, y, own in balls:
            self.drop_ball(x, y, None if lr is not None else own)
        self.play.setChecked(True)

    def _clear_ball_items(self):
        for items in self._ball_items:
            for it in items:
                self.item.removeItem(it)
        self._ball_items = []
        if self.view3d is not None:
            self.view3d.set_paths([])

    def clear_balls(self):
        self._clear_ball_items()
        if self.scene is not None:
            self.scene.clear()
            if self.teaching:
                self.status.setText(self.scene.status())

    def step_balls(self, count=1):
        """``count`` steps of every rolling ball; Play stops once every ball has stopped."""
        if self.scene is None:
            return
        self.scene.step(count)
        if self.scene.stochastic:
            self._show_batch_surface()
        self._draw_balls()
        if self.scene.rolling and not self.scene.moving:
            self.play.setChecked(False)

    def _draw_balls(self):
        if self.scene is None:
            return
        s = self.scene.surface
        for rolling, (point, trail, arrow) in zip(self.scene.rolling, self._ball_items):
            ball = rolling.ball
            path = np.array(ball.trail)
            ys = s.cost(path[:, 0], path[:, 1]) if s.one_d else path[:, 1]
            finite = np.isfinite(path).all(axis=1) & np.isfinite(ys)
            trail.setData(path[finite, 0], ys[finite])
            x, y = ball.position
            if rolling.state == "escaped":
                point.setData([], [])
                arrow.hide()
                continue
            point.setData([x], [s.cost(x, y) if s.one_d else y])
            if rolling.state == "settled":  # no slope left to show
                arrow.hide()
                continue
            gx, gy = s.grad(x, y)
            angle = np.degrees(np.arctan2(gy, gx)) if not s.one_d else (0 if gx > 0 else 180)
            arrow.setPos(x, s.cost(x, y) if s.one_d else y)
            arrow.setStyle(angle=angle, tailLen=min(60, 25 * float(np.hypot(gx, gy)) + 5))
            arrow.show()
        if self.three_d.isChecked() and self.view3d is not None and not s.one_d:
            paths = []
            for rolling, colour in zip(self.scene.rolling, BALL_COLOURS * 4):
                path = np.array(rolling.ball.trail)
                path = path[np.isfinite(path).all(axis=1)]
                paths.append((path, s.cost(path[:, 0], path[:, 1]), colour,
                              rolling.state != "escaped"))
            self.view3d.set_paths(paths)
        if self.teaching:
            self.status.setText(self.scene.status())

    def _on_play(self, on):
        self.play.setText("Pause" if on else "Play")
        self.timer.start() if on else self.timer.stop()

    def _tick(self):
        self.step_balls(self.speed.value())

    def _on_clicked(self, event):
        if not self.teaching or event.button() != Qt.LeftButton or self.scene is None:
            return
        p = self.item.vb.mapSceneToView(event.scenePos())
        surface = self.scene.surface
        x0, x1, y0, y1 = surface.extent
        if x0 <= p.x() <= x1 and (surface.one_d or y0 <= p.y() <= y1):
            self.drop_ball(p.x(), p.y())

    # ----------------------------------------------------------- network
    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        if self.teaching:
            return
        every = self.auto.value()
        if every and snapshot.step - self._last_auto_step >= every and not self.computing:
            self.compute()
        self._draw_network_ball()

    def _show_network_state(self):
        """Network mode: the last computed surface, or an empty plot saying what to do."""
        snap = self.snapshot
        self.item.setLabels(left="β (direction 2)", bottom="α (direction 1)")
        self.item.vb.setAspectLocked(False)
        if self._plane is not None:
            self._show_plane(self._plane)
            return
        self.curve.hide()
        self.image.hide()
        self._clear_contours()
        self.colorbar.hide()
        self.net_ball.clear()
        self.net_trail.setData([], [])
        self.item.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)
        self.hint.setText("Press Compute to draw the network's cost\naround its current weights")
        self.hint.setPos(0, 0)
        self.hint.show()
        if snap is None:
            self.status.setText("Waiting for the network…")
        else:
            self.status.setText("Press Compute to draw the network's cost around its current "
                                "weights.")

    def compute(self):
        """Start computing the network's surface in a background thread (cancels a running one)."""
        snap = self.snapshot
        if snap is None or snap.train_set is None:
            self.status.setText("Waiting for the network…")
            return False
        if not snap.finite:
            self.status.setText("The weights are NaN (training diverged): press Reset first.")
            return False
        steps, points = snap.trajectory[:2]
        method = "pca" if self.directions.currentIndex() == 1 else "random"
        if method == "pca" and len(points) < 3:
            self.status.setText("Train a little first: PCA needs at least three recorded "
                                "points of the trajectory.")
            return False
        self.cancel()
        net = snap.network()
        data = snap.train_set.subset(min(self.samples.value(), len(snap.train_set)))
        n, span, step = self.resolution.value(), self.span.value(), snap.step

        def run(job):  # directions, PCA and the grid: all off the GUI thread
            def should_stop():
                job.progress += 1  # one more row of the grid
                return job.cancelled

            try:
                return plane_surface(net, data.x, data.targets, points, method, span, n, step,
                                     should_stop)
            except MemoryError:
                raise DataError(f"Not enough memory for a {n}×{n} grid over {len(data):,} "
                                "images: choose fewer samples or a coarser grid.") from None

        self._job = self._jobs.start(
            run, lambda plane: self._on_plane(plane, step, len(data), steps), self._on_plane_failed)
        self.progress.setRange(0, n)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.status.setText(f"Computing the cost on a {n}×{n} grid over {len(data):,} training "
                            "images…")
        self._poll.start()
        return True

    def presenter_hides(self):
        return [self.control_bar]

    def shutdown(self):
        self.play.setChecked(False)
        self._minibatch_jobs.cancel()
        self.cancel()

    @property
    def computing(self):
        """True while the network's surface is being computed."""
        return self._job is not None

    def cancel(self):
        if self._job is not None:
            self._jobs.cancel()
            self._job_ended()
            self.status.setText("Cancelled.")

    def _job_ended(self):
        self._job = None
        self._poll.stop()
        self.progress.setValue(0)
        self.cancel_button.setEnabled(False)

    def _show_progress(self):
        if self._job is not None:
            self.progress.setValue(min(self._job.progress, self.progress.maximum()))

    def _on_plane_failed(self, message):
        self._job_ended()
        self.status.setText(f"The cost surface could not be computed: {message}")

    def _on_plane(self, plane, step, n_samples, trail_steps):
        self._job_ended()
        if plane is None:
            return
        self._plane, self._plane_at = plane, (step, tuple(trail_steps))
        self._last_auto_step = step
        self._show_plane(plane)
        centre = plane.surface[len(plane.axis) // 2, len(plane.axis) // 2]
        self.status.setText(f"Cost over {n_samples:,} training images at step {step:,}, "
                            f"{plane.note}; centre {centre:.4f}.")

    def _show_plane(self, plane):
        """The network's cost on ``plane`` (log10 colours), its trail and the ball."""
        span = plane.axis[-1]
        self.hint.hide()
        self.curve.hide()
        self.colorbar.show()
        # log10: the interesting structure is near the minimum, many times below the rim
        self._show_heat_map(np.log10(np.maximum(plane.surface, 1e-12)), (-span, span, -span, span))
        style.axis_label(self.colorbar.getAxis("left"), "log₁₀ cost")
        self.item.setLabels(left="β (direction 2)", bottom="α (direction 1)")
        self._draw_network_ball()

    def _draw_network_ball(self):
        """The weights shown as the ball, at the end of their trail: the recorded path up to
        their step (through the point the surface was computed at, the plane's centre), then
        straight on to the ball (projecting only the weights shown). Looking back at an
        earlier step puts the ball on its trail as it was then."""
        snap, plane = self.snapshot, self._plane
        if plane is None or snap is None or self.teaching:
            return
        here = project(snap.params, plane.origin, plane.d1, plane.d2)[0]
        computed_at, trail_steps = self._plane_at
        kept = bisect.bisect_right(trail_steps, snap.step)
        centre = [[0.0, 0.0]] if kept and trail_steps[kept - 1] < computed_at <= snap.step else []
        path = np.vstack([plane.trail[:kept], *centre, here])
        self.net_trail.setData(path[:, 0], path[:, 1])
        self.net_ball.setData([here[0]], [here[1]])
        if self.three_d.isChecked() and self.view3d is not None:
            height = interpolate(plane.axis, np.log10(np.maximum(plane.surface, 1e-12)), path)
            self.view3d.set_paths([(path, height, style.VERMILION, True)])
