"""The main window: it builds the parts and wires them together.

The state is the :class:`~gui.model.AppModel`; training, :mod:`gui.controller`; the
commands, :mod:`gui.actions` (menus, toolbar, shortcuts and Help's key list from one table);
the status line and banner, :mod:`gui.status`; files, :mod:`gui.files`; saved settings,
:mod:`gui.settings`; which panel redraws when, :mod:`gui.scheduler`; the presenter view,
:mod:`gui.presenter`; lessons, :mod:`gui.lessons`; rewinding, :mod:`gui.timeline`.
"""

import numpy as np
from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLayout, QMainWindow, QMessageBox, QToolBar

from digit_descent.engine import preset
from digit_descent.engine.data import is_cifar_folder
from digit_descent.engine.lessons import lesson as find_lesson
from digit_descent.engine.lessons import lessons

from . import actions as action_table
from . import help as help_dialogs
from . import style
from .actions import APP_NAME
from .controller import TrainingController
from .files import FileCommands
from .keys import WindowKeys
from .lessons import LessonPlayer
from .model import AppModel
from .panels import PANELS
from .panels.reader import LIVE
from .panels.neuron_dialog import NeuronDialog
from .presenter import ARRANGEMENTS, Aside, Presenter, build_docks, layout_docks
from .record_dialog import RecordDialog
from .scheduler import RedrawScheduler
from .settings import SettingsStore
from .settings import settings as app_settings
from .status import STATUS_INTERVAL_S, Banner, StatusLine
from .timeline import Timeline

SEPARATOR = 8  # pixels between two docks side by side
SLACK = 16  # pixels a column may lack before the columns are resized: a plot's minimum
#            lags a zoom by a paint, and pyqtgraph's axes shrink only past 10 px of slack
MINIMUM_SIZE = QSize(640, 400)  # the window never gets smaller (nor, at any zoom, larger
#                                 than the screen)

class MainWindow(QMainWindow):
    """The whole app. ``MainWindow()`` opens on the embedded MNIST with the remembered
    (or ``3b1b``) settings; ``start_training()`` / ``stop_training()`` drive it from code.
    """

    def __init__(self, config=None, settings=None, parent=None):
        super().__init__(parent)
        self.settings = settings if settings is not None else app_settings()
        self.store = SettingsStore(self.settings)
        self.setWindowTitle(APP_NAME)
        self.setDockNestingEnabled(True)
        self.confirm = self._ask  # replaced in tests
        self._room_made = False  # the controls hidden by make_room

        self.model = AppModel(config or self.store.config() or preset("3b1b"), self)
        self.controller = TrainingController(self.model, parent=self)
        self.controller.draws(self)
        self.panels = {cls.key: cls() for cls in PANELS}
        self.controls = self.panels["controls"]
        self.cost_panel, self.weights_panel = self.panels["cost"], self.panels["weights"]
        self.confusion_panel, self.pad_panel = self.panels["confusion"], self.panels["pad"]
        self.activations_panel = self.panels["activations"]
        self.pad_panel.settings = self.settings  # its "Load image…" starts in the last folder
        self.surface_panel = self.panels["surface"]
        self.controls.set_config(self.model.config)
        self.controls.setMaximumWidth(440)
        self.scheduler = RedrawScheduler(self.controller, self.panels, self)
        self.presenter = Presenter(self)
        self.timeline = Timeline(self.model, self.controller, self.scheduler, self)
        self.lesson_player = LessonPlayer(self.model, self.controller, self.panels, self)
        self.status_line = self.status_text = StatusLine(self.statusBar(), self.model,
                                                         self.controller, self.cost_panel.smoothed)
        self.banner_bar = Banner(self.reset_weights)
        self.banner_text, self.banner_reset = self.banner_bar.text, self.banner_bar.reset_button
        self.files = FileCommands(self, self.model, self.controller, self.panels,
                                  self.status_line, self.settings, self.apply_config)

        self.docks = build_docks(self, self.panels, self.scheduler.set_shown,
                                 self.controller.draws)
        self.docks["controls"].widget().setMaximumWidth(440)  # its scroll area, as the panel
        self.aside = Aside(self)
        for panel in self.panels.values():
            panel.present = self.show_aside  # a panel's dialogs go beside the panels
        self._build_bars()
        self._connect()
        screen = self.screen().availableGeometry()
        self.resize(min(1366, screen.width()), min(768, screen.height()))
        # Nothing grows the window past the screen: its layout's minimum size (zoomed docks,
        # a long caption) no longer sets the window's; the docks shrink and scroll instead.
        self.layout().setSizeConstraint(QLayout.SetNoConstraint)
        self.setMinimumSize(MINIMUM_SIZE)
        self.resizeDocks([self.docks["controls"], self.docks[PANELS[1].key]], [340, 1020],
                         Qt.Horizontal)
        self._default_state = self.saveState()
        self._restore_settings()
        self.aside.dock.hide()  # a saved layout may show it, with no view to show yet
        notices = self.store.take_notices()
        if notices:
            self.show_banner(notices)

    # ------------------------------------------------------------- build
    def _build_bars(self):
        bar = QToolBar("Training")
        bar.setObjectName("toolbar-training")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        make = action_table.make_action
        slots = {
            "docks": [dock.toggleViewAction() for dock in self.docks.values()],
            "export": [make(self, f"{panel.title}…",
                            lambda _=False, k=key: self.files.export_picture_dialog(k))
                       for key, panel in self.panels.items() if panel.picture() is not None],
            "lessons": [make(self, f"{number}. {item.title}",
                             lambda _=False, name=item.name: self.open_lesson(name),
                             tip=f"{item.title} (after {item.source})")
                        for number, item in enumerate(lessons(), start=1)],
        }
        self.commands, anywhere = action_table.build(self, bar, slots)  # name → QAction
        self.train_action = self.commands["train"]
        self.arrangement_actions = [self.commands[f"arrangement{n}"] for n in ARRANGEMENTS]
        self._keys = WindowKeys(self, anywhere)
        for action in bar.actions():
            bar.widgetForAction(action).setMinimumWidth(72)
        style.keep(bar, lambda b: b.setStyleSheet(
            f"QToolBar {{ spacing: 6px; }} QToolButton {{ font-size: {style.scaled(13):.1f}pt; "
            "padding: 4px 10px; }"))
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.addToolBarBreak()
        self.addToolBar(Qt.TopToolBarArea, self.banner_bar)
        self.addToolBar(Qt.BottomToolBarArea, self.lesson_player.strip)
        self.insertToolBar(self.lesson_player.strip, self.timeline)  # a scrubber at the bottom
        self.insertToolBarBreak(self.lesson_player.strip)

    def _connect(self):
        c, m, p = self.controller, self.model, self.panels
        self.scheduler.subscribe("status", self.status_line.update_status, STATUS_INTERVAL_S)
        self.scheduler.subscribe("timeline", self.timeline.follow, STATUS_INTERVAL_S)
        self.scheduler.panelFailed.connect(self.show_banner)
        m.notice.connect(self.show_banner)
        c.runningChanged.connect(self._on_running_changed)
        c.failed.connect(self.show_banner)
        c.targetReached.connect(lambda n: self.status_line.say(
            f"Finished {n} epoch{'s' * (n != 1)}"))
        self.timeline.restart_button.clicked.connect(self.restart_same_weights)
        # the controls write the model; the model updates them (set_config blocks their signals)
        self.controls.configEdited.connect(self.apply_config)
        self.controls.lrChanged.connect(lambda lr: m.set_live(lr=lr))
        self.controls.batchSizeChanged.connect(lambda n: m.set_live(batch_size=n))
        self.controls.epochsChanged.connect(lambda n: m.set_live(epochs=n))
        self.controls.speedChanged.connect(c.set_speed)
        m.configChanged.connect(self._show_config)
        # the panels' links go through the model
        p["confusion"].evaluateRequested.connect(c.evaluate)
        p["confusion"].imageChosen.connect(m.choose_input)
        p["weights"].neuronClicked.connect(m.set_neuron)
        p["pad"].inputChanged.connect(m.set_input)
        m.inputChanged.connect(lambda chosen: p["activations"].show_input(chosen[0]))
        m.inputChosen.connect(lambda chosen: self._show_on_pad(*chosen))
        m.neuronChanged.connect(lambda neuron: self.show_neuron(*neuron))
        m.ghostsChanged.connect(p["cost"].show_ghosts)
        m.stageChanged.connect(self._on_stage)
        m.viewedChanged.connect(self.presenter.follow_viewed)

    # --------------------------------------------------------- training
    def start_training(self):
        self.hide_banner()
        self.controller.start()

    def stop_training(self):
        self.controller.pause()

    def toggle_training(self):
        self.stop_training() if self.controller.running else self.start_training()

    def reset_weights(self):
        self.hide_banner()
        self.controller.reset(self.model.config.seed)

    def apply_config(self, config, ask=True):
        """Rebuild for a new architecture / data set; asks first (if ``ask``) when training has
        progressed. False if the user chose to keep it."""
        snap = self.controller.snapshot
        if ask and snap is not None and (self.controller.running or snap.step > 0):
            if not self.confirm("This builds a new network and discards the training so far. "
                                "Continue?"):
                self.controls.set_config(self.model.config)
                return False
        self.hide_banner()
        self.controller.configure(config)
        return True

    def restart_same_weights(self):
        """Replay the run from its first weights with the settings as they are now; the run
        so far stays on the cost panel as a ghost. False if the shape has changed."""
        try:
            self.controller.restart({}, "previous run")
        except ValueError as exc:
            self.show_banner(str(exc))
            return False
        self.status_line.say("Restarted from the same initial weights")
        return True

    def open_lesson(self, name, data=None):
        """Set up the lesson called ``name`` at its first stage; ``data``: the folder it needs
        (CIFAR-10's), else the one used last, else the user is asked. False if not opened."""
        chosen = find_lesson(name)
        if chosen.needs_data:
            data = data or self.settings.value("lessons/cifar10") or self.files.ask_folder(
                f"The {chosen.name} lesson needs {chosen.needs_data}")
            if data and not is_cifar_folder(data):
                self.files.warn(f"{data}: no CIFAR-10 binary batches here (test_batch.bin, "
                                "data_batch_1.bin …).")
                data = None
            if data:
                self.settings.setValue("lessons/cifar10", str(data))
        return self.lesson_player.open(chosen, data)

    def open_model(self, path, evaluate=False):
        self.files.open_model(path, evaluate)

    def _ask(self, question):
        return QMessageBox.question(self, APP_NAME, question) == QMessageBox.Yes

    def _show_config(self, config):
        if config != self.controls.config:  # not the controls' own edit coming back
            self.controls.set_config(config)

    def _on_running_changed(self, running):
        self.train_action.setText("Pause" if running else "Train")
        self.commands["step"].setEnabled(not running)
        self.commands["epoch"].setEnabled(not running)

    def _on_stage(self, stage):
        if stage is not None:
            lesson, index = stage
            if lesson.stages[index].surface:
                self.surface_panel.show_teaching(lesson.stages[index].surface,
                                                 lesson.stages[index].balls,
                                                 lesson.stages[index].ball_pace)

    # --------------------------------------------------------- the views
    def arrange(self, keys):
        """Show the panels ``keys`` side by side (in the presenter view, or beside the controls)."""
        if self.presenter.active:
            self.presenter.show_panels(keys)
            return
        if self._room_made:  # the controls come back where they were, if there is room now
            self._room_made = False
            self.docks["controls"].show()
        layout_docks(self, keys, keep=("controls",))
        QTimer.singleShot(0, self, self.make_room)  # once the docks have their places

    def make_room(self):
        """Hide the training controls while the panels and the view beside them need the
        window's whole width (three columns at 1280×720 squeezed them to ~90 px, every field
        cut, and the panels still scrolled); show them again once there is room (a view
        closed, another stage). The columns side by side (the controls' too) each get at
        least their minimum width, the last one the rest."""
        controls = self.docks["controls"]
        if self.presenter.active or controls.isFloating():
            return
        shown = {dock: self.panels[key] for key, dock in self.docks.items() if key != "controls"
                 and dock.isVisible() and not dock.isFloating() and dock.geometry().bottom() > 0}
        if self.aside.view is not None:
            shown[self.aside.dock] = self.aside.view
        needs = [widget.minimumSizeHint().width() for widget in shown.values()]
        least = self.controls.minimumSizeHint().width()
        fits = sum(needs) + least + SEPARATOR <= self.width() - SEPARATOR * len(needs)
        if fits and self._room_made:  # the view that needed the room has gone
            self._room_made = False
            controls.show()
        elif not fits and controls.isVisible():
            self._room_made = True
            controls.hide()
            self.aside.place()
            self.status_line.say("The training controls make room for the panels (View → "
                                 "Training shows them)", 8000)
        if controls.isVisible():
            shown, needs = {controls: self.controls, **shown}, [least] + needs
        top = {dock.geometry().top() for dock in shown if dock is not controls}
        short = any(dock.widget().width() < need - SLACK for dock, need in zip(shown, needs))
        if short and len(top) == 1:  # side by side: each its minimum, the last the rest
            rest = self.width() - SEPARATOR * len(needs) - sum(needs[:-1])
            self.resizeDocks(list(shown), needs[:-1] + [rest], Qt.Horizontal)

    def _show_on_pad(self, image, label):
        if np.size(image) != 28 * 28:
            self.status_line.say("The drawing pad reads 28×28 grey images only")
            return
        self.pad_panel.source.setCurrentIndex(LIVE)
        self.pad_panel.show_image(image, label)
        if self.aside.view is None:  # else a gallery there shows the image, beside its panel
            self.docks["pad"].show()
            self.docks["pad"].raise_()
        self.status_line.say("Sent to the drawing pad (and the activations panel)")

    def show_neuron(self, layer, neuron):
        """A closer look at one neuron of the newest snapshot."""
        if self.controller.snapshot is None:
            return None
        return self.show_aside(NeuronDialog(self.controller.snapshot, layer, neuron, self))

    def show_aside(self, view):
        """Show ``view`` (a dialog about a panel) in a column beside the panels, never over
        them; it follows F5 and Esc like the panels. Returns it."""
        self.aside.show(view)
        QTimer.singleShot(0, self, self.make_room)  # once the column has its place
        return view

    def show_banner(self, message):
        self.banner_bar.show_message(message)

    def hide_banner(self):
        self.banner_bar.hide()

    def show_record_dialog(self):
        dialog = RecordDialog(self)
        dialog.show()
        return dialog

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
            self.status_line.say(f"Arrangement {number}: {', '.join(keys)}")
        return keys

    def zoom(self, factor):
        """Scale every font, tick label, line and marker by ``factor`` (None: back to 1)."""
        z = style.set_zoom(1.0 if factor is None else style.zoom() * factor)
        self.fit_screen()
        self.status_line.say(f"Zoom {z:.0%}", 2000)
        return z

    def fit_screen(self):
        """Shrink the window (not full screen) to the screen's free area if it is larger."""
        if self.isFullScreen():
            return
        screen = self.screen().availableGeometry()
        size = self.size().boundedTo(screen.size())
        if size != self.size():
            self.resize(size)

    def toggle_full_screen(self):
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def reset_layout(self):
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
            dock.setFloating(False)
        self.aside.place()  # the view open, if any, beside them

    def show_shortcuts(self):
        help_dialogs.show_shortcuts(self)

    def show_about(self):
        help_dialogs.show_about(self)

    def show_panel_help(self):
        """The panels' help texts in a scrolling window that fits any screen."""
        return help_dialogs.show_panel_help(self, self.panels.values())

    # ---------------------------------------------------------- settings
    def _restore_settings(self):
        store = self.store
        geometry, state = self.settings.value("geometry"), self.settings.value("windowState")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not self.restoreState(state):
            store.notices.append("The saved window layout could not be read: the default "
                                 "layout is used.")
        style.set_zoom(store.value("zoom", float, 1.0,
                                   lambda v: style.ZOOM_RANGE[0] <= v <= style.ZOOM_RANGE[1]))
        for n in ARRANGEMENTS:
            keys = store.value(f"presenter/arrangement{n}", lambda v: tuple(str(v).split(",")),
                               None, lambda v: 1 <= len(v) <= 4 and set(v) <= set(self.docks)
                               and "controls" not in v)
            if keys:
                self.presenter.arrangements[n] = keys
                self.arrangement_actions[n - 1].setText(f"Arrangement {n}: {', '.join(keys)}")
        for panel in self.panels.values():
            store.restore_panel(panel)

    def save_settings(self):
        """Keep the window, the training settings the thread runs (a refused one is never
        saved: the model's are the running ones), the zoom, arrangements and panels."""
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        if self.controller.snapshot is not None:
            self.store.save_config(self.model.config)
        s.setValue("zoom", style.zoom())
        for n, keys in self.presenter.arrangements.items():
            s.setValue(f"presenter/arrangement{n}", ",".join(keys))
        for panel in self.panels.values():
            self.store.save_panel(panel)
        s.sync()

    def closeEvent(self, event):
        self.presenter.leave()  # the settings keep the window as it was before F5
        self.save_settings()
        for panel in self.panels.values():
            panel.shutdown()
        self.controller.shutdown()
        super().closeEvent(event)
