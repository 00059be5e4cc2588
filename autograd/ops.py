"""The op table: every differentiable primitive, declared once, and the
public functions made from them.

An `Op` says how to compute the primitive on plain floats *together with* its
local partial derivatives (one per argument), how to draw it (`symbol`), how
its output reads in terms of its arguments (`expr`), the derivative rule as a
student writes it (`rule`) and, per argument, the local derivative as a
formula (`partial`).  `fn(*xs)` returns `(value, partials)` and raises `Fault`
for inputs outside the op's domain (the tracer, `value.py`, turns it into a
`NumericError` naming the node).  The tracer stores the numbers on every edge
when a node is created; backward, the step trace, the graph renderer and
`explain` all read this one declaration.

`FUNCTIONS`, at the end, is the one list of the public functions: the `Value`
methods, the free functions, `autograd.__all__` and the expression language's
whitelist are made from it.  CONTRIBUTING.md: how to add an op.
"""

from __future__ import annotations

import math
from operator import mul
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

Names = Sequence[str]


class Fault(Exception):
    """Raised by an op's `fn` for an input outside its domain: `arg` is the
    index of the offending argument, `zero_division` marks a division by zero."""

    def __init__(self, reason: str, arg: int = 0, zero_division: bool = False):
        super().__init__(reason)
        self.reason, self.arg, self.zero_division = reason, arg, zero_division


@dataclass(frozen=True, eq=False)
class Op:
    name: str
    symbol: str
    rule: str
    fn: Callable[..., tuple[float, tuple[float, ...]]]
    expr: Callable[[Names], str]
    partial: Callable[[int, Names, str], str]
    index: int | None = None      # which output, for ops with several (softmax)
    const_pos: int | None = None  # where the one plain-number argument goes
    _variants: dict = field(default_factory=dict, repr=False, compare=False)
    _base: "Op | None" = field(default=None, repr=False, compare=False)

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


def _template(expr: str, *partials: str):
    """Fixed-arity text: `{0}`, `{1}` are argument names, `{out}` the output."""
    return (
        lambda names: expr.format(*names),
        lambda i, names, out: partials[i].format(*names, out=out),
    )


def _fmt(x: float) -> str:
    return f"{x:g}"


def _finite(*xs: float) -> None:
    """Partials that overflow are faults, not silent infs."""
    for x in xs:
        if x - x != 0:
            raise Fault("the local derivative overflowed", 0)


# -- forward and local partials on floats ------------------------------------

def _add(a, b):
    return a + b, (1.0, 1.0)


def _sub(a, b):
    return a - b, (1.0, -1.0)


def _mul(a, b):
    return a * b, (b, a)


def _div(a, b):
    if b == 0:
        raise Fault("division by zero", 1, zero_division=True)
    q = a / b
    d = (1.0 / b, -q / b)
    _finite(*d)
    return q, d


def _neg(a):
    return -a, (-1.0,)


def _reciprocal(a):
    if a == 0:
        raise Fault("division by zero", 0, zero_division=True)
    r = 1.0 / a
    _finite(r * r)
    return r, (-r * r,)


def _pow(a, n):
    """a ** n with a constant exponent n."""
    if a == 0 and n < 0:
        raise Fault(f"0 ** {_fmt(n)} (zero to a negative power)", 0, zero_division=True)
    if a < 0 and n != int(n):
        raise Fault(f"negative base to the non-integer power {_fmt(n)}", 0)
    if a == 0 and 0 < n < 1:
        raise Fault(f"** {_fmt(n)} has an infinite derivative at 0", 0)
    try:
        out = a ** n
        d = n * a ** (n - 1) if n != 0 else 0.0
    except OverflowError:
        raise Fault(f"** {_fmt(n)} overflows", 0) from None
    _finite(d)
    return out, (d, 0.0)


def _rpow(c, x):
    """c ** x with a constant base c."""
    if c < 0:
        raise Fault(f"negative base {_fmt(c)} to a variable power", 0)
    if c == 0:
        if x <= 0:
            raise Fault(f"0 ** {_fmt(x)} (zero to a non-positive power)", 1, zero_division=True)
        return 0.0, (0.0, 0.0)
    try:
        out = c ** x
    except OverflowError:
        raise Fault(f"{_fmt(c)} to this power overflows", 1) from None
    d = out * math.log(c)
    _finite(d)
    return out, (0.0, d)


def _powv(a, b):
    """a ** b, both variables: the base must be positive for ∂/∂b = aᵇ ln a."""
    if a < 0:
        raise Fault("negative base to a variable power (ln of the base is undefined)", 0)
    if a == 0:
        if b <= 0:
            raise Fault(f"0 ** {_fmt(b)} (zero to a non-positive power)", 0, zero_division=True)
        if b < 1:
            raise Fault(f"** {_fmt(b)} has an infinite derivative at 0", 0)
        return 0.0, (b * 0.0 ** (b - 1), 0.0)
    try:
        out = a ** b
        d = (b * a ** (b - 1), out * math.log(a))  # a^(b−1) can overflow when aᵇ does not
    except OverflowError:
        raise Fault("overflow in a ** b", 0) from None
    _finite(*d)
    return out, d


def _abs(a):
    return abs(a), (1.0 if a > 0 else -1.0 if a < 0 else 0.0,)


def _exp(a):
    try:
        e = math.exp(a)
    except OverflowError:  # above ln(max float) = 709.7827…: math says so exactly
        raise Fault("exp overflows for inputs above 709.78", 0) from None
    return e, (e,)


def _log(a):
    if a <= 0:
        raise Fault("log of a non-positive number", 0)
    d = 1.0 / a
    _finite(d)  # a subnormal a has a finite log but 1/a overflows
    return math.log(a), (d,)


def _sqrt(a):
    if a < 0:
        raise Fault("sqrt of a negative number", 0)
    if a == 0:
        raise Fault("the derivative of sqrt is infinite at 0", 0)
    r = math.sqrt(a)
    return r, (0.5 / r,)


def _sin(a):
    return math.sin(a), (math.cos(a),)


def _tanh(a):
    t = math.tanh(a)
    return t, (1.0 - t * t,)


def _sigmoid(a):
    if a >= 0:
        s = 1.0 / (1.0 + math.exp(-a))
    else:
        e = math.exp(a)
        s = e / (1.0 + e)
    return s, (s * (1.0 - s),)


def _relu(a):
    return (a, (1.0,)) if a > 0 else (0.0, (0.0,))


def _leaky_relu(a, slope):
    # ∂/∂slope matters when the slope is a Value (a learned slope, as in PReLU)
    return (a, (1.0, 0.0)) if a > 0 else (slope * a, (slope, a))


def _softplus(a):
    # log(1 + e^a) = max(a, 0) + log1p(e^-|a|): never overflows.
    out = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
    return out, (_sigmoid(a)[0],)


def _scaled_fsum(xs) -> tuple[float, float]:
    """(s, k) with Σxs = s·k.  fsum raises when a partial sum overflows even if
    the total does not; scaling by a power of two k >= n is exact and keeps
    every partial sum finite."""
    try:
        return math.fsum(xs), 1.0
    except OverflowError:
        k = 2.0 ** len(xs).bit_length()
        return math.fsum([x / k for x in xs]), k


def _sum(*xs):
    s, k = _scaled_fsum(xs)
    return s * k, (1.0,) * len(xs)  # inf if the total overflows: the tracer says so


def _mean(*xs):
    n = len(xs)
    s, k = _scaled_fsum(xs)
    return s / n * k, (1.0 / n,) * n


def _dot(*xs):
    """Σ aᵢbᵢ (+ c): arguments interleaved a1, b1, a2, b2, …, optional bias c.
    ∂/∂aᵢ = bᵢ and ∂/∂bᵢ = aᵢ: the partials are the arguments, pairwise swapped."""
    end = len(xs) - len(xs) % 2
    a, b = xs[0:end:2], xs[1:end:2]
    partials = [1.0] * len(xs)
    partials[0:end:2], partials[1:end:2] = b, a
    total = sum(map(mul, a, b))
    return (total + xs[-1] if end < len(xs) else total), partials


def _logsumexp(*xs):
    m = max(xs)
    es = [math.exp(x - m) for x in xs]
    s = math.fsum(es)
    return m + math.log(s), tuple(e / s for e in es)


def _softmax_floats(xs: Sequence[float]) -> list[float]:
    """Softmax on floats, shifted by the max so it never overflows."""
    m = max(xs)
    es = [math.exp(x - m) for x in xs]
    s = math.fsum(es)
    return [e / s for e in es]


def _softmax(*xs):
    """All n outputs yₖ and the Jacobian rows ∂yₖ/∂xᵢ = yₖ(δₖᵢ − yᵢ)."""
    y = _softmax_floats(xs)
    return y, [[yk * ((1.0 if i == k else 0.0) - yi) for i, yi in enumerate(y)]
               for k, yk in enumerate(y)]


def _log_softmax(*xs):
    """All n outputs xₖ − logsumexp(x) and the rows ∂/∂xᵢ = δₖᵢ − yᵢ."""
    lse, y = _logsumexp(*xs)  # its partials are softmax(x)
    return [x - lse for x in xs], [[(1.0 if i == k else 0.0) - yi for i, yi in enumerate(y)]
                                   for k in range(len(y))]


# -- text helpers for n-ary ops ----------------------------------------------

def _dot_expr(names: Names) -> str:
    terms = [f"{names[i]}·{names[i + 1]}" for i in range(0, len(names) - 1, 2)]
    if len(names) % 2:
        terms.append(names[-1])
    return " + ".join(terms)


def _dot_partial(i: int, names: Names, out: str) -> str:
    if len(names) % 2 and i == len(names) - 1:
        return "1"
    return names[i + 1] if i % 2 == 0 else names[i - 1]


def _pow_partial(i: int, names: Names, out: str) -> str:
    """n·xⁿ⁻¹ with n − 1 worked out (2·x, 3·x**2, not 2·x**(2−1)); the number n
    is as the formula writes it, bracketed when negative."""
    x, n = names
    m = float(n.strip("()")) - 1
    if m in (0, -1):
        return "1" if m == 0 else "0"
    return f"{n}·{x}" + ("" if m == 1 else f"**{_fmt(m)}" if m > 0 else f"**({_fmt(m)})")


# -- the table ---------------------------------------------------------------

ADD = Op("add", "+", "∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1", _add, *_template("{0} + {1}", "1", "1"))
SUB = Op("sub", "−", "∂(a−b)/∂a = 1,  ∂(a−b)/∂b = −1", _sub, *_template("{0} − {1}", "1", "−1"))
MUL = Op("mul", "×", "∂(a·b)/∂a = b,  ∂(a·b)/∂b = a", _mul, *_template("{0}·{1}", "{1}", "{0}"))
DIV = Op("div", "÷", "∂(a/b)/∂a = 1/b,  ∂(a/b)/∂b = −a/b²", _div,
         *_template("{0}/{1}", "1/{1}", "−{0}/{1}²"))
NEG = Op("neg", "−x", "∂(−a)/∂a = −1", _neg, *_template("−{0}", "−1"))
RECIPROCAL = Op("reciprocal", "1/x", "∂(1/a)/∂a = −1/a²", _reciprocal,
                *_template("1/{0}", "−1/{0}²"))
# powers read `x**2` as in Python and the expression language, which rejects `^`
POW = Op("pow", "xⁿ", "∂(aⁿ)/∂a = n·aⁿ⁻¹", _pow, _template("{0}**{1}")[0], _pow_partial)
RPOW = Op("rpow", "cˣ", "∂(cˣ)/∂x = cˣ·ln c", _rpow,
          *_template("{0}**{1}", "", "{0}**{1}·ln {0}"))
POWV = Op("powv", "aᵇ", "∂(aᵇ)/∂a = b·aᵇ⁻¹,  ∂(aᵇ)/∂b = aᵇ·ln a", _powv,
          *_template("{0}**{1}", "{1}·{0}**({1}−1)", "{0}**{1}·ln {0}"))
ABS = Op("abs", "|x|", "∂|a|/∂a = sign(a)", _abs, *_template("|{0}|", "sign({0})"))
EXP = Op("exp", "exp", "∂eᵃ/∂a = eᵃ", _exp, *_template("exp({0})", "exp({0})"))
LOG = Op("log", "log", "∂ln(a)/∂a = 1/a", _log, *_template("log({0})", "1/{0}"))
SQRT = Op("sqrt", "√", "∂√a/∂a = 1/(2√a)", _sqrt, *_template("√{0}", "1/(2√{0})"))
SIN = Op("sin", "sin", "∂sin(a)/∂a = cos(a)", _sin, *_template("sin({0})", "cos({0})"))
TANH = Op("tanh", "tanh", "tanh'(z) = 1 − tanh²(z)", _tanh,
          *_template("tanh({0})", "1 − {out}²"))
SIGMOID = Op("sigmoid", "σ", "σ'(z) = σ(z)(1 − σ(z))", _sigmoid,
             *_template("σ({0})", "{out}(1 − {out})"))
RELU = Op("relu", "ReLU", "ReLU'(z) = 1 if z > 0 else 0", _relu,
          *_template("ReLU({0})", "[{0} > 0]"))
LEAKY_RELU_SLOPE = 0.01  # α when none is given (PyTorch's default too); declared once here
LEAKY_RELU = Op("leaky_relu", "LReLU", "LReLU'(z) = 1 if z > 0 else α", _leaky_relu,
                *_template("LReLU({0}; α={1})", "(1 if {0} > 0 else {1})",
                          "(0 if {0} > 0 else {0})"))
SOFTPLUS = Op("softplus", "softplus", "softplus'(z) = σ(z)", _softplus,
              *_template("softplus({0})", "σ({0})"))
SUM = Op("sum", "Σ", "∂(Σaᵢ)/∂aᵢ = 1", _sum, lambda names: " + ".join(names),
         lambda i, names, out: "1")
MEAN = Op("mean", "mean", "∂(Σaᵢ/n)/∂aᵢ = 1/n", _mean,
          lambda names: f"({' + '.join(names)})/{len(names)}",
          lambda i, names, out: f"1/{len(names)}")
DOT = Op("dot", "Σab", "∂(Σaᵢbᵢ)/∂aᵢ = bᵢ,  ∂(Σaᵢbᵢ)/∂bᵢ = aᵢ", _dot, _dot_expr, _dot_partial)
LINEAR = Op("linear", "Σwx+b", "∂z/∂wᵢ = xᵢ,  ∂z/∂xᵢ = wᵢ,  ∂z/∂b = 1  (z = Σwᵢxᵢ + b)", _dot,
            _dot_expr, _dot_partial)
LOGSUMEXP = Op("logsumexp", "LSE", "∂log Σe^aⱼ/∂aᵢ = softmax(a)ᵢ", _logsumexp,
               lambda names: f"log Σ exp({', '.join(names)})",
               lambda i, names, out: f"softmax({', '.join(names)})_{i + 1}")


def _multi_expr(fname):
    return lambda names: f"{fname}({', '.join(names)})"


def _softmax_text(i, names, out, op_index):
    return f"{out}(1 − {out})" if i == op_index else f"−{out}·softmax({', '.join(names)})_{i + 1}"


def _log_softmax_text(i, names, out, op_index):
    sm = f"softmax({', '.join(names)})_{i + 1}"
    return f"1 − {sm}" if i == op_index else f"−{sm}"


@dataclass(frozen=True, eq=False, repr=False)
class _MultiOp(Op):
    """An op with several outputs: `fn(*xs)` returns all n outputs and the n
    rows of the Jacobian; output k is a node with op `.at(k)`, whose partial
    text depends on k (the Kronecker δ in the rule)."""

    text: Callable | None = None

    def __post_init__(self):
        if self.text is not None:
            k, text = self.index, self.text
            object.__setattr__(self, "partial", lambda i, names, out: text(i, names, out, k))


SOFTMAX = _MultiOp("softmax", "softmax", "∂yₖ/∂aᵢ = yₖ(δₖᵢ − yᵢ)  (y = softmax(a))", _softmax,
                   _multi_expr("softmax"), None, text=_softmax_text)
LOG_SOFTMAX = _MultiOp("log_softmax", "log softmax", "∂log yₖ/∂aᵢ = δₖᵢ − yᵢ  (y = softmax(a))",
                       _log_softmax, _multi_expr("log_softmax"), None, text=_log_softmax_text)

OPERATORS = (ADD, SUB, MUL, DIV, NEG, POW, RPOW, POWV)
"""The ops Python's operators make (+ − × ÷, unary −, and ** as xⁿ, cˣ or aᵇ);
every other op is made by a function of `FUNCTIONS`, below."""


# -- the public functions --------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """How a public function takes its arguments; `functions.py` implements
    each form once.  `params`: its Python parameters (an entry's `param`
    follows them); `usage`: how an expression calls it, "{f}" the name (None:
    not in the expression language, whose values are single nodes); `arity`:
    the (fewest, most) arguments an expression gives, None for any number;
    `sequences`: the first two are tuples, as in `dot((a1, a2), (b1, b2))`."""

    name: str
    params: tuple[str, ...]
    usage: str | None
    arity: tuple[int, int | None] = (1, 1)
    sequences: bool = False
    method: bool = False  # can be a Value method: one argument only


ONE = Form("one", ("x",), "{f}(x)", method=True)
MANY = Form("many", ("xs",), "{f}(a, b, ...)", (1, None))
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


FUNCTIONS: tuple[Function, ...] = (
    Function("exp", EXP, ONE, "eˣ"),
    Function("log", LOG, ONE, "ln x"),
    Function("sqrt", SQRT, ONE, "√x"),
    Function("sin", SIN, ONE, "sin x"),
    Function("tanh", TANH, ONE, "tanh x"),
    Function("sigmoid", SIGMOID, ONE, "σ(x) = 1/(1 + e⁻ˣ)"),
    Function("relu", RELU, ONE, "max(x, 0)"),
    Function("softplus", SOFTPLUS, ONE, "ln(1 + eˣ)"),
    Function("leaky_relu", LEAKY_RELU, ONE, "x if x > 0 else slope·x (a Value slope is learned, "
             "as in PReLU)", param=("slope", LEAKY_RELU_SLOPE)),
    # abs(x) is Python's builtin, through Value.__abs__; 1/x is x.reciprocal()
    Function("abs", ABS, ONE, "|x|", method=False, export=False),
    Function("reciprocal", RECIPROCAL, ONE, "1/x", export=False, expression=False),
    Function("sum", SUM, MANY, "Σ xᵢ as one node (Python's `sum` would make a chain of additions)"),
    Function("mean", MEAN, MANY, "(Σ xᵢ)/n as one node"),
    Function("logsumexp", LOGSUMEXP, MANY, "log Σ exp(xᵢ) as one node, computed stably"),
    Function("dot", DOT, PAIRS, "Σ aᵢbᵢ as one node"),
    Function("linear", LINEAR, PAIRS_AND_BIAS, "A neuron's pre-activation z = Σ wᵢxᵢ + b as one "
             "node: exactly the z the notes write, with every wᵢ, xᵢ and b as its parents"),
    Function("softmax", SOFTMAX, OUTPUTS, "softmax(x); output k has every Value xᵢ as a parent "
             "with local derivative yₖ(δₖᵢ − yᵢ)"),
    Function("log_softmax", LOG_SOFTMAX, OUTPUTS, "log softmax(x), stable: xₖ − logsumexp(x)"),
)
"""The engine's public functions, in the order the docs list them."""

OPS: dict[str, Op] = {op.name: op for op in (*OPERATORS, *(f.op for f in FUNCTIONS))}
"""Every op by name: the operators' and the functions'."""
