"""What an entry of the op table is: `Op`, `Fault`, `Function` and its `Form`s,
and the handful of functions local derivatives are written with.

The table itself is `ops.py`; this module is the vocabulary it is written in.

An op's local derivatives are declared once, as a function of its output and
its arguments, in ordinary arithmetic (`lambda out, a, b: (b, a)` for a·b).
That one function serves two callers: the tracer calls it with floats when a
node is made (the numbers stored on its edges), and `autograd.grad(...,
create_graph=True)` calls it with the node's own Values, so the derivative is
itself a graph that can be differentiated again.  Arithmetic works on both
as written; the few functions a derivative needs (`cos`, `exp`, …) are
defined below for both, by the type of their argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

Names = Sequence[str]


class Fault(Exception):
    """Raised by an op's forward for an input outside its domain: `arg` is the
    index of the offending argument, `zero_division` marks a division by zero.
    `value` is the output where it exists and only the derivative does not
    (√0 = 0): a node cannot be made there, but a reader of values (the
    document grader) still has the number."""

    def __init__(self, reason: str, arg: int = 0, zero_division: bool = False,
                 value: float | None = None):
        super().__init__(reason)
        self.reason, self.arg, self.zero_division = reason, arg, zero_division
        self.value = value


OVERFLOWED = "the local derivative overflowed"
"""The reason when a partial is not finite though the inputs and output are."""


@dataclass(frozen=True, eq=False)
class Op:
    """One differentiable primitive.

    `forward(*xs)` computes the output on floats and raises `Fault` outside
    the domain; `local_grads(out, *args)` gives ∂out/∂argᵢ for every
    argument, on floats or on Values alike (see the module docstring).
    `may_overflow`: a partial can overflow although the inputs and the output
    are finite (1/b for a tiny b), so the tracer checks each partial it keeps
    and names that argument.  The text: `symbol` (drawings), `rule` (the
    derivative rule as a student writes it), `expr(names)` (the output in its
    arguments' names) and `partial(i, names, out)` (∂out/∂argᵢ as a formula).
    `partial_at(i, names, out, xs, value)`, for an op whose formula depends on
    the node's numbers (the arguments' `xs`, the output's `value`), writes it
    for one node: max and min say how many arguments tie, so the reader sees
    `[x = m]/2 (2 arguments tie for the max)` rather than an undefined k.
    Likewise `symbol_at(n)`, for an op whose symbol depends on how many
    arguments the node has: a linear node without a bias is drawn `Σwx`."""

    name: str
    symbol: str
    rule: str
    forward: Callable[..., float]
    local_grads: Callable[..., Sequence]
    expr: Callable[[Names], str]
    partial: Callable[[int, Names, str], str]
    may_overflow: bool = False
    partial_at: Callable[[int, Names, str, Sequence[float], float], str] | None = None
    symbol_at: Callable[[int], str] | None = None
    index: int | None = None      # which output, for ops with several (softmax)
    const_pos: int | None = None  # where the one plain-number argument goes
    _variants: dict = field(default_factory=dict, repr=False, compare=False)
    _base: "Op | None" = field(default=None, repr=False, compare=False)

    def partial_text(self, i: int, names: Names, out: str, xs: Sequence[float],
                     value: float) -> str:
        """∂out/∂argᵢ as a formula for one node, whose arguments are the
        numbers `xs` and whose output is `value`: what every reader shows."""
        if self.partial_at is None:
            return self.partial(i, names, out)
        return self.partial_at(i, names, out, xs, value)

    def node_symbol(self, n: int) -> str:
        """The symbol of a node of this op with `n` arguments (drawings)."""
        return self.symbol if self.symbol_at is None else self.symbol_at(n)

    @property
    def base(self) -> "Op":
        """The table entry this op is a variant of (itself for a table entry):
        compare `node.op.base is ops.LINEAR`, never `node.op is ops.LINEAR`."""
        return self._base or self

    def _variant(self, key, **changes) -> "Op":
        v = self._variants.get(key)
        if v is None:
            v = self._variants[key] = replace(self, _variants={}, _base=self.base, **changes)
        return v

    def at(self, k: int) -> "Op":
        """The variant of a multi-output op that produces output `k`."""
        return self._variant(("at", k), index=k)

    def with_const(self, pos: int) -> "Op":
        """The same op with a plain number (not a node) as argument `pos`."""
        return self._variant(("const", pos), const_pos=pos)

    @property
    def const_variants(self) -> tuple["Op", "Op"]:
        """(number first, number second): cached, read on every `x + 1`."""
        v = self._variants.get("consts")
        if v is None:
            v = self._variants["consts"] = (self.with_const(0), self.with_const(1))
        return v

    def __repr__(self) -> str:
        index = "" if self.index is None else f"[{self.index}]"
        const = "" if self.const_pos is None else f", number at argument {self.const_pos}"
        return f"Op({self.name}{index}{const})"


@dataclass(frozen=True, eq=False, repr=False)
class MultiOp(Op):
    """An op with several outputs (softmax): `forward(*xs)` returns all n
    outputs, and `local_grads(k, ys, *args)` row k of the Jacobian, ∂yₖ/∂argᵢ,
    from all the outputs `ys`.  Output k is a node with op `.at(k)`, whose
    partial text depends on k (the Kronecker δ in the rule): `text(i, names,
    out, k)`."""

    text: Callable | None = None

    def __post_init__(self):
        if self.text is not None:
            k, text = self.index, self.text
            object.__setattr__(self, "partial", lambda i, names, out: text(i, names, out, k))


def template(expr: str, *partials: str):
    """Fixed-arity text: `{0}`, `{1}` are argument names, `{out}` the output."""
    return (
        lambda names: expr.format(*names),
        lambda i, names, out: partials[i].format(*names, out=out),
    )


# -- the functions local derivatives are written with --------------------------------
# Each takes floats (the tracer's numbers: `math`) or Values (nodes of the
# derivative's own graph: the engine's function of the same name, which
# `functions.py` registers in ON_VALUES when it makes them; this module comes
# before the engine and imports none of it).  Arithmetic needs nothing:
# + − × ÷ ** work on both.

ON_VALUES: dict[str, Callable] = {}
"""The engine's public functions by name, for the local derivatives' Values."""


def _on_either(name: str, on_floats: Callable[[float], float]) -> Callable:
    """The function `name` of a local derivative: `on_floats` (`math`'s) for
    a float, the engine's function of that name for a Value."""
    def f(x):
        return on_floats(x) if type(x) is float else ON_VALUES[name](x)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"{name}(x) of a float (math.{name}) or of a Value (autograd.{name})."
    return f


cos = _on_either("cos", math.cos)
sin = _on_either("sin", math.sin)
cosh = _on_either("cosh", math.cosh)
sinh = _on_either("sinh", math.sinh)
exp = _on_either("exp", math.exp)
log = _on_either("log", math.log)
sqrt = _on_either("sqrt", math.sqrt)


def sigmoid(x):
    if type(x) is not float:
        return ON_VALUES["sigmoid"](x)
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # e/(1 + e): never exp of a large positive number
    return e / (1.0 + e)


def power(x, p):
    """x ** p; on floats an overflow is inf, as with × and ÷ (Python's float
    `**` raises instead), so the tracer's check names the argument.  x¹ is x
    and x⁰ is 1 (exactly what float `**` gives), so the derivative of x² is
    2·x, not 2·x**1, when it is a graph."""
    if type(p) is float and (p == 1 or p == 0):
        return x if p == 1 else 1.0
    if type(x) is not float or type(p) is not float:
        return x ** p
    try:
        return x ** p
    except OverflowError:
        return math.inf


def softmax(xs: Sequence) -> list:
    """Softmax of floats (shifted by the max, so it never overflows), or the
    outputs of a softmax node when any xᵢ is a Value."""
    if any(type(x) is not float for x in xs):
        return ON_VALUES["softmax"](xs)
    m = max(xs)
    es = [math.exp(x - m) for x in xs]
    s = math.fsum(es)
    return [e / s for e in es]


# -- the public functions --------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """How a public function takes its arguments; `functions.py` implements
    each form once.  `params`: its Python parameters (an entry's `param`
    follows them); `usage`: how an expression calls it, "{f}" the name (None:
    not in the expression language, whose values are single nodes); `arity`:
    the (fewest, most) arguments an expression gives, None for any number;
    `sequences`: the first two are tuples, as in `dot((a1, a2), (b1, b2))`;
    `method`: it can be a Value method, `x.<name>(the other parameters)`."""

    name: str
    params: tuple[str, ...]
    usage: str | None
    arity: tuple[int, int | None] = (1, 1)
    sequences: bool = False
    method: bool = False


ONE = Form("one", ("x",), "{f}(x)", method=True)
MANY = Form("many", ("xs",), "{f}(a, b, ...)", (1, None))
VARIADIC = Form("variadic", ("xs",), "{f}(a, b, ...)", (1, None))  # max(a, b) or max(xs)
BOUNDS = Form("bounds", ("x", "lo", "hi"), "{f}(x, lo, hi)", (3, 3), method=True)
PAIRS = Form("pairs", ("a", "b"), "{f}((a1, a2, ...), (b1, b2, ...))", (2, 2), sequences=True)
PAIRS_AND_BIAS = Form("pairs and bias", ("w", "x", "b"), "{f}((w1, w2, ...), (x1, x2, ...)) "
                      "or with a bias {f}((w1, ...), (x1, ...), b)", (2, 3), sequences=True)
OUTPUTS = Form("outputs", ("xs",), None)


@dataclass(frozen=True)
class Function:
    """One public function: the node `op` made from the arguments of `form`.
    `doc` says what it computes (the docstrings add the rest); `param` is
    (name, default) of a number after x, like leaky_relu's slope.  Entry
    points: `method` (`x.<name>(...)`), `export` (`autograd.<name>`),
    `expression` (the expression language); None means as the form allows."""

    name: str
    op: Op
    form: Form
    doc: str
    param: tuple[str, float] | None = None
    method: bool | None = None
    export: bool = True
    expression: bool | None = None

    def __post_init__(self):
        for flag, allowed in (("method", self.form.method),
                              ("expression", self.form.usage is not None)):
            wanted = getattr(self, flag)
            if wanted and not allowed:
                raise ValueError(f"{self.name}: the form {self.form.name!r} has no {flag}")
            object.__setattr__(self, flag, allowed if wanted is None else wanted)

    @property
    def usage(self) -> str:
        """How an expression calls it, e.g. "leaky_relu(x) or leaky_relu(x, slope)"."""
        usage = self.form.usage.format(f=self.name)
        if self.param is not None:
            usage += f" or {self.name}(x, {self.param[0]})"
        return usage
