"""Standard output whose reader may go away (``digit-descent … | head``): no traceback."""

import os
import sys


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
