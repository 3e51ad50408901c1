"""The one error type users see: a message that names the file or value at fault."""


class DigitDescentError(Exception):
    """A user-facing problem (bad file, bad option, diverged run)."""


class DataError(DigitDescentError):
    """A data set file is missing, damaged or not what it claims to be."""


class ModelFileError(DigitDescentError):
    """A saved model is missing, damaged, truncated or foreign."""


class DivergedError(DigitDescentError):
    """Training produced a NaN or infinite cost."""


class SessionFileError(DigitDescentError):
    """A saved session is missing, damaged, truncated or foreign."""
