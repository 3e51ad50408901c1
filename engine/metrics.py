"""Classification metrics as pure functions."""

import numpy as np


def confusion_matrix(actual, predicted, n_classes):
    """``(n_classes, n_classes)`` int64 counts; rows actual, columns predicted."""
    actual = np.asarray(actual, np.int64)
    predicted = np.asarray(predicted, np.int64)
    flat = np.bincount(actual * n_classes + predicted, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def accuracy(actual, predicted):
    actual = np.asarray(actual)
    return float(np.mean(actual == np.asarray(predicted))) if actual.size else float("nan")


def recall_precision(confusion):
    """Per-class recall (row-wise) and precision (column-wise); NaN where undefined."""
    c = np.asarray(confusion, np.float64)
    diag = np.diag(c)
    with np.errstate(invalid="ignore", divide="ignore"):
        return diag / c.sum(axis=1), diag / c.sum(axis=0)
