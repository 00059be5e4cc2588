"""`Value`: one scalar node of a computation graph, and the backward loop.

A node keeps what the chain rule needs and nothing more: its parents in
argument order, the local derivative of each edge (a number stored when the
node is created, computed by its op's `local_grads` in the op table,
`ops.py`), and the op itself.  Plain numbers stay numbers: `x * 2` has one
parent, and the 2 is kept in `args` only so that drawings and explanations
can show it.

Making a node is `apply` (and its inlined copies, the operator methods);
`backward` is the chain rule over `graph.backward_order`, on floats (the same
chain rule on nodes, for derivatives of derivatives, is `derivatives.grad`).
Numbers given as data are checked by `errors.finite_number`.
"""

from __future__ import annotations

import functools
import numbers
from itertools import repeat
from typing import Any, Callable, Sequence, TypeVar

from . import graph, ops
from .errors import NumericError, finite_number, not_finite, op_failed, overflowed_at
from .graph import backward_order
from .primitive import OVERFLOWED, Fault, Op

Number = int | float
F = TypeVar("F", bound=Callable[..., Any])


_grad_enabled = True


class no_grad:
    """Context manager (and decorator) in which ops compute values only and
    record no graph: for evaluation, parameter updates and numerical checks."""

    def __init__(self) -> None:
        self._prev: list[bool] = []  # a stack: one instance may be entered again inside itself

    def __enter__(self) -> None:
        global _grad_enabled
        self._prev.append(_grad_enabled)
        _grad_enabled = False

    def __exit__(self, *exc) -> None:
        global _grad_enabled
        _grad_enabled = self._prev.pop()

    def __call__(self, f: F) -> F:
        """`@no_grad()` on a function: every call runs without recording."""
        @functools.wraps(f)
        def wrapped(*a, **kw):
            with no_grad():
                return f(*a, **kw)
        return wrapped  # type: ignore[return-value]


def is_grad_enabled() -> bool:
    return _grad_enabled


_new = object.__new__


def _node(op: Op, out: float, parents: Sequence["Value"], local: Sequence[float],
          args: tuple | None = None) -> "Value":
    """A computed node with its edges: the first two in slots, the rest in
    `_more` (see `Value`) with `args`, all the arguments, when some are numbers."""
    v = _new(Value)
    v.data, v.grad, v._label, v._op, v._mark = out, None, None, op, None
    v._a, v._da = parents[0], local[0]
    v._b = v._db = None
    n = len(parents)
    if n > 1:
        v._b, v._db = parents[1], local[1]
    if n > 2 or args is not None:
        more = [args] * (2 * n - 3 if n > 2 else 1)
        more[1::2], more[2::2] = parents[2:], local[2:]
        v._more = tuple(more)
    else:
        v._more = None
    return v


def apply(op: Op, *args) -> "Value":
    """Run `op` on Values and plain numbers and record the node.

    The value comes from the op's forward and every local derivative from
    its `local_grads`, both in its one table entry (the operator methods
    below do the same, inlined, for one and two arguments).  Plain numbers
    are not wrapped into nodes; a node keeps them only to show them.
    """
    if all(map(isinstance, args, repeat(Value))):  # the common case, kept lean: a neuron's z
        return _record(op, args, args, tuple([a.data for a in args]))
    if len(args) == 2 and (type(args[0]) is Value) != (type(args[1]) is Value):
        return _with_number(op, *args)  # x + 1, 2 * x: the number's position is in the op
    xs = tuple([a.data if type(a) is Value
                else finite_number(a, f"argument {i + 1} of {op.name}", NumericError)
                for i, a in enumerate(args)])
    return _record(op, args, tuple(a for a in args if type(a) is Value), xs)


def _record(op: Op, args: tuple, values: tuple, xs: tuple) -> "Value":
    """The node for `op` on `args`, whose numbers are `xs` (a tuple: the two
    calls below take it as it is) and whose Values are `values`."""
    try:
        out = op.forward(*xs)
    except Fault as fault:
        raise op_failed(op, args, fault) from None
    if out - out:
        raise not_finite(op, args, out)
    if not _grad_enabled or not values:
        return Value(out)  # no edges, so no local derivatives to compute
    local = op.local_grads(out, *xs)
    if op.may_overflow:
        _check_partials(op, args, local)
    if len(values) == len(args):
        return _node(op, out, values, local)
    local = [d for a, d in zip(args, local) if type(a) is Value]
    return _node(op, out, values, local, tuple(a if type(a) is Value else x for a, x in zip(args, xs)))


def _check_partials(op: Op, args: tuple, local: Sequence[float]) -> None:
    """For an op whose partials can overflow: each one that becomes an edge
    (a Value's) is finite, or the error names that argument."""
    for i, (a, d) in enumerate(zip(args, local)):
        if d - d and type(a) is Value:
            raise op_failed(op, args, Fault(OVERFLOWED, i))


def unary_method(op: Op, name: str) -> Callable[["Value"], "Value"]:
    """The method `x.<name>()` for a one-argument op: `apply` inlined, with
    `op` bound, so that an activation costs one Python call and its rules."""
    forward, local_grads, check = op.forward, op.local_grads, op.may_overflow

    def method(self: Value) -> Value:
        x = self.data
        try:
            out = forward(x)
        except Fault as fault:
            raise op_failed(op, (self,), fault) from None
        if out - out:  # inf - inf and nan - nan are nan, which is truthy
            raise not_finite(op, (self,), out)
        if not _grad_enabled:
            return Value(out)
        (da,) = local_grads(out, x)
        if check and da - da:
            raise op_failed(op, (self,), Fault(OVERFLOWED, 0))
        v = _new(Value)
        v.data = out
        v.grad = v._label = v._b = v._db = v._more = v._mark = None
        v._op = op
        v._a = self
        v._da = da
        return v
    return named_method(method, name, f"{op.name}(x) as a node; the rule: {op.rule}")


def binary_method(op: Op, name: str,
                   doc: str = "") -> Callable[["Value", "Value | float"], "Value"]:
    """The method `x.<name>(other)` for a two-argument op, `x` a Value:
    `apply` inlined, with `op` bound, so that + − × ÷ in a forward pass cost
    one Python call each and their rules."""
    forward, local_grads, check = op.forward, op.local_grads, op.may_overflow

    def method(self: Value, other: Value | float) -> Value:
        if type(other) is not Value:
            return _with_number(op, self, other)
        x = self.data
        y = other.data
        try:
            out = forward(x, y)
        except Fault as fault:
            raise op_failed(op, (self, other), fault) from None
        if out - out:  # inf - inf and nan - nan are nan, which is truthy
            raise not_finite(op, (self, other), out)
        if not _grad_enabled:
            return Value(out)
        da, db = local_grads(out, x, y)
        if check:
            _check_partials(op, (self, other), (da, db))
        v = _new(Value)
        v.data = out
        v.grad = v._label = v._more = v._mark = None
        v._op = op
        v._a = self
        v._da = da
        v._b = other
        v._db = db
        return v
    return named_method(method, name, doc or f"{op.name}(x, other) as a node; the rule: {op.rule}")


def named_method(f: F, name: str, doc: str) -> F:
    f.__name__, f.__qualname__, f.__doc__ = name, f"Value.{name}", doc
    return f


_powv = binary_method(ops.POWV, "__pow__")


def _with_number(op: Op, a, b) -> "Value":
    """`x + 1`, `2 * x`: one edge; the number is kept only to show it, and its
    position is in the op (`op.const_variants`).  Only the Value's partial
    is an edge, so only it is checked (x / 1e-200 is fine: ∂/∂x = 1e200)."""
    pos = 1 if type(a) is Value else 0
    x = b if pos else a
    if type(x) is not float or x - x:  # a finite float passes (inf − inf is nan)
        x = finite_number(x, f"argument {pos + 1} of {op.name}", NumericError)
    node = a if pos else b
    y = node.data
    try:
        out = op.forward(y, x) if pos else op.forward(x, y)
    except Fault as fault:
        raise op_failed(op, (a, b), fault) from None
    if out - out:
        raise not_finite(op, (a, b), out)
    if not _grad_enabled:
        return Value(out)
    d = op.local_grads(out, y, x)[0] if pos else op.local_grads(out, x, y)[1]
    if op.may_overflow and d - d:
        raise op_failed(op, (a, b), Fault(OVERFLOWED, 1 - pos))
    v = _new(Value)
    v.data = out
    v.grad = v._label = v._b = v._db = v._mark = None
    v._op = op.const_variants[pos]
    v._a = node
    v._da = d
    v._more = x
    return v


def apply_multi(op: Op, args: tuple) -> list["Value"]:
    """Run a multi-output op (softmax) and record its outputs: output k is a
    node with op `op.at(k)`, every Value input as a parent with its entry of
    row k of the Jacobian.  Plain numbers stay numbers, as in `apply`: they
    are kept in `args` only, to show them."""
    xs = [a.data if type(a) is Value
          else finite_number(a, f"input {i + 1} of {op.name}", NumericError)
          for i, a in enumerate(args)]
    outs = op.forward(*xs)
    for o in outs:
        if o - o:
            raise not_finite(op, args, o)
    values = [a for a in args if type(a) is Value]
    if not _grad_enabled or not values:
        return [Value(o) for o in outs]
    rows = [op.local_grads(k, outs, *xs) for k in range(len(outs))]
    if len(values) == len(args):
        return [_node(op.at(k), o, values, row) for k, (o, row) in enumerate(zip(outs, rows))]
    at = [i for i, a in enumerate(args) if type(a) is Value]
    const = tuple(a if type(a) is Value else x for a, x in zip(args, xs))
    return [_node(op.at(k), o, values, [row[i] for i in at], const)
            for k, (o, row) in enumerate(zip(outs, rows))]


class Value:
    """A scalar that remembers how it was computed.

    `data` is the number, `grad` is ∂root/∂self after `root.backward()`
    (None before: not computed is not the same as 0), `label` is the name a
    homework gives it.  `op`, `parents`, `local_grads` and `args` describe the
    node: the op that made it, its Value inputs in argument order, the local
    derivative ∂self/∂parent on each edge, and all inputs including numbers.
    Operators are methods here; the functions (`x.exp()`, `x.leaky_relu()`,
    …) are made from the op table's FUNCTIONS by `autograd.functions`, and
    `backward_steps()` comes from `autograd.steps`.

    A unary or binary node is one allocation (112 bytes on 64-bit CPython 3.11).
    """

    # The first two edges live in slots (`_a`, `_da`, `_b`, `_db`).  What few
    # nodes have is in one slot, `_more`: None for most; for `x + 1` the plain
    # number (its position is in the op); for an n-ary node a tuple (args,
    # parent₃, local₃, parent₄, local₄, …), `args` being all the arguments when
    # some are numbers, else None.  `_mark` holds a walk's visit marks.  Every
    # slot fewer is a smaller object that CPython's garbage collector scans faster.
    __slots__ = ("data", "grad", "_label", "_op", "_a", "_da", "_b", "_db", "_more", "_mark")

    def __init__(self, data: Number, label: str | None = None):
        self.data = finite_number(data, "Value data", NumericError)
        self.grad: float | None = None
        self._label = _check_label(label) if label is not None else None
        self._op: Op | None = None
        self._a = self._da = self._b = self._db = self._more = self._mark = None

    # -- the node as data ---------------------------------------------------
    @property
    def label(self) -> str | None:
        """The name a homework gives this node; None if it has none (drawings
        and step traces then number it: x1…, t1…, c1…)."""
        return self._label

    @label.setter
    def label(self, label: str | None) -> None:
        self._label = _check_label(label) if label is not None else None

    @property
    def op(self) -> Op | None:
        """The op that made this node (None for a leaf)."""
        return self._op

    @property
    def parents(self) -> tuple["Value", ...]:
        """The Value inputs in argument order (`x*x` has x twice)."""
        return graph.parents(self)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent, stored when the node was made."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        m = self._more
        return (self._da, self._db) if m is None else (self._da, self._db) + m[2::2]

    @property
    def args(self) -> tuple:
        """All inputs in argument order: Values and the plain numbers."""
        m = self._more
        if type(m) is tuple and m[0] is not None:
            return m[0]
        if m is None or type(m) is tuple:
            return graph.parents(self)
        ps, pos = graph.parents(self), self._op.const_pos  # x + 1: the number is m
        return ps[:pos] + (m,) + ps[pos:]

    @property
    def is_leaf(self) -> bool:
        return self._op is None

    def edges(self) -> list[tuple["Value", float, int]]:
        """(parent, local derivative ∂self/∂parent, argument position) per edge."""
        positions = [i for i, a in enumerate(self.args) if type(a) is Value]
        return list(zip(graph.parents(self), self.local_grads, positions))

    def __repr__(self) -> str:
        grad = "None" if self.grad is None else f"{self.grad:.6g}"
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data:.6g}, grad={grad}{label})"

    def __float__(self) -> float:
        """The number alone, detached from the graph: `math.exp(v)` and
        `float(v)` give a plain float that no gradient flows through (use
        `v.exp()` or `autograd.exp(v)` to stay in the graph)."""
        return self.data

    def named(self, label: str) -> "Value":
        """Set the label and return self: `z = (w * x).named('z')`."""
        self._label = _check_label(label)
        return self

    # -- arithmetic: every operator is one op from the table -------------------
    # (a number on the left reaches the reflected method: `2 * x` is x.__rmul__(2))
    __add__ = binary_method(ops.ADD, "__add__")
    __sub__ = binary_method(ops.SUB, "__sub__")
    __mul__ = binary_method(ops.MUL, "__mul__")
    __truediv__ = binary_method(ops.DIV, "__truediv__")
    __neg__ = unary_method(ops.NEG, "__neg__")
    __abs__ = unary_method(ops.ABS, "__abs__")

    def __radd__(self, other: float) -> Value: return _with_number(ops.ADD, other, self)
    def __rsub__(self, other: float) -> Value: return _with_number(ops.SUB, other, self)
    def __rmul__(self, other: float) -> Value: return _with_number(ops.MUL, other, self)

    def __rtruediv__(self, other: float) -> Value:
        # 1/x is its own primitive (φ(x) = 1/x is an activation in the notes).
        if finite_number(other, "numerator", NumericError) == 1.0:
            return self.reciprocal()
        return _with_number(ops.DIV, other, self)

    def __pow__(self, other: Value | float) -> Value:
        """x ** n for a number n (op pow), x ** y for a Value y (op powv)."""
        return _powv(self, other) if type(other) is Value else _with_number(ops.POW, self, other)

    def __rpow__(self, other: float) -> Value: return _with_number(ops.RPOW, other, self)

    # -- comparisons: of the numbers, as plain bools ----------------------------
    # `<` `<=` `>` `>=` compare `.data` with a Value or a number and return a
    # bool (no node: a comparison has no derivative), so Python's max(),
    # sorted() and `if` work, as with torch's bool results.  `==` is not one of
    # them: it stays identity (and the hash with it), because nodes are dict
    # keys and set members everywhere (grads by node, a node's parents), and
    # two nodes with the same number are still two nodes.
    def __lt__(self, other: Value | float) -> bool:
        o = _compared(other)
        return NotImplemented if o is NotImplemented else self.data < o

    def __le__(self, other: Value | float) -> bool:
        o = _compared(other)
        return NotImplemented if o is NotImplemented else self.data <= o

    def __gt__(self, other: Value | float) -> bool:
        o = _compared(other)
        return NotImplemented if o is NotImplemented else self.data > o

    def __ge__(self, other: Value | float) -> bool:
        o = _compared(other)
        return NotImplemented if o is NotImplemented else self.data >= o

    __hash__ = object.__hash__  # identity, said here so that no __eq__ can drop it unnoticed

    # -- backward ------------------------------------------------------------
    def backward(self, grad: float = 1.0, accumulate: bool = False) -> None:
        """Fill `.grad` of every node in this graph with ∂self/∂node, times
        `grad`, the seed: ∂L/∂self when self is an intermediate of a larger
        computation L (minitorch's `d_output`, torch's `gradient`), 1 by default.

        Gradients are reset first, so calling backward() twice gives the same
        numbers.  With `accumulate=True` the leaves (parameters, inputs) keep
        what they had and this graph's gradients are added to it: for summing
        over graphs built separately (one per sample, say).

        A gradient that overflows raises `NumericError` naming the node.  A
        backward that fails (or is interrupted) leaves no half-summed numbers
        behind: every grad in the graph is None again (not computed), except
        that with `accumulate=True` the leaves get back what they had before
        this call, so the sum over earlier graphs survives a failed sample.
        `.grad` is always a float; `autograd.grad(..., create_graph=True)`
        gives gradients as Values, to differentiate again.
        """
        if type(grad) is not float or grad - grad:
            grad = finite_number(grad, "the seed gradient grad", NumericError)
        order = backward_order(self)
        if accumulate:
            kept = [(v, v.grad) for v in order if v._op is None and v.grad is not None]
            for v in order:
                if v._op is not None or v.grad is None:
                    v.grad = 0.0
        else:
            kept = []
            for v in order:
                v.grad = 0.0
        self.grad += grad
        try:
            for v in order:  # the chain rule: every edge, consumers first
                g = v.grad  # final: every consumer of v has been processed
                a = v._a
                if a is None:  # a leaf: an inf or nan anywhere reaches some leaf
                    if g - g:
                        raise _overflowed(order)
                    continue
                a.grad += v._da * g
                b = v._b
                if b is not None:
                    b.grad += v._db * g
                    more = v._more
                    if more is not None:
                        it = iter(more)
                        next(it)  # the arguments, shown only
                        for p, d in zip(it, it):
                            p.grad += d * g
        except BaseException:
            for v in order:
                v.grad = None
            for v, g in kept:
                v.grad = g
            raise

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        """Jupyter shows a Value as the drawing of its graph, or says why not."""
        from .draw import display_bundle  # draw imports value
        return display_bundle(self, repr(self))


def _overflowed(order: list["Value"]) -> NumericError:
    """The error for a non-finite gradient, naming the first node that had one."""
    v = next(v for v in order if v.grad - v.grad)
    return overflowed_at(v, v.grad)


def _compared(other):
    """The number a Value is compared with, or NotImplemented (then Python
    asks the other side, and raises TypeError if it cannot either)."""
    t = type(other)
    if t is Value:
        return other.data
    if t is float or t is int or (isinstance(other, numbers.Real) and not isinstance(other, bool)):
        return other
    return NotImplemented


def _check_label(label) -> str:
    """A label is a name: a string with something to show (newlines and other
    control characters are drawn visibly, so they are allowed)."""
    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {label!r} of type {type(label).__name__}")
    if not label.strip():
        raise ValueError(f"label must name the node, got the blank string {label!r}"
                         " (use None for no label)")
    return label
