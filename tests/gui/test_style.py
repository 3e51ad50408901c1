"""The zoom and the screen's scale reach every line and title."""

import os
import subprocess
import sys

import pyqtgraph as pg

from digit_descent.gui import style

THICKNESS = """
import pyqtgraph as pg
from PySide6.QtGui import QColor
from digit_descent.gui import style
app = pg.mkQApp()
style.configure_pyqtgraph()
w = pg.PlotWidget()
w.resize(300, 200)
style.sized_pen(w.plot([0, 1], [0.5, 0.5]), "#000000", 4)
w.getPlotItem().hideAxis("left"); w.getPlotItem().hideAxis("bottom")
w.setYRange(0, 1)
w.show()
app.processEvents()
image = w.grab().toImage()
x = image.width() // 2
print(image.devicePixelRatio(), sum(QColor(image.pixel(x, y)).lightness() < 128
                                    for y in range(image.height())))
"""


def test_lines_keep_their_thickness_on_a_screen_scaled_by_two():
    """A 4-px line is 4 logical pixels (8 device pixels) on a 4K screen scaled by 2, as
    thick beside the text as on a 1080p screen, not half as thick."""
    thickness = {}
    for factor in ("1", "2"):
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": factor}
        run = subprocess.run([sys.executable, "-c", THICKNESS], env=env, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        ratio, px = run.stdout.split()
        assert float(ratio) == float(factor)
        thickness[factor] = int(px)
    assert thickness == {"1": 4, "2": 8}


def test_a_colour_bar_title_follows_the_zoom(qtbot):
    bar = pg.ColorBarItem(colorMap=style.diverging_colormap(), interactive=False, label="weight")
    style.style_colorbar(bar)
    (titled,) = [bar.getAxis(n) for n in ("left", "right") if bar.getAxis(n).labelText]
    old = style.zoom()
    try:
        style.set_zoom(2.0)
        assert titled.labelStyle["font-size"] == f"{2 * style.LABEL_FONT_PT:.1f}pt"
    finally:
        style.set_zoom(old)


def test_tick_labels_are_20_px_in_the_presenter_view_at_1080p_and_grow_with_zoom(qtbot):
    """The numbers a lesson's caption points at (the cost's and the accuracy's axes): at
    least 20 px in F5 on a 1920×1080 screen (96 dpi), larger at every Ctrl++."""
    from PySide6.QtCore import QSize

    from digit_descent.gui.presenter import presenter_zoom

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    style.style_plot(widget.getPlotItem(), left="cost", bottom="samples seen", right="accuracy")

    def pixels():
        return [widget.getPlotItem().getAxis(name).style["tickFont"].pointSizeF() * 96 / 72
                for name in ("left", "bottom", "right")]
    try:
        style.set_zoom(presenter_zoom(QSize(1920, 1080)))
        presented = pixels()
        assert min(presented) >= 20
        style.set_zoom(style.zoom() * style.ZOOM_STEP)
        assert all(after > before for before, after in zip(presented, pixels()))
    finally:
        style.set_zoom(1.0)
