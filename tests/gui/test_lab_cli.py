"""``digit-descent lab``: its flags, and a bad points file refused in one line before any window."""

import pytest

from digit_descent.cli import build_parser, main
from digit_descent.cli.lab import lab_config


def test_the_lab_flags_make_a_lab_config():
    args = build_parser().parse_args(["lab", "--dataset", "arms", "--classes", "4",
                                      "--hidden", "8-8", "--activation", "relu"])
    cfg = lab_config(args)
    assert (cfg.dataset, cfg.classes, cfg.hidden, cfg.activation) == ("arms", 4, (8, 8), "relu")
    assert lab_config(build_parser().parse_args(["lab", "--dataset", "sine"])).features == ("x",)
    cfg = lab_config(build_parser().parse_args(["lab", "--regularization", "L1", "--rate",
                                                "0.01"]))
    assert (cfg.regularization, cfg.reg_rate, cfg.l1, cfg.l2) == ("L1", 0.01, 0.01, 0.0)
    cfg = lab_config(build_parser().parse_args(["lab", "--dataset", "multigauss"]))
    assert cfg.surface and cfg.regression and not cfg.curve and cfg.features == ("x", "y")


@pytest.mark.parametrize("argv, says", [
    (["lab", "--dataset", "blobs", "--classes", "9"], "2 to 5 classes"),
    (["lab", "--hidden", "4-x"], "--hidden"),
    (["lab", "--hidden", "99"], "1 to 16 neurons"),
    (["lab", "--regularization", "L2", "--rate", "5"], "λ must be from 0 to 1"),
    (["lab", "--rate", "nan"], "λ must be from 0 to 1"),
    (["lab", "--hidden=-4"], "hidden layers are whole numbers like 4-2, got '-4'"),
    (["lab", "--hidden", "4--2"], "got '4--2'"),
    (["lab", "--dataset", "sine", "--points", "p.csv"], "--points gives the data"),
    (["lab", "--classes", "4"], "--classes is for blobs and arms; circle has its own"),
])
def test_bad_flags_are_one_line_and_exit_2(capsys, argv, says):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1


def test_a_bad_points_file_is_refused_before_any_window(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,label\n1,2,0\n3,oops,1\n")
    assert main(["lab", "--points", str(bad)]) == 2
    assert "bad.csv, line 3" in capsys.readouterr().err


def test_the_lab_packages_are_installed_with_the_app():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    packages = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert {"digit_descent.engine.lab", "digit_descent.gui.lab"} <= set(packages)
