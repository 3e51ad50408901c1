"""The 2-D lab: small networks you can see whole (``digit-descent lab``, or ``open_lab``)."""


def open_lab(parent=None, config=None):
    """Open the lab in a window of its own; returns the window."""
    from .window import open_lab as _open

    return _open(parent, config)
