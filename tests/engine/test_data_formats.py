"""The data set files people hold: Nielsen's pickle, Kaggle's CSVs, Kaggle's and EMNIST's
IDX layouts, pixels of other types; each made small here."""

import gzip
import pickle

import numpy as np
import pytest

from digit_descent.engine import data
from digit_descent.engine.csvdata import read_csv
from digit_descent.engine.errors import DataError
from digit_descent.engine.idx import read_idx


@pytest.fixture(scope="module")
def digits():
    """60 real MNIST test digits (uint8 (60, 28, 28)) and their labels."""
    arrays = data.read_npz(data.MNIST_PATH, ("x_test", "y_test"), DataError)
    return arrays["x_test"][:60], arrays["y_test"][:60].astype(np.int64)


def _nielsen(path, digits, gz=True):
    x, y = digits
    flat = (x.reshape(-1, 784) / np.float32(256)).astype(np.float32)  # Nielsen's k/256
    parts = ((flat[:30], y[:30]), (flat[30:40], y[30:40]), (flat[40:], y[40:]))
    raw = pickle.dumps(parts, protocol=2)
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


@pytest.mark.parametrize("gz", [True, False])
def test_nielsens_pickle_of_arrays_loads(tmp_path, digits, gz):
    split = data.load(_nielsen(tmp_path / ("mnist.pkl.gz" if gz else "mnist.pkl"), digits, gz))
    x, y = digits
    assert len(split.train) == 40 and len(split.test) == 20  # training + validation
    assert split.train.image_shape == (28, 28) and not split.notes
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[40:].reshape(20, 784))
    assert list(split.train.labels) == list(y[:40])


class _RunsCode:
    def __reduce__(self):
        import os

        return (os.mkdir, (self.marker,))


@pytest.mark.parametrize("module", ["os", "builtins", "numpy"])
def test_a_pickle_that_would_run_code_is_refused(tmp_path, module):
    marker = tmp_path / "pwned"
    if module == "os":
        _RunsCode.marker = str(marker)
        raw = pickle.dumps(_RunsCode(), protocol=2)
        asked = "posix.mkdir"
    elif module == "builtins":
        raw = (b"cbuiltins\neval\n(V__import__('os').mkdir(" + repr(str(marker)).encode()
               + b")\ntR.")
        asked = "builtins.eval"
    else:  # ndarray(shape) called directly would allocate what the file says
        raw = b"cnumpy\nndarray\n(J\x00\xca\x9a;tR."
        asked = "ndarray called directly"
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(raw))
    with pytest.raises(DataError) as error:
        data.load(path)
    assert asked in str(error.value) and "only NumPy arrays of numbers" in str(error.value)
    assert not marker.exists()


def test_a_gzip_bomb_of_a_pickle_stops_at_the_limit(tmp_path, monkeypatch):
    from digit_descent.engine import pickled

    monkeypatch.setattr(pickled, "MAX_PICKLE_BYTES", 2**20)
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"\x80\x02" + bytes(4 * 2**20))
    with pytest.raises(DataError, match="over 1 MB once decompressed; refused"):
        data.load(path)


def test_a_pickle_of_python_objects_is_refused(tmp_path):
    path = tmp_path / "objects.pkl"
    path.write_bytes(pickle.dumps((np.array([{"a": 1}], dtype=object),), protocol=2))
    with pytest.raises(DataError, match="refused: an array of Python objects"):
        data.load(path)
    path.write_bytes(pickle.dumps({"x": 1}, protocol=2))
    with pytest.raises(DataError, match="holds a dict"):
        data.load(path)


def _csv_rows(x, y):
    return [",".join(map(str, [label, *image.ravel()])) for image, label in zip(x, y)]


def test_kaggles_train_csv_holds_out_its_last_sixth(tmp_path, digits):
    x, y = digits
    path = tmp_path / "train.csv"
    header = "label," + ",".join(f"pixel{i}" for i in range(784))
    path.write_text("\n".join([header, *_csv_rows(x, y)]) + "\n")
    split = data.load(path)
    assert (len(split.train), len(split.test)) == (50, 10)
    assert split.notes == ("a CSV has no test set: its last 10 rows (1/6, in file order) are "
                           "held out as the test set",)
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[50:].reshape(10, 784))
    assert list(split.test.labels) == list(y[50:])


def test_kaggles_train_csv_beside_its_unlabelled_test_csv_holds_out_its_last_sixth(
        tmp_path, digits):
    """Kaggle's folder holds train.csv and test.csv (pixels only, for submissions): test.csv
    is no test set, and train.csv is read as when it is alone, the note saying why."""
    x, y = digits
    pixels = ",".join(f"pixel{i}" for i in range(784))
    (tmp_path / "train.csv").write_text("\n".join(["label," + pixels, *_csv_rows(x, y)]))
    (tmp_path / "test.csv").write_text("\n".join(
        [pixels, *(",".join(map(str, image.ravel())) for image in x[:5])]))
    split = data.load(tmp_path / "train.csv")
    assert (len(split.train), len(split.test)) == (50, 10)
    assert split.notes == ("test.csv beside train.csv has no labels (Kaggle's test.csv is for "
                           "submissions), so it is not a test set: train.csv's last 10 rows "
                           "(1/6, in file order) are held out as the test set",)
    assert list(split.test.labels) == list(y[50:])
    (tmp_path / "test.csv").write_text("label," + pixels + "\n3," + ",".join(["0"] * 700))
    with pytest.raises(DataError, match="test.csv: line 2 has 701 fields"):  # damaged: said
        data.load(tmp_path / "train.csv")


@pytest.mark.parametrize("separator, named", [(";", ": its fields are separated by semicolons"),
                                              ("\t", ": its fields are separated by tabs"),
                                              ("", "")])
def test_a_csv_not_separated_by_commas_says_so(tmp_path, digits, separator, named):
    x, y = digits
    path = tmp_path / "train.csv"
    path.write_text("\n".join(separator.join(map(str, [label, *image.ravel()]))
                              for image, label in zip(x[:5], y[:5])))
    with pytest.raises(DataError) as error:
        data.load(path)
    assert str(error.value) == (f"{path}: its first line has no commas: not comma-separated"
                                f"{named}. Save it as CSV with commas (a label, then the "
                                "pixels, each row)")


def test_headerless_csv_and_its_test_file_beside_it(tmp_path, digits):
    x, y = digits
    (tmp_path / "mnist_train.csv").write_text("\n".join(_csv_rows(x[:45], y[:45])) + "\n")
    split = data.load(tmp_path / "mnist_train.csv")
    assert (len(split.train), len(split.test)) == (38, 7)
    (tmp_path / "mnist_test.csv").write_text("\n".join(_csv_rows(x[45:], y[45:])))
    split = data.load(tmp_path / "mnist_train.csv")
    assert (len(split.train), len(split.test)) == (45, 15)
    assert split.notes == ("test set: mnist_test.csv",)
    assert list(split.test.labels) == list(y[45:])


@pytest.mark.parametrize("header", [True, False])
def test_a_csv_without_labels_says_so(tmp_path, digits, header):
    path = tmp_path / "test.csv"
    lines = [",".join(map(str, image.ravel())) for image in digits[0][:3]]
    if header:
        lines.insert(0, ",".join(f"pixel{i}" for i in range(784)))
    path.write_text("\n".join(lines))
    with pytest.raises(DataError, match="has no label column: it looks like Kaggle's test.csv"):
        data.load(path)


def test_ragged_and_non_numeric_rows_name_their_line(tmp_path):
    path = tmp_path / "digits.csv"
    good = "3," + ",".join(["0"] * 784)
    path.write_text("\n".join([good, good, "", "7," + ",".join(["0"] * 700)]))
    with pytest.raises(DataError, match=r"line 4 has 701 fields; every row needs 785"):
        data.load(path)
    path.write_text("\n".join([good, "5," + ",".join(["0"] * 100 + ["dark"] + ["0"] * 683)]))
    with pytest.raises(DataError, match=r"line 2, column 102: 'dark' is not a number"):
        data.load(path)
    short = "7," + ",".join(["0"] * 700)  # every row of a block short (it parses): said too
    path.write_text("\n".join(["label," + ",".join(f"pixel{i}" for i in range(784)), short,
                               short]))
    with pytest.raises(DataError, match=r"line 2 has 701 fields; every row needs 785"):
        data.load(path)


@pytest.mark.parametrize("value, message", [
    ("-3", r"line 3, column 12: pixel -3; a CSV of whole numbers holds pixels 0–255"),
    ("300", r"line 3, column 12: pixel 300; a CSV of whole numbers holds pixels 0–255"),
    ("1.5", r"line 3, column 12: pixel 1.5; a CSV with fractions holds pixels in \[0, 1\]"),
])
def test_a_pixel_out_of_range_names_its_line_and_value(tmp_path, value, message):
    path = tmp_path / "digits.csv"
    good = "3," + ",".join(["0"] * 784)
    path.write_text("\n".join([good, "", "5," + ",".join(["0"] * 10 + [value] + ["0"] * 773)]))
    with pytest.raises(DataError, match=message):
        read_csv(path)


def test_too_many_rows_are_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text(("1," + ",".join(["0"] * 784) + "\n") * 5)
    with pytest.raises(DataError, match="more than 4 rows; the limit is 4 images"):
        read_csv(path, max_rows=4)
    allocations = []
    monkeypatch.setattr(np, "empty", lambda *a, **k: allocations.append(a))
    with pytest.raises(DataError, match="more than 4 rows"):
        read_csv(path, max_rows=4)
    assert allocations == []


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + bytes(100), b"just some words\n"])
def test_an_unrecognised_file_lists_the_formats_read(tmp_path, content):
    path = tmp_path / "picture.png"
    path.write_bytes(content)
    with pytest.raises(DataError) as error:
        data.load(path)
    message = str(error.value)
    assert message.startswith(f"{path}: not a data set this app reads")
    for kind in ("Keras-style .npz", "mnist.pkl.gz", "train.csv", "IDX", "EMNIST",
                 "cifar-10-batches-bin"):
        assert kind in message


def _write_idx(path, array, gz=False):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if gz else payload)


def _idx_with_header(path, array, ndim, gz=False):
    """An IDX file of ``array``'s bytes whose magic number says ``ndim`` dimensions (the
    sizes written are ``array``'s, its first bytes read as the others)."""
    header = bytes([0, 0, 8, ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if gz else payload)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_an_idx_file_of_the_wrong_kind_says_what_it_is(tmp_path, digits, gz):
    """A 4-dimensional images header said "truncated or padded … (60, 28, 28, 0)", labels
    with an images header "announces 38,032,637,097,551,625,000 bytes"."""
    x, y = digits
    cases = [
        (x, 4, "images", "an IDX file of 4 dimensions, not images: MNIST images are "
                         "3-dimensional (n, 28, 28)"),
        (y, 1, "images", "this is a labels file (1-dimensional IDX), not images: MNIST images "
                         "are 3-dimensional (n, 28, 28)"),
        (x, 3, "labels", "this is an images file (3-dimensional IDX), not labels: labels are "
                         "1-dimensional (n,)"),
        (y, 3, "images", "this is a labels file (a count of 60, then 60 bytes), not images: "
                         "its header says 3 dimensions (60×"),
    ]
    for array, ndim, kind, message in cases:
        path = _idx_with_header(tmp_path / "train-images-idx3-ubyte", array, ndim, gz)
        with pytest.raises(DataError) as error:
            read_idx(path, kind)
        assert str(error.value).startswith(f"{path}: {message}")
    x_short = _idx_with_header(tmp_path / "short", x[:10], 3, gz)
    x_short.write_bytes(x_short.read_bytes()[:-1] if not gz else gzip.compress(
        gzip.decompress(x_short.read_bytes())[:-1]))
    with pytest.raises(DataError, match=r"truncated or padded: the header announces 7,840 bytes "
                                        r"of pixels for shape \(10, 28, 28\); the file holds "
                                        "7,839$"):
        read_idx(x_short, "images")
    for key, stem in data.IDX_FILES.items():  # in a folder: the swapped pair is named
        array = {"x": y, "y": x}[key[0]] if key.endswith("train") else \
            {"x": x, "y": y}[key[0]]
        _write_idx(tmp_path / stem, array)
    with pytest.raises(DataError, match="train-images-idx3-ubyte: this is a labels file"):
        data.load(tmp_path)


def test_kaggles_folder_per_file_layout(tmp_path, digits):
    x, y = digits
    arrays = {"x_train": x[:40], "y_train": y[:40], "x_test": x[40:], "y_test": y[40:]}
    for key, stem in data.IDX_FILES.items():
        (tmp_path / stem).mkdir()
        _write_idx(tmp_path / stem / stem, arrays[key])
    for chosen in (tmp_path, tmp_path / "t10k-images-idx3-ubyte",
                   tmp_path / "train-labels-idx1-ubyte" / "train-labels-idx1-ubyte"):
        split = data.load(chosen)
        assert (len(split.train), len(split.test)) == (40, 20) and not split.notes
        assert list(split.test.labels) == list(y[40:])


@pytest.mark.parametrize("prefix, test_stem", [("emnist-digits-", "test"), ("emnist-mnist-", "test"),
                                               ("", "t10k")])
def test_transposed_digits_are_found_and_turned_upright(tmp_path, digits, prefix, test_stem):
    x, y = digits
    turned = x.transpose(0, 2, 1)
    arrays = {"train-images-idx3-ubyte": turned[:40], "train-labels-idx1-ubyte": y[:40],
              f"{test_stem}-images-idx3-ubyte": turned[40:],
              f"{test_stem}-labels-idx1-ubyte": y[40:]}
    for stem, array in arrays.items():
        _write_idx(tmp_path / f"{prefix}{stem}.gz", array, gz=True)
    split = data.load(tmp_path)
    assert data.TRANSPOSED_NOTE in split.notes
    assert split.name == (prefix.rstrip("-") or tmp_path.name)
    np.testing.assert_array_equal(np.rint(split.train.x * 255), x[:40].reshape(40, 784))
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[40:].reshape(20, 784))


def test_upright_digits_stay_upright(digits):
    x, _ = digits
    assert data.orientation(x) == "upright"
    assert data.orientation(x.transpose(0, 2, 1)) == "transposed"
    noise = np.random.default_rng(0).integers(0, 256, (30, 28, 28), dtype=np.uint8)
    assert data.orientation(noise) is None and data.orientation(noise.transpose(0, 2, 1)) is None


def test_emnist_by_its_name_is_turned_upright_unless_it_looks_upright(tmp_path, digits):
    bars = np.zeros((60, 28, 28), np.uint8)  # shapes MNIST's mean cannot orient: a bar
    bars[:, 4:24, 12:16] = 255
    labels = np.ones(60, np.int64)
    _npz(tmp_path / "emnist-digits.npz", bars.transpose(0, 2, 1), labels)  # stored EMNIST's way
    split = data.load(tmp_path / "emnist-digits.npz")
    assert data.orientation(bars) is None and data.TRANSPOSED_NOTE in split.notes
    np.testing.assert_array_equal(split.train.x.reshape(-1, 28, 28) > 0, bars[:40] > 0)
    x, y = digits  # already upright, though named EMNIST: left alone
    split = data.load(_npz(tmp_path / "emnist-mnist.npz", x, y))
    assert not split.notes
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[40:].reshape(20, 784))


def _npz(path, x, y):
    np.savez(path, x_train=x[:40], y_train=y[:40], x_test=x[40:], y_test=y[40:])
    return path


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16, np.int8])
def test_integer_pixels_of_any_type_load(tmp_path, digits, dtype):
    x, y = digits
    if dtype == np.int8:
        x = np.minimum(x, 127)
    split = data.load(_npz(tmp_path / "ints.npz", x.astype(dtype), y.astype(np.float64)))
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[40:].reshape(20, 784))
    assert split.test.x.dtype == np.float32 and list(split.test.labels) == list(y[40:])


@pytest.mark.parametrize("x, message", [
    (lambda x: x.astype(np.float64), "x_train holds floats from 0 to 255; pixels stored as floats "
                                     "must lie in [0, 1]: divide them by 255, or store whole "
                                     "numbers as integers"),
    (lambda x: x.astype(np.float32) * 2 - 1, "x_train holds floats from -1 to 509; pixels stored "
                                             "as floats must lie in [0, 1]: rescale them"),
    (lambda x: x.astype(np.int64) * 4, "x_train holds integers from 0 to 1020; pixels must be 0–255"),
    (lambda x: x.astype(np.complex64), "x_train holds complex64 values; pixels are integers 0–255"),
])
def test_pixels_out_of_range_name_the_range_and_the_fix(tmp_path, digits, x, message):
    images, labels = digits
    path = _npz(tmp_path / "pixels.npz", x(images), labels)
    with pytest.raises(DataError) as error:
        data.load(path)
    assert str(error.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize("protocol", [4, 5])
def test_pickles_of_todays_numpy_load(tmp_path, digits, protocol):
    x, y = digits
    parts = ((x[:40].reshape(40, 784), y[:40]), (x[40:].reshape(20, 784), y[40:]))
    path = tmp_path / "mine.pkl"
    path.write_bytes(pickle.dumps(parts, protocol=protocol))
    split = data.load(path)
    assert (len(split.train), len(split.test)) == (40, 20)
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[40:].reshape(20, 784))


def test_a_csv_from_excel_loads(tmp_path, digits):
    """A byte-order mark, Windows line ends, quoted fields."""
    x, y = digits
    header = '"label",' + ",".join(f'"pixel{i}"' for i in range(784))
    rows = [",".join(f'"{v}"' for v in [label, *image.ravel()]) for image, label in zip(x, y)]
    path = tmp_path / "train.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode())
    split = data.load(path)
    assert (len(split.train), len(split.test)) == (50, 10)
    assert list(split.test.labels) == list(y[50:])


@pytest.mark.parametrize("content, message", [
    ("", "an empty file"),
    ("\n\n", "an empty file"),
    ("label," + ",".join(f"pixel{i}" for i in range(784)) + "\n", "no rows of images"),
    ("1," * 700_000, "line 1 is over 1,048,576 characters long; not a CSV of images"),
])
def test_csvs_that_hold_no_images(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        data.load(path)


def test_an_emnist_split_of_letters_is_named(tmp_path, digits):
    _write_idx(tmp_path / "emnist-letters-train-images-idx3-ubyte.gz", digits[0], gz=True)
    with pytest.raises(DataError, match="holds emnist-letters-train-images-idx3-ubyte.gz, an "
                                        "EMNIST split of other classes than digits"):
        data.load(tmp_path)


def test_keras_images_with_a_channel_axis(tmp_path, digits):
    x, y = digits
    split = data.load(_npz(tmp_path / "channels.npz", x[..., None], y))
    assert split.train.image_shape == (28, 28) and len(split.test) == 20


def test_one_hot_labels_and_other_label_column_names(tmp_path, digits):
    x, y = digits
    one_hot = np.eye(10, dtype=np.float32)[y]
    split = data.load(_npz(tmp_path / "keras.npz", x, one_hot))
    assert list(split.test.labels) == list(y[40:])
    path = tmp_path / "digits.csv"  # the label last, named "Class"
    path.write_text(",".join(f"p{i}" for i in range(784)) + ",Class\n" + "\n".join(
        ",".join(map(str, [*image.ravel(), label])) for image, label in zip(x, y)))
    split = data.load(path)
    assert list(split.test.labels) == list(y[50:])
    np.testing.assert_array_equal(np.rint(split.test.x * 255), x[50:].reshape(10, 784))
