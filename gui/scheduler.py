"""Which panels are on screen, and when each gets the newest snapshot.

Panels on screen are tracked from their docks' visibility (a tab behind another is not on
screen): asking Qt at every frame would cost a GIL hand-over per call while training runs.
While training runs each panel gets a snapshot at most every ``redraw_interval_s``; paused
or stepped snapshots reach every panel on screen at once. The controller looks at the
worker only as often as the fastest panel on screen wants.
"""

import time

from PySide6.QtCore import QObject, Signal

TIMER_SLACK_S = 0.02  # a redraw due within this is done now, not one poll later


class RedrawScheduler(QObject):
    """Feeds ``panels`` (key → Panel) and extra ``(callback, interval)`` subscribers from
    ``controller.snapshotChanged``.

    Signal ``panelFailed(str)``: a panel raised while drawing (the others go on).
    """

    panelFailed = Signal(str)

    def __init__(self, controller, panels, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.panels = panels
        self.shown = set()
        self.pinned = None  # a snapshot the panels show instead of the live ones (a look back)
        self._subscribers = {}  # name → (callback, interval while training)
        self._last = {}
        controller.snapshotChanged.connect(self.on_snapshot)

    def subscribe(self, name, callback, interval_s):
        """Call ``callback(snapshot)`` like a panel on screen that redraws every ``interval_s``."""
        self._subscribers[name] = (callback, interval_s)
        self._retime()

    def set_shown(self, key, visible):
        """Panel ``key`` came on screen (it draws the current snapshot at once) or left it."""
        if visible:
            self.shown.add(key)
            snapshot = self.pinned or self.controller.snapshot
            if snapshot is not None:
                self._draw(key, self.panels[key].show_snapshot, snapshot, time.perf_counter())
        else:
            self.shown.discard(key)
        self._retime()

    def pin(self, snapshot):
        """Show ``snapshot`` (an older step, say) in every panel until :meth:`unpin`; live
        snapshots still reach the other subscribers (the status bar, the timeline)."""
        self.pinned = snapshot
        self._draw_panels(snapshot)
        self._retime()

    def unpin(self):
        """Back to the live snapshots."""
        self.pinned = None
        if self.controller.snapshot is not None:
            self._draw_panels(self.controller.snapshot)
        self._retime()

    def _draw_panels(self, snapshot):
        now = time.perf_counter()
        for key in self.shown:
            if self.panels[key].redraw_interval_s is not None:
                self._draw(key, self.panels[key].show_snapshot, snapshot, now)

    def _receivers(self):
        if self.pinned is None:  # a pinned snapshot is drawn once, not at every live one
            for key in self.shown:
                panel = self.panels[key]
                if panel.redraw_interval_s is not None:
                    yield key, panel.show_snapshot, panel.redraw_interval_s
        for name, (callback, interval) in self._subscribers.items():
            yield name, callback, interval

    def _retime(self):
        self.controller.running_poll_s = min(interval for _, _, interval in self._receivers())

    def on_snapshot(self, snapshot):
        now = time.perf_counter()
        for name, callback, interval in list(self._receivers()):
            # Panels with a slower redraw rate still get every paused / stepped snapshot.
            due = interval if self.controller.running else 0.0
            if now - self._last.get(name, 0.0) >= due - TIMER_SLACK_S:
                self._draw(name, callback, snapshot, now)

    def _draw(self, name, callback, snapshot, now):
        self._last[name] = now
        try:
            callback(snapshot)
        except Exception as exc:  # noqa: BLE001 - one panel's bug must not stop the lecture
            panel = self.panels.get(name)
            title = panel.title if panel is not None else name
            self.panelFailed.emit(f"The {title} panel could not draw this state "
                                  f"({type(exc).__name__}: {exc}).")
