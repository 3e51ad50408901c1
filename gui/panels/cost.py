"""The cost panel: mini-batch cost, its moving average, per-epoch costs and accuracies."""

import bisect
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QWidget, QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QVBoxLayout)

from digit_descent.engine.history import (RUN_FRACTION, Smoother, bin_mean, envelope,
                                          history_csv, thin)
from digit_descent.engine.model_io import atomic_write

from .. import style
from .base import Panel
from .cost_ghosts import ENVELOPE_BINS, GhostCurves


MARKER_LIMIT = 60  # more epoch figures than this are drawn as lines without symbols
X_HEADROOM = 1.08  # the x axis reaches this far past the data (grows in steps this big)


class ThousandsAxis(pg.AxisItem):
    """An axis labelled 600,000 and 1,000,000 (as the captions write them), not 6e+05 or
    1e+06; fractional ticks (epochs) as pyqtgraph writes them."""

    def __init__(self, orientation):
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        if spacing * scale < 1:
            return super().tickStrings(values, scale, spacing)
        return [f"{v * scale:,.0f}" for v in values]


class CostPanel(GhostCurves, Panel):
    """Live cost curve. Feed it snapshots with :meth:`show_snapshot`."""

    key = "cost"
    bench_view = True
    title = "Cost"
    redraw_interval_s = 0.2  # the curve moves slowly; painting holds the GIL training needs
    help = ("The cost (how wrong the network is) after every mini-batch — faint, noisy — "
            "and its moving average in bold. Dots: the cost on the training set (orange) "
            "and on the unseen test set (green) at the end of each epoch. Triangles (right "
            "axis): the accuracy on the test set (purple) and on the training set (orange, "
            "dashed); when they part, the network memorises instead of learning. A run with no "
            "test set (Trask's 4-row table) shows the training set's figures only. Hover to read "
            "values.")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self._smoother = Smoother()
        self._x_top = self._y_top = None
        self._epoch_key = None  # what the epoch points show now
        self.ghosts = []  # earlier runs kept to compare: (Ghost, cost item, accuracy item, label)
        self.tested = True  # the run has a test set of its own (else its figures are hidden)
        self._build()

    # ------------------------------------------------------------ layout
    def _build(self):
        self.x_axis = QComboBox()
        self.x_axis.addItems(["samples seen", "epochs"])
        self.x_axis.setToolTip("Horizontal axis: training samples seen, or epochs")
        self.log_scale = QCheckBox("log scale")
        self.log_scale.setToolTip("Space the cost axis by factors of ten (1, 0.1, 0.01…), so "
                                  "the small late improvements stay visible")
        self.smoothing = QSlider(Qt.Horizontal)
        self.smoothing.setRange(0, 100)
        self.smoothing.setValue(60)
        self.smoothing.setFixedWidth(140)
        self.smoothing.setToolTip("Moving-average smoothing of the mini-batch cost")
        self.smoothing_text = QLabel()
        self.smoothing_text.setMinimumWidth(110)
        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextSelectableByMouse)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("x:"))
        controls.addWidget(self.x_axis)
        controls.addWidget(self.log_scale)
        controls.addSpacing(12)
        controls.addWidget(QLabel("smoothing"))
        controls.addWidget(self.smoothing)
        controls.addWidget(self.smoothing_text)
        controls.addStretch(1)

        self.plot = pg.PlotWidget(axisItems={"bottom": ThousandsAxis("bottom")})
        item = self.plot.getPlotItem()
        item.showAxis("right")
        style.style_plot(item, left="cost", bottom="samples seen", right="accuracy (%)")
        # A QLabel, not a pyqtgraph legend: it is painted once, not at every frame.
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self._update_legend()
        style.sized_text(self.legend, 11)
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Show the whole run again after zooming or panning")
        self._follow = True  # ranges follow the data until the user zooms or pans
        item.vb.sigRangeChangedManually.connect(self._on_manual_range)
        self.fit_button.clicked.connect(self._fit)

        # PySide6 holds the GIL while Qt paints, so every millisecond spent here is taken from
        # training. The noisy mini-batch cost is drawn as its min–max envelope (a 1-px aliased
        # opaque zig-zag over at most ENVELOPE_BINS columns: Qt strokes wide, antialiased or
        # translucent zig-zags, or fills them, 10–100 times slower), and there is no grid.
        # Bare curve items: a PlotDataItem's setData costs ~4× more Python for symbols never drawn.
        self.raw_curve = style.sized_pen(pg.PlotCurveItem(antialias=False),
                                         style.faint(style.SKY, 110), 1)
        self.smooth_curve = style.sized_pen(pg.PlotCurveItem(antialias=False), style.BLUE, 3)
        item.addItem(self.raw_curve)
        item.addItem(self.smooth_curve)
        # Epoch figures: symbols while there are few of them, a plain line once there are many
        # (a 4-sample data set ends an epoch at every step).
        self.train_points = style.sized_symbol(
            item.plot(pen=None, symbol="o", symbolBrush=style.ORANGE, symbolPen=style.INK), 13)
        self.test_points = style.sized_symbol(style.sized_pen(
            item.plot(symbol="s", symbolBrush=style.GREEN, symbolPen=style.INK), style.GREEN, 2), 9)

        # Accuracies on a second view box sharing the x axis.
        self.acc_view = pg.ViewBox()
        item.scene().addItem(self.acc_view)
        item.getAxis("right").linkToView(self.acc_view)
        self.acc_view.setXLink(item)
        self.acc_view.setYRange(0, 100, padding=0.03)  # room for the top tick label
        self.acc_view.setMouseEnabled(x=False, y=False)
        self.acc_curve = style.sized_symbol(style.sized_pen(
            pg.PlotDataItem(symbol="t1", symbolBrush=style.PURPLE, symbolPen=None),
            style.PURPLE, 2.5), 10)
        self.train_acc_curve = style.sized_symbol(style.sized_pen(
            pg.PlotDataItem(symbol="t1", symbolBrush=style.ORANGE, symbolPen=None),
            style.ORANGE, 2, style=Qt.DashLine), 10)
        self.acc_view.addItem(self.train_acc_curve)
        self.acc_view.addItem(self.acc_curve)
        self._markers = True  # the epoch figures are drawn with symbols
        self._symbols = {curve: curve.opts["symbol"] for curve in
                         (self.train_points, self.test_points, self.acc_curve, self.train_acc_curve)}
        self._acc_low = None
        item.vb.sigResized.connect(self._sync_views)

        # The moment shown when looking back with the timeline
        self.cursor = pg.InfiniteLine(angle=90)
        style.sized_pen(self.cursor, style.VERMILION, 2, style=Qt.DashLine)
        self.cursor.hide()
        item.addItem(self.cursor, ignoreBounds=True)

        self.empty_text = pg.TextItem("Press Space or Train to start", color=style.GREY,
                                      anchor=(0.5, 0.5))
        style.sized_font(self.empty_text, 16)
        item.addItem(self.empty_text, ignoreBounds=True)

        self._mouse_proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30,
                                           slot=self._on_mouse_moved)
        self.x_axis.currentIndexChanged.connect(self._on_x_axis_changed)
        self.log_scale.toggled.connect(self._on_log_toggled)
        self.smoothing.valueChanged.connect(self._on_smoothing_changed)
        self._on_smoothing_changed()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.control_bar = QWidget()
        self.control_bar.setLayout(controls)
        controls.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.control_bar)
        legend_row = QHBoxLayout()
        legend_row.addWidget(self.legend, 1)
        legend_row.addWidget(self.fit_button)
        layout.addLayout(legend_row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)

    def _sync_views(self):
        vb = self.plot.getPlotItem().vb
        self.acc_view.setGeometry(vb.sceneBoundingRect())
        self.acc_view.linkedViewChanged(vb, self.acc_view.XAxis)
        rect = vb.viewRect()
        self.empty_text.setPos(rect.center())

    def _on_log_toggled(self, on):
        # Only the cost axis is logarithmic: the curves are given log10 of the costs and the
        # left axis labels its ticks as powers of ten. PlotItem.setLogMode would also turn the
        # accuracy axis logarithmic and leave bare curve items untransformed.
        self.plot.getPlotItem().getAxis("left").setLogMode(y=on)
        self._epoch_key = None
        self._draw_ghosts()
        self._fit()

    def _on_x_axis_changed(self, *_):
        # setLabel redraws the axis: only when the label changes, not at every frame
        style.axis_label(self.plot.getPlotItem().getAxis("bottom"), self.x_axis.currentText())
        self._epoch_key = None
        self._draw_ghosts()
        self._fit()

    def _on_manual_range(self, *_):
        self._follow = False

    def _fit(self):
        self._follow = True
        self._x_top = self._y_top = None
        self._redraw()

    def _follow_data(self, x_last, y_max, shrink=True):
        """Keep the whole run in view, changing the ranges only in steps (``shrink`` False:
        the ranges only grow, as while looking back into the run).

        The axes are redrawn only when their range changes, so a range that grows
        in steps of X_HEADROOM instead of at every frame saves most of their painting.
        """
        vb = self.plot.getPlotItem().vb
        if self.log_scale.isChecked():
            vb.enableAutoRange(y=True)
        elif self._y_top is None or y_max > self._y_top or (shrink and y_max < 0.6 * self._y_top):
            self._y_top = y_max * 1.15 if y_max > 0 else 1.0
            vb.setYRange(0, self._y_top, padding=0)
        if self._x_top is None or x_last > self._x_top or (shrink and x_last < 0.5 * self._x_top):
            self._x_top = max(x_last * X_HEADROOM, 1e-9)
            vb.setXRange(0, self._x_top, padding=0.01)

    # ------------------------------------------------------------- data
    def presenter_hides(self):
        return [self.control_bar, self.fit_button]

    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        if snapshot.has_test_set != self.tested:
            self._show_tested(snapshot.has_test_set)
        self._redraw()

    def _show_tested(self, tested):
        """No test set of its own: its "test" figures, the training set's again, are hidden."""
        self.tested = tested
        self.test_points.setVisible(tested)
        self.acc_curve.setVisible(tested)
        self._update_legend()

    def _span(self):
        """The slider's averaging span in mini-batches: 0 → 1 (none), 50 → 100, 100 → 10,000."""
        return 10 ** (self.smoothing.value() / 25)

    def _on_smoothing_changed(self, *_):
        span = self._smoother.span = self._span()
        self.smoothing_text.setText("off" if self.smoothing.value() == 0 else f"~{span:,.0f} steps")
        self.smoothing_text.setToolTip("The average spans this many mini-batches, or about "
                                       f"{RUN_FRACTION:.0%} of the run so far if that is fewer")
        self._redraw()

    def smoothed(self, snapshot):
        """The moving average of ``snapshot``'s mini-batch cost (see :class:`Smoother`)."""
        return self._smoother(snapshot)

    def _x(self, samples, snapshot):
        if self.x_axis.currentIndex() == 1 and snapshot.n_train:
            return samples / snapshot.n_train
        return samples

    def _cost_values(self, values):
        """Costs as drawn: log10 in log mode (non-positive costs are clipped to 10⁻¹²)."""
        values = np.asarray(values, np.float64)
        return np.log10(np.maximum(values, 1e-12)) if self.log_scale.isChecked() else values

    def _redraw(self, *_):
        snap = self.snapshot
        if snap is None:
            return
        samples, raw, mean = snap.history
        self.cursor.setVisible(snap.live_step is not None)
        if snap.live_step is not None:
            self.cursor.setPos(float(self._x(np.float64(snap.samples_seen), snap)))
        self.empty_text.setVisible(len(samples) == 0)
        if len(samples) == 0:
            for curve in (self.raw_curve, self.smooth_curve, self.train_points, self.test_points,
                          self.acc_curve, self.train_acc_curve):
                curve.setData([], [])
            self._epoch_key = None
            return
        x = self._x(samples, snap)
        bx, low, high = envelope(x, self._cost_values(raw), ENVELOPE_BINS)
        self.raw_curve.setData(np.repeat(bx, 2), np.stack([low, high], axis=1).ravel(),
                               skipFiniteCheck=True)
        sx, smooth = bin_mean(x, self.smoothed(snap), ENVELOPE_BINS)
        smooth = self._cost_values(smooth)
        self.smooth_curve.setData(sx, smooth, skipFiniteCheck=True)
        reports = snap.reports
        key = (reports, self.x_axis.currentIndex(), self.log_scale.isChecked())
        if key != self._epoch_key:  # the epoch figures change only at epoch ends
            self._epoch_key = key
            self._draw_reports(snap)
        if self._follow:
            finite = smooth[np.isfinite(smooth)]
            y_max = float(finite.max()) if finite.size else 0.0
            if reports:
                epoch_max = max(max(r.train_cost, r.test_cost) for r in reports[-50:])
                y_max = max(y_max, epoch_max if np.isfinite(epoch_max) else 0.0)
            ghost_x, ghost_y = self._ghost_extent()
            # looking back, the axes stay as they were live: the curve is seen to rewind
            self._follow_data(max(float(x[-1]), ghost_x), max(y_max, ghost_y),
                              shrink=snap.live_step is None)

    def _draw_reports(self, snap):
        """The per-epoch costs and accuracies, thinned to at most ENVELOPE_BINS points."""
        reports = snap.reports
        items = (self.train_points, self.test_points, self.acc_curve, self.train_acc_curve)
        if not reports:
            for curve in items:
                curve.setData([], [])
            return
        keep = thin(len(reports), ENVELOPE_BINS)
        figures = np.array([(r.samples_seen, r.train_cost, r.test_cost, r.train_accuracy,
                             r.test_accuracy) for r in (reports[i] for i in keep)], np.float64)
        ex = self._x(figures[:, 0], snap)
        few = len(reports) <= MARKER_LIMIT
        if few != self._markers:  # each change rebuilds the items: only when it changes
            self._markers = few
            self.train_points.setPen(None if few else style.pen(style.ORANGE, style.scaled(2)))
            for curve in items:
                curve.setSymbol(self._symbols[curve] if few else None)
        self.train_points.setData(ex, self._cost_values(figures[:, 1]))
        self.test_points.setData(ex, self._cost_values(figures[:, 2]))
        self.train_acc_curve.setData(ex, 100 * figures[:, 3])
        self.acc_curve.setData(ex, 100 * figures[:, 4])
        accuracy = np.concatenate([100 * figures[:, 3:5].ravel(),
                                   *(ghost.accuracy for ghost, *_ in self.ghosts)])
        finite = accuracy[np.isfinite(accuracy)]
        low = max(0.0, 5 * np.floor(finite.min() / 5) - 5) if finite.size else 0.0
        if low != self._acc_low:
            self._acc_low = low
            self.acc_view.setYRange(low, 100, padding=0.03)

    # ----------------------------------------------------------- hover
    def _on_mouse_moved(self, event):
        snap = self.snapshot
        pos = event[0]
        item = self.plot.getPlotItem()
        if snap is None or not item.sceneBoundingRect().contains(pos) or not len(snap.history[0]):
            return
        x_view = item.vb.mapSceneToView(pos).x()
        samples = snap.history[0]
        x = self._x(samples, snap)
        i = int(np.clip(np.searchsorted(x, x_view), 0, len(x) - 1))
        smooth = self.smoothed(snap)
        text = (f"{int(samples[i]):,} samples (epoch {samples[i] / max(snap.n_train, 1):.2f}): "
                f"mini-batch cost {snap.history[1][i]:.4f}, average {smooth[i]:.4f}")
        if snap.reports:
            j = bisect.bisect_left(snap.reports, samples[i], key=lambda r: r.samples_seen)
            r = snap.reports[min(j, len(snap.reports) - 1)]
            text += (f"   |   epoch {r.epoch}: train {r.train_cost:.4f}, test {r.test_cost:.4f}, "
                     f"accuracy {r.train_accuracy:.2%} train, {r.test_accuracy:.2%} test"
                     if self.tested else f"   |   epoch {r.epoch}: training cost "
                     f"{r.train_cost:.4f}, training accuracy {r.train_accuracy:.2%} (no test set)")
        self.readout.setText(text)

    # -------------------------------------------------------- settings
    def save_settings(self, write):
        write("x_axis", self.x_axis.currentIndex())
        write("log_scale", self.log_scale.isChecked())
        write("smoothing", self.smoothing.value())

    def restore_settings(self, read):
        self.x_axis.setCurrentIndex(read("x_axis", int, 0, lambda v: v in (0, 1)))
        self.log_scale.setChecked(read("log_scale", _boolean, False))
        self.smoothing.setValue(read("smoothing", int, self.smoothing.value(),
                                     lambda v: 0 <= v <= 100))

    # ---------------------------------------------------------- export
    @contextmanager
    def picture(self):
        """The plot to export, with a legend drawn in it (on screen the legend is a label)."""
        item = self.plot.getPlotItem()
        legend = pg.LegendItem(offset=(-10, 10), labelTextSize="11pt", brush=pg.mkBrush(255, 255, 255, 220))
        legend.setParentItem(item.vb)
        for curve, name in ((self.raw_curve, "mini-batch cost"), (self.smooth_curve, "moving average"),
                            (self.train_points, "training set"), (self.test_points, "test set"),
                            (self.acc_curve, "test accuracy"),
                            (self.train_acc_curve, "training accuracy")):
            if curve.isVisible():
                legend.addItem(curve, name)
        try:
            yield item
        finally:
            item.scene().removeItem(legend)

    def history_csv(self):
        """The cost history as CSV text (see :func:`engine.history.history_csv`)."""
        snap = self.snapshot
        smooth = self.smoothed(snap) if snap is not None and len(snap.history[0]) else ()
        return history_csv(snap, smooth)

    def export_csv(self, path):
        text = self.history_csv().encode()
        atomic_write(path, lambda f: f.write(text))


def _boolean(value):
    """A saved true/false (QSettings gives back "true"/"false" from an INI file)."""
    if value in (True, "true"):
        return True
    if value in (False, "false"):
        return False
    raise ValueError(value)

