"""The loss surface in 3-D: a shaded mesh with the balls and their trails on it (OpenGL)."""

import numpy as np
import pyqtgraph as pg


def opengl_available():
    """True when an OpenGL context can be made here (not on the offscreen platform)."""
    try:
        from OpenGL import GL  # noqa: F401  (pyqtgraph.opengl needs PyOpenGL)
        from PySide6.QtGui import QOffscreenSurface, QOpenGLContext
    except ImportError:
        return False
    context, surface = QOpenGLContext(), QOffscreenSurface()
    surface.create()
    ok = context.create() and context.makeCurrent(surface)
    if ok:
        context.doneCurrent()
    return bool(ok)


class SurfaceView3D:
    """The current surface as a shaded 3-D mesh with the balls on it (needs OpenGL)."""

    HEIGHT = 4.0  # the cost axis is scaled to this height, whatever its units

    def __init__(self):
        import pyqtgraph.opengl as gl

        self.gl = gl
        self.widget = gl.GLViewWidget()
        self.widget.setBackgroundColor("w")
        self.widget.setCameraPosition(distance=20, elevation=32, azimuth=-60)
        self.mesh = None
        self.balls = gl.GLScatterPlotItem(size=26, pxMode=True)
        self.balls.setGLOptions("translucent")  # drawn over the mesh, never hidden in it
        self.widget.addItem(self.balls)
        self.trails = []
        self._scale = (1.0, 1.0, 1.0, 0.0)

    def set_surface(self, xs, ys, C, colormap):
        gl = self.gl
        if self.mesh is not None:
            self.widget.removeItem(self.mesh)
        C = np.asarray(C, np.float64)
        finite = C[np.isfinite(C)]
        lo, hi = (float(finite.min()), float(np.percentile(finite, 98))) if finite.size else (0, 1)
        span_x, span_y = xs[-1] - xs[0], ys[-1] - ys[0]
        sx, sy = 8.0 / span_x, 8.0 / span_y
        sz = self.HEIGHT / max(hi - lo, 1e-12)
        self._scale = (sx, sy, sz, lo)
        z = (np.clip(C, lo, hi) - lo) * sz
        colours = colormap.map((np.clip(C, lo, hi) - lo) / max(hi - lo, 1e-12), mode="float")
        self.mesh = gl.GLSurfacePlotItem(x=(xs - xs.mean()) * sx, y=(ys - ys.mean()) * sy,
                                         z=z.T, colors=colours.reshape(len(ys), len(xs), 4)
                                         .transpose(1, 0, 2).reshape(-1, 4), smooth=False)
        self._centre = (xs.mean(), ys.mean())
        self.widget.addItem(self.mesh)
        self.widget.removeItem(self.balls)  # re-added last: drawn after the mesh
        self.widget.addItem(self.balls)

    def to_scene(self, x, y, c):
        sx, sy, sz, lo = self._scale
        return np.stack([(np.asarray(x) - self._centre[0]) * sx, (np.asarray(y) - self._centre[1]) * sy,
                         (np.asarray(c) - lo) * sz + 0.12], axis=-1)

    def set_paths(self, paths):
        """Trails on the surface, each ``(xy (n, 2), cost (n,), colour, ball at its end)``."""
        points, colour_list = [], []
        for trail in self.trails:
            self.widget.removeItem(trail)
        self.trails = []
        for xy, cost, colour, head in paths:
            if not len(xy):
                continue
            xyz = self.to_scene(xy[:, 0], xy[:, 1], cost)
            rgba = pg.mkColor(colour).getRgbF()
            line = self.gl.GLLinePlotItem(pos=xyz, color=rgba, width=3, antialias=True)
            self.widget.addItem(line)
            self.trails.append(line)
            if head:
                points.append(xyz[-1])
                colour_list.append(rgba)
        self.balls.setData(pos=np.array(points) if points else np.zeros((0, 3)),
                           color=np.array(colour_list) if colour_list else (1, 0, 0, 1))
