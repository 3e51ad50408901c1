"""The window's panels, in the order of their tabs. A new panel: its module, and one line here."""

from .activations import ActivationsPanel
from .confusion import ConfusionPanel
from .controls import ControlsPanel
from .cost import CostPanel
from .pad import PadPanel
from .surface import SurfacePanel
from .nodelink import NodeLinkPanel
from .weights import WeightsPanel

PANELS = [ControlsPanel, CostPanel, WeightsPanel, ConfusionPanel, SurfacePanel, PadPanel,
          ActivationsPanel, NodeLinkPanel]
