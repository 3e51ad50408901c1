"""The status line: where the run is, its cost as the bold curve shows it, and its accuracy."""

import numpy as np
from PySide6.QtWidgets import QStatusBar

from digit_descent.engine import preset
from digit_descent.engine.history import Smoother
from digit_descent.engine.session import Session
from digit_descent.gui.model import AppModel
from digit_descent.gui.status import StatusLine
from digit_descent.gui.worker import WorkerStatus


class Controller:
    def __init__(self, snapshot):
        self.snapshot, self.status = snapshot, WorkerStatus()


def status_of(qtbot, config, steps):
    session = Session(config)
    while session.trainer.steps < steps:
        session.run_steps(steps - session.trainer.steps)
    session.collect(wait=True)
    snapshot = session.snapshot()
    bar = QStatusBar()
    qtbot.addWidget(bar)
    line = StatusLine(bar, AppModel(config), Controller(snapshot))
    line.refresh()
    return line.text(), snapshot


def test_the_cost_is_the_moving_average_and_says_so(qtbot):
    text, snapshot = status_of(qtbot, preset("3b1b").replace(train_subset=600), 500)
    average = Smoother()(snapshot)[-1]
    assert f"average cost {average:.4f}" in text
    assert np.isfinite(average) and f"{snapshot.last_cost:.4f}" != f"{average:.4f}"


def test_a_table_without_a_test_set_reports_its_training_accuracy(qtbot):
    text, snapshot = status_of(qtbot, preset("trask").replace(epochs=20), 20)
    assert snapshot.reports and "training accuracy" in text and "test accuracy" not in text
