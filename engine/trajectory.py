"""A bounded record of the weights along a training run (for rewinding and loss-surface planes)."""

import numpy as np


class Trajectory:
    """Parameter copies at log-spaced steps plus every epoch end, in bounded memory.

    Steps 0, 1, 2, 4, 8, … are kept, and every call with ``force=True`` (epoch
    ends). When more than ``capacity`` points are held, every other interior
    point is dropped (the first and last stay), so memory never exceeds
    ``capacity`` parameter vectors whatever the length of the run.
    """

    def __init__(self, n_params, max_bytes=64 * 2**20, max_points=400, dtype=np.float32):
        per_point = max(1, n_params * np.dtype(dtype).itemsize)
        # at least the start and the newest point, even when one point alone exceeds max_bytes
        self.capacity = int(max(2, min(max_points, max_bytes // per_point)))
        self.steps = []
        self.params = []
        self.frozen = ((), ())  # (steps, params) as tuples: safe to hand to another thread
        self._next_log_step = 0

    def __len__(self):
        return len(self.steps)

    @property
    def next_step(self):
        """The next step ``record`` keeps without ``force``."""
        return self._next_log_step

    def record(self, step, params, force=False):
        """Keep a copy of ``params`` if ``step`` is due (or ``force``); returns whether it did."""
        if not force and step < self._next_log_step:
            return False
        if self.steps and self.steps[-1] == step:
            return False
        while self._next_log_step <= step:
            self._next_log_step = max(1, 2 * self._next_log_step)
        self.steps.append(int(step))
        self.params.append(np.array(params, copy=True))
        if len(self.steps) > self.capacity:
            keep = list(range(0, len(self.steps) - 1, 2)) + [len(self.steps) - 1]
            self.steps = [self.steps[i] for i in keep]
            self.params = [self.params[i] for i in keep]
        self.frozen = (tuple(self.steps), tuple(self.params))
        return True

    def matrix(self):
        """``(len, n_params)`` array of the recorded parameters (a copy)."""
        return np.stack(self.params) if self.params else np.zeros((0, 0), np.float32)
