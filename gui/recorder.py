"""Recording a training run as a video: the chosen panels' plots, frame by frame, offscreen.

The frames follow training as a time-lapse: the steps filmed are spaced logarithmically at
first, when the network changes fastest, and evenly later. A fresh run (a preset) is trained
on this thread between frames; a saved session is replayed from its recorded steps. The
encoding is imageio's for MP4 (through the ffmpeg that the imageio-ffmpeg wheel ships) and
Pillow's for GIF (which merges identical consecutive frames into one longer frame):
``pip install -e '.[record]'``. A video is renamed into place only once it is known complete:
ffmpeg does not report a failed write (a full disk) to imageio, so an MP4 is checked for its
index (the ``moov`` box) first.
"""

import errno
import glob
import importlib.util
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QWidget

from digit_descent.engine import DigitDescentError, Session
from digit_descent.engine.model_io import check_writable
from digit_descent.engine.session_io import load_session

from . import style
from .panels import PANELS
from .pixels import image_array

RECORDABLE = tuple(cls.key for cls in PANELS if cls.redraw_interval_s is not None)
FORMATS = (".mp4", ".gif")
STALE_VIDEO_S = 3600
MISSING = ("recording needs imageio and imageio-ffmpeg: pip install -e '.[record]' "
           "(or pip install imageio imageio-ffmpeg pillow)")


class RecordingError(DigitDescentError):
    """A recording that cannot be made (a missing encoder, a bad panel name or size, a
    folder that cannot be written)."""


def frame_steps(total, count):
    """``count`` steps from 0 to ``total`` (repeats allowed), dense at first: step
    ``total · (10^(3u) − 1) / 999`` at ``u`` from 0 to 1."""
    u = np.linspace(0.0, 1.0, count)
    return np.round(total * (10 ** (3 * u) - 1) / 999).astype(np.int64)


class Filmstrip(QWidget):
    """The chosen panels side by side (two rows for three or four) at one size, without
    their control rows: ``frame(snapshot)`` is one RGB frame."""

    def __init__(self, keys, size):
        super().__init__()
        classes = {cls.key: cls for cls in PANELS}
        unknown = [k for k in keys if k not in RECORDABLE]
        if unknown or not 1 <= len(keys) <= 4:
            raise RecordingError(f"choose one to four panels from {', '.join(RECORDABLE)}; "
                                 f"got {', '.join(keys) or 'none'}")
        self.panels = [classes[key]() for key in keys]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        columns = 1 if len(keys) == 1 else 2
        for i, panel in enumerate(self.panels):
            grid.addWidget(panel, i // columns, i % columns)
            for widget in panel.presenter_hides():
                widget.hide()
        self.caption = QLabel(" ")  # where in training the frame is
        style.sized_text(self.caption, 12)
        grid.addWidget(self.caption, (len(keys) - 1) // columns + 1, 0, 1, columns)
        self.setFixedSize(*size)
        self.setAttribute(Qt.WA_DontShowOnScreen)  # rendered, never on a screen
        self.show()

    def frame(self, snapshot):
        for panel in self.panels:
            panel.show_snapshot(snapshot)
        reports = snapshot.reports  # only those finished by then (see Snapshot.at)
        self.caption.setText(f"  step {snapshot.step:,} · epoch "
                             f"{snapshot.samples_seen / max(snapshot.n_train, 1):.2f}"
                             + (f" · test accuracy {reports[-1].test_accuracy:.1%}"
                                if reports else ""))
        QApplication.processEvents()
        return image_array(self.grab().toImage(), QImage.Format_RGB888)

    def close_panels(self):
        for panel in self.panels:
            panel.shutdown()


class _GifWriter:
    """An animated GIF written by Pillow. Each frame is reduced to 256 colours as it comes
    (Pillow's own adaptive palette, as its GIF writer would at the end), so that nearly all
    the work happens between frames, where Ctrl+C stops it, and ``close`` only compresses
    and writes (about 1/12 of the time). A failed write raises from ``close`` once; the
    frames are dropped either way."""

    def __init__(self, path, fps):
        from PIL import Image

        self.path, self.duration, self.frames, self._image = path, 1000 / fps, [], Image

    def append_data(self, frame):
        """Add ``frame``, an (H, W, 3) uint8 RGB array."""
        image = self._image.fromarray(frame)
        self.frames.append(image.convert("P", palette=self._image.Palette.ADAPTIVE))

    def close(self):
        frames, self.frames = self.frames, []
        if frames:
            frames[0].save(self.path, format="GIF", save_all=True, append_images=frames[1:],
                           duration=self.duration, loop=0)


def _complete_mp4(path):
    """True if ``path`` is a whole MP4 file: top-level boxes that fill it exactly, among
    them the index (``moov``) and the media data (``mdat``); ISO/IEC 14496-12 §4.2."""
    kinds, size = set(), path.stat().st_size
    with open(path, "rb") as f:
        position = 0
        while position < size:
            f.seek(position)
            header = f.read(16)
            if len(header) < 8:
                return False
            length, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if length == 1 and len(header) == 16:  # a 64-bit size follows the type
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:  # the box runs to the end of the file
                length = size - position
            if length < 8:
                return False
            kinds.add(kind)
            position += length
    return position == size and {b"moov", b"mdat"} <= kinds


def _writer(path, fps):
    try:
        import imageio.v2 as imageio
        import PIL  # noqa: F401  (GIFs)
    except ImportError:
        raise RecordingError(MISSING) from None
    if path.suffix.lower() == ".gif":
        return _GifWriter(path, fps)
    if importlib.util.find_spec("imageio_ffmpeg") is None:  # the ffmpeg imageio uses for MP4
        raise RecordingError(MISSING)
    return imageio.get_writer(path, format="FFMPEG", fps=fps, codec="libx264", quality=7,
                              macro_block_size=1, pixelformat="yuv420p", ffmpeg_log_level="error")


def _umask():
    mask = os.umask(0)  # os.umask is the only portable way to read it
    os.umask(mask)
    return mask


def _filmed(source, count, evaluate):
    """``(frames, snapshots)``: the snapshots at ``count`` time-lapse steps of a fresh run of
    ``source`` (a TrainConfig, trained here up to each) or of a saved session (a path, or
    the Session read from one: looked back into at each; ``evaluate``: with the test set
    evaluated for each)."""
    if isinstance(source, (str, Path)):
        source = Session.from_record(load_session(source))
    if isinstance(source, Session):  # a saved run, read back
        live, end = source.snapshot(), source.trainer.steps

        def replay():
            for step in frame_steps(end, count):
                view = live.at(int(step))
                if evaluate and view.test_set is not None:
                    view = replace(view, evaluation=view.evaluate_test())
                yield view
        return replay()
    session = Session(source)
    per_epoch = -(-len(session.trainer.train) // source.batch_size)

    def train():
        for step in frame_steps(source.epochs * per_epoch, count):
            while session.trainer.steps < step:
                session.run_steps(int(step - session.trainer.steps))
            session.collect(wait=True)
            yield session.snapshot()
    return train()


def record(source, panels, out, fps=30, size=(1920, 1080), seconds=10.0, progress=None):
    """Film ``source`` (a TrainConfig to train, or a session to replay: its file, or the
    Session read from it) into ``out``
    (``.mp4`` or ``.gif``): ``fps × seconds`` frames of ``panels`` at ``size``. Written to a
    temporary file beside ``out`` and renamed into place at the end (nothing half-written).
    ``progress(done, total)`` after every frame. Returns the number of frames."""
    if not str(out).strip():
        raise RecordingError("no file name given for the video: name a .mp4 or .gif file")
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise RecordingError(f"{out}: the video must end in .mp4 or .gif")
    if not (16 <= size[0] <= 7680 and 16 <= size[1] <= 4320) or size[0] % 2 or size[1] % 2:
        raise RecordingError(f"frame size {size[0]}x{size[1]}: even numbers from 16x16 to "
                             "7680x4320")
    count = max(1, int(round(fps * seconds)))
    try:
        check_writable(out)
    except OSError as exc:
        raise RecordingError(f"{out}: cannot write the video there ({exc.strerror or exc})") \
            from None
    strip = Filmstrip(tuple(panels), size)
    try:
        frames = _filmed(source, count, "confusion" in panels)
        try:
            _encode(frames, strip, out, fps, count, progress)
        except OSError as exc:  # a full disk, an encoder that died
            reason = exc.strerror or str(exc).splitlines()[0]
            raise RecordingError(f"{out}: the video could not be written ({reason})") from None
    finally:
        strip.close_panels()
        strip.deleteLater()
    return count


def _encode(frames, strip, out, fps, count, progress):
    """Each snapshot of ``frames`` filmed by ``strip`` into a hidden file beside ``out``,
    renamed to ``out`` at the end; removed on any error or interruption."""
    _remove_stale_temporaries(out)
    fd, tmp = tempfile.mkstemp(dir=out.resolve().parent, prefix=f".{out.name}.",
                               suffix=out.suffix)
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: the user's usual permissions
        writer = _writer(Path(tmp), fps)
        try:
            for done, snapshot in enumerate(frames, start=1):
                writer.append_data(strip.frame(snapshot))
                if progress is not None:
                    progress(done, count)
        finally:
            writer.close()
        if out.suffix.lower() == ".mp4" and not _complete_mp4(Path(tmp)):
            raise OSError(errno.EIO, "the encoder did not finish it: is the disk full?")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporaries(out):
    """The hidden files beside ``out`` that recordings write before renaming one into place
    (a set of Paths; empty if the folder cannot be read)."""
    try:
        return set(out.resolve().parent.glob(
            f".{glob.escape(out.name)}.*{glob.escape(out.suffix)}"))
    except OSError:
        return set()


def _remove_stale_temporaries(out):
    """Remove the hidden videos beside ``out`` that a killed recording left (untouched for
    an hour: a running one writes every few frames)."""
    now = time.time()
    for stale in temporaries(out):
        try:
            if now - stale.stat().st_mtime > STALE_VIDEO_S:
                stale.unlink()
        except OSError:
            pass  # another process's, or already gone
