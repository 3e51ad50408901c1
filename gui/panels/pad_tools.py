"""The drawing pad's buttons, in two rows or, in a narrow pad, in three."""

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QWidget

from .. import style


def _fit_text(button):
    """At the zoom's font (the button's own may change only after this runs)."""
    metrics = QFontMetrics(style.font(style.APP_FONT_PT))
    button.setMinimumWidth(metrics.horizontalAdvance(button.text()) + 24)


class ToolGrid(QWidget):
    """The pad's buttons in two rows, or in three where the pad is too narrow for two (three
    columns of panels at 1280×720): its minimum width is the three rows'.

    Two rows:   Clear · Undo · eraser · brush ——      Three rows:  Clear · Undo · eraser
                Random test digit · Noise · Load…                  Random test digit · Noise
                                                                   Load image… · brush ——
    """

    def __init__(self, clear, undo, eraser, brush, random, noise, load):
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.parts = (clear, undo, eraser, brush, random, noise, load)
        for button in (clear, undo, noise):  # their text's width, not the style's 80 px
            style.keep(button, _fit_text)
        self.rows = None
        self.arrange(2)

    # (row, column, column span) of each part, in self.parts' order
    CELLS = {2: ((0, 0, 1), (0, 1, 1), (0, 2, 1), (0, 3, 2), (1, 0, 2), (1, 2, 1), (1, 3, 2)),
             3: ((0, 0, 1), (0, 1, 1), (0, 2, 1), (2, 2, 1), (1, 0, 2), (1, 2, 1), (2, 0, 2))}

    def arrange(self, rows):
        if rows == self.rows:
            return
        self.rows = rows
        for part in self.parts:
            self.grid.removeWidget(part)
        for part, (row, column, span) in zip(self.parts, self.CELLS[rows]):
            self.grid.addWidget(part, row, column, 1, span)

    def least_width(self, rows):
        """The grid's minimum width in ``rows`` rows (pixels), from its parts' own."""
        clear, undo, eraser, brush, random, noise, load = (  # as a layout takes them
            part.minimumWidth() or part.minimumSizeHint().width() for part in self.parts)
        gap = self.grid.horizontalSpacing()
        pair = max(clear + gap + undo, random)  # the first two columns
        if rows == 3:
            return max(pair, load) + gap + max(eraser, noise, brush)
        return pair + gap + max(eraser, noise) + gap + max(brush, load)

    def minimumSizeHint(self):
        return QSize(self.least_width(3), super().minimumSizeHint().height())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.arrange(2 if event.size().width() >= self.least_width(2) else 3)
