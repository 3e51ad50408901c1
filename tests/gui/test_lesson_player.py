"""Lessons in the window: the menu, the caption strip, the stages and what they open."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digit_descent.engine import preset
from digit_descent.engine.lessons import Lesson, Stage, lessons


def visible_panels(window):
    return {key for key, dock in window.docks.items() if dock.isVisible() and key != "controls"}


def small_lesson(stages, config=None):
    config = config or preset("3b1b").replace(train_subset=1000)
    return Lesson("small", "A small lesson", "tests", config, tuple(stages), run=None)


def new_run(window, before):
    return lambda: (window.controller.snapshot is not None
                    and window.controller.snapshot.initial_params is not before)


def trained_to(window, epoch):
    def done():
        s = window.controller.snapshot
        return (not window.controller.running and s.epoch >= epoch and s.reports
                and s.reports[-1].epoch >= epoch)
    return done


def test_lessons_menu_lists_all_twelve(make_window):
    w = make_window(preset("3b1b"))
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Lessons")
    titles = [a.text() for a in menu.actions() if a.text()[:1].isdigit()]
    assert titles == [f"{n}. {l.title}" for n, l in enumerate(lessons(), start=1)]


@pytest.mark.parametrize("name", [l.name for l in lessons() if not l.needs_data])
def test_every_lesson_opens_on_its_first_stage(make_window, qtbot, name):
    w = make_window(preset("3b1b").replace(train_subset=1000))
    before = w.controller.snapshot.initial_params
    assert w.open_lesson(name)
    lesson = w.lesson_player.lesson
    first = lesson.stages[0]
    assert w.lesson_player.strip.isVisible()
    assert first.caption in w.lesson_player.strip.caption.text()
    assert visible_panels(w) == set(first.panels)
    qtbot.waitUntil(new_run(w, before), timeout=20000)
    snap = w.controller.snapshot
    assert tuple(snap.sizes) == tuple(lesson.config.layers)
    if first.surface:
        assert w.surface_panel.surface.currentData() == first.surface
        qtbot.waitUntil(lambda: len(w.surface_panel.balls) == len(first.balls), timeout=20000)
        assert w.surface_panel.play.isChecked()
        assert [b.lr for b, *_ in w.surface_panel.balls] == [lr for *_, lr in first.balls]
    w.stop_training()


def test_stages_train_restart_with_a_ghost_and_go_back(make_window, qtbot):
    lesson = small_lesson([
        Stage("Stage one trains one epoch at a tiny learning rate.", panels=("cost",),
              train_to=1),
        Stage("Stage two restarts from the same weights at a better rate.",
              panels=("cost", "weights"), restart={"lr": 1.0}, ghost="η = 0.01", train_to=1),
    ], preset("3b1b").replace(train_subset=1000, lr=0.01))
    w = make_window(preset("3b1b"))
    before = w.controller.snapshot.initial_params
    assert w.lesson_player.open(lesson)
    qtbot.waitUntil(new_run(w, before), timeout=20000)
    qtbot.waitUntil(trained_to(w, 1), timeout=30000)
    first_run = w.controller.snapshot
    assert "stage 1 of 2" in w.lesson_player.strip.heading.text()

    qtbot.keyClick(w, Qt.Key_PageDown)
    assert [g.label for g, *_ in w.cost_panel.ghosts] == ["η = 0.01"]
    ghost = w.cost_panel.ghosts[0][0]
    assert ghost.samples[-1] == first_run.history[0][-1]  # the whole first run
    assert visible_panels(w) == {"cost", "weights"}
    qtbot.waitUntil(new_run(w, first_run.initial_params), timeout=20000)
    qtbot.waitUntil(trained_to(w, 1), timeout=30000)
    second = w.controller.snapshot
    assert second.lr == pytest.approx(1.0 * second.lr_decay) or second.config.lr == 1.0
    np.testing.assert_array_equal(second.initial_params, first_run.initial_params)
    assert second.reports[-1].test_accuracy > first_run.reports[-1].test_accuracy

    qtbot.keyClick(w, Qt.Key_PageUp)  # back: the first stage with its own run again
    assert "stage 1 of 2" in w.lesson_player.strip.heading.text()
    assert visible_panels(w) == {"cost"}
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    shown = w.controller.snapshot
    assert not w.controller.running
    assert w.model.config.lr == 0.01 and w.model.ghosts == ()
    assert shown.step == first_run.step
    np.testing.assert_array_equal(shown.params, first_run.params)
    assert shown.reports[-1].test_accuracy == first_run.reports[-1].test_accuracy

    qtbot.keyClick(w, Qt.Key_PageDown)  # forward again: the second stage's run, not a new one
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    shown = w.controller.snapshot
    assert not w.controller.running and w.model.config.lr == 1.0
    assert [g.label for g in w.model.ghosts] == ["η = 0.01"]
    np.testing.assert_array_equal(shown.params, second.params)
    assert shown.reports[-1].test_accuracy == second.reports[-1].test_accuracy
    w.lesson_player.close()
    assert not w.lesson_player.strip.isVisible()

    assert w.lesson_player.open(lesson)  # again: a new run trains, though the old one was done
    qtbot.waitUntil(new_run(w, second.initial_params), timeout=20000)
    qtbot.waitUntil(lambda: w.controller.snapshot.step > 0 and trained_to(w, 1)(),
                    timeout=30000)


def test_the_caption_strip_stays_in_the_presenter_view(make_window, qtbot):
    lesson = small_lesson([Stage("Two panels side by side in the presenter view.",
                                 panels=("cost", "confusion"))])
    w = make_window(preset("3b1b"))
    w.toggle_presenter()
    assert w.lesson_player.open(lesson)
    assert w.lesson_player.strip.isVisible()
    assert not w.menuBar().isVisible()
    assert visible_panels(w) == {"cost", "confusion"}
    w.toggle_presenter()
    assert w.lesson_player.strip.isVisible()


def test_stage_views_noise_cell_trask_and_backprop(make_window, qtbot):
    lesson = small_lesson([
        Stage("Train one epoch before the views open.", panels=("cost",), train_to=1),
        Stage("Random noise and what the network answers.", panels=("confusion", "pad"),
              show="noise"),
        Stage("The cell of threes read as fives, most confident first.",
              panels=("confusion",), show="cell 3 5"),
        Stage("Trask's exact network prints its error here.", panels=("cost",), show="trask"),
        Stage("One image's backpropagation, layer by layer.", panels=("pad", "activations"),
              show="backprop"),
    ])
    w = make_window(preset("3b1b"))
    before = w.controller.snapshot.initial_params
    w.lesson_player.open(lesson)
    qtbot.waitUntil(new_run(w, before), timeout=20000)
    qtbot.waitUntil(trained_to(w, 1), timeout=30000)
    qtbot.waitUntil(lambda: w.controller.snapshot.evaluation is not None, timeout=20000)

    w.lesson_player.next_stage()
    noise = w.lesson_player.view
    assert noise.list.count() == 200
    assert "true" not in noise.list.item(0).text()  # noise has no true label
    assert w.pad_panel.canvas.array().any()
    first = noise.evaluation.dataset.x[noise.indices[0]]  # the gallery's most confident
    np.testing.assert_allclose(w.pad_panel.canvas.exact.ravel(), first.ravel(), atol=1e-6)

    w.lesson_player.next_stage()
    assert not noise.isVisible()  # each stage closes the view of the one before
    cell = w.lesson_player.view
    assert cell.windowTitle().startswith("Actual 3, read as 5")

    w.lesson_player.next_stage()
    qtbot.waitUntil(lambda: "0.496410" in w.lesson_player.strip.caption.text(), timeout=20000)
    assert "0.003510" in w.lesson_player.strip.caption.text()

    w.lesson_player.next_stage()
    backprop = w.lesson_player.view
    assert backprop is not None and backprop.isVisible()
    assert w.pad_panel.true_label() is not None

    w.lesson_player.previous_stage()  # the printout again under its caption
    assert not backprop.isVisible()
    qtbot.waitUntil(lambda: "0.003510" in w.lesson_player.strip.caption.text(), timeout=20000)


def test_a_table_without_a_test_set_reports_training_accuracy(make_window, qtbot):
    w = make_window(preset("trask").replace(epochs=2))
    w.start_training()
    qtbot.waitUntil(lambda: w.controller.snapshot is not None
                    and bool(w.controller.snapshot.reports) and not w.controller.running,
                    timeout=20000)
    qtbot.waitUntil(lambda: "accuracy" in w.status_line.text(), timeout=20000)
    assert "training accuracy" in w.status_line.text()
    assert "test accuracy" not in w.status_line.text()


def test_cifar_lesson_shows_colour_templates_and_thumbnails(make_window, qtbot, tmp_path,
                                                          write_cifar):
    folder = write_cifar(tmp_path / "cifar-10-batches-bin", n=100)
    w = make_window(preset("3b1b"))
    before = w.controller.snapshot.initial_params
    cifar = next(l for l in lessons() if l.name == "cifar10")
    short = replace(cifar, stages=(replace(cifar.stages[0], train_to=1,
                                           panels=("weights", "confusion")),))
    assert w.lesson_player.open(short, folder)
    qtbot.waitUntil(new_run(w, before), timeout=20000)
    qtbot.waitUntil(trained_to(w, 1), timeout=30000)
    qtbot.waitUntil(lambda: w.confusion_panel.evaluation is not None, timeout=20000)
    snap = w.controller.snapshot
    assert snap.image_shape == (32, 32, 3) and snap.class_names[0] == "airplane"
    w.weights_panel.show_snapshot(snap)
    tiles = w.weights_panel.image.image
    assert tiles.ndim == 3 and tiles.shape[2] == 3  # colour templates
    assert not w.weights_panel.colorbar.isVisible()
    w.confusion_panel.show_snapshot(snap)
    evaluation = w.confusion_panel.evaluation
    dialog = w.confusion_panel.open_cell(int(evaluation.actual[0]), int(evaluation.predicted[0]))
    icon = dialog.list.item(0).icon().pixmap(32, 32).toImage()
    colours = {icon.pixelColor(x, y).name() for x in range(0, 32, 4) for y in range(0, 32, 4)}
    assert any(len({c[1:3], c[3:5], c[5:7]}) > 1 for c in colours)  # not grey


def test_cifar_lesson_without_data_says_where_to_get_it(make_window, monkeypatch):
    w = make_window(preset("3b1b"))
    monkeypatch.setattr(w.files, "ask_folder", lambda title: "")
    assert not w.open_lesson("cifar10")
    assert w.banner_bar.isVisible() and "cifar-10-batches-bin" in w.banner_text.text()


def test_kept_arrangements_are_remembered(make_window, settings):
    from digit_descent.gui.presenter import ARRANGEMENTS, layout_docks

    w = make_window(preset("3b1b"))
    layout_docks(w, ("surface", "pad"), keep=("controls",))
    assert w.keep_arrangement(2) == ("surface", "pad")  # reading order: left, then right
    w.save_settings()
    settings.setValue("presenter/arrangement3", "cost,nonsense")
    again = make_window(preset("3b1b"))
    assert again.presenter.arrangements[2] == ("surface", "pad")
    assert again.presenter.arrangements[3] == ARRANGEMENTS[3]  # a bad one: the default
    assert "presenter/arrangement3" in again.banner_text.text()
    again.toggle_presenter()
    again.presenter.arrange(2)
    assert visible_panels(again) == {"surface", "pad"}
    again.toggle_presenter()


def test_a_stage_restart_takes_the_live_rate_and_says_what_it_refused(make_window, qtbot):
    lesson = small_lesson([
        Stage("Three steps by hand.", panels=("cost",)),
        Stage("Restart with a bigger mini-batch.", panels=("cost",), ghost="first",
              restart={"batch_size": 20, "momentum": "lots"}),
    ])
    w = make_window(preset("3b1b"))
    assert w.lesson_player.open(lesson)
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    w.controller.step(3)
    qtbot.waitUntil(lambda: w.controller.snapshot.step == 3, timeout=20000)
    first = w.controller.snapshot
    w.controls.lr_spin.setValue(0.3)  # η changed by hand before the next stage
    w.lesson_player.next_stage()
    assert "momentum" in w.banner_text.text()  # TrainConfig.from_dict's problem, shown
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    again = w.controller.snapshot
    assert again.step == 0 and again.config.lr == 0.3 and again.config.batch_size == 20
    np.testing.assert_array_equal(again.initial_params, first.initial_params)
    assert [g.label for g in w.model.ghosts] == ["first"]


def test_a_stage_trains_at_its_pace_and_the_next_flat_out(make_window, qtbot):
    from digit_descent.gui.panels.controls import SPEED_MAX, speed_from_slider

    lesson = small_lesson([
        Stage("The first epoch, slowed down to be watched as the cost falls.",
              panels=("cost",), train_to=1, pace=200),
        Stage("The next epochs flat out, the curve is already known by now.",
              panels=("cost",), train_to=2),
    ])
    w = make_window(preset("3b1b"))
    assert w.lesson_player.open(lesson)
    assert speed_from_slider(w.controls.speed.value()) == pytest.approx(200, rel=0.1)
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    w.lesson_player.next_stage()
    assert w.controls.speed.value() == SPEED_MAX
    w.stop_training()


def test_balls_roll_at_the_stage_pace_and_r_replays_them(make_window, qtbot):
    lesson = next(l for l in lessons() if l.name == "learning-rate")
    w = make_window(preset("3b1b").replace(train_subset=1000))
    w.lesson_player.open(replace(lesson, config=lesson.config.replace(train_subset=1000)))
    panel = w.surface_panel
    qtbot.waitUntil(lambda: len(panel.balls) == 3, timeout=20000)
    stage = lesson.stages[0]
    assert panel.play.isChecked()
    assert panel.timer.interval() == round(1000 / stage.ball_pace)
    assert panel.speed.value() == 1
    starts = [tuple(b.trail[0]) for b, *_ in panel.balls]
    assert len(set(starts)) == 3
    qtbot.waitUntil(lambda: all(len(b.trail) > 3 for b, *_ in panel.balls), timeout=20000)
    before = [b for b, *_ in panel.balls]
    w.commands["replay_balls"].trigger()
    again = [b for b, *_ in panel.balls]
    assert not set(map(id, again)) & set(map(id, before))  # new balls …
    assert [tuple(b.trail[0]) for b in again] == starts  # … from the same starts
    assert [b.lr for b in again] == [lr for *_, lr in stage.balls]
    assert all(len(b.trail) <= 2 for b in again) and panel.play.isChecked()
    qtbot.waitUntil(lambda: all(len(b.trail) > 2 for b in again), timeout=20000)


def quick(lesson):
    """``lesson`` on 1,000 images, each training stage one epoch flat out."""
    stages = tuple(replace(s, train_to=min(s.train_to, 1) if s.train_to else None, pace=None)
                   for s in lesson.stages)
    return replace(lesson, stages=stages, config=lesson.config.replace(train_subset=1000))


@pytest.mark.parametrize("name", ["learning-rate", "3b1b", "activations", "tweaks", "shuffled",
                                  "trask", "noise", "backprop"])
def test_each_stage_shows_its_own_run_forward_and_back(make_window, qtbot, name):
    lesson = quick(next(l for l in lessons() if l.name == name))
    w = make_window(preset("3b1b").replace(train_subset=1000))
    assert w.lesson_player.open(lesson)
    shown = {}

    def settle(index):
        stage = lesson.stages[index]
        assert w.lesson_player.strip.caption.text().startswith(stage.caption)
        assert f"stage {index + 1} of" in w.lesson_player.strip.heading.text()
        qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
        if stage.train_to:
            qtbot.waitUntil(trained_to(w, stage.train_to), timeout=60000)
        return w.controller.snapshot

    for index, stage in enumerate(lesson.stages):
        if index:
            qtbot.keyClick(w, Qt.Key_PageDown)
        snap = settle(index)
        for key, value in (stage.restart or {}).items():
            if key not in ("epochs", "train_subset"):
                assert getattr(w.model.config, key) == getattr(
                    lesson.config.replace(**{key: value}), key), key
        if stage.ghost:
            assert w.model.ghosts[-1].label == stage.ghost
        shown[index] = (snap.params.copy(), w.model.config, [g.label for g in w.model.ghosts])

    for index in reversed(range(len(lesson.stages) - 1)):
        qtbot.keyClick(w, Qt.Key_PageUp)
        snap = settle(index)
        params, config, ghosts = shown[index]
        assert w.model.config == config and [g.label for g in w.model.ghosts] == ghosts
        np.testing.assert_array_equal(snap.params, params)
    assert not w.controller.running


def test_the_strong_model_stage_shows_adam_and_a_late_model_is_dropped(make_window, qtbot):
    lesson = small_lesson([
        Stage("The shipped model, with the settings it was trained with.",
              panels=("confusion", "pad"), show="model strong"),
        Stage("A stage after it: the model, if it comes late, is not opened here.",
              panels=("cost",)),
    ])
    w = make_window(preset("3b1b"))
    assert w.lesson_player.open(lesson)
    qtbot.waitUntil(lambda: tuple(w.model.config.layers) == (784, 256, 128, 10),
                    timeout=20000)
    assert w.model.config.optimizer == "adam"
    assert w.controls.config.optimizer == "adam"

    w.lesson_player.close()
    assert w.lesson_player.open(lesson)  # again, and on to the next stage at once
    w.lesson_player.next_stage()
    qtbot.waitUntil(lambda: not w.lesson_player._jobs.busy, timeout=20000)
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    assert tuple(w.controller.snapshot.sizes) == (784, 16, 16, 10)


def test_a_restart_to_relu_starts_as_the_lessons_experiment_does(make_window, qtbot):
    from digit_descent.engine import Network

    lesson = small_lesson([
        Stage("Sigmoid neurons first, as the activations lesson begins.", panels=("cost",)),
        Stage("The same seed with ReLU neurons (faint: sigmoid), as its experiment runs it.",
              panels=("cost",), restart={"activation": "relu"}, ghost="sigmoid"),
    ])
    w = make_window(preset("3b1b"))
    assert w.lesson_player.open(lesson)
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    sigmoid = w.controller.snapshot.initial_params
    w.lesson_player.next_stage()
    qtbot.waitUntil(lambda: w.model.current(w.controller.snapshot), timeout=20000)
    relu = w.controller.snapshot.initial_params
    c = w.model.config
    expected = Network(c.layers, "relu", c.cost, seed=c.seed, init=c.init).params
    np.testing.assert_array_equal(relu, expected)
    hidden = slice(0, 784 * 16)  # the first layer's weights: the same draw, scaled by √2
    np.testing.assert_allclose(relu[hidden], sigmoid[hidden] * np.sqrt(2), rtol=1e-5)
