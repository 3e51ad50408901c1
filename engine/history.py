"""The cost history as the cost panel shows it: its moving average, a run kept to compare
(a ghost), thinning for drawing, and the CSV export. Pure NumPy; no drawing here."""

import csv
import io
from dataclasses import dataclass

import numpy as np

RUN_FRACTION = 0.02  # the moving average spans at most about this much of the run so far


def ema(values, alpha, state=(0.0, 0.0)):
    """Debiased exponential moving average, as TensorBoard smooths: ``m_t = α_t m_{t−1} +
    (1 − α_t) x_t`` from ``m_0 = 0``, shown as ``m_t / w_t`` with ``w_t = α_t w_{t−1} +
    (1 − α_t)``, ``w_0 = 0`` (for a constant α, ``w_t = 1 − α^t``).

    The division undoes the pull towards the zero start, so the average is a true weighted
    mean of the costs so far from the first step on (starting at the first cost instead would
    weigh that one cost by ``α^t``: at α = 0.99 it still makes up 60% of the average after
    50 steps). ``values``: shape ``(n,)``; ``alpha``: one weight, or one per value (shape
    ``(n,)``); ``state = (m, w)`` continues an earlier average. Each average depends only on
    the values up to it. Returns ``(average (n,) float64, state)``.
    """
    n = len(values)
    out = np.empty(n, np.float64)
    alphas = np.broadcast_to(np.asarray(alpha, np.float64), (n,)).tolist()
    m, w = state
    for i, (x, a) in enumerate(zip(np.asarray(values, np.float64).tolist(), alphas)):
        m = a * m + (1.0 - a) * x
        w = a * w + (1.0 - a)
        out[i] = m / w if w > 0.0 else x
    return out, (m, w)


def smoothing_alpha(span, steps=None):
    """EMA weight per mini-batch for an average over ``span`` mini-batches (≥ 1); ``steps``:
    one number or an array of them (then an array of weights, same shape).

    The span is capped at about RUN_FRACTION of the ``steps`` trained so far, rounded down to
    a power of two so it changes rarely: a short run, or the first steps of a long one, is
    averaged over a short span and the average does not trail far behind its costs.
    """
    span = max(1.0, float(span))
    if steps is not None:
        cap = 2.0 ** np.floor(np.log2(np.maximum(1.0, RUN_FRACTION * np.asarray(steps, np.float64))))
        span = np.minimum(span, cap)
    return 1.0 - 1.0 / span


def bucket_alphas(span, stride, start, n):
    """The EMA weights of the recorded buckets ``start … start + n − 1`` of a history whose
    buckets hold ``stride`` mini-batches each: bucket ``i`` ends at mini-batch
    ``(i + 1) · stride`` and is weighed as the average over ``span`` mini-batches (capped by
    :func:`smoothing_alpha`) was at that step. Shape ``(n,)``. Because each weight depends
    only on where its bucket sits, the average up to a step is the same whenever it is
    computed: live, looking back, or in a ghost of the run."""
    steps = (np.arange(start, start + n, dtype=np.float64) + 1.0) * stride
    return np.asarray(smoothing_alpha(span, steps), np.float64) ** stride


def smoothed(mean, span, stride):
    """The moving average over ``span`` mini-batches of the bucket means ``mean`` (shape
    ``(n,)``, buckets of ``stride`` mini-batches). Returns ``(average (n,), ema state)``."""
    return ema(mean, bucket_alphas(span, stride, 0, len(mean)))


class Smoother:
    """The moving average of a snapshot's mini-batch cost over ``span`` mini-batches (capped
    by :func:`smoothing_alpha` as the run was at each bucket, see :func:`bucket_alphas`),
    extended incrementally while the same run grows."""

    def __init__(self, span=100.0):
        self.span = span
        self._cache = None  # (run, stride, span, count, smoothed, ema state)

    def __call__(self, snapshot):
        """The average, shape ``(len(history),)``, float64."""
        _, _, mean = snapshot.history
        stride = snapshot.history_stride
        cached = self._cache
        # initial_params is a new object after a reset; a fork is a new run number
        run = (snapshot.run, snapshot.initial_params)
        same = (cached is not None and cached[0][0] == run[0] and cached[0][1] is run[1]
                and cached[1:3] == (stride, self.span))
        if same and 0 < cached[3] <= len(mean):
            tail, state = ema(mean[cached[3]:],
                              bucket_alphas(self.span, stride, cached[3], len(mean) - cached[3]),
                              cached[5])
            smooth = np.concatenate([cached[4], tail])
        elif same and len(mean) < cached[3]:
            return cached[4][:len(mean)]  # the same run looked back into: its own past
        else:
            smooth, state = smoothed(mean, self.span, stride)
        self._cache = (run, stride, self.span, len(mean), smooth, state)
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
        smooth, _ = smoothed(mean, span, snapshot.history_stride)
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
