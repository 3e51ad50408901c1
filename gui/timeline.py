"""The time machine's timeline: a slider over the recorded steps of the run under the panels.

Dragging it shows every panel as the network was at that step (the panels redraw from the
stored weights, never by asking the training thread); the confusion matrix's evaluation of
that step is computed off the GUI thread and cached. "Back to live" (End) returns, "Resume
from here" makes that step the run's present (a new branch: the old run stays on the cost
panel as a ghost) and "Restart with the same initial weights" replays the run from its start
with the settings as they are now (the old run stays as a ghost).
"""

from collections import OrderedDict
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QToolBar, QWidget

from . import style
from .jobs import Jobs

CACHED_EVALUATIONS = 16  # evaluations of older steps kept (each holds the test set's outputs)
MAX_TICKS = 60  # epoch ticks drawn on the slider (more epochs: none)


class TimelineSlider(QSlider):
    """A horizontal slider over trajectory points, with a tick at each epoch end."""

    def __init__(self):
        super().__init__(Qt.Horizontal)
        self.ticks = ()  # slider values of the epoch ends

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.ticks or self.maximum() <= 0:
            return
        painter = QPainter(self)
        painter.setPen(QPen(QColor(style.GREY), 2))
        span = self.width() - 16
        for value in self.ticks:
            x = 8 + span * value / self.maximum()
            painter.drawLine(int(x), self.height() - 6, int(x), self.height() - 1)
        painter.end()


class Timeline(QToolBar):
    """Rewinding the run of ``controller``: the step shown is the model's ``viewed`` (set
    here, None when live); ``scheduler`` shows it in the panels. A new run ends the look back.
    ``restart_button`` is the window's to connect."""

    def __init__(self, model, controller, scheduler, parent=None):
        super().__init__("Timeline", parent)
        self.setObjectName("toolbar-timeline")
        self.setMovable(False)
        self.model, self.controller, self.scheduler = model, controller, scheduler
        self.base = None  # the live snapshot looked back into (frozen while looking back)
        self._evaluations = OrderedDict()  # (run, step) → Evaluation
        self._jobs = Jobs(self)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 2, 8, 2)
        self.slider = TimelineSlider()
        self.slider.setToolTip("Drag back in time: every panel shows the network as it was "
                               "(recorded steps 0, 1, 2, 4, 8, … and every epoch end)")
        self.slider.valueChanged.connect(self._on_moved)
        self.label = QLabel("live")
        self.label.setMinimumWidth(240)
        self.live_button = QPushButton("Back to live (End)")
        self.resume_button = QPushButton("Resume from here")
        self.resume_button.setToolTip("Train on from this step: a new branch (the run as it "
                                      "was stays on the cost panel, faint)")
        self.restart_button = QPushButton("Restart with the same initial weights")
        self.restart_button.setToolTip("Replay the run from its first weights with the settings "
                                       "as they are now (change one first); the run so far "
                                       "stays on the cost panel, faint")
        self.live_button.clicked.connect(self.back_to_live)
        self.resume_button.clicked.connect(self.resume_here)
        row.addWidget(QLabel("Rewind"))
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        for button in (self.live_button, self.resume_button, self.restart_button):
            button.setFocusPolicy(Qt.NoFocus)
            row.addWidget(button)
        style.sized_text(box, 11)
        self.addWidget(box)
        self._show_state()
        model.runChanged.connect(lambda run: self.back_to_live())

    @property
    def viewing(self):
        """The snapshot shown in the panels (an older step), None when live."""
        return self.model.viewed

    # ------------------------------------------------------------ live
    def follow(self, live):
        """A live snapshot: the slider spans its recorded steps (unless looking back into the
        same run: a new run ends the look back)."""
        if self.viewing is not None:
            if live.run == self.base.run:
                return
            self.back_to_live()
            return
        steps, _, samples = live.trajectory
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(steps) - 1))
        self.slider.setValue(self.slider.maximum())
        self.slider.blockSignals(False)
        n = max(live.n_train, 1)
        ends = [i for i, seen in enumerate(samples) if seen and seen % n == 0]
        ticks = tuple(ends) if len(ends) <= MAX_TICKS else ()
        if ticks != self.slider.ticks:
            self.slider.ticks = ticks
            self.slider.update()

    # ------------------------------------------------------- looking back
    def _on_moved(self, index):
        live = self.controller.snapshot
        if live is None:
            return
        base = self.base or live
        steps = base.trajectory[0]
        if not steps:
            return
        if self.viewing is None and index >= len(steps) - 1:
            return  # at the live end: nothing to look back at
        self.base = base
        self.show_step(steps[min(index, len(steps) - 1)])

    def nudge(self, by):
        """Look ``by`` recorded steps later (negative: earlier) than the step shown."""
        self.slider.setValue(self.slider.value() + by)

    def show_step(self, step):
        """Every panel as the network was at the last recorded step ≤ ``step``."""
        base = self.base = self.base or self.controller.snapshot
        view = base.at(step)
        key = (base.run, view.step)
        evaluation = self._evaluations.get(key)
        if evaluation is not None:
            view = replace(view, evaluation=evaluation)
        elif view.test_set is not None:
            self._evaluate(view, key)
        self.scheduler.pin(view)
        self.model.set_viewed(view)
        self._show_state()
        return view

    def _evaluate(self, view, key):
        def done(evaluation):
            self._evaluations[key] = evaluation
            while len(self._evaluations) > CACHED_EVALUATIONS:
                self._evaluations.popitem(last=False)
            viewing = self.viewing
            if viewing is not None and (viewing.run, viewing.step) == key:
                self.scheduler.pin(replace(viewing, evaluation=evaluation))
                self.model.set_viewed(self.scheduler.pinned)

        self._jobs.start(lambda job: view.evaluate_test(), done, self.model.notice.emit)

    def back_to_live(self):
        """The panels follow training again."""
        self._jobs.cancel()
        self.base = None
        self.model.set_viewed(None)
        if self.scheduler.pinned is not None:
            self.scheduler.unpin()
        live = self.controller.snapshot
        if live is not None and self.model.current(live):
            self.follow(live)
        self._show_state()

    def resume_here(self):
        """Train on from the step shown (a new branch); the run as it was stays as a ghost."""
        view = self.viewing
        if view is None:
            return
        self.model.add_ghost(f"before the fork at step {view.step:,}", self.base)
        self.controller.fork(view.step)  # a new run: back to live

    def _show_state(self):
        looking = self.viewing is not None
        self.live_button.setEnabled(looking)
        self.resume_button.setEnabled(looking)
        if looking:
            self.label.setText(f"step {self.viewing.step:,} of {self.viewing.live_step:,}")
        else:
            self.label.setText("live")
