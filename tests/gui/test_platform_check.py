"""Before Qt is asked for a window: no display, or a missing library, is one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from digit_descent.gui.platform_check import DisplayError, check_display

LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="Qt's X11 and Wayland plugins")


class Loader:
    """ctypes.CDLL without some libraries, and without a display to connect to."""

    def __init__(self, *missing, x11_answers=True):
        self.missing, self.x11_answers, self.loaded = set(missing), x11_answers, []

    def __call__(self, soname):
        if soname in self.missing:
            raise OSError(f"{soname}: cannot open shared object file: No such file")
        self.loaded.append(soname)
        return FakeLibrary(self.x11_answers)


class FakeLibrary:
    """libxcb and libwayland-client's calls (ctypes sets their types on them)."""

    def __init__(self, answers):
        self.xcb_connect = lambda name, screen: 1234
        self.xcb_connection_has_error = lambda connection: 0 if answers else 2
        self.xcb_disconnect = lambda connection: None
        self.wl_display_connect = lambda name: None  # no Wayland compositor
        self.wl_display_disconnect = lambda display: None


@LINUX_ONLY
def test_without_a_display_it_says_so(tmp_path):
    with pytest.raises(DisplayError, match="no display .*DISPLAY and WAYLAND_DISPLAY"):
        check_display({}, Loader(), tmp_path)


@LINUX_ONLY
def test_a_missing_x11_library_is_named_with_its_package(tmp_path):
    with pytest.raises(DisplayError) as raised:
        check_display({"DISPLAY": ":0"}, Loader("libxcb-cursor.so.0"), tmp_path)
    assert "libxcb-cursor.so.0" in str(raised.value)
    assert "sudo apt install libxcb-cursor0" in str(raised.value)


@LINUX_ONLY
def test_a_library_only_the_plugin_knows_is_named_too(tmp_path):
    plugin = tmp_path / "platforms" / "libqxcb.so"
    plugin.parent.mkdir()
    plugin.write_bytes(b"")

    def load(soname):
        if soname == str(plugin):
            raise OSError("libxcb-new.so.2: cannot open shared object file: No such file")
        return FakeLibrary(True)

    with pytest.raises(DisplayError, match=r"libraries libxcb-new\.so\.2, which are not"):
        check_display({"DISPLAY": ":0"}, load, tmp_path)


@LINUX_ONLY
def test_an_x11_display_that_does_not_answer(tmp_path):
    with pytest.raises(DisplayError, match="cannot connect to the X11 display ':7'"):
        check_display({"DISPLAY": ":7"}, Loader(x11_answers=False), tmp_path)


@LINUX_ONLY
def test_wayland_without_its_libraries_falls_back_to_x11_or_says_so(tmp_path):
    loader = Loader("libwayland-cursor.so.0")
    check_display({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, loader, tmp_path)
    assert "libxcb-cursor.so.0" in loader.loaded  # X11 was checked instead
    with pytest.raises(DisplayError, match="Wayland libraries libwayland-cursor.so.0"):
        check_display({"WAYLAND_DISPLAY": "wayland-0"}, loader, tmp_path)


def test_a_chosen_platform_or_a_working_display_passes(tmp_path):
    check_display({"QT_QPA_PLATFORM": "offscreen"}, Loader("libxcb.so.1"), tmp_path)
    check_display({"DISPLAY": ":0"}, Loader(), tmp_path)


def run_app_without(*names, command=("--preset", "3b1b"), **extra):
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(extra)
    return subprocess.run([sys.executable, "-m", "digit_descent", *command], env=env,
                          capture_output=True, text=True, timeout=60)


@LINUX_ONLY
@pytest.mark.parametrize("command", [("--preset", "3b1b"), ("lab",)])
def test_the_app_without_a_display_is_one_line_and_exit_code_2(command):
    """The lab ran invisibly offscreen, for ever, where the app said this."""
    run = run_app_without("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", command=command)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: no display") and run.stderr.count("\n") == 1


@LINUX_ONLY
def test_an_unreachable_x11_display_is_one_line_and_exit_code_2():
    """Here either a library is missing or nobody answers on :93: either is named."""
    run = run_app_without("WAYLAND_DISPLAY", "QT_QPA_PLATFORM", DISPLAY=":93")
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1
    assert ("cannot connect to the X11 display ':93'" in run.stderr
            or "X11 libraries" in run.stderr)


def test_readme_lists_every_library_the_check_looks_for():
    from digit_descent.gui.platform_check import WAYLAND_LIBRARIES, X11_LIBRARIES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = set(readme.split("Debian/Ubuntu names):", 1)[1].split("Without a display")[0]
                 .split())
    assert set(X11_LIBRARIES.values()) | set(WAYLAND_LIBRARIES.values()) <= listed
