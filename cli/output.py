"""Standard output whose reader may go away (``digit-descent … | head``) or that was
closed before the program started (``>&-``): no traceback."""

import errno
import io
import os
import sys


class ClosedOutput(io.TextIOBase):
    """Standard output closed before the program started (``>&-``): every write raises
    BrokenPipeError, as when the reader of a pipe has gone, so that a run ends as it does
    then (see :class:`Lines`); flushing does nothing."""

    def writable(self):
        return True

    def write(self, text):
        raise BrokenPipeError(errno.EPIPE, "standard output is closed")


def open_standard_streams():
    """Make the standard streams usable when the program was started with one closed.

    Python leaves ``sys.stdout`` (``sys.stderr``) None then, and the first file opened would
    take the free descriptor 1 (2), so that a child process's output (ffmpeg's) would land
    in it. Each closed descriptor 0–2 is opened on the null device; a closed standard
    output becomes :class:`ClosedOutput`, a closed standard error a writer to the null device
    (nobody reads the notes: the run goes on, its exit code says how it went).
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def silence(stream=None):
    """Point ``stream``'s file (default: standard output) at the null device, so that what
    is still buffered is dropped at exit instead of raising BrokenPipeError there."""
    stream = stream or sys.stdout
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a file (a test's StringIO): nothing is flushed at exit


class Lines:
    """Lines written to ``stream`` and flushed; once its reader has gone they are dropped
    quietly (``gone`` says so), so that a run still ends, writing its files. Any other
    failure to write (a full disk: ``> /dev/full``) drops them too, said once on ``err`` as
    one ``error:`` line (ending with ``; {then}`` if ``then`` is given); ``failed`` holds
    that error."""

    def __init__(self, stream, err=None, then=None):
        self.stream, self.err, self.gone, self.failed = stream, err or sys.stderr, False, None
        self.then = f"; {then}" if then else ""

    def write(self, text):
        if self.gone:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except BrokenPipeError:
            self.gone = True
            silence(self.stream)
        except OSError as exc:
            self.gone, self.failed = True, exc
            silence(self.stream)
            self.err.write(f"error: cannot write to standard output ({exc.strerror or exc})"
                           f"{self.then}\n")
