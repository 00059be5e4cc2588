"""The ops' forward computations on floats, where they need more than one
`math` or `operator` call: domain checks that raise `Fault` (the tracer
turns it into a `NumericError` naming the node), overflow said in words, and
stable forms (softplus, logsumexp; sigmoid and softmax, which local
derivatives use too, are in `primitive.py`).  The table in
`ops.py` names these next to each op's local derivatives; an op whose forward
is a plain `math` function (sin, tanh, …) names that function directly.
"""

from __future__ import annotations

import math
from operator import mul
from .primitive import Fault


def _fmt(x: float) -> str:
    return f"{x:g}"


def div(a, b):
    if b == 0:
        raise Fault("division by zero", 1, zero_division=True)
    return a / b


def reciprocal(a):
    if a == 0:
        raise Fault("division by zero", 0, zero_division=True)
    return 1.0 / a


def pow_(a, n):
    """a ** n with a constant exponent n."""
    if a == 0 and n < 0:
        raise Fault(f"0 ** {_fmt(n)} (zero to a negative power)", 0, zero_division=True)
    if a < 0 and n != int(n):
        raise Fault(f"negative base to the non-integer power {_fmt(n)}", 0)
    if a == 0 and 0 < n < 1:
        raise Fault(f"** {_fmt(n)} has an infinite derivative at 0", 0, value=0.0)
    try:
        return a ** n
    except OverflowError:
        raise Fault(f"** {_fmt(n)} overflows", 0) from None


def rpow(c, x):
    """c ** x with a constant base c; 0 ** 0 is 1, as in Python and torch."""
    if c < 0:
        raise Fault(f"negative base {_fmt(c)} to a variable power", 0)
    if c == 0 and x < 0:
        raise Fault(f"0 ** {_fmt(x)} (zero to a negative power)", 1, zero_division=True)
    try:
        return c ** x
    except OverflowError:
        raise Fault(f"{_fmt(c)} to this power overflows", 1) from None


def powv(a, b):
    """a ** b, both variables: the base must not be negative, for ∂/∂b = aᵇ ln a."""
    if a < 0:
        raise Fault("negative base to a variable power (ln of the base is undefined)", 0)
    if a == 0:
        if b < 0:
            raise Fault(f"0 ** {_fmt(b)} (zero to a negative power)", 0, zero_division=True)
        if 0 < b < 1:
            raise Fault(f"** {_fmt(b)} has an infinite derivative at 0", 0, value=0.0)
    try:
        return a ** b
    except OverflowError:
        raise Fault("overflow in a ** b", 0) from None


def exp(a):
    try:
        return math.exp(a)
    except OverflowError:  # above ln(max float) = 709.7827…: math says so exactly
        raise Fault("exp overflows for inputs above 709.78", 0) from None


def expm1(a):
    try:
        return math.expm1(a)
    except OverflowError:
        raise Fault("expm1 overflows for inputs above 709.78", 0) from None


def _logarithm(name: str, f, lowest: float = 0.0):
    def log(a):
        if a <= lowest:
            raise Fault(f"{name} of a number ≤ {_fmt(lowest)}" if lowest
                        else f"{name} of a non-positive number", 0)
        return f(a)
    return log


log = _logarithm("log", math.log)
log2 = _logarithm("log2", math.log2)
log10 = _logarithm("log10", math.log10)
log1p = _logarithm("log1p", math.log1p, -1.0)


def sqrt(a):
    if a < 0:
        raise Fault("sqrt of a negative number", 0)
    if a == 0:
        raise Fault("the derivative of sqrt is infinite at 0", 0, value=0.0)
    return math.sqrt(a)


def _arc(name: str, f):
    def arc(a):
        if abs(a) == 1:
            raise Fault(f"the derivative of {name} is infinite at ±1", 0, value=f(a))
        if not -1 < a < 1:
            raise Fault(f"{name} of a number outside [−1, 1]", 0)
        return f(a)
    return arc


asin = _arc("asin", math.asin)
acos = _arc("acos", math.acos)


def _hyperbolic(name: str, f):
    def hyperbolic(a):
        try:
            return f(a)
        except OverflowError:  # |a| above ln(2·max float) = 710.4758…
            raise Fault(f"{name} overflows for inputs beyond ±710.47", 0) from None
    return hyperbolic


sinh = _hyperbolic("sinh", math.sinh)
cosh = _hyperbolic("cosh", math.cosh)


def relu(a):
    return a if a > 0 else 0.0


def leaky_relu(a, slope):
    return a if a > 0 else slope * a


def softplus(a):
    # log(1 + e^a) = max(a, 0) + log1p(e^-|a|): never overflows.
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


def _scaled_fsum(xs) -> tuple[float, float]:
    """(s, k) with Σxs = s·k.  fsum raises when a partial sum overflows even if
    the total does not; scaling by a power of two k >= n is exact and keeps
    every partial sum finite."""
    try:
        return math.fsum(xs), 1.0
    except OverflowError:
        k = 2.0 ** len(xs).bit_length()
        return math.fsum([x / k for x in xs]), k


def sum_(*xs):
    s, k = _scaled_fsum(xs)
    return s * k  # inf if the total overflows: the tracer says so


def mean(*xs):
    s, k = _scaled_fsum(xs)
    return s / len(xs) * k


def dot(*xs):
    """Σ aᵢbᵢ (+ c): arguments interleaved a1, b1, a2, b2, …, optional bias c."""
    end = len(xs) - len(xs) % 2
    total = sum(map(mul, xs[0:end:2], xs[1:end:2]))
    return total + xs[-1] if end < len(xs) else total


def logsumexp(*xs):
    m = max(xs)
    return m + math.log(math.fsum([math.exp(x - m) for x in xs]))


def maximum(*xs):
    return max(xs)


def minimum(*xs):
    return min(xs)


def clip(x, lo, hi):
    if lo > hi:
        raise Fault(f"the bounds are the wrong way round (lo = {_fmt(lo)} > hi = {_fmt(hi)})", 1)
    return lo if x < lo else hi if x > hi else x


def log_softmax(*xs: float) -> list[float]:
    """xₖ − logsumexp(x), for every k."""
    lse = logsumexp(*xs)
    return [x - lse for x in xs]

