"""QImage → NumPy: arrays that own their pixels, whatever happens to the image."""

import gc

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from digit_descent.gui.pixels import image_array


@pytest.mark.parametrize("image_format, colour, shape, value", [
    (QImage.Format_Grayscale8, (90, 90, 90), (5, 3), 90),  # 3-byte rows padded to 4: cut
    (QImage.Format_RGB888, (255, 0, 9), (5, 3, 3), [255, 0, 9]),
    (QImage.Format_RGBA8888, (255, 0, 9), (5, 3, 4), [255, 0, 9, 255]),
])
def test_pixels_in_the_asked_format(qapp, image_format, colour, shape, value):
    image = QImage(3, 5, QImage.Format_ARGB32)
    image.fill(QColor(*colour))
    pixels = image_array(image, image_format)
    assert pixels.shape == shape and pixels.dtype == np.uint8
    assert np.all(pixels == value)


def test_the_array_outlives_the_image(qapp):
    def frame():
        image = QImage(1920, 1080, QImage.Format_RGB888)
        image.fill(QColor(10, 20, 30))
        return image_array(image, QImage.Format_RGB888)  # the image is freed on return

    pixels = frame()
    gc.collect()
    others = [QImage(1920, 1080, QImage.Format_RGB888) for _ in range(4)]
    for other in others:  # new images get the freed memory, if anything still pointed at it
        other.fill(QColor(200, 200, 200))
    assert pixels.flags.writeable and (pixels.base is None or pixels.base.flags.owndata)
    assert np.all(pixels == [10, 20, 30])


def test_a_null_image_or_another_format_is_refused(qapp):
    with pytest.raises(ValueError, match="empty"):
        image_array(QImage(), QImage.Format_RGB888)
    with pytest.raises(ValueError, match="not one of"):
        image_array(QImage(2, 2, QImage.Format_RGB32), QImage.Format_RGB32)
