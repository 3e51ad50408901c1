"""The cost history as the cost panel shows it: its moving average, a run kept to compare
(a ghost), thinning for drawing, and the CSV export. Pure NumPy; no drawing here."""

import csv
import io
from dataclasses import dataclass

import numpy as np

RUN_FRACTION = 0.02  # the moving average spans at most about this much of the run so far


def ema(values, alpha, state=(0.0, 1.0)):
    """Debiased exponential moving average, as TensorBoard smooths: ``m_t = α m_{t−1} + (1 − α) x_t``
    from ``m_0 = 0``, shown as ``m_t / (1 − α^t)``.

    The division undoes the pull towards the zero start, so the average is a true weighted
    mean of the costs so far from the first step on (starting at the first cost instead would
    weigh that one cost by ``α^t``: at α = 0.99 it still makes up 60% of the average after
    50 steps). ``values``: shape ``(n,)``; ``state = (m, α^t)`` continues an earlier average.
    Returns ``(average (n,) float64, state)``.
    """
    out = np.empty(len(values), np.float64)
    m, decay = state
    keep = 1.0 - alpha
    for i, x in enumerate(np.asarray(values, np.float64).tolist()):
        m = alpha * m + keep * x
        decay *= alpha
        out[i] = m / (1.0 - decay) if decay < 1.0 else x
    return out, (m, decay)


def smoothing_alpha(span, steps=None):
    """EMA weight per mini-batch for an average over ``span`` mini-batches (≥ 1).

    The span is capped at about RUN_FRACTION of the ``steps`` trained so far, rounded down to
    a power of two so it changes rarely: a short run, or the first steps of a long one, is
    averaged over a short span and the average does not trail far behind its costs.
    """
    span = max(1.0, float(span))
    if steps is not None:
        span = min(span, 2.0 ** np.floor(np.log2(max(1.0, RUN_FRACTION * steps))))
    return 1.0 - 1.0 / span


class Smoother:
    """The moving average of a snapshot's mini-batch cost over ``span`` mini-batches (capped
    by :func:`smoothing_alpha`), extended incrementally while the same run grows."""

    def __init__(self, span=100.0):
        self.span = span
        self._cache = None  # (run, stride, alpha, count, smoothed, ema state)

    def alpha(self, snapshot):
        """The EMA weight per recorded bucket of ``snapshot``'s history (each bucket holds
        ``history_stride`` mini-batches: the same smoothing per mini-batch at any stride)."""
        return smoothing_alpha(self.span, snapshot.step) ** snapshot.history_stride

    def __call__(self, snapshot):
        """The average, shape ``(len(history),)``, float64."""
        _, _, mean = snapshot.history
        stride, alpha = snapshot.history_stride, self.alpha(snapshot)
        cached = self._cache
        run = snapshot.initial_params  # a new object after a reset: a new history
        if (cached and cached[0] is run and cached[1:3] == (stride, alpha)
                and 0 < cached[3] <= len(mean)):
            tail, state = ema(mean[cached[3]:], alpha, cached[5])
            smooth = np.concatenate([cached[4], tail])
        else:
            smooth, state = ema(mean, alpha)
        self._cache = (run, stride, alpha, len(mean), smooth, state)
        return smooth


def thin(n, limit):
    """At most ``limit`` evenly spread indices of ``n`` items, the last always among them."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.append(np.linspace(0, n - 1, limit - 1).astype(np.int64), n - 1))


def _bins(n, n_bins):
    """Start indices of ``min(n, n_bins)`` contiguous, nearly equal chunks of ``n`` items."""
    return np.linspace(0, n, min(n, n_bins) + 1).astype(np.int64)[:-1]


def envelope(x, y, n_bins):
    """``(x, low, high)``: the first x, min y and max y of each of ≤ ``n_bins`` chunks of the
    ``(n,)`` arrays ``x`` and ``y`` (the extremes of a noisy curve survive the thinning)."""
    if len(x) <= n_bins:
        return x, y, y
    starts = _bins(len(x), n_bins)
    return x[starts], np.minimum.reduceat(y, starts), np.maximum.reduceat(y, starts)


def bin_mean(x, y, n_bins):
    """``(x, mean y)`` of each of ≤ ``n_bins`` chunks of the ``(n,)`` arrays ``x`` and ``y``."""
    if len(x) <= n_bins:
        return x, y
    starts = _bins(len(x), n_bins)
    counts = np.diff(np.append(starts, len(x)))
    return x[starts], np.add.reduceat(y, starts) / counts


@dataclass(frozen=True, eq=False)
class Ghost:
    """An earlier run kept to compare: its smoothed cost at ``samples`` (samples seen, both
    ``(m,)``) and its test accuracy (%) at ``report_samples`` (both ``(epochs,)``)."""

    label: str
    samples: np.ndarray
    cost: np.ndarray
    n_train: int
    report_samples: np.ndarray
    accuracy: np.ndarray

    @classmethod
    def of(cls, label, snapshot, span, limit=500):
        """``snapshot``'s run smoothed over ``span`` mini-batches, thinned to ≤ ``limit``
        points."""
        samples, _, mean = snapshot.history
        smooth, _ = ema(mean, smoothing_alpha(span, snapshot.step) ** snapshot.history_stride)
        keep = thin(len(samples), limit)
        reports = snapshot.reports
        return cls(label, np.asarray(samples)[keep], smooth[keep], snapshot.n_train,
                   np.array([r.samples_seen for r in reports], np.float64),
                   np.array([100 * r.test_accuracy for r in reports], np.float64))


def history_csv(snapshot, smoothed):
    """The cost history as CSV text: one row per recorded mini-batch (with ``smoothed``, its
    moving average, shape ``(len(history),)``), then one per epoch. Empty rows for None."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["kind", "samples_seen", "epoch", "minibatch_cost", "smoothed_cost",
                     "train_cost", "test_cost", "train_accuracy", "test_accuracy"])
    if snapshot is not None:
        samples, raw, _ = snapshot.history
        n = max(snapshot.n_train, 1)
        for s, c, m in zip(samples, raw, smoothed):
            writer.writerow(["minibatch", int(s), f"{s / n:.4f}", f"{c:.6g}", f"{m:.6g}",
                             "", "", "", ""])
        for r in snapshot.reports:
            writer.writerow(["epoch", r.samples_seen, r.epoch, "", "", f"{r.train_cost:.6g}",
                             f"{r.test_cost:.6g}", f"{r.train_accuracy:.6g}",
                             f"{r.test_accuracy:.6g}"])
    return buf.getvalue()
