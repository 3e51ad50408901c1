"""The lessons: their set-up, and each one's headline figures on a shortened run."""

import re
from dataclasses import fields

import numpy as np
import pytest

from digit_descent.engine import TrainConfig
from digit_descent.engine.data import CIFAR_RECORD, DataError, load, load_cifar10
from digit_descent.engine.lessons import lesson, lessons

PANELS = {"cost", "weights", "confusion", "surface", "pad", "activations"}
LESSON_VIEWS = {"logistic", "logistic-descent", "chain-rule", "activation-curves",
                "trask-tables", "universal-fit", "depth-width"}  # gui/lesson_views
SHOWS = {"noise", "backprop", "model strong", "trask", *LESSON_VIEWS}


def headline(name, **kwargs):
    lines = list(lesson(name).run(short=True, **kwargs))
    return lines, lines[-1]


def test_sixteen_lessons_with_valid_stages():
    all_lessons = lessons()
    assert len(all_lessons) == 16
    assert len({l.name for l in all_lessons}) == 16
    setting_names = {f.name for f in fields(TrainConfig)}
    for item in all_lessons:
        assert isinstance(item.config, TrainConfig)
        assert item.stages, item.name
        for stage in item.stages:
            assert len(stage.panels) <= 4 and set(stage.panels) <= PANELS, item.name
            assert stage.panels or stage.show in LESSON_VIEWS, item.name  # a picture
            assert 40 < len(stage.caption) < 420, (item.name, len(stage.caption))
            assert stage.show is None or stage.show in SHOWS or re.fullmatch(
                r"cell \d \d", stage.show), stage.show
            if stage.restart:
                assert set(stage.restart) <= setting_names
                assert stage.ghost  # the run replaced stays, labelled, as a ghost
                config, problems = TrainConfig.from_dict({**item.config.to_dict(),
                                                         **stage.restart})
                assert not problems


def test_unknown_lesson_names_them_all():
    with pytest.raises(ValueError, match="descent, learning-rate"):
        lesson("nope")


def test_trask_printout_matches_the_published_one():
    lines = list(lesson("trask").run())
    assert [round(l["error"], 6) for l in lines[:-1]] == [
        0.496410, 0.008585, 0.005789, 0.004629, 0.003959, 0.003510]
    assert [l["iteration"] for l in lines[:-1]] == list(range(0, 60_000, 10_000))
    assert np.round(lines[-1]["outputs"], 4).tolist() == [0.9970, 0.9967, 0.0026, 0.0039]


def test_descent_one_minimum_in_a_bowl_several_in_a_bumpy_one():
    _, top = headline("descent")
    assert top["bowl_minima"] == 1 and top["bowl_minimum_costs"] == [0.0]
    assert top["bumpy_minima"] >= 3


def test_learning_rate_small_right_large():
    lines, top = headline("learning-rate")
    balls = [l for l in lines if "ball_lr" in l]
    assert [b["escaped"] for b in balls] == [False, False, True]
    assert balls[0]["cost"] > balls[1]["cost"]  # the small step is still crawling
    acc = top["test_accuracy_by_lr"]
    assert acc["1"] > acc["0.01"] + 0.2
    assert acc["100"] < 0.2


def test_learning_rate_balls_start_apart_and_their_trails_are_not_one_line():
    from digit_descent.engine.landscape import SURFACES, Ball

    stage = lesson("learning-rate").stages[0]
    starts = {(x, y) for x, y, _ in stage.balls}
    assert len(starts) == len(stage.balls) == 3
    trails = []
    for x, y, lr in stage.balls:
        ball = Ball(SURFACES["bowl"], (x, y), lr=lr)
        for _ in range(5):
            ball.step()
        trails.append(np.array(ball.trail))
    points = np.concatenate(trails)
    centred = points - points.mean(axis=0)
    # collinear points would have a second singular value of zero
    assert np.linalg.svd(centred, compute_uv=False)[1] > 0.5


def test_ball_demonstrations_and_quick_trainings_have_a_teaching_pace():
    for item in lessons():
        for number, stage in enumerate(item.stages, start=1):
            if stage.balls:
                assert stage.ball_pace and stage.ball_pace <= 10, (item.name, number)
    first_epoch = lesson("3b1b").stages[0]
    batches = 60_000 / lesson("3b1b").config.batch_size
    assert 15 <= batches / first_epoch.pace <= 60  # seconds to watch the first epoch
    trask = lesson("trask").stages[2]
    assert 30 <= trask.train_to / trask.pace <= 120  # full batch: one iteration per epoch


def test_3b1b_counts_its_parameters():
    _, top = headline("3b1b")
    assert top["parameters"] == 13_002
    assert top["test_accuracy"] > 0.6


def test_tweaks_ladder():
    _, top = headline("tweaks")
    assert [r["preset"] for r in top["rungs"]] == ["3b1b", "3b1b-tweaked", "strong"]
    assert [r["parameters"] for r in top["rungs"]] == [13_002, 13_002, 235_146]
    assert all(r["test_accuracy"] > 0.5 for r in top["rungs"])


def test_templates_most_common_confusion_is_the_largest_off_diagonal_cell():
    _, top = headline("templates")
    assert top["test_accuracy"] > 0.75
    confusion = top["confusion"]
    assert confusion["actual"] != confusion["read_as"]
    assert 0 < confusion["images"] < confusion["of"]
    assert len(confusion["most_confident"]) == min(5, confusion["images"])


def test_hidden_ten_against_no_hidden_layer_all_else_equal():
    lines, top = headline("hidden10")
    assert 0.5 < top["test_accuracy"] <= 1 and 0.5 < top["no_hidden_test_accuracy"] <= 1
    assert {l["run"] for l in lines if "run" in l} == {"no hidden layer", "hidden layer"}
    from digit_descent.engine.config import preset
    from digit_descent.engine.lessons.experiments import HIDDEN10_CONFIG
    assert HIDDEN10_CONFIG == preset("templates").replace(layers=(784, 10, 10))


def test_noise_answers_every_image():
    _, top = headline("noise")
    assert sum(top["answers"]) == top["noise_images"] >= 100
    assert 0.0 < top["median_confidence"] < 1.0
    seeds = top["seeds"]
    assert seeds["count"] == 2 and seeds["first"] == 0 and seeds["last"] == 1
    assert seeds["lowest_median"] <= seeds["highest_median"]


def test_noise_lesson_is_confident_on_its_default_settings():
    """The lesson's own network (10 epochs of the 3b1b network, seed 1; about 10 s)."""
    from digit_descent.engine.lessons import experiments as ex
    split = ex._mnist(short=False)
    session = yield_last(ex.train(ex.NOISE_CONFIG, split))
    evaluation = ex.noise_evaluation(session.network)
    assert np.median(evaluation.confidence) >= 0.7
    assert session.evaluation.accuracy > 0.93


def yield_last(generator):
    """The return value of a generator (what ``yield from`` would give)."""
    try:
        while True:
            next(generator)
    except StopIteration as stop:
        return stop.value


def test_shuffled_labels_are_memorised_not_learned():
    lines, top = headline("shuffled")
    assert top["test_accuracy"] <= 0.2
    assert top["train_accuracy"] > top["test_accuracy"] + 0.3
    assert top["control_test_accuracy"] > 0.6
    assert 0.05 < top["labels_left_right"] < 0.2  # a shuffle leaves about one in ten right
    shuffled = [l["train_accuracy"] for l in lines if l.get("run") == "shuffled"]
    assert shuffled[-1] > shuffled[0] + 0.3  # it climbs


def test_minibatch_walk_is_longer_and_ends_as_low():
    lines, top = headline("minibatch")
    walk = {l["ball"]: l for l in lines if "ball" in l}
    assert walk["minibatch"]["path_length"] > walk["full_batch"]["path_length"]
    assert abs(top["minibatch_cost"] - top["full_batch_cost"]) < 0.05
    assert top["mean_surface_shift"] > 0


def test_backprop_step_moves_the_output_toward_the_label():
    lines, top = headline("backprop")
    assert [l["layer"] for l in lines if "layer" in l] == [1, 2, 3]
    assert top["read_before"] != top["label"]  # an image it read wrong
    # one step lowers this image's cost: the outputs move toward the label as a whole (the
    # label's own output rose from 0.18 to 0.89 on the full run, but need not on every run)
    assert top["cost_after"] < top["cost_before"]


# ------------------------------------------------------------------ CIFAR-10 files
def test_cifar_batches_are_read_as_colour_images(tmp_path, write_cifar):
    folder = write_cifar(tmp_path / "cifar-10-batches-bin")
    split = load(folder)
    assert split.name == "cifar10"
    assert len(split.train) == 120 and len(split.test) == 60
    assert split.train.image_shape == (32, 32, 3) and split.train.n_inputs == 3072
    assert split.train.class_names[0] == "airplane"
    raw = np.fromfile(folder / "test_batch.bin", np.uint8).reshape(-1, CIFAR_RECORD)
    label, red = raw[0, 0], raw[0, 1:1025].reshape(32, 32)
    image = split.test.x[0].reshape(32, 32, 3)
    assert split.test.labels[0] == label
    np.testing.assert_allclose(image[..., 0], red / 255, atol=1e-6)  # planes → channels


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(p.read_bytes()[:-5]), "whole number"),
    (lambda p: p.write_bytes(b"\x0c" + p.read_bytes()[1:]), "label 12"),
    (lambda p: p.unlink(), "no data_batch_1.bin"),
])
def test_damaged_cifar_files_are_refused(tmp_path, write_cifar, damage, message):
    folder = write_cifar(tmp_path / "c")
    damage(folder / ("data_batch_1.bin" if "no data" in message else "test_batch.bin"))
    with pytest.raises(DataError, match=message):
        load_cifar10(folder)


def test_cifar_lesson_trains_on_the_users_copy(tmp_path, write_cifar):
    folder = write_cifar(tmp_path / "cifar-10-batches-bin", n=200)
    _, top = headline("cifar10", data=str(folder))
    assert top["images"] == 400 and top["test_accuracy"] > 0.15


def test_cifar_lesson_without_data_says_where_to_get_it():
    with pytest.raises(DataError, match="cs.toronto.edu"):
        list(lesson("cifar10").run(short=True))


# ------------------------------------------------------- the seeds' missing experiments
def test_logistic_regression_fits_the_ink_task():
    lines, top = headline("logistic")
    assert top["beta1"] < 0  # more ink, less likely a 1: the curve turned round
    assert top["cost"] < top["start_cost"] / 5
    assert top["accuracy"] > 0.9
    costs = [l["cost"] for l in lines if "step" in l]
    assert all(b <= a for a, b in zip(costs, costs[1:]))  # full-batch descent, downhill


def test_logistic_surface_is_the_exact_cost():
    from digit_descent.engine.lessons.logistic import InkTask, probability
    task = InkTask()
    b0, b1 = 0.3, -2.0
    p = probability(b0, b1, task.feature)
    exact = -np.mean(task.label * np.log(p) + (1 - task.label) * np.log(1 - p))
    assert task.cost(b0, b1) == pytest.approx(exact, rel=1e-9)
    h = 1e-6
    numeric = ((task.cost(b0 + h, b1) - task.cost(b0 - h, b1)) / (2 * h),
               (task.cost(b0, b1 + h) - task.cost(b0, b1 - h)) / (2 * h))
    assert np.allclose(task.grad(b0, b1), numeric, atol=1e-6)


def test_universal_fit_error_falls_with_width():
    _, top = headline("universal")
    errors = [top["fit_error"][w] for w in ("1", "2", "4", "16")]
    assert all(b < a for a, b in zip(errors, errors[1:]))
    assert errors[-1] < 0.01 * top["target_variance"]
    spiral = top["spiral"]
    assert spiral["tight_wide"]["parameters"] == spiral["tight_deep"]["parameters"] == 42
    assert abs(spiral["roomy_wide"]["parameters"] - spiral["roomy_deep"]["parameters"]) <= 2


def test_universal_neurons_add_up_to_the_fit():
    from digit_descent.engine.lessons.universal import OneLayerFit, target
    x = np.linspace(-1, 1, 50)
    model = OneLayerFit(4)
    model.fit(x, target(x), steps=200)
    np.testing.assert_allclose(model.contributions(x).sum(axis=1) + model.c[0], model(x))


def test_chain_rule_step_moves_the_cost_as_predicted():
    lines, top = headline("chain-rule")
    links, gradient = top["links"], top["gradient"]
    assert gradient["wL"] == pytest.approx(
        links["dzL/dwL"] * links["daL/dzL"] * links["dC/daL"])
    assert top["actual_cost_change"] < 0
    assert top["actual_cost_change"] == pytest.approx(top["predicted_cost_change"], rel=0.2)
    from digit_descent.engine.lessons.chain_rule import chain_rule, forward
    h = 1e-7
    p = dict(top["params_before"])
    bumped = forward({**p, "w1": p["w1"] + h})["cost"]
    assert (bumped - top["cost_before"]) / h == pytest.approx(gradient["w1"], rel=1e-4)
    small = list(chain_rule(lr=0.01))[-1]  # a smaller step: a closer prediction
    assert small["actual_cost_change"] == pytest.approx(small["predicted_cost_change"],
                                                        rel=0.01)


def test_activations_one_change_at_a_time():
    lines, top = headline("activations")
    assert top["max_slope"] == pytest.approx({"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0})
    assert set(top["test_accuracy"]) == {"sigmoid", "tanh", "relu"}
    assert all(0.3 < a <= 1 for a in top["test_accuracy"].values())
    stopped = top["stopped_in_epoch"]  # the caption quotes ReLU's: 0 means it never stopped
    assert set(stopped) == set(top["test_accuracy"])
    assert all(0 <= e <= top["epochs"] for e in stopped.values())


def test_trask_headline_carries_the_guides_tables():
    top = list(lesson("trask").run(short=True))[-1]
    assert [t["iteration"] for t in top["tables"]] == list(range(0, 60_000, 10_000))
    for table in top["tables"]:
        assert len(table["l2"]) == len(table["l2_error"]) == len(table["l2_delta"]) == 4


# ------------------------------------------------------------------------ captions
def test_every_caption_field_is_recorded():
    from digit_descent.engine.lessons.captions import MISSING, fields, recorded_figures
    recorded = recorded_figures()
    for item in lessons():
        for template in item.caption_templates():
            for path, _ in fields(template):
                assert path in recorded.get(item.name, {}), (item.name, path)
        assert not any(MISSING in s.caption for s in item.stages)


@pytest.mark.parametrize("name", ["logistic", "chain-rule", "universal", "trask"])
def test_captions_quote_their_experiment(name):
    """These experiments are cheap and a short run is the full one: every caption number
    must be what the run gives, as the caption shows it."""
    from digit_descent.engine.lessons.captions import differences, recorded_figures
    item = lesson(name)
    top = list(item.run(short=name != "universal"))[-1] if name != "universal" else \
        list(item.run())[-1]
    assert differences(item.caption_templates(), recorded_figures()[name], top) == []


def test_a_caption_number_that_differs_from_the_run_is_caught():
    from digit_descent.engine.lessons.captions import differences, fill
    template = "cost {cost:.3f}, accuracy {accuracy:.1%}"
    recorded = {"cost": 0.165, "accuracy": 0.9314}
    assert fill(template, recorded) == "cost 0.165, accuracy 93.1%"
    assert differences([template], recorded, {"cost": 0.1651, "accuracy": 0.9311}) == []
    assert differences([template], recorded, {"cost": 0.17, "accuracy": 0.9311}) == [
        ("cost", "0.165", "0.170")]
    assert differences([template], recorded, {"accuracy": 0.9311}) == [
        ("cost", "0.165", "missing")]


@pytest.mark.parametrize("item", [l for l in lessons() if not l.needs_data],
                         ids=lambda l: l.name)
def test_short_runs_give_every_caption_field(item):
    """Every field a caption quotes is in the experiment's headline (the values differ on a
    short run; bench/captions.py compares them on full runs)."""
    from digit_descent.engine.lessons.captions import fields, resolve
    if not any(fields(t) for t in item.caption_templates()):
        pytest.skip("no computed numbers")
    top = list(item.run(short=True))[-1]
    for template in item.caption_templates():
        for path, spec in fields(template):
            format(resolve(top, path), spec)


def test_sources_credit_every_seed_once():
    from digit_descent.engine.lessons import sources
    found = sources()
    assert len(found) == len(set(found))
    text = " ".join(found)
    for name in ("3Blue1Brown", "mrdragonbear", "ml4a", "zhyuzh3d", "David Code", "Trask"):
        assert name in text
    assert lesson("shuffled").source.startswith("3Blue1Brown, Gradient descent")  # seed 000
    assert "mrdragonbear" in lesson("learning-rate").source  # seed 001
    assert "mrdragonbear" in lesson("minibatch").source and "zhyuzh3d" in lesson("minibatch").source


def test_spiral_picture_is_the_networks_answer_over_the_plane():
    from digit_descent.engine.lessons import universal as uni

    net, _, _ = uni.train_spiral((4,), steps=5)
    picture = uni.spiral_picture(net, resolution=5, extent=1.0)
    assert picture.shape == (5, 5)
    # row i at y = −1 + i/2, column j at x = −1 + j/2: row 3, column 1 is (−0.5, 0.5)
    direct = net.forward(np.float32([[-0.5, 0.5]]))[0, 1]
    assert picture[3, 1] == pytest.approx(direct, rel=1e-5)
