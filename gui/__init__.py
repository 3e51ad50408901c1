"""Digit Descent's desktop app (PySide6 + pyqtgraph)."""


def __getattr__(name):
    # Lazy, so that ``import gui`` stays cheap and Qt loads only when the app is used.
    if name == "MainWindow":
        from .main_window import MainWindow

        return MainWindow
    raise AttributeError(name)


__all__ = ["MainWindow"]
