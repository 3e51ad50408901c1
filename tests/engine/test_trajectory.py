import numpy as np

from digit_descent.engine.snapshot import Snapshot
from digit_descent.engine.trainer import make_trainer
from digit_descent.engine.config import preset
from digit_descent.engine.trajectory import Trajectory


def test_log_spaced_and_forced_points():
    t = Trajectory(n_params=3)
    kept = [s for s in range(0, 100) if t.record(s, np.full(3, s, np.float32))]
    assert kept == [0, 1, 2, 4, 8, 16, 32, 64]
    assert t.record(70, np.zeros(3), force=True) and t.steps[-1] == 70


def test_memory_stays_bounded_over_a_long_run():
    t = Trajectory(n_params=13002, max_bytes=1 << 20)  # room for 20 vectors
    for step in range(0, 200_000, 100):
        t.record(step, np.zeros(13002, np.float32), force=True)
    assert len(t) <= t.capacity == 20
    assert t.steps[0] == 0 and t.steps[-1] == 199_900
    assert t.matrix().shape == (len(t), 13002)


def test_snapshot_is_an_immutable_copy():
    split_cfg = preset("xor")
    tr = make_trainer(split_cfg)
    snap = Snapshot.capture(tr, tr.network.params.copy())
    before = snap.params.copy()
    tr.step()
    assert np.array_equal(snap.params, before)
    assert not snap.params.flags.writeable
    assert snap.weights[0].shape == (4, 2)
    assert np.array_equal(snap.network().params, before)
