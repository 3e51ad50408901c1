"""The lessons: their set-up, and each one's headline figures on a shortened run."""

from dataclasses import fields

import numpy as np
import pytest

from digit_descent.engine import TrainConfig
from digit_descent.engine.data import CIFAR_RECORD, DataError, load, load_cifar10
from digit_descent.engine.lessons import lesson, lessons

PANELS = {"cost", "weights", "confusion", "surface", "pad", "activations"}
SHOWS = {"noise", "backprop", "cell 3 5", "model strong", "trask"}


def headline(name, **kwargs):
    lines = list(lesson(name).run(short=True, **kwargs))
    return lines, lines[-1]


def test_twelve_lessons_with_valid_stages():
    all_lessons = lessons()
    assert len(all_lessons) == 12
    assert len({l.name for l in all_lessons}) == 12
    setting_names = {f.name for f in fields(TrainConfig)}
    for item in all_lessons:
        assert isinstance(item.config, TrainConfig)
        assert item.stages, item.name
        for stage in item.stages:
            assert 1 <= len(stage.panels) <= 4 and set(stage.panels) <= PANELS, item.name
            assert 40 < len(stage.caption) < 420, (item.name, len(stage.caption))
            assert stage.show is None or stage.show in SHOWS
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


def test_3b1b_counts_its_parameters():
    _, top = headline("3b1b")
    assert top["parameters"] == 13_002
    assert top["test_accuracy"] > 0.6


def test_tweaks_ladder():
    _, top = headline("tweaks")
    assert [r["preset"] for r in top["rungs"]] == ["3b1b", "3b1b-tweaked", "strong"]
    assert [r["parameters"] for r in top["rungs"]] == [13_002, 13_002, 235_146]
    assert all(r["test_accuracy"] > 0.5 for r in top["rungs"])


def test_templates_confusions_are_most_confident_first():
    _, top = headline("templates")
    assert top["test_accuracy"] > 0.75
    assert len(top["most_confident_3_as_5"]) == min(5, top["threes_read_as_fives"])


def test_hidden_ten():
    _, top = headline("hidden10")
    assert 0.5 < top["test_accuracy"] <= 1


def test_noise_answers_every_image():
    _, top = headline("noise")
    assert sum(top["answers"]) == top["noise_images"] >= 100
    assert 0.0 < top["median_confidence"] < 1.0


def test_noise_lesson_is_confident_on_its_default_settings():
    """The full run (10 epochs of the 3b1b network, seed 1; about 10 s)."""
    top = list(lesson("noise").run())[-1]
    assert top["median_confidence"] >= 0.7
    assert top["test_accuracy"] > 0.93


def test_shuffled_labels_are_memorised_not_learned():
    lines, top = headline("shuffled")
    assert top["test_accuracy"] <= 0.2
    assert top["train_accuracy"] > top["test_accuracy"] + 0.3
    assert top["control_test_accuracy"] > 0.6
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
