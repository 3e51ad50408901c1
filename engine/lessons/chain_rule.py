"""The chain rule with numbers: one neuron per layer (3Blue1Brown's chapter 4, as the notes of
seed 003 tell it).

x → a⁽¹⁾ = σ(w⁽¹⁾x + b⁽¹⁾) → a⁽ᴸ⁾ = σ(z⁽ᴸ⁾), z⁽ᴸ⁾ = w⁽ᴸ⁾a⁽¹⁾ + b⁽ᴸ⁾, C = (a⁽ᴸ⁾ − y)².
Every derivative along the path is a number; their products are the four partial
derivatives, and one gradient step changes the cost by about −η |∇C|² (first order), which
the step then checks.
"""

import math

# a⁽ᴸ⁻¹⁾ ≈ 0.48 and a⁽ᴸ⁾ ≈ 0.66 with y = 1, the values of the lecture's figure
START = {"x": 1.0, "w1": 0.6, "b1": -0.7, "wL": 1.3, "bL": 0.05}
TARGET = 1.0
LR = 1.0


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def forward(p, x=START["x"], y=TARGET):
    """The chain's values for parameters ``p`` (keys w1, b1, wL, bL): z1, a1, zL, aL, cost."""
    z1 = p["w1"] * x + p["b1"]
    a1 = _sigmoid(z1)
    zL = p["wL"] * a1 + p["bL"]
    aL = _sigmoid(zL)
    return {"x": x, "y": y, "z1": z1, "a1": a1, "zL": zL, "aL": aL, "cost": (aL - y) ** 2}


def derivatives(v, p):
    """Each link of the chain at the values ``v`` of :func:`forward` and parameters ``p``:
    dC/daL = 2(aL − y), daL/dzL = σ'(zL) = aL(1 − aL), dzL/dwL = a1, dzL/dbL = 1,
    dzL/da1 = wL, da1/dz1 = a1(1 − a1), dz1/dw1 = x, dz1/db1 = 1; and their products, the
    gradient (dC/dwL, dC/dbL, dC/dw1, dC/db1)."""
    links = {"dC/daL": 2 * (v["aL"] - v["y"]), "daL/dzL": v["aL"] * (1 - v["aL"]),
             "dzL/dwL": v["a1"], "dzL/dbL": 1.0, "dzL/da1": p["wL"],
             "da1/dz1": v["a1"] * (1 - v["a1"]), "dz1/dw1": v["x"], "dz1/db1": 1.0}
    deltaL = links["dC/daL"] * links["daL/dzL"]
    delta1 = deltaL * links["dzL/da1"] * links["da1/dz1"]
    gradient = {"wL": deltaL * links["dzL/dwL"], "bL": deltaL * links["dzL/dbL"],
                "w1": delta1 * links["dz1/dw1"], "b1": delta1 * links["dz1/db1"]}
    return links, gradient


def chain_rule(short=False, data=None, lr=LR):
    """The chain's values, each derivative and the gradient, then one step of η = ``lr``:
    ``predicted_cost_change`` = −η |∇C|², ``actual_cost_change`` after the step. Cheap:
    ``short`` runs it whole."""
    params = {k: START[k] for k in ("w1", "b1", "wL", "bL")}
    before = forward(params)
    links, gradient = derivatives(before, params)
    yield {"values": before}
    yield {"links": links}
    yield {"gradient": gradient}
    after_params = {k: params[k] - lr * gradient[k] for k in params}
    after = forward(after_params)
    yield {"lr": lr, "params_before": params, "params_after": after_params,
           "a1": before["a1"], "aL": before["aL"], "y": TARGET,
           "cost_before": before["cost"], "cost_after": after["cost"],
           "aL_after": after["aL"], "links": links, "gradient": gradient,
           "predicted_cost_change": -lr * sum(g * g for g in gradient.values()),
           "actual_cost_change": after["cost"] - before["cost"]}
