"""The package as it is installed: one import name, its data and lessons inside, and no
generic top-level module that another distribution could replace."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import digit_descent

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_one_package_with_its_lessons_and_data(tmp_path):
    # from a clean copy: setuptools would also pack what an earlier build left in build/
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("digit_descent-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"digit_descent",
                                                 wheel.name.split("-py")[0] + ".dist-info"}
    for needed in ("digit_descent/__main__.py", "digit_descent/cli/__init__.py",
                   "digit_descent/engine/lessons/catalogue.py",
                   "digit_descent/engine/lessons/figures.json",
                   "digit_descent/gui/lesson_views/logistic.py",
                   "digit_descent/gui/panels/cost.py", "digit_descent/resources/mnist.npz",
                   "digit_descent/resources/strong.npz"):
        assert needed in names
    assert not [n for n in names if n.startswith(("digit_descent/tests", "digit_descent/bench",
                                                   "digit_descent/scripts"))]
    # pyproject lists the packages one by one: a new folder must not be left out
    sources = {f"digit_descent/{p.relative_to(source).as_posix()}"
               for folder in ("cli", "engine", "gui") for p in (source / folder).rglob("*")
               if p.suffix in (".py", ".json") and "__pycache__" not in p.parts}
    missing = sorted(sources - set(names))
    assert not missing, f"missing from the wheel: {', '.join(missing)}"


def test_a_package_with_a_top_level_cli_and_gui_does_not_replace_ours(tmp_path):
    """Another distribution's ``cli.py`` and ``gui/`` first on the path change nothing."""
    (tmp_path / "cli.py").write_text("print('the other program'); raise SystemExit(7)\n")
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "__init__.py").write_text("raise ImportError('the other gui')\n")
    (tmp_path / "engine.py").write_text("raise ImportError('the other engine')\n")
    run = subprocess.run([sys.executable, "-m", "digit_descent", "--version"], cwd=tmp_path,
                         capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"digit-descent {digit_descent.__version__}"


def test_the_tests_run_against_the_installed_package():
    """README's test command installs the package (not in editable mode): what is tested is
    what users get. An editable install is fine for development."""
    location = Path(digit_descent.__file__).resolve().parent
    assert (location / "resources" / "mnist.npz").is_file()
    assert (location / "engine" / "lessons" / "catalogue.py").is_file()
