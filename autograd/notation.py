"""How handgrad writes things down: node names, numbers, derivatives.

The drawing, the step trace, `explain` and `check` all read this module, so a
node, a number and a derivative look the same in each.

A labelled node is called by its label.  An unlabelled one gets a short name
that depends only on the graph, not on memory addresses or creation history:
`t1, t2, …` for computed nodes and `c1, c2, …` for unlabelled leaves, numbered
in forward order (parents first), so the same graph always reads the same.
Such a name means nothing to a reader until it is defined, so every reader
that shows one also shows its definition, `t1 = x·y = 6` (`definition`).

A name inside a derivative or a formula is one symbol: a label that is not a
single token (Karpathy's `x1*w1 + x2*w2`, a Korean `활성화 출력`) is put in
brackets there (`bracket`), so `∂n/∂(x1*w1 + x2*w2)` cannot be misread.
Numbers are written as a hand derivation writes them (`format_number`), and
text is aligned by the columns a terminal gives it (`display_width`: Hangul
takes two).
"""

from __future__ import annotations

import math
import unicodedata
from collections import deque
from typing import Iterable

from .graph import forward_order
from .value import Value

DIGITS = 4
"""Decimals of every number shown, unless a reader is told otherwise."""
MAX_DEFINITIONS = 20
"""Most auto-name definitions one text shows (a big unlabelled graph has thousands)."""


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


def is_auto_named(v: Value) -> bool:
    """Whether `node_names` makes up `v`'s name (t1…, c1…): it has no label."""
    return v.label is None


def arg_names(node: Value, names: dict[Value, str]) -> list[str]:
    """`node`'s arguments as written in a formula: Values by name, plain
    numbers as numbers, each one symbol (`bracket`, `factor`)."""
    return [bracket(names[a]) if type(a) is Value else factor(f"{a:g}") for a in node.args]


_OPEN, _CLOSE = "([{", ")]}"
_OPERATORS = frozenset("+-*/^%=<>,;:&|!~@·")


def bracket(name: str) -> str:
    """`name` as one symbol of a derivative or a formula: in brackets unless it
    is a single token already.  A token has no blank and no operator outside
    brackets, so `x1`, `가중합`, `w(1)10` and `σ(z1 + z2)` stay as they are,
    while `x1*w1 + x2*w2` becomes `(x1*w1 + x2*w2)` and `활성화 출력` becomes
    `(활성화 출력)`.  Operators are the ASCII ones, `·` and every Unicode math
    symbol (− × ÷ ∂ …)."""
    depth = 0
    for c in name:
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and (c.isspace() or c in _OPERATORS
                             or unicodedata.category(c) == "Sm"):
            return f"({name})"
    return name


def definition(v: Value, names: dict[Value, str], digits: int = DIGITS,
               number=None) -> str:
    """What an auto-named node is: `t1 = x·y = 6` (its op on its arguments,
    and its value), `c1 = 0.5` for an unlabelled leaf.  `number` writes the
    value (default `format_number` with `digits`)."""
    value = format_number(v.data, digits) if number is None else number(v.data)
    if v.is_leaf:
        return f"{names[v]} = {value}"
    return f"{names[v]} = {v.op.expr(arg_names(v, names))} = {value}"


def definitions(shown: Iterable[Value], names: dict[Value, str], digits: int = DIGITS,
                limit: int = MAX_DEFINITIONS) -> list[str]:
    """The definitions a text that names the nodes `shown` needs: every
    auto-named one among them, and every auto-named node those definitions
    name in turn, in forward order (t1 before t2).  The nearest `limit` are
    written; a last line says how many more there are.  `names` is
    `node_names(root)` (its order is forward order)."""
    queue = deque(v for v in dict.fromkeys(shown) if is_auto_named(v))
    needed = dict.fromkeys(queue)
    while queue:  # breadth first: the nodes the text names come before their inputs
        for a in queue.popleft().parents:
            if is_auto_named(a) and a not in needed:
                needed[a] = None
                queue.append(a)
    chosen = set(list(needed)[:limit])
    lines = [definition(v, names, digits) for v in names if v in chosen]
    if len(needed) > limit:
        lines.append(f"… and {len(needed) - limit} more unlabelled nodes (label the nodes "
                     f"that matter to name them yourself)")
    return lines


def count(n: int, noun: str) -> str:
    """`n` and the noun, plural unless n is 1: "1 answer", "2 answers"."""
    return f"{n} {noun}{'s' * (n != 1)}"


def display_width(text: str) -> int:
    """The columns `text` takes in a terminal: two for a wide character
    (Hangul, CJK), none for a combining one.  Plain ASCII is its length; the
    rest is measured by wcwidth, imported only then (it costs ~60 ms)."""
    if text.isascii() and text.isprintable():
        return len(text)
    from wcwidth import wcswidth, wcwidth
    w = wcswidth(text)
    return w if w >= 0 else sum(max(wcwidth(c), 0) for c in text)  # a control character


def align(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` display columns, on the right
    (left-aligned) or, with `right`, on the left."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill



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
    table, in the names of `names` (numbers shown as numbers).  A formula that
    is one argument alone (∂(a·b)/∂a = b) needs no brackets around it."""
    args = arg_names(node, names)
    text = _partial_text(node, k, args, bracket(names[node]))
    alone = {shown: (names[a] if type(a) is Value else f"{a:g}")
             for shown, a in zip(args, node.args)}
    return alone.get(text, text)


def formula_mentions(node: Value, k: int) -> list[Value]:
    """The Values that the formula of edge `k` of `node` names (`node` itself
    when it uses the output, as tanh's 1 − t²): the formula is written once
    more with a private mark for each, to see which marks it contains."""
    values = [a for a in dict.fromkeys(node.args) if type(a) is Value] + [node]
    mark = {v: chr(0xE000 + i) for i, v in enumerate(values)}
    args = [mark[a] if type(a) is Value else factor(f"{a:g}") for a in node.args]
    text = _partial_text(node, k, args, mark[node])
    return [v for v in values if mark[v] in text]


def _partial_text(node: Value, k: int, args: list[str], out: str) -> str:
    """The op table's formula for edge `k` of `node`, given its numbers too
    (max's text says how many arguments tie)."""
    xs = [a.data if type(a) is Value else a for a in node.args]
    return node.op.partial_text(node.edges()[k][2], args, out, xs, node.data)


def derivative_name(top: str, bottom: str) -> str:
    """∂top/∂bottom, each name one symbol (`bracket`)."""
    return f"∂{bracket(top)}/∂{bracket(bottom)}"


def local_top(node: Value, names: dict[Value, str], other_path: bool) -> str:
    """How `node` is written atop the local derivative of one of its edges:
    its name, or, when the edge's input reaches `node` by another path too
    (`graph.other_paths`), its op's formula, so the local partial of
    L = c + a by a reads ∂(c + a)/∂a = 1 (c held fixed) and never as the
    total ∂L/∂a = ∂L/∂c · ∂c/∂a + 1 that the same text shows."""
    return node.op.expr(arg_names(node, names)) if other_path else names[node]
