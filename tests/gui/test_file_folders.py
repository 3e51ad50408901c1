"""Every file dialog starts in the folder last used for its kind of file (gui.files)."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from digit_descent.engine.lab import LabConfig
from digit_descent.gui.folders import start_folder
from digit_descent.gui.lab.window import LabWindow
from digit_descent.gui.panels.pad import PadPanel


@pytest.fixture
def dialogs(monkeypatch):
    """QFileDialog's open and save dialogs recorded instead of shown: each call's start
    directory is kept, and each answers the next path of ``answers`` (a list to fill)."""
    asked, answers = [], []

    def answer(parent, title, directory, filters):
        asked.append(directory)
        return (answers.pop(0) if answers else ""), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked, answers


def test_the_pads_load_image_starts_in_the_last_image_folder(qtbot, settings, tmp_path,
                                                             dialogs, monkeypatch):
    asked, answers = dialogs
    pad = PadPanel()
    qtbot.addWidget(pad)
    pad.settings = settings
    loaded = []
    monkeypatch.setattr(pad, "load_image", loaded.append)
    pad._load_dialog()
    assert asked == [start_folder(settings, "image")]  # nothing chosen yet: Documents or home
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    answers.append(str(pictures / "seven.png"))
    pad._load_dialog()
    assert loaded == [str(pictures / "seven.png")]
    pad._load_dialog()  # cancelled: the folder stays
    assert asked[-1] == str(pictures)
    assert start_folder(settings, "model") != str(pictures)  # one folder per kind


def test_the_labs_points_dialogs_start_in_the_last_points_folder(qtbot, settings, tmp_path,
                                                                dialogs):
    asked, answers = dialogs
    window = LabWindow(LabConfig(n_points=20))
    qtbot.addWidget(window)
    window.settings = settings
    qtbot.waitUntil(lambda: window.runner.snapshot is not None, timeout=10000)
    folder = tmp_path / "points"
    folder.mkdir()
    first = Path(start_folder(settings, "points")) / "points.csv"
    answers.append(str(folder / "saved.csv"))
    window.ask_save_points()
    assert asked == [str(first)]  # nothing chosen yet: points.csv in Documents or home
    assert (folder / "saved.csv").is_file()
    window.ask_points_file()  # read back: the dialog opens where the points were saved
    assert asked[-1] == str(folder)
    window.close()


def test_the_lab_takes_the_settings_of_the_window_that_opens_it(qtbot, settings):
    from PySide6.QtWidgets import QMainWindow

    opener = QMainWindow()
    qtbot.addWidget(opener)
    opener.settings = settings
    window = LabWindow(LabConfig(n_points=20), opener)
    assert window.settings is settings
    window.close()
