"""The timeline fits the window's width at every zoom: nothing cut, nothing outside."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLayout, QMainWindow, QPushButton

from digit_descent.gui import style
from digit_descent.gui.timeline import LAYOUTS, WIDEST_STEP, TimelineBar

# The app at the largest zoom on a 1280×720 screen (offscreen Qt's screen size is fixed at
# start, hence a process of its own): prints the window's and the screen's widths, the
# timeline's arrangement and each of its parts that is cut or lies outside the window.
AT_720 = """
import json
from PySide6.QtCore import QPoint, QRect, QSettings
from digit_descent.engine import preset
from digit_descent.gui import style
from digit_descent.gui.app import make_application
from digit_descent.gui.main_window import MainWindow

app = make_application()
w = MainWindow(config=preset("3b1b").replace(train_subset=200),
               settings=QSettings(SETTINGS, QSettings.IniFormat))
w.show()
while style.zoom() < style.ZOOM_RANGE[1]:
    w.zoom(style.ZOOM_STEP)
for _ in range(20):
    app.processEvents()
t = w.timeline
parts = [t.bar.title, t.slider, t.label, t.live_button, t.resume_button, t.restart_button]
bad = [type(p).__name__ + " " + getattr(p, "text", lambda: "")() for p in parts if p.isVisible()
       and (p.width() < p.minimumSizeHint().width() or not w.rect().contains(
           QRect(p.mapTo(w, QPoint(0, 0)), p.size())))]
print(json.dumps({"window": w.width(),
                  "screen": w.screen().availableGeometry().width(), "zoom": style.zoom(),
                  "arrangement": t.bar.arrangement, "bad": bad}))
w.close()
"""


def test_the_timeline_fits_1280_by_720_at_the_largest_zoom(tmp_path):
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1280,
                                               "height": 720, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    script = f"SETTINGS = {str(tmp_path / 'settings.ini')!r}\n" + AT_720
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["zoom"] == style.ZOOM_RANGE[1]
    assert facts["screen"] == 1280 and facts["window"] <= facts["screen"]
    assert facts["bad"] == []
    assert tuple(facts["arrangement"]) != LAYOUTS[0]  # the full texts cannot fit there


@pytest.mark.parametrize("width", [640, 1024, 1280, 1920])
def test_the_bar_fits_every_width_at_every_zoom(qtbot, width):
    buttons = tuple((QPushButton(), f"A long {name} button text", name)
                    for name in ("Live", "Resume", "Restart"))
    bar = TimelineBar(buttons)
    window = QMainWindow()
    window.setCentralWidget(bar)
    window.layout().setSizeConstraint(QLayout.SetNoConstraint)  # as the app's window
    qtbot.addWidget(window)
    window.show()
    bar.fit(width)
    room = lambda: bar.label.fontMetrics().horizontalAdvance(WIDEST_STEP) + 4  # noqa: E731

    def cut():
        """The visible parts outside the bar or narrower than they need."""
        return [part for part in (bar.title, bar.slider, bar.label, *(b for b, *_ in buttons))
                if part.isVisible() and (
                    not bar.rect().contains(QRect(part.mapTo(bar, QPoint(0, 0)), part.size()))
                    or part.width() < part.minimumSizeHint().width())]

    try:
        for zoom in (style.ZOOM_RANGE[0], 1.0, 1.44, 2.07, style.ZOOM_RANGE[1]):
            style.set_zoom(zoom)
            qtbot.waitUntil(lambda: bar.label.minimumWidth() == room())  # refitted, new fonts
            window.resize(width, 200)
            try:  # the layout places the parts once the event loop runs
                qtbot.waitUntil(lambda: bar.width() == width and not cut(), timeout=3000)
            except qtbot.TimeoutError:
                pass
            assert bar.width() == width and cut() == [], zoom
            assert bar.needs(bar.arrangement) <= width or bar.arrangement == LAYOUTS[-1]
        assert bar.arrangement != LAYOUTS[0] or width >= 1920
    finally:
        style.set_zoom(1.0)
