import math

import numpy as np
import pytest

from digit_descent.engine import DivergedError, Session, TrainConfig, preset
from digit_descent.engine.advice import (WORKING_LR, WORKING_LR_NORMAL, beyond_chance,
                                         binomial_tail, lr_advice, suggested_lr, working_lr)
from digit_descent.engine.data import DataSplit


@pytest.fixture(scope="module")
def tiny(mnist_module):
    return DataSplit("tiny", mnist_module.train.subset(2000), mnist_module.test.subset(300))


@pytest.fixture(scope="module")
def mnist_module():
    from digit_descent.engine import load

    return load("mnist")


def _learns(config, split, epochs=1):
    session = Session(config.replace(epochs=epochs), split)
    for _ in range(epochs):
        report = session.run_epoch()
    return beyond_chance(split.test.labels, report.test_accuracy)[0], report.test_accuracy


@pytest.mark.parametrize("init", ["scaled", "normal"])
@pytest.mark.parametrize("setup", sorted(WORKING_LR))
def test_every_tabulated_learning_rate_learns(tiny, setup, init):
    activation, cost, optimizer = setup
    config = TrainConfig(layers=(784, 16, 10) if init == "scaled" else (784, 20, 10),
                         activation=activation, cost=cost, optimizer=optimizer, init=init)
    table = WORKING_LR if init == "scaled" else WORKING_LR_NORMAL
    lr, why = working_lr(config)
    if table[setup] is None:  # no η learns: the advice is to change the initialisation
        assert why.startswith("with --init scaled") and lr == WORKING_LR[setup]
        assert suggested_lr(config, lr, diverged=True) == (lr, why)
        config = config.replace(init="scaled")
    else:
        assert lr == table[setup] and why.startswith(f"known to learn with {' + '.join(setup)}")
    learned, accuracy = _learns(config.replace(lr=lr), tiny)
    assert learned, f"{setup}, {init} at η {lr}: {accuracy:.0%}"


@pytest.mark.parametrize("name", ["3b1b", "nielsen", "3b1b-tweaked", "templates", "hidden10"])
def test_a_presets_setup_gets_the_presets_own_rate(tiny, name):
    config = preset(name).replace(lr=1000.0, epochs=1)
    lr, why = suggested_lr(config, 1000.0, diverged=True)
    assert (lr, why) == (preset(name).lr, f"the {name} preset's")
    assert _learns(config.replace(lr=lr), tiny)[0]


def test_the_advice_after_a_divergence_learns(tiny):
    """1000 → "try 100" → "learned nothing, try 10" → 18% was the old chain."""
    config = preset("3b1b").replace(lr=1000.0)
    with pytest.raises(DivergedError) as error:
        _learns(config, tiny, epochs=2)
    assert str(error.value).endswith("Try learning rate 1 (the 3b1b preset's)")
    assert _learns(config.replace(lr=1.0), tiny)[0]


def test_a_run_that_learned_nothing_gets_a_rate_that_learns(tiny):
    config = TrainConfig(layers=(784, 16, 10), activation="tanh", lr=100.0)
    learned, _ = _learns(config, tiny)
    assert not learned
    assert lr_advice(config, 100.0, diverged=False, flag=True) == \
        "try --lr 0.3 (known to learn with tanh + mse + sgd)"
    assert _learns(config.replace(lr=0.3), tiny)[0]


def test_advice_when_the_rate_is_already_the_usual_one():
    config = preset("3b1b")
    assert suggested_lr(config, 1.0, diverged=False)[0] is None
    assert "is the usual one for this setup" in lr_advice(config, 1.0, diverged=False)
    # diverged below the usual η: ten times smaller, not the usual η again
    assert suggested_lr(config, 0.5, diverged=True) == (0.05, "ten times smaller")


@pytest.mark.parametrize("k, n, p", [(0, 5, 0.3), (3, 5, 0.3), (5, 5, 0.3), (14, 100, 0.1),
                                     (40, 60, 0.5)])
def test_binomial_tail_is_exact(k, n, p):
    exact = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
    assert binomial_tail(k, n, p) == pytest.approx(exact, rel=1e-9)


def test_learning_is_judged_against_chance_on_small_test_sets():
    small, large = np.arange(100) % 10, np.arange(10000) % 10
    assert beyond_chance(small, 0.14) == (False, 0.1)  # 14 of 100: guessing does it 12% of the time
    assert beyond_chance(large, 0.14) == (True, 0.1)
    assert beyond_chance(small, 0.30) == (True, 0.1)
    assert not beyond_chance(large, 0.115)[0]  # not above 1.2 × chance, however sure
    lopsided = np.array([1] * 60 + list(range(10)) * 4)
    assert beyond_chance(lopsided, 0.62) == (False, 0.64)  # always answering 1 scores 64%
