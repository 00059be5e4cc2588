"""The arithmetic of a written computation, exactly.

`evaluate(tree)` computes what a student's numbers give: + − × ÷, integer
powers and Σ in exact rationals (so "0.4 × 0.5225 + 0.1 × 0.5299" is exactly
0.26199), non-integer powers to 40 significant digits with `decimal`, and
the functions (exp, log, σ, tanh, max, ReLU, sin, …: every one `calls` reads
from the op table) by the engine's own forward, which `calls` says is
precise enough.  Column vectors are tuples: + − ⊙ act element-wise, a scalar
times a vector scales it, Σ sums it.  Nothing is run as Python.

Bounds keep a hostile document cheap: a number's size is capped (beyond
1e400 it cannot be a hand number about floats), integer powers are capped,
and a rational that grows too many digits is rounded to 40 digits.
"""

from __future__ import annotations

import decimal
from fractions import Fraction
from typing import Callable, Union

from . import calls
from .tree import Add, Call, Deriv, Div, Mul, Neg, Num, Pow, Sym, Vec

Number = Fraction
Vector = tuple
Quantity = Union[Fraction, tuple]

_LIMIT = Fraction(10) ** 400
_MAX_POWER = 1_000
_MAX_BITS = 4_000
_CONTEXT = decimal.Context(prec=40, Emax=10_000, Emin=-10_000,
                           traps=[decimal.Overflow, decimal.InvalidOperation,
                                  decimal.DivisionByZero])


class ArithmeticError_(ValueError):
    """A computation that has no value here (division by zero, log of a
    negative number, a vector where a number is needed, too large)."""


class NotNumeric(ValueError):
    """The tree holds a symbol with no value given."""

    def __init__(self, symbol):
        self.symbol = symbol
        super().__init__(f"{symbol} has no value")


def evaluate(node, values: Callable | None = None) -> Quantity:
    """The exact value of a tree; `values(sym)` gives the value of a Sym or
    Deriv (a number or a tuple), or raises NotNumeric."""
    return _bounded(_eval(node, values))


def _eval(node, values):
    if isinstance(node, Num):  # as written: "0.2449" is 2449/10000
        return Fraction(node.text)
    if isinstance(node, (Sym, Deriv)):
        if values is None:
            raise NotNumeric(node)
        v = values(node)
        return tuple(Fraction(x) for x in v) if isinstance(v, tuple) else Fraction(v)
    if isinstance(node, Neg):
        return _map(lambda x: -x, _eval(node.arg, values))
    if isinstance(node, Add):
        total = _eval(node.terms[0], values)
        for t in node.terms[1:]:
            total = _zip(total, _eval(t, values), lambda a, b: a + b)
        return _bounded(total)
    if isinstance(node, Mul):
        total = _eval(node.factors[0], values)
        for f in node.factors[1:]:
            total = _bounded(_zip(total, _eval(f, values), lambda a, b: a * b))
        return total
    if isinstance(node, Div):
        den = _eval(node.den, values)
        if isinstance(den, tuple) and any(d == 0 for d in den) or den == 0:
            raise ArithmeticError_("division by zero")
        return _bounded(_zip(_eval(node.num, values), den, lambda a, b: a / b))
    if isinstance(node, Pow):
        return _map2(_power, _eval(node.base, values), _eval(node.exp, values))
    if isinstance(node, Call):
        arg = _eval(node.arg, values)
        if node.fn == "sum":  # Σ: the entries of a vector added, exactly
            return sum(arg, Fraction(0)) if isinstance(arg, tuple) else arg
        if calls.of_entries(node.fn):  # of a vector's entries, or the arguments of max(a, b)
            return _called(node.fn, *(arg if isinstance(arg, tuple) else (arg,)))
        return _map(lambda x: _called(node.fn, x), arg)
    if isinstance(node, Vec):
        items = tuple(_eval(x, values) for x in node.items)
        if any(isinstance(x, tuple) for x in items):
            raise ArithmeticError_("a vector inside a vector")
        return items
    raise ArithmeticError_(f"cannot compute {type(node).__name__}")


def _map(f, x):
    return tuple(f(v) for v in x) if isinstance(x, tuple) else f(x)


def _zip(a, b, f):
    if isinstance(a, tuple) and isinstance(b, tuple):
        if len(a) != len(b):
            raise ArithmeticError_(f"vectors of {len(a)} and {len(b)} entries")
        return tuple(f(x, y) for x, y in zip(a, b))
    if isinstance(a, tuple):
        return tuple(f(x, b) for x in a)
    if isinstance(b, tuple):
        return tuple(f(a, y) for y in b)
    return f(a, b)


def _map2(f, a, b):
    return _bounded(_zip(a, b, f))


def _bounded(x):
    if isinstance(x, tuple):
        return tuple(_bounded(v) for v in x)
    if abs(x) >= _LIMIT:
        raise ArithmeticError_("a result beyond 1e400")
    if x.numerator.bit_length() + x.denominator.bit_length() > _MAX_BITS:
        return _from_decimal(_decimal(x))
    return x


def _decimal(x: Fraction) -> decimal.Decimal:
    return _CONTEXT.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator))


def _from_decimal(d: decimal.Decimal) -> Fraction:
    return Fraction(d)


def _called(name: str, *xs: Fraction) -> Fraction:
    """A function of the op table at exact arguments: its float, read back as
    the shortest decimal that is that float (see `calls`)."""
    try:
        return Fraction(repr(calls.value(name, *map(float, xs))))
    except OverflowError:  # an argument between the floats' 1.8e308 and the 1e400 bound
        raise ArithmeticError_(f"{name} of a number beyond the floats") from None
    except calls.Undefined as e:
        raise ArithmeticError_(str(e)) from None


def _power(base: Fraction, exp: Fraction) -> Fraction:
    if exp.denominator == 1 and abs(exp) <= _MAX_POWER:
        if base == 0 and exp < 0:
            raise ArithmeticError_("division by zero")
        if base != 0 and abs(exp) * max(abs(base.numerator), abs(base.denominator)
                                        ).bit_length() > 40 * _MAX_BITS:
            return _from_decimal(_CONTEXT.power(_decimal(base), int(exp)))
        return base ** int(exp)
    if base <= 0:
        raise ArithmeticError_("a non-integer power of a number that is not positive")
    try:
        return _from_decimal(_CONTEXT.power(_decimal(base), _decimal(exp)))
    except (decimal.Overflow, decimal.InvalidOperation):
        raise ArithmeticError_("a power beyond 1e400") from None
