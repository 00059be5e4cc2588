"""What can go wrong with numbers, said once.

The engine's errors (`NumericError` names the node where a math error
happened), the messages that name nodes, and `finite_number`, the one check
of a number given as data: by the engine (`Value(x)`, `x + 2`), by `nn`
(weights, learning rates, data), by `check` (tolerances, exact values), by
answer sheets and by the command line.  Each caller says what the number
is; the rule and the wording are here.
"""

from __future__ import annotations

import numbers
from typing import Protocol

from .primitive import Fault, Op


class Named(Protocol):
    """What a message reads of a node (a `Value`): its label, op and number."""

    label: str | None
    op: Op | None
    data: float


class NumericError(ArithmeticError):
    """A math error at a named node: a domain error, an overflow, or a NaN/inf
    that would otherwise have spread silently."""


class ZeroDivisionNumericError(NumericError, ZeroDivisionError):
    """Division by zero (including 0 ** negative and 1/0) at a named node."""


def finite_number(x, what: str, error: type[Exception] = ValueError) -> float:
    """`x` as a float, for a number given as data.

    TypeError unless `x` is a real number (int, float, Fraction, a numpy
    scalar or a 0-d array of one, as numpy's own arithmetic returns; a bool
    is not a number here); `error` (ValueError, or the engine's
    NumericError) unless it is finite as a float, which an int beyond
    1.8e308 is not.  Messages start with `what`: "lr must be a finite
    number, got inf"."""
    if type(x) is float:  # the common case first: the engine calls this per node
        if x - x == 0:  # inf - inf and nan - nan are nan
            return x
        raise error(f"{what} must be a finite number, got {x}")
    if type(x) is not int and (isinstance(x, bool) or not isinstance(x, numbers.Real)):
        if getattr(x, "shape", None) == () and callable(getattr(x, "item", None)):
            item = x.item()  # a 0-d array (numpy's, or torch's tensor): its one element
            if isinstance(item, numbers.Real) and not isinstance(item, bool):
                return finite_number(item, what, error)
        raise TypeError(f"{what} must be a number, got {x!r}")
    try:
        f = float(x)
    except OverflowError:  # an int (or a fraction) beyond the floats
        text = repr(x) if len(repr(x)) <= 40 else f"{repr(x)[:20]}... ({len(repr(x))} digits)"
        raise error(f"{what} must be a finite number, got {'-' if x < 0 else ''}inf "
                    f"({text} is too large for a float)") from None
    if f - f:
        raise error(f"{what} must be a finite number, got {f}")
    return f


def name_of(v: Named) -> str:
    """The label if there is one, else a short description (for messages)."""
    return v.label if v.label is not None else f"<{v.op.name if v.op else 'leaf'} {v.data:.6g}>"


def message_names(args: tuple) -> list[str]:
    """An op's arguments in an error message: numbers as numbers, Values by `name_of`."""
    return [f"{a:g}" if isinstance(a, numbers.Real) else name_of(a) for a in args]


def op_failed(op: Op, args: tuple, fault: Fault) -> NumericError:
    """The error for an op whose inputs are outside its domain."""
    names = message_names(args)
    bad = args[fault.arg]
    culprit = f"the number {bad!r}" if isinstance(bad, numbers.Real) else \
        f"{names[fault.arg]} = {bad.data!r}"
    cls = ZeroDivisionNumericError if fault.zero_division else NumericError
    return cls(f"{op.name}({', '.join(names)}): {fault.reason} ({culprit})")


def not_finite(op: Op, args: tuple, out: float) -> NumericError:
    """The error for an op whose result overflowed."""
    return NumericError(f"{op.name}({', '.join(message_names(args))}) gave {out}: "
                        f"the result is not finite")


def overflowed_at(v: Named, grad: float) -> NumericError:
    """The error for a gradient `grad` at `v` that is not finite (backward
    and the step trace raise the same one)."""
    return NumericError(f"the gradient at {name_of(v)} is {grad}: it overflowed")


def located(cls: type[Exception], where, reason: str, sep: str = ": ") -> Exception:
    """`cls(f"{where}{sep}{reason}")` that also carries `where` and `reason`
    as data, so a caller with its own names for places (an answer sheet's key
    paths) can say where without reading the message apart."""
    error = cls(f"{where}{sep}{reason}")
    error.where, error.reason = where, reason
    return error
