"""Immutable pictures of a training run, safe to hand to another thread."""

import bisect
from dataclasses import dataclass, replace

import numpy as np

from .inspection import evaluate
from .network import Network, unflatten


def _frozen(array):
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Snapshot:
    """A copy of everything the panels show at one moment of training.

    ``params`` is a read-only copy of the flat parameter array; ``weights``
    and ``biases`` are views of it shaped like the network's. ``history`` is
    ``(samples_seen, raw_cost, mean_cost)`` of the mini-batches so far
    (decimated, see :class:`engine.trainer.CostHistory`). ``test_set`` is the
    (never modified) test :class:`~engine.data.Dataset` and ``train_set`` the
    training one; ``trajectory`` is ``(steps, params, samples)``, tuples of the weights
    recorded so far and the samples seen at them (see
    :class:`~engine.trajectory.Trajectory`); ``evaluation`` and
    ``train_evaluation`` are the latest :class:`~engine.inspection.Evaluation` s,
    or None before the first. ``run`` numbers the run the snapshot belongs to (the GUI
    starts a new one at every reset, restart, fork or opened session, and the training
    thread echoes it), so a snapshot of an older run can be told apart and ignored; beyond
    that nothing here says who made it: a snapshot from the training thread, a saved session
    or an older step of the trajectory look alike.
    """

    sizes: tuple
    activation: str
    cost: str
    params: np.ndarray
    initial_params: np.ndarray
    step: int = 0
    epoch: int = 0
    epoch_progress: float = 0.0
    samples_seen: int = 0
    lr: float = 0.0
    lr_decay: float = 1.0
    batch_size: int = 1
    last_cost: float = float("nan")
    dataset: str = ""
    image_shape: tuple = None
    class_names: tuple = ()
    n_train: int = 0
    history: tuple = (np.zeros(0), np.zeros(0, np.float32), np.zeros(0, np.float32))
    history_stride: int = 1
    reports: tuple = ()
    test_set: object = None
    train_set: object = None
    trajectory: tuple = ((), (), ())
    evaluation: object = None
    train_evaluation: object = None
    config: object = None  # the TrainConfig the run was built from
    live_step: int = None  # a look back (see :meth:`at`): the step the run had reached
    run: int = 0  # which run (see above)

    @classmethod
    def capture(cls, trainer, initial_params, **extra):
        """Copy the state of ``trainer`` (call from the thread that trains)."""
        net, train = trainer.network, trainer.train
        return cls(
            sizes=net.sizes, activation=net.activation_name, cost=net.cost_name,
            params=_frozen(net.params), initial_params=initial_params,
            step=trainer.steps, epoch=trainer.epoch, epoch_progress=trainer.epoch_progress,
            samples_seen=trainer.samples_seen, lr=trainer.lr, lr_decay=trainer.config.lr_decay,
            batch_size=trainer.batch_size,
            last_cost=trainer.last_cost, dataset=train.name, image_shape=train.image_shape,
            class_names=train.class_names, n_train=len(train),
            history=tuple(trainer.history.arrays()), history_stride=trainer.history.stride,
            **extra)

    def at(self, step):
        """The run as it was at the last recorded step ≤ ``step``: its weights, step, epoch
        and samples then, and only its past: the cost history up to those samples and the
        epoch reports finished by then (a rewound moment or a time-lapse frame shows nothing
        from later). ``live_step`` says where the run had got to. The evaluations are the
        caller's to fill in (``dataclasses.replace``)."""
        steps, params, samples = self.trajectory
        i = max(0, bisect.bisect_right(steps, step) - 1)
        seen = samples[i]
        epoch, position = divmod(seen, max(self.n_train, 1))
        h_samples, raw, mean = self.history
        n = int(np.searchsorted(h_samples, seen, side="right"))
        reports = tuple(r for r in self.reports if r.samples_seen <= seen)
        return replace(self, params=params[i], step=steps[i], samples_seen=seen, epoch=epoch,
                       epoch_progress=position / max(self.n_train, 1), evaluation=None,
                       train_evaluation=None,
                       last_cost=float(raw[n - 1]) if n else float("nan"),
                       history=(h_samples[:n], raw[:n], mean[:n]), reports=reports,
                       live_step=self.step if self.live_step is None else self.live_step)

    @property
    def weights(self):
        return unflatten(self.sizes, self.params)[0]

    @property
    def biases(self):
        return unflatten(self.sizes, self.params)[1]

    @property
    def finite(self):
        """False once training has blown the weights up to NaN or infinity."""
        return bool(np.isfinite(self.params).all())

    @property
    def has_test_set(self):
        """False when the run has no test set of its own: none known, or the training set
        stands in for it (Trask's and XOR's 4-row tables), so its "test" figures are the
        training set's."""
        return self.test_set is not None and self.test_set is not self.train_set

    def network(self):
        """A new :class:`Network` holding these weights (for work off the training thread)."""
        return Network.from_params(self.sizes, self.params, self.activation, self.cost)

    def evaluate_test(self):
        """A fresh :class:`~engine.inspection.Evaluation` of these weights on the test set
        (slow: for work off the GUI thread)."""
        return evaluate(self.network(), self.test_set, self.epoch,
                        step=self.step if self.epoch_progress else None)
