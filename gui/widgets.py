"""Small widgets the panels share."""

import math

import numpy as np
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox

from digit_descent.engine.settings_spec import SPEC

LR_MIN, LR_MAX = SPEC["lr"].low, SPEC["lr"].high


class LearningRateBox(QDoubleSpinBox):
    """A learning rate η over the settings' whole range, written as people write it
    ("1", "0.003", "0.000001", not "1.000000"); arrows step by about a tenth of the value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDecimals(-math.floor(math.log10(LR_MIN)))  # holds the smallest η exactly
        self.setRange(LR_MIN, LR_MAX)
        self.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)

    def textFromValue(self, value):
        return np.format_float_positional(value, precision=6, unique=True, trim="-")

    def valueFromText(self, text):
        return float(text.replace(self.prefix(), "").strip())

    def validate(self, text, position):
        body = text.replace(self.prefix(), "").strip()
        try:
            value = float(body)
        except ValueError:
            ok = body in ("", ".", "-") or body.lower().endswith(("e", "e-", "e+"))
            return QValidator.Intermediate if ok else QValidator.Invalid, text, position
        inside = self.minimum() <= value <= self.maximum()
        return QValidator.Acceptable if inside else QValidator.Intermediate, text, position
