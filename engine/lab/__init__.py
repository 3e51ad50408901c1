"""The 2-D lab's engine: small networks on points of the plane (or a 1-D curve).

Data sets (:mod:`.datasets`), points files (:mod:`.points_csv`), engineered inputs
(:mod:`.features`), the boundary over a grid (:mod:`.grid`), surgery with undo
(:mod:`.surgery`), the hover card's numbers (:mod:`.maths`) and the run (:mod:`.lab`).
``Lab``, ``LabConfig`` and ``LabSnapshot`` are imported on first use: the command line
reads the data sets' names without loading the run's modules.
"""

__all__ = ["Lab", "LabConfig", "LabSnapshot"]


def __getattr__(name):
    if name in __all__:
        from . import lab

        return getattr(lab, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
