"""File → Export picture of a panel that is not on screen (behind another tab, or closed)."""

import numpy as np
from PySide6.QtGui import QImage

from digit_descent.gui.pixels import image_array


def test_a_panel_behind_a_tab_is_exported_as_on_screen(make_window, qtbot, small_config,
                                                       tmp_path):
    """It was drawn at the size its hidden widget last had: a squashed strip, or blank."""
    w = make_window(small_config)
    w.resize(1600, 900)
    w.docks["cost"].raise_()
    qtbot.waitUntil(lambda: not w.cost_panel.visibleRegion().isEmpty(), timeout=5000)
    assert w.panels["weights"].visibleRegion().isEmpty()  # behind the cost panel's tab
    assert w.files.export_picture("weights", tmp_path / "weights.png", width=1200)
    image = QImage(str(tmp_path / "weights.png"))
    cost = w.cost_panel.size()
    assert image.width() == 1200  # laid out at the tab's size, not squashed into a strip
    assert image.height() > 0.4 * 1200 * cost.height() / cost.width()
    pixels = image_array(image, QImage.Format_RGB888)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100  # the weights, drawn
    assert w.panels["weights"].visibleRegion().isEmpty()  # the tabs as they were
    assert not w.cost_panel.visibleRegion().isEmpty()

    w.docks["confusion"].close()  # a closed panel too, and it stays closed
    assert w.files.export_picture("confusion", tmp_path / "confusion.png", width=800)
    assert QImage(str(tmp_path / "confusion.png")).height() > 200
    assert w.docks["confusion"].isHidden()
