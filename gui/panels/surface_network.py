"""The loss surface panel's network mode: the real network's cost on a plane through its
weights (computed off the GUI thread), its trajectory and the ball that is the network now.

A mix-in of :class:`~digit_descent.gui.panels.surface.SurfacePanel`, which builds the
widgets it draws on (``item``, ``image``, ``net_ball``, ``net_trail``, ``status`` …).
"""

import bisect

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QProgressBar, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from digit_descent.engine import DataError
from digit_descent.engine.landscape import interpolate, plane_surface, project

from .. import style


def rows(*rows):
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


class NetworkSurfaceMode:
    """Network mode of the surface panel."""

    def _build_network_controls(self):
        """The network mode's row of controls (directions, grid, samples, span, Compute…)."""
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
        box = rows([self.directions, self.resolution, self.samples, self.span],
                        [self.compute_button, self.cancel_button, self.auto, self.progress])
        self.directions.setToolTip(
            "Which flat slice through the weights to draw. Random: two random directions, each "
            "scaled to the size of the weights it moves (filter-normalised, after Li et al. "
            "2018), so the slice looks the same whatever the weights' scale. PCA: the two "
            "directions in which the weights moved most while training, so the path the "
            "network took lies in the slice.")
        self.span.setToolTip("How far the slice reaches from the weights now, in each "
                             "direction (random directions only: along PCA directions the "
                             "slice reaches as far as the path went)")
        self.directions.currentIndexChanged.connect(  # PCA's reach follows the path
            lambda index: self.span.setVisible(index == 0))
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self._poll = QTimer(self)  # the progress bar follows the job's rows
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._show_progress)
        return box

    # The panel's settings (its Panel contract): the mode and the network mode's choices.
    def save_settings(self, write):
        write("mode", self.mode.currentIndex())
        write("directions", self.directions.currentIndex())
        for name in ("resolution", "samples", "span", "auto"):
            write(name, getattr(self, name).value())

    def restore_settings(self, read):
        self.mode.setCurrentIndex(read("mode", int, self.mode.currentIndex(),
                                       lambda v: 0 <= v < self.mode.count()))
        self.directions.setCurrentIndex(read("directions", int, self.directions.currentIndex(),
                                             lambda v: 0 <= v < self.directions.count()))
        for name in ("resolution", "samples", "span", "auto"):
            box = getattr(self, name)
            convert = float if name == "span" else int
            box.setValue(read(name, convert, box.value(),
                              lambda v, b=box: b.minimum() <= v <= b.maximum()))

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
        self.progress.setValue(self.progress.maximum())  # done: 100%, not back to 0%
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
        self.colorbar.setToolTip("Colour: the cost, on a scale where each step of 1 is ten times "
                                 "more (0 is a cost of 1, −1 of 0.1, −2 of 0.01)")
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
