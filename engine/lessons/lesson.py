"""A lesson and its stages: what the app follows, stage by stage."""

from dataclasses import dataclass, field, replace

from .captions import fill


@dataclass(frozen=True)
class Stage:
    """One step of a lesson (Page Down goes to the next).

    caption : what to watch for, two or three sentences; in the catalogue a template whose
        ``{fields}`` name figures of the lesson's experiment (see :mod:`.captions`).
    panels : the panels shown, in reading order (one to four; none when the stage's lesson
        view is the whole picture: it has the room to itself).
    train_to : train until this epoch has ended (None: training is left as it is).
    restart : restart from the same initial weights with these settings changed; the run so
        far stays on the cost panel as a faint ghost labelled ``ghost``.
    surface, balls : a teaching surface, and balls ``(x, y, η)`` dropped on it and set rolling.
    ball_pace : the balls' steps per second (None: the panel's own speed), slow enough for
        the caption to be read while they roll.
    pace : mini-batches per second while the stage trains (None: flat out), so that what the
        caption says happens happens while it is being said.
    show : a view the app opens: ``noise`` (noise images and the answers), ``backprop`` (one
        image's backpropagation), ``cell A B`` (the confusion-matrix cell actual A → read B),
        ``model strong`` (the shipped strong model), ``trask`` (the exact printout), or one
        of the lesson views (gui/lesson_views): ``logistic`` (``logistic-descent``: rolling),
        ``chain-rule``, ``activation-curves``, ``trask-tables``, ``universal-fit``,
        ``depth-width``.
    """

    caption: str
    panels: tuple = ("cost",)
    train_to: int = None
    restart: dict = None
    ghost: str = ""
    surface: str = None
    balls: tuple = ()
    ball_pace: float = None
    pace: float = None
    show: str = None


@dataclass(frozen=True)
class Lesson:
    """A lesson: ``config`` is the training set-up it opens with (a :class:`TrainConfig`),
    ``source`` the text it follows, ``run(short=False, data=None)`` its headless experiment
    (``short``: a quick check on a fraction of the data; ``data``: a folder the lesson needs).
    ``templates`` are the stages as written, their captions and views templates; ``stages``
    the same filled with the recorded figures."""

    name: str
    title: str
    source: str
    config: object
    stages: tuple
    run: callable = field(repr=False)
    needs_data: str = ""  # what ``data`` must be, for lessons that cannot use embedded data
    templates: tuple = field(default=(), repr=False)

    def caption_templates(self):
        """Every template of the lesson (captions, then views), for the caption check."""
        return [s.caption for s in self.templates] + [s.show for s in self.templates if s.show]


def measured(lesson, figures):
    """``lesson`` with its stages' captions and views filled from ``figures`` (the recorded
    figures of its experiment); a field the figures lack shows as ``[?]`` (the tests make
    sure none does)."""
    stages = tuple(replace(s, caption=fill(s.caption, figures, strict=False),
                           show=fill(s.show, figures, strict=False) if s.show else s.show)
                   for s in lesson.stages)
    return replace(lesson, stages=stages, templates=lesson.stages)
