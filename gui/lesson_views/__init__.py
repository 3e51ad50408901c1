"""The lesson views a stage opens (``Stage.show``), each drawing one lesson's experiment with
the engine's numbers. They are widgets for the window's views column (``show_aside``), beside
the stage's panels, never windows over them."""

VIEWS = ("logistic", "logistic-descent", "chain-rule", "activation-curves", "trask-tables",
         "universal-fit", "depth-width")


def make_view(name, parent=None):
    """The view called ``name`` (one of ``VIEWS``), not yet shown: the caller places it.
    ValueError for any other name."""
    if name in ("logistic", "logistic-descent"):
        from .logistic import LogisticView
        return LogisticView(parent, roll=name == "logistic-descent")
    if name == "chain-rule":
        from .chain_rule import ChainRuleView as view
    elif name == "activation-curves":
        from .curves import ActivationCurvesView as view
    elif name == "trask-tables":
        from .trask_tables import TraskTablesView as view
    elif name == "universal-fit":
        from .universal import UniversalFitView as view
    elif name == "depth-width":
        from .depth import DepthWidthView as view
    else:
        raise ValueError(f"no lesson view {name!r}; choose from {', '.join(VIEWS)}")
    return view(parent)
