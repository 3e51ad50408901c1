"""The panel contract: a new panel is its module plus one line in gui.panels.PANELS."""

from contextlib import nullcontext

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QVBoxLayout

from digit_descent.gui import panels
from digit_descent.gui.panels.base import Panel


class StepPanel(Panel):
    """A trivial panel: the step number, in big type."""

    key = "steps"
    title = "Steps"
    help = "The number of mini-batch steps trained so far."
    redraw_interval_s = 0.1
    bench_view = True

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self.label = self.view.addLabel("step –", size="40pt")
        self.shown_steps = []
        self.restored = None
        self.closed = False
        QVBoxLayout(self).addWidget(self.view)

    def show_snapshot(self, snapshot):
        self.shown_steps.append(snapshot.step)
        self.label.setText(f"step {snapshot.step:,}")

    def picture(self):
        return nullcontext(self.view.ci)

    def save_settings(self, write):
        write("seen", len(self.shown_steps))

    def restore_settings(self, read):
        self.restored = read("seen", int, 0, lambda v: v >= 0)

    def shutdown(self):
        self.closed = True


@pytest.fixture
def with_step_panel(monkeypatch):
    monkeypatch.setattr(panels, "PANELS", panels.PANELS + [StepPanel])  # the one line
    import digit_descent.gui.main_window as main_window

    monkeypatch.setattr(main_window, "PANELS", panels.PANELS)


def test_a_new_panel_is_one_module_and_one_line(with_step_panel, make_window, qtbot, tmp_path,
                                                small_config, settings):
    from digit_descent.gui.selfcheck import bench_views

    w = make_window(small_config)
    panel = w.panels["steps"]
    assert w.docks["steps"].windowTitle() == "Steps"
    view_menu = [a for a in w.menuBar().actions() if a.text() == "&View"][0].menu()
    assert "Steps" in [a.text() for a in view_menu.actions()]
    export_menu = [a for a in w.menuBar().actions()[0].menu().actions()
                   if a.text() == "Export picture of a panel"][0].menu()
    assert "Steps…" in [a.text() for a in export_menu.actions()]
    help_dialog = w.show_panel_help()
    qtbot.addWidget(help_dialog)
    assert "mini-batch steps trained so far" in help_dialog.findChild(
        type(help_dialog.layout().itemAt(0).widget())).toPlainText()
    assert "steps" in bench_views()
    w.docks["steps"].raise_()
    w.controller.step(3)
    qtbot.waitUntil(lambda: panel.shown_steps and panel.shown_steps[-1] == 3, timeout=3000)
    assert w.files.export_picture("steps", tmp_path / "steps.png", width=800)
    w.close()
    assert panel.closed and int(settings.value("steps/seen")) == len(panel.shown_steps)
    again = make_window(small_config, settings=settings)
    assert again.panels["steps"].restored == len(panel.shown_steps)
