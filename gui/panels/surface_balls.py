"""The loss surface panel's balls: dropped by a click or a lesson, rolled by the engine's
:class:`~digit_descent.engine.scene.TeachingScene`, drawn with their trails and −∇C arrows.

A mix-in of :class:`~digit_descent.gui.panels.surface.SurfacePanel`, which builds the
widgets it reads and draws on (``item``, ``lr``, ``optimizer``, ``play``, ``status`` …).
"""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from .. import style

FRAME_MS = 33  # the balls' frame: about 30 a second
BALL_COLOURS = [style.VERMILION, style.BLUE, style.GREEN, style.PURPLE, style.ORANGE, style.SKY]


class BallsOnSurface:
    """Teaching mode's balls."""

    @property
    def balls(self):
        """``(Ball, point item, trail item, arrow item)`` of each ball shown."""
        balls = self.scene.balls if self.scene is not None else []
        return [(ball, *items) for ball, items in zip(balls, self._ball_items)]

    def drop_ball(self, x, y, lr=None):
        """Drop a ball at (x, y) of the current teaching surface; None while it is prepared.
        ``lr``: its own learning rate (else it follows the η box). Returns the Ball."""
        if self.scene is None:
            return None
        ball = self.scene.drop(x, y, lr)
        colour = BALL_COLOURS[len(self._ball_items) % len(BALL_COLOURS)]
        point = style.sized_symbol(style.sized_pen(pg.ScatterPlotItem(brush=colour), "w", 2), 16)
        trail = style.sized_pen(pg.PlotCurveItem(), colour, 2.5)
        arrow = pg.ArrowItem(pen=pg.mkPen(colour), brush=colour, headLen=14, tailWidth=3)
        for it in (trail, arrow, point):
            self.item.addItem(it)
        self._ball_items.append((point, trail, arrow))
        self._draw_balls()
        return ball

    def _update_ball_settings(self, *_):
        if self.scene is not None:
            self.scene.set_controls(**self._scene_controls())

    def show_teaching(self, name, balls=(), pace=None):
        """Teaching surface ``name`` with ``balls`` ``(x, y, η)`` dropped and rolling (a
        lesson's stage) at ``pace`` steps per second (see :meth:`set_pace`); the mini-batch
        surface drops them once it is computed. A newer call replaces the balls of an older
        one still waiting."""
        self.mode.setCurrentIndex(0)
        self.surface.setCurrentIndex(self.surface.findData(name))
        self.clear_balls()
        self.set_pace(pace)
        self._pending_balls = (name, tuple(balls))
        self._drop_pending()

    def set_pace(self, pace=None):
        """Balls roll at ``pace`` steps per second, one step a frame (at most one frame per
        33 ms); None: the Speed box's steps every frame."""
        if pace:
            self.speed.setValue(1)
            self.timer.setInterval(max(FRAME_MS, round(1000 / pace)))
        else:
            self.timer.setInterval(FRAME_MS)

    def replay_balls(self):
        """Drop the balls again where they were dropped, each with its own η, and roll them
        (the R key): the demonstration again, from the start. False if there are none."""
        if self.scene is None or not self.scene.rolling:
            return False
        starts = [(*r.ball.trail[0], r.own_lr) for r in self.scene.rolling]
        self.clear_balls()
        for x, y, lr in starts:
            self.drop_ball(float(x), float(y), lr)
        self.play.setChecked(True)
        return True

    def _drop_pending(self):
        name, balls = self._pending_balls
        if not balls or self.scene is None or name != self.surface.currentData():
            return
        self._pending_balls = (None, ())
        rates = {lr for *_, lr in balls}
        lr = rates.pop() if len(rates) == 1 else None
        if lr is not None and self.lr.minimum() <= lr <= self.lr.maximum() and round(lr, 3) == lr:
            self.lr.setValue(lr)  # one η for all: the box shows it and the balls follow it
        else:
            lr = None
        for x, y, own in balls:
            self.drop_ball(x, y, None if lr is not None else own)
        self.play.setChecked(True)

    def _clear_ball_items(self):
        for items in self._ball_items:
            for it in items:
                self.item.removeItem(it)
        self._ball_items = []
        if self.view3d is not None:
            self.view3d.set_paths([])

    def clear_balls(self):
        self._clear_ball_items()
        if self.scene is not None:
            self.scene.clear()
            if self.teaching:
                self.status.setText(self.scene.status())

    def step_balls(self, count=1):
        """``count`` steps of every rolling ball; Play stops once every ball has stopped."""
        if self.scene is None:
            return
        self.scene.step(count)
        if self.scene.stochastic:
            self._show_batch_surface()
        self._draw_balls()
        if self.scene.rolling and not self.scene.moving:
            self.play.setChecked(False)

    def _draw_balls(self):
        if self.scene is None:
            return
        s = self.scene.surface
        for rolling, (point, trail, arrow) in zip(self.scene.rolling, self._ball_items):
            ball = rolling.ball
            path = np.array(ball.trail)
            ys = s.cost(path[:, 0], path[:, 1]) if s.one_d else path[:, 1]
            finite = np.isfinite(path).all(axis=1) & np.isfinite(ys)
            trail.setData(path[finite, 0], ys[finite])
            x, y = ball.position
            if rolling.state == "escaped":
                point.setData([], [])
                arrow.hide()
                continue
            point.setData([x], [s.cost(x, y) if s.one_d else y])
            if rolling.state == "settled":  # no slope left to show
                arrow.hide()
                continue
            gx, gy = s.grad(x, y)
            angle = np.degrees(np.arctan2(gy, gx)) if not s.one_d else (0 if gx > 0 else 180)
            arrow.setPos(x, s.cost(x, y) if s.one_d else y)
            arrow.setStyle(angle=angle, tailLen=min(60, 25 * float(np.hypot(gx, gy)) + 5))
            arrow.show()
        if self.three_d.isChecked() and self.view3d is not None and not s.one_d:
            paths = []
            for rolling, colour in zip(self.scene.rolling, BALL_COLOURS * 4):
                path = np.array(rolling.ball.trail)
                path = path[np.isfinite(path).all(axis=1)]
                paths.append((path, s.cost(path[:, 0], path[:, 1]), colour,
                              rolling.state != "escaped"))
            self.view3d.set_paths(paths)
        if self.teaching:
            self.status.setText(self.scene.status())

    def _on_play(self, on):
        self.play.setText("Pause" if on else "Play")
        self.timer.start() if on else self.timer.stop()

    def _tick(self):
        self.step_balls(self.speed.value())

    def _on_clicked(self, event):
        if not self.teaching or event.button() != Qt.LeftButton or self.scene is None:
            return
        p = self.item.vb.mapSceneToView(event.scenePos())
        surface = self.scene.surface
        x0, x1, y0, y1 = surface.extent
        if x0 <= p.x() <= x1 and (surface.one_d or y0 <= p.y() <= y1):
            self.drop_ball(p.x(), p.y())
