import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from digit_descent.engine import preset
from digit_descent.gui.app import make_application


@pytest.fixture(scope="session")
def qapp_cls():
    return type(make_application())


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def warnings(monkeypatch):
    """Message boxes recorded instead of shown (they would block a test)."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    return shown


@pytest.fixture
def small_config():
    return preset("3b1b").replace(train_subset=2000)


@pytest.fixture
def make_window(qtbot, settings, warnings):
    from digit_descent.gui.main_window import MainWindow

    windows = []

    def make(config=None, **kw):
        w = MainWindow(config=config, settings=kw.pop("settings", settings), **kw)
        w.confirm = lambda question: True
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: w.controller.snapshot is not None, timeout=15000)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()
