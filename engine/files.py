"""Reading untrusted files with bounded cost.

Every file the app opens may be damaged or hostile: a FIFO that never ends, an array header
that declares 10¹² floats, a deflate or gzip bomb, megabytes of JSON. These helpers check
what a file declares before anything is allocated or decompressed, and raise the caller's
error type with one line that names the file and the limit.
"""

import gzip
import json
import os
import stat
import zipfile
import zlib
from pathlib import Path

import numpy as np

MAX_PARAMS = 50_000_000  # weights and biases of one network (200 MB of float32)
MAX_ARRAY_BYTES = 1 << 30  # one array of a data set or model file (MNIST's largest: 47 MB)
MAX_META_BYTES = 1 << 20  # a model's JSON description


def check_regular_file(path, error):
    """Raise ``error`` unless ``path`` is a regular file (not a FIFO, device or folder)."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except PermissionError:
        raise error(f"{path}: permission denied") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: not a regular file (a pipe or a device): refused")


def open_decompressed(path):
    """``path`` opened to read bytes, through gzip when it starts with gzip's magic number."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def _size(n):
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} bytes"


def read_npz(path, names, error, limits=None, optional=()):
    """The arrays ``names`` of a ``.npz`` file, each checked before it is read.

    ``limits``: bytes allowed per name (default MAX_ARRAY_BYTES). Object arrays (pickles)
    are refused without being read. Raises ``error`` for anything else than a plain
    ``.npz`` holding those arrays within their limits; ``optional`` names may be missing.
    """
    path = Path(path)
    check_regular_file(path, error)
    limits = limits or {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            missing = [n for n in names if n + ".npy" not in members and n not in optional]
            if missing:
                raise error(f"{path}: missing {', '.join(missing)} (not the expected kind of .npz)")
            arrays = {}
            for name in names:
                info = members.get(name + ".npy")
                if info is None:
                    continue
                limit = limits.get(name, MAX_ARRAY_BYTES)
                if info.file_size > limit + 4096:
                    raise error(f"{path}: '{name}' would take {_size(info.file_size)}; the limit "
                                f"is {_size(limit)}")
                with archive.open(info) as member:
                    arrays[name] = _read_npy(member, path, name, limit, error)
            return arrays
    except zipfile.BadZipFile:
        raise error(f"{path}: damaged, or not a .npz file") from None
    except PermissionError:
        raise error(f"{path}: permission denied") from None
    except (zlib.error, EOFError, ValueError, OSError) as exc:
        if isinstance(exc, error):
            raise
        raise error(f"{path}: damaged .npz file ({exc})") from None


def _read_npy(member, path, name, limit, error):
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    if dtype.hasobject:
        raise error(f"{path}: '{name}' holds Python objects, which this app never loads")
    count = 1
    for n in shape:
        count *= int(n)
    if count * dtype.itemsize > limit:
        raise error(f"{path}: '{name}' declares {count:,} values ({_size(count * dtype.itemsize)}); "
                    f"the limit is {_size(limit)}")
    data = member.read(count * dtype.itemsize)
    if len(data) != count * dtype.itemsize:
        raise error(f"{path}: '{name}' is truncated")
    array = np.frombuffer(data, dtype=dtype)
    return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)


def parse_json(text, source, error, limit=MAX_META_BYTES):
    """A JSON object from ``text``, at most ``limit`` bytes; raises ``error`` naming ``source``."""
    if len(text) > limit:
        raise error(f"{source}: its description is {_size(len(text))}; the limit is {_size(limit)}")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise error(f"{source}: its description is not valid JSON ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise error(f"{source}: its description is not a JSON object")
    return value


def read_described(path, names, error, kind, file_format, version, limits=None, optional=()):
    """``(arrays, description)`` of a Digit Descent ``.npz``: the arrays ``names`` (those in
    ``optional`` may be missing) and the JSON object in its ``meta`` array, whose ``format``
    must be ``file_format`` and ``version`` at most ``version``. ``kind`` ("model",
    "session") names it in the messages."""
    meta = read_npz(path, ("meta",), error, limits={"meta": 4 * MAX_META_BYTES})["meta"]
    if meta.dtype.kind != "U" or meta.size != 1:
        raise error(f"{path}: not a Digit Descent {kind} (no description inside)")
    description = parse_json(str(meta.reshape(())), path, error)
    found = description.get("format")
    if found != file_format:
        if found in OTHER_KINDS:  # the description, read first, says what it is
            raise error(f"{path}: {OTHER_KINDS[found]}, not a {kind}")
        raise error(f"{path}: not a Digit Descent {kind}")
    found = description.get("version", 0)
    if not isinstance(found, int) or found > version:
        raise error(f"{path}: written by a newer Digit Descent (format {found!r})")
    arrays = read_npz(path, names, error, limits=limits, optional=optional)
    return arrays, description


OTHER_KINDS = {  # what the app's own files are, by their description's "format"
    "digit-descent-model": "a model (saved with train --save or File → Save model)",
    "digit-descent-session": "a session (saved with train --session or File → Save session)",
}
