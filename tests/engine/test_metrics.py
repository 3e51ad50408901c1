import numpy as np

from digit_descent.engine.metrics import accuracy, confusion_matrix, recall_precision


def test_confusion_rows_are_actual_columns_predicted():
    c = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], 3)
    assert c.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert c.sum() == 6 and accuracy([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0]) == 4 / 6
    recall, precision = recall_precision(c)
    np.testing.assert_allclose(recall, [0.5, 1.0, 2 / 3])
    np.testing.assert_allclose(precision, [0.5, 0.5, 1.0])


def test_undefined_precision_is_nan():
    recall, precision = recall_precision(np.array([[2, 0], [1, 0]]))
    assert recall[1] == 0 and np.isnan(precision[1])  # nothing was predicted as class 1
