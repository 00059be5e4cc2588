"""The op table: every differentiable primitive, declared once, and the
public functions made from them.

Each entry says, in one place: the forward on floats (a `math` or
`operator` function, or one of `forward.py`'s, which raise `Fault` outside
the domain), the local derivatives ∂out/∂argᵢ as one function of the output
and the arguments, the display symbol, the derivative rule as a student
writes it, and the output and each partial as formulas (`{0}` the first
argument's name, `{out}` the output's).  The local-derivative function is
read twice: with floats when a node is made (the numbers on its edges, which
`backward`, the step trace, drawings and `explain` read) and with Values by
`autograd.grad(..., create_graph=True)`, for derivatives of derivatives.
`primitive.py` says what an entry is, and which functions (`cos`, `exp`, …)
the local derivatives may call.

`FUNCTIONS`, at the end, is the one list of the public functions: the `Value`
methods, the free functions, `autograd.__all__`, the expression language's
whitelist and the README's table of ops are made from it.  CONTRIBUTING.md:
how to add an op.
"""

from __future__ import annotations

import math
import operator

from . import forward as fw
from .primitive import (BOUNDS, MANY, ONE, OUTPUTS, PAIRS, PAIRS_AND_BIAS, VARIADIC, Function,
                        MultiOp, Names, Op, cos, cosh, exp, log, power, sigmoid, sin, sinh,
                        softmax, sqrt, template)

LN2, LN10 = math.log(2.0), math.log(10.0)


# -- local derivatives that take more than a line ------------------------------------

def _dot_grads(out, *xs):
    """∂(Σ aᵢbᵢ + c)/∂aᵢ = bᵢ, ∂/∂bᵢ = aᵢ, ∂/∂c = 1: the arguments, pairwise swapped."""
    end = len(xs) - len(xs) % 2
    grads = [1.0] * len(xs)
    grads[0:end:2], grads[1:end:2] = xs[1:end:2], xs[0:end:2]
    return grads


def _extreme_grads(out, *xs, smaller=operator.lt):
    """1 for the argument that is the max (min), 0 for the others; k arguments
    tied for it share the 1 evenly (1/k each), which is torch's rule for
    `torch.max(t)` (evenly_distribute_backward) and `torch.maximum(a, b)`
    (half each): the subgradient that treats no tied argument specially.
    `out` is one of the arguments, so "tied" is exact equality."""
    tied = _tied(out, xs, smaller)
    share = 1.0 / sum(tied)
    return [share if t else 0.0 for t in tied]


def _tied(out, xs, smaller) -> list[bool]:
    """Which arguments equal the max (min) `out`: x ≥ out means x = out, since
    out is one of them (comparisons read .data on Values)."""
    return [not smaller(x, out) for x in xs]


def _clip_grads(out, x, lo, hi):
    """torch.clamp's rule: the bounds are inclusive, so at x = lo or x = hi
    the gradient goes to x; a bound gets it only when it is the output."""
    return (1.0 if lo <= x <= hi else 0.0, 1.0 if x < lo else 0.0, 1.0 if x > hi else 0.0)


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
    return f"{n}·{x}" + ("" if m == 1 else f"**{m:g}" if m > 0 else f"**({m:g})")


def _extreme_partial(i: int, names: Names, out: str) -> str:
    return f"[{names[i]} = {out}]/k, k = how many arguments equal {out}"


def _extreme_text(word: str, smaller):
    """The partial of max (min) for one node, with its k worked out: `[x = m]`
    when x is the max alone or is not the max (1 or 0), `[x = m]/2 (2
    arguments tie for the max)` when it shares a tie."""
    def text(i: int, names: Names, out: str, xs, value) -> str:
        tied = _tied(value, xs, smaller)
        k = sum(tied)
        if not tied[i] or k == 1:
            return f"[{names[i]} = {out}]"
        return f"[{names[i]} = {out}]/{k} ({k} arguments tie for the {word})"
    return text


def _call_expr(fname: str):
    return lambda names: f"{fname}({', '.join(names)})"


# -- the table ---------------------------------------------------------------

ADD = Op("add", "+", "∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1", operator.add,
         lambda out, a, b: (1.0, 1.0), *template("{0} + {1}", "1", "1"))
SUB = Op("sub", "−", "∂(a−b)/∂a = 1,  ∂(a−b)/∂b = −1", operator.sub,
         lambda out, a, b: (1.0, -1.0), *template("{0} − {1}", "1", "−1"))
MUL = Op("mul", "×", "∂(a·b)/∂a = b,  ∂(a·b)/∂b = a", operator.mul,
         lambda out, a, b: (b, a), *template("{0}·{1}", "{1}", "{0}"))
DIV = Op("div", "÷", "∂(a/b)/∂a = 1/b,  ∂(a/b)/∂b = −a/b²", fw.div,
         lambda out, a, b: (1 / b, -out / b), *template("{0}/{1}", "1/{1}", "−{0}/{1}²"),
         may_overflow=True)
NEG = Op("neg", "−x", "∂(−a)/∂a = −1", operator.neg, lambda out, a: (-1.0,),
         *template("−{0}", "−1"))
RECIPROCAL = Op("reciprocal", "1/x", "∂(1/a)/∂a = −1/a²", fw.reciprocal,
                lambda out, a: (-out * out,), *template("1/{0}", "−1/{0}²"), may_overflow=True)
# powers read `x**2` as in Python and the expression language, which rejects `^`;
# the exponent of pow and the base of rpow are always numbers, never edges
POW = Op("pow", "xⁿ", "∂(aⁿ)/∂a = n·aⁿ⁻¹", fw.pow_,
         lambda out, a, n: (n * power(a, n - 1) if n != 0 else 0.0, 0.0),
         template("{0}**{1}")[0], _pow_partial, may_overflow=True)
RPOW = Op("rpow", "cˣ", "∂(cˣ)/∂x = cˣ·ln c", fw.rpow,
          lambda out, c, x: (0.0, out * math.log(c) if c > 0 else 0.0),
          *template("{0}**{1}", "", "{0}**{1}·ln {0}"), may_overflow=True)
# at a = 0 the rule's ln a is undefined; aᵇ is constant there in b (0 or, for b = 0, 1),
# so torch's 0 stands; b·aᵇ⁻¹ is 0 for b = 0 (torch too) and 0⁰ = 1 for b = 1
POWV = Op("powv", "aᵇ", "∂(aᵇ)/∂a = b·aᵇ⁻¹,  ∂(aᵇ)/∂b = aᵇ·ln a", fw.powv,
          lambda out, a, b: (b * power(a, b - 1) if a > 0 or b >= 1 else 0.0,
                             out * log(a) if a > 0 else 0.0),
          *template("{0}**{1}", "{1}·{0}**({1}−1)", "{0}**{1}·ln {0}"), may_overflow=True)
# at a kink, torch's choice: |a|' = sign(a) = 0 and ReLU'(0) = 0
ABS = Op("abs", "|x|", "∂|a|/∂a = sign(a)", operator.abs,
         lambda out, a: (1.0 if a > 0 else -1.0 if a < 0 else 0.0,), *template("|{0}|", "sign({0})"))
EXP = Op("exp", "exp", "∂eᵃ/∂a = eᵃ", fw.exp, lambda out, a: (out,),
         *template("exp({0})", "exp({0})"))
EXPM1 = Op("expm1", "expm1", "∂(eᵃ − 1)/∂a = eᵃ", fw.expm1, lambda out, a: (exp(a),),
           *template("expm1({0})", "exp({0})"))
LOG = Op("log", "log", "∂ln(a)/∂a = 1/a", fw.log, lambda out, a: (1 / a,),
         *template("log({0})", "1/{0}"), may_overflow=True)  # a subnormal a: 1/a overflows
LOG1P = Op("log1p", "log1p", "∂ln(1 + a)/∂a = 1/(1 + a)", fw.log1p, lambda out, a: (1 / (1 + a),),
           *template("log1p({0})", "1/(1 + {0})"))
LOG2 = Op("log2", "log₂", "∂log₂(a)/∂a = 1/(a·ln 2)", fw.log2, lambda out, a: (1 / (a * LN2),),
          *template("log2({0})", "1/({0}·ln 2)"), may_overflow=True)
LOG10 = Op("log10", "log₁₀", "∂log₁₀(a)/∂a = 1/(a·ln 10)", fw.log10,
           lambda out, a: (1 / (a * LN10),), *template("log10({0})", "1/({0}·ln 10)"),
           may_overflow=True)
SQRT = Op("sqrt", "√", "∂√a/∂a = 1/(2√a)", fw.sqrt, lambda out, a: (0.5 / out,),
          *template("√{0}", "1/(2√{0})"))
SIN = Op("sin", "sin", "∂sin(a)/∂a = cos(a)", math.sin, lambda out, a: (cos(a),),
         *template("sin({0})", "cos({0})"))
COS = Op("cos", "cos", "∂cos(a)/∂a = −sin(a)", math.cos, lambda out, a: (-sin(a),),
         *template("cos({0})", "−sin({0})"))
TAN = Op("tan", "tan", "∂tan(a)/∂a = 1 + tan²(a)", math.tan, lambda out, a: (1 + out * out,),
         *template("tan({0})", "1 + {out}²"))
ASIN = Op("asin", "asin", "∂asin(a)/∂a = 1/√(1 − a²)", fw.asin,
          lambda out, a: (1 / sqrt(1 - a * a),), *template("asin({0})", "1/√(1 − {0}²)"))
ACOS = Op("acos", "acos", "∂acos(a)/∂a = −1/√(1 − a²)", fw.acos,
          lambda out, a: (-1 / sqrt(1 - a * a),), *template("acos({0})", "−1/√(1 − {0}²)"))
ATAN = Op("atan", "atan", "∂atan(a)/∂a = 1/(1 + a²)", math.atan,
          lambda out, a: (1 / (1 + a * a),), *template("atan({0})", "1/(1 + {0}²)"))
SINH = Op("sinh", "sinh", "∂sinh(a)/∂a = cosh(a)", fw.sinh, lambda out, a: (cosh(a),),
          *template("sinh({0})", "cosh({0})"))
COSH = Op("cosh", "cosh", "∂cosh(a)/∂a = sinh(a)", fw.cosh, lambda out, a: (sinh(a),),
          *template("cosh({0})", "sinh({0})"))
TANH = Op("tanh", "tanh", "tanh'(z) = 1 − tanh²(z)", math.tanh, lambda out, a: (1 - out * out,),
          *template("tanh({0})", "1 − {out}²"))
SIGMOID = Op("sigmoid", "σ", "σ'(z) = σ(z)(1 − σ(z))", sigmoid, lambda out, a: (out * (1 - out),),
             *template("σ({0})", "{out}(1 − {out})"))
RELU = Op("relu", "ReLU", "ReLU'(z) = 1 if z > 0 else 0", fw.relu,
          lambda out, a: (1.0 if a > 0 else 0.0,), *template("ReLU({0})", "[{0} > 0]"))
LEAKY_RELU_SLOPE = 0.01  # α when none is given (PyTorch's default too); declared once here
# ∂/∂slope matters when the slope is a Value (a learned slope, as in PReLU)
LEAKY_RELU = Op("leaky_relu", "LReLU", "LReLU'(z) = 1 if z > 0 else α", fw.leaky_relu,
                lambda out, a, slope: (1.0, 0.0) if a > 0 else (slope, a),
                *template("LReLU({0}; α={1})", "(1 if {0} > 0 else {1})", "(0 if {0} > 0 else {0})"))
SOFTPLUS = Op("softplus", "softplus", "softplus'(z) = σ(z)", fw.softplus,
              lambda out, a: (sigmoid(a),), *template("softplus({0})", "σ({0})"))
CLIP = Op("clip", "clip", "∂clip(x, lo, hi)/∂x = [lo ≤ x ≤ hi],  ∂/∂lo = [x < lo],  "
          "∂/∂hi = [x > hi]  (torch.clamp's rule: the bounds are inclusive)", fw.clip, _clip_grads,
          *template("clip({0}, {1}, {2})", "[{1} ≤ {0} ≤ {2}]", "[{0} < {1}]", "[{0} > {2}]"))
SUM = Op("sum", "Σ", "∂(Σaᵢ)/∂aᵢ = 1", fw.sum_, lambda out, *xs: (1.0,) * len(xs),
         lambda names: " + ".join(names), lambda i, names, out: "1")
MEAN = Op("mean", "mean", "∂(Σaᵢ/n)/∂aᵢ = 1/n", fw.mean, lambda out, *xs: (1.0 / len(xs),) * len(xs),
          lambda names: f"({' + '.join(names)})/{len(names)}", lambda i, names, out: f"1/{len(names)}")
_TIES = "k = how many aⱼ equal it: tied arguments share the gradient evenly, as torch.max does"
MAX = Op("max", "max", f"∂max(a)/∂aᵢ = [aᵢ = max(a)]/k  ({_TIES})", fw.maximum, _extreme_grads,
         _call_expr("max"), _extreme_partial, partial_at=_extreme_text("max", operator.lt))
MIN = Op("min", "min", f"∂min(a)/∂aᵢ = [aᵢ = min(a)]/k  ({_TIES})", fw.minimum,
         lambda out, *xs: _extreme_grads(out, *xs, smaller=operator.gt),
         _call_expr("min"), _extreme_partial, partial_at=_extreme_text("min", operator.gt))
DOT = Op("dot", "Σab", "∂(Σaᵢbᵢ)/∂aᵢ = bᵢ,  ∂(Σaᵢbᵢ)/∂bᵢ = aᵢ", fw.dot, _dot_grads,
         _dot_expr, _dot_partial)
# linear(w, x, b) has 2n + 1 arguments, linear(w, x) 2n: a neuron without a bias is drawn Σwx
LINEAR = Op("linear", "Σwx+b", "∂z/∂wᵢ = xᵢ,  ∂z/∂xᵢ = wᵢ,  ∂z/∂b = 1  (z = Σwᵢxᵢ + b)", fw.dot,
            _dot_grads, _dot_expr, _dot_partial, symbol_at=lambda n: "Σwx+b" if n % 2 else "Σwx")
LOGSUMEXP = Op("logsumexp", "LSE", "∂log Σe^aⱼ/∂aᵢ = softmax(a)ᵢ", fw.logsumexp,
               lambda out, *xs: softmax(xs), lambda names: f"log Σ exp({', '.join(names)})",
               lambda i, names, out: f"softmax({', '.join(names)})_{i + 1}")


def _softmax_row(k, ys, *xs):
    """∂yₖ/∂xᵢ = yₖ(δₖᵢ − yᵢ)."""
    yk = ys[k]
    return [yk * (1 - yi) if i == k else -(yk * yi) for i, yi in enumerate(ys)]


def _log_softmax_row(k, ys, *xs):
    """∂log yₖ/∂xᵢ = δₖᵢ − softmax(x)ᵢ, and softmax(x)ᵢ = exp(log yᵢ)."""
    return [1 - exp(yi) if i == k else -exp(yi) for i, yi in enumerate(ys)]


def _softmax_text(i, names, out, op_index):
    return f"{out}(1 − {out})" if i == op_index else f"−{out}·softmax({', '.join(names)})_{i + 1}"


def _log_softmax_text(i, names, out, op_index):
    sm = f"softmax({', '.join(names)})_{i + 1}"
    return f"1 − {sm}" if i == op_index else f"−{sm}"


SOFTMAX = MultiOp("softmax", "softmax", "∂yₖ/∂aᵢ = yₖ(δₖᵢ − yᵢ)  (y = softmax(a))",
                  lambda *xs: softmax(xs), _softmax_row, _call_expr("softmax"), None,
                  text=_softmax_text)
LOG_SOFTMAX = MultiOp("log_softmax", "log softmax", "∂log yₖ/∂aᵢ = δₖᵢ − yᵢ  (y = softmax(a))",
                      fw.log_softmax, _log_softmax_row, _call_expr("log_softmax"), None,
                      text=_log_softmax_text)

OPERATORS = (ADD, SUB, MUL, DIV, NEG, POW, RPOW, POWV)
"""The ops Python's operators make (+ − × ÷, unary −, and ** as xⁿ, cˣ or aᵇ);
every other op is made by a function of `FUNCTIONS`, below."""


# -- the public functions --------------------------------------------------------

FUNCTIONS: tuple[Function, ...] = (
    Function("exp", EXP, ONE, "eˣ"),
    Function("expm1", EXPM1, ONE, "eˣ − 1, accurate for small x"),
    Function("log", LOG, ONE, "ln x"),
    Function("log1p", LOG1P, ONE, "ln(1 + x), accurate for small x"),
    Function("log2", LOG2, ONE, "log₂ x"),
    Function("log10", LOG10, ONE, "log₁₀ x"),
    Function("sqrt", SQRT, ONE, "√x"),
    Function("sin", SIN, ONE, "sin x"),
    Function("cos", COS, ONE, "cos x"),
    Function("tan", TAN, ONE, "tan x"),
    Function("asin", ASIN, ONE, "arcsin x"),
    Function("acos", ACOS, ONE, "arccos x"),
    Function("atan", ATAN, ONE, "arctan x"),
    Function("sinh", SINH, ONE, "sinh x"),
    Function("cosh", COSH, ONE, "cosh x"),
    Function("tanh", TANH, ONE, "tanh x"),
    Function("sigmoid", SIGMOID, ONE, "σ(x) = 1/(1 + e⁻ˣ)"),
    Function("relu", RELU, ONE, "max(x, 0)"),
    Function("softplus", SOFTPLUS, ONE, "ln(1 + eˣ)"),
    Function("leaky_relu", LEAKY_RELU, ONE, "x if x > 0 else slope·x (a Value slope is learned, "
             "as in PReLU)", param=("slope", LEAKY_RELU_SLOPE)),
    # abs(x) is Python's builtin, through Value.__abs__; 1/x is x.reciprocal()
    Function("abs", ABS, ONE, "|x|", method=False, export=False),
    Function("reciprocal", RECIPROCAL, ONE, "1/x", export=False, expression=False),
    Function("clip", CLIP, BOUNDS, "x limited to [lo, hi] (lo and hi may be Values too)"),
    Function("sum", SUM, MANY, "Σ xᵢ as one node (Python's `sum` would make a chain of additions)"),
    Function("mean", MEAN, MANY, "(Σ xᵢ)/n as one node"),
    Function("max", MAX, VARIADIC, "The largest of Values and numbers, as one node (Python's "
             "`max` returns one of the Values itself)"),
    Function("min", MIN, VARIADIC, "The smallest of Values and numbers, as one node"),
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
