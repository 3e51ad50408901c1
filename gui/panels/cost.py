"""The cost panel: mini-batch cost, its moving average, per-epoch costs and test accuracy."""

import csv
import io

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QVBoxLayout, QWidget)

from engine.model_io import atomic_write

from .. import style


def ema(values, alpha, start=None):
    """Exponential moving average ``y_t = α y_{t−1} + (1 − α) x_t`` (``y_0 = x_0``).

    ``start`` continues an earlier average: the y before ``values[0]``.
    """
    out = np.empty(len(values), np.float64)
    y = float(values[0] if start is None and len(values) else start)
    keep = 1.0 - alpha
    for i, x in enumerate(values.tolist()):
        y = alpha * y + keep * x
        out[i] = y
    return out


ENVELOPE_BINS = 500


def _bins(n, n_bins):
    """Start indices of ``min(n, n_bins)`` contiguous, nearly equal chunks of ``n`` items."""
    return np.linspace(0, n, min(n, n_bins) + 1).astype(np.int64)[:-1]


def envelope(x, y, n_bins):
    """``(x, low, high)``: the first x, min y and max y of each of ≤ ``n_bins`` chunks."""
    if len(x) <= n_bins:
        return x, y, y
    starts = _bins(len(x), n_bins)
    return x[starts], np.minimum.reduceat(y, starts), np.maximum.reduceat(y, starts)


def bin_mean(x, y, n_bins):
    """``(x, mean y)`` of each of ≤ ``n_bins`` chunks."""
    if len(x) <= n_bins:
        return x, y
    starts = _bins(len(x), n_bins)
    counts = np.diff(np.append(starts, len(x)))
    return x[starts], np.add.reduceat(y, starts) / counts


class CostPanel(QWidget):
    """Live cost curve. Feed it snapshots with :meth:`show_snapshot`."""

    title = "Cost"
    redraw_interval_s = 0.2  # the curve moves slowly; painting holds the GIL training needs
    help = ("The cost (how wrong the network is) after every mini-batch — faint, noisy — "
            "and its moving average in bold. Dots: the cost on the whole training set (orange) "
            "and on the unseen test set (green) at the end of each epoch. The purple line "
            "(right axis) is the test accuracy. Hover to read values.")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._snapshot = None
        self._smooth_cache = None  # (stride, count, alpha, smoothed)
        self._x_top = self._y_top = None
        self._epoch_key = None  # what the epoch points show now
        self._build()

    # ------------------------------------------------------------ layout
    def _build(self):
        self.x_axis = QComboBox()
        self.x_axis.addItems(["samples seen", "epochs"])
        self.x_axis.setToolTip("Horizontal axis: training samples seen, or epochs")
        self.log_scale = QCheckBox("log scale")
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

        self.plot = pg.PlotWidget()
        item = self.plot.getPlotItem()
        item.showAxis("right")
        style.style_plot(item, left="cost", bottom="samples seen", right="test accuracy (%)")
        # A QLabel, not a pyqtgraph legend: it is painted once, not at every frame.
        self.legend = QLabel(" &nbsp; ".join(
            f'<span style="color:{c}; font-size:15pt">{sym}</span>&nbsp;{text}' for c, sym, text in [
                (style.SKY, "▮", "mini-batch cost"), (style.BLUE, "━", "moving average"),
                (style.ORANGE, "●", "training set (epoch)"), (style.GREEN, "■", "test set (epoch)"),
                (style.PURPLE, "▲", "test accuracy (right axis)")]))
        self.legend.setStyleSheet("font-size: 11pt;")
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
        self.raw_curve = pg.PlotCurveItem(pen=style.pen(style.faint(style.SKY, 110), 1),
                                          antialias=False)
        self.smooth_curve = pg.PlotCurveItem(pen=style.pen(style.BLUE, 3), antialias=False)
        item.addItem(self.raw_curve)
        item.addItem(self.smooth_curve)
        self.train_points = item.plot(pen=None, symbol="o", symbolSize=13, symbolBrush=style.ORANGE,
                                      symbolPen=style.INK)
        self.test_points = item.plot(pen=style.pen(style.GREEN, 2), symbol="s", symbolSize=9,
                                     symbolBrush=style.GREEN, symbolPen=style.INK)

        # Test accuracy on a second view box sharing the x axis.
        self.acc_view = pg.ViewBox()
        item.scene().addItem(self.acc_view)
        item.getAxis("right").linkToView(self.acc_view)
        self.acc_view.setXLink(item)
        self.acc_view.setYRange(0, 100, padding=0.03)  # room for the top tick label
        self.acc_view.setMouseEnabled(x=False, y=False)
        self.acc_curve = pg.PlotDataItem(pen=style.pen(style.PURPLE, 2.5), symbol="t",
                                         symbolSize=9, symbolBrush=style.PURPLE)
        self.acc_view.addItem(self.acc_curve)
        self._acc_low = None
        item.vb.sigResized.connect(self._sync_views)

        self.empty_text = pg.TextItem("Press Space or Train to start", color=style.GREY,
                                      anchor=(0.5, 0.5))
        font = QFont()
        font.setPointSize(16)
        self.empty_text.setFont(font)
        item.addItem(self.empty_text, ignoreBounds=True)

        self._mouse_proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30,
                                           slot=self._on_mouse_moved)
        self.x_axis.currentIndexChanged.connect(self._on_x_axis_changed)
        self.log_scale.toggled.connect(self._on_log_toggled)
        self.smoothing.valueChanged.connect(self._on_smoothing_changed)
        self._on_smoothing_changed()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
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
        self.plot.getPlotItem().setLogMode(y=on)
        self._epoch_key = None
        self._fit()

    def _on_x_axis_changed(self, *_):
        # setLabel redraws the axis: only when the label changes, not at every frame
        self.plot.getPlotItem().getAxis("bottom").setLabel(
            self.x_axis.currentText(), **{"font-size": f"{style.LABEL_FONT_PT}pt"})
        self._epoch_key = None
        self._fit()

    def _on_manual_range(self, *_):
        self._follow = False

    def _fit(self):
        self._follow = True
        self._x_top = self._y_top = None
        self._redraw()

    def _follow_data(self, x_last, y_max):
        """Keep the whole run in view, changing the ranges only in steps.

        The axes are redrawn only when their range changes, so a range that grows
        in 30% steps instead of at every frame saves most of their painting.
        """
        vb = self.plot.getPlotItem().vb
        if self.log_scale.isChecked():
            vb.enableAutoRange(y=True)
        elif self._y_top is None or not 0.6 * self._y_top <= y_max <= self._y_top:
            self._y_top = y_max * 1.15 if y_max > 0 else 1.0
            vb.setYRange(0, self._y_top, padding=0)
        if self._x_top is None or x_last > self._x_top or x_last < 0.5 * self._x_top:
            self._x_top = max(x_last * 1.3, 1e-9)
            vb.setXRange(0, self._x_top, padding=0.01)

    # ------------------------------------------------------------- data
    def show_snapshot(self, snapshot):
        self._snapshot = snapshot
        self._redraw()

    def _alpha(self):
        """EMA weight per mini-batch: slider 0 → none, 50 → 0.99, 100 → 0.9999."""
        return 1.0 - 10 ** (-self.smoothing.value() / 25)

    def _on_smoothing_changed(self, *_):
        span = 1 / max(1 - self._alpha(), 1e-9)
        self.smoothing_text.setText("off" if self.smoothing.value() == 0 else f"~{span:,.0f} steps")
        self._redraw()

    def smoothed(self, snapshot):
        """The moving average of the mini-batch cost, extended incrementally when possible."""
        _, _, mean = snapshot.history
        stride = snapshot.history_stride
        alpha = self._alpha() ** stride  # the same smoothing per sample whatever the decimation
        cached = self._smooth_cache
        if (cached and cached[0] == stride and cached[2] == alpha and cached[1] <= len(mean)
                and cached[1] > 0):
            done = cached[3]
            tail = ema(mean[cached[1]:], alpha, start=done[-1]) if len(mean) > cached[1] else done[:0]
            smooth = np.concatenate([done, tail])
        else:
            smooth = ema(mean, alpha)
        self._smooth_cache = (stride, len(mean), alpha, smooth)
        return smooth

    def _x(self, samples, snapshot):
        if self.x_axis.currentIndex() == 1 and snapshot.n_train:
            return samples / snapshot.n_train
        return samples

    def _redraw(self, *_):
        snap = self._snapshot
        if snap is None:
            return
        samples, raw, mean = snap.history
        self.empty_text.setVisible(len(samples) == 0)
        if len(samples) == 0:
            for curve in (self.raw_curve, self.smooth_curve, self.train_points, self.test_points,
                          self.acc_curve):
                curve.setData([], [])
            return
        x = self._x(samples, snap)
        positive = self.log_scale.isChecked()
        bx, low, high = envelope(x, _safe(raw, positive), ENVELOPE_BINS)
        self.raw_curve.setData(np.repeat(bx, 2), np.stack([low, high], axis=1).ravel(),
                               skipFiniteCheck=True)
        sx, smooth = bin_mean(x, _safe(self.smoothed(snap), positive), ENVELOPE_BINS)
        self.smooth_curve.setData(sx, smooth, skipFiniteCheck=True)
        reports = snap.reports
        key = (reports, self.x_axis.currentIndex(), positive)
        epoch_max = max((max(r.train_cost, r.test_cost) for r in reports), default=0.0)
        if key == self._epoch_key:
            pass  # the epoch points change only at epoch ends
        elif reports:
            self._epoch_key = key
            ex = self._x(np.array([r.samples_seen for r in reports], np.float64), snap)
            self.train_points.setData(ex, _safe(np.array([r.train_cost for r in reports]), positive))
            self.test_points.setData(ex, _safe(np.array([r.test_cost for r in reports]), positive))
            accuracy = np.array([100 * r.test_accuracy for r in reports])
            self.acc_curve.setData(ex, accuracy)
            finite = accuracy[np.isfinite(accuracy)]
            low = max(0.0, 5 * np.floor(finite.min() / 5) - 5) if finite.size else 0.0
            if low != self._acc_low:
                self._acc_low = low
                self.acc_view.setYRange(low, 100, padding=0.03)
        else:
            self._epoch_key = key
            for curve in (self.train_points, self.test_points, self.acc_curve):
                curve.setData([], [])
        if self._follow:
            finite_smooth = smooth[np.isfinite(smooth)]
            y_max = max(float(finite_smooth.max()) if finite_smooth.size else 0.0,
                        epoch_max if np.isfinite(epoch_max) else 0.0)
            self._follow_data(float(x[-1]), y_max)

    # ----------------------------------------------------------- hover
    def _on_mouse_moved(self, event):
        snap = self._snapshot
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
            ex = np.array([r.samples_seen for r in snap.reports])
            j = int(np.argmin(np.abs(ex - samples[i])))
            r = snap.reports[j]
            text += (f"   |   epoch {r.epoch}: train {r.train_cost:.4f}, test {r.test_cost:.4f}, "
                     f"accuracy {r.test_accuracy:.2%}")
        self.readout.setText(text)

    # ---------------------------------------------------------- export
    def history_csv(self):
        """The cost history as CSV text: one row per recorded mini-batch, then one per epoch."""
        snap = self._snapshot
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["kind", "samples_seen", "epoch", "minibatch_cost", "smoothed_cost",
                         "train_cost", "test_cost", "train_accuracy", "test_accuracy"])
        if snap is not None:
            samples, raw, _ = snap.history
            smooth = self.smoothed(snap) if len(samples) else []
            n = max(snap.n_train, 1)
            for s, c, m in zip(samples, raw, smooth):
                writer.writerow(["minibatch", int(s), f"{s / n:.4f}", f"{c:.6g}", f"{m:.6g}",
                                 "", "", "", ""])
            for r in snap.reports:
                writer.writerow(["epoch", r.samples_seen, r.epoch, "", "", f"{r.train_cost:.6g}",
                                 f"{r.test_cost:.6g}", f"{r.train_accuracy:.6g}",
                                 f"{r.test_accuracy:.6g}"])
        return buf.getvalue()

    def export_csv(self, path):
        text = self.history_csv().encode()
        atomic_write(path, lambda f: f.write(text))


def _safe(values, positive):
    values = np.asarray(values, np.float64)
    return np.maximum(values, 1e-12) if positive else values

