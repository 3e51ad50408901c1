"""Session files: a whole training run in one ``.npz`` (no pickles) with a JSON description.

A session file keeps what a run showed: its configuration, the weights at every recorded
step of its trajectory (log-spaced, plus every epoch end evaluated), the mini-batch cost
history and the per-epoch reports, and whatever the app adds to the description (its
panel layout, say). Written atomically; read with the same checks as model files.
"""

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import data as datamod
from .config import TrainConfig
from .errors import DataError, SessionFileError
from .files import read_described
from .model_io import atomic_write
from .network import Network
from .trainer import EpochReport

FORMAT = "digit-descent-session"
VERSION = 1
ARRAYS = ("steps", "trajectory", "initial", "params", "history_samples", "history_raw",
          "history_mean")
GHOST_ARRAYS = ("ghost_samples", "ghost_raw", "ghost_mean")  # every ghost's history, end to end
MAX_GHOSTS = 16
MAX_LABEL_CHARS = 200
REPORT_FIELDS = ("epoch", "samples_seen", "train_cost", "test_cost", "train_accuracy",
                 "test_accuracy", "seconds", "lr")


@dataclass(frozen=True, eq=False)
class SavedGhost:
    """An earlier run kept with a session to compare (see ``gui.model.GhostRun``): ``history``
    is ``(samples_seen, raw_cost, mean_cost)``, each ``(n,)``, in buckets of
    ``history_stride`` mini-batches; ``reports`` its :class:`EpochReport` s."""

    label: str
    history: tuple
    history_stride: int
    step: int
    n_train: int
    reports: tuple


@dataclass(frozen=True, eq=False)
class SessionRecord:
    """A run read back from a session file.

    steps: ``(T,)`` recorded steps, increasing; trajectory: ``(T, n_params)`` the weights at
    them; trajectory_samples: ``(T,)`` the samples seen at them; params: the weights at
    ``step`` (the end of the run); history: ``(samples_seen, raw_cost, mean_cost)``; reports:
    tuple of :class:`EpochReport`; ghosts: tuple of :class:`SavedGhost`; extra: the rest of
    the description (e.g. the app's layout).
    """

    config: TrainConfig
    sizes: tuple
    step: int
    epoch: int
    samples_seen: int
    steps: np.ndarray
    trajectory: np.ndarray
    initial: np.ndarray
    params: np.ndarray
    history: tuple
    history_stride: int
    reports: tuple
    extra: dict
    trajectory_samples: tuple = ()
    ghosts: tuple = ()

    def network_at(self, step=None):
        """``(recorded step, Network)``: the weights at the last recorded step ≤ ``step``
        (default: the end of the run)."""
        if step is None or step >= self.step:
            return self.step, self._network(self.params)
        i = int(np.searchsorted(self.steps, step, side="right")) - 1
        if i < 0:
            raise ValueError(f"step {step} comes before the first recorded step")
        return int(self.steps[i]), self._network(self.trajectory[i])

    def _network(self, params):
        c = self.config
        return Network.from_params(self.sizes, params, c.activation, c.cost, seed=c.seed,
                                   init=c.init)


def save_session(run, path, ghosts=(), **extra):
    """Write ``run`` — an :class:`engine.session.Session`, or a
    :class:`~engine.snapshot.Snapshot` of one — to ``path``, atomically.

    ``ghosts``: earlier runs to keep beside it (at most MAX_GHOSTS, anything with the fields
    of :class:`SavedGhost`: a Snapshot, a ``gui.model.GhostRun``). ``extra``:
    JSON-serialisable additions to the description (the app's layout, say).
    A Session's evaluations still being computed are waited for, so every epoch end is in
    the file.
    """
    if hasattr(run, "collect"):
        run.collect(wait=True)
        run = run.snapshot()
    steps, points, samples = run.trajectory
    history_samples, raw, mean = run.history
    meta = {"format": FORMAT, "version": VERSION, "config": run.config.to_dict(),
            "sizes": list(run.sizes), "step": run.step, "epoch": run.epoch,
            "samples_seen": run.samples_seen, "history_stride": run.history_stride,
            "reports": [report.to_dict() for report in run.reports],
            "trajectory_samples": [int(s) for s in samples],
            "ghosts": [{"label": str(g.label)[:MAX_LABEL_CHARS], "length": len(g.history[0]),
                        "history_stride": int(g.history_stride), "step": int(g.step),
                        "n_train": int(g.n_train),
                        "reports": [report.to_dict() for report in g.reports]}
                       for g in ghosts[:MAX_GHOSTS]], **extra}
    arrays = {"meta": np.array(json.dumps(meta)), "steps": np.array(steps, np.int64),
              "trajectory": np.stack(points).astype(np.float32),
              "initial": np.asarray(run.initial_params, np.float32),
              "params": np.asarray(run.params, np.float32),
              "history_samples": history_samples, "history_raw": raw, "history_mean": mean}
    for i, name in enumerate(GHOST_ARRAYS):
        arrays[name] = np.concatenate([np.asarray(g.history[i], np.float64 if i == 0 else
                                                  np.float32) for g in ghosts[:MAX_GHOSTS]]
                                      or [np.zeros(0, np.float64 if i == 0 else np.float32)])
    try:
        atomic_write(path, lambda f: np.savez(f, **arrays))
    except OSError as exc:
        raise SessionFileError(f"{path}: cannot write the session ({exc.strerror or exc})") \
            from None


def is_session_file(path):
    """True when ``path`` is a ``.npz`` whose description says it is a session (read first,
    alone: a model file or anything else gives False)."""
    try:
        # any version: a newer one is a session too, and load_session says so
        read_described(path, (), SessionFileError, "session", FORMAT, sys.maxsize)
    except SessionFileError:
        return False
    return True


def load_session(path):
    """The :class:`SessionRecord` in ``path``.

    Raises SessionFileError naming the file when it is missing, not a regular file, damaged,
    truncated, too large for this app or not a Digit Descent session; nothing is allocated
    before the sizes it declares have been checked.
    """
    arrays, meta = read_described(path, ARRAYS + GHOST_ARRAYS, SessionFileError, "session",
                                  FORMAT, VERSION, optional=GHOST_ARRAYS)
    try:
        config = TrainConfig.from_saved(meta.get("config"))
    except ValueError as exc:
        raise SessionFileError(f"{path}: invalid training settings ({str(exc)[:300]})") \
            from None
    try:
        sizes = tuple(int(n) for n in meta["sizes"])
        numbers = {key: int(meta[key]) for key in ("step", "epoch", "samples_seen",
                                                   "history_stride")}
        reports = tuple(EpochReport(**{k: r[k] for k in REPORT_FIELDS}) for r in meta["reports"])
        samples = [int(s) for s in meta.get("trajectory_samples", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise SessionFileError(f"{path}: invalid description ({type(exc).__name__}: {exc})") \
            from None
    negative = [key for key in ("step", "epoch", "samples_seen") if numbers[key] < 0]
    if negative or numbers["history_stride"] < 1:
        key = negative[0] if negative else "history_stride"
        raise SessionFileError(f"{path}: its {key.replace('_', ' ')} is {numbers[key]:,} "
                               "(damaged or edited)")
    if sizes != tuple(config.layers):
        raise SessionFileError(f"{path}: its layers {sizes} differ from its settings")
    n_params = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes, sizes[1:]))
    steps, trajectory = arrays["steps"], arrays["trajectory"]
    history = tuple(arrays[k] for k in ("history_samples", "history_raw", "history_mean"))
    if (steps.ndim != 1 or steps.dtype.kind not in "iu" or trajectory.shape != (len(steps), n_params)
            or arrays["initial"].shape != (n_params,) or arrays["params"].shape != (n_params,)
            or len({h.shape for h in history}) != 1 or history[0].ndim != 1
            or np.any(np.diff(steps) <= 0) or len(samples) not in (0, len(steps))):
        raise SessionFileError(f"{path}: its arrays do not fit its {'-'.join(map(str, sizes))} "
                               "network (damaged or edited)")
    for name in ("trajectory", "initial", "params"):
        if arrays[name].dtype.kind != "f" or not np.isfinite(arrays[name]).all():
            raise SessionFileError(f"{path}: '{name}' holds non-finite or non-numeric weights")
    if not samples:  # an older file: the samples of a constant batch size
        samples = [min(int(s) * config.batch_size, numbers["samples_seen"]) for s in steps]
    ghosts = _ghosts(path, meta.get("ghosts", []), arrays)
    known = {"format", "version", "config", "sizes", "reports", "trajectory_samples", "ghosts",
             *numbers}
    return SessionRecord(config, sizes, numbers["step"], numbers["epoch"],
                         numbers["samples_seen"], steps, trajectory, arrays["initial"],
                         arrays["params"], history, numbers["history_stride"], reports,
                         {k: v for k, v in meta.items() if k not in known}, tuple(samples),
                         ghosts)


def _ghosts(path, described, arrays):
    """The :class:`SavedGhost` s of a session file, checked: their descriptions against
    their arrays (``ghost_samples`` … end to end). Raises SessionFileError."""
    def bad(why):
        return SessionFileError(f"{path}: its kept earlier runs (ghosts) are damaged ({why})")

    if not isinstance(described, list) or len(described) > MAX_GHOSTS:
        raise bad(f"a list of at most {MAX_GHOSTS} expected")
    parts = [arrays.get(name, np.zeros(0)) for name in GHOST_ARRAYS]
    if (any(a.ndim != 1 or a.dtype.kind != "f" for a in parts)
            or len({a.shape for a in parts}) != 1):
        raise bad("arrays of different lengths or kinds")
    ghosts, start = [], 0
    for entry in described:
        try:
            label, length = entry["label"], int(entry["length"])
            numbers = [int(entry[k]) for k in ("history_stride", "step", "n_train")]
            reports = tuple(EpochReport(**{k: r[k] for k in REPORT_FIELDS})
                            for r in entry["reports"])
        except (KeyError, TypeError, ValueError) as exc:
            raise bad(f"{type(exc).__name__}: {exc}") from None
        if (not isinstance(label, str) or len(label) > MAX_LABEL_CHARS or length < 0
                or start + length > len(parts[0]) or numbers[0] < 1 or min(numbers) < 0):
            raise bad("a label, length or count out of range")
        history = tuple(a[start:start + length] for a in parts)
        ghosts.append(SavedGhost(label, history, *numbers, reports))
        start += length
    if start != len(parts[0]):
        raise bad("more costs than the ghosts described")
    return tuple(ghosts)


def relocated(record, source, split):
    """``record`` with its data set read from ``source`` instead (``split``: that data),
    for a session whose data has moved.

    Allowed when ``source`` names the data the run learned, or when that data was a file or
    folder no longer where the session says and ``split`` is data of the same kind: as many
    inputs and outputs (classes) as its network has, and as many training images as its
    epochs had. A data set known by name (``mnist``…) is found by the app, never moved.
    Raises DataError saying why not.
    """
    learned = record.config.dataset
    if datamod.same_data(learned, source):
        return record
    if learned in datamod.NAMES or Path(learned).exists():
        raise DataError(f"{source}: not the data the session learned ({learned}, still "
                        "found): a session goes on with its own data, and is pointed only at "
                        "the new place of data that has moved")
    sizes, test = record.sizes, split.test
    if (test.n_inputs, test.n_outputs) != (sizes[0], sizes[-1]):
        count = datamod.counted
        raise DataError(f"{source}: other data than the session learned: "
                        f"{count(test.n_inputs, 'input')} and {count(test.n_outputs, 'output')}, "
                        f"where its {'-'.join(map(str, sizes))} network has "
                        f"{count(sizes[0], 'input')} and {count(sizes[-1], 'output')}")
    subset, n = record.config.train_subset, len(split.train)
    n = min(n, subset) if subset else n
    ends = [r for r in record.reports if r.epoch > 0]
    epoch_size = ends[-1].samples_seen // ends[-1].epoch if ends else None
    if n != (epoch_size or n) or record.samples_seen // n != record.epoch:
        had = f"{epoch_size:,}" if epoch_size else f"more than {record.samples_seen:,}"
        raise DataError(f"{source}: other data than the session learned: {n:,} training "
                        f"images, where its epochs had {had}")
    return replace(record, config=record.config.replace(dataset=datamod.reference(source)))
