"""The 2-D lab's engine: small networks on points of the plane (or a 1-D curve).

Data sets (:mod:`.datasets`), points files (:mod:`.points_csv`), engineered inputs
(:mod:`.features`), the boundary over a grid (:mod:`.grid`), surgery with undo
(:mod:`.surgery`), the hover card's numbers (:mod:`.maths`) and the run (:mod:`.lab`).
"""

from .lab import Lab, LabConfig, LabSnapshot

__all__ = ["Lab", "LabConfig", "LabSnapshot"]
