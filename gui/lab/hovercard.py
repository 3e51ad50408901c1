"""The node-link view's hover card: the maths of one neuron or link with its current numbers.

z = Σ wᵢ aᵢ + b, a = f(z), and gradient descent's step −η ∂C/∂w (Nielsen, *Neural Networks
and Deep Learning*, ch. 1–2), as rich text for a QLabel.
"""

import html

TERMS = 6  # the largest terms of z shown; the rest are summed


def layer_name(layer, n_layers):
    if layer == 0:
        return "input"
    return "output" if layer == n_layers else f"hidden {layer}"


def _n(v):
    """A number as the card shows it: 3 significant digits, a real minus sign."""
    text = f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"
    return text.replace("-", "−")


def _p(v):
    """In parentheses when negative, for products."""
    return f"({_n(v)})" if v < 0 else _n(v)


def neuron_card(numbers, n_layers, where, input_names=None, off=False, samples=""):
    """Rich text for :class:`~engine.lab.maths.NeuronNumbers`; ``where`` names the probe,
    ``samples`` the samples the gradient is averaged over."""
    n = numbers
    title = f"{layer_name(n.layer, n_layers)}, neuron {n.neuron}"
    terms = n.weights * n.inputs
    order = sorted(range(len(terms)), key=lambda i: -abs(terms[i]))
    shown = order[:TERMS]
    names = [input_names[i] if input_names and n.layer == 1 else f"a{_sub(i)}"
             for i in shown]
    parts = [f"{_p(n.weights[i])}·{_p(n.inputs[i])}" for i in shown]
    rest = order[TERMS:]
    if rest:
        parts.append(f"{_p(float(terms[rest].sum()))} <i>({len(rest)} more terms)</i>")
    lines = [f"<b>{html.escape(title)}</b>{' — switched off' if off else ''}",
             f"at {html.escape(where)}",
             "z = Σ wᵢaᵢ + b = " + " + ".join(parts) + f" + {_p(n.bias)}",
             f"&nbsp;&nbsp;= <b>{_n(n.z)}</b>",
             f"a = {n.function}(z) = <b>{_n(n.a)}</b>"
             + (" (sends 0: switched off)" if off else ""),
             f"∂C/∂b = {_n(n.dC_db)} {html.escape(samples)}",
             f"step −η·∂C/∂b = <b>{_n(n.step)}</b>"]
    lines.insert(2, "inputs aᵢ: " + ", ".join(html.escape(x) for x in names)
                 + (" …" if rest else ""))
    return "<br>".join(lines)


def link_card(numbers, n_layers, where, lr, source="", off=False, samples=""):
    """Rich text for :class:`~engine.lab.maths.LinkNumbers` (its regularisation's term in the
    step: λw for L2, λ·sign(w) for L1)."""
    k = numbers
    src = source or f"{layer_name(k.layer - 1, n_layers)} neuron {k.frm}"
    lines = [f"<b>weight from {html.escape(src)} into {layer_name(k.layer, n_layers)} "
             f"neuron {k.to}</b>",
             f"w = <b>{_n(k.w)}</b>" + ("  (0 while its source is switched off)" if off else ""),
             f"at {html.escape(where)}: a<sub>in</sub> = {_n(k.a_in)}, "
             f"w·a<sub>in</sub> = {_n(k.w * k.a_in)} of z",
             f"∂C/∂w = {_n(k.dC_dw)} {html.escape(samples)}"]
    term = {"L1": "λ·sign(w)", "L2": "λw"}.get(k.regularization)
    if term:
        lines.append(f"step −η·(∂C/∂w + {term}) = −{_n(lr)}·({_n(k.dC_dw)} + "
                     f"{_p(k.penalty)}) = <b>{_n(k.step)}</b>  ({k.regularization})")
    else:
        lines.append(f"step −η·∂C/∂w = −{_n(lr)}·{_p(k.dC_dw)} = <b>{_n(k.step)}</b>")
    return "<br>".join(lines)


def input_card(name, value, where):
    return f"<b>input {html.escape(name)}</b><br>at {html.escape(where)}: {name} = {_n(value)}"


def _sub(i):
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
