"""Pictures of a panel's plots for slides: PNG at a chosen width, or SVG.

Only the plot is drawn (the panel's graphics item is rendered, not its widgets), and the
file is written like any other the app saves: atomically, with the user's usual permissions.
"""

from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from digit_descent.engine.model_io import atomic_write

DEFAULT_WIDTH = 1920
FORMATS = ("png", "svg")


def export_picture(item, path, width=DEFAULT_WIDTH):
    """Write ``item`` (a pyqtgraph graphics item) to ``path``: PNG ``width`` pixels wide, or SVG.

    Raises ValueError for another file type and OSError when the file cannot be written.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(f"{path.name}: pictures are saved as .png or .svg")
    if kind == "svg":
        data = svg_bytes(item)
    else:
        exporter = ImageExporter(item)
        exporter.parameters()["width"] = int(width)
        exporter.parameters()["background"] = pg.mkColor("w")
        data = png_bytes(exporter.export(toBytes=True))
    atomic_write(path, lambda f: f.write(data))


def svg_bytes(item):
    """The scene under ``item`` drawn as SVG by Qt's own generator (pyqtgraph's SVGExporter
    fails on the path data this Qt writes: pyqtgraph issue #3485)."""
    source = item.sceneBoundingRect()
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Digit Descent")
    painter = QPainter(generator)
    try:
        item.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
    buffer.close()
    return bytes(array.data())


def png_bytes(image):
    """A QImage encoded as PNG."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(array.data())
