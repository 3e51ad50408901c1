import csv
import io
from dataclasses import replace

import numpy as np
import pytest

from digit_descent.engine.history import (RUN_FRACTION, Ghost, Smoother, bin_mean, bucket_alphas,
                                          ema, envelope, history_csv, smoothed,
                                          smoothing_alpha, thin)
from digit_descent.engine.snapshot import Snapshot
from digit_descent.engine.trainer import CostHistory, EpochReport


def snapshot(steps=500, epochs=2, capacity=128, params=None):
    history = CostHistory(capacity=capacity)
    for i in range(1, steps + 1):
        history.append(10 * i, 1.0 / np.sqrt(i))
    reports = tuple(EpochReport(e, 2000 * e, 0.5 / e, 0.6 / e, 0.8, 0.75 + 0.05 * e, 1.0, 1.0)
                    for e in range(1, epochs + 1))
    params = np.zeros(7850, np.float32) if params is None else params
    return Snapshot(sizes=(784, 10), activation="sigmoid", cost="mse", params=params,
                    initial_params=params, step=steps, samples_seen=10 * steps, batch_size=10,
                    n_train=2000, history=tuple(history.arrays()), history_stride=history.stride,
                    reports=reports)


def test_ema_is_debiased():
    # a weighted mean of the values so far: 1, then (0.5·1 + 1·0)/1.5, then (0.25 + 0 + 0)/1.75
    np.testing.assert_allclose(ema(np.array([1.0, 0.0, 0.0]), 0.5)[0], [1.0, 1 / 3, 1 / 7])
    # one high first cost does not hold the average up: 3.0 then twenty costs of 1.0
    smooth, _ = ema(np.array([3.0] + [1.0] * 20), 0.99)
    assert smooth[0] == 3.0 and smooth[-1] < 1.1
    # continuing from a state gives the same as one pass
    a, state = ema(np.arange(5.0), 0.9)
    b, _ = ema(np.arange(5.0, 9.0), 0.9, state)
    np.testing.assert_allclose(np.concatenate([a, b]), ema(np.arange(9.0), 0.9)[0])


def test_ema_without_smoothing_is_the_costs_themselves():
    x = np.array([3.0, 1.0, 2.0])
    np.testing.assert_array_equal(ema(x, 0.0)[0], x)
    assert len(ema(np.zeros(0), 0.9)[0]) == 0


@pytest.mark.parametrize("steps, span",
                         [(40, 1), (100, 2), (1000, 16), (10_000, 128), (10**7, 1000)])
def test_the_span_is_capped_at_a_power_of_two_near_two_percent_of_the_run(steps, span):
    # 2% of 100 steps is 2: a span of 2; of 1,000: 20 → 16; of 10,000: 200 → 128
    assert RUN_FRACTION == 0.02
    assert smoothing_alpha(1000, steps) == pytest.approx(1 - 1 / span)
    assert smoothing_alpha(1000) == pytest.approx(1 - 1 / 1000)  # no run length: no cap
    assert smoothing_alpha(0.5, steps) == 0.0  # a span under one mini-batch: no smoothing


def test_smoother_extends_incrementally_and_matches_one_pass():
    smoother = Smoother(span=100)
    first, second = snapshot(steps=60), snapshot(steps=100)
    smoother(first)
    np.testing.assert_array_equal(smoother(second), smoothed(second.history[2], 100, 1)[0])
    other_run = snapshot(steps=100, params=np.ones(7850, np.float32))  # reset: a new history
    other_run.history[2][:] += 1.0
    np.testing.assert_array_equal(smoother(other_run), smoothed(other_run.history[2], 100, 1)[0])


def test_smoothing_is_per_mini_batch_whatever_the_stride():
    s = snapshot(steps=1000, capacity=64)  # buckets of 16 mini-batches
    assert s.history_stride == 16
    alphas = bucket_alphas(100, 16, 0, len(s.history[2]))
    assert alphas[-1] == pytest.approx(smoothing_alpha(100, 1000) ** 16)
    assert alphas[0] == pytest.approx(smoothing_alpha(100, 16) ** 16)


def test_the_average_up_to_a_step_never_changes_as_the_run_goes_on():
    """The span grew with the run and re-smoothed the whole curve: a rewound moment (or the
    part of a ghost before its fork) was smoothed differently from the same moment live."""
    short, long = snapshot(steps=300, capacity=4096), snapshot(steps=3000, capacity=4096)
    n = len(short.history[2])
    np.testing.assert_array_equal(Smoother(100)(long)[:n], Smoother(100)(short))
    ghost = Ghost.of("before", long, span=100, limit=10_000)
    np.testing.assert_array_equal(ghost.cost[:n], Smoother(100)(short))


def test_a_look_back_holds_only_the_past():
    params = np.zeros(7850, np.float32)
    live = replace(snapshot(steps=500, epochs=2, capacity=4096), trajectory=((0, 100, 300, 500),
                   (params,) * 4, (0, 1000, 3000, 5000)))
    view = live.at(300)  # 3,000 samples: in the second epoch
    assert view.history[0][-1] == 3000 and len(view.history[2]) == 300
    assert [r.epoch for r in view.reports] == [1]  # the second epoch had not ended
    assert view.last_cost == pytest.approx(1 / np.sqrt(300))
    smoother = Smoother(100)
    np.testing.assert_array_equal(smoother(live)[:300], smoother(view))
    np.testing.assert_array_equal(smoother(view), Smoother(100)(view))
    assert live.at(0).reports == () and len(live.at(0).history[0]) == 0


def test_envelope_keeps_extremes_in_bounded_columns():
    x = np.arange(10_000, dtype=float)
    y = np.sin(x)
    y[1234] = 5.0
    bx, low, high = envelope(x, y, 500)
    assert len(bx) == 500 and high.max() == 5.0 and low.min() == y.min()
    assert np.all(low <= high)
    mx, mean = bin_mean(x, np.ones_like(x), 500)
    assert len(mx) == 500 and np.allclose(mean, 1.0)


def test_thin_keeps_the_last_point():
    assert list(thin(5, 10)) == [0, 1, 2, 3, 4]
    kept = thin(10_001, 500)
    assert len(kept) <= 500 and kept[0] == 0 and kept[-1] == 10_000
    assert np.all(np.diff(kept) > 0)


def test_ghost_is_the_smoothed_thinned_run():
    s = snapshot(steps=2000, capacity=4096)
    ghost = Ghost.of("before", s, span=100, limit=300)
    assert ghost.label == "before" and len(ghost.samples) <= 300 and ghost.samples[-1] == 20_000
    full, _ = smoothed(s.history[2], 100, 1)
    assert ghost.cost[-1] == pytest.approx(full[-1])
    np.testing.assert_allclose(ghost.accuracy, [80, 85])
    np.testing.assert_allclose(ghost.report_samples, [2000, 4000])


def test_csv_has_every_point_and_epoch_and_reads_back():
    s = snapshot(steps=50)
    smooth = Smoother(span=10)(s)
    rows = list(csv.reader(io.StringIO(history_csv(s, smooth))))
    assert len(rows) == 1 + 50 + 2 and rows[-1][:3] == ["epoch", "4000", "2"]
    minibatch = [r for r in rows if r[0] == "minibatch"]
    np.testing.assert_allclose([float(r[3]) for r in minibatch], s.history[1], rtol=1e-5)
    np.testing.assert_allclose([float(r[4]) for r in minibatch], smooth, rtol=1e-5)
    assert history_csv(None, ()).count("\n") == 1  # the header alone
