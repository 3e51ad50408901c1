"""The panel contract: what every panel of the window is and does.

A panel is a QWidget subclass of :class:`Panel` listed once in :data:`gui.panels.PANELS`;
the window docks it, lists it in the View menu, the help and the picture export, feeds it
snapshots at its own rate, keeps its settings and shuts it down — with no other change.
Adding a panel is one module plus one line in that list.
"""

from PySide6.QtWidgets import QWidget


class Panel(QWidget):
    """Base of every panel. Override what applies; the defaults do nothing.

    Class attributes
    ----------------
    key : str
        Short unique name: the dock's object name and the settings' group.
    title, help : str
        Shown on the dock's tab and in Help → What the panels show.
    redraw_interval_s : float or None
        How often it wants a new snapshot while training runs (paused: every snapshot);
        None: it does not take snapshots.
    bench_view : bool
        ``main.py bench`` measures training with this panel in front.
    area : str
        "left" for the controls' column; every other panel shares the tabbed right area.
    settings_version : int
        Raise it when the meaning of a saved setting changes: settings saved under another
        version are not read back (the defaults are used, with a notice).
    """

    key = ""
    title = ""
    snapshot = None  # the snapshot drawn last (panels that take snapshots keep it here)
    help = ""
    redraw_interval_s = None
    bench_view = False
    area = "right"
    settings_version = 1

    def show_snapshot(self, snapshot):
        """Draw ``snapshot`` (from training, a saved session or an older step: alike)."""

    def picture(self):
        """A context manager giving the graphics item to export as a picture, or None."""
        return None

    def save_settings(self, write):
        """Keep this panel's settings: ``write(name, value)``."""

    def restore_settings(self, read):
        """Take them back: ``read(name, convert, default, valid)`` is the checked value, or
        the default (with a notice) when the saved one is missing or bad."""

    def presenter_hides(self):
        """The widgets the presenter view hides until the mouse moves (control rows)."""
        return []

    def present(self, view):
        """Show ``view``, a dialog this panel opened (the window replaces this: it puts the
        view beside the panels; a panel on its own shows it as a window)."""
        view.show()

    def shutdown(self):
        """Stop anything the panel runs (a timer, a background job) before the window closes."""
