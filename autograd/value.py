"""`Value`: one scalar node of a computation graph, and the backward loop.

A node keeps what the chain rule needs and nothing more: its parents in
argument order, the local derivative of each edge (stored when the node is
created, read from the op table in `ops.py`), and the op itself.  Plain
numbers stay numbers: `x * 2` has one parent, and the 2 is kept in `args`
only so that drawings and explanations can show it.
"""

from __future__ import annotations

import functools
import numbers
from itertools import repeat
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, TypeVar

from . import ops
from .ops import LEAKY_RELU_SLOPE, Fault, Op

if TYPE_CHECKING:
    from .steps import BackwardSteps

Number = int | float
F = TypeVar("F", bound=Callable[..., Any])


class NumericError(ArithmeticError):
    """A math error at a named node: a domain error, an overflow, or a NaN/inf
    that would otherwise have spread silently."""


class ZeroDivisionNumericError(NumericError, ZeroDivisionError):
    """Division by zero (including 0 ** negative and 1/0) at a named node."""


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


def _as_float(x, what: str = "value") -> float:
    """Accept int, float and numpy-style real scalars; reject the rest loudly."""
    t = type(x)
    if not (t is float or t is int or isinstance(x, numbers.Real) and not isinstance(x, bool)):
        raise TypeError(
            f"{what} must be a real number (int, float or numpy scalar), "
            f"got {x!r} of type {t.__name__}")
    try:
        f = float(x)
    except OverflowError:  # an int beyond 1.8e308
        shown = repr(x) if len(repr(x)) <= 40 else f"{repr(x)[:20]}... ({len(repr(x))} digits)"
        raise NumericError(f"{what} is too large for a float, got {shown}") from None
    if f - f != 0:
        raise NumericError(f"{what} must be finite, got {f}")
    return f


def name_of(v: "Value") -> str:
    """The label if there is one, else a short description (for messages)."""
    return v.label if v.label is not None else f"<{v.op.name if v.op else 'leaf'} {v.data:.6g}>"


def _fail(op: Op, args: tuple, fault: Fault) -> NumericError:
    names = [name_of(a) if type(a) is Value else f"{a:g}" for a in args]
    bad = args[fault.arg]
    culprit = f"{names[fault.arg]} = {bad.data!r}" if type(bad) is Value else f"the number {bad!r}"
    cls = ZeroDivisionNumericError if fault.zero_division else NumericError
    return cls(f"{op.name}({', '.join(names)}): {fault.reason} ({culprit})")


_new = object.__new__


def _node(op: Op, out: float, parents: Sequence["Value"], local: Sequence[float],
          const=None) -> "Value":
    """A computed node with its edges: the first two in slots, the rest
    interleaved (parent, local, parent, local, …) in one tuple."""
    v = _new(Value)
    v.data, v.grad, v.label, v._op, v._const = out, None, None, op, const
    v._a, v._da = parents[0], local[0]
    v._b = v._db = v._rest = v._mark = None
    if len(parents) > 1:
        v._b, v._db = parents[1], local[1]
        if len(parents) > 2:
            rest = [None] * (2 * len(parents) - 4)
            rest[::2], rest[1::2] = parents[2:], local[2:]
            v._rest = tuple(rest)
    return v


def _not_finite(op: Op, args: tuple, out: float) -> NumericError:
    names = ", ".join(name_of(a) if type(a) is Value else f"{a:g}" for a in args)
    return NumericError(f"{op.name}({names}) gave {out}: the result is not finite")


def apply(op: Op, *args) -> "Value":
    """Run `op` on Values and plain numbers and record the node.

    The only place nodes with parents are made: the value and every local
    derivative come from the op's one declaration.  Plain numbers are not
    wrapped into nodes; a node keeps them only to show them.
    """
    if all(map(isinstance, args, repeat(Value))):  # the common case, kept lean: a neuron's z
        return _record(op, args, args, [a.data for a in args], None)
    xs = [a.data if type(a) is Value else _as_float(a, f"argument {i + 1} of {op.name}")
          for i, a in enumerate(args)]
    values = tuple(a for a in args if type(a) is Value)
    if len(args) == 2 and len(values) == 1:  # x + 1, 2 * x: the number's position is in the op
        pos = 0 if type(args[0]) is not Value else 1
        return _record(op.const_variants[pos], args, values, xs, xs[pos])
    return _record(op, args, values, xs, tuple(a if type(a) is Value else x for a, x in zip(args, xs)))


def _record(op: Op, args: tuple, values: tuple, xs: list, const) -> "Value":
    try:
        out, local = op.fn(*xs)
    except Fault as fault:
        raise _fail(op, args, fault) from None
    if out - out:
        raise _not_finite(op, args, out)
    if not _grad_enabled or not values:
        return Value(out)
    if len(values) < len(args):
        local = [d for a, d in zip(args, local) if type(a) is Value]
    return _node(op, out, values, local, const)


def _unary(op: Op, a: "Value") -> "Value":
    """`apply` for one Value argument, inlined: the hot path of activations."""
    try:
        out, (da,) = op.fn(a.data)
    except Fault as fault:
        raise _fail(op, (a,), fault) from None
    if out - out:  # inf - inf and nan - nan are nan, which is truthy
        raise _not_finite(op, (a,), out)
    if not _grad_enabled:
        return Value(out)
    v = _new(Value)
    v.data = out
    v.grad = v.label = v._b = v._db = v._rest = v._const = v._mark = None
    v._op = op
    v._a = a
    v._da = da
    return v


def _binary(op: Op, a, b) -> "Value":
    """`apply` for two arguments, inlined: the hot path of + − × ÷."""
    if type(a) is not Value or type(b) is not Value:
        return _with_number(op, a, b)
    try:
        out, (da, db) = op.fn(a.data, b.data)
    except Fault as fault:
        raise _fail(op, (a, b), fault) from None
    if out - out:  # inf - inf and nan - nan are nan, which is truthy
        raise _not_finite(op, (a, b), out)
    if not _grad_enabled:
        return Value(out)
    v = _new(Value)
    v.data = out
    v.grad = v.label = v._rest = v._const = v._mark = None
    v._op = op
    v._a = a
    v._da = da
    v._b = b
    v._db = db
    return v


def _with_number(op: Op, a, b) -> "Value":
    """`x + 1`, `2 * x`: one edge; the number is kept only to show it, and its
    position is in the op (`op.const_variants`)."""
    pos = 1 if type(a) is Value else 0
    x = b if pos else a
    # finite floats skip _as_float (inf − inf is nan, so `x - x == 0` means finite)
    x = x if type(x) is float and x - x == 0 else _as_float(x, f"argument {pos + 1} of {op.name}")
    node = a if pos else b
    try:
        out, local = op.fn(node.data, x) if pos else op.fn(x, node.data)
    except Fault as fault:
        raise _fail(op, (a, b), fault) from None
    if out - out:
        raise _not_finite(op, (a, b), out)
    if not _grad_enabled:
        return Value(out)
    v = _new(Value)
    v.data = out
    v.grad = v.label = v._rest = v._b = v._db = v._mark = None
    v._op = op.const_variants[pos]
    v._a = node
    v._da = local[1 - pos]
    v._const = x
    return v


def _multi(op: Op, args: tuple) -> list["Value"]:
    """Run a multi-output op (softmax) and record its outputs: output k is a
    node with op `op.at(k)`, every Value input as a parent with its entry of
    row k of the Jacobian.  Plain numbers stay numbers, as in `apply`: they
    are kept in `args` only, to show them."""
    xs = [a.data if type(a) is Value else _as_float(a, f"input {i + 1} of {op.name}")
          for i, a in enumerate(args)]
    outs, rows = op.fn(*xs)
    for o in outs:
        if o - o:
            raise _not_finite(op, args, o)
    values = [a for a in args if type(a) is Value]
    if not _grad_enabled or not values:
        return [Value(o) for o in outs]
    if len(values) == len(args):
        return [_node(op.at(k), o, values, row) for k, (o, row) in enumerate(zip(outs, rows))]
    at = [i for i, a in enumerate(args) if type(a) is Value]
    const = tuple(a if type(a) is Value else x for a, x in zip(args, xs))
    return [_node(op.at(k), o, values, [row[i] for i in at], const)
            for k, (o, row) in enumerate(zip(outs, rows))]


def _wrap(x) -> "Value":
    return x if type(x) is Value else Value(x)


def backward_order(root: "Value") -> list["Value"]:
    """Every node `root` depends on, each before its parents (so after every
    node that consumes it): the order in which the chain rule can finish a
    node and pass its gradient on.  The first argument's branch comes first."""
    order = _postorder(root, first_arg_first=False)
    order.reverse()
    return order


def forward_order(root: "Value") -> list["Value"]:
    """Every node `root` depends on, parents first and arguments in order:
    the order in which a student computes the forward pass."""
    return _postorder(root, first_arg_first=True)


def _postorder(root: "Value", first_arg_first: bool) -> list["Value"]:
    """Depth-first post-order with an explicit stack, no recursion, so a
    million-node chain is fine at the default recursion limit.  A node is
    expanded the first time it reaches the top of the stack and finished the
    second time; in a DAG nothing on the stack below it can be reached again
    from it.  The argument pushed last is finished first.

    Visits are marked on the nodes themselves (twice as fast as a dict of a
    million entries), with two marks made for this call alone, so a mark left
    by an earlier or interrupted walk never matches.  Two walks of one graph
    at the same time from two threads would confuse each other."""
    opened, done = object(), object()
    finished: list[Value] = []
    stack = [root]
    push, pop, append = stack.append, stack.pop, finished.append
    while stack:
        v = stack[-1]
        m = v._mark
        if m is opened:
            pop()
            v._mark = done
            append(v)
        elif m is done:  # pushed twice before it was expanded
            pop()
        else:
            v._mark = opened
            a = v._a
            if a is not None:
                b = v._b
                ps = (a,) if b is None else (a, b) if v._rest is None else _parents(v)
                for p in reversed(ps) if first_arg_first else ps:
                    m = p._mark
                    if m is not opened and m is not done:
                        push(p)
    return finished


def _parents(v: "Value") -> tuple:
    a = v._a
    if a is None:
        return ()
    b = v._b
    if b is None:
        return (a,)
    r = v._rest
    return (a, b) if r is None else (a, b) + r[::2]


class Value:
    """A scalar that remembers how it was computed.

    `data` is the number, `grad` is ∂root/∂self after `root.backward()`
    (None before: not computed is not the same as 0), `label` is the name a
    homework gives it.  `op`, `parents`, `local_grads` and `args` describe the
    node: the op that made it, its Value inputs in argument order, the local
    derivative ∂self/∂parent on each edge, and all inputs including numbers.

    The first two edges live in slots and the rest in one tuple, so a node is
    one allocation and a unary or binary node stays under 200 bytes.
    """

    __slots__ = ("data", "grad", "label", "_op", "_a", "_da", "_b", "_db", "_rest", "_const",
                 "_mark")

    def __init__(self, data: Number, label: str | None = None):
        self.data = _as_float(data, "Value data")
        self.grad: float | None = None
        self.label = _check_label(label) if label is not None else None
        self._op: Op | None = None
        self._a = self._da = self._b = self._db = self._rest = self._const = self._mark = None

    # -- the node as data ---------------------------------------------------
    @property
    def op(self) -> Op | None:
        """The op that made this node (None for a leaf)."""
        return self._op

    @property
    def parents(self) -> tuple["Value", ...]:
        """The Value inputs in argument order (`x*x` has x twice)."""
        return _parents(self)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent, stored when the node was made."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        return (self._da, self._db) + (self._rest[1::2] if self._rest else ())

    @property
    def args(self) -> tuple:
        """All inputs in argument order: Values and the plain numbers."""
        c = self._const
        if c is None:
            return _parents(self)
        if type(c) is tuple:
            return c
        ps, pos = _parents(self), self._op.const_pos
        return ps[:pos] + (c,) + ps[pos:]

    @property
    def is_leaf(self) -> bool:
        return self._op is None

    def edges(self) -> list[tuple["Value", float, int]]:
        """(parent, local derivative ∂self/∂parent, argument position) per edge."""
        positions = [i for i, a in enumerate(self.args) if type(a) is Value]
        return list(zip(_parents(self), self.local_grads, positions))

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
        self.label = _check_label(label)
        return self

    # -- arithmetic: every operator is one op from the table -------------------
    def __add__(self, other: Value | float) -> Value: return _binary(ops.ADD, self, other)
    def __radd__(self, other: float) -> Value: return _binary(ops.ADD, other, self)
    def __sub__(self, other: Value | float) -> Value: return _binary(ops.SUB, self, other)
    def __rsub__(self, other: float) -> Value: return _binary(ops.SUB, other, self)
    def __mul__(self, other: Value | float) -> Value: return _binary(ops.MUL, self, other)
    def __rmul__(self, other: float) -> Value: return _binary(ops.MUL, other, self)
    def __truediv__(self, other: Value | float) -> Value: return _binary(ops.DIV, self, other)
    def __neg__(self) -> Value: return _unary(ops.NEG, self)
    def __abs__(self) -> Value: return _unary(ops.ABS, self)

    def __rtruediv__(self, other: float) -> Value:
        # 1/x is its own primitive (φ(x) = 1/x is an activation in the notes).
        if type(other) is not Value and _as_float(other, "numerator") == 1.0:
            return _unary(ops.RECIPROCAL, self)
        return _binary(ops.DIV, other, self)

    def __pow__(self, other: Value | float) -> Value:
        return _binary(ops.POWV if type(other) is Value else ops.POW, self, other)

    def __rpow__(self, other: float) -> Value: return _binary(ops.RPOW, other, self)

    # -- functions -------------------------------------------------------------
    def reciprocal(self) -> "Value": return _unary(ops.RECIPROCAL, self)
    def exp(self) -> "Value": return _unary(ops.EXP, self)
    def log(self) -> "Value": return _unary(ops.LOG, self)
    def sqrt(self) -> "Value": return _unary(ops.SQRT, self)
    def tanh(self) -> "Value": return _unary(ops.TANH, self)
    def sigmoid(self) -> "Value": return _unary(ops.SIGMOID, self)
    def relu(self) -> "Value": return _unary(ops.RELU, self)
    def softplus(self) -> "Value": return _unary(ops.SOFTPLUS, self)

    def leaky_relu(self, slope: Value | float = LEAKY_RELU_SLOPE) -> Value:
        """x for x > 0, else slope·x; a Value slope is learned (PReLU)."""
        return _binary(ops.LEAKY_RELU, self, slope)

    # -- backward ------------------------------------------------------------
    def backward(self, accumulate: bool = False) -> None:
        """Fill `.grad` of every node in this graph with ∂self/∂node.

        Gradients are reset first, so calling backward() twice gives the same
        numbers.  With `accumulate=True` the leaves (parameters, inputs) keep
        what they had and this graph's gradients are added to it: for summing
        over graphs built separately (one per sample, say).

        A gradient that overflows raises `NumericError` naming the node.  A
        backward that fails (or is interrupted) leaves no half-summed numbers
        behind: every grad in the graph is None again (not computed), except
        that with `accumulate=True` the leaves get back what they had before
        this call, so the sum over earlier graphs survives a failed sample.
        """
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
        self.grad += 1.0
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
                    rest = v._rest
                    if rest is not None:
                        it = iter(rest)
                        for p, d in zip(it, it):
                            p.grad += d * g
        except BaseException:
            for v in order:
                v.grad = None
            for v, g in kept:
                v.grad = g
            raise

    def backward_steps(self, *, digits: int = 4) -> "BackwardSteps":
        """`backward()` one edge at a time: an iterator of printable chain-rule
        steps (see `autograd.steps`)."""
        from .steps import backward_steps  # steps imports value
        return backward_steps(self, digits=digits)

    def _repr_svg_(self) -> str | None:
        """Jupyter shows a Value as the drawing of its graph (None when too large)."""
        from .draw import repr_svg  # draw imports value
        return repr_svg(self)


def _overflowed(order: list["Value"]) -> NumericError:
    """The error for a non-finite gradient, naming the first node that had one."""
    v = next(v for v in order if v.grad - v.grad)
    return NumericError(f"the gradient at {name_of(v)} is {v.grad}: it overflowed")


def _check_label(label) -> str:
    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {label!r}")
    return label


# -- multi-input helpers: real primitives, so the graph reads like the notes --

def _values(xs: Iterable, what: str) -> tuple:
    xs = tuple(xs)
    if not xs:
        raise ValueError(f"{what} needs at least one input, got an empty sequence")
    return xs


def vsum(xs: Iterable[Value | float]) -> Value:
    """Σ xᵢ as one node (Python's `sum` would make a chain of additions)."""
    return apply(ops.SUM, *_values(xs, "sum"))


def mean(xs: Iterable[Value | float]) -> Value:
    """(Σ xᵢ)/n as one node."""
    return apply(ops.MEAN, *_values(xs, "mean"))


def _interleave(a: Sequence, b: Sequence, what: str) -> list:
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise ValueError(f"{what}: lengths differ ({len(a)} and {len(b)})")
    if not a:
        raise ValueError(f"{what} needs at least one pair, got empty sequences")
    return [x for pair in zip(a, b) for x in pair]


def dot(a: Sequence[Value | float], b: Sequence[Value | float]) -> Value:
    """Σ aᵢbᵢ as one node."""
    return apply(ops.DOT, *_interleave(a, b, "dot"))


def linear(w: Sequence[Value | float], x: Sequence[Value | float],
           b: Value | float | None = None) -> Value:
    """A neuron's pre-activation z = Σ wᵢxᵢ + b as one node: exactly the z the
    notes write, with every wᵢ, xᵢ and b as its parents."""
    args = _interleave(w, x, "linear (weights and inputs)")
    if b is not None:
        args.append(b)
    return apply(ops.LINEAR, *args)


def logsumexp(xs: Iterable[Value | float]) -> Value:
    """log Σ exp(xᵢ), computed stably (shifted by the max)."""
    return apply(ops.LOGSUMEXP, *_values(xs, "logsumexp"))


def softmax(xs: Iterable[Value | float]) -> list[Value]:
    """softmax(x) as n nodes; output k has every Value xᵢ as a parent with
    local derivative yₖ(δₖᵢ − yᵢ) (numbers among the xᵢ stay numbers)."""
    return _multi(ops.SOFTMAX, _values(xs, "softmax"))


def log_softmax(xs: Iterable[Value | float]) -> list[Value]:
    """log softmax(x) as n nodes, stable: xₖ − logsumexp(x) (numbers among
    the xᵢ stay numbers)."""
    return _multi(ops.LOG_SOFTMAX, _values(xs, "log_softmax"))


# -- the functions, for Values and numbers alike (a number becomes a leaf) ------

def exp(x: Value | float) -> Value:
    """eˣ of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.EXP, _wrap(x))


def log(x: Value | float) -> Value:
    """ln x of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.LOG, _wrap(x))


def sqrt(x: Value | float) -> Value:
    """√x of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.SQRT, _wrap(x))


def tanh(x: Value | float) -> Value:
    """tanh x of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.TANH, _wrap(x))


def sigmoid(x: Value | float) -> Value:
    """σ(x) = 1/(1 + e⁻ˣ) of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.SIGMOID, _wrap(x))


def relu(x: Value | float) -> Value:
    """max(x, 0) of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.RELU, _wrap(x))


def softplus(x: Value | float) -> Value:
    """ln(1 + eˣ) of a Value or a number (a number becomes a leaf)."""
    return _unary(ops.SOFTPLUS, _wrap(x))


def leaky_relu(x: Value | float, slope: Value | float = LEAKY_RELU_SLOPE) -> Value:
    """x if x > 0 else slope·x, of a Value or a number (a number x becomes a
    leaf; a number slope stays a number, a Value slope is learned)."""
    return _binary(ops.LEAKY_RELU, _wrap(x), slope)
