"""Captions whose numbers are computed: a caption is a template whose fields name figures of
its lesson's headline (the experiment's last line), e.g. ``{test_accuracy:.1%}`` or
``{fit_error.16:.2g}`` (a dotted path into nested dicts; list items by index).

The figures the captions show are recorded from full runs in ``figures.json`` (written by
``bench/captions.py --write``); :func:`differences` compares a caption's numbers with a fresh
run's, as formatted, so a caption cannot quote a number its experiment no longer gives.
"""

import json
import string
from importlib.resources import files

FIGURES = "figures.json"


class _Formatter(string.Formatter):
    """Resolves ``{a.b.c:spec}`` in the mapping passed as ``figures``: first as one recorded
    key ``"a.b.c"``, else as a path into nested dicts and lists."""

    def get_field(self, field_name, args, kwargs):
        return resolve(kwargs["figures"], field_name), field_name


_FORMATTER = _Formatter()


def resolve(figures, path):
    """The value at ``path`` (``"a.b"``) of ``figures``; KeyError naming the path if none."""
    value, parts, i = figures, path.split("."), 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest key first: "0.01" is one key
            key = ".".join(parts[i:j])
            if isinstance(value, dict) and key in value:
                value, i = value[key], j
                break
            if isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value, i = value[int(key)], j
                break
        else:
            raise KeyError(f"no figure {path!r}")
    return value


def fields(template):
    """The ``(path, format spec)`` of each field of ``template``, in order."""
    return [(name, spec) for _, name, spec, _ in _FORMATTER.parse(template or "")
            if name is not None]


MISSING = "[?]"


def fill(template, figures, strict=True):
    """``template`` with its fields filled from ``figures``; a field ``figures`` lacks
    raises KeyError, or shows as ``[?]`` if not ``strict``."""
    if not template:
        return template
    if not strict:
        figures = {path: _value_or_missing(figures, path) for path, _ in fields(template)}
    return _FORMATTER.format(template, figures=figures)


class _Missing:
    def __format__(self, spec):
        return MISSING


def _value_or_missing(figures, path):
    try:
        return resolve(figures, path)
    except KeyError:
        return _Missing()


def differences(templates, recorded, fresh):
    """Each field of ``templates`` whose recorded figure, as the caption shows it, differs
    from the fresh run's: ``[(path, caption's text, fresh text)]`` (a field the fresh run
    lacks shows as ``"missing"``)."""
    found = []
    for template in templates:
        for path, spec in fields(template):
            shown = format(resolve(recorded, path), spec)
            try:
                new = format(resolve(fresh, path), spec)
            except KeyError:
                new = "missing"
            if new != shown:
                found.append((path, shown, new))
    return found


def recorded_figures():
    """``{lesson name: {path: value}}`` as recorded in figures.json."""
    return json.loads(files(__package__).joinpath(FIGURES).read_text(encoding="utf-8"))


def recordable(templates, headline):
    """``{path: value}`` of every field of ``templates`` in ``headline``: what figures.json
    keeps of a lesson's fresh run."""
    return {path: resolve(headline, path) for t in templates for path, _ in fields(t)}
