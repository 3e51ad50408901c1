"""Recording a run as a video: frames, formats, the command line and File → Record…."""

import errno
import importlib.util
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from digit_descent import cli
from digit_descent.engine import preset
from digit_descent.engine.session import Session
from digit_descent.engine.session_io import save_session
from digit_descent.gui import recorder

imageio = pytest.importorskip("imageio.v2")


def frames_of(path):
    reader = imageio.get_reader(path)
    frames = [frame for frame in reader]
    reader.close()
    return frames


def gif_seconds(path):
    from PIL import Image

    with Image.open(path) as image:
        total = 0
        for index in range(image.n_frames):
            image.seek(index)
            total += image.info["duration"]
    return total / 1000


def test_time_lapse_is_dense_at_first():
    steps = recorder.frame_steps(60_000, 300)
    assert steps[0] == 0 and steps[-1] == 60_000 and len(steps) == 300
    assert np.all(np.diff(steps) >= 0)
    assert steps[150] < 60_000 / 20  # half the frames film the first 5% of the run


@pytest.fixture
def small_session(tmp_path):
    session = Session(preset("3b1b").replace(train_subset=600, epochs=2))
    for _ in range(2):
        session.run_epoch()
    path = tmp_path / "run.npz"
    save_session(session, path)
    return path


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_replaying_a_session_writes_the_frames_asked_for(qapp, tmp_path, small_session, suffix):
    out = tmp_path / f"run{suffix}"
    seen = []
    count = recorder.record(small_session, ["cost", "weights", "confusion"], out, fps=6,
                            size=(320, 240), seconds=2, progress=lambda d, t: seen.append(d))
    assert count == 12 and seen == list(range(1, 13))
    frames = frames_of(out)
    if suffix == ".mp4":
        assert len(frames) == 12
    else:  # a GIF merges identical consecutive frames (a replay repeats recorded steps)
        assert 2 <= len(frames) <= 12  # (GIF times are whole hundredths: 12 × 0.16 s)
        assert gif_seconds(out) == pytest.approx(2.0, abs=0.1)
    assert frames[0].shape[:2] == (240, 320)
    assert not np.array_equal(frames[0], frames[-1])  # training moved on between them
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_replayed_frame_draws_nothing_from_its_future(qapp, small_session):
    """The replay drew both epochs' results, and the whole cost curve, from the first frame."""
    views = list(recorder._filmed(small_session, 5, False))
    strip = recorder.Filmstrip(("cost",), (320, 240))
    try:
        for view in views:
            assert all(r.samples_seen <= view.samples_seen for r in view.reports)
            assert np.all(view.history[0] <= view.samples_seen)
        strip.frame(views[0])
        panel = strip.panels[0]
        def drawn(curve):
            x = curve.getData()[0]
            return 0 if x is None else len(x)
        assert views[0].step == 0 and drawn(panel.test_points) == 0
        assert drawn(panel.raw_curve) == 0
        strip.frame(views[-1])
        assert drawn(panel.test_points) == 2  # both epochs, once they are over
    finally:
        strip.close_panels()
        strip.deleteLater()


FULL_HD = """
import sys
from digit_descent.gui.app import make_application
from digit_descent.gui import recorder
make_application()
for out in sys.argv[2:]:
    recorder.record(sys.argv[1], ["cost", "weights"], out, fps=1, seconds=2, size=(1920, 1080))
"""


def test_full_hd_videos_are_recorded_again_and_again(tmp_path, small_session):
    """The frames own their pixels: at 1920×1080 a view of the freed QImage crashed the
    GIF encoder and failed the MP4 one with 'Bad address'. glibc is told to give every
    large block back to the system when freed (instead of when it chooses), so any read
    of a freed frame crashes in every run, not only in some."""
    outs = [str(tmp_path / name) for name in ("a.mp4", "a.gif", "b.gif")]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MALLOC_MMAP_THRESHOLD_": "131072"}
    run = subprocess.run([sys.executable, "-c", FULL_HD, str(small_session), *outs], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    for out in outs:
        frames = frames_of(out)
        assert frames[0].shape == (1080, 1920, 3) and frames[0].std() > 10  # plots, not noise
        assert not np.array_equal(frames[0], frames[-1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gif", "a.mp4", "b.gif", "run.npz"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_videos_get_the_usual_permissions(qapp, tmp_path, small_session):
    old = os.umask(0o027)
    try:
        recorder.record(small_session, ["cost"], tmp_path / "v.gif", fps=1, size=(64, 64),
                        seconds=1)
    finally:
        os.umask(old)
    assert (tmp_path / "v.gif").stat().st_mode & 0o777 == 0o640  # not mkstemp's 0600


def test_the_command_line_trains_and_films_a_preset(qapp, tmp_path, capsys):
    out = tmp_path / "templates.mp4"
    code = cli.main(["record", "--preset", "templates", "--epochs", "1", "--panels", "weights",
                     "--out", str(out), "--fps", "4", "--seconds", "2", "--size", "200x160"])
    assert code == 0
    assert "saved 8 frames" in capsys.readouterr().err
    frames = frames_of(out)
    assert len(frames) == 8 and frames[0].shape[:2] == (160, 200)


@pytest.mark.parametrize("args, message", [
    (["--panels", "cost,nonsense"], "choose one to four panels"),
    (["--out", "x.avi"], "must end in .mp4 or .gif"),
    (["--size", "321x240"], "even numbers"),
    (["--size", "big"], "WIDTHxHEIGHT"),
])
def test_bad_recording_requests_are_one_message(qapp, tmp_path, small_session, capsys, args,
                                                message):
    base = {"--session": str(small_session), "--out": str(tmp_path / "v.gif"),
            "--size": "320x240", "--panels": "cost"}
    base.update(dict(zip(args[::2], args[1::2])))
    code = cli.main(["record", *[x for pair in base.items() for x in pair]])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_without_the_encoder_it_says_how_to_install_it(qapp, tmp_path, small_session,
                                                       monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "imageio_ffmpeg" else real(name, *a))
    with pytest.raises(recorder.RecordingError, match=r"pip install -e '\.\[record\]'"):
        recorder.record(small_session, ["cost"], tmp_path / "v.mp4", fps=2, size=(64, 64),
                        seconds=1)
    assert list(tmp_path.glob("*.mp4")) == [] and list(tmp_path.glob(".v.mp4*")) == []


def test_a_folder_that_cannot_be_written_or_a_full_disk_is_one_message(qapp, tmp_path,
                                                                        small_session,
                                                                        monkeypatch):
    with pytest.raises(recorder.RecordingError, match="cannot write the video there"):
        recorder.record(small_session, ["cost"], tmp_path / "gone" / "v.gif", fps=1,
                        size=(64, 64), seconds=1)

    class FullDisk:
        def append_data(self, frame):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            pass

    monkeypatch.setattr(recorder, "_writer", lambda path, fps: FullDisk())
    with pytest.raises(recorder.RecordingError,
                       match=r"v\.mp4: the video could not be written \(No space left"):
        recorder.record(small_session, ["cost"], tmp_path / "v.mp4", fps=1, size=(64, 64),
                        seconds=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz"]


def test_an_interrupted_recording_leaves_nothing_behind(qapp, tmp_path, small_session):
    def interrupt(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        recorder.record(small_session, ["cost"], tmp_path / "v.gif", fps=5, size=(64, 64),
                        seconds=2, progress=interrupt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("how", ["Ctrl+C", "end of input"])
def test_a_recording_stopped_from_outside_ends_cleanly(tmp_path, small_session, how):
    """Stopped between frames: an interrupt inside Qt's painting crashed the process and
    left the hidden video behind."""
    out = tmp_path / "v.mp4"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "digit_descent", "record", "--session", str(small_session),
         "--panels", "cost,weights", "--out", str(out), "--size", "640x360", "--seconds", "600",
         "--until-stdin-closes"], env=env, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    while b"frame 3/" not in seen and process.poll() is None:
        seen += os.read(process.stderr.fileno(), 256)
    if how == "Ctrl+C":
        process.send_signal(signal.SIGINT)
    else:
        process.stdin.close()
    err = seen + process.stderr.read()
    process.wait(timeout=60)
    assert process.returncode == 130, err.decode(errors="replace")
    assert b"interrupted" in err and b"Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz"]


def test_hidden_videos_of_killed_recordings_are_removed_after_an_hour(qapp, tmp_path,
                                                                      small_session):
    old, recent = tmp_path / ".v.gif.abc123.gif", tmp_path / ".v.gif.def456.gif"
    for path in (old, recent):
        path.write_bytes(b"GIF89a")
    two_hours_ago = os.stat(old).st_mtime - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))  # a killed recording's
    recorder.record(small_session, ["cost"], tmp_path / "v.gif", fps=1, size=(64, 64),
                    seconds=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [recent.name, "run.npz", "v.gif"]


def test_the_recorder_process_ends_cleanly_after_saving(tmp_path):
    """Once its video is saved, the recorder leaves without the interpreter's teardown of
    Qt's objects, which crashed it now and then (SIGSEGV after a 784-16-16-10 weights
    panel, so File → Record… reported a failure for a good video)."""
    path = tmp_path / "run.npz"
    session = Session(preset("3b1b").replace(train_subset=2000, epochs=1))
    session.run_epoch()
    save_session(session, path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for attempt in range(4):
        out = tmp_path / f"weights{attempt}.gif"
        run = subprocess.run([sys.executable, "-m", "digit_descent", "record", "--session",
                              str(path), "--panels", "weights", "--out", str(out), "--fps", "2",
                              "--seconds", "1", "--size", "320x240"], env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-500:]
        assert out.stat().st_size > 0


@pytest.mark.skipif(sys.platform == "win32", reason="mkfifo is POSIX")
def test_a_named_pipe_as_the_video_is_refused_and_kept(qapp, tmp_path, small_session):
    out = tmp_path / "v.gif"
    os.mkfifo(out)
    with pytest.raises(recorder.RecordingError, match=r"v\.gif: cannot write the video there "
                                                      r"\(.*named pipe, not a regular file"):
        recorder.record(small_session, ["cost"], out, fps=1, size=(64, 64), seconds=1)
    import stat
    assert stat.S_ISFIFO(os.stat(out).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz", "v.gif"]


def test_an_mp4_the_encoder_could_not_finish_keeps_the_old_video(qapp, tmp_path, small_session):
    """ffmpeg on a full disk says "Error closing file" on its stderr, but imageio's close
    returns normally and the file has no index (moov box): it must not replace a good one."""
    out = tmp_path / "v.mp4"
    recorder.record(small_session, ["cost"], out, fps=2, size=(64, 64), seconds=1)
    good = out.read_bytes()
    assert recorder._complete_mp4(out)

    class NoSpaceAtClose:  # what ffmpeg leaves: the header and data, no index
        def __init__(self, path, fps):
            self.path = path

        def append_data(self, frame):
            pass

        def close(self):
            self.path.write_bytes(good[:len(good) // 2])

    import unittest.mock
    with unittest.mock.patch.object(recorder, "_writer", NoSpaceAtClose), \
            pytest.raises(recorder.RecordingError,
                          match=r"v\.mp4: the video could not be written .*disk full"):
        recorder.record(small_session, ["cost"], out, fps=2, size=(64, 64), seconds=1)
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz", "v.mp4"]


def test_a_gif_on_a_full_disk_is_one_message_and_keeps_the_old_one(qapp, tmp_path,
                                                                   small_session, monkeypatch,
                                                                   capsys):
    import gc

    from PIL import Image

    out = tmp_path / "v.gif"
    out.write_bytes(b"GIF89a old")

    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", no_space)
    code = cli.main(["record", "--session", str(small_session), "--panels", "cost", "--out",
                     str(out), "--size", "64x64", "--seconds", "1", "--fps", "2"])
    gc.collect()  # a writer left half-closed complained here, once per frame
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines()[-1] == (f"error: {out}: the video could not be written "
                                            "(No space left on device)")
    assert "Exception ignored" not in err and "Traceback" not in err
    assert out.read_bytes() == b"GIF89a old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.npz", "v.gif"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_one_ctrl_c_while_the_video_is_written_stops_at_once(qapp, tmp_path, small_session,
                                                            monkeypatch, capsys):
    """Once every frame is rendered, the first Ctrl+C interrupts (the writing of a GIF took
    70 s during which it did nothing); no file is left."""
    def record(source, panels, out, progress, **kwargs):
        progress(3, 3)  # the last frame: what follows is the encoding
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10_000_000):  # the encoder at work; the interrupt lands in here
            pass
        return 3

    monkeypatch.setattr(recorder, "record", record)
    code = cli.main(["record", "--session", str(small_session), "--out",
                     str(tmp_path / "v.gif")])
    assert code == 130 and "interrupted" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is not None
