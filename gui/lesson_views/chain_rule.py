"""The chain rule with numbers: each link's value, multiplied along the path; one step, the
predicted and the actual change of the cost."""

from PySide6.QtWidgets import QPushButton

from digit_descent.engine.lessons.chain_rule import chain_rule

from .. import style
from .base import TEXT_PT, LessonView, text_label


def _row(name, formula, value):
    return f"<tr><td>{name}</td><td>&nbsp;=&nbsp;{formula}&nbsp;</td><td align=right><b>{value:+.4f}</b></td></tr>"


class ChainRuleView(LessonView):
    """The one-neuron-per-layer chain of :mod:`engine.lessons.chain_rule` as tables; the
    button takes the step."""

    def __init__(self, parent=None):
        super().__init__("The chain rule with numbers: one neuron per layer", parent)
        self.result = list(chain_rule())[-1]
        r = self.result
        v, links, g = r["params_before"], r["links"], r["gradient"]
        self.values = text_label(
            f"x = 1 → a⁽ᴸ⁻¹⁾ = σ({v['w1']:.2f}·1 {v['b1']:+.2f}) = <b>{r['a1']:.4f}</b> → "
            f"a⁽ᴸ⁾ = σ({v['wL']:.2f}·a⁽ᴸ⁻¹⁾ {v['bL']:+.2f}) = <b>{r['aL']:.4f}</b>, y = "
            f"{r['y']:.0f}: &nbsp; C = (a⁽ᴸ⁾ − y)² = <b>{r['cost_before']:.4f}</b>")
        rows = "".join([
            _row("∂C/∂a⁽ᴸ⁾", "2(a⁽ᴸ⁾ − y)", links["dC/daL"]),
            _row("∂a⁽ᴸ⁾/∂z⁽ᴸ⁾", "σ′(z⁽ᴸ⁾) = a⁽ᴸ⁾(1 − a⁽ᴸ⁾)", links["daL/dzL"]),
            _row("∂z⁽ᴸ⁾/∂w⁽ᴸ⁾", "a⁽ᴸ⁻¹⁾", links["dzL/dwL"]),
            _row("∂z⁽ᴸ⁾/∂a⁽ᴸ⁻¹⁾", "w⁽ᴸ⁾", links["dzL/da1"]),
            _row("∂a⁽ᴸ⁻¹⁾/∂z⁽ᴸ⁻¹⁾", "a⁽ᴸ⁻¹⁾(1 − a⁽ᴸ⁻¹⁾)", links["da1/dz1"]),
            _row("∂z⁽ᴸ⁻¹⁾/∂w⁽ᴸ⁻¹⁾", "x", links["dz1/dw1"])])
        self.links = text_label(f"<table cellpadding=3>{rows}</table>", wrap=False)
        products = "".join([
            _row("∂C/∂w⁽ᴸ⁾", f"{links['dzL/dwL']:.4f} × {links['daL/dzL']:.4f} × "
                 f"{links['dC/daL']:.4f}", g["wL"]),
            _row("∂C/∂b⁽ᴸ⁾", f"1 × {links['daL/dzL']:.4f} × {links['dC/daL']:.4f}", g["bL"]),
            _row("∂C/∂w⁽ᴸ⁻¹⁾", f"{links['dz1/dw1']:.0f} × {links['da1/dz1']:.4f} × "
                 f"{links['dzL/da1']:.2f} × {links['daL/dzL']:.4f} × {links['dC/daL']:.4f}",
                 g["w1"]),
            _row("∂C/∂b⁽ᴸ⁻¹⁾", f"1 × {links['da1/dz1']:.4f} × {links['dzL/da1']:.2f} × "
                 f"{links['daL/dzL']:.4f} × {links['dC/daL']:.4f}", g["b1"])])
        self.products = text_label("Multiplied along each path:"
                                   f"<table cellpadding=3>{products}</table>", wrap=False)
        self.step = QPushButton(f"Take one step of η = {r['lr']:g} against the gradient")
        style.sized_text(self.step, TEXT_PT)
        self.outcome = text_label(" ")
        self.step.clicked.connect(self.take_step)
        for widget in (self.values, self.links, self.products, self.step, self.outcome):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)

    def take_step(self):
        r = self.result
        self.outcome.setText(
            f"Predicted: ΔC ≈ −η |∇C|² = <b>{r['predicted_cost_change']:+.4f}</b>. &nbsp; "
            f"Actual: C {r['cost_before']:.4f} → {r['cost_after']:.4f}, ΔC = "
            f"<b>{r['actual_cost_change']:+.4f}</b> (a⁽ᴸ⁾ {r['aL']:.4f} → "
            f"{r['aL_after']:.4f}).")
        self.step.setEnabled(False)
