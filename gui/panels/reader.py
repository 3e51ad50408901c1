"""Which network reads a drawing: the one being trained, or the shipped pretrained one.

Shared by the drawing pad and the activations panel, so both say the same thing about a
network that cannot read the drawing.
"""

from digit_descent.engine import DigitDescentError, load_model
from digit_descent.engine.data import DIGITS, RESOURCES

PRETRAINED = RESOURCES / "strong.npz"
SOURCES = ("the network being trained", "pretrained network (strong)")
LIVE, SHIPPED = 0, 1


class NetworkChoice:
    """The network for one of :data:`SOURCES`, built at most once per snapshot."""

    def __init__(self):
        self.snapshot = None
        self._live = None  # (snapshot, Network built from it)
        self._pretrained = None

    def network(self, source):
        """``(network, "")``, or ``(None, reason)`` when that network cannot read a drawing."""
        if source == SHIPPED:
            if self._pretrained is None:
                try:
                    self._pretrained = load_model(PRETRAINED)
                except DigitDescentError as exc:
                    return None, f"The pretrained model cannot be read: {exc}"
            return self._pretrained, ""
        snap = self.snapshot
        if snap is None:
            return None, "Waiting for the network…"
        if snap.sizes[0] != 784 or snap.image_shape != (28, 28):
            return None, (f"This {'-'.join(map(str, snap.sizes))} network does not read 28×28 "
                          "images: choose an MNIST preset, or the pretrained network.")
        if not snap.finite:
            return None, "The network's weights are NaN (training diverged): press Reset."
        if self._live is None or self._live[0] is not snap:
            self._live = (snap, snap.network())
        return self._live[1], ""

    def class_names(self, source):
        """The names of the outputs of the network ``source`` picks."""
        snap = self.snapshot
        if source == LIVE and snap is not None and snap.class_names:
            return tuple(snap.class_names)
        return DIGITS
