"""Background jobs: outcomes delivered on the GUI thread, the newest only, and nothing of the
caller's let go on the job's thread."""

import threading
import weakref

from digit_descent.engine import DigitDescentError
from digit_descent.gui.jobs import Jobs


def test_the_outcome_comes_on_the_gui_thread(qtbot):
    jobs, seen = Jobs(), []
    jobs.start(lambda job: threading.current_thread(),
               lambda result: seen.append((result, threading.current_thread())), seen.append)
    qtbot.waitUntil(lambda: bool(seen))
    (ran_on, delivered_on), = seen
    assert ran_on is not threading.main_thread() and delivered_on is threading.main_thread()
    assert not jobs.busy


def test_errors_become_one_line(qtbot):
    def refused(job):
        raise DigitDescentError("x.npz: not a model")

    def broken(job):
        return 1 / 0

    for fn, message in ((refused, "x.npz: not a model"),
                        (broken, "ZeroDivisionError: division by zero")):
        jobs, errors = Jobs(), []
        jobs.start(fn, errors.append, errors.append)
        qtbot.waitUntil(lambda: bool(errors))  # noqa: B023 - waited for before the next round
        assert errors == [message]


def test_only_the_newest_jobs_outcome_is_delivered(qtbot):
    jobs, seen, go = Jobs(), [], threading.Event()
    jobs.start(lambda job: go.wait(10) and "old", seen.append, seen.append)
    jobs.start(lambda job: "new", seen.append, seen.append)
    qtbot.waitUntil(lambda: seen == ["new"])
    go.set()
    qtbot.waitUntil(lambda: not jobs.busy)  # the old one has finished, unheard
    assert seen == ["new"]


class _Token:
    pass


def test_the_function_is_let_go_on_the_gui_thread(qtbot):
    """A widget held by a job's function and destroyed on the job's thread deadlocked the
    GUI thread (a full test run hung): the function must die on the GUI thread."""
    jobs, seen, freed_on = Jobs(), [], []
    token = _Token()  # stands for a widget the function holds
    weakref.finalize(token, lambda: freed_on.append(threading.current_thread()))

    dropped = threading.Event()

    def fn(job, held=token):
        dropped.wait(10)  # until the caller holds neither: the job holds the last references
        return "done"

    jobs.start(fn, seen.append, seen.append)
    del fn, token
    dropped.set()
    qtbot.waitUntil(lambda: seen == ["done"] and bool(freed_on))
    assert freed_on == [threading.main_thread()]
