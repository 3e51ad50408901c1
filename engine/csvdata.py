"""Digits as CSV: Kaggle's ``train.csv`` and the ``mnist_train.csv`` kind.

Kaggle's digit-recognizer ``train.csv`` has a header, a ``label`` column and 784 pixel
columns ``pixel0 … pixel783``; ``mnist_train.csv``/``mnist_test.csv`` have no header, the
label first, then 784 pixels. Each row is one image, pixels 0–255 (or floats in [0, 1]).

A CSV holds one set: when ``mnist_test.csv`` lies beside ``mnist_train.csv`` it is the test
set; otherwise (or when that file has no labels, as Kaggle's ``test.csv`` beside its
``train.csv``) the last sixth of the rows (in file order, the same every time) is held out.
Rows are counted before anything is allocated and parsed in blocks.
"""

import itertools
import math
from pathlib import Path

import numpy as np

from .errors import DataError
from .files import MAX_ARRAY_BYTES, check_regular_file

MAX_ROWS = 1_000_000
MAX_LINE = 1 << 20  # characters of one row (784 pixels take at most ~12 KB)
BLOCK_ROWS = 4096
LABEL_NAMES = ("label", "labels", "class", "digit", "target", "y")  # a header's label column
HELD_OUT = 6  # without a test file, the last 1/HELD_OUT of the rows is the test set
NO_LABELS = ("has no label column: it looks like Kaggle's test.csv, which is for "
             "submissions. Open train.csv (a 'label' column, then pixel0 … pixel783)")
OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "bars", " ": "spaces"}


class UnlabelledError(DataError):
    """A CSV of images without labels (Kaggle's ``test.csv``)."""


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _count_rows(path, limit):
    """Lines of ``path`` (an upper bound on its rows), counted in blocks without keeping
    them; raises past ``limit``."""
    rows, last = 0, b"\n"
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            rows += block.count(b"\n")
            last = block[-1:]
            if rows > limit:
                break
    rows += last != b"\n"
    if rows > limit:
        raise DataError(f"{path}: more than {limit:,} rows; the limit is {limit:,} images")
    return rows


def _lines(f, path):
    """``(line number, text)`` of the non-blank lines of ``f``, each at most MAX_LINE long."""
    for number in itertools.count(1):
        line = f.readline(MAX_LINE)
        if not line:
            return
        if len(line) == MAX_LINE and not line.endswith("\n"):
            raise DataError(f"{path}: line {number} is over {MAX_LINE:,} characters long; not "
                            "a CSV of images")
        if line.strip():
            yield number, line


def _layout(path, first):
    """``(has_header, label_column, n_columns)`` from the first line's fields.

    Raises UnlabelledError for a file of pixels only, DataError for any other layout.
    """
    fields = [f.strip().strip('"').lower() for f in first.split(",")]
    if len(fields) == 1:
        used = max(OTHER_SEPARATORS, key=first.strip().count)
        seen = (f": its fields are separated by {OTHER_SEPARATORS[used]}"
                if used in first.strip() else "")
        raise DataError(f"{path}: its first line has no commas: not comma-separated{seen}. "
                        "Save it as CSV with commas (a label, then the pixels, each row)")
    if all(_is_number(f) for f in fields):
        if math.isqrt(len(fields)) ** 2 == len(fields):
            raise UnlabelledError(f"{path}: {len(fields)} columns, all pixels: {NO_LABELS}")
        if math.isqrt(len(fields) - 1) ** 2 != len(fields) - 1:
            raise DataError(f"{path}: {len(fields)} columns; expected a label then the pixels "
                            "of a square image (785 for 28×28)")
        return False, 0, len(fields)
    column = next((fields.index(n) for n in LABEL_NAMES if n in fields), None)
    if column is None:
        raise UnlabelledError(f"{path}: {NO_LABELS}")
    pixels = len(fields) - 1
    if math.isqrt(pixels) ** 2 != pixels:
        raise DataError(f"{path}: {pixels} pixel columns do not make a square image "
                        "(784 for 28×28)")
    return True, column, len(fields)


def _bad_line(path, block, n_columns):
    """The DataError of the first ragged or non-numeric line of ``block`` (of
    ``(line number, text)``)."""
    for number, line in block:
        fields = [f.strip().strip('"') for f in line.split(",")]
        if len(fields) != n_columns:
            return DataError(f"{path}: line {number} has {len(fields)} fields; every row "
                             f"needs {n_columns}")
        for column, field in enumerate(fields, 1):
            if not _is_number(field) or not math.isfinite(float(field)):
                return DataError(f"{path}: line {number}, column {column}: {field.strip()[:20]!r} "
                                 "is not a number")
    return DataError(f"{path}: lines {block[0][0]}–{block[-1][0]} cannot be read")


def _parse(path, block, n_columns):
    """The rows of ``block`` (of ``(line number, text)``) as an array: parsed as integers
    first (five times faster than floats in NumPy's parser), as floats when they are not."""
    text = [line for _, line in block]
    for dtype in (np.int32, np.float32):
        try:
            rows = np.loadtxt(text, delimiter=",", quotechar='"', dtype=dtype, ndmin=2)
        except ValueError:
            continue
        if rows.shape[1] == n_columns:  # rows all of another length parse too
            return rows
        break
    raise _bad_line(path, block, n_columns)


def read_csv(path, max_rows=MAX_ROWS):
    """``(images (n, s, s), labels (n,))`` of a CSV of digits (see the module's docstring).

    Whole pixels 0–255 come back as uint8, others as float32; raises DataError naming the
    file, and for a ragged or non-numeric row its line number.
    """
    path = Path(path)
    check_regular_file(path, DataError)
    try:
        rows = _count_rows(path, max_rows)
        with open(path, encoding="utf-8-sig", errors="replace") as f:  # -sig: Excel's BOM
            lines = _lines(f, path)
            first_number, first = next(lines, (1, ""))
            if not first.strip():
                raise DataError(f"{path}: an empty file")
            has_header, label_column, n_columns = _layout(path, first)
            if rows * n_columns * 4 > MAX_ARRAY_BYTES:
                raise DataError(f"{path}: {rows:,} rows of {n_columns} values are over the "
                                f"limit of {MAX_ARRAY_BYTES // 2**20:,} MB")
            table = np.empty((rows, n_columns), np.float32)
            line_numbers = np.empty(rows, np.int64)
            if not has_header:
                lines = itertools.chain([(first_number, first)], lines)
            start = 0
            while block := list(itertools.islice(lines, BLOCK_ROWS)):
                table[start:start + len(block)] = _parse(path, block, n_columns)
                line_numbers[start:start + len(block)] = [number for number, _ in block]
                start += len(block)
    except PermissionError:
        raise DataError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if start == 0:
        raise DataError(f"{path}: no rows of images")
    table = table[:start]  # blank lines were counted
    rows = start
    if not np.isfinite(table).all():
        raise DataError(f"{path}: holds values that are not finite numbers")
    labels = table[:, label_column]
    pixels = np.delete(table, label_column, axis=1)
    side = math.isqrt(pixels.shape[1])
    _check_pixels(path, pixels, line_numbers[:start], label_column)
    if (pixels == np.rint(pixels)).all():
        pixels = pixels.astype(np.uint8)  # integers 0–255, the usual way
    if (labels == np.rint(labels)).all():
        labels = labels.astype(np.int64)
    return pixels.reshape(rows, side, side), labels


def _check_pixels(path, pixels, line_numbers, label_column):
    """Raise DataError naming the line, column and value of the first pixel out of range:
    0–255 in a CSV of whole numbers, [0, 1] in one with fractions."""
    whole = bool((pixels == np.rint(pixels)).all())
    high = 255 if whole else 1
    bad = np.argwhere((pixels < 0) | (pixels > high))
    if bad.size == 0:
        return
    row, column = bad[0]
    value = pixels[row, column]
    column += 1 + (column >= label_column)  # the file's column, counting the label's
    rule = ("a CSV of whole numbers holds pixels 0–255" if whole else
            "a CSV with fractions holds pixels in [0, 1]")
    raise DataError(f"{path}: line {line_numbers[row]}, column {column}: pixel {value:g}; {rule}")


def _test_file(path):
    """``mnist_test.csv`` beside ``mnist_train.csv`` (any ``train`` → ``test`` in the name)."""
    name = path.name
    if "train" not in name:
        return None
    other = path.with_name(name.replace("train", "test"))
    return other if other.is_file() else None


def read_csv_split(path):
    """``(arrays, note)``: x/y train/test arrays of a CSV and how its test set was made.

    The test file beside it (see :func:`_test_file`) is the test set when it has labels;
    without them (Kaggle's ``test.csv``, for submissions) it is passed over, as is no test
    file, and the last 1/HELD_OUT of the rows is held out. Raises DataError naming the file.
    """
    path = Path(path)
    x, y = read_csv(path)
    test_path, why = _test_file(path), "a CSV has no test set: its"
    if test_path is not None:
        try:
            x_test, y_test = read_csv(test_path)
        except UnlabelledError:
            why = (f"{test_path.name} beside {path.name} has no labels (Kaggle's test.csv is "
                   f"for submissions), so it is not a test set: {path.name}'s")
        else:
            return ({"x_train": x, "y_train": y, "x_test": x_test, "y_test": y_test},
                    f"test set: {test_path.name}")
    if len(x) < 2:
        raise DataError(f"{path}: one row cannot make both a training and a test set")
    cut = len(x) - max(1, len(x) // HELD_OUT)
    return ({"x_train": x[:cut], "y_train": y[:cut], "x_test": x[cut:], "y_test": y[cut:]},
            f"{why} last {len(x) - cut:,} rows (1/{HELD_OUT}, in file order) are held "
            "out as the test set")
