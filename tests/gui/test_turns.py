"""gui.turns: training waits for the GUI's frames and otherwise lets go of the GIL often."""

import threading

from digit_descent.gui import turns as turns_module
from digit_descent.gui.turns import Turns


def test_training_lets_go_of_the_gil_once_per_yield_interval(monkeypatch):
    clock, sleeps = [0.0], []
    monkeypatch.setattr(turns_module.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(turns_module.time, "sleep", sleeps.append)
    t = Turns(yield_s=0.001)
    for _ in range(10):  # 10 mini-batches of 0.3 ms: a hand-over after the 4th and the 8th
        clock[0] += 0.0003
        t.between_steps()
    assert sleeps == [0, 0]
    sleeps.clear()
    t = Turns()  # the main window's: only its frames
    for _ in range(10):
        clock[0] += 0.0003
        t.between_steps()
    assert sleeps == []


def test_training_waits_for_a_frame_and_not_once_stopping():
    t = Turns()
    stepped = threading.Event()

    def training():
        t.between_steps()
        stepped.set()

    with t.frame(), t.frame():  # nested frames are one frame
        assert t.depth == 2
        thread = threading.Thread(target=training)
        thread.start()
        assert not stepped.wait(0.2)  # waits while the frame lasts
    assert stepped.wait(5)
    thread.join()
    with t.frame():
        t.stopping = True  # e.g. the app quitting inside a frame: never wait on it
        t.between_steps()
    assert t.depth == 0
