"""The main window: docks, menus, shortcuts, status bar, settings and the file dialogs.

The math is in the engine and the panels draw; which panel redraws when is
gui/scheduler.py, the presenter view gui/presenter.py."""

import json
from pathlib import Path

import numpy as np

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QDockWidget, QFileDialog,
                               QHBoxLayout, QInputDialog, QLabel, QMainWindow, QMessageBox,
                               QPushButton, QTextBrowser, QToolBar, QVBoxLayout, QWidget)

from digit_descent.engine import DigitDescentError, Network, TrainConfig, load_model, model_io, preset
from digit_descent.engine.session_io import load_session, save_session
from digit_descent.engine.data import NAMES as DATASET_NAMES
from digit_descent.engine.data import is_cifar_folder
from digit_descent.engine.lessons import lesson as find_lesson
from digit_descent.engine.lessons import lessons

from . import style
from .controller import TrainingController
from .export import DEFAULT_WIDTH, export_picture
from .jobs import Jobs
from .keys import WindowKeys
from .lessons import LessonPlayer
from .panels import PANELS
from .panels.reader import LIVE
from .panels.weights import NeuronDialog
from .presenter import ARRANGEMENTS, Presenter
from .record_dialog import RecordDialog
from .scheduler import RedrawScheduler
from .timeline import Timeline
from .settings import settings as app_settings

APP_NAME = "Digit Descent"
STATUS_INTERVAL_S = 0.25  # status-bar refresh while training
SHORTCUTS = [
    ("Space", "Train / pause"),
    ("→", "One mini-batch step"),
    ("Ctrl+E", "Train one epoch"),
    ("Ctrl+R", "Reset: new random weights from the seed"),
    ("F11", "Full screen"),
    ("Ctrl + / Ctrl − / Ctrl 0", "Zoom in / out / back to actual size (text, lines, markers)"),
    ("F5", "Presenter view: the panels full screen in large type (Esc leaves)"),
    ("1 – 4", "In the presenter view: 1 cost · 2 + weights · 3 + confusion matrix · 4 + pad "
              "(or the arrangements you kept)"),
    ("Ctrl+1 – Ctrl+4", "Keep the panels on screen (up to four) as arrangement 1–4"),
    ("Page Down / Page Up", "A lesson's next / previous stage (a presentation clicker)"),
    ("Ctrl+← / Ctrl+→", "Rewind: one recorded step earlier / later (the timeline)"),
    ("End", "Back to live after rewinding"),
    ("Escape", "Leave a text field: the keys above work wherever the focus is, except the "
               "arrow keys inside the layers field"),
    ("Ctrl+O / Ctrl+S", "Open / save a model"),
    ("Ctrl+Shift+O / Ctrl+Shift+S", "Open / save a session (the whole run, rewind included)"),
    ("Ctrl+Q", "Quit"),
]
ABOUT = f"""<h2>{APP_NAME}</h2>
<p>Watch a neural network learn to read handwritten digits, live.</p>
<p>The embedded digits are the <b>MNIST database</b> by Yann LeCun, Corinna Cortes and
Christopher J. C. Burges, used under the Creative Commons Attribution-Share Alike 3.0 licence.
Fashion-MNIST is © Zalando SE (MIT licence).</p>
<p>The networks follow 3Blue1Brown's lectures on neural networks, Michael Nielsen's
<i>Neural Networks and Deep Learning</i> and Andrew Trask's <i>A Neural Network in 11 lines
of Python</i>.</p>"""


class MainWindow(QMainWindow):
    """The whole app. ``MainWindow()`` opens on the embedded MNIST with the remembered
    (or ``3b1b``) settings; ``start_training()`` / ``stop_training()`` drive it from code.
    """

    def __init__(self, config=None, settings=None, parent=None):
        super().__init__(parent)
        self.settings = settings if settings is not None else app_settings()
        self.setWindowTitle(APP_NAME)
        self.setDockNestingEnabled(True)
        self._startup_message = ""
        config = config or self._saved_config() or preset("3b1b")
        self.confirm = self._ask  # replaced in tests
        self._jobs = Jobs(self)

        self.controller = TrainingController(config, parent=self)
        self.controller.draws(self)
        self.panels = {cls.key: cls() for cls in PANELS}
        self.controls = self.panels["controls"]
        self.controls.set_config(config)
        self.controls.setMaximumWidth(440)
        self.cost_panel = self.panels["cost"]
        self.weights_panel = self.panels["weights"]
        self.confusion_panel = self.panels["confusion"]
        self.pad_panel = self.panels["pad"]
        self.activations_panel = self.panels["activations"]
        self.surface_panel = self.panels["surface"]
        self.scheduler = RedrawScheduler(self.controller, self.panels, self)
        self.docks = {}

        self._build_actions()
        self._build_toolbars()
        self._build_docks()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self.resize(1366, 768)
        self.resizeDocks([self.docks["controls"], self.docks[PANELS[1].key]], [340, 1020],
                         Qt.Horizontal)
        self._default_state = self.saveState()
        self._restore_settings()
        if self._startup_message:
            self.show_banner(self._startup_message)

    # ------------------------------------------------------------- build
    def _action(self, text, slot, shortcut=None, tip=None, checkable=False):
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.WindowShortcut)
        tip = tip or text
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})" if shortcut else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self):
        self.train_action = self._action("Train", self.toggle_training, "Space", "Train / pause")
        self.step_action = self._action("Step", lambda: self.controller.step(), "Right",
                                        "One mini-batch of gradient descent")
        self.epoch_action = self._action("Epoch", self.controller.run_epoch, "Ctrl+E",
                                         "Train one whole epoch")
        self.reset_action = self._action("Reset", self.reset_weights, "Ctrl+R",
                                         "New random weights from the seed")
        self.fullscreen_action = self._action("Full screen", self.toggle_full_screen, "F11",
                                              checkable=True)
        self.open_model_action = self._action("Open model…", self._open_model_dialog, "Ctrl+O")
        self.save_model_action = self._action("Save model…", self._save_model_dialog, "Ctrl+S")
        self.open_dataset_action = self._action("Open dataset…", self._open_dataset_dialog)
        self.export_csv_action = self._action("Export cost history (CSV)…", self._export_csv_dialog)
        self.quit_action = self._action("Quit", self.close, "Ctrl+Q")
        self.reset_layout_action = self._action("Reset layout", self.reset_layout)
        self.leave_field_action = self._action("Leave the field", self.leave_field, "Escape",
                                               "Give the keys back to the window")
        self.zoom_in_action = self._action("Zoom in", lambda: self.zoom(style.ZOOM_STEP), "Ctrl++",
                                           "Larger text, lines and markers everywhere")
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom out", lambda: self.zoom(1 / style.ZOOM_STEP),
                                            "Ctrl+-", "Smaller text, lines and markers")
        self.zoom_reset_action = self._action("Actual size", lambda: self.zoom(None), "Ctrl+0")
        self.presenter = Presenter(self)
        self.presenter_action = self._action("Presenter view", self.toggle_presenter, "F5",
                                             "Full-screen dashboard of the panels, large type")
        self.arrangement_actions = [
            self._action(f"Arrangement {n}: {', '.join(keys)}",
                         lambda _=False, n=n: self.presenter.arrange(n), str(n))
            for n, keys in ARRANGEMENTS.items()]
        for action in self.arrangement_actions:
            action.setEnabled(False)  # the digits are the presenter view's only
        self.keep_arrangement_actions = [
            self._action(f"Keep the panels on screen as arrangement {n}",
                         lambda _=False, n=n: self.keep_arrangement(n), f"Ctrl+{n}")
            for n in ARRANGEMENTS]
        self.open_session_action = self._action("Open session…", self._open_session_dialog,
                                                "Ctrl+Shift+O")
        self.save_session_action = self._action("Save session…", self._save_session_dialog,
                                                "Ctrl+Shift+S")
        self.record_action = self._action("Record…", self.show_record_dialog, tip="Film the run "
                                          "so far as an MP4 or animated GIF of chosen panels")
        self.timeline = Timeline(self)
        self.live_action = self._action("Back to live", self.timeline.back_to_live, "End",
                                        "The panels follow training again after rewinding")
        self.earlier_action = self._action("Back one recorded step",
                                           lambda: self.timeline.nudge(-1), "Ctrl+Left",
                                           "Rewind: the panels as they were one recorded step "
                                           "earlier")
        self.later_action = self._action("Forward one recorded step",
                                         lambda: self.timeline.nudge(1), "Ctrl+Right")
        self.resume_action = self._action("Resume from here", self.timeline.resume_here,
                                          tip="Train on from the step shown (a new branch)")
        self.restart_action = self._action("Restart with the same initial weights",
                                           self.restart_same_weights)
        self.lesson_player = LessonPlayer(self)
        self.next_stage_action = self._action("Next stage", self.lesson_player.next_stage,
                                              "PgDown", "The lesson's next stage")
        self.previous_stage_action = self._action("Previous stage",
                                                  self.lesson_player.previous_stage, "PgUp",
                                                  "The lesson's stage before")
        self.close_lesson_action = self._action("Close the lesson", self.lesson_player.close)
        self._keys = WindowKeys(self, [self.train_action, self.step_action, self.epoch_action,
                                       self.reset_action, self.fullscreen_action,
                                       self.leave_field_action, self.zoom_in_action,
                                       self.zoom_out_action, self.zoom_reset_action,
                                       self.presenter_action, self.next_stage_action,
                                       self.previous_stage_action, self.live_action,
                                       self.earlier_action, self.later_action])

    def _build_toolbars(self):
        bar = QToolBar("Training")
        bar.setObjectName("toolbar-training")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        for action in (self.train_action, self.step_action, self.epoch_action, self.reset_action):
            bar.addAction(action)
        for action in bar.actions():
            bar.widgetForAction(action).setMinimumWidth(72)
        style.keep(bar, lambda b: b.setStyleSheet(
            f"QToolBar {{ spacing: 6px; }} QToolButton {{ font-size: {style.scaled(13):.1f}pt; "
            "padding: 4px 10px; }"))
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.addToolBarBreak()

        self.banner_bar = QToolBar("Messages")
        self.banner_bar.setObjectName("toolbar-messages")
        self.banner_bar.setMovable(False)
        banner = QWidget()
        row = QHBoxLayout(banner)
        row.setContentsMargins(8, 4, 8, 4)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.banner_reset = QPushButton("Reset")
        self.banner_reset.clicked.connect(self.reset_weights)
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(self.hide_banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.banner_reset)
        row.addWidget(dismiss)
        style.keep(banner, lambda b: b.setStyleSheet(
            "QWidget { background: #FCE8C8; } "
            f"QLabel {{ color: #5a2d00; font-size: {style.scaled(12):.1f}pt; }}"))
        self.banner_bar.addWidget(banner)
        self.addToolBar(Qt.TopToolBarArea, self.banner_bar)
        self.banner_bar.hide()
        self.insertToolBar(self.lesson_player.strip, self.timeline)  # a scrubber at the bottom
        self.insertToolBarBreak(self.lesson_player.strip)

    def _build_docks(self):
        placeholder = QWidget()
        placeholder.setMaximumSize(0, 0)
        self.setCentralWidget(placeholder)
        tabbed = []
        for key, panel in self.panels.items():
            dock = QDockWidget(panel.title, self)
            dock.setObjectName(f"dock-{key}")
            dock.setWidget(panel)
            dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                             | QDockWidget.DockWidgetClosable)
            dock.visibilityChanged.connect(
                lambda visible, k=key: self.scheduler.set_shown(k, visible))
            left = panel.area == "left"
            self.addDockWidget(Qt.LeftDockWidgetArea if left else Qt.RightDockWidgetArea, dock)
            self.controller.draws(dock)  # it is a window of its own when floating
            self.docks[key] = dock
            if not left:
                tabbed.append(dock)
        # The panels share one tabbed area by default: a hidden panel costs nothing to keep.
        for first, second in zip(tabbed, tabbed[1:]):
            self.tabifyDockWidget(first, second)
        tabbed[0].raise_()

    def _build_menus(self):
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.open_model_action, self.save_model_action])
        file_menu.addActions([self.open_session_action, self.save_session_action])
        file_menu.addSeparator()
        file_menu.addAction(self.open_dataset_action)
        file_menu.addSeparator()
        export = file_menu.addMenu("Export picture of a panel")
        for key, panel in self.panels.items():
            if panel.picture() is not None:
                export.addAction(self._action(f"{panel.title}…",
                                              lambda _=False, k=key: self._export_picture_dialog(k)))
        file_menu.addAction(self.export_csv_action)
        file_menu.addAction(self.record_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view = menu.addMenu("&View")
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view.addSeparator()
        view.addAction(self.presenter_action)
        view.addActions(self.arrangement_actions)
        view.addActions(self.keep_arrangement_actions)
        view.addSeparator()
        view.addActions([self.fullscreen_action, self.reset_layout_action])

        train = menu.addMenu("&Train")
        train.addActions([self.train_action, self.step_action, self.epoch_action, self.reset_action])
        train.addSeparator()
        train.addActions([self.earlier_action, self.later_action, self.live_action,
                          self.resume_action, self.restart_action])

        lessons_menu = menu.addMenu("&Lessons")
        for number, item in enumerate(lessons(), start=1):
            action = self._action(f"{number}. {item.title}",
                                  lambda _=False, name=item.name: self.open_lesson(name),
                                  tip=f"{item.title} (after {item.source})")
            lessons_menu.addAction(action)
        lessons_menu.addSeparator()
        lessons_menu.addActions([self.next_stage_action, self.previous_stage_action,
                                 self.close_lesson_action])

        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self._action("Keyboard shortcuts", self.show_shortcuts))
        help_menu.addAction(self._action("What the panels show", self.show_panel_help))
        help_menu.addAction(self._action(f"About {APP_NAME}", lambda: QMessageBox.about(self, APP_NAME, ABOUT)))

    def _build_status_bar(self):
        # A normal widget, not a permanent one: a message ("Saved …") takes its place for a while.
        self.status_text = QLabel("Loading MNIST…")
        style.sized_text(self.status_text, 11)
        style.sized_text(self.statusBar(), 11)
        self.statusBar().addWidget(self.status_text, 1)

    def _connect(self):
        c = self.controller
        self.scheduler.subscribe("status", self._update_status, STATUS_INTERVAL_S)
        self.scheduler.subscribe("timeline", self.timeline.follow, STATUS_INTERVAL_S)
        self.timeline.moved.connect(self._refresh_status)  # training may be stopped
        self.scheduler.panelFailed.connect(self.show_banner)
        c.runningChanged.connect(self._on_running_changed)
        c.failed.connect(self.show_banner)
        c.targetReached.connect(lambda n: self.statusBar().showMessage(
            f"Finished {n} epoch{'s' * (n != 1)}", 5000))
        self.controls.configEdited.connect(self.apply_config)
        self.controls.lrChanged.connect(c.set_lr)
        self.controls.batchSizeChanged.connect(c.set_batch_size)
        self.controls.epochsChanged.connect(c.set_epochs)
        self.controls.speedChanged.connect(c.set_speed)
        self.confusion_panel.evaluateRequested.connect(c.evaluate)
        self.confusion_panel.imageChosen.connect(self.show_on_pad)
        self.weights_panel.neuronClicked.connect(self.show_neuron)
        self.pad_panel.inputChanged.connect(self.activations_panel.show_input)

    # --------------------------------------------------------- training
    def start_training(self):
        self.hide_banner()
        self.controller.start()

    def stop_training(self):
        self.controller.pause()

    def toggle_training(self):
        if self.controller.running:
            self.stop_training()
        else:
            self.start_training()

    def reset_weights(self):
        self.hide_banner()
        self.controller.reset(self.controls.config.seed)

    def apply_config(self, config, ask=True):
        """Rebuild for a new architecture / data set; asks first (if ``ask``) when training has
        progressed. False if the user chose to keep it."""
        snap = self.controller.snapshot
        if ask and snap is not None and (self.controller.running or snap.step > 0):
            if not self.confirm("This builds a new network and discards the training so far. "
                                "Continue?"):
                self.controls.set_config(self.controller.config)
                return False
        self.hide_banner()
        self.controls.set_config(config)
        self.controller.configure(config)
        return True

    def open_lesson(self, name, data=None):
        """Set up the lesson called ``name`` at its first stage; ``data``: the folder it needs
        (CIFAR-10's), else the one used last, else the user is asked. False if not opened."""
        chosen = find_lesson(name)
        if chosen.needs_data:
            data = data or self.settings.value("lessons/cifar10") or self._ask_folder(chosen)
            if data and not is_cifar_folder(data):
                self._warn(f"{data}: no CIFAR-10 binary batches here (test_batch.bin, "
                           "data_batch_1.bin …).")
                data = None
            if data:
                self.settings.setValue("lessons/cifar10", str(data))
        return self.lesson_player.open(chosen, data)

    def _ask_folder(self, chosen):
        return QFileDialog.getExistingDirectory(
            self, f"The {chosen.name} lesson needs {chosen.needs_data}")

    def restart_same_weights(self):
        """Replay the run from its first weights with the settings as they are now; the run
        so far stays on the cost panel as a ghost. False if the shape has changed."""
        snap = self.controller.snapshot
        config = self.controls.config
        if snap is None:
            return False
        if tuple(config.layers) != tuple(snap.sizes) or config.dataset != self.controller.config.dataset:
            self.show_banner("The same initial weights need the same layers and data: change "
                             "another setting (learning rate, batch size, optimizer…).")
            return False
        if snap.step:
            self.cost_panel.add_ghost("previous run", snap)
        network = Network(config.layers, config.activation, config.cost)
        network.params[...] = snap.initial_params
        self.timeline.back_to_live()
        self.controller.restart(config, network)
        self.statusBar().showMessage("Restarted from the same initial weights", 5000)
        return True

    def _ask(self, question):
        return QMessageBox.question(self, APP_NAME, question) == QMessageBox.Yes

    # ---------------------------------------------------------- snapshots
    def _refresh_status(self):
        if self.controller.snapshot is not None:
            self._update_status(self.controller.snapshot)

    def _update_status(self, s):
        looking_back = self.timeline.status_text()
        if looking_back:
            if looking_back != self.status_text.text():
                self.statusBar().clearMessage()  # "Finished 2 epochs" must not hide where we are
                self.status_text.setText(looking_back)
            return
        parts = [f"{s.dataset}", f"epoch {s.epoch} ({s.epoch_progress:.0%})", f"step {s.step:,}",
                 f"{s.samples_seen:,} samples"]
        status = self.controller.status
        if status.running:
            parts.append(f"{status.samples_per_s:,.0f} samples/s")
        decay = f" (× {s.lr_decay:g} per epoch)" if s.lr_decay != 1 else ""
        parts.append(f"η = {s.lr:.3g}{decay}, batch {s.batch_size}")
        if s.step:
            parts.append(f"cost {s.last_cost:.4f}")
        if s.reports:
            parts.append(f"test accuracy {s.reports[-1].test_accuracy:.2%}")
        self.status_text.setText("   ·   ".join(parts))

    def _on_running_changed(self, running):
        self.train_action.setText("Pause" if running else "Train")
        self.step_action.setEnabled(not running)
        self.epoch_action.setEnabled(not running)

    def show_on_pad(self, image, label):
        """Read an example of the evaluated set on the pad, with the network being trained."""
        if np.size(image) != 28 * 28:
            self.statusBar().showMessage("The drawing pad reads 28×28 grey images only", 5000)
            return
        self.pad_panel.source.setCurrentIndex(LIVE)
        self.pad_panel.show_image(image, label)
        self.docks["pad"].show()
        self.docks["pad"].raise_()
        self.statusBar().showMessage("Sent to the drawing pad (and the activations panel)", 5000)

    def show_neuron(self, layer, neuron):
        """A closer look at one neuron of the newest snapshot."""
        if self.controller.snapshot is not None:
            dialog = NeuronDialog(self.controller.snapshot, layer, neuron, self)
            dialog.show()
            return dialog
        return None

    # ------------------------------------------------------------ banner
    def show_banner(self, message):
        self.banner_text.setText(message)
        self.banner_bar.show()

    def hide_banner(self):
        self.banner_bar.hide()

    # ------------------------------------------------------------- files
    def open_model(self, path, evaluate=False):
        """Continue from a saved model, read off the GUI thread; a problem is a message.
        ``evaluate``: evaluate it on the test set once it is in."""
        self.statusBar().showMessage(f"Opening {path}…")
        self._jobs.start(lambda job: load_model(path),
                         lambda net: self._use_model(net, path, evaluate),
                         lambda error: self._warn(f"{error}"))

    def _use_model(self, network, path, evaluate=False):
        # The model's data set is a hint: only a built-in name is followed, never a path in it.
        hint = network.metadata.get("dataset")
        dataset = hint if isinstance(hint, str) and hint in DATASET_NAMES \
            else self.controls.config.dataset
        self.controller.load_network(network, dataset)
        self.controls.set_config(self.controller.config)
        if evaluate:
            self.controller.evaluate()
        self.statusBar().showMessage(f"Opened {path}", 5000)

    def _warn(self, message):
        self.statusBar().clearMessage()
        QMessageBox.warning(self, APP_NAME, message)

    def save_model(self, path):
        snap = self.controller.snapshot
        if snap is None:
            return False
        summary = {"epochs": snap.epoch, "samples_seen": snap.samples_seen}
        if snap.reports:
            summary["test_accuracy"] = snap.reports[-1].test_accuracy
        try:
            model_io.save_model(snap.network(), path, dataset=self.controller.config.dataset,
                                train_config=self.controller.config.to_dict(), summary=summary)
        except DigitDescentError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return False
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def save_session(self, path):
        """Save the whole run (rewind included) and the layout, off the GUI thread."""
        snap = self.controller.snapshot
        if snap is None:
            return
        layout = bytes(self.saveState().toBase64()).decode()
        self.statusBar().showMessage(f"Saving {path}…")
        self._jobs.start(lambda job: save_session(snap, path, layout=layout),
                         lambda _: self.statusBar().showMessage(f"Saved {path}", 5000),
                         self._warn)

    def open_session(self, path):
        """Open a saved run: its panels as they were, rewind included; training goes on from
        its end. A problem is a message, and the current run is kept."""
        self.statusBar().showMessage(f"Opening {path}…")
        self._jobs.start(lambda job: load_session(path), lambda r: self._use_session(r, path),
                         self._warn)

    def _use_session(self, record, path):
        self.timeline.back_to_live()
        self.cost_panel.clear_ghosts()
        self.controls.set_config(record.config)
        self.controller.open_record(record)
        layout = record.extra.get("layout")
        if isinstance(layout, str) and len(layout) < 1_000_000:
            self.restoreState(QByteArray.fromBase64(layout.encode()))
        self.statusBar().showMessage(f"Opened {path}: step {record.step:,}, epoch "
                                     f"{record.epoch}", 5000)

    def show_record_dialog(self):
        dialog = RecordDialog(self)
        dialog.show()
        return dialog

    def open_dataset(self, path):
        path = Path(path)
        source = path.parent if path.is_file() and ("idx" in path.name
                                                    or path.suffix == ".bin") else path
        if is_cifar_folder(source):  # the CIFAR-10 lesson finds it there next time
            self.settings.setValue("lessons/cifar10", str(source))
        self.apply_config(self.controls.config.replace(dataset=str(source)))

    def export_picture(self, key, path, width=DEFAULT_WIDTH):
        """Save the plot of one panel as PNG (``width`` pixels wide) or SVG; False if it failed."""
        try:
            with self.panels[key].picture() as item:
                export_picture(item, path, width)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            QMessageBox.warning(self, APP_NAME, f"{path}: cannot save the picture ({reason})")
            return False
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def export_csv(self, path):
        try:
            self.cost_panel.export_csv(path)
        except OSError as exc:
            QMessageBox.warning(self, APP_NAME, f"{path}: {exc.strerror or exc}")
            return False
        return True

    def _open_model_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open model", "", "Models (*.npz);;All files (*)")
        if path:
            self.open_model(path)

    def _save_model_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Save model", "model.npz", "Models (*.npz)")
        if path:
            self.save_model(path)

    def _open_session_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open session", "",
                                              "Sessions (*.npz);;All files (*)")
        if path:
            self.open_session(path)

    def _save_session_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Save session", "session.npz",
                                              "Sessions (*.npz)")
        if path:
            self.save_session(path)

    def _open_dataset_dialog(self):
        path, _ = QFileDialog.getOpenFileName(
            self, "Open dataset: a Keras-style .npz, mnist.pkl.gz, a CSV, any of the four IDX "
                  "files in a folder, or a CIFAR-10 binary batch", "",
            "Digit data (*.npz *.pkl.gz *.pkl *.csv *idx*-ubyte *idx*-ubyte.gz)"
            ";;CIFAR-10 binary batches (*.bin);;All files (*)")
        if path:
            self.open_dataset(path)

    def _export_picture_dialog(self, key):
        path, chosen = QFileDialog.getSaveFileName(
            self, f"Export picture of the {self.panels[key].title} panel", f"{key}.png",
            "PNG picture (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".svg" if "svg" in chosen.lower() else ".png"
        width = DEFAULT_WIDTH
        if path.lower().endswith(".png"):
            width, ok = QInputDialog.getInt(self, "Picture width", "Width in pixels:",
                                            DEFAULT_WIDTH, 200, 8000, 10)
            if not ok:
                return
        self.export_picture(key, path, width)

    def _export_csv_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export cost history", "cost.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    # -------------------------------------------------------------- view
    def leave_field(self):
        """Escape: leave the presenter view, or take the focus from whatever field has it, so
        every key reaches the window."""
        if self.presenter.active:
            self.toggle_presenter()
            return
        focus = QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()
        self.setFocus()

    def toggle_presenter(self):
        """F5: into the presenter view, or back out of it."""
        self.presenter.toggle()
        for action in self.arrangement_actions:
            action.setEnabled(self.presenter.active)

    def keep_arrangement(self, number):
        """Ctrl+1…4: the panels on screen become presenter arrangement ``number``."""
        keys = self.presenter.keep_arrangement(number)
        if keys:
            self.arrangement_actions[number - 1].setText(
                f"Arrangement {number}: {', '.join(keys)}")
            self.statusBar().showMessage(f"Arrangement {number}: {', '.join(keys)}", 5000)
        return keys

    def zoom(self, factor):
        """Scale every font, tick label, line and marker by ``factor`` (None: back to 1)."""
        z = style.set_zoom(1.0 if factor is None else style.zoom() * factor)
        self.statusBar().showMessage(f"Zoom {z:.0%}", 2000)
        return z

    def toggle_full_screen(self):
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def reset_layout(self):
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
            dock.setFloating(False)

    def show_shortcuts(self):
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def show_panel_help(self):
        """The panels' help texts in a scrolling window that fits any screen."""
        dialog = QDialog(self)
        dialog.setWindowTitle("What the panels show")
        text = QTextBrowser()
        text.setHtml("".join(f"<h3>{p.title}</h3><p>{p.help}</p>" for p in self.panels.values()))
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text, 1)
        layout.addWidget(close)
        screen = self.screen().availableGeometry()
        dialog.resize(min(760, screen.width() - 40), min(900, screen.height() - 80))
        dialog.show()
        return dialog

    # ---------------------------------------------------------- settings
    def _notice(self, text):
        """A problem found while reading the saved settings, shown once the window is up."""
        self._startup_message = " ".join(filter(None, [self._startup_message, text]))

    def _saved_config(self):
        """Last session's settings (each bad value replaced by its default, with a notice), or
        None if there are none or their data set is gone."""
        raw = self.settings.value("config")
        if not raw:
            return None
        try:
            config, problems = TrainConfig.from_dict(json.loads(str(raw)))
        except (TypeError, ValueError, RecursionError):
            self._notice("The saved training settings could not be read: opened the 3b1b preset.")
            return None
        for problem in problems:
            self._notice(f"Saved settings: {problem}.")
        if config.dataset not in DATASET_NAMES and not Path(config.dataset).exists():
            self._notice(f"The data set used last time ({config.dataset}) is no longer there: "
                         "opened the embedded MNIST with the 3b1b preset instead.")
            return None
        return config

    def _setting(self, key, convert, default, valid=lambda value: True):
        """One saved setting, converted and checked; its default (with a notice) if it is bad."""
        raw = self.settings.value(key)
        if raw is None:
            return default
        try:
            value = convert(raw)
            if valid(value):
                return value
        except (TypeError, ValueError):
            pass
        self._notice(f"Saved setting {key} was not valid ({str(raw)[:30]!r}): the default is used.")
        return default

    def _restore_settings(self):
        geometry = self.settings.value("geometry")
        state = self.settings.value("windowState")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not self.restoreState(state):
            self._notice("The saved window layout could not be read: the default layout is used.")
        style.set_zoom(self._setting("zoom", float, 1.0,
                                     lambda v: style.ZOOM_RANGE[0] <= v <= style.ZOOM_RANGE[1]))
        for n in ARRANGEMENTS:
            keys = self._setting(f"presenter/arrangement{n}", lambda v: tuple(str(v).split(",")),
                                 None, lambda v: 1 <= len(v) <= 4 and set(v) <= set(self.docks)
                                 and "controls" not in v)
            if keys:
                self.presenter.arrangements[n] = keys
                self.arrangement_actions[n - 1].setText(f"Arrangement {n}: {', '.join(keys)}")
        for key, panel in self.panels.items():
            panel.restore_settings(
                lambda name, convert, default, valid=lambda value: True, k=key:
                self._setting(f"{k}/{name}", convert, default, valid))

    def _config_to_save(self):
        """The configuration the training thread runs (a refused one is never saved), with the
        live learning rate, batch size and epoch target."""
        snap = self.controller.snapshot
        if snap is None or snap.config is None:
            return None
        live = self.controls.config
        return snap.config.replace(lr=live.lr, batch_size=live.batch_size, epochs=live.epochs)

    def save_settings(self):
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        config = self._config_to_save()
        if config is not None:
            s.setValue("config", json.dumps(config.to_dict()))
        s.setValue("zoom", style.zoom())
        for n, keys in self.presenter.arrangements.items():
            s.setValue(f"presenter/arrangement{n}", ",".join(keys))
        for key, panel in self.panels.items():
            panel.save_settings(lambda name, value, k=key: s.setValue(f"{k}/{name}", value))
        s.sync()

    def closeEvent(self, event):
        self.presenter.leave()  # the settings keep the window as it was before F5
        self.save_settings()
        for panel in self.panels.values():
            panel.shutdown()
        self.controller.shutdown()
        super().closeEvent(event)
