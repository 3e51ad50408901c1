"""A training run, once for the command line and the app: data, network, trainer, the
record of the weights along the way, and the evaluation at each epoch end.

The command line trains epoch by epoch (:meth:`Session.run_epoch`, evaluations on the
calling thread). The app's worker trains in short runs of mini-batches
(:meth:`Session.run_steps`) and has each epoch end evaluated on a second thread, on a copy
of the weights, while training goes on (``background=True``); the reports still come in
epoch order. Either way a :class:`~engine.snapshot.Snapshot` of the run is one call away.
"""

import bisect
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import inspection
from .snapshot import Snapshot
from .trainer import CostHistory, EpochEnd, Trainer, build_network, prepare_data
from .trajectory import Trajectory

LONG_EPOCH_STEPS = 100  # every epoch of at least this many mini-batches is evaluated;
MIN_EVALUATION_S = 0.05  # a shorter one only this long after the last evaluated one
MAX_REPORTS = 20_000  # beyond this, every other report of the older half is dropped


def evaluate_epoch(network, train, test, epoch, train_limit=None, keep_train=True, step=None):
    """The figures of an epoch end, from ``network`` (a copy when training goes on meanwhile).

    Returns ``(test Evaluation, training-set Evaluation or None, (train cost, accuracy),
    (test cost, accuracy))``; no Evaluations and NaN figures when the weights are not finite.
    ``train_limit``: evaluate on the first N training samples only; ``step``: the network's
    step when it is part-way through an epoch.
    """
    nan = (float("nan"), float("nan"))
    if not np.isfinite(network.params).all():
        return None, None, nan, nan
    test_evaluation = inspection.evaluate(network, test, epoch, step=step)
    train_evaluation = inspection.evaluate(network, train, epoch, train_limit, step)
    return (test_evaluation, train_evaluation if keep_train else None,
            (train_evaluation.cost, train_evaluation.accuracy),
            (test_evaluation.cost, test_evaluation.accuracy))


class Session:
    """One run of ``config`` on ``split`` (default: the config's data set).

    ``network``: start from these weights instead of random ones. ``train_eval_limit``:
    the training set is evaluated on its first N samples only. ``background``: evaluate
    epoch ends on a thread of their own (then call :meth:`collect` to record them).

    Raises ValueError or a DigitDescentError when the data or the layers do not fit.
    """

    def __init__(self, config, split=None, network=None, train_eval_limit=None,
                 background=False):
        split = prepare_data(config, split)
        self.config = config
        self.trainer = Trainer(build_network(config, split), split, config)
        if network is not None:
            self.trainer.network.params[...] = network.params
        self.train_eval_limit = train_eval_limit
        self.reports = []
        self.evaluation = self.train_evaluation = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="evaluation") \
            if background else None
        self._start_run()

    def _start_run(self):
        net = self.trainer.network
        self.initial = np.array(net.params, copy=True)
        self.initial.flags.writeable = False
        self.trajectory = Trajectory(net.n_params)
        self.trajectory.record(0, net.params, 0, force=True)
        self.reports = []
        self._reports_tuple = ()  # the reports as the last snapshot got them
        self.last_epoch_params = None  # the weights at the last epoch end evaluated
        self._pending = None  # (future, EpochEnd) of an epoch end being evaluated
        self._epoch_seconds = 0.0
        self._evaluated_at = 0.0

    @property
    def network(self):
        return self.trainer.network

    def reset(self, seed=None):
        """New random weights from ``seed``; the run starts again (an evaluation under way
        belongs to the weights thrown away and is dropped)."""
        self.trainer.reset(seed)
        self.evaluation = self.train_evaluation = None
        self._start_run()

    def fork(self, step):
        """Go back to the last recorded step ≤ ``step`` and train on from there (a new branch):
        the weights, counters, cost history, reports and trajectory as they were then.
        Returns the step gone back to."""
        self.collect(wait=True)
        steps, params, samples = self.trajectory.frozen
        i = max(0, bisect.bisect_right(steps, step) - 1)
        trainer = self.trainer
        trainer.network.params[...] = params[i]
        seen = samples[i]
        self.reports = [r for r in self.reports if r.samples_seen <= seen]
        trainer.history = trainer.history.cut(seen)
        trainer.place(steps[i], seen, self.reports[-1].lr if self.reports else self.config.lr)
        self.trajectory.truncate(steps[i])
        self.evaluation = self.train_evaluation = None
        self.last_epoch_params = None
        return steps[i]

    @classmethod
    def from_record(cls, record, split=None, background=False, train_eval_limit=None):
        """The run of a :class:`~engine.session_io.SessionRecord`, ready to train on from its
        end (its weights, counters, history, reports and trajectory)."""
        session = cls(record.config, split, train_eval_limit=train_eval_limit,
                      background=background)
        trainer = session.trainer
        trainer.network.params[...] = record.params
        session.initial = np.array(record.initial, copy=True)
        session.initial.flags.writeable = False
        trainer.history = CostHistory.restored(*record.history, record.history_stride)
        session.reports = list(record.reports)
        lr = record.reports[-1].lr if record.reports else record.config.lr
        trainer.place(record.step, record.samples_seen, lr)
        session.trajectory.restore(record.steps, record.trajectory, record.trajectory_samples)
        session.trajectory.record(record.step, record.params, record.samples_seen, force=True)
        return session

    def close(self):
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------ training
    def run_steps(self, count=1, before_step=None):
        """Up to ``count`` mini-batches, stopping at an epoch end; returns True if one ended.

        The count is cut at the trajectory's next log-spaced step so that step is recorded.
        ``before_step()`` is called before each mini-batch. Raises DivergedError.
        """
        trainer = self.trainer
        epoch = trainer.epoch
        count = max(1, min(count, self.trajectory.next_step - trainer.steps))
        start = time.perf_counter()
        trainer.run_steps(count, before_step)
        self._epoch_seconds += time.perf_counter() - start
        self.trajectory.record(trainer.steps, trainer.network.params, trainer.samples_seen)
        if trainer.epoch == epoch:
            return False
        # A tiny data set (Trask's 4 rows) ends an epoch at every step: the ends of such short
        # epochs are evaluated only every MIN_EVALUATION_S, or training would do little else.
        long_epoch = -(-len(trainer.train) // trainer.batch_size) >= LONG_EPOCH_STEPS
        if (long_epoch or trainer.epoch >= self.config.epochs
                or time.perf_counter() - self._evaluated_at >= MIN_EVALUATION_S):
            self._start_evaluation()
            self.trajectory.record(trainer.steps, trainer.network.params, trainer.samples_seen,
                                   force=True)
        return True

    def run_epoch(self, on_step=None):
        """Train to the end of the current epoch and return its report (the command line's
        way: evaluated at once, here)."""
        epoch = self.trainer.epoch
        while self.trainer.epoch == epoch:
            self.run_steps(1 if on_step else 64)
            if on_step is not None:
                on_step(self.trainer)
        if self._pending is None:
            self._start_evaluation()  # the command line reports every epoch, however short
        self.collect(wait=True)
        return self.reports[-1]

    def set_epochs(self, epochs):
        """Change the epoch target of the run."""
        self.config = self.config.replace(epochs=epochs)

    # ---------------------------------------------------------- evaluation
    def _start_evaluation(self):
        """Evaluate the epoch just ended: here, or on the evaluation thread after the one
        before (reports are recorded in order)."""
        self.collect(wait=True)
        trainer = self.trainer
        end = EpochEnd(trainer.epoch, trainer.samples_seen, self._epoch_seconds, trainer.lr)
        self._epoch_seconds = 0.0
        self._evaluated_at = time.perf_counter()
        params = trainer.network.params.copy()
        args = (trainer.network.copy(), trainer.train, trainer.test, end.epoch,
                self.train_eval_limit, self.train_evaluation is not None or not self._executor)
        if self._executor is None:
            self._pending = (_Done(evaluate_epoch(*args)), end, params)
        else:
            self._pending = (self._executor.submit(evaluate_epoch, *args), end, params)

    @property
    def evaluating(self):
        """The future of the epoch end being evaluated, or None."""
        return self._pending[0] if self._pending else None

    def collect(self, wait=False):
        """Record a finished epoch-end evaluation (waiting for it if asked); True if one was."""
        if self._pending is None or not (wait or self._pending[0].done()):
            return False
        future, end, params = self._pending
        self._pending = None
        test_evaluation, train_evaluation, train, test = future.result()
        self.evaluation = test_evaluation
        if train_evaluation is not None or test_evaluation is None:
            self.train_evaluation = train_evaluation
        self.last_epoch_params = params
        self.reports.append(end.report(train, test))
        if len(self.reports) > MAX_REPORTS:  # bounded memory however long the run
            half = len(self.reports) // 2
            self.reports = self.reports[:half:2] + self.reports[half:]
        return True

    def evaluate_now(self):
        """Fresh Evaluations of the current weights on the test set and the training set."""
        self.collect(wait=True)  # an epoch end's, older, must not come after
        trainer = self.trainer
        self.evaluation, self.train_evaluation, _, _ = evaluate_epoch(
            trainer.network, trainer.train, trainer.test, trainer.epoch, self.train_eval_limit,
            step=trainer.steps if trainer.epoch_progress else None)

    # ----------------------------------------------------------- pictures
    def _frozen_reports(self):
        """The reports as a tuple, made anew only when they have changed: snapshots come 30
        times a second and a long run has thousands of reports."""
        frozen, reports = self._reports_tuple, self.reports
        if len(frozen) != len(reports) or (reports and frozen[-1] is not reports[-1]):
            frozen = self._reports_tuple = tuple(reports)
        return frozen

    def snapshot(self, **extra):
        """A :class:`Snapshot` of the run now (call from the thread that trains)."""
        return Snapshot.capture(self.trainer, self.initial, reports=self._frozen_reports(),
                                trajectory=self.trajectory.frozen, evaluation=self.evaluation,
                                train_evaluation=self.train_evaluation, config=self.config,
                                test_set=self.trainer.test, train_set=self.trainer.train,
                                **extra)


class _Done:
    """A finished result with a future's interface (the evaluation done on this thread)."""

    def __init__(self, result):
        self._result = result

    def done(self):
        return True

    def result(self):
        return self._result
