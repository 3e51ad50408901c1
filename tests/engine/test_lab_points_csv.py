"""Points files: x, y, label rows read back as written; a bad file refused in one line."""

import os

import numpy as np
import pytest

from digit_descent.engine import DataError
from digit_descent.engine.lab.points_csv import MAX_BYTES, read_points, write_points


def test_points_are_read_with_a_header_and_blank_lines(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("x, y, label\n1.5, -2, 0\n\n0,0,1\n-6,6,4\n")
    xy, labels = read_points(path)
    assert xy.tolist() == [[1.5, -2], [0, 0], [-6, 6]] and labels.tolist() == [0, 1, 4]


def test_what_is_written_is_read_back(tmp_path):
    xy = np.random.default_rng(0).uniform(-6, 6, (50, 2)).astype(np.float32)
    labels = np.arange(50) % 3
    path = tmp_path / "out.csv"
    write_points(path, xy, labels)
    back, back_labels = read_points(path)
    assert np.allclose(back, xy, atol=1e-4) and np.array_equal(back_labels, labels)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("text, says", [
    ("1,2,0\n3,4\n", "line 2: expected x, y, label"),
    ("1,2,0\n3,abc,1\n", "line 2: expected two numbers"),
    ("1,2,0\nnan,1,1\n", "line 2: the point"),
    ("1,2,0\n7,1,1\n", "outside the plane"),
    ("1,2,0\n1,1,1.5\n", "label '1.5' is not a class"),
    ("1,2,0\n1,1,9\n", "not a class 0 to 4"),
    ("1,2,0\n1,1,0\n", "every point is of class 0"),
    ("x,y,label\n", "at least two points"),
])
def test_a_bad_file_is_refused_in_one_line_naming_the_line(tmp_path, text, says):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=says) as info:
        read_points(path)
    assert "\n" not in str(info.value) and "bad.csv" in str(info.value)


def test_binary_huge_and_missing_files_are_refused(tmp_path):
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(DataError, match="not a text file"):
        read_points(binary)
    huge = tmp_path / "h.csv"
    huge.write_bytes(b"1,1,0\n" * (MAX_BYTES // 6 + 10))
    with pytest.raises(DataError, match="larger than"):
        read_points(huge)
    with pytest.raises(DataError, match="no such file"):
        read_points(tmp_path / "none.csv")
    with pytest.raises(DataError, match="folder"):
        read_points(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_writing_points_refuses_a_target_that_is_not_a_regular_file(tmp_path):
    pipe = tmp_path / "points.csv"
    os.mkfifo(pipe)
    with pytest.raises(OSError):
        write_points(pipe, np.zeros((2, 2), np.float32), [0, 1])
    assert pipe.is_fifo()  # never replaced by a regular file
