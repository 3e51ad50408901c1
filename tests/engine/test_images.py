"""Reading digits from image files: photos, scans and pictures made in each test."""

import io
import struct
import subprocess
import sys
import warnings
import zlib
from importlib.resources import files

import numpy as np
import pytest
from PIL import Image, ImageOps

from digit_descent.engine import load, load_model
from digit_descent.engine.images import (MAX_IMAGE_PIXELS, WORK_SIDE, ImageError, read_digit,
                                         read_rgba)

STRONG = files("digit_descent.resources") / "strong.npz"


@pytest.fixture(scope="module")
def seven():
    """MNIST's first test image (a 7) as a smooth 200×200 ink picture, ink 1."""
    test = load("mnist").test
    assert test.labels[0] == 7
    small = Image.fromarray((test.x[0].reshape(28, 28) * 255).astype(np.uint8))
    return np.asarray(small.resize((200, 200), Image.BICUBIC), np.float32) / 255


@pytest.fixture(scope="module")
def answer():
    net = load_model(STRONG)
    return lambda path: int(np.argmax(net.forward(read_digit(path).steps.result.reshape(1, -1))))


def on_paper(ink, paper, top, left, darkness=0.8):
    """``paper`` (h, w) grey with ``ink`` pressed on at (top, left): dark ink."""
    out = paper.copy()
    h, w = ink.shape
    out[top:top + h, left:left + w] *= 1 - darkness * ink
    return out


def save_grey(grey, path, **kw):
    Image.fromarray((np.clip(grey, 0, 1) * 255).astype(np.uint8)).save(path, **kw)
    return path


def test_exif_orientation_is_honoured(tmp_path, seven, answer):
    paper = on_paper(seven, np.full((300, 400), 0.95), 50, 100)
    sideways = np.rot90(paper, 1)  # the camera held sideways: stored turned left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    path = tmp_path / "phone.jpg"
    Image.fromarray((sideways * 255).astype(np.uint8)).save(path, exif=exif.tobytes(), quality=90)
    assert answer(path) == 7
    plain = save_grey(sideways, tmp_path / "no_tag.png")
    assert answer(plain) != 7  # the same pixels without the tag are read sideways


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_matches_pillows_exif_transpose(tmp_path, orientation):
    rng = np.random.default_rng(orientation)
    image = Image.fromarray(rng.integers(0, 256, (5, 7, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "o.png"
    image.save(path, exif=exif.tobytes())
    with Image.open(path) as opened:
        expected = np.asarray(ImageOps.exif_transpose(opened).convert("RGBA"), np.float32) / 255
    assert np.array_equal(read_rgba(path), expected)


@pytest.mark.parametrize("alpha", [0.15, 0.4, 1.0])
@pytest.mark.parametrize("colour", [0, 255])
def test_semi_transparent_ink_on_a_transparent_background(tmp_path, seven, answer, alpha,
                                                          colour):
    h, w = 260, 300
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., :3] = colour  # the ink's colour everywhere; only alpha draws
    rgba[30:230, 50:250, 3] = (seven * alpha * 255).astype(np.uint8)
    path = tmp_path / "ink.png"
    Image.fromarray(rgba, "RGBA").save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division by zero, no mean of nothing
        assert answer(path) == 7


def shaded_paper(h, w, rng):
    """Grey paper lit from one side, darker than half-white in its shadow, with camera noise."""
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    light = 0.3 + 0.6 * (rng.uniform(0.6, 1.0) * xx + rng.uniform(-0.3, 0.3) * yy)
    return np.clip(light + rng.normal(0, 0.015, (h, w)), 0, 1)


@pytest.mark.parametrize("seed", range(3))
def test_a_photo_on_grey_unevenly_lit_paper(tmp_path, seven, answer, seed):
    rng = np.random.default_rng(seed)
    photo = on_paper(seven, shaded_paper(480, 640, rng), rng.integers(40, 240),
                     rng.integers(40, 400), darkness=0.7)
    assert answer(save_grey(photo, tmp_path / "photo.jpg", quality=85)) == 7


@pytest.mark.parametrize("margin", [(30, 40), (80, 120), (15, 200)])
def test_white_paper_on_a_dark_desk(tmp_path, seven, answer, margin):
    desk = np.full((480, 640), 0.1)
    top, left = margin
    desk[top:480 - top, left:640 - left] = 0.92
    photo = on_paper(seven, desk, 140, 220)
    assert answer(save_grey(photo, tmp_path / "desk.png")) == 7


@pytest.mark.parametrize("light_on_dark", [False, True])
def test_either_polarity_on_a_plain_background(tmp_path, seven, answer, light_on_dark):
    picture = np.pad(seven, 30)
    picture = picture if light_on_dark else 1 - picture
    assert answer(save_grey(picture, tmp_path / "digit.bmp")) == 7


def chunk(kind, data):
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png16(path, width, height, row):
    """A 16-bit RGB PNG written a row at a time (never the whole image in memory):
    ``row(y)`` gives ``(width, 3)`` uint16."""
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)))
        packer = zlib.compressobj(1)
        for y in range(height):
            data = packer.compress(b"\x00" + row(y).astype(">u2").tobytes())
            if data:
                f.write(chunk(b"IDAT", data))
        f.write(chunk(b"IDAT", packer.flush()))
        f.write(chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def largest_scan(tmp_path_factory, seven):
    """A 48-bit scan of the largest size read (MAX_IMAGE_PIXELS), a 7 on white paper: at
    Qt's 8 bytes a pixel far over its 256 MB limit."""
    width, height = 10_000, MAX_IMAGE_PIXELS // 10_000
    seven_rows = Image.fromarray((seven * 255).astype(np.uint8)).resize((5000, 5000))
    seven_rows = np.asarray(seven_rows, np.float32) / 255
    white = np.full((width, 3), 60000, np.uint16)

    def row(y):
        if not 1500 <= y < 6500:
            return white
        line = white.copy()
        line[2500:7500] = (60000 * (1 - 0.9 * seven_rows[y - 1500]))[:, None].astype(np.uint16)
        return line
    return write_png16(tmp_path_factory.mktemp("scan") / "scan.png", width, height, row)


def test_a_48_bit_scan_over_qts_limit_is_read(largest_scan, answer):
    with Image.open(largest_scan) as image:
        assert image.size[0] * image.size[1] * 8 > 256 * 2**20
    assert answer(largest_scan) == 7


def test_reading_the_largest_image_keeps_memory_bounded(largest_scan):
    # address space: the interpreter with NumPy and Pillow ~120 MB, the decoded image at
    # Pillow's 4 bytes a pixel 320 MB (Qt's reader took ~36 bytes a pixel: 2.9 GB)
    limit = 600 * 2**20
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
            "from digit_descent.engine.images import read_digit\n"
            "print(read_digit(sys.argv[1]).steps.result.sum() > 10)\n")
    run = subprocess.run([sys.executable, "-c", code, str(largest_scan)], capture_output=True,
                         text=True, env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip() == "True"


def header_only_png(path, width, height):
    """A PNG that declares ``width``×``height`` and holds one row: refused before decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(bytes(1 + 6 * width))) + chunk(b"IEND", b""))
    return path


def test_too_large_is_refused_from_the_header(tmp_path):
    path = header_only_png(tmp_path / "huge.png", 10_001, 8_000)
    with pytest.raises(ImageError) as refused:
        read_digit(path)
    assert str(refused.value) == (f"{path}: the image is too large (10001×8000 = 80,008,000 "
                                  f"pixels; the limit is {MAX_IMAGE_PIXELS:,})")
    for width, height in [(10_000, 10_000), (60_000, 60_000)]:  # over Pillow's own limits
        bomb = header_only_png(tmp_path / "bomb.png", width, height)
        with pytest.raises(ImageError) as refused:
            read_digit(bomb)
        assert str(refused.value) == (f"{bomb}: the image is too large ({width}×{height} = "
                                      f"{width * height:,} pixels; the limit is "
                                      f"{MAX_IMAGE_PIXELS:,})")


def test_hostile_and_blank_files_are_one_clear_message(tmp_path):
    good = io.BytesIO()
    Image.fromarray(np.full((64, 64), 200, np.uint8)).save(good, "PNG")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(good.getvalue()[:60])
    eps = tmp_path / "digit.eps"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")
    nan = tmp_path / "nan.tif"
    Image.fromarray(np.full((20, 20), np.nan, np.float32)).save(nan)
    blank = save_grey(np.full((50, 50), 0.7), tmp_path / "blank.png")
    expected = {truncated: "damaged PNG image", eps: "not an image this app can read",
                nan: "not finite", blank: "no digit found", tmp_path: "is a folder"}
    for path, reason in expected.items():
        with pytest.raises(ImageError) as refused:
            read_digit(path)
        message = str(refused.value)
        assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


def test_big_photos_are_reduced_to_the_working_size(tmp_path, seven):
    photo = on_paper(seven, np.full((1200, 1600), 0.9), 400, 600)
    rgba = read_rgba(save_grey(photo, tmp_path / "big.jpg"))
    assert max(rgba.shape[:2]) <= WORK_SIDE and rgba.dtype == np.float32
