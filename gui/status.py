"""The window's status line (where the run is) and its banner (a problem to act on)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolBar, QWidget

from . import style

STATUS_INTERVAL_S = 0.25  # status-line refresh while training


class StatusLine(QLabel):
    """Dataset, epoch, step, samples, speed, η, cost and accuracy of the run; while the
    timeline looks back, the step viewed. Sits in ``status_bar`` (a normal widget, not a
    permanent one: a message such as "Saved …" takes its place for a while)."""

    def __init__(self, status_bar, model, controller):
        super().__init__("Loading MNIST…")
        self.status_bar, self.model, self.controller = status_bar, model, controller
        style.sized_text(self, 11)
        style.sized_text(status_bar, 11)
        status_bar.addWidget(self, 1)
        model.viewedChanged.connect(self.refresh)  # training may be stopped

    def refresh(self, *_):
        if self.controller.snapshot is not None:
            self.update_status(self.controller.snapshot)

    def update_status(self, s):
        """Show the live snapshot ``s`` (or the step the timeline shows)."""
        v = self.model.viewed
        if v is not None:
            text = (f"viewing step {v.step:,} of {v.live_step:,} (epoch {v.epoch}, "
                    f"{v.samples_seen:,} samples) — Back to live (End)")
            if text != self.text():
                self.status_bar.clearMessage()  # "Finished 2 epochs" must not hide where we are
                self.setText(text)
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
            tested = "training" if s.test_set is not None and s.test_set is s.train_set \
                else "test"  # a table (trask, xor) has no test set of its own
            parts.append(f"{tested} accuracy {s.reports[-1].test_accuracy:.2%}")
        self.setText("   ·   ".join(parts))

    def say(self, message, timeout_ms=5000):
        """A passing message in place of the status line (``timeout_ms`` 0: until the next)."""
        self.status_bar.showMessage(message, timeout_ms)


class Banner(QToolBar):
    """A message across the top with Reset and Dismiss, for a problem the user must act on
    (a divergence, a refused setting, a lesson's missing data)."""

    def __init__(self, reset):
        super().__init__("Messages")
        self.setObjectName("toolbar-messages")
        self.setMovable(False)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.reset_button = QPushButton("Reset")
        self.reset_button.clicked.connect(reset)
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(self.hide)
        row.addWidget(self.text, 1)
        row.addWidget(self.reset_button)
        row.addWidget(dismiss)
        style.keep(box, lambda b: b.setStyleSheet(
            "QWidget { background: #FCE8C8; } "
            f"QLabel {{ color: #5a2d00; font-size: {style.scaled(12):.1f}pt; }}"))
        self.addWidget(box)
        self.hide()

    def show_message(self, message):
        self.text.setText(message)
        self.show()
