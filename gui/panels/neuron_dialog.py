"""A closer look at one first-layer neuron (double-click in the weights panel)."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from digit_descent.engine import inspection

from .. import display, style
from .weights import initial_weights


class NeuronDialog(QDialog):
    """A closer look at one first-layer neuron: its weights, their change, what excites it."""

    def __init__(self, snapshot, layer, neuron, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Layer {layer + 1}, neuron {neuron}")
        self.resize(760, 520)
        w = snapshot.weights[layer][neuron]
        b = float(snapshot.biases[layer][neuron])
        change = w - initial_weights(snapshot, layer)[neuron]
        view = pg.GraphicsLayoutWidget()
        shape = snapshot.image_shape if layer == 0 and snapshot.image_shape else (1, w.size)
        colour = display.is_colour(shape)
        for col, (title, values) in enumerate([("weights", w), ("change since start", change)]):
            box = view.addViewBox(row=0, col=col)
            box.setAspectLocked(True)
            box.invertY(True)
            limit = display.symmetric_limit(values)
            if colour:  # stretched to [0, 1] in its own colours, as the panel shows it
                img = pg.ImageItem(display.colour_templates(values.reshape(1, *shape))[0],
                                   axisOrder="row-major", levels=(0, 1))
            else:
                img = pg.ImageItem(values.reshape(shape).astype(np.float32), axisOrder="row-major")
                img.setLookupTable(style.diverging_colormap().getLookupTable(nPts=256))
                img.setLevels((-limit, limit))
            box.addItem(img)
            style.sized_label(view.addLabel(f"{title} (±{limit:.2f})", row=1, col=col), 12)
        text = f"bias {b:+.3f}"
        test = snapshot.test_set
        if layer == 0 and test is not None and snapshot.image_shape:
            top, z = inspection.top_activating(w, b, test.x, count=8)
            tiles = display.picture(test.x[top], snapshot.image_shape)
            join = display.colour_mosaic if colour else display.mosaic
            image, _, _ = join(tiles, cols=8, fill=1.0)
            box = view.addViewBox(row=2, col=0, colspan=2)
            box.setAspectLocked(True)
            box.invertY(True)
            box.addItem(pg.ImageItem(image, axisOrder="row-major", levels=(0, 1)))
            style.sized_label(view.addLabel(
                "test images that excite it most (weighted input "
                + ", ".join(f"{v:.1f}" for v in z[:4]) + ", …)", row=3, col=0, colspan=2), 12)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text))
        layout.addWidget(view, 1)
