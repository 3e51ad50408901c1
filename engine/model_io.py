"""Saving and loading networks: ``.npz`` (no pickles) with JSON metadata, written atomically."""

import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .errors import ModelFileError

FORMAT = "digit-descent-model"
VERSION = 1


def atomic_write(path, write):
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place.

    A crash or error mid-write leaves any existing ``path`` untouched.
    """
    path = Path(path)
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


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(network, path, **metadata):
    """Write ``network`` and JSON-serialisable ``metadata`` to ``path`` (.npz)."""
    meta = {"format": FORMAT, "version": VERSION, **network.config(), **metadata}
    meta_json = np.array(json.dumps(meta))
    try:
        atomic_write(path, lambda f: np.savez(f, params=network.params, meta=meta_json))
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot write the model ({exc.strerror or exc})") from None


def load(path):
    """``(Network, metadata dict)`` from a file written by :func:`save`.

    Raises :class:`ModelFileError` naming the file when it is missing,
    damaged, truncated or not a Digit Descent model.
    """
    from .network import Network

    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as f:
            if "meta" not in f.files or "params" not in f.files:
                raise ModelFileError(f"{path}: not a Digit Descent model (no params/meta inside)")
            meta = json.loads(str(f["meta"]))
            params = f["params"]
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder, not a model file") from None
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise ModelFileError(f"{path}: damaged or not a model file ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a Digit Descent model")
    if meta.get("version", 0) > VERSION:
        raise ModelFileError(f"{path}: written by a newer Digit Descent (format {meta['version']})")
    try:
        net = Network(meta["sizes"], meta["activation"], meta["cost"], seed=meta.get("seed", 0),
                      dtype=np.dtype(meta.get("dtype", "float32")), init=meta.get("init", "scaled"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"{path}: invalid model description ({exc})") from None
    if params.shape != net.params.shape:
        raise ModelFileError(f"{path}: holds {params.size} parameters, the layers "
                             f"{meta['sizes']} need {net.n_params}")
    net.params[...] = params
    return net, meta
