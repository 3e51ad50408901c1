"""Lessons: the classic experiments, each set up in one click and reproduced with its number.

A :class:`Lesson` is data the app follows stage by stage (what to show, what to train, what
the caption says) plus a headless experiment that yields JSON-ready dicts, the last of which
holds the lesson's headline figures. Nothing here imports Qt.
"""

from .catalogue import LESSONS
from .lesson import Lesson, Stage

__all__ = ["LESSONS", "Lesson", "Stage", "lesson", "lessons", "sources"]


def lessons():
    """All lessons, in teaching order."""
    return LESSONS


def lesson(name):
    """The lesson called ``name``; ValueError listing them all if there is none."""
    found = {l.name: l for l in lessons()}
    if name not in found:
        raise ValueError(f"no lesson {name!r}; choose from {', '.join(found)}")
    return found[name]


def sources():
    """The texts the lessons follow, each once, in teaching order (for About and credits)."""
    found = []
    for item in lessons():
        for source in item.source.split("; "):
            if source not in found:
                found.append(source)
    return tuple(found)
