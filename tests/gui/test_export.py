"""File → Export picture of a panel that is not on screen (behind another tab, or closed)."""

from pathlib import Path

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


def test_file_dialogs_start_where_that_kind_of_file_was_last_chosen(make_window, monkeypatch,
                                                                     tmp_path, small_config):
    """Every dialog opened in the folder the app was started from."""
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    from digit_descent.gui import files

    w = make_window(small_config)
    asked = []
    models, sessions = tmp_path / "models", tmp_path / "sessions"
    models.mkdir()
    sessions.mkdir()
    answers = iter([str(models / "a.npz"), "", str(sessions / "run.npz")])

    def open_name(parent, title, folder, filters):
        asked.append(folder)
        return next(answers), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    monkeypatch.setattr(w.files, "open_model", lambda path: None)
    monkeypatch.setattr(w.files, "open_session", lambda path: None)
    w.files.open_model_dialog()
    first = asked[-1]  # nothing chosen yet: Documents, else home; not the source folder
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    assert first in (documents, str(Path.home())) and Path(first).is_dir()
    assert first == files.start_folder(w.settings, "session")  # nothing chosen yet: the same
    w.files.open_model_dialog()  # cancelled: nothing remembered
    assert asked[-1] == str(models)
    w.files.open_session_dialog()
    assert files.start_folder(w.settings, "session") == str(sessions)
    assert files.start_folder(w.settings, "model") == str(models)  # one folder per kind
    saved = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, name, filters: (saved.append(name), ("", ""))[1])
    w.files.save_session_dialog()
    assert saved == [str(sessions / "session.npz")]
