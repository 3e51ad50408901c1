"""Every command of the window, declared once: its menu, toolbar button, shortcut(s) and line
in Help → Keyboard shortcuts are all made from :data:`ACTIONS`.

A row's ``run(window)`` is the handler. Rows whose ``menu`` is a :class:`Slot` stand for
entries made from data (the panels, the lessons): the window passes their actions in.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from . import style
from .presenter import ARRANGEMENTS

APP_NAME = "Digit Descent"
MENUS = ("&File", "&View", "&Train", "&Lessons", "&Help")
HELP_ORDER = ("Train", "View", "Lessons", None, "File", "Help")  # the key list's groups
KEY_NAMES = {"Right": "→", "Left": "←", "PgDown": "Page Down", "PgUp": "Page Up",
             "Esc": "Escape", "-": "−"}  # as printed on keyboards, for the key list


@dataclass(frozen=True)
class Action:
    """One command. ``menu``: "File", "View"… (None: a shortcut only); ``separator``: a line
    above it in its menu; ``toolbar``: a button on the training toolbar; ``anywhere``: its
    keys win over a focused field (:mod:`gui.keys`); ``help``: its line in the key list
    (``help_keys`` overrides the keys shown there, for a family of actions)."""

    name: str
    text: str
    run: object
    shortcuts: tuple = ()
    menu: str = None
    tip: str = None
    help: str = None
    help_keys: str = None
    separator: bool = False
    toolbar: bool = False
    anywhere: bool = False
    checkable: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class Slot:
    """Entries made from data at this place in ``menu`` (``name``: the window's key for them;
    ``submenu``: their own submenu's title)."""

    name: str
    menu: str
    submenu: str = None
    separator: bool = False


def _open_lab(window):
    from .lab import open_lab  # its modules load when it is first opened

    return open_lab(window)


def _arrangements():
    rows = []
    for n, keys in ARRANGEMENTS.items():
        rows.append(Action(
            f"arrangement{n}", f"Arrangement {n}: {', '.join(keys)}",
            lambda w, n=n: w.presenter.arrange(n), (str(n),), "View", enabled=False,
            separator=n == 1, help_keys=f"1 – {len(ARRANGEMENTS)}" if n == 1 else None,
            help=("In the presenter view: 1 cost · 2 + weights · 3 + confusion matrix · 4 + pad "
                  "(or the arrangements you kept)") if n == 1 else None))
    for n in ARRANGEMENTS:
        rows.append(Action(
            f"keep_arrangement{n}", f"Keep the panels on screen as arrangement {n}",
            lambda w, n=n: w.keep_arrangement(n), (f"Ctrl+{n}",), "View",
            help_keys=f"Ctrl+1 – Ctrl+{len(ARRANGEMENTS)}" if n == 1 else None,
            help="Keep the panels on screen (up to four) as arrangement 1–4" if n == 1 else None))
    return rows


ACTIONS = (
    # File
    Action("open_model", "Open model…", lambda w: w.files.open_model_dialog(), ("Ctrl+O",),
           "File", help="Open a model"),
    Action("save_model", "Save model…", lambda w: w.files.save_model_dialog(), ("Ctrl+S",),
           "File", help="Save the model"),
    Action("open_session", "Open session…", lambda w: w.files.open_session_dialog(),
           ("Ctrl+Shift+O",), "File", help="Open a session (the whole run, rewind included)"),
    Action("save_session", "Save session…", lambda w: w.files.save_session_dialog(),
           ("Ctrl+Shift+S",), "File", help="Save the session (the whole run, rewind included)"),
    Action("open_dataset", "Open dataset…", lambda w: w.files.open_dataset_dialog(), (),
           "File", separator=True),
    Slot("export", "File", "Export picture of a panel", separator=True),
    Action("export_csv", "Export cost history (CSV)…", lambda w: w.files.export_csv_dialog(),
           (), "File"),
    Action("record", "Record…", lambda w: w.show_record_dialog(), (), "File",
           tip="Film the run so far as an MP4 or animated GIF of chosen panels"),
    Action("quit", "Quit", lambda w: w.close(), ("Ctrl+Q",), "File", separator=True,
           help="Quit"),
    # View
    Slot("docks", "View"),
    Action("zoom_in", "Zoom in", lambda w: w.zoom(style.ZOOM_STEP), ("Ctrl++", "Ctrl+="),
           "View", "Larger text, lines and markers everywhere", separator=True, anywhere=True,
           help="Zoom in: larger text, lines and markers"),
    Action("zoom_out", "Zoom out", lambda w: w.zoom(1 / style.ZOOM_STEP), ("Ctrl+-",),
           "View", "Smaller text, lines and markers", anywhere=True, help="Zoom out"),
    Action("zoom_reset", "Actual size", lambda w: w.zoom(None), ("Ctrl+0",), "View",
           anywhere=True, help="Zoom back to actual size"),
    Action("presenter", "Presenter view", lambda w: w.toggle_presenter(), ("F5",), "View",
           "Full-screen dashboard of the panels, large type", separator=True, anywhere=True,
           help="Presenter view: the panels full screen in large type (Esc leaves)"),
    *_arrangements(),
    Action("fullscreen", "Full screen", lambda w: w.toggle_full_screen(), ("F11",), "View",
           separator=True, anywhere=True, checkable=True, help="Full screen"),
    Action("reset_layout", "Reset layout", lambda w: w.reset_layout(), (), "View"),
    Action("lab", "2-D lab…", lambda w: _open_lab(w), ("Ctrl+L",), "View", separator=True,
           tip="Small networks seen whole: decision boundaries, nodes and links, the maths "
               "with numbers", help="the 2-D lab (a window of its own)"),
    # Train
    Action("train", "Train", lambda w: w.toggle_training(), ("Space",), "Train",
           "Train / pause", toolbar=True, anywhere=True, help="Train / pause"),
    Action("step", "Step", lambda w: w.controller.step(), ("Right",), "Train",
           "One mini-batch of gradient descent", toolbar=True, anywhere=True,
           help="One mini-batch step"),
    Action("epoch", "Epoch", lambda w: w.controller.run_epoch(), ("Ctrl+E",), "Train",
           "Train one whole epoch", toolbar=True, anywhere=True, help="Train one epoch"),
    Action("reset", "Reset", lambda w: w.reset_weights(), ("Ctrl+R",), "Train",
           "New random weights from the seed", toolbar=True, anywhere=True,
           help="Reset: new random weights from the seed"),
    Action("earlier", "Back one recorded step", lambda w: w.timeline.nudge(-1), ("Ctrl+Left",),
           "Train", "Rewind: the panels as they were one recorded step earlier", separator=True,
           anywhere=True, help="Rewind: one recorded step earlier"),
    Action("later", "Forward one recorded step", lambda w: w.timeline.nudge(1),
           ("Ctrl+Right",), "Train", anywhere=True, help="Rewind: one recorded step later"),
    Action("live", "Back to live", lambda w: w.timeline.back_to_live(), ("End",), "Train",
           "The panels follow training again after rewinding", anywhere=True,
           help="Back to live after rewinding"),
    Action("resume", "Resume from here", lambda w: w.timeline.resume_here(), (), "Train",
           "Train on from the step shown (a new branch)"),
    Action("restart", "Restart with the same initial weights", lambda w: w.restart_same_weights(),
           (), "Train"),
    # Lessons
    Slot("lessons", "Lessons"),
    Action("next_stage", "Next stage", lambda w: w.lesson_player.next_stage(), ("PgDown",),
           "Lessons", "The lesson's next stage", separator=True, anywhere=True,
           help="A lesson's next stage (a presentation clicker)"),
    Action("previous_stage", "Previous stage", lambda w: w.lesson_player.previous_stage(),
           ("PgUp",), "Lessons", "The lesson's stage before", anywhere=True,
           help="A lesson's previous stage"),
    Action("replay_balls", "Replay the balls", lambda w: w.surface_panel.replay_balls(),
           ("R",), "Lessons", "Roll the loss surface's balls again from where they started",
           help="Replay the balls on the loss surface from their starts"),
    Action("close_lesson", "Close the lesson", lambda w: w.lesson_player.close(), (), "Lessons"),
    # Help
    Action("shortcuts", "Keyboard shortcuts", lambda w: w.show_shortcuts(), (), "Help"),
    Action("panel_help", "What the panels show", lambda w: w.show_panel_help(), (), "Help"),
    Action("about", f"About {APP_NAME}", lambda w: w.show_about(), (), "Help"),
    # Keys only
    Action("leave_field", "Leave the field", lambda w: w.leave_field(), ("Escape",),
           tip="Give the keys back to the window", anywhere=True,
           help="Leave a text field or the presenter view: the keys above work wherever the "
                "focus is, except the arrow keys inside the layers field"),
)


def make_action(window, text, slot, shortcuts=(), tip=None, checkable=False):
    """A QAction of ``window`` (its shortcuts work anywhere in the window)."""
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.WindowShortcut)
    tip = tip or text
    keys = QKeySequence(shortcuts[0]).toString(QKeySequence.NativeText) if shortcuts else ""
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build(window, toolbar, slots):
    """Make every action of :data:`ACTIONS` for ``window``: the menus on its menu bar, the
    ``toolbar`` buttons, and ``slots`` (name → list of QAction) at their places. Returns
    ``(actions by name, the actions whose keys win over a focused field)``."""
    actions, anywhere = {}, []
    menus = {title.replace("&", ""): window.menuBar().addMenu(title) for title in MENUS}
    for row in ACTIONS:
        menu = menus.get(row.menu)
        if menu is not None and row.separator:
            menu.addSeparator()
        if isinstance(row, Slot):
            target = menu.addMenu(row.submenu) if row.submenu else menu
            target.addActions(slots[row.name])
            continue
        action = make_action(window, row.text, lambda _=False, run=row.run: run(window),
                             row.shortcuts, row.tip, row.checkable)
        action.setEnabled(row.enabled)
        actions[row.name] = action
        if menu is not None:
            menu.addAction(action)
        if row.toolbar:
            toolbar.addAction(action)
        if row.anywhere:
            anywhere.append(action)
    return actions, anywhere


def key_list():
    """Help → Keyboard shortcuts: ``(keys, what they do)`` rows, in the table's order."""
    rows = []
    for row in sorted((r for r in ACTIONS if isinstance(r, Action)),
                      key=lambda r: HELP_ORDER.index(r.menu)):
        if row.help:
            keys = row.help_keys or "+".join(
                KEY_NAMES.get(part, part) for part in _split_keys(
                    QKeySequence(row.shortcuts[0]).toString(QKeySequence.NativeText)))
            rows.append((keys, row.help))
    return rows


def _split_keys(text):
    """"Ctrl++" → ["Ctrl", "+"]; "Ctrl+Shift+O" → ["Ctrl", "Shift", "O"]."""
    parts = text.split("+")
    return parts[:-2] + ["+"] if text.endswith("++") else parts
