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

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPainter, QPen, QColor
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSlider, QToolBar,
                               QVBoxLayout, QWidget)

from . import style
from .jobs import Jobs

CACHED_EVALUATIONS = 16  # evaluations of older steps kept (each holds the test set's outputs)
MAX_TICKS = 60  # epoch ticks drawn on the slider (more epochs: none)
TEXT_PT = 11  # the bar's text, at zoom 1
SLIDER_MIN = 120  # the slider's narrowest, in pixels at zoom 1
WIDEST_STEP = "step 000,000 of 000,000"  # the label's room, so that it never jumps
# The bar's arrangements, widest first: the first that fits the window's width is used.
# Zoomed in, or in a narrow window: shorter button texts, then the buttons on a row of their
# own, then without the word "Rewind", then the slider, the step and the buttons a row each.
LAYOUTS = (
    ("full", (("title", "slider", "label", "buttons"),)),
    ("short", (("title", "slider", "label", "buttons"),)),
    ("short", (("title", "slider", "label"), ("buttons",))),
    ("short", (("slider", "label"), ("buttons",))),
    ("short", (("slider",), ("label",), ("buttons",))),
)


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


class TimelineBar(QWidget):
    """The timeline's parts: "Rewind", the slider, the step shown and ``buttons`` (each
    ``(QPushButton, full text, short text)``), arranged (:data:`LAYOUTS`) to fit
    :meth:`fit`'s width at every zoom: nothing cut, nothing outside."""

    def __init__(self, buttons, parent=None):
        super().__init__(parent)
        self.buttons = buttons
        self.title = QLabel("Rewind")
        self.slider = TimelineSlider()
        self.label = QLabel("live")
        self.rows = tuple(QHBoxLayout() for _ in range(max(len(r) for _, r in LAYOUTS)))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 2, 8, 2)
        for row in self.rows:
            outer.addLayout(row)
        for button, *_ in buttons:
            button.setFocusPolicy(Qt.NoFocus)
        self.arrangement = None
        self._width = 0
        style.keep(self, lambda bar: bar._zoomed())
        self.arrange(LAYOUTS[0])

    def _zoomed(self):
        self.setStyleSheet(f"font-size: {style.scaled(TEXT_PT):.1f}pt;")
        self.slider.setMinimumWidth(round(style.scaled(SLIDER_MIN)))
        QTimer.singleShot(0, self, lambda: self.fit(self._width, force=True))  # fonts are in

    def _widths(self, texts):
        """The width in pixels each part asks for in the current font (the buttons' total)."""
        spacing = self.rows[0].spacing()
        buttons = [b.sizeHint().width() - b.fontMetrics().horizontalAdvance(b.text())
                   + b.fontMetrics().horizontalAdvance(full if texts == "full" else short)
                   for b, full, short in self.buttons]
        return {"title": self.title.sizeHint().width(), "slider": self.slider.minimumWidth(),
                "label": self.label.minimumWidth(),
                "buttons": sum(buttons) + spacing * (len(buttons) - 1)}

    def needs(self, arrangement):
        """The width in pixels ``arrangement`` (one of :data:`LAYOUTS`) takes in the current
        font: its widest row."""
        texts, rows = arrangement
        widths, spacing = self._widths(texts), self.rows[0].spacing()
        margins = self.layout().contentsMargins()
        return max(sum(widths[part] for part in row) + spacing * (len(row) - 1) for row in rows) \
            + margins.left() + margins.right()

    def fit(self, width, force=False):
        """Arrange the bar for ``width`` pixels: the widest arrangement that fits, else the
        narrowest (``force``: again, the fonts having changed)."""
        self._width = width
        if width <= 0:
            return
        if force:
            self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(WIDEST_STEP)
                                       + 2 * self.label.margin() + 4)
        choice = next((a for a in LAYOUTS if self.needs(a) <= width), LAYOUTS[-1])
        if choice != self.arrangement or force:
            self.arrange(choice)

    def arrange(self, arrangement):
        texts, rows = self.arrangement = arrangement
        for row in self.rows:
            while row.count():
                row.takeAt(0)
        self.title.setVisible(any("title" in row for row in rows))
        for names, row in zip(rows, self.rows):
            for name in names:
                if name == "buttons":
                    if len(names) == 1:
                        row.addStretch(1)  # a row of their own: under the step shown
                    for button, full, short in self.buttons:
                        button.setText(full if texts == "full" else short)
                        row.addWidget(button)
                elif name == "slider":
                    row.addWidget(self.slider, 1)
                else:
                    row.addWidget(getattr(self, name))


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
        self.live_button = QPushButton()
        self.live_button.setToolTip("Back to live (End): the panels follow training again")
        self.resume_button = QPushButton()
        self.resume_button.setToolTip("Resume from here: train on from this step, a new branch "
                                      "(the run as it was stays on the cost panel, faint)")
        self.restart_button = QPushButton()
        self.restart_button.setToolTip("Restart with the same initial weights: replay the run "
                                       "from its first weights with the settings as they are "
                                       "now (change one first); the run so far stays on the "
                                       "cost panel, faint")
        self.bar = TimelineBar(((self.live_button, "Back to live (End)", "Live (End)"),
                                (self.resume_button, "Resume from here", "Resume"),
                                (self.restart_button, "Restart with the same initial weights",
                                 "Restart")))
        self.slider, self.label = self.bar.slider, self.bar.label
        self.slider.setToolTip("Drag back in time: every panel shows the network as it was "
                               "(recorded steps 0, 1, 2, 4, 8, … and every epoch end)")
        self.slider.valueChanged.connect(self._on_moved)
        self.live_button.clicked.connect(self.back_to_live)
        self.resume_button.clicked.connect(self.resume_here)
        self.addWidget(self.bar)
        self._show_state()
        model.runChanged.connect(lambda run: self.back_to_live())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        margins = self.contentsMargins()
        self.bar.fit(event.size().width() - margins.left() - margins.right()
                     - 2 * self.layout().contentsMargins().left())

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
