import pytest

from digit_descent.engine import trask


def test_trasks_printout_is_reproduced_digit_for_digit():
    lines = list(trask.train())
    errors = [f"{line['error']:.6f}" for line in lines[:-1]]
    assert [line["iteration"] for line in lines[:-1]] == [0, 10000, 20000, 30000, 40000, 50000]
    assert errors == ["0.496410", "0.008585", "0.005789", "0.004629", "0.003959", "0.003510"]
    assert [round(v, 4) for v in lines[-1]["outputs"]] == [0.997, 0.9967, 0.0026, 0.0039]


def test_tables_at_iteration_0_equal_trasks_own_code():
    """His 11 lines, typed out as published, one iteration."""
    import numpy as np

    X = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]])
    y = np.array([[1, 1, 0, 0]]).T
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1
    l1 = 1 / (1 + np.exp(-(np.dot(X, syn0))))
    l2 = 1 / (1 + np.exp(-(np.dot(l1, syn1))))
    l2_delta = (y - l2) * (l2 * (1 - l2))
    l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
    table = trask.tables(at=[0])[0]
    assert table["iteration"] == 0
    np.testing.assert_allclose(table["l2"], l2.ravel(), rtol=1e-13)
    np.testing.assert_allclose(table["l2_error"], (y - l2).ravel(), rtol=1e-13)
    np.testing.assert_allclose(table["slope"], (l2 * (1 - l2)).ravel(), rtol=1e-13)
    np.testing.assert_allclose(table["l2_delta"], l2_delta.ravel(), rtol=1e-13)
    np.testing.assert_allclose(table["l1_error"], l2_delta.dot(syn1.T), rtol=1e-13)
    np.testing.assert_allclose(table["l1_delta"], l1_delta, rtol=1e-13)
    np.testing.assert_allclose(table["syn1_update"], l1.T.dot(l2_delta).ravel(), rtol=1e-13)
    np.testing.assert_allclose(table["syn0_update"], X.T.dot(l1_delta), rtol=1e-13)


def test_tables_at_a_later_iteration_follow_the_printout():
    first, later = trask.tables(at=[10_000, 0])
    assert first["iteration"] == 0 and later["iteration"] == 10_000
    import numpy as np
    assert np.mean(np.abs(later["l2_error"])) == pytest.approx(0.008585, abs=1e-6)


def test_tables_out_of_range_are_refused():
    with pytest.raises(ValueError, match="0 to 59,999"):
        trask.tables(at=[60_000])
