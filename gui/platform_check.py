"""Can Qt open a window here? Checked before Qt tries, which on failure aborts the process
(exit 134) with a hint to reinstall the application.

On Linux and the BSDs Qt draws through the X11 plugin (xcb) or the Wayland one. Each needs
a display to connect to (DISPLAY, WAYLAND_DISPLAY) and system libraries that the PySide6
wheel does not ship; the X11 list is the xcb plugin's own dependencies (``ldd
libqxcb.so``; Qt's "X11 requirements" page). Each library is loaded with ctypes, as Qt's
plugin loader would, and the display is connected to with the same library Qt uses.
QT_QPA_PLATFORM set by the user (offscreen, vnc, eglfs…) is taken as it is.
"""

import ctypes
import os
import sys
from pathlib import Path

from digit_descent.engine import DigitDescentError

# soname → the Debian/Ubuntu package that has it
X11_LIBRARIES = {
    "libxcb.so.1": "libxcb1", "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1",
    "libglib-2.0.so.0": "libglib2.0-0", "libdbus-1.so.3": "libdbus-1-3",
}
WAYLAND_LIBRARIES = {
    "libwayland-client.so.0": "libwayland-client0", "libwayland-cursor.so.0":
    "libwayland-cursor0", "libwayland-egl.so.1": "libwayland-egl1",
    "libxkbcommon.so.0": "libxkbcommon0", "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
}
HEADLESS = ("the command line needs none (digit-descent train, eval, lesson --headless, "
            "record), and QT_QPA_PLATFORM=offscreen runs the window without a screen")


class DisplayError(DigitDescentError):
    """The window cannot be opened here: no display, or a library Qt needs is missing."""


def check_display(environ=None, load=ctypes.CDLL, plugins=None):
    """Raise DisplayError, naming what is missing, if Qt could not open a window.

    ``environ``: the environment (default ``os.environ``); ``load(soname)``: loads a shared
    library or raises OSError (ctypes.CDLL); ``plugins``: Qt's plugin folder (asked of Qt
    by default). Does nothing on Windows and macOS or when QT_QPA_PLATFORM is set.
    """
    environ = os.environ if environ is None else environ
    if sys.platform in ("win32", "darwin") or environ.get("QT_QPA_PLATFORM"):
        return
    wayland, x11 = environ.get("WAYLAND_DISPLAY"), environ.get("DISPLAY")
    if not wayland and not x11:
        raise DisplayError("no display to open the window on (DISPLAY and WAYLAND_DISPLAY "
                           f"are not set: an ssh session without -X, or a server); {HEADLESS}")
    if wayland and not _missing(WAYLAND_LIBRARIES, load) and _wayland_answers(load):
        return  # Qt takes Wayland when it can; otherwise it falls back to X11
    if not x11:
        _raise_if_missing(_missing(WAYLAND_LIBRARIES, load), "Wayland")
        raise DisplayError(f"the Wayland display {wayland!r} does not answer; {HEADLESS}")
    missing = _missing(X11_LIBRARIES, load)
    if not missing:
        missing = _plugin_missing(load, plugins)
    _raise_if_missing(missing, "X11")
    if not _x11_answers(load):
        raise DisplayError(f"cannot connect to the X11 display {x11!r} (is it running, and "
                           f"may you use it?); {HEADLESS}")


def _missing(libraries, load):
    missing = {}
    for soname, package in libraries.items():
        try:
            load(soname)
        except OSError:
            missing[soname] = package
    return missing


def _plugin_missing(load, plugins):
    """A library the xcb plugin needs beyond the list, as the loader names it."""
    if plugins is None:
        from PySide6.QtCore import QLibraryInfo

        plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    plugin = Path(plugins) / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return {}
    try:
        load(str(plugin))
    except OSError as exc:  # "libfoo.so.1: cannot open shared object file: …"
        return {str(exc).split(":")[0].strip(): None}
    return {}


def _raise_if_missing(missing, system):
    if missing:
        packages = [p for p in missing.values() if p]
        install = f" (Debian/Ubuntu: sudo apt install {' '.join(packages)})" if packages else ""
        raise DisplayError(f"the window needs the {system} libraries {', '.join(missing)}, "
                           f"which are not installed{install}; README's Install section lists "
                           "them")


def _x11_answers(load):
    xcb = load("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = (ctypes.c_char_p, ctypes.c_void_p)
    xcb.xcb_connection_has_error.argtypes = (ctypes.c_void_p,)
    xcb.xcb_disconnect.argtypes = (ctypes.c_void_p,)
    connection = xcb.xcb_connect(None, None)  # never NULL: an error connection at worst
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def _wayland_answers(load):
    client = load("libwayland-client.so.0")
    client.wl_display_connect.restype = ctypes.c_void_p
    client.wl_display_connect.argtypes = (ctypes.c_char_p,)
    client.wl_display_disconnect.argtypes = (ctypes.c_void_p,)
    display = client.wl_display_connect(None)
    if not display:
        return False
    client.wl_display_disconnect(display)
    return True
