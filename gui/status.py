"""The window's status line (where the run is) and its banner (a problem to act on)."""

import html
import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolBar, QWidget

from digit_descent.engine.history import Smoother

from . import style

STATUS_INTERVAL_S = 0.25  # status-line refresh while training


class StatusLine(QLabel):
    """Dataset, epoch, step, samples, speed, η, cost and accuracy of the run; while the
    timeline looks back, the step viewed. Sits in ``status_bar`` (a normal widget, not a
    permanent one: a message such as "Saved …" takes its place for a while).

    The cost shown is the moving average of the mini-batch costs, ``average(snapshot)``
    (shape ``(len(history),)``; the cost panel's, so it matches the bold curve), not the
    last mini-batch's alone, which jumps about and is unknown after a fork or an opened
    session. Accuracy is the test set's, or the training set's where the data set has no
    separate test set (a 4-row table is its own test set)."""

    def __init__(self, status_bar, model, controller, average=None):
        super().__init__("Loading MNIST…")
        self.status_bar, self.model, self.controller = status_bar, model, controller
        self.average = average or Smoother()
        style.sized_text(self, 11)
        style.sized_text(status_bar, 11)
        self.setToolTip("Average cost: the moving average of the mini-batch costs, the bold "
                        "line on the cost panel (one mini-batch's cost jumps about too much to "
                        "read)")
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
        # what matters most first: a narrow window cuts the line at its end
        parts = [f"{s.dataset}", f"epoch {s.epoch} ({s.epoch_progress:.0%})", f"step {s.step:,}"]
        if len(s.history[0]):
            parts.append(f"average cost {self.average(s)[-1]:.4f}")
        if s.reports:
            if not s.has_test_set:
                parts.append(f"training accuracy {s.reports[-1].train_accuracy:.2%}")
            else:
                parts.append(f"test accuracy {s.reports[-1].test_accuracy:.2%}")
        parts.append(f"{s.samples_seen:,} samples")
        status = self.controller.status
        if status.running:
            parts.append(f"{status.samples_per_s:,.0f} samples/s")
        decay = f" (× {s.lr_decay:g} per epoch)" if s.lr_decay != 1 else ""
        parts.append(f"η = {s.lr:.3g}{decay}, batch {s.batch_size}")
        self.setText("   ·   ".join(parts))

    def say(self, message, timeout_ms=5000):
        """A passing message in place of the status line (``timeout_ms`` 0: until the next)."""
        self.status_bar.showMessage(message, timeout_ms)


URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")  # a trailing full stop is the sentence's


def banner_html(message):
    """``message`` as rich text: escaped, with each web address a link that never wraps
    (a QLabel breaks lines after a "/", splitting an address across two lines)."""
    parts, end = [], 0
    for match in URL.finditer(message):
        url = html.escape(match.group(0))
        parts += [html.escape(message[end:match.start()], quote=False),
                  f'<a href="{url}" style="white-space:nowrap">{url}</a>']
        end = match.end()
    return "".join(parts + [html.escape(message[end:], quote=False)])


class Banner(QToolBar):
    """A message across the top with Dismiss, for a problem the user must act on (a
    divergence, a refused setting, a lesson's missing data), and Reset for a message that
    says to press it (a divergence); web addresses in it are links."""

    def __init__(self, reset):
        super().__init__("Messages")
        self.setObjectName("toolbar-messages")
        self.setMovable(False)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(Qt.TextBrowserInteraction)
        self.text.installEventFilter(self)  # its height follows its width: _fit_text
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
        self.text.setText(banner_html(message))
        self.reset_button.setVisible("press Reset" in message)
        self.show()
        self._fit_text()

    def eventFilter(self, obj, event):
        if obj is self.text and event.type() == QEvent.Resize:
            self._fit_text()
        return False

    def _fit_text(self):
        """The text as tall as its lines at the width it has: a tool bar's layout asks a
        wrapping label for its height at a narrow width, which left two lines in a band of
        six."""
        height = self.text.heightForWidth(max(self.text.width(), 1))
        if height > 0 and height != self.text.maximumHeight():
            self.text.setFixedHeight(height)
