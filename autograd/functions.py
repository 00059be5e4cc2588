"""The engine's functions, for Values and numbers alike: `autograd.exp(x)`,
`autograd.sum(xs)`, `autograd.linear(w, x, b)`, `autograd.softmax(xs)`, …,
and the Value methods among them (`x.exp()`, `x.clip(lo, hi)`).

Each is made from its entry in the op table's `FUNCTIONS` (name, op, form,
doc), by the one implementation of its form below (a method by `value.py`'s
inlined tracer), so a new entry needs no code here.  A number where a Value goes becomes a leaf (`exp(2.0)` is a node
with one parent); numbers among several inputs stay numbers, as in `apply`.
Multi-input functions are real primitives, one node each, so the graph reads
like the notes.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable, Sequence, TypeVar

from . import ops, primitive
from .ops import Function
from .value import Value, apply, apply_multi, binary_method, named_method, unary_method

F = TypeVar("F", bound=Callable[..., Any])


def with_parameter(f: F, name: str, default) -> F:
    """`f(self, other)` as `f(self, name=default)`: a table function's number
    parameter (leaky_relu's slope) under the table's name, so that keywords
    (`x.leaky_relu(slope=0.2)`) and `inspect.signature` read it.  The code is
    the same, only its second local is renamed: no extra call per use."""
    code = f.__code__
    names = list(code.co_varnames)
    if name in names:
        raise ValueError(f"cannot call the parameter of {f.__name__} {name!r}: the code "
                         f"already has a local of that name")
    names[1] = name
    f.__code__ = code.replace(co_varnames=tuple(names))
    f.__defaults__ = (default,)
    return f


def _wrap(x) -> Value:
    return x if type(x) is Value else Value(x)


def _inputs(xs: Iterable, what: str) -> tuple:
    xs = tuple(xs)
    if not xs:
        raise ValueError(f"{what} needs at least one input, got an empty sequence")
    return xs


def _interleave(a: Sequence, b: Sequence, what: str) -> list:
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"{what}: lengths differ ({len(a)} and {len(b)})")
    if not a:
        raise ValueError(f"{what} needs at least one pair, got empty sequences")
    pairs = a + b  # a1, b1, a2, b2, …: every slot written below (slices are C loops)
    pairs[0::2], pairs[1::2] = a, b
    return pairs


# -- one implementation per form (ops.ONE, ops.MANY, …) ---------------------------

def _one(f: Function) -> tuple[Callable, str]:
    op = f.op
    if f.param is None:
        def function(x: Value | float) -> Value:
            return apply(op, _wrap(x))
        return function, f"{f.doc} of a Value or a number (a number becomes a leaf)."

    def function(x: Value | float, parameter=None) -> Value:
        return apply(op, _wrap(x), parameter)
    name, default = f.param
    return (with_parameter(function, name, default),
            f"{f.doc}, of a Value or a number (a number x becomes a leaf; a number {name} "
            f"stays a number, default {default:g}).")


def _many(f: Function) -> tuple[Callable, str]:
    op, name = f.op, f.name

    def function(xs: Iterable[Value | float]) -> Value:
        return apply(op, *_inputs(xs, name))
    return function, f"{f.doc}."


def _variadic(f: Function) -> tuple[Callable, str]:
    op, name = f.op, f.name

    def function(*xs: Value | float | Iterable[Value | float]) -> Value:
        if len(xs) == 1 and type(xs[0]) is not Value and not isinstance(xs[0], numbers.Real):
            xs = tuple(xs[0])  # max(xs), as Python's max takes an iterable too
        return apply(op, *_inputs(xs, name))
    return function, f"{f.doc}: {name}(a, b, ...) or {name}(xs)."


def _bounds(f: Function) -> tuple[Callable, str]:
    op = f.op

    def function(x: Value | float, lo: Value | float, hi: Value | float) -> Value:
        return apply(op, _wrap(x), lo, hi)
    return function, f"{f.doc}, of a Value or a number (a number x becomes a leaf)."


def _outputs(f: Function) -> tuple[Callable, str]:
    op, name = f.op, f.name

    def function(xs: Iterable[Value | float]) -> list[Value]:
        return apply_multi(op, _inputs(xs, name))
    return function, f"{f.doc}: n nodes (numbers among the xᵢ stay numbers)."


def _pairs(f: Function) -> tuple[Callable, str]:
    op, name = f.op, f.name

    def function(a: Sequence[Value | float], b: Sequence[Value | float]) -> Value:
        return apply(op, *_interleave(a, b, name))
    return function, f"{f.doc}."


def _pairs_and_bias(f: Function) -> tuple[Callable, str]:
    op, what = f.op, f"{f.name} (weights and inputs)"

    def function(w: Sequence[Value | float], x: Sequence[Value | float],
                 b: Value | float | None = None) -> Value:
        args = _interleave(w, x, what)
        if b is not None:
            args.append(b)
        return apply(op, *args)
    return function, f"{f.doc}."


_FORMS = {ops.ONE: _one, ops.MANY: _many, ops.VARIADIC: _variadic, ops.BOUNDS: _bounds,
          ops.OUTPUTS: _outputs, ops.PAIRS: _pairs, ops.PAIRS_AND_BIAS: _pairs_and_bias}


def _make(f: Function) -> Callable:
    function, doc = _FORMS[f.form](f)
    function.__name__ = function.__qualname__ = f.name
    function.__doc__ = f"{doc}\n\nThe rule: {f.op.rule}"
    return function


BY_NAME: dict[str, Callable] = {f.name: _make(f) for f in ops.FUNCTIONS}
"""Every function of the table as a callable, exported or not (the expression
language calls `abs` through it)."""
primitive.ON_VALUES.update(BY_NAME)  # what `cos(a)` in a local derivative means on a Value


# -- the Value methods ----------------------------------------------------------------

def _method(f: Function) -> Callable:
    """`Value.<f.name>`: the op inlined with `op` bound (one Python call per use)."""
    if f.form is ops.BOUNDS:
        op = f.op

        def method(self: Value, lo: Value | float, hi: Value | float) -> Value:
            return apply(op, self, lo, hi)
        return named_method(method, f.name, f"{f.op.name}(x, lo, hi) as a node: {f.doc}; "
                                            f"the rule: {f.op.rule}")
    if f.param is None:
        return unary_method(f.op, f.name)
    name, default = f.param
    method = binary_method(f.op, f.name, f"{f.op.name}(x, {name}) as a node: {f.doc}; "
                                         f"the rule: {f.op.rule}")
    return with_parameter(method, name, default)


def _methods() -> None:
    """Give `Value` a method for every function of the op table that has one."""
    for f in ops.FUNCTIONS:
        if f.method:
            setattr(Value, f.name, _method(f))


_methods()

ALIASES = {"vsum": "sum", "vmax": "max", "vmin": "min"}
"""`autograd.sum`, `max` and `min` under names that do not hide Python's
builtins after `from autograd import *`."""

__all__ = [f.name for f in ops.FUNCTIONS if f.export] + list(ALIASES)
globals().update({name: BY_NAME[name] for name in __all__ if name not in ALIASES})
globals().update({alias: BY_NAME[name] for alias, name in ALIASES.items()})
