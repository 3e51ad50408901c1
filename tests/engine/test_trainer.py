import numpy as np
import pytest

from digit_descent.engine import DivergedError, Session, TrainConfig, load, make_trainer, preset
from digit_descent.engine.trainer import CostHistory


@pytest.fixture(scope="module")
def small_mnist():
    split = load("mnist")
    return type(split)(split.name, split.train.subset(2000), split.test.subset(500))


def test_training_learns_mnist_subset(small_mnist):
    session = Session(preset("3b1b").replace(epochs=3), small_mnist)
    tr = session.trainer
    before = tr.evaluate(small_mnist.test)
    reports = [session.run_epoch() for _ in range(3)]
    assert reports[-1].test_accuracy > 0.75 > before[1]
    assert reports[-1].test_cost < before[0]
    assert [r.epoch for r in reports] == [1, 2, 3] and session.reports == reports
    assert tr.samples_seen == 6000 and tr.steps == 600


def test_same_seed_is_deterministic(small_mnist):
    cfg = preset("3b1b").replace(seed=5)
    a, b = make_trainer(cfg, small_mnist), make_trainer(cfg, small_mnist)
    for _ in range(50):
        assert a.step() == b.step()
    assert np.array_equal(a.network.params, b.network.params)


def test_stop_between_mini_batches_and_resume(small_mnist):
    session = Session(preset("3b1b"), small_mnist)
    for _ in range(5):
        assert not session.run_steps(1)
    assert session.trainer.steps == 5 and session.trainer.epoch == 0
    steps = []
    report = session.run_epoch(on_step=lambda t: steps.append(t.steps))
    assert report.epoch == 1 and session.trainer.steps == 200 and steps == list(range(6, 201))


def test_run_steps_stops_at_the_epoch_end(small_mnist):
    tr = make_trainer(preset("3b1b"), small_mnist)  # 200 mini-batches an epoch
    assert tr.run_steps(150) == 150 and tr.epoch == 0
    assert tr.run_steps(150) == 50 and tr.epoch == 1 and tr.steps == 200
    assert tr.run_steps(10) == 10 and tr.steps == 210


@pytest.mark.parametrize("batch_size", [1, 7, 2000, 5000])
def test_any_batch_size(small_mnist, batch_size):
    session = Session(preset("3b1b").replace(batch_size=batch_size), small_mnist)
    tr = session.trainer
    session.run_epoch()
    assert tr.samples_seen == 2000 and tr.steps == -(-2000 // batch_size)


def test_live_lr_and_batch_size(small_mnist):
    tr = make_trainer(preset("3b1b"), small_mnist)
    tr.step()
    tr.lr, tr.batch_size = 0.01, 50
    tr.step()
    assert tr.optimizer.lr == 0.01 and tr.samples_seen == 60


def test_lr_decays_per_epoch(small_mnist):
    session = Session(preset("3b1b").replace(lr=1.0, lr_decay=0.5), small_mnist)
    session.run_epoch()
    session.run_epoch()
    assert [r.lr for r in session.reports] == [0.5, 0.25]


def test_a_typed_learning_rate_is_the_current_one_and_decays_from_there(small_mnist):
    """Typing η = 1000 after some decayed epochs showed η = 321: the schedule rescaled it."""
    session = Session(preset("3b1b").replace(lr=1.0, lr_decay=0.5), small_mnist)
    tr = session.trainer
    session.run_epoch()
    session.run_epoch()
    tr.lr = 8.0
    assert tr.lr == 8.0
    session.run_epoch()
    assert session.reports[-1].lr == 4.0
    tr.reset()
    assert tr.lr == 8.0


@pytest.mark.parametrize("lr, advice", [(321.0, "30"), (1000.0, "100"), (0.0614, "0.006"),
                                        (1e-5, "1e-05")])
def test_divergence_advice_is_a_value_one_can_type(lr, advice):
    from digit_descent.engine.advice import smaller_lr

    assert f"{smaller_lr(lr):g}" == advice


def test_divergence_raises_a_clear_error(small_mnist):
    cfg = preset("3b1b-tweaked").replace(lr=1e4, optimizer="sgd")  # the largest η allowed
    tr = make_trainer(cfg, small_mnist)
    with pytest.raises(DivergedError, match="learning rate 10000"):
        for _ in range(200):
            tr.step()


def test_reset_restores_initial_weights(small_mnist):
    session = Session(preset("3b1b"), small_mnist)
    tr = session.trainer
    start = tr.network.params.copy()
    session.run_epoch()
    session.reset()
    assert np.array_equal(tr.network.params, start) and tr.steps == 0 and not session.reports
    assert len(session.trajectory) == 1 and np.array_equal(session.initial, start)


def test_shuffled_labels_are_memorised_not_generalised():
    split = load("mnist")
    split = type(split)(split.name, split.train, split.test.subset(2000))
    cfg = preset("shuffled").replace(train_subset=300, epochs=40, layers=(784, 128, 10))
    session = Session(cfg, split)
    for _ in range(40):
        r = session.run_epoch()
    assert r.train_accuracy > 0.9
    assert r.test_accuracy < 0.2


@pytest.mark.parametrize("name", ["trask", "xor"])
def test_toy_presets_learn(name):
    cfg = preset(name).replace(epochs=3000)
    tr = make_trainer(cfg)
    for _ in range(cfg.epochs):
        tr.step()
    assert tr.evaluate(tr.train)[1] == 1.0


def test_layers_must_fit_the_data(small_mnist):
    with pytest.raises(ValueError, match="784 inputs"):
        make_trainer(TrainConfig(layers=(100, 10)), small_mnist)


def test_cost_history_stays_bounded_and_keeps_totals():
    h = CostHistory(capacity=64)
    for step in range(1, 10001):
        h.append(step * 10, 1.0 / step)
    samples, raw, mean = h.arrays()
    assert len(samples) <= 64 and h.stride >= 128
    assert np.all(np.diff(samples) > 0)
    assert raw.dtype == np.float32 and mean[0] > mean[-1]
