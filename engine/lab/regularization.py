"""The lab's regularisation: TensorFlow Playground's none, L1 or L2 with a rate λ.

L2 adds λ·w to each weight's gradient, L1 adds λ·sign(w): the gradients of the penalties
λ Σw²/2 and λ Σ|w| (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, §7.1.1–7.1.2,
eqs. 7.5 and 7.20). Biases are not regularised, as in Playground. This module loads no
more than NumPy, so that the command line can read the choices quickly.
"""

import numpy as np

REGULARIZATIONS = ("none", "L1", "L2")
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)  # λ offered; the last is the most


def check(regularization, rate):
    """Raise ValueError naming a regularisation or rate λ that is not allowed."""
    if regularization not in REGULARIZATIONS:
        raise ValueError(f"regularization must be one of {', '.join(REGULARIZATIONS)}, "
                         f"not {regularization!r}")
    if not 0 <= rate <= REG_RATES[-1]:  # also refuses NaN
        raise ValueError(f"the regularization rate λ must be from 0 to {REG_RATES[-1]:g}, "
                         f"got {rate}")


def penalty(regularization, rate, w):
    """The term regularisation adds to ∂C/∂w for weights ``w`` (any shape, or a float)."""
    if regularization == "L1":
        return rate * np.sign(w)
    if regularization == "L2":
        return rate * np.asarray(w)
    return np.zeros_like(np.asarray(w, np.float64))
