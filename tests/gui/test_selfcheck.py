"""``main.py bench``'s GUI measurements, run briefly (the figures themselves are not judged)."""

import numpy as np

from digit_descent.gui.selfcheck import gui_measurements


def test_gui_measurements_compare_interleaved_rounds(qapp):
    r = gui_measurements(0.5, panels=("cost",), presenter=False)
    assert r["cost_samples_per_s"] > 0 and r["cost_headless_samples_per_s"] > 0
    assert np.isclose(r["gui_throughput_ratio"],
                      r["cost_samples_per_s"] / r["cost_headless_samples_per_s"])
    assert 0 <= r["event_loop_late_p99_ms"] <= r["event_loop_late_max_ms"]
    assert r["pad_predict_ms"] > 0


def test_the_bench_measures_the_presenter_view(qapp):
    r = gui_measurements(0.5, panels=(), presenter=True)
    assert r["presenter_samples_per_s"] > 0 and r["worst_view"] == "presenter"
    assert 0 <= r["presenter_late_p99_ms"] <= r["presenter_late_max_ms"]
