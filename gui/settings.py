"""Where the app keeps its settings, how to forget them, and reading them back checked."""

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from digit_descent.engine import TrainConfig
from digit_descent.engine.data import NAMES as DATASET_NAMES

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


class SettingsStore:
    """Reads back what the window saved, each value checked: a bad one is replaced by its
    default and noted once (:attr:`notices`), never raised, and so is a settings file that
    cannot be written. ``store`` is a QSettings.

    Groups: ``config`` (the training settings, checked by ``TrainConfig.from_dict``), the
    window's geometry and layout, ``zoom``, the presenter's arrangements, and one group per
    panel (its key), declared by the panel with its ``settings_version``.
    """

    def __init__(self, store):
        self.store = store
        self.notices = []
        if not store.isWritable():  # a read-only folder, a file in the way of one
            self.notices.append(f"Settings will not be remembered: "
                                f"{Path(store.fileName()).parent} cannot be written.")

    def value(self, key, convert, default, valid=lambda value: True):
        """One saved setting, converted and checked; its default (with a notice) if bad."""
        raw = self.store.value(key)
        if raw is None:
            return default
        try:
            value = convert(raw)
            if valid(value):
                return value
        except (TypeError, ValueError):
            pass
        self.notices.append(f"Saved setting {key} was not valid ({str(raw)[:30]!r}): the "
                            "default is used.")
        return default

    def config(self):
        """Last session's training settings (each bad value replaced by its default, with a
        notice), or None if there are none or their data set is gone."""
        raw = self.store.value("config")
        if not raw:
            return None
        try:
            config, problems = TrainConfig.from_dict(json.loads(str(raw)))
        except (TypeError, ValueError, RecursionError):
            self.notices.append("The saved training settings could not be read: opened the "
                                "3b1b preset.")
            return None
        self.notices += [f"Saved settings: {problem}." for problem in problems]
        if config.dataset not in DATASET_NAMES and not Path(config.dataset).exists():
            self.notices.append(f"The data set used last time ({config.dataset}) is no longer "
                                "there: opened the embedded MNIST with the 3b1b preset instead.")
            return None
        return config

    def save_config(self, config):
        self.store.setValue("config", json.dumps(config.to_dict()))

    def restore_panel(self, panel):
        """Give ``panel`` its saved settings, if they were saved under its settings_version."""
        version = self.store.value(f"{panel.key}/version")
        if version is not None and str(version) != str(panel.settings_version):
            self.notices.append(f"The saved settings of the {panel.title} panel are from another "
                                "version of the app: its defaults are used.")
            return
        panel.restore_settings(
            lambda name, convert, default, valid=lambda value: True:
            self.value(f"{panel.key}/{name}", convert, default, valid))

    def save_panel(self, panel):
        self.store.setValue(f"{panel.key}/version", panel.settings_version)
        panel.save_settings(lambda name, value: self.store.setValue(f"{panel.key}/{name}", value))

    def take_notices(self):
        """The notices so far, as one text (and forget them)."""
        text, self.notices = " ".join(self.notices), []
        return text
