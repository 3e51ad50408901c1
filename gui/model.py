"""The application model: the one place the GUI keeps what the run and the views are.

napari's way: plain attributes behind setters that emit a Qt signal when the value really
changes. Widgets write here and are updated from the signals (blocking their own signals
while they are, so nothing loops): the panels, the lessons and the window read it here
rather than keeping copies of their own.

::

    controls, timeline, lessons, panels ──write──> AppModel
    AppModel ──signals──> controls, status line, cost panel (ghosts), pad → activations,
                          timeline, lesson player, TrainingController (η, run number…)

The run number (``run``) is echoed by the training thread in every snapshot
(:attr:`engine.snapshot.Snapshot.run`): a snapshot of an older run is never shown.
"""

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from digit_descent.engine.session_io import SavedGhost

LIVE_SETTINGS = ("lr", "batch_size", "epochs")  # changed mid-run, without a new run


@dataclass(frozen=True, eq=False)
class GhostRun(SavedGhost):
    """An earlier run kept faint on the cost panel: only what the curves need, not the
    weights, as a session file keeps it. The fields are named like a
    :class:`~engine.snapshot.Snapshot`'s: ``history`` is ``(samples_seen, raw_cost,
    mean_cost)``, ``reports`` the epoch reports."""

    @classmethod
    def of(cls, label, snapshot):
        return cls(label, snapshot.history, snapshot.history_stride, snapshot.step,
                   snapshot.n_train, snapshot.reports)


class AppModel(QObject):
    """What the GUI shows and trains, one copy of each.

    Attributes (read them; change them through the setters)
    ----------
    config : TrainConfig
        the run's settings with the live η, batch size and epoch target.
    run : int
        the current run's number; a new run (reset, restart, a lesson stage's restart,
        an opened session or model, resume-from-here, new settings) gets the next one.
    viewed : Snapshot or None
        the older step the timeline shows, None when the panels follow training.
    ghosts : tuple of GhostRun
        earlier runs drawn faint on the cost panel.
    input : (ndarray, int or None) or None
        the image (28×28 grey, values 0–1) read by the pad and the activations, and its label.
    neuron : (int, int) or None
        the chosen neuron: (layer, index).
    stage : (Lesson, int) or None
        the open lesson and the index of its stage.

    Signals carry the new value; ``notice(str)`` is a problem to show the user.
    """

    configChanged = Signal(object)
    liveChanged = Signal(str, object)  # a live setting (LIVE_SETTINGS) and its new value
    runChanged = Signal(int)
    viewedChanged = Signal(object)
    ghostsChanged = Signal(tuple)
    inputChanged = Signal(object)
    inputChosen = Signal(object)  # an image sent to the pad from another view: (image, label)
    neuronChanged = Signal(object)
    stageChanged = Signal(object)
    notice = Signal(str)

    def __init__(self, config, parent=None):
        super().__init__(parent)
        self.config = config
        self.run = 0
        self.viewed = None
        self.ghosts = ()
        self.input = None
        self.neuron = None
        self.stage = None

    # ------------------------------------------------------------ the run
    def set_live(self, **changes):
        """Change the live settings (``lr``, ``batch_size``, ``epochs``) of the run."""
        unknown = set(changes) - set(LIVE_SETTINGS)
        if unknown:
            raise ValueError(f"not a live setting: {', '.join(sorted(unknown))}")
        old, self.config = self.config, self.config.replace(**changes)
        for name, value in changes.items():
            if getattr(old, name) != value:
                self.liveChanged.emit(name, value)
        if self.config != old:
            self.configChanged.emit(self.config)

    def begin_run(self, config=None):
        """A new run (of ``config``, if given): returns its number for the training thread."""
        self.run += 1
        self.runChanged.emit(self.run)
        if config is not None and config != self.config:
            self.config = config
            self.configChanged.emit(config)
        return self.run

    def adopt(self, config):
        """The settings the training thread actually runs, when it refused the ones asked
        for (it keeps the old run's): the live η, batch size and epoch target stay."""
        config = config.replace(**{name: getattr(self.config, name) for name in LIVE_SETTINGS})
        if config != self.config:
            self.config = config
            self.configChanged.emit(config)

    def current(self, snapshot):
        """True if ``snapshot`` belongs to the current run."""
        return snapshot is not None and snapshot.run == self.run

    def set_viewed(self, snapshot):
        if snapshot is not self.viewed:
            self.viewed = snapshot
            self.viewedChanged.emit(snapshot)

    # ------------------------------------------------------------ ghosts
    def add_ghost(self, label, snapshot):
        """Keep ``snapshot``'s run (if it has trained at all) as a ghost labelled ``label``."""
        if snapshot is not None and snapshot.step:
            self.ghosts = (*self.ghosts, GhostRun.of(label, snapshot))
            self.ghostsChanged.emit(self.ghosts)

    def clear_ghosts(self):
        if self.ghosts:
            self.ghosts = ()
            self.ghostsChanged.emit(())

    # --------------------------------------------------------- selections
    def set_input(self, image, label=None):
        """The image the pad reads now (its own drawing, or one chosen elsewhere)."""
        if self.input is None or self.input[0] is not image or self.input[1] != label:
            self.input = (image, label)
            self.inputChanged.emit(self.input)

    def choose_input(self, image, label=None):
        """Send ``image`` (an example of the data set, and its label or None) to the pad from
        another view (the pad reads 28×28 grey images only: it says so for others)."""
        self.inputChosen.emit((image, label))

    def set_neuron(self, layer, neuron):
        self.neuron = (layer, neuron)
        self.neuronChanged.emit(self.neuron)

    def set_stage(self, lesson, index):
        """The lesson open and the stage shown (``lesson`` None: no lesson); emitted every
        time a stage is shown, the same one again included."""
        self.stage = None if lesson is None else (lesson, index)
        self.stageChanged.emit(self.stage)
