"""File dialogs that start where the last one for the same kind of file ended: the folder
last used for models, sessions, images, points… (kept in the app's QSettings), else the
user's Documents, else the home folder — never the folder the app was started from."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

FOLDERS = "folders"  # the settings group of the folders last used, per kind of file


def open_file_name(parent, settings, kind, title, filters):
    """Ask for a file to open for ``kind`` of file, starting in :func:`start_folder` (the
    folder is remembered for the next time); the path chosen, "" if cancelled."""
    path = QFileDialog.getOpenFileName(parent, title, start_folder(settings, kind), filters)[0]
    remember_folder(settings, kind, path)
    return path


def save_file_name(parent, settings, kind, title, name, filters):
    """Ask where to save ``kind`` of file, offering ``name`` in :func:`start_folder` (the
    folder is remembered for the next time); ``(path, filter chosen)``, path "" if cancelled."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, title, str(Path(start_folder(settings, kind)) / name), filters)
    remember_folder(settings, kind, path)
    return path, chosen


def start_folder(settings, kind):
    """Where a file dialog for ``kind`` of file ("model", "session", "dataset", "picture",
    "csv", "image", "points", "video") starts: the folder last used for that kind (``settings``, a QSettings), else the
    user's Documents, else the home folder — never the folder the app was started from."""
    saved = settings.value(f"{FOLDERS}/{kind}")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return saved
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def remember_folder(settings, kind, path, is_folder=False):
    """Keep the folder of ``path`` (chosen in a dialog; empty if it was cancelled), or
    ``path`` itself if ``is_folder``, for the next dialog for ``kind``."""
    if path:
        path = Path(path).resolve()
        settings.setValue(f"{FOLDERS}/{kind}", str(path if is_folder else path.parent))
