"""Reading a digit from an image file: the one reader of the pad's Load image… and ``predict``.

Pillow decodes (Qt's reader holds a 16-bit image at 8 bytes a pixel and refuses anything over
256 MB): only the plain raster formats in :data:`FORMATS` are opened (never EPS, which would
run Ghostscript), the size in the header is checked against :data:`MAX_IMAGE_PIXELS` before
anything is decoded, a JPEG is decoded already scaled down by its DCT (``Image.draft``), and
other formats are reduced to at most :data:`WORK_SIDE` pixels strip by strip, so the memory
a file costs is bounded by its decoded size in Pillow's own format (at most 4 bytes a pixel),
never by a float copy. The EXIF orientation of a phone photo is honoured.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from .errors import DataError
from .files import check_regular_file
from .ink import ink_from_rgba
from .preprocess import MnistSteps, to_mnist_steps

MAX_IMAGE_PIXELS = 80_000_000  # the largest image read: a 9000×8000 scan, a 64 MP phone photo
WORK_SIDE = 512  # the longer side the image is reduced to before its ink is found
FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP", "PPM")
_STRIP_ROWS = 256  # rows of the full image converted at a time
# EXIF orientation (tag 0x0112) → the NumPy operations that show the picture upright
_ORIENT = {2: lambda a: a[:, ::-1], 3: lambda a: a[::-1, ::-1], 4: lambda a: a[::-1],
           5: lambda a: a.swapaxes(0, 1), 6: lambda a: a.swapaxes(0, 1)[:, ::-1],
           7: lambda a: a.swapaxes(0, 1)[::-1, ::-1], 8: lambda a: a.swapaxes(0, 1)[::-1]}


class ImageError(DataError):
    """An image file the app refuses: unreadable, damaged, too large, or blank."""


@dataclass(frozen=True)
class DigitReading:
    """What an image file shows: ``ink`` ``(h, w)`` float32 in [0, 1] (the digit with a margin,
    upright) and ``steps``, its preparation as MNIST's; ``steps.result`` is the ``(28, 28)``
    input the network reads."""

    ink: np.ndarray
    steps: MnistSteps


def read_digit(path):
    """The digit an image file shows, prepared as MNIST's (see :class:`DigitReading`).

    Raises ImageError (a DataError) with one line ``"PATH: reason"`` for a file that is not a
    regular file, not a readable image, damaged, larger than MAX_IMAGE_PIXELS, or blank.
    """
    ink = ink_from_rgba(read_rgba(path))
    steps = to_mnist_steps(ink)
    if not steps.result.any():
        raise ImageError(f"{path}: no digit found (nothing stands out from the background)")
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    margin = max(2, (max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1) // 8)
    top, left = max(0, rows[0] - margin), max(0, cols[0] - margin)
    return DigitReading(ink[top:rows[-1] + 1 + margin, left:cols[-1] + 1 + margin], steps)


def _header_size(path):
    """``(width, height)`` that the header of ``path`` (one of :data:`FORMATS`) declares,
    read by Pillow's format plugin without its decompression-bomb refusal and without
    decoding anything; None if no plugin reads it."""
    try:
        with open(path, "rb") as f:
            prefix = f.read(16)
            for name in FORMATS:
                factory, accept = Image.OPEN[name]
                if accept is not None and not accept(prefix):
                    continue
                f.seek(0)
                try:
                    return factory(f, str(path)).size
                except Exception:  # noqa: BLE001 (not this format: try the next)
                    continue
    except OSError:
        pass
    return None


def read_rgba(path):
    """An image file → ``(h, w, 4)`` float32 RGBA in [0, 1], upright, at most WORK_SIDE pixels
    on its longer side (area-averaged). Raises ImageError (see :func:`read_digit`)."""
    check_regular_file(path, ImageError)
    try:
        with warnings.catch_warnings():  # this app's own limit, lower, is checked below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path, formats=FORMATS)
    except Image.DecompressionBombError:
        size = _header_size(path)
        shown = f"{size[0]}×{size[1]} = {size[0] * size[1]:,}" if size else "over " \
            f"{2 * Image.MAX_IMAGE_PIXELS:,}"
        raise ImageError(f"{path}: the image is too large ({shown} pixels; the limit is "
                         f"{MAX_IMAGE_PIXELS:,})") from None
    except UnidentifiedImageError:
        raise ImageError(f"{path}: not an image this app can read (it reads "
                         f"{', '.join(FORMATS)})") from None
    except OSError as exc:
        raise ImageError(f"{path}: cannot be read ({exc})") from None
    with image:
        w, h = image.size
        if w * h > MAX_IMAGE_PIXELS:
            raise ImageError(f"{path}: the image is too large ({w}×{h} = {w * h:,} pixels; "
                             f"the limit is {MAX_IMAGE_PIXELS:,})")
        if w < 1 or h < 1:
            raise ImageError(f"{path}: the image is empty ({w}×{h} pixels)")
        try:
            orientation = image.getexif().get(0x0112, 1)
            factor = -(-max(w, h) // WORK_SIDE)
            if factor > 1 and image.format == "JPEG":
                image.draft(image.mode, (w // factor, h // factor))  # the DCT scales it down
                factor = -(-max(image.size) // WORK_SIDE)
            rgba = _reduced(image, factor)
        except MemoryError:
            raise ImageError(f"{path}: not enough memory to decode {w}×{h} pixels") from None
        except (OSError, ValueError, SyntaxError, EOFError, IndexError) as exc:
            raise ImageError(f"{path}: damaged {image.format} image ({exc})") from None
    return _ORIENT.get(orientation, lambda a: a)(rgba)


def _reduced(image, factor):
    """The image area-averaged by ``factor`` (Pillow's ``reduce``), a strip of rows at a time,
    as float32 ``(h, w, 4)`` RGBA in [0, 1]."""
    image.load()
    w, h = image.size
    scale = _scale(image)
    step = max(factor, _STRIP_ROWS // factor * factor)
    strips = []
    for top in range(0, h, step):
        strip = image.crop((0, top, w, min(h, top + step)))
        if scale is None:
            if strip.mode in ("L", "LA", "RGB", "RGBA"):  # cheaper to reduce first
                strip = strip.reduce(factor).convert("RGBA")
            else:  # a palette, 1-bit, CMYK… image: its colours first
                strip = strip.convert("RGBA").reduce(factor)
            strips.append(np.asarray(strip, np.float32) / 255)
            continue
        low, high = scale
        grey = np.asarray(strip.convert("F").reduce(factor), np.float32)
        grey = np.clip((np.nan_to_num(grey, nan=low) - low) / (high - low), 0, 1)
        strips.append(np.dstack([grey, grey, grey, np.ones_like(grey)]))
    return np.concatenate(strips)


def _scale(image):
    """``(low, high)``: the range of a 16- or 32-bit integer or a float image's values (None
    for the others, which Pillow converts to 8-bit RGBA itself)."""
    if image.mode.startswith("I;16"):
        return 0.0, 65535.0
    if image.mode not in ("I", "F"):
        return None
    low, high = image.getextrema()
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError("pixel values that are not finite numbers")
    if image.mode == "I" and low >= 0 and high <= 65535:
        low, high = 0.0, 65535.0  # a 16-bit image Pillow widened
    return float(low), float(max(high, low + 1e-12))
