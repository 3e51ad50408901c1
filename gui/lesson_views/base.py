"""What the lesson views share: a non-modal window with a large-type heading."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from .. import style

HEADING_PT = 15
TEXT_PT = 13


class LessonView(QDialog):
    """A window titled ``title``, a heading label, then the view's own content."""

    def __init__(self, title, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.layout_ = QVBoxLayout(self)
        self.heading = QLabel(title)
        self.heading.setWordWrap(True)
        style.sized_text(self.heading, HEADING_PT, f"color: {style.INK}; font-weight: bold;")
        self.layout_.addWidget(self.heading)
        self.resize(1100, 700)


def text_label(text="", points=TEXT_PT, wrap=True):
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.RichText)
    style.sized_text(label, points, f"color: {style.INK};")
    return label
