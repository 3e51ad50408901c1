import numpy as np
import pytest

from digit_descent.gui.display import grid_shape, mosaic, symmetric_limit, tile_at


@pytest.mark.parametrize("n,shape", [(16, (4, 4)), (30, (5, 6)), (100, (10, 10)), (10, (3, 4)),
                                     (1, (1, 1))])
def test_grid_shapes(n, shape):
    assert grid_shape(n) == shape


def test_mosaic_places_every_tile_and_finds_it_again():
    tiles = np.arange(10, dtype=np.float32)[:, None, None] * np.ones((10, 28, 28), np.float32)
    image, rows, cols = mosaic(tiles, pad=2)
    assert (rows, cols) == (3, 4) and image.shape == (3 * 30 - 2, 4 * 30 - 2)
    for i in range(10):
        r, c = divmod(i, cols)
        y, x = r * 30 + 5, c * 30 + 7
        assert image[y, x] == i
        assert tile_at(x, y, 28, 28, cols, 10, pad=2) == i
    assert np.isnan(image[28, 0])  # the gap
    assert tile_at(28.5, 3, 28, 28, cols, 10, pad=2) is None
    assert tile_at(3 * 30 + 3, 2 * 30 + 3, 28, 28, cols, 10, pad=2) is None  # past the last tile


def test_symmetric_limit_ignores_nan_and_outliers():
    values = np.concatenate([np.linspace(-1, 1, 1000), [50.0, np.nan]])
    assert 0.9 < symmetric_limit(values) < 1.1
    assert symmetric_limit(np.zeros(5)) == 1.0
