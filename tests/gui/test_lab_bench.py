"""``main.py bench``'s 2-D lab figures, measured briefly (the figures are not judged here)."""

from digit_descent.gui.lab.bench import WORKLOAD, lab_measurements


def test_the_lab_bench_measures_playgrounds_frame_live_and_headless(qapp):
    assert WORKLOAD.hidden == (4, 2) and WORKLOAD.batch_size == 10
    assert round(WORKLOAD.n_points * WORKLOAD.train_fraction) == 250
    r = lab_measurements(0.5)
    assert r["lab_frames_per_s"] > 0 and r["lab_headless_frames_per_s"] > 0
    assert 0 <= r["lab_late_p99_ms"] <= r["lab_late_max_ms"]
