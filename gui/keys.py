"""Training keys that work wherever the focus is.

A focused spin box, slider, combo box or button claims Space and the arrow keys for itself
(Qt asks it first, with a ShortcutOverride event), so a lecturer who had just typed a learning
rate could not pause with Space. This filter lets the window's own shortcuts win; only a text
field keeps → and ← for moving its cursor. Escape leaves any field.
"""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit

TEXT_KEYS = ("Right", "Left", "Ctrl+Right", "Ctrl+Left")  # a text field moves its cursor


class WindowKeys(QObject):
    """The shortcuts of ``actions`` win over whichever widget of ``window`` has the focus.

    The filter sits on the focused widget only (moved as the focus moves): an application-wide
    filter would run Python for every event of the app, taking the GIL from training.
    """

    def __init__(self, window, actions):
        super().__init__(window)
        self.window = window
        self.keys = {sequence.toString() for action in actions for sequence in action.shortcuts()}
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, old, new):
        if old is not None:
            old.removeEventFilter(self)
        if new is not None and self.window.isAncestorOf(new):
            new.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() != QEvent.ShortcutOverride:
            return False
        key = QKeySequence(event.keyCombination()).toString()
        if key not in self.keys:
            return False
        if key in TEXT_KEYS and _is_text_field(obj):
            return False
        event.ignore()  # not overridden: Qt goes on to the window's shortcut
        return True


def _is_text_field(widget):
    return isinstance(widget, QLineEdit) and not isinstance(widget.parent(), QAbstractSpinBox)
