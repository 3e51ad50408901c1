"""Lessons in the window: the caption strip at the bottom and the player that sets up each
stage (panels, training and its pace, teaching surface, the view a stage opens). Page Down
goes to the next stage, Page Up back to the one before. Each stage keeps its own run (the
last snapshot shown under it, with its ghosts): a stage shown again, either way, shows that
run again, so its caption and the screen agree. A stage's restart is the Train menu's
restart (:meth:`TrainingController.restart`)."""

import math

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QToolBar, QVBoxLayout,
                               QWidget)

from digit_descent.engine import TrainConfig, load_model, trask
from digit_descent.engine.data import CIFAR_MISSING, RESOURCES
from digit_descent.engine.lessons.experiments import misread_image, noise_evaluation
from digit_descent.engine.session_io import SessionRecord

from . import lesson_views, style
from .jobs import Jobs
from .panels.confusion import GalleryDialog
from .panels.controls import SPEED_MAX

NEEDS_RUN = ("noise", "backprop", "cell")  # views drawn from the run's snapshot

STRONG_MODEL = RESOURCES / "strong.npz"


class CaptionStrip(QToolBar):
    """The lesson's title, its stage and what to watch for, in large type, with ◀ ▶ ×."""

    def __init__(self, player, parent=None):
        super().__init__("Lesson", parent)
        self.setObjectName("toolbar-lesson")
        self.setMovable(False)
        self.setProperty("presenter_keeps", True)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(10, 4, 10, 4)
        self.heading = QLabel()  # the lesson and the stage (wrapped on a narrow screen)
        self.heading.setWordWrap(True)
        self.caption = QLabel()  # what to watch for, wrapped
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.heading)
        text.addWidget(self.caption)
        self.back = QPushButton("◀")
        self.back.setToolTip("The stage before (Page Up)")
        self.next = QPushButton("▶")
        self.next.setToolTip("The next stage (Page Down)")
        close = QPushButton("×")
        close.setToolTip("Close the lesson")
        self.back.clicked.connect(player.previous_stage)
        self.next.clicked.connect(player.next_stage)
        close.clicked.connect(player.close)
        row.addLayout(text, 1)
        for button in (self.back, self.next, close):
            button.setFocusPolicy(Qt.NoFocus)
            row.addWidget(button)
        style.keep(box, lambda b: b.setStyleSheet(
            "QWidget { background: #F3F0E6; } "
            f"QLabel {{ color: {style.INK}; font-size: {style.scaled(15):.1f}pt; }} "
            f"QPushButton {{ font-size: {style.scaled(14):.1f}pt; padding: 2px 12px; }}"))
        self.addWidget(box)
        self._box = box
        box.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() in (QEvent.Resize, QEvent.LayoutRequest):
            self._fit()
        return False

    def _fit(self):
        """The strip as tall as its wrapped text needs at its width (a toolbar sizes it by
        its labels' hints, which wrap them narrow: a 258-px strip for a 82-px text)."""
        height = self._box.layout().totalHeightForWidth(self._box.width())
        if height > 0 and height != self._box.height():
            self._box.setFixedHeight(height)

    def show_stage(self, lesson, index, extra=""):
        count = len(lesson.stages)
        self.heading.setText(f"<b>{lesson.title}</b> &nbsp;·&nbsp; stage {index + 1} of {count}"
                             f" &nbsp;·&nbsp; <i>after {lesson.source}</i>")
        self.caption.setText(lesson.stages[index].caption + extra)
        self.back.setEnabled(index > 0)
        self.next.setEnabled(index < count - 1)
        self._fit()


class LessonPlayer(QObject):
    """Opens a lesson and steps through its stages.

    It reads and writes the run through ``model`` and ``controller`` only; ``panels`` (key →
    panel) are asked for the views a stage opens; ``host`` (the window) lends five commands:
    ``arrange(keys)`` (the panels a stage shows), ``apply_config(config)`` (a new run, asking
    first; False if the user kept the old one), ``open_model(path, evaluate)``,
    ``start_training()`` and ``show_aside(view)`` (a view beside the panels). The caption
    strip (:attr:`strip`) is the host's to place.
    """

    def __init__(self, model, controller, panels, host):
        super().__init__(host)
        self.model, self.controller, self.panels, self.host = model, controller, panels, host
        self.lesson = None
        self.index = -1
        self.strip = CaptionStrip(self, host)
        self.strip.hide()
        self._jobs = Jobs(self)
        self.view = None  # the view the current stage opened, if any (in the column)
        self.kept = {}  # stage index → (Snapshot, TrainConfig, ghosts): its last run shown
        self._waiting = None  # a view waiting for the restored run's first snapshot
        self._shown = 0  # stages shown so far: a late answer for an earlier one is dropped
        controller.snapshotChanged.connect(self._on_snapshot)

    @property
    def stage(self):
        return self.lesson.stages[self.index] if self.lesson else None

    def open(self, lesson, data=None):
        """Set up ``lesson`` (``data``: the folder a lesson needs); False if the user kept the
        training under way, or the lesson's data is missing (the banner says where to get
        it)."""
        config = lesson.config
        if lesson.needs_data:
            if not data:
                self.model.notice.emit(f"The {lesson.name} lesson needs {lesson.needs_data}. "
                                       f"{CIFAR_MISSING}; then open the lesson again.")
                return False
            config = config.replace(dataset=str(data))
        if not self.host.apply_config(config):
            return False
        self.model.clear_ghosts()
        self.lesson, self.index, self.kept = lesson, -1, {}
        self.strip.show()
        self.next_stage()
        return True

    def close(self):
        self.lesson, self.index, self.kept, self._waiting = None, -1, {}, None
        self.model.set_stage(None, -1)
        self._close_view()
        self.strip.hide()

    def next_stage(self):
        if self.lesson and self.index < len(self.lesson.stages) - 1:
            self._go(self.index + 1)

    def previous_stage(self):
        if self.lesson and self.index > 0:
            self._go(self.index - 1)

    # ------------------------------------------------------------ stages
    def _go(self, index):
        self._keep()
        self.index = index
        self._apply(self.stage)

    def _keep(self):
        """Keep the run shown under the stage being left, to show it again (not a stage that
        opens the strong model: it opens it again, in case it was left before the model
        came)."""
        snap = self.controller.snapshot
        if (self.index >= 0 and self.model.current(snap) and snap.config is not None
                and self.stage.show != "model strong"):
            self.kept[self.index] = (snap, self.model.config, self.model.ghosts)

    def _apply(self, stage):
        """Show ``stage``: its panels, caption, surface (through the model's ``stage``) and
        pace; then its own run if it has been shown before (else its restart and training),
        and its view."""
        self._close_view()
        self._waiting = None
        self._shown += 1
        self.strip.show_stage(self.lesson, self.index)
        self.host.arrange(stage.panels)
        self.model.set_stage(self.lesson, self.index)
        if stage.train_to:
            self._set_pace(stage.pace)
        kept = self.kept.get(self.index)
        if kept is not None:
            self._restore(*kept)
            if stage.train_to and kept[0].epoch < stage.train_to:
                self.model.set_live(epochs=stage.train_to)
                self.host.start_training()
            if stage.show:
                self._show_when_restored(stage.show)
            return
        if stage.restart:
            self._restart(stage)
        if stage.train_to:
            self.model.set_live(epochs=stage.train_to)
            snap = self.controller.snapshot
            if not self.model.current(snap) or snap.epoch < stage.train_to:
                self.host.start_training()
        if stage.show:
            self._show(stage.show)

    def _set_pace(self, pace):
        """The Speed slider at ``pace`` mini-batches per second (None: flat out)."""
        controls = self.panels.get("controls")
        if controls is not None:
            controls.speed.setValue(SPEED_MAX if pace is None
                                    else min(SPEED_MAX - 1, round(10 * math.log10(pace))))

    def _restore(self, snap, config, ghosts):
        """Make ``snap``'s run (its settings ``config``, with ``ghosts``) the run again."""
        self.model.clear_ghosts()
        for ghost in ghosts:
            self.model.add_ghost(ghost.label, ghost)
        self.controller.open_record(record_of(snap, config))

    def _show_when_restored(self, what):
        if what.split()[0] in NEEDS_RUN:
            self._waiting = what  # shown once the restored run's first snapshot arrives
        else:
            self._show(what)

    def _on_snapshot(self, snap):
        if (self._waiting is not None and self.model.current(snap)
                and (snap.evaluation is not None or snap.test_set is None)):
            what, self._waiting = self._waiting, None
            self._show(what)

    def _restart(self, stage):
        """The same initial weights with the stage's settings changed; the run so far stays
        on the cost panel as a ghost."""
        try:
            problems = self.controller.restart(stage.restart, stage.ghost)
        except ValueError as exc:
            self.model.notice.emit(str(exc))
            return
        if problems:
            self.model.notice.emit(f"This stage's settings: {'; '.join(problems)}.")

    def _show(self, what):
        """Open the view ``what`` (a stage's ``show``) in the host's views column, or do what
        it names (open the strong model, print Trask's run)."""
        snap = self.controller.snapshot
        choose = self.model.choose_input
        if what == "noise" and snap is not None:
            noise = noise_evaluation(snap.network(), snap.class_names)
            self.view = GalleryDialog(noise, None, "Random noise: what the network answers",
                                      self.host)
            self.view.chosen.connect(lambda i: choose(noise.dataset.x[i], None))
            self.host.show_aside(self.view)
            choose(noise.dataset.x[self.view.indices[0]], None)  # the gallery's first
        elif what == "backprop" and snap is not None and snap.test_set is not None:
            index = misread_image(snap.network(), snap.test_set)
            choose(snap.test_set.x[index], int(snap.test_set.labels[index]))
            activations = self.panels["activations"]
            activations.redraw()
            if activations.network is not None:
                self.view = activations.open_backprop(int(snap.test_set.labels[index]))
        elif what.startswith("cell ") and self.panels["confusion"].evaluation is not None:
            actual, predicted = map(int, what.split()[1:])
            self.view = self.panels["confusion"].open_cell(actual, predicted)
        elif what == "model strong":
            shown = self._shown
            self._jobs.start(lambda job: load_model(STRONG_MODEL),
                             lambda network: self._use_strong(network, shown),
                             self.model.notice.emit)
        elif what in lesson_views.VIEWS:
            self.view = self.host.show_aside(lesson_views.make_view(what, self.host))
        elif what == "trask":
            self.strip.show_stage(self.lesson, self.index, "<br><i>computing the printout…</i>")
            self._jobs.start(lambda job: list(trask.train()), self._show_trask,
                             self.model.notice.emit)

    def _use_strong(self, network, shown):
        """The shipped strong model as the run, with the settings it was trained with (Adam
        …), unless the lecturer has moved on to another stage since it was asked for."""
        if shown != self._shown:
            return
        config, _ = TrainConfig.from_dict(network.metadata.get("train_config"))
        self.controller.configure(config.replace(dataset="mnist"), network)
        self.controller.evaluate()

    def _show_trask(self, lines):
        if self.lesson is None or self.stage.show != "trask":
            return
        errors = "  ".join(f"{line['error']:.6f}" for line in lines[:-1])
        outputs = ", ".join(f"{v:.4f}" for v in lines[-1]["outputs"])
        self.strip.show_stage(self.lesson, self.index,
                              f"<br><tt>error every 10,000 iterations: {errors}<br>"
                              f"outputs after 60,000: [{outputs}]</tt>")

    def _close_view(self):
        if self.view is not None:
            self.view.close()
            self.view = None


def record_of(snap, config):
    """A :class:`SessionRecord` of ``snap``'s run (``config``: its settings with the live η,
    batch size and epoch target), as if saved and read back, without a file."""
    steps, points, samples = snap.trajectory
    return SessionRecord(config, tuple(snap.sizes), snap.step, snap.epoch, snap.samples_seen,
                         np.asarray(steps, np.int64), np.stack(points).astype(np.float32),
                         snap.initial_params, snap.params, snap.history, snap.history_stride,
                         tuple(snap.reports), {}, tuple(int(n) for n in samples))
