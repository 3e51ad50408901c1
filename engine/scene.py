"""A teaching scene: balls rolling down a teaching surface, each with its own learning rate
η or the scene's, until they settle or leave the plot; and the sentence that says which.

The Loss surface panel draws a scene; the lessons set one up. Pure NumPy, no drawing.
"""

from dataclasses import dataclass

import numpy as np

from .landscape import Ball

SETTLED_SLOPE = 0.01  # a ball stops once the slope of the (whole set's) cost under it is below
CURVATURE_STEP = 1e-3  # finite-difference step for telling a minimum from a saddle point


@dataclass(eq=False)
class Rolling:
    """One ball of a scene. ``own_lr``: its own η (None: it follows the scene's η);
    ``state``: ``rolling``, ``settled`` or ``escaped``; ``cause``: why it stopped
    (``minimum``, ``saddle``; ``overshoot``, ``downhill``, ``noise``), ``steps`` taken."""

    ball: Ball
    own_lr: float = None
    state: str = "rolling"
    cause: str = ""
    steps: int = 0


class TeachingScene:
    """Balls on ``surface``: a :class:`~engine.landscape.Surface` or a
    :class:`~engine.landscape.MiniBatchProblem` (resampled before every step, so each step
    follows the slope of a fresh mini-batch).

    ``lr`` (η), ``optimizer``, ``momentum`` and ``noise`` (standard deviation of Gaussian
    noise added to each gradient) apply to every ball; a ball dropped with its own η keeps
    it. Balls are numbered from 1 in the order dropped; ball ``i`` draws its noise from seed
    ``i − 1``, so a scene replays the same given the same drops and controls.
    """

    def __init__(self, surface, lr=0.1, optimizer="sgd", momentum=0.9, noise=0.0):
        self.surface = surface
        self.lr, self.optimizer, self.momentum, self.noise = lr, optimizer, momentum, noise
        self.rolling = []

    @property
    def balls(self):
        """The :class:`~engine.landscape.Ball` objects, in the order dropped."""
        return [r.ball for r in self.rolling]

    @property
    def stochastic(self):
        return hasattr(self.surface, "resample")

    @property
    def moving(self):
        """True while some ball still rolls."""
        return any(r.state == "rolling" for r in self.rolling)

    def drop(self, x, y, lr=None):
        """A new ball at ``(x, y)`` (y = 0 on a one-input curve); ``lr``: its own η. Returns
        the :class:`~engine.landscape.Ball`."""
        start = (x, 0.0 if self.surface.one_d else y)
        rolling = Rolling(Ball(self.surface, start, seed=len(self.rolling)), lr)
        self.rolling.append(rolling)
        self._configure(rolling)
        self._update(rolling)
        return rolling.ball

    def clear(self):
        self.rolling = []

    def set_controls(self, lr=None, optimizer=None, momentum=None, noise=None):
        """Change the scene's η, optimizer, momentum or gradient noise (None: unchanged);
        every ball follows at its next step (a ball with its own η keeps it)."""
        for name, value in (("lr", lr), ("optimizer", optimizer), ("momentum", momentum),
                            ("noise", noise)):
            if value is not None:
                setattr(self, name, value)
        for rolling in self.rolling:
            self._configure(rolling)

    def _configure(self, rolling):
        ball = rolling.ball
        ball.lr = rolling.own_lr if rolling.own_lr is not None else self.lr
        ball.optimizer, ball.momentum, ball.noise = self.optimizer, self.momentum, self.noise

    def step(self, count=1):
        """``count`` steps of every rolling ball (a mini-batch surface draws a new mini-batch
        before each step, even with no ball on it: its surface shifts). Returns the number
        of steps taken: fewer once every ball has stopped."""
        for taken in range(count):
            if self.rolling and not self.moving:
                return taken
            if self.stochastic:
                self.surface.resample()
            for rolling in self.rolling:
                if rolling.state == "rolling":
                    rolling.ball.step()
                    rolling.steps += 1
                    self._update(rolling)
        return count

    def _update(self, rolling):
        ball = rolling.ball
        if ball.escaped:
            rolling.state, rolling.cause = "escaped", self._exit_cause(rolling)
        elif np.hypot(*self._slope(ball.position)) < SETTLED_SLOPE:
            rolling.state = "settled"
            rolling.cause = "saddle" if self._curvature(ball.position) < 0 else "minimum"

    def _slope(self, position):
        g = np.array(self.surface.full_grad(*position), np.float64)
        if self.surface.one_d:
            g[1] = 0.0
        return g

    def _curvature(self, position):
        """The smallest eigenvalue of the (whole set's) cost's Hessian at ``position``, by
        central differences (along x only on a one-input curve)."""
        cost, h = self.surface.full_cost, CURVATURE_STEP
        x, y = (float(v) for v in position)
        cxx = (cost(x + h, y) - 2 * cost(x, y) + cost(x - h, y)) / h ** 2
        if self.surface.one_d:
            return float(cxx)
        cyy = (cost(x, y + h) - 2 * cost(x, y) + cost(x, y - h)) / h ** 2
        cxy = (cost(x + h, y + h) - cost(x + h, y - h) - cost(x - h, y + h)
               + cost(x - h, y - h)) / (4 * h * h)
        return float(np.linalg.eigvalsh(np.array([[cxx, cxy], [cxy, cyy]], np.float64))[0])

    def _exit_cause(self, rolling):
        """Why a ball left the plot. ``overshoot`` (η too large): its numbers overflowed; or,
        without noise, its last step passed over the bottom of a valley along its line (the
        slope where it landed points back); or, on a noisy walk, the step without its noise,
        −η∇C of the whole set, would have climbed. ``downhill``: it was still descending
        where it crossed the edge, the surface falling on beyond. ``noise``: a noisy walk
        that wandered off."""
        ball, cost = rolling.ball, self.surface.full_cost
        if not np.isfinite(ball.position).all():
            return "overshoot"
        before, after = (np.array(p, np.float64) for p in ball.trail[-2:])
        with np.errstate(all="ignore"):
            passed_bottom = float(self._slope(after) @ (after - before)) > 0
            if not (self.stochastic or ball.noise):
                return "overshoot" if passed_bottom else "downhill"
            plain = before - ball.lr * self._slope(before)
            if not float(cost(*plain)) <= float(cost(*before)):
                return "overshoot"
        return "noise" if passed_bottom else "downhill"

    def status(self):
        """One or a few sentences on the balls: how they stopped, else what to do."""
        title = self.surface.title
        if not self.rolling:
            return f"{title}: click to drop a ball, then Play."
        groups = {}
        for number, rolling in enumerate(self.rolling, start=1):
            if rolling.state != "rolling":
                groups.setdefault(rolling.cause, []).append((number, rolling))
        sentences = [_sentence(cause, members, self.stochastic)
                     for cause, members in sorted(groups.items(), key=lambda g: g[1][0][0])]
        if not sentences:
            rates = sorted({r.ball.lr for r in self.rolling})
            if len(rates) > 1:
                return "Each ball has its own learning rate: " + ", ".join(
                    f"η = {lr:g}" for lr in rates)
            return f"{title}: rolling at η = {rates[0]:g}…"
        return " ".join(sentences)


def _sentence(cause, members, stochastic):
    numbers = ", ".join(str(n) for n, _ in members)
    who = f"Ball {numbers}" if len(members) == 1 else f"Balls {numbers}"
    rates = ", ".join(sorted({f"{r.ball.lr:g}" for _, r in members}, key=float))
    if cause == "overshoot":
        return (f"{who} left the plot: the learning rate η = {rates} is too large, each step "
                "overshoots the valley. Try a smaller one.")
    if cause == "noise":
        return f"{who} left the plot, shaken off by the noise in each step's gradient."
    if cause == "downhill":
        return (f"{who} rolled off the edge of the plot, still going downhill: the surface "
                "falls on beyond it.")
    steps = ", ".join(f"{r.steps:,}" for _, r in members)
    costs = ", ".join(f"{float(r.ball.surface.full_cost(*r.ball.position)):.3f}"
                      for _, r in members)
    whole = " of the whole set" if stochastic else ""
    if cause == "saddle":
        return (f"{who} stopped on a saddle point after {steps} steps (cost {costs}): the "
                "slope is zero there, yet it is no minimum.")
    return f"{who} settled at a minimum{whole} after {steps} steps (cost {costs})."
