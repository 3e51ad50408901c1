"""The lab's data panel: the network's answer over the plane, the points on it, live.

Classification: the output's probabilities as a blend of the class colours under the
points (training points filled, test points ringed in black). A surface (2-D regression):
the output over the plane in the sign colours, (a − ½)·2 from −1 to +1, under the points
coloured by their targets on the same scale. Click to add a point of the
chosen class, right-click to remove the nearest (ConvNetJS's gesture). A 1-D curve: its
samples, the network's output drawn over them and, below, each neuron of the last hidden
layer's contribution w·a to the output's weighted input z (the universal-approximation
picture: z is their sum plus the bias).
"""

from contextlib import nullcontext

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout

from digit_descent.engine.lab.datasets import DOMAIN
from digit_descent.engine.network import unflatten

from .. import style
from ..panels.base import Panel
from .colours import blend, class_colour, lightened_signed, signed

POINT_SIZE = 9
PLANE = QRectF(-DOMAIN, -DOMAIN, 2 * DOMAIN, 2 * DOMAIN)


class BoundaryPanel(Panel):
    """Draws :class:`~engine.lab.LabSnapshot` s. Signals carry plane coordinates:
    ``pointAdded(x, y, label)``, ``pointRemoved(x, y)``, ``probeMoved(x, y)`` (the mouse's
    place: the input whose numbers the node-link view's hover card shows)."""

    key = "lab_boundary"
    title = "Data and decision boundary"
    help = ("The network's answer at every point of the plane, in the blended colours of the "
            "classes; filled dots are training points, ringed dots test points. Click to add "
            "a point of the chosen class, right-click to remove one.")
    redraw_interval_s = 1 / 60

    pointAdded = Signal(float, float, int)
    pointRemoved = Signal(float, float)
    probeMoved = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self._shown_points = None
        self._mode = None
        self.status = QLabel("")
        self.status.setWordWrap(True)
        # two lines kept free: the plane, aspect-locked, would jump as the status grew a line
        style.keep(self.status, lambda w: (w.setFont(style.font(13, True)),
                                           w.setMinimumHeight(2 * w.fontMetrics().lineSpacing())))
        self.class_row = QHBoxLayout()
        self.class_group = QButtonGroup(self)
        self.view = pg.GraphicsLayoutWidget()
        self.plot = self.view.addPlot()
        self.parts = self.view.addPlot(row=1, col=0)  # a curve's contributions
        for p in (self.plot, self.parts):
            p.setMenuEnabled(False)
            p.vb.setMouseEnabled(False, False)
            p.hideButtons()
        style.style_plot(self.plot, "y", "x")
        style.style_plot(self.parts, "w·a (share of z)", "x")
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.output_curve = pg.PlotDataItem()
        style.sized_pen(self.output_curve, style.VERMILION, 4)
        self.output_curve.setZValue(5)  # over the samples
        self.plot.addItem(self.output_curve)
        self.train_dots = pg.ScatterPlotItem(pxMode=True)
        self.test_dots = pg.ScatterPlotItem(pxMode=True)
        for dots in (self.train_dots, self.test_dots):
            style.sized_symbol(dots, POINT_SIZE)
            self.plot.addItem(dots)
        self.part_curves = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addLayout(self.class_row)
        layout.addWidget(self.view, 1)
        self.view.scene().sigMouseClicked.connect(self._clicked)
        self.view.scene().sigMouseMoved.connect(self._moved)

    @property
    def chosen_class(self):
        return max(0, self.class_group.checkedId())

    # ----------------------------------------------------------------- drawing
    def show_snapshot(self, snapshot):
        self.snapshot = snapshot
        cfg = snapshot.config
        regression = cfg.curve
        if self._mode != (regression, cfg.surface, snapshot.n_classes):
            self._set_mode(regression, snapshot.n_classes, cfg.surface)
        self.status.setText(_status(snapshot))
        if snapshot.points is not self._shown_points:
            self._draw_points(snapshot)
        b = snapshot.boundary
        if regression:
            self.output_curve.setData(b.axis, b.output[:, 0])
            self._draw_parts(snapshot)
        else:
            picture = lightened_signed(b.output[..., 0] - 0.5, 0.5) if cfg.surface \
                else blend(b.output)
            self.image.setImage(picture, autoLevels=False, levels=(0, 255))
            self.image.setRect(PLANE)  # after the image: its size sets the scale

    def _set_mode(self, regression, n_classes, surface=False):
        self._mode = (regression, surface, n_classes)
        self.image.setVisible(not regression)
        self.output_curve.setVisible(regression)
        self.view.ci.layout.setRowStretchFactor(1, 1 if regression else 0)
        self.parts.setVisible(regression)
        self.plot.vb.setAspectLocked(not regression)
        if regression:
            self.plot.setRange(xRange=(-DOMAIN, DOMAIN), yRange=(0, 1), padding=0.02)
            style.axis_label(self.plot.getAxis("left"), "y (target and output)")
        else:
            self.plot.setRange(xRange=(-DOMAIN, DOMAIN), yRange=(-DOMAIN, DOMAIN), padding=0)
            style.axis_label(self.plot.getAxis("left"), "y")
        for button in self.class_group.buttons():
            self.class_group.removeButton(button)
            self.class_row.removeWidget(button)
            button.deleteLater()
        while self.class_row.count():  # the labels too: taken out, they stayed drawn
            item = self.class_row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if regression or surface:
            self._add_class_label("Click: add a sample · right-click: remove" if regression
                                  else "Colour: value −1…+1 · click adds a sample · "
                                       "right-click removes")
            return
        self._add_class_label("Click adds:", stretch=False)
        for c in range(n_classes):
            button = QRadioButton(f"● {c}")
            style.sized_text(button, 13, f"color: {class_colour(c)}; font-weight: bold;")
            self.class_group.addButton(button, c)
            self.class_row.addWidget(button)
        self.class_group.button(0).setChecked(True)
        self._add_class_label("right-click removes", stretch=True)

    def _add_class_label(self, text, stretch=True):
        label = QLabel(text)
        style.sized_font(label, 11)
        self.class_row.addWidget(label, 1 if stretch else 0)

    def _draw_points(self, snapshot):
        self._shown_points = snapshot.points
        pts, labels, train = snapshot.points, snapshot.labels, snapshot.is_train
        regression = snapshot.config.curve
        for dots, keep, ring in ((self.train_dots, train, "w"), (self.test_dots, ~train, "k")):
            if snapshot.targets is not None:  # a surface: each point's value
                brushes = [pg.mkBrush(*rgb) for rgb in signed(snapshot.targets[keep], 1.0)]
            else:
                brushes = [pg.mkBrush(style.GREY if regression else class_colour(c))
                           for c in labels[keep]]
            if regression and ring == "k":
                brushes = [pg.mkBrush("w")] * int(keep.sum())
            edge = "w" if snapshot.targets is None else style.GREY  # a pale value: seen still
            dots.setData(pts[keep, 0], pts[keep, 1], brush=brushes,
                         pen=pg.mkPen(style.INK if ring == "k" else edge,
                                      width=style.scaled(2 if ring == "k" else 1)))

    def _draw_parts(self, snapshot):
        b = snapshot.boundary
        if not b.hidden:
            return
        weights, _ = unflatten(snapshot.sizes, snapshot.params)
        shares = b.hidden[-1] * weights[-1][0]  # (R, n): w_j a_j(x)
        while len(self.part_curves) < shares.shape[1]:
            curve = pg.PlotDataItem()
            self.parts.addItem(curve)
            self.part_curves.append(curve)
        for j, curve in enumerate(self.part_curves):
            if j < shares.shape[1]:
                colour = [style.BLUE, style.ORANGE, style.GREEN, style.VERMILION, style.PURPLE,
                          style.SKY][j % 6]
                curve.setPen(style.pen(colour, style.scaled(2)))
                curve.setData(b.axis, shares[:, j])
            curve.setVisible(j < shares.shape[1])

    # ------------------------------------------------------------------ mouse
    def _plane(self, scene_pos):
        if not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.plot.vb.mapSceneToView(scene_pos)
        inside = abs(p.x()) <= DOMAIN and (0 <= p.y() <= 1 if self._mode and self._mode[0]
                                           else abs(p.y()) <= DOMAIN)
        return (p.x(), p.y()) if inside else None

    def _clicked(self, event):
        where = self._plane(event.scenePos())
        if where is None:
            return
        if event.button() == Qt.LeftButton:
            self.pointAdded.emit(*where, self.chosen_class)
        elif event.button() == Qt.RightButton:
            self.pointRemoved.emit(*where)

    def _moved(self, scene_pos):
        where = self._plane(scene_pos)
        if where is not None:
            self.probeMoved.emit(*where)

    def picture(self):
        return nullcontext(self.view.ci)


def _status(s):
    tested = not s.is_train.all()
    text = f"epoch {s.epoch:,}   cost: train {s.train_cost:.3g}, " + \
        (f"test {s.test_cost:.3g}" if tested else "no test points")
    if s.train_accuracy is not None:
        text += f"\naccuracy: train {s.train_accuracy:.0%}" + \
            (f", test {s.test_accuracy:.0%}" if tested else "")
    return text
