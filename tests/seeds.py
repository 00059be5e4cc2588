"""The seed homeworks' networks, built node by node with plain autograd Values
(seed 000's also with nn, as the README builds it), and the hand answers
exactly as the documents state them.

Every node a homework names carries that name as its label, so `check` and
`explain` speak the document's language.  Only the networks and the
transcribed hand numbers live here; which hand numbers are right is worked
out independently in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import autograd
from autograd import Value


@dataclass
class Net:
    """A built seed network: its root (the loss) and every labelled node."""

    root: Value
    nodes: dict[str, Value]

    def __getitem__(self, label: str) -> Value:
        return self.nodes[label]


def _labelled(*values: Value) -> dict[str, Value]:
    return {v.label: v for v in values}


# -- seed 000: ToBig's 22기 4주차, the 2-2-2 sigmoid perceptron (Q3, Q4) ----------

def tobigs_perceptron(targets: tuple[float, float] = (1.0, 0.0),
                      outputs: tuple[str, str] = ("y1", "y2"), loss: str = "Loss") -> Net:
    """x1 = 0.2, x2 = 0.5; first layer (the document's w(0)) w10 = 0.2 (x1→h0),
    w20 = 0.1 (x2→h0), w11 = 0.1 (x1→h1), w21 = 0.2 (x2→h1); second layer
    (w(1)) w10 = 0.4, w20 = 0.1, w11 = 0.5, w21 = 0.3; sigmoid on both layers;
    loss ½Σ(output − target)².  Q3 uses targets (0.2, 0.7), outputs a20/a21
    and "MSE"; Q4 uses targets (1, 0), outputs y1/y2 and "Loss".  The document
    reuses w10 … w21 in both layers; here they are w(0)10 … and w(1)10 …,
    as its Q4 writes them."""
    x1, x2 = Value(0.2, "x1"), Value(0.5, "x2")
    w0 = {k: Value(v, f"w(0){k}") for k, v in (("10", 0.2), ("20", 0.1), ("11", 0.1), ("21", 0.2))}
    w1 = {k: Value(v, f"w(1){k}") for k, v in (("10", 0.4), ("20", 0.1), ("11", 0.5), ("21", 0.3))}
    z10 = autograd.linear([w0["10"], w0["20"]], [x1, x2]).named("z10")
    z11 = autograd.linear([w0["11"], w0["21"]], [x1, x2]).named("z11")
    a10, a11 = z10.sigmoid().named("a10"), z11.sigmoid().named("a11")
    z20 = autograd.linear([w1["10"], w1["20"]], [a10, a11]).named("z20")
    z21 = autograd.linear([w1["11"], w1["21"]], [a10, a11]).named("z21")
    o1, o2 = z20.sigmoid().named(outputs[0]), z21.sigmoid().named(outputs[1])
    L = (0.5 * ((o1 - targets[0]) ** 2 + (o2 - targets[1]) ** 2)).named(loss)
    return Net(L, _labelled(x1, x2, *w0.values(), *w1.values(), z10, z11, a10, a11, z20, z21,
                            o1, o2, L))


def tobigs_mlp() -> tuple[Value, "nn.MLP"]:
    """The same network (Q4) built with nn, as the README builds it: the loss
    and the model, whose parameters are named like the document's
    (w(0)10 … w(1)21) and whose z and a nodes are labelled z10 … a21."""
    from nn import MLP, half_sse
    net = MLP.from_weights(weights=[[[0.2, 0.1], [0.1, 0.2]], [[0.4, 0.1], [0.5, 0.3]]],
                           activations="sigmoid")
    net.relabel(weights="w({l0}){i}{j0}")
    net.label_nodes(z="z{l}{j0}", a="a{l}{j0}")
    y1, y2 = net([0.2, 0.5])
    return half_sse([y1, y2], [1, 0]).named("Loss"), net


# Q3 as written: targets (0.2, 0.7), ½-MSE.
Q3_VALUES = {"z10": "0.09", "z11": "0.12", "a10": "0.5225", "a11": "0.5299",
             "z20": "0.26199", "z21": "0.42022", "a20": "0.5651", "a21": "0.6035",
             "MSE": "0.07128"}
Q3_FACTORS = {"z20": [["w(1)10", "a10"], ["w(1)20", "a11"]],
              "z21": [["w(1)11", "a10"], ["w(1)21", "a11"]]}
Q3_WEIGHTS = {"w(1)10": "0.4", "w(1)20": "0.1", "w(1)11": "0.5", "w(1)21": "0.3"}

# Q4 as written: targets (1, 0), lr 0.1.  In Q4 the document uses a10 = 0.54
# (for ∂z20/∂w(1)10, ∂z21/∂w(1)11 and a10(1 − a10)).
Q4_LR = 0.1
Q4_VALUES = {"Loss": "0.2785", "a10": "0.54", "x1": "0.2",
             "w(1)10": "0.4", "w(1)11": "0.5"}
Q4_GRADS = {
    "dLoss/dy1": "-0.43", "dLoss/dy2": "0.61",
    "dy1/dz20": "0.2449", "dy2/dz21": "0.2379",
    "dz20/dw(1)10": "0.54", "dz21/dw(1)11": "0.54",
    "dLoss/dw(1)10": "-0.0569", "dLoss/dw(1)11": "0.0781",
    "dz10/dw(0)10": "0.2", "da10/dz10": "0.2484",
    "dLoss/dz20": "-0.1053", "dLoss/dz21": "0.1451",
    "dLoss/dw(0)10": "0.0014",
}
Q4_UPDATES = {"w(1)10": "0.40584", "w(0)10": "0.00486"}
Q4_FACTORS = {
    "dLoss/dw(1)10": ["dLoss/dy1", "dy1/dz20", "dz20/dw(1)10"],
    "dLoss/dw(1)11": ["dLoss/dy2", "dy2/dz21", "dz21/dw(1)11"],
    "dLoss/dz20": ["dLoss/dy1", "dy1/dz20"],
    "dLoss/dz21": ["dLoss/dy2", "dy2/dz21"],
    "dLoss/dw(0)10": [["dLoss/dz20", "w(1)10", "dz10/dw(0)10", "da10/dz10"],
                      ["dLoss/dz21", "w(1)11", "dz10/dw(0)10", "da10/dz10"]],
}


# -- seed 001: scalar input, 2 sigmoid units in two hidden layers, linear output -----

SEED001_INPUTS = (-1.0, 0.0, 1.0)
SEED001_TARGETS = (1.0, 0.0, -1.0)  # y = ŷ − (ŷ − y), read off the document's ŷ − y
SEED001_WEIGHTS = {"W1_11": 1.0, "W1_12": 2.0, "b1_1": 0.0, "b1_2": 1.0,
                   "W2_11": 1.0, "W2_12": 2.0, "W2_21": 3.0, "W2_22": 4.0,
                   "b2_1": 0.0, "b2_2": 1.0, "W3_11": 1.0, "W3_21": 2.0, "b3_1": 1.0}


def scalar_mlp() -> Net:
    """ℓ¹ⱼ = W¹₁ⱼ·x + b¹ⱼ, h¹ = σ(ℓ¹); ℓ²ⱼ = Σᵢ W²ᵢⱼ·h¹ᵢ + b²ⱼ, h² = σ(ℓ²);
    ŷ = Σᵢ W³ᵢ₁·h²ᵢ + b³₁; L = (1/3) Σₖ (ŷₖ − yₖ)² over the three samples
    (so ∂L/∂ŷₖ = (2/3)(ŷₖ − yₖ)).  W^l_ij connects unit i of the layer below
    to unit j, as the document's h and ŷ − y values confirm.  Labels: W1_11
    for W¹₁₁ …, per-sample nodes x[k], l1_1[k], h1_1[k], …, yhat[k], err[k]
    (= ŷₖ − yₖ) for k = 1, 2, 3, and L."""
    p = {name: Value(v, name) for name, v in SEED001_WEIGHTS.items()}
    nodes = dict(p)
    squares = []
    for k, (x_value, y) in enumerate(zip(SEED001_INPUTS, SEED001_TARGETS), start=1):
        x = Value(x_value, f"x[{k}]")
        h1 = []
        for j in (1, 2):
            l1 = autograd.linear([p[f"W1_1{j}"]], [x], p[f"b1_{j}"]).named(f"l1_{j}[{k}]")
            h1.append(l1.sigmoid().named(f"h1_{j}[{k}]"))
            nodes[l1.label], nodes[h1[-1].label] = l1, h1[-1]
        h2 = []
        for j in (1, 2):
            l2 = autograd.linear([p[f"W2_1{j}"], p[f"W2_2{j}"]], h1, p[f"b2_{j}"]).named(
                f"l2_{j}[{k}]")
            h2.append(l2.sigmoid().named(f"h2_{j}[{k}]"))
            nodes[l2.label], nodes[h2[-1].label] = l2, h2[-1]
        yhat = autograd.linear([p["W3_11"], p["W3_21"]], h2, p["b3_1"]).named(f"yhat[{k}]")
        err = (yhat - y).named(f"err[{k}]")
        nodes.update({x.label: x, yhat.label: yhat, err.label: err})
        squares.append(err ** 2)
    L = autograd.mean(squares).named("L")
    nodes["L"] = L
    return Net(L, nodes)


# The document's gradients (its ①–⑥) and its gradient-descent step (lr 0.1).
# Where it gives two numbers (⑥: "−0.13 (보이는 것은 계산 −0.17)", "0.23 (… 0.27)"),
# the first is the stated answer and the second is what its shown vectors give.
SEED001_LR = 0.1
SEED001_GRADS = {"W3_11": "6.975", "W3_21": "7.519", "b3_1": "7.667",
                 "W2_11": "0.23", "W2_12": "0.09", "W2_21": "0.28", "W2_22": "0.10",
                 "b2_1": "0.57", "b2_2": "0.27",
                 "W1_11": "-0.13", "W1_12": "-0.35", "b1_1": "0.23", "b1_2": "0.5"}
SEED001_SHOWN = {"W1_11": "-0.17", "b1_1": "0.27"}
SEED001_UPDATES = {"W1_11": "1.013", "W1_12": "2.035", "W2_11": "0.977", "W2_12": "1.991",
                   "W2_21": "2.972", "W2_22": "3.99", "W3_11": "0.3025", "W3_21": "1.2481",
                   "b1_1": "-0.023", "b1_2": "0.95", "b2_1": "-0.057", "b2_2": "0.973",
                   "b3_1": "0.2333"}
# Its forward numbers (rounded to two decimals in the document).
SEED001_VALUES = {
    "h1_1[1]": "0.27", "h1_1[2]": "0.50", "h1_1[3]": "0.73",
    "h1_2[1]": "0.27", "h1_2[2]": "0.73", "h1_2[3]": "0.95",
    "h2_1[1]": "0.75", "h2_1[2]": "0.94", "h2_1[3]": "0.97",
    "h2_2[1]": "0.93", "h2_2[2]": "0.99", "h2_2[3]": "1.00",
    "err[1]": "2.61", "err[2]": "3.92", "err[3]": "4.97",
}
# ① as the document computes it: (2/3) Σₖ (ŷₖ − yₖ)·h²₁ₖ.
SEED001_FACTORS = {"W3_11": [["2/3", "err[1]", "h2_1[1]"], ["2/3", "err[2]", "h2_1[2]"],
                             ["2/3", "err[3]", "h2_1[3]"]],
                   "W3_21": [["2/3", "err[1]", "h2_2[1]"], ["2/3", "err[2]", "h2_2[2]"],
                             ["2/3", "err[3]", "h2_2[3]"]]}


# -- random graphs for the property tests ------------------------------------------

def random_graph(leaves: list[float], steps: list[tuple[int, int, int, bool]]) -> list[Value]:
    """A graph grown from hypothesis' choices: leaves x0, x1, … then one node
    per step (op, two earlier nodes, whether to label it n<i>), covering
    shared inputs, x·x, numbers as arguments and n-ary nodes.  Returns every
    node; the last one is the root."""
    nodes = [Value(x, f"x{i}") for i, x in enumerate(leaves)]
    for i, (op, a, b, label) in enumerate(steps):
        a, b = nodes[a % len(nodes)], nodes[b % len(nodes)]
        v = [lambda: a + b, lambda: a * b, lambda: a - b, lambda: a.tanh(),
             lambda: a.sigmoid(), lambda: autograd.linear([a, b], [b, a], 0.5),
             lambda: a * a, lambda: autograd.sum([a, b, a]), lambda: 2.0 * a - 1.0][op % 9]()
        if abs(v.data) > 1e3:  # keep products of products finite
            v = v.tanh()
        nodes.append(v.named(f"n{i}") if label else v)
    return nodes
