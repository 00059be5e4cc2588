"""Published examples, stated once for the tests that use them: graphs whose
labels are not single tokens, with gradients worked out independently
(Karpathy's micrograd lecture neuron, his labels and his published numbers,
and the same kind of neuron with Korean labels, as a Korean student names
the nodes, a label with a space included), Matt Mazur's network as an
answer sheet, and the one-neuron problem file the grading tests read."""

from __future__ import annotations

import math

from autograd import Value
from seeds import Net


def karpathy_neuron() -> Net:
    """The neuron of "The spelled-out intro to neural networks and
    backpropagation: building micrograd": x1 = 2, x2 = 0, w1 = −3, w2 = 1,
    b = 6.8813735870195432 (chosen so that n = 0.8813735870195432 and
    o = tanh(n) = 1/√2), the labels exactly as he writes them."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1 = (x1 * w1).named("x1*w1")
    x2w2 = (x2 * w2).named("x2*w2")
    s = (x1w1 + x2w2).named("x1*w1 + x2*w2")
    n = (s + b).named("n")
    o = n.tanh().named("o")
    return Net(o, {v.label: v for v in (x1, x2, w1, w2, b, x1w1, x2w2, s, n, o)})


KARPATHY_GRADS = {
    # as the lecture prints them after o.backward(): do/dn = 1 − o² = 0.5, and from there
    # the + nodes pass 0.5 on, x1.grad = w1·0.5, w1.grad = x1·0.5, x2.grad = w2·0.5, w2.grad = x2·0.5
    "o": 1.0, "n": 0.5, "b": 0.5, "x1*w1 + x2*w2": 0.5, "x1*w1": 0.5, "x2*w2": 0.5,
    "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0,
}

# The Korean neuron: 입력 (input) 2, 가중치 (weight) 0.5, 편향 (bias) 0.1;
# 가중합 (weighted sum) = 1.1, "활성화 출력" (activation output) = σ(1.1), 손실 (loss) = (σ − 1)².
SIGMA = 1 / (1 + math.exp(-1.1))
KOREAN_GRADS = {
    "활성화 출력": 2 * (SIGMA - 1),
    "가중합": 2 * (SIGMA - 1) * SIGMA * (1 - SIGMA),
    "가중치": 2 * (SIGMA - 1) * SIGMA * (1 - SIGMA) * 2.0,
    "입력": 2 * (SIGMA - 1) * SIGMA * (1 - SIGMA) * 0.5,
    "편향": 2 * (SIGMA - 1) * SIGMA * (1 - SIGMA),
}


def korean_neuron() -> Net:
    x, w, b = Value(2.0, "입력"), Value(0.5, "가중치"), Value(0.1, "편향")
    z = (w * x + b).named("가중합")
    a = z.sigmoid().named("활성화 출력")
    loss = ((a - 1) ** 2).named("손실")
    return Net(loss, {v.label: v for v in (x, w, b, z, a, loss)})


def mazur_sheet(title: str, biases: tuple[str, str] = ("[0.35, 0.35]", "[0.60, 0.60]")) -> str:
    """Matt Mazur's network ("A Step by Step Backpropagation Example",
    mattmazur.com, 2015) as an answer sheet's title and [problem] up to its
    layers; `biases` are the two layers' `biases = ...` as written (one per
    neuron here, "0.35" for the bias his layers' neurons share).  The caller
    adds [problem.labels] and [answers]."""
    return f"""\
title = "{title}"
[problem]
inputs = [0.05, 0.10]
targets = [0.01, 0.99]
loss = "half_sse"
lr = 0.5
[[problem.layers]]
weights = [[0.15, 0.20], [0.25, 0.30]]
biases = {biases[0]}
activation = "sigmoid"
[[problem.layers]]
weights = [[0.40, 0.45], [0.50, 0.55]]
biases = {biases[1]}
activation = "sigmoid"
"""


def neuron_problem(title: str | None = None, lr: float | None = None):
    """s = σ(w·x) at w = 0.5, x = 2 as a problem file (optionally with a title
    and a learning rate): s = σ(1) = 0.7310586; ∂s/∂w = σ(1)(1 − σ(1))·x =
    0.1966119 × 2 = 0.3932239; one step of lr 0.1 gives w⁺ = 0.5 − 0.1 ×
    0.3932239 = 0.4606776."""
    from handgrad.problem import loads_problem
    head = f'title = "{title}"\n' if title else ""
    rate = f"lr = {lr}\n" if lr is not None else ""
    return loads_problem(f'{head}[problem]\nexpression = "sigmoid(w*x)"\nname = "s"\n{rate}'
                         f"[problem.at]\nw = 0.5\nx = 2.0\n")
