"""A bounded record of the weights along a training run (for rewinding and loss-surface planes)."""

import numpy as np


class Trajectory:
    """Parameter copies at log-spaced steps plus every epoch end, in bounded memory.

    Steps 0, 1, 2, 4, 8, … are kept, and every call with ``force=True`` (epoch
    ends). When more than ``capacity`` points are held, every other interior
    point is dropped (the first and last stay), so memory never exceeds
    ``capacity`` parameter vectors whatever the length of the run. Each point also
    keeps how many samples had been seen at its step.
    """

    def __init__(self, n_params, max_bytes=64 * 2**20, max_points=400, dtype=np.float32):
        per_point = max(1, n_params * np.dtype(dtype).itemsize)
        # at least the start and the newest point, even when one point alone exceeds max_bytes
        self.capacity = int(max(2, min(max_points, max_bytes // per_point)))
        self.steps = []
        self.params = []
        self.samples = []
        self.frozen = ((), (), ())  # (steps, params, samples): safe to hand to another thread
        self._next_log_step = 0

    def __len__(self):
        return len(self.steps)

    @property
    def next_step(self):
        """The next step ``record`` keeps without ``force``."""
        return self._next_log_step

    def record(self, step, params, samples=0, force=False):
        """Keep a copy of ``params`` (``samples`` seen so far) if ``step`` is due (or
        ``force``); returns whether it did."""
        if not force and step < self._next_log_step:
            return False
        if self.steps and self.steps[-1] == step:
            return False
        while self._next_log_step <= step:
            self._next_log_step = max(1, 2 * self._next_log_step)
        self.steps.append(int(step))
        self.params.append(np.array(params, copy=True))
        self.samples.append(int(samples))
        if len(self.steps) > self.capacity:
            self._keep(list(range(0, len(self.steps) - 1, 2)) + [len(self.steps) - 1])
        self._freeze()
        return True

    def truncate(self, step):
        """Forget the points after ``step`` (a run going back to it)."""
        self._keep([i for i, s in enumerate(self.steps) if s <= step])
        self._next_log_step = 0
        while self.steps and self._next_log_step <= self.steps[-1]:
            self._next_log_step = max(1, 2 * self._next_log_step)
        self._freeze()

    def restore(self, steps, params, samples):
        """Hold exactly these points (a run read back from a file)."""
        self.steps, self.samples = [int(s) for s in steps], [int(s) for s in samples]
        self.params = [np.array(p, copy=True) for p in params]
        self.truncate(self.steps[-1] if self.steps else 0)

    def _keep(self, indices):
        self.steps = [self.steps[i] for i in indices]
        self.params = [self.params[i] for i in indices]
        self.samples = [self.samples[i] for i in indices]

    def _freeze(self):
        self.frozen = (tuple(self.steps), tuple(self.params), tuple(self.samples))

    def matrix(self):
        """``(len, n_params)`` array of the recorded parameters (a copy)."""
        return np.stack(self.params) if self.params else np.zeros((0, 0), np.float32)
