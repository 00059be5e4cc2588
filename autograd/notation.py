"""How handgrad writes things down: node names, numbers, derivatives.

The drawing, the step trace, `explain` and `check` all read this module, so a
node, a number and a derivative look the same in each.

A labelled node is called by its label.  An unlabelled one gets a short name
that depends only on the graph, not on memory addresses or creation history:
`t1, t2, …` for computed nodes and `c1, c2, …` for unlabelled leaves, numbered
in forward order (parents first), so the same graph always reads the same.
Numbers are written as a hand derivation writes them (`format_number`).
"""

from __future__ import annotations

import math

from .graph import forward_order
from .value import Value

DIGITS = 4
"""Decimals of every number shown, unless a reader is told otherwise."""


def node_names(root: Value, order: list[Value] | None = None) -> dict[Value, str]:
    """A display name for every node `root` depends on (itself included);
    `order` is `forward_order(root)` when the caller has it already."""
    order = forward_order(root) if order is None else order
    taken = {v.label for v in order if v.label is not None}
    names: dict[Value, str] = {}
    counts = {"t": 0, "c": 0}
    for v in order:
        if v.label is not None:
            names[v] = v.label
            continue
        kind = "c" if v.is_leaf else "t"
        while True:  # a generated name never repeats a label in the graph
            counts[kind] += 1
            name = f"{kind}{counts[kind]}"
            if name not in taken:
                break
        names[v] = name
    return names


def arg_names(node: Value, names: dict[Value, str]) -> list[str]:
    """`node`'s arguments as written in a formula: Values by name, plain
    numbers as numbers."""
    return [names[a] if type(a) is Value else f"{a:g}" for a in node.args]



def format_number(x: float, digits: int = DIGITS, *, keep_zeros: bool = False) -> str:
    """`x` the way a hand derivation writes it: `digits` decimals for ordinary
    magnitudes (trailing zeros dropped, so 1 stays "1" and 0.5 stays "0.5"),
    `digits` significant figures for tiny or huge ones (so 0.00147 does not
    collapse to "0.0015" and 1e-7 does not become "0").  With `keep_zeros`, a
    value that rounding changed keeps its trailing zeros, so it reads as
    rounded (σ(0.12) = 0.52996… → "0.5300"), while one that is exact up to
    float noise does not (0.2·0.2 + 0.1·0.5 → "0.09")."""
    if x == 0:
        return "0"
    if not math.isfinite(x):
        return str(x)
    fixed = 10.0 ** -(digits - 2) <= abs(x) < 1e6
    padded = f"{x:.{digits}f}" if fixed else f"{x:#.{digits}g}"
    text = _strip_zeros(padded)
    if text in ("-0", ""):
        return "0"
    if keep_zeros and float(text) != float(f"{x:.12g}"):
        # the fixed-decimal form where it writes the same number, else the padded one
        return next(p.rstrip(".") for p in (f"{x:.{digits}f}", padded) if _strip_zeros(p) == text)
    return text


def _strip_zeros(number: str) -> str:
    """1.500e-07 → 1.5e-07, 0.5300 → 0.53, 4. → 4."""
    mantissa, e, exponent = number.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def check_digits(digits) -> int:
    if type(digits) is not int or not 1 <= digits <= 17:
        raise ValueError(f"digits must be an int from 1 to 17, got {digits!r}")
    return digits


def factor(text: str) -> str:
    """A number as a factor in a product: a negative one in brackets."""
    return f"({text})" if text.startswith("-") else text


def partial_formula(node: Value, k: int, names: dict[Value, str]) -> str:
    """The local derivative on edge `k` of `node` as a formula, from the op
    table, in the names of `names` (numbers shown as numbers)."""
    return node.op.partial(node.edges()[k][2], arg_names(node, names), names[node])


def derivative_name(top: str, bottom: str) -> str:
    return f"∂{top}/∂{bottom}"
