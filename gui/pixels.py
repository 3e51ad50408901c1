"""A QImage's pixels as a NumPy array that owns its memory.

A NumPy view of ``QImage.constBits()`` points into a buffer that Qt frees with the QImage,
and PySide does not keep the image alive for the view: a view returned from the function
that made the image reads freed memory. Small images mostly get away with it (the heap
keeps the block); at 1920×1080 the block is returned to the system, and a video encoder
given such a frame fails with 'Bad address' or crashes (pyqtgraph's pull request #2492 and
pyface's #546 are the same bug). Every QImage → NumPy conversion in the project goes
through :func:`image_array`, which copies the pixels while the image is alive.
"""

import numpy as np
from PySide6.QtGui import QImage

CHANNELS = {QImage.Format_Grayscale8: 1, QImage.Format_RGB888: 3, QImage.Format_RGBA8888: 4}


def image_array(image, image_format):
    """The pixels of ``image`` converted to ``image_format`` as a uint8 array of its own:
    ``(h, w)`` for Format_Grayscale8, ``(h, w, 3)`` for Format_RGB888 (R, G, B),
    ``(h, w, 4)`` for Format_RGBA8888 (R, G, B, A).

    Raises ValueError for a null image or another format.
    """
    if image_format not in CHANNELS:
        raise ValueError(f"image_array: {image_format} is not one of {list(CHANNELS)}")
    if image.isNull():
        raise ValueError("image_array: the image is empty (a null QImage)")
    converted = image.convertToFormat(image_format)
    height, width, stride = converted.height(), converted.width(), converted.bytesPerLine()
    channels = CHANNELS[image_format]
    rows = np.frombuffer(converted.constBits(), np.uint8, stride * height).reshape(height, stride)
    pixels = rows[:, :width * channels].copy()  # the copy is made while `converted` is alive
    return pixels if channels == 1 else pixels.reshape(height, width, channels)
