"""The window's file commands: open and save models and sessions, open a data set, export a
panel's picture or the cost history, and their file dialogs. Reading and writing run off the
GUI thread (:mod:`gui.jobs`); every problem is one message, and the current run is kept."""

from contextlib import contextmanager
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from digit_descent.engine import DigitDescentError, load_model, model_io
from digit_descent.engine.data import NAMES as DATASET_NAMES
from digit_descent.engine.data import is_cifar_folder
from digit_descent.engine.session_io import load_session, save_session

from .actions import APP_NAME
from .export import DEFAULT_WIDTH, export_picture
from .folders import open_file_name, remember_folder, save_file_name, start_folder
from .jobs import Jobs

MAX_LAYOUT_CHARS = 1_000_000  # a session's saved window layout (base64) larger than this is ignored


class FileCommands(QObject):
    """File commands of ``window`` (a QMainWindow: the dialogs' parent, its layout is saved in
    sessions) on the run of ``model`` / ``controller``; ``status`` says what happened;
    ``apply_config(config)`` rebuilds for another data set (asking first)."""

    def __init__(self, window, model, controller, panels, status, settings, apply_config):
        super().__init__(window)
        self.window, self.model, self.controller = window, model, controller
        self.panels, self.status, self.settings = panels, status, settings
        self.apply_config = apply_config
        self._jobs = Jobs(self)

    def warn(self, message):
        self.status.status_bar.clearMessage()
        QMessageBox.warning(self.window, APP_NAME, message)

    # ------------------------------------------------------------ models
    def open_model(self, path, evaluate=False):
        """Continue from a saved model, read off the GUI thread; a problem is a message.
        ``evaluate``: evaluate it on the test set once it is in."""
        self.status.say(f"Opening {path}…", 0)
        self._jobs.start(lambda job: load_model(path),
                         lambda net: self._use_model(net, path, evaluate),
                         lambda error: self.warn(f"{error}"))

    def _use_model(self, network, path, evaluate=False):
        # The model's data set is a hint: only a built-in name is followed, never a path in it.
        hint = network.metadata.get("dataset")
        dataset = hint if isinstance(hint, str) and hint in DATASET_NAMES \
            else self.model.config.dataset
        self.controller.load_network(network, dataset)
        if evaluate:
            self.controller.evaluate()
        self.status.say(f"Opened {path}")

    def save_model(self, path):
        """Save the current network with its settings; False if there is none or it failed."""
        snap = self.controller.snapshot
        if snap is None:
            return False
        summary = {"epochs": snap.epoch, "samples_seen": snap.samples_seen}
        if snap.reports:
            summary["test_accuracy"] = snap.reports[-1].test_accuracy
        try:
            model_io.save_model(snap.network(), path, dataset=self.model.config.dataset,
                                train_config=self.model.config.to_dict(), summary=summary)
        except DigitDescentError as exc:
            self.warn(str(exc))
            return False
        self.status.say(f"Saved {path}")
        return True

    # ---------------------------------------------------------- sessions
    def save_session(self, path):
        """Save the whole run (rewind included) and the layout, off the GUI thread."""
        snap = self.controller.snapshot
        if snap is None:
            return
        layout = bytes(self.window.saveState().toBase64()).decode()
        ghosts, panels = self.model.ghosts, self._panel_settings()
        self.status.say(f"Saving {path}…", 0)
        self._jobs.start(lambda job: save_session(snap, path, ghosts, layout=layout,
                                                  panels=panels),
                         lambda _: self.status.say(f"Saved {path}"), self.warn)

    def _panel_settings(self):
        """``{panel key: {"version": v, "settings": {name: value}}}``, as a panel's
        ``save_settings`` writes them (plain numbers, true/false and text)."""
        saved = {}
        for key, panel in self.panels.items():
            values = {}
            panel.save_settings(lambda name, value: values.__setitem__(name, value)
                                if isinstance(value, (bool, int, float, str)) else None)
            if values:
                saved[key] = {"version": panel.settings_version, "settings": values}
        return saved

    def _restore_panel_settings(self, saved):
        """Give each panel the settings a session kept for it: each value checked by the
        panel's ``restore_settings`` (a bad one leaves its current value), under the panel's
        settings_version only."""
        if not isinstance(saved, dict):
            return
        for key, panel in self.panels.items():
            entry = saved.get(key)
            if not (isinstance(entry, dict) and isinstance(entry.get("settings"), dict)
                    and str(entry.get("version")) == str(panel.settings_version)):
                continue
            panel.restore_settings(partial(_checked, entry["settings"]))

    def open_session(self, path):
        """Open a saved run: its panels as they were, rewind included; training goes on from
        its end. A problem is a message, and the current run is kept."""
        self.status.say(f"Opening {path}…", 0)
        self._jobs.start(lambda job: load_session(path), lambda r: self._use_session(r, path),
                         self.warn)

    def _use_session(self, record, path):
        self.model.clear_ghosts()
        self.controller.open_record(record)
        for ghost in record.ghosts:
            self.model.add_ghost(ghost.label, ghost)
        self._restore_panel_settings(record.extra.get("panels"))
        layout = record.extra.get("layout")
        if isinstance(layout, str) and len(layout) < MAX_LAYOUT_CHARS:
            self.window.restoreState(QByteArray.fromBase64(layout.encode()))
        self.status.say(f"Opened {path}: step {record.step:,}, epoch {record.epoch}")

    # ------------------------------------------------- data set, exports
    def open_dataset(self, path):
        """Train on the data at ``path``; False if the user kept the run under way."""
        path = Path(path)
        source = path.parent if path.is_file() and ("idx" in path.name
                                                    or path.suffix == ".bin") else path
        if is_cifar_folder(source):  # the CIFAR-10 lesson finds it there next time
            self.settings.setValue("lessons/cifar10", str(source))
        return self.apply_config(self.model.config.replace(dataset=str(source)))

    def export_picture(self, key, path, width=DEFAULT_WIDTH):
        """Save the plot of one panel as PNG (``width`` pixels wide) or SVG; False if it failed.
        A panel behind another tab (or closed) is brought forward for the moment it is drawn."""
        try:
            with self._in_front(key), self.panels[key].picture() as item:
                export_picture(item, path, width)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.warn(f"{path}: cannot save the picture ({reason})")
            return False
        self.status.say(f"Saved {path}")
        return True

    @contextmanager
    def _in_front(self, key):
        """Panel ``key`` on screen, laid out at its dock's size and showing the moment shown
        (a panel behind a tab has no size of its own and is not fed snapshots: its plot
        exported as it is would be blank or squashed); its tabs as they were afterwards."""
        panel, dock = self.panels[key], getattr(self.window, "docks", {}).get(key)
        if dock is None or not panel.visibleRegion().isEmpty():
            yield
            return
        front = [d for d in self.window.tabifiedDockWidgets(dock)
                 if not d.visibleRegion().isEmpty()]  # its title bar, at least
        closed = dock.isHidden()
        dock.show()
        dock.raise_()
        QApplication.sendPostedEvents()  # the layout, at the dock's size
        snapshot = self.model.viewed or self.controller.snapshot
        if snapshot is not None:
            panel.show_snapshot(snapshot)
        try:
            yield
        finally:
            if closed:
                dock.hide()
            for other in front:
                other.raise_()

    def export_csv(self, path):
        try:
            self.panels["cost"].export_csv(path)
        except OSError as exc:
            self.warn(f"{path}: cannot export the cost history there ({exc.strerror or exc}); "
                      "choose a file such as cost.csv")
            return False
        return True

    # ----------------------------------------------------------- dialogs
    def _open_name(self, kind, title, filters):
        return open_file_name(self.window, self.settings, kind, title, filters)

    def _save_name(self, kind, title, name, filters):
        return save_file_name(self.window, self.settings, kind, title, name, filters)

    def open_model_dialog(self):
        path = self._open_name("model", "Open model", "Models (*.npz);;All files (*)")
        if path:
            self.open_model(path)

    def save_model_dialog(self):
        path, _ = self._save_name("model", "Save model", "model.npz", "Models (*.npz)")
        if path:
            self.save_model(path)

    def open_session_dialog(self):
        path = self._open_name("session", "Open session", "Sessions (*.npz);;All files (*)")
        if path:
            self.open_session(path)

    def save_session_dialog(self):
        path, _ = self._save_name("session", "Save session", "session.npz", "Sessions (*.npz)")
        if path:
            self.save_session(path)

    def open_dataset_dialog(self):
        path = self._open_name(
            "dataset", "Open dataset: a Keras-style .npz, mnist.pkl.gz, a CSV, any of the four IDX files "
            "in a folder, or a CIFAR-10 binary batch",
            "Digit data (*.npz *.pkl.gz *.pkl *.csv *idx*-ubyte *idx*-ubyte.gz)"
            ";;CIFAR-10 binary batches (*.bin);;All files (*)")
        if path:
            self.open_dataset(path)

    def export_picture_dialog(self, key):
        path, chosen = self._save_name(
            "picture", f"Export picture of the {self.panels[key].title} panel", f"{key}.png",
            "PNG picture (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".svg" if "svg" in chosen.lower() else ".png"
        width = DEFAULT_WIDTH
        if path.lower().endswith(".png"):
            width, ok = QInputDialog.getInt(self.window, "Picture width", "Width in pixels:",
                                            DEFAULT_WIDTH, 200, 8000, 10)
            if not ok:
                return
        self.export_picture(key, path, width)

    def export_csv_dialog(self):
        path, _ = self._save_name("csv", "Export cost history", "cost.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def ask_folder(self, title):
        folder = QFileDialog.getExistingDirectory(self.window, title,
                                                  start_folder(self.settings, "dataset"))
        if folder:
            remember_folder(self.settings, "dataset", folder, is_folder=True)
        return folder


def _checked(values, name, convert, default, valid=lambda value: True):
    """``values[name]`` converted and checked (a panel's ``restore_settings`` reader), else
    ``default``."""
    if name not in values:
        return default
    try:
        value = convert(values[name])
        return value if valid(value) else default
    except (TypeError, ValueError):
        return default
