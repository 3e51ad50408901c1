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


def test_the_banner_offers_reset_only_when_it_helps_and_keeps_addresses_whole(qtbot):
    """The CIFAR-10 banner offered Reset (which cannot fetch a data set) and broke its
    address across two lines."""
    from digit_descent.engine.data import CIFAR_MISSING
    from digit_descent.gui.status import Banner

    banner = Banner(lambda: None)
    qtbot.addWidget(banner)
    banner.show_message(f"The CIFAR-10 lesson needs CIFAR-10. {CIFAR_MISSING}; then open the "
                        "lesson again.")
    assert banner.reset_button.isHidden()
    url = "https://www.cs.toronto.edu/~kriz/cifar.html"
    assert f'<a href="{url}" style="white-space:nowrap">{url}</a>,' in banner.text.text()
    assert banner.text.openExternalLinks()
    banner.show_message("the cost diverged to NaN at step 12, then press Reset.")
    assert not banner.reset_button.isHidden()
    assert "at step 12, then press Reset." in banner.text.text()


def test_the_banner_is_as_tall_as_its_lines(qtbot):
    """In the window's tool bar area, two lines of a divergence message stood in a band of
    eight (the tool bar asked the wrapping label for its height at a narrow width)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMainWindow

    from digit_descent.gui.status import Banner

    window = QMainWindow()
    qtbot.addWidget(window)
    banner = Banner(lambda: None)
    window.addToolBar(Qt.TopToolBarArea, banner)
    window.resize(1280, 720)
    window.show()
    banner.show_message("training stalled: with learning rate 0.7225 the weights were thrown so "
                        "far that every output neuron saturated (its slope is 0), the gradient "
                        "is exactly zero and learning stopped. Try learning rate 0.1, then "
                        "press Reset.")
    lines = banner.text.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: banner.text.width() > 900)
    qtbot.waitUntil(lambda: banner.text.height() <= 3 * lines + 4)
    assert banner.text.height() >= lines  # the text is shown whole
