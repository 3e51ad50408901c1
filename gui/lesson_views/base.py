"""What the lesson views share: a widget for the views column (``presenter.Aside``) with a
large-type heading. Sizes are in points at zoom 1 (``style.scaled``): 15 pt is 20 px on a
96-dpi screen, the least a caption's text may be at 1080p (issue #20)."""

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .. import style

HEADING_PT = 17
TEXT_PT = 15
SMALL_PT = 13  # a footnote the caption does not rely on


class LessonView(QWidget):
    """A view titled ``title`` (the column's title too): a heading label, then the view's own
    content. A stage's main picture: the column gives it ``aside_share`` of the window's
    width (at least, at most; a panel's view gets less)."""

    aside_share = (0.45, 0.55)  # beside a stage's panels; with none it has the room alone
    closable = False  # the column has no × for it: it goes with its stage (Page Up/Down, ×)

    def __init__(self, title, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.heading = QLabel(title)
        self.heading.setWordWrap(True)
        style.sized_text(self.heading, HEADING_PT, f"color: {style.INK}; font-weight: bold;")
        self.layout_.addWidget(self.heading)

    def minimumSizeHint(self):
        """At least as tall as the wrapped text needs at the view's width: a layout's minimum
        counts a wrapped label as one line, and the labels overlapped the tables below them
        in a 720-px window."""
        hint = super().minimumSizeHint()
        extra = sum(max(0, label.heightForWidth(label.width()) - label.minimumSizeHint().height())
                    for label in self.findChildren(QLabel)
                    if label.wordWrap() and label.isVisible())
        return QSize(hint.width(), hint.height() + extra)

    def resizeEvent(self, event):
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the scroll area holding it asks for the new minimum
        super().resizeEvent(event)

    def event(self, event):
        if event.type() == QEvent.LayoutRequest:  # a label's new text: a new minimum
            self.updateGeometry()
        return super().event(event)


def text_label(text="", points=TEXT_PT, wrap=True):
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.RichText)
    style.sized_text(label, points, f"color: {style.INK};")
    return label
