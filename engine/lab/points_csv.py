"""Points of one's own: ``x, y, label`` rows in a CSV file, read and written.

One row a point: two numbers (the plane is ``[-6, 6]²``; anything farther out is refused)
and a class label 0–4. A first row of words (a header) and blank lines are skipped. Reading
is bounded (at most MAX_BYTES, MAX_POINTS rows) and a bad file raises :class:`DataError`
with one line naming the file, the line and what is wrong there.
"""

import csv
import io
import math
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..files import check_regular_file
from ..model_io import atomic_write
from .datasets import DOMAIN, MAX_CLASSES

MAX_BYTES = 1 << 20
MAX_POINTS = 10_000


def read_points(path):
    """``(xy (n, 2) float32, labels (n,) int64)`` from the CSV file ``path``.

    Raises DataError: not a regular file, too large, not text, a row that is not
    ``x, y, label``, a coordinate outside ``[-6, 6]`` or not finite, a label outside 0–4,
    fewer than two points or only one class.
    """
    path = Path(path)
    check_regular_file(path, DataError)
    with open(path, "rb") as f:
        raw = f.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DataError(f"{path}: larger than {MAX_BYTES >> 20} MB; a points file holds at most "
                        f"{MAX_POINTS:,} rows of x, y, label")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text file of x, y, label rows") from None
    xy, labels = [], []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and not _numeric(cells[0]):
            continue  # a header
        if len(xy) == MAX_POINTS:
            raise DataError(f"{path}: more than {MAX_POINTS:,} points")
        point, label = _row(path, number, cells)
        xy.append(point)
        labels.append(label)
    if len(xy) < 2:
        raise DataError(f"{path}: needs at least two points (rows of x, y, label)")
    labels = np.array(labels, np.int64)
    if np.unique(labels).size < 2:
        raise DataError(f"{path}: every point is of class {labels[0]}; a classifier needs two")
    return np.array(xy, np.float32), labels


def write_points(path, xy, labels):
    """Write ``x, y, label`` rows (with a header) to ``path`` atomically
    (:func:`~digit_descent.engine.model_io.atomic_write`: a target that is not a regular
    file is refused with OSError)."""
    lines = ["x,y,label"] + [f"{x:.6g},{y:.6g},{int(c)}" for (x, y), c in zip(xy, labels)]
    text = "\n".join(lines) + "\n"
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def _numeric(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _row(path, number, cells):
    where = f"{path}, line {number}"
    shown = ", ".join(cells)[:60]
    if len(cells) != 3:
        raise DataError(f"{where}: expected x, y, label, got {shown!r}")
    try:
        x, y = float(cells[0]), float(cells[1])
        label = float(cells[2])
    except ValueError:
        raise DataError(f"{where}: expected two numbers and a class label, got {shown!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)) or max(abs(x), abs(y)) > DOMAIN:
        raise DataError(f"{where}: the point ({cells[0][:20]}, {cells[1][:20]}) is outside the "
                        f"plane [-{DOMAIN:g}, {DOMAIN:g}]²")
    if not (label.is_integer() and 0 <= label < MAX_CLASSES):
        raise DataError(f"{where}: the label {cells[2][:20]!r} is not a class 0 to "
                        f"{MAX_CLASSES - 1}")
    return (x, y), int(label)
