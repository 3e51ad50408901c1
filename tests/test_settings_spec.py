"""The parameter specification: every place that takes a training setting takes the same
values (TrainConfig, its readers, the command line's flags)."""

import math
import re
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digit_descent.cli import build_parser
from digit_descent.cli.options import UsageError
from digit_descent.engine import PRESETS, TrainConfig
from digit_descent.engine.files import MAX_PARAMS
from digit_descent.engine.settings_spec import MAX_LAYERS, SETTINGS, SPEC

NUMBERS = [s for s in SETTINGS if s.kind in (int, float)]
CHOICES = [s for s in SETTINGS if s.choices]
SWITCHES = [s for s in SETTINGS if s.kind is bool]


def test_the_spec_is_trainconfig_field_for_field():
    assert [f.name for f in fields(TrainConfig)] == [s.name for s in SETTINGS]
    assert all(f.default == SPEC[f.name].default for f in fields(TrainConfig))
    for setting in SETTINGS:  # every default and every preset's value is allowed
        assert setting.check(setting.default) == setting.default
        for _, config in PRESETS.values():
            setting.check(getattr(config, setting.name))


def _outside(setting):
    """Values just outside ``setting``'s range, and ones no range holds."""
    low, high = setting.low, setting.high
    if setting.kind is int:
        return st.sampled_from([low - 1, high + 1, -(2**63), 2**64])
    return st.one_of(st.floats(max_value=low, exclude_max=True),
                     st.floats(min_value=high, exclude_min=True),
                     st.sampled_from([math.nan, math.inf, -math.inf]))


@st.composite
def _bad_value(draw):
    """``(setting, value outside its spec)``."""
    setting = draw(st.sampled_from(NUMBERS + CHOICES + SWITCHES + [SPEC["layers"]]))
    if setting.kind in (int, float):
        return setting, draw(_outside(setting))
    if setting.choices:
        return setting, draw(st.text(max_size=30).filter(lambda t: t not in setting.choices))
    if setting.kind is bool:
        return setting, draw(st.sampled_from(["yes", 1, 0, None, "true"]))
    wide = int(MAX_PARAMS ** 0.5) + 1
    return setting, draw(st.sampled_from([[784], [784, 0, 10], [784, wide, wide, 10],
                                          [2] * (MAX_LAYERS + 1), "784-x-10", [784.5, 10]]))


@settings(max_examples=150, deadline=None)
@given(_bad_value())
def test_a_value_outside_the_spec_is_one_notice_and_the_default(bad):
    setting, value = bad
    config, notices = TrainConfig.from_dict({setting.name: value})
    assert len(notices) == 1 and "\n" not in notices[0]
    assert notices[0].startswith(f"setting {setting.name}: ") and "default" in notices[0]
    assert getattr(config, setting.name) == setting.default
    with pytest.raises(ValueError, match=f"^setting {setting.name}: "):
        TrainConfig(**{setting.name: value})
    with pytest.raises(ValueError, match=f"setting {setting.name}: ") as refused:
        TrainConfig.from_saved({setting.name: value})
    assert "default" not in str(refused.value)  # nothing stands in for it


@settings(max_examples=150, deadline=None)
@given(_bad_value())
def test_a_value_outside_the_spec_is_refused_by_its_flag(bad):
    setting, value = bad
    if setting.kind is bool:  # a switch takes no value: --x or --no-x
        argv = ["train", f"{setting.flag}={value}"]
    else:
        text = "-".join(map(str, value)) if isinstance(value, list) else str(value)
        argv = ["train", setting.flag, text]
    with pytest.raises(UsageError) as refused:
        build_parser().parse_args(argv)
    assert f"argument {setting.flag}" in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("setting", NUMBERS, ids=lambda s: s.name)
def test_the_ends_of_a_range_are_allowed_everywhere(setting):
    for value in (setting.low, setting.high):
        text = str(value)
        args = build_parser().parse_args(["train", setting.flag, text])
        assert getattr(args, setting.name) == value
        assert getattr(TrainConfig(**{setting.name: value}), setting.name) == value
        config, notices = TrainConfig.from_dict({setting.name: value})
        assert not notices and getattr(config, setting.name) == value


def test_the_help_gives_each_flag_its_range_and_choices(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for setting in SETTINGS:
        assert setting.flag in text
    assert "from 1e-06 to 10,000" in text and "from 0 to 2,147,483,647" in text
    assert "--augment, --no-augment" in text and "--shuffle-labels, --no-shuffle-labels" in text
    assert "--activation {sigmoid,relu,tanh}" in text and "(1,000,000 epochs" not in text
    assert "(from 0.01 to 1; 3b1b: 0.85)" in text


def test_a_config_is_converted_as_it_is_checked():
    config = TrainConfig(layers=[2, 3, 1], lr=3)
    assert config.layers == (2, 3, 1) and isinstance(config.lr, float) and config.lr == 3.0
    with pytest.raises(ValueError, match="setting epochs: True is not a number"):
        TrainConfig(epochs=True)
    with pytest.raises(ValueError, match="setting batch_size: 2.5 is not a whole number"):
        TrainConfig(batch_size=2.5)
    for value, shown in [(1e308, "1e+308"), (float("inf"), "inf"), (float("nan"), "nan"),
                         (10**400, "1e+400"), (-(10**20) - 7, "-1e+20")]:  # not fractions
        with pytest.raises(ValueError, match=re.escape(f"setting batch_size: {shown} is not "
                                                       "between 1 and 60,000")):
            TrainConfig(batch_size=value)


def test_an_unreadable_settings_object():
    assert TrainConfig.from_dict([1, 2]) == (TrainConfig(), [
        "the saved training settings are not readable: defaults used"])
    with pytest.raises(ValueError, match="not a JSON object"):
        TrainConfig.from_saved("lr=1")
