"""The lesson views a stage opens (``Stage.show``): windows of their own beside the panels,
each drawing one lesson's experiment with the engine's numbers."""

VIEWS = ("logistic", "logistic-descent", "chain-rule", "activation-curves", "trask-tables",
         "universal-fit")


def open_view(name, parent=None):
    """Open and return the view called ``name`` (one of ``VIEWS``); ValueError otherwise."""
    if name in ("logistic", "logistic-descent"):
        from .logistic import LogisticView

        def view(parent):
            return LogisticView(parent, roll=name == "logistic-descent")
    elif name == "chain-rule":
        from .chain_rule import ChainRuleView as view
    elif name == "activation-curves":
        from .curves import ActivationCurvesView as view
    elif name == "trask-tables":
        from .trask_tables import TraskTablesView as view
    elif name == "universal-fit":
        from .universal import UniversalFitView as view
    else:
        raise ValueError(f"no lesson view {name!r}; choose from {', '.join(VIEWS)}")
    dialog = view(parent)
    dialog.show()
    return dialog
