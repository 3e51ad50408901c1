"""No import cycles among the modules of engine/ and gui/ (lazy imports inside functions
included: they only hide a cycle)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path):
    parts = ["digit_descent", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, modules):
    """The modules of engine/ and gui/ that ``path`` imports: ``from pkg import sub`` is an
    import of ``pkg.sub`` when that is a module, else of ``pkg``."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules
                       else module for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t.split(".")[:2] in (["digit_descent", "engine"],
                                                             ["digit_descent", "gui"])}
    return found


def test_no_import_cycles():
    paths = [p for pkg in ("engine", "gui") for p in (ROOT / pkg).rglob("*.py")]
    modules = {_module_name(p): p for p in paths}
    graph = {name: {t for t in _imports(path, modules) if t in modules and t != name}
             for name, path in modules.items()}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def _graph():
    paths = [p for pkg in ("engine", "gui") for p in (ROOT / pkg).rglob("*.py")]
    modules = {_module_name(p): p for p in paths}
    return {name: {t for t in _imports(path, modules) if t in modules and t != name}
            for name, path in modules.items()}


def _reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _layer(module):
    """engine < model < panels < window: the GUI's model, its controller and what they use
    sit between the engine and the panels."""
    if module.startswith("digit_descent.engine"):
        return "engine"
    if module.startswith("digit_descent.gui.panels"):
        return "panel"
    if module == "digit_descent.gui.main_window":
        return "window"
    return "model" if module in MODEL_LAYER else "other"


MODEL_LAYER = {"digit_descent.gui.model", "digit_descent.gui.controller",
               "digit_descent.gui.worker"}
FORBIDDEN = {"engine": {"model", "panel", "window", "other"}, "model": {"panel", "window"},
             "panel": {"window"}}


def _broken(graph):
    return [f"{name} → {target}" for name in graph for target in sorted(_reachable(graph, name))
            if _layer(target) in FORBIDDEN.get(_layer(name), ())]


def test_layers():
    """The engine imports nothing of the GUI, the model (gui/model.py, the controller and its
    worker) no panel and not the window, a panel not the window: directly or through others."""
    broken = _broken(_graph())
    assert not broken, "layer rule broken: " + "; ".join(broken)


def test_the_layer_rule_sees_an_indirect_import():
    graph = _graph()
    graph["digit_descent.gui.jobs"] = graph["digit_descent.gui.jobs"] | {
        "digit_descent.gui.main_window"}  # the panels and the model use jobs
    broken = _broken(graph)
    assert "digit_descent.gui.panels.surface → digit_descent.gui.main_window" in broken
    graph["digit_descent.gui.worker"] = graph["digit_descent.gui.worker"] | {
        "digit_descent.gui.panels.cost"}
    assert "digit_descent.gui.controller → digit_descent.gui.panels.cost" in _broken(graph)
