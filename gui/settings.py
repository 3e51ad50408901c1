"""Where the app keeps its settings, and how to forget them."""

from PySide6.QtCore import QSettings

ORGANIZATION = APPLICATION = "DigitDescent"


def settings():
    """The app's saved settings (on Linux ``~/.config/DigitDescent/DigitDescent.conf``)."""
    return QSettings(ORGANIZATION, APPLICATION)


def reset_settings():
    """Forget every saved setting; returns the file they were kept in."""
    saved = settings()
    saved.clear()
    saved.sync()
    return saved.fileName()
