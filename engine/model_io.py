"""Saving and loading networks: ``.npz`` (no pickles) with JSON metadata, written atomically."""

import errno
import glob
import json
import os
import stat
import tempfile
import time
from pathlib import Path

import numpy as np

from .errors import ModelFileError
from .files import MAX_PARAMS, read_described
from .network import Network

FORMAT = "digit-descent-model"
VERSION = 1


STALE_TMP_S = 60  # a temporary file of an earlier save older than this was left by a crash


def atomic_write(path, write):
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place.

    A crash or error mid-write leaves any existing ``path`` untouched. A symbolic link is
    followed (the file it points to is replaced, the link stays a link); a read-only target
    is refused with PermissionError, as editors do. Temporary files that an earlier,
    killed save left behind are removed. A target that is not a regular file (a device such
    as /dev/null, a named pipe, a socket, a folder) is refused with OSError, never replaced.
    """
    path = Path(os.path.realpath(path))
    _refuse_special(path)
    if _read_only(path):
        raise PermissionError(13, "the file is read-only", str(path))
    _remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(path):
    now = time.time()
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if now - stale.stat().st_mtime > STALE_TMP_S:
                stale.unlink()
        except OSError:
            pass  # another process's, or already gone


def check_writable(path):
    """Raise OSError now if ``path`` could not be saved later (no folder, no right, read-only,
    or not a regular file: a folder, device, named pipe or socket, even through a link)."""
    path = Path(os.path.realpath(path))
    _refuse_special(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(2, "no such folder", str(path.parent))
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise PermissionError(13, "the folder cannot be written", str(path.parent))
    if _read_only(path):
        raise PermissionError(13, "the file is read-only", str(path))


_SPECIAL = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def _refuse_special(path):
    """Raise OSError if ``path`` exists and is not a regular file (saving would replace it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing (or unreadable: the write itself will say why)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL if test(mode)), "a special file")
        raise OSError(errno.EINVAL, f"{path} is {kind}, not a regular file", str(path))


def _read_only(path):
    """True for an existing file nobody may write (mode bits: root could, but must not)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    return not os.access(path, os.W_OK) or not mode & 0o222


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_model(network, path, **metadata):
    """Write ``network`` and JSON-serialisable ``metadata`` to ``path`` (.npz + JSON, atomically)."""
    meta = {"format": FORMAT, "version": VERSION, **network.config(), **metadata}
    meta_json = np.array(json.dumps(meta))
    try:
        atomic_write(path, lambda f: np.savez(f, params=network.params, meta=meta_json))
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot write the model ({exc.strerror or exc})") from None


def check_save_target(path, kind="model", error=ModelFileError):
    """Raise ``error`` now if a ``kind`` ("model", "session") could not be saved to ``path``
    later."""
    try:
        check_writable(path)
    except OSError as exc:
        raise error(f"{path}: cannot save the {kind} there ({exc.strerror or exc})") from None


def load_model(path):
    """The :class:`Network` saved in ``path`` by :func:`save_model`; its metadata dict is in
    ``.metadata``.

    Raises :class:`ModelFileError` naming the file when it is missing, not a regular file,
    damaged, truncated, foreign, too large for this app or holds non-finite weights. Sizes
    are checked before anything is allocated.
    """
    path = Path(path)
    arrays, meta = read_described(path, ("params",), ModelFileError, "model", FORMAT, VERSION,
                                  limits={"params": 8 * MAX_PARAMS})
    config = _network_config(path, meta)
    params = arrays["params"]
    if params.dtype.kind != "f":
        raise ModelFileError(f"{path}: its parameters are {params.dtype} values, not numbers "
                             "of a network")
    n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(config["sizes"], config["sizes"][1:]))
    if params.shape != (n_params,):
        raise ModelFileError(f"{path}: holds a parameter array of shape {params.shape}; the "
                             f"layers {_layers(config['sizes'])} need {n_params:,} in one row")
    if not np.isfinite(params).all():
        raise ModelFileError(f"{path}: holds NaN or infinite weights (saved after training "
                             "diverged?): refused")
    try:
        net = Network.from_params(params=params, **config)
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"{path}: invalid model description ({exc})") from None
    net.metadata = meta
    return net


def _layers(sizes):
    return "-".join(map(str, sizes))


def _network_config(path, meta):
    """The Network arguments in ``meta``, checked (types, names, size) before anything is built."""
    sizes = meta.get("sizes")
    if (not isinstance(sizes, list) or len(sizes) < 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes)):
        raise ModelFileError(f"{path}: invalid model description (layer sizes {str(sizes)[:60]})")
    n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes, sizes[1:]))
    if n_params > MAX_PARAMS:
        raise ModelFileError(f"{path}: a {_layers(sizes)[:80]} network has {n_params:,} weights "
                             f"and biases; the limit is {MAX_PARAMS:,}")
    config = {"sizes": sizes}
    for key, default in (("activation", "sigmoid"), ("cost", "mse"), ("init", "scaled"),
                         ("dtype", "float32")):
        value = meta.get(key, default)
        if not isinstance(value, str):
            raise ModelFileError(f"{path}: invalid model description ({key} {value!r:.40})")
        config[key] = value
    if config["dtype"] not in ("float32", "float64"):
        raise ModelFileError(f"{path}: invalid model description (dtype {config['dtype']!r:.40})")
    seed = meta.get("seed", 0)
    config["seed"] = seed if isinstance(seed, int) and not isinstance(seed, bool) else 0
    config["dtype"] = np.dtype(config["dtype"])
    return config
