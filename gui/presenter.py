"""The window's layout: the docks (each panel in a scroll area), panels side by side, the
column beside them for the view a panel or a lesson stage opens, and the presenter view.

The presenter view is a full-screen dashboard of one to four panels for a lecture hall.

F5 enters it: menus, toolbars (not a lesson's caption strip), the status bar and the
training controls go, the chosen panels fill the screen side by side at a large zoom, and
each panel's own controls hide until the mouse moves. In a lesson it shows the stage's
panels; keys 1–4 switch between the arrangements. Esc leaves and puts everything back as it
was (layout, size, zoom, full screen or not). The status line shows only while the timeline
looks back ("viewing step …").
"""

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QSplitter, QToolBar, QWidget

from . import style

ARRANGEMENTS = {  # key → panels, in reading order
    1: ("cost",),
    2: ("cost", "weights"),
    3: ("cost", "weights", "confusion"),
    4: ("cost", "weights", "confusion", "pad"),
}
PRESENTER_ZOOM = 1.5  # on a 1920×1080 screen; a smaller one gets proportionally less (≥ 1)
CONTROLS_SHOWN_S = 3.0  # after the mouse last moved
SEAM = 24  # pixels of a dock's title bar and the separator beside it
CURSOR_POLL_MS = 250
TITLE_PT = 11  # a dock's title, at zoom 1
ASIDE_SHARE = (0.25, 0.45)  # of the window's width for the view beside the panels: at least,
#                             and at most for a view that needs more (a backpropagation step);
#                             a view's own ``aside_share`` replaces it (a lesson stage's picture)
DETAIL_SHARE = 0.45  # of the column's height for a detail under its view (an image's outputs)


def build_docks(window, panels, on_shown, draws):
    """Dock each of ``panels`` (key → Panel) in ``window``: the left-hand ones in a column,
    the others tabbed on the right. ``on_shown(key, visible)`` follows which are on screen;
    ``draws(dock)`` is called for each (a floating dock is a window of its own). Returns the
    docks by key."""
    placeholder = QWidget()
    placeholder.setMaximumSize(0, 0)
    window.setCentralWidget(placeholder)
    docks, tabbed = {}, []
    for key, panel in panels.items():
        dock = QDockWidget(panel.title, window)
        dock.setObjectName(f"dock-{key}")
        dock.setWidget(scrolling(panel, key))
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                         | QDockWidget.DockWidgetClosable)
        style.keep(dock, _style_title)
        dock.visibilityChanged.connect(lambda visible, k=key: on_shown(k, visible))
        left = panel.area == "left"
        window.addDockWidget(Qt.LeftDockWidgetArea if left else Qt.RightDockWidgetArea, dock)
        draws(dock)
        docks[key] = dock
        if not left:
            tabbed.append(dock)
    # The panels share one tabbed area by default: a hidden panel costs nothing to keep.
    for first, second in zip(tabbed, tabbed[1:]):
        window.tabifyDockWidget(first, second)
    tabbed[0].raise_()
    return docks


class _Holder(QWidget):
    """Holds one widget filling it, without a layout: QScrollArea sizes a widget whose layout
    has a height for its width (a panel's wrapped caption) at that height, which pushed a
    confusion matrix below the fold of a 768-px window."""

    def __init__(self, widget):
        super().__init__()
        self.held = widget
        widget.setParent(self)

    def minimumSizeHint(self):
        return self.held.minimumSizeHint()

    def sizeHint(self):
        return self.held.sizeHint()

    def resizeEvent(self, event):
        self.held.setGeometry(self.rect())

    def event(self, event):
        if event.type() == QEvent.LayoutRequest:  # the held widget's size hints changed:
            self.updateGeometry()  # the scroll area asks again (a lesson view's longer text)
        return super().event(event)


def scrolling(widget, name):
    """``widget`` in a frameless scroll area (object name ``scroll-{name}``): a dock narrower
    or lower than a panel's controls need (a small screen, a large zoom) scrolls instead of
    widening the window."""
    area = QScrollArea()
    area.setObjectName(f"scroll-{name}")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidget(_Holder(widget))
    return area


def _style_title(dock):
    """The dock's title at the zoom (a style sheet's font stays on the dock: its panel keeps
    its own)."""
    dock.setStyleSheet(f"QDockWidget {{ font-size: {style.scaled(TITLE_PT):.1f}pt; }}")


class Aside(QObject):
    """A dock beside the panels for the view a panel or a lesson stage opens (a confusion
    cell's gallery, a neuron's closer look, a backpropagation step, a stage's lesson view): a
    column on the right, never over the panel it explains, part of the layout (F5, Esc) like
    the panels. One view at a time: a new one replaces the one before; closing the view hides
    the dock (a view whose ``closable`` is False has no ×: a lesson stage's goes with its
    stage). A view may show one detail under itself (:meth:`show_detail`)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view = None
        self.detail = None
        self.dock = QDockWidget("View", window)
        self.dock.setObjectName("dock-aside")
        self.dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
        style.keep(self.dock, _style_title)
        window.addDockWidget(Qt.RightDockWidgetArea, self.dock, Qt.Horizontal)
        self.dock.hide()
        self.dock.installEventFilter(self)  # its × closes the view (a layout change hides it)

    def show(self, view):
        """Put ``view`` (a widget or a dialog: it becomes a plain widget) in the dock, beside
        the panels; a view with a ``present`` method shows what it opens as its detail."""
        if view is self.view:
            return view
        self.close()
        self.view = view
        self._least = None  # the view's minimum width the window last made room for
        view.setWindowFlags(Qt.Widget)
        view.installEventFilter(self)
        if hasattr(view, "finished"):  # a dialog's own Esc or Close hides it, without a close
            view.finished.connect(lambda _=0, v=view: self._closed(v))
        if hasattr(view, "present"):
            view.present = self.show_detail
        features = QDockWidget.DockWidgetMovable
        if getattr(view, "closable", True):
            features |= QDockWidget.DockWidgetClosable
        self.dock.setFeatures(features)
        self.dock.setWindowTitle(view.windowTitle())
        # a view with a heading of its own (a lesson stage's) has no title bar repeating it
        self.dock.setTitleBarWidget(QWidget() if hasattr(view, "heading") else None)
        column = QSplitter(Qt.Vertical)
        column.setChildrenCollapsible(False)
        column.addWidget(scrolling(view, "aside"))
        self.dock.setWidget(column)
        view.show()
        self.place()
        return view

    def show_detail(self, detail):
        """Put ``detail`` (a dialog the view opened: a gallery image's outputs) under the view,
        in the same column, instead of the one before; it closes with the view. Returns it."""
        if self.view is None:
            detail.show()  # no column to put it in: a window of its own
            return detail
        column = self.dock.widget()
        if self.detail is not None:
            self.detail.close()
            before = column.widget(1)  # its scroll area
            before.hide()
            before.deleteLater()
        self.detail = detail
        detail.setWindowFlags(Qt.Widget)
        column.insertWidget(1, scrolling(detail, "aside-detail"))
        detail.show()
        height = column.height()
        column.setSizes([height - int(height * DETAIL_SHARE), int(height * DETAIL_SHARE)])
        return detail

    def place(self):
        """The dock (if it has a view) as a column right of every panel (see ASIDE_SHARE)."""
        if self.view is None:
            return
        w = self.window
        w.removeDockWidget(self.dock)
        w.addDockWidget(Qt.RightDockWidgetArea, self.dock, Qt.Horizontal)
        self.dock.show()
        panels = [d for key, d in getattr(w, "docks", {}).items()
                  if key != "controls" and d.isVisible() and not d.isFloating()]
        width = self.width(w.width())
        controls = getattr(w, "docks", {}).get("controls")
        if not panels and controls is not None and controls.isVisible():
            # the view is the whole picture (a stage with no panels): all but the controls
            width = max(width, w.width() - min(controls.sizeHint().width(), 280) - 8)
        w.resizeDocks([self.dock], [width], Qt.Horizontal)

    def width(self, of):
        """The column's width in a window ``of`` pixels wide: the view's minimum within its
        ``aside_share`` (else ASIDE_SHARE)."""
        share = getattr(self.view, "aside_share", ASIDE_SHARE)
        low, high = (int(of * part) for part in share)
        return min(high, max(low, self.view.minimumSizeHint().width()))

    def close(self):
        if self.view is not None:
            self.view.close()
        self._closed(self.view)

    def _closed(self, view):
        if view is None or view is not self.view:
            return
        self.view = None
        if self.detail is not None:
            self.detail.close()
            self.detail = None
        view.removeEventFilter(self)
        self.dock.hide()
        view.hide()
        view.setParent(None)  # whoever opened it may still hold it (a lesson player does)
        self.dock.widget().deleteLater()  # its column, with the detail
        self._make_room()  # room again for whatever the view took it from

    def _make_room(self):
        """The window's ``make_room`` (if it has one), once the layout has settled."""
        make_room = getattr(self.window, "make_room", None)
        if make_room is not None:
            QTimer.singleShot(0, self, make_room)  # not after the window has gone

    def eventFilter(self, obj, event):
        if event.type() == QEvent.LayoutRequest and obj is self.view:
            least = self.view.minimumSizeHint().width()
            presenter = getattr(self.window, "presenter", None)
            if least != self._least and not (presenter is not None and presenter.active):
                self._least = least  # its minimum changed (not the presenter's zoom and back)
                self._make_room()
        elif event.type() == QEvent.Close and obj is self.dock:
            self.close()
        elif event.type() == QEvent.Close and obj is self.view:
            QTimer.singleShot(0, lambda v=obj: self._closed(v))
        return False


def layout_docks(window, keys, keep=()):
    """The docks of ``keys`` (none to four panels) side by side, two rows of two for three or
    four; the docks of ``keep`` stay where they are, every other one is closed. With no
    panels the views column (a lesson stage's view) has the room to itself.

    The closed ones stay in the layout (hidden, tabbed behind the last panel), so that a
    saved state names every dock: ``restoreState`` leaves a dock it does not name where it
    is, which put the presenter's panels back beside a lesson's after Esc."""
    docks = window.docks
    for key, dock in docks.items():
        if key not in keep:
            window.removeDockWidget(dock)
    panels = [docks[key] for key in keys]
    closed = [dock for key, dock in docks.items() if key not in keep and key not in keys]
    behind = panels[-1] if panels else closed[0]
    window.addDockWidget(Qt.RightDockWidgetArea, panels[0] if panels else behind)
    # a | b  on top, c | d  below: each split cuts the dock it names in two
    splits = [(0, 1, Qt.Horizontal), (0, 2, Qt.Vertical), (1, 3, Qt.Vertical)]
    for old, new, direction in splits[:max(0, len(panels) - 1)]:
        window.splitDockWidget(panels[old], panels[new], direction)
    for dock in closed:
        if dock is not behind:
            window.tabifyDockWidget(behind, dock)
        dock.hide()
    for dock in panels:
        dock.setFloating(False)
        dock.show()
    aside = getattr(window, "aside", None)
    if aside is not None:
        aside.place()
    if not panels:
        return
    width = window.width() - sum(docks[key].width() for key in keep if docks[key].isVisible())
    if aside is not None and aside.view is not None:
        width -= aside.width(window.width())
    height = window.height()  # equal columns and rows (less the separators and title bars)
    if len(panels) > 1:
        window.resizeDocks(panels[:2], [width // 2 - SEAM] * 2, Qt.Horizontal)
    for top, bottom in ((0, 2), (1, 3))[:max(0, len(panels) - 2)]:
        window.resizeDocks([panels[top], panels[bottom]], [height // 2 - SEAM] * 2, Qt.Vertical)
    if aside is not None and aside.view is not None:  # the panels' columns, then the view's
        row = panels[:2]
        window.resizeDocks([*row, aside.dock], [width // len(row) - SEAM] * len(row)
                           + [aside.width(window.width())], Qt.Horizontal)


def presenter_zoom(screen):
    """PRESENTER_ZOOM on a 1920×1080 screen, less on a smaller one (never below 1): four
    panels must fit side by side."""
    return max(1.0, PRESENTER_ZOOM * min(screen.width() / 1920, screen.height() / 1080))


class Presenter(QObject):
    """Enters and leaves the presenter view of ``window`` (a MainWindow)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.arrangement = 4
        self.arrangements = dict(ARRANGEMENTS)  # the user's own replace these (Ctrl+1…4)
        self._saved = None  # (window state, zoom, full screen) to go back to
        self._hidden = None  # the panels' controls hidden while presenting
        self._cursor = None
        self._idle = QTimer(self)
        self._idle.setInterval(CURSOR_POLL_MS)
        self._idle.timeout.connect(self._watch_cursor)
        self._hide_at = QTimer(self)
        self._hide_at.setSingleShot(True)
        self._hide_at.setInterval(int(CONTROLS_SHOWN_S * 1000))
        self._hide_at.timeout.connect(lambda: self.show_controls(False))

    @property
    def active(self):
        return self._saved is not None

    def toggle(self):
        self.leave() if self.active else self.enter()

    def enter(self, arrangement=None):
        """The dashboard, full screen, at the presenter's zoom (or the zoom already chosen if
        larger): the panels of the lesson's stage when a lesson is open (the model's
        ``stage``), else those of ``arrangement`` (1–4; None: the one used last)."""
        w = self.window
        if not self.active:
            self._saved = (w.saveState(), w.saveGeometry(), w.size(), style.zoom(),
                           w.isFullScreen(), w.model.stage)
            w.menuBar().hide()
            w.statusBar().setVisible(w.model.viewed is not None)  # "viewing step …" stays
            for bar in w.findChildren(QToolBar):
                if not bar.property("presenter_keeps"):  # the lesson's caption strip stays
                    bar.hide()
            style.set_zoom(max(presenter_zoom(w.screen().geometry().size()), style.zoom()))
            w.showFullScreen()
            self._cursor = QCursor.pos()
            self._idle.start()
        stage = w.model.stage
        if stage is not None and arrangement is None:
            lesson, index = stage
            self.show_panels(lesson.stages[index].panels)
        else:
            self.arrange(arrangement or self.arrangement)
        self.show_controls(False)

    def arrange(self, arrangement):
        """Show the panels of ``arrangement`` (1–4) side by side, every other one closed."""
        self.arrangement = arrangement
        self.show_panels(self.arrangements[arrangement])

    def keep_arrangement(self, number):
        """Keep the panels on screen now (at most four, in reading order) as arrangement
        ``number``; returns their keys (none: nothing kept)."""
        w = self.window
        shown = [(dock.geometry().top(), dock.geometry().left(), key)
                 for key, dock in w.docks.items()
                 if key != "controls" and dock.isVisible() and not dock.isFloating()]
        keys = tuple(key for *_, key in sorted(shown))[:4]
        if keys:
            self.arrangements[number] = keys
        return keys

    def show_panels(self, keys):
        """Show the panels ``keys`` (none to four, a lesson's) side by side."""
        layout_docks(self.window, keys)

    def leave(self):
        """Everything back as it was before F5: the layout, the window's size and place, the
        zoom, full screen or not. If the lesson moved on to another stage meanwhile, its
        panels are shown beside the controls instead of the old stage's."""
        if not self.active:
            return
        state, geometry, size, zoom, full_screen, stage = self._saved
        self._saved = None
        self._idle.stop()
        self._hide_at.stop()
        self.show_controls(True)
        self._hidden = None
        w = self.window
        kept = [bar for bar in w.findChildren(QToolBar)
                if bar.property("presenter_keeps") and bar.isVisible()]
        style.set_zoom(zoom)
        w.restoreState(state)
        w.menuBar().show()
        w.statusBar().show()
        if not full_screen:
            w.showNormal()
            w.restoreGeometry(geometry)
            w.resize(size)
        w.restoreState(state)  # again at the size it was saved at: the splits to the pixel
        for bar in kept:  # a lesson opened while presenting keeps its caption strip
            bar.show()
        aside = w.aside  # the view shown now (opened, or closed, while presenting)
        if aside.view is None:
            aside.dock.hide()
        elif not aside.dock.isVisible():
            aside.place()
        now = w.model.stage
        if now is not None and now != stage:
            lesson, index = now
            w.arrange(lesson.stages[index].panels)

    def follow_viewed(self, viewed):
        """While presenting, the status line shows only when the timeline looks back."""
        if self.active:
            self.window.statusBar().setVisible(viewed is not None)

    def show_controls(self, visible):
        """The panels' control rows (their contract's ``presenter_hides``), shown or hidden;
        those a panel had hidden itself stay hidden."""
        if self._hidden is None:
            self._hidden = [widget for panel in self.window.panels.values()
                            for widget in panel.presenter_hides() if not widget.isHidden()]
        for widget in self._hidden:
            widget.setVisible(visible)

    def _watch_cursor(self):
        position = QCursor.pos()
        if position != self._cursor:
            self._cursor = position
            self.show_controls(True)
            self._hide_at.start()
