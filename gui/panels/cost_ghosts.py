"""The cost panel's ghost runs: earlier runs drawn faint under the live curves, named in the
legend (a restart's or a lesson stage's run before it, a fork's past).

A mix-in of :class:`~digit_descent.gui.panels.cost.CostPanel`, which builds the plot, the
accuracy view and the legend it draws into.
"""

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from digit_descent.engine.history import Ghost

from .. import style

ENVELOPE_BINS = 500  # points of a thinned curve (a ghost's, the live cost's envelope)
GHOST_COLOURS = ("#9a9a9a", "#c2a36b", "#8fb3c9")  # faint beside the live run's colours


class GhostCurves:
    """Ghost runs on the cost panel."""

    def add_ghost(self, label, snapshot):
        """Draw ``snapshot``'s run (a Snapshot or a GhostRun: its history, history_stride,
        step, n_train and reports) as a faint curve labelled ``label``, to compare with the
        runs after it."""
        ghost = Ghost.of(label, snapshot, self._span(), ENVELOPE_BINS)
        item = self.plot.getPlotItem()
        colour = GHOST_COLOURS[len(self.ghosts) % len(GHOST_COLOURS)]
        cost = style.sized_pen(pg.PlotCurveItem(antialias=False), colour, 2.5)
        accuracy = style.sized_pen(pg.PlotCurveItem(), colour, 2, style=Qt.DotLine)
        for ghost_item in (cost, accuracy):  # under the live curves, never hiding them
            ghost_item.setZValue(-10)
        item.addItem(cost)
        self.acc_view.addItem(accuracy)
        self.ghosts.append((ghost, cost, accuracy))
        self._update_legend()  # labelled in the legend: a label on the plot would hide data
        self._draw_ghosts()

    def show_ghosts(self, ghosts):
        """Draw exactly ``ghosts`` (:class:`gui.model.GhostRun` s, the model's) as faint curves."""
        self.clear_ghosts()
        for ghost in ghosts:
            self.add_ghost(ghost.label, ghost)

    def clear_ghosts(self):
        item = self.plot.getPlotItem()
        for _, cost, accuracy in self.ghosts:
            item.removeItem(cost)
            self.acc_view.removeItem(accuracy)
        self.ghosts = []
        self._update_legend()

    def _update_legend(self):
        tested = [(style.GREEN, "■", "test set"), (style.PURPLE, "▲", "test accuracy")]
        entries = [(style.SKY, "▮", "mini-batch cost"), (style.BLUE, "━", "moving average"),
                   (style.ORANGE, "●", "training set"), *(tested if self.tested else ()),
                   (style.ORANGE, "▲", "training accuracy")]
        entries += [(GHOST_COLOURS[i % len(GHOST_COLOURS)], "━",
                     f"<i>{html.escape(ghost.label)}</i>") for i, (ghost, *_) in enumerate(self.ghosts)]
        self.legend.setText(" &nbsp; ".join(  # an entry wraps whole, never inside
            f'<span style="white-space:nowrap"><span style="color:{c}; font-size:140%">{sym}'
            f'</span>&nbsp;{text}</span>' for c, sym, text in entries))

    def _draw_ghosts(self):
        for ghost, cost, accuracy in self.ghosts:
            n_train = ghost.n_train if self.x_axis.currentIndex() == 1 else 0
            x = ghost.samples / n_train if n_train else ghost.samples
            y = self._cost_values(ghost.cost)
            cost.setData(x, y, skipFiniteCheck=True)
            ax = ghost.report_samples / n_train if n_train else ghost.report_samples
            accuracy.setData(ax, ghost.accuracy)

    def _ghost_extent(self):
        """``(x_last, y_max)`` of the ghosts as drawn (0, 0 without any)."""
        extent = [(float(c.xData[-1]), float(np.nanmax(c.yData))) for _, c, _ in self.ghosts
                  if c.xData is not None and len(c.xData)]
        return (max(e[0] for e in extent), max(e[1] for e in extent)) if extent else (0.0, 0.0)
