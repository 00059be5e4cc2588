"""The trees a written equation is parsed into, and what can be read off them.

A segment of an equation chain (`formula`) is a tree of these nodes: numbers
as written (`Num` keeps its text, so its precision), symbols named by the
reading rule (`Sym`), derivatives (`Deriv`), the arithmetic between them, and
column vectors (`Vec`).  A segment the reader cannot parse is an
`Unreadable` holding the offsets of its numbers, so none is silently lost.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Num:
    text: str   # as written, with its sign ("-0.43"); a × 10^k as "1.4254e-1"
    pos: int    # offset of its first digit in the math source

    @property
    def whole(self) -> bool:
        """Written as a whole number ("2", "-1"): an exact constant where a
        formula has one; a decimal or scientific number is written to a precision."""
        return self.text.lstrip("-+").isdigit()


@dataclass(frozen=True)
class Sym:
    name: str   # by the reading rule
    pos: int
    update: bool = False  # written as the parameter after a step: w(new), w^+, W^{k+1}


@dataclass(frozen=True)
class Deriv:
    top: str     # symbol names (reading rule); `top` may be "" for ∂/∂x
    bottom: str
    pos: int
    letter_d: bool = False  # written dA/dB with letters, not ∂: only a derivative if A, B map


@dataclass(frozen=True)
class Neg:
    arg: object


@dataclass(frozen=True)
class Add:
    terms: tuple  # nodes; a subtracted term is a Neg


@dataclass(frozen=True)
class Mul:
    factors: tuple


@dataclass(frozen=True)
class Div:
    num: object
    den: object


@dataclass(frozen=True)
class Pow:
    base: object
    exp: object


@dataclass(frozen=True)
class Call:
    fn: str      # a function of the op table by name (calls.FUNCTIONS), or sum for Σ
    arg: object


@dataclass(frozen=True)
class Vec:
    items: tuple
    pos: int


@dataclass(frozen=True)
class Unreadable:
    reason: str
    numbers: tuple  # offsets of the numbers it holds
    pos: int


def children(n) -> tuple:
    """The subtrees of a node."""
    if isinstance(n, (Neg, Call)):
        return (n.arg,)
    if isinstance(n, Add):
        return n.terms
    if isinstance(n, Mul):
        return n.factors
    if isinstance(n, Div):
        return (n.num, n.den)
    if isinstance(n, Pow):
        return (n.base, n.exp)
    if isinstance(n, Vec):
        return n.items
    return ()


def leaves(node, kinds) -> list:
    """The leaves of a tree of the given types, in written order."""
    out = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, kinds):
            out.append(n)
        stack.extend(reversed(children(n)))
    return out


def numbers_in(node) -> list[Num]:
    return leaves(node, Num)


def symbol_text(node) -> str | None:
    """The reading-rule text of a symbol or derivative (None for others)."""
    if isinstance(node, Sym):
        return node.name
    if isinstance(node, Deriv):
        return f"∂{node.top}/∂{node.bottom}"
    return None


def expression_text(node) -> str:
    """A short text of a tree for reports and notation keys (ŷ − y, a20(1 − a20))."""
    if isinstance(node, (Sym, Deriv)):
        return symbol_text(node)
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Neg):
        return "−" + expression_text(node.arg)
    if isinstance(node, Add):
        out = expression_text(node.terms[0])
        for t in node.terms[1:]:
            out += (" − " + expression_text(t.arg)) if isinstance(t, Neg) else \
                (" + " + expression_text(t))
        return out
    if isinstance(node, Mul):
        return "·".join(f"({expression_text(f)})" if isinstance(f, Add) else expression_text(f)
                        for f in node.factors)
    if isinstance(node, Div):
        return f"{expression_text(node.num)}/{expression_text(node.den)}"
    if isinstance(node, Pow):
        return f"({expression_text(node.base)})^{expression_text(node.exp)}"
    if isinstance(node, Call):
        return f"{node.fn}({expression_text(node.arg)})"
    if isinstance(node, Vec):
        return "[" + ", ".join(expression_text(x) for x in node.items) + "]"
    return "?"
