"""Property tests of the preprocessing (skipped, alone, when hypothesis is not installed)."""

import numpy as np
import pytest

pytest.importorskip("hypothesis")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402

from digit_descent.engine.preprocess import to_mnist  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 60), st.integers(1, 60)),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_any_canvas_gives_finite_pixels_in_range(canvas):
    out = to_mnist(canvas)
    assert out.shape == (28, 28) and np.isfinite(out).all()
    assert out.min() >= 0 and out.max() <= 1
