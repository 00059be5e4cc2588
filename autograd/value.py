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


def _message_names(args: tuple) -> list[str]:
    """An op's arguments in an error message: Values by name_of, numbers as numbers."""
    return [name_of(a) if type(a) is Value else f"{a:g}" for a in args]


def _fail(op: Op, args: tuple, fault: Fault) -> NumericError:
    names = _message_names(args)
    bad = args[fault.arg]
    culprit = f"{names[fault.arg]} = {bad.data!r}" if type(bad) is Value else f"the number {bad!r}"
    cls = ZeroDivisionNumericError if fault.zero_division else NumericError
    return cls(f"{op.name}({', '.join(names)}): {fault.reason} ({culprit})")


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


def _not_finite(op: Op, args: tuple, out: float) -> NumericError:
    names = ", ".join(_message_names(args))
    return NumericError(f"{op.name}({names}) gave {out}: the result is not finite")


def apply(op: Op, *args) -> "Value":
    """Run `op` on Values and plain numbers and record the node.

    The value and every local derivative come from the op's one declaration
    (the operator methods below do the same, inlined, for one and two
    arguments).  Plain numbers are not wrapped into nodes; a node keeps them
    only to show them.
    """
    if all(map(isinstance, args, repeat(Value))):  # the common case, kept lean: a neuron's z
        return _record(op, args, args, [a.data for a in args])
    if len(args) == 2 and (type(args[0]) is Value) != (type(args[1]) is Value):
        return _with_number(op, *args)  # x + 1, 2 * x: the number's position is in the op
    xs = [a.data if type(a) is Value else _as_float(a, f"argument {i + 1} of {op.name}")
          for i, a in enumerate(args)]
    return _record(op, args, tuple(a for a in args if type(a) is Value), xs)


def _record(op: Op, args: tuple, values: tuple, xs: list) -> "Value":
    try:
        out, local = op.fn(*xs)
    except Fault as fault:
        raise _fail(op, args, fault) from None
    if out - out:
        raise _not_finite(op, args, out)
    if not _grad_enabled or not values:
        return Value(out)
    if len(values) == len(args):
        return _node(op, out, values, local)
    local = [d for a, d in zip(args, local) if type(a) is Value]
    return _node(op, out, values, local, tuple(a if type(a) is Value else x for a, x in zip(args, xs)))


def _unary_method(op: Op, name: str) -> Callable[["Value"], "Value"]:
    """The method `x.<name>()` for a one-argument op: `apply` inlined, with
    `op` bound, so that an activation costs one Python call."""
    fn = op.fn

    def method(self: Value) -> Value:
        try:
            out, (da,) = fn(self.data)
        except Fault as fault:
            raise _fail(op, (self,), fault) from None
        if out - out:  # inf - inf and nan - nan are nan, which is truthy
            raise _not_finite(op, (self,), out)
        if not _grad_enabled:
            return Value(out)
        v = _new(Value)
        v.data = out
        v.grad = v._label = v._b = v._db = v._more = v._mark = None
        v._op = op
        v._a = self
        v._da = da
        return v
    return _named(method, name, f"{op.name}(x) as a node; the rule: {op.rule}")


def _binary_method(op: Op, name: str) -> Callable[["Value", "Value | float"], "Value"]:
    """The method `x.<name>(other)` for a two-argument op, `x` a Value:
    `apply` inlined, with `op` bound, so that + − × ÷ in a forward pass cost
    one Python call each."""
    fn = op.fn

    def method(self: Value, other: Value | float) -> Value:
        if type(other) is not Value:
            return _with_number(op, self, other)
        try:
            out, (da, db) = fn(self.data, other.data)
        except Fault as fault:
            raise _fail(op, (self, other), fault) from None
        if out - out:  # inf - inf and nan - nan are nan, which is truthy
            raise _not_finite(op, (self, other), out)
        if not _grad_enabled:
            return Value(out)
        v = _new(Value)
        v.data = out
        v.grad = v._label = v._more = v._mark = None
        v._op = op
        v._a = self
        v._da = da
        v._b = other
        v._db = db
        return v
    return _named(method, name, f"{op.name}(x, other) as a node; the rule: {op.rule}")


def _named(f: F, name: str, doc: str) -> F:
    f.__name__, f.__qualname__, f.__doc__ = name, f"Value.{name}", doc
    return f


_powv = _binary_method(ops.POWV, "__pow__")
_leaky_relu = _binary_method(ops.LEAKY_RELU, "leaky_relu")


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
    v.grad = v._label = v._b = v._db = v._mark = None
    v._op = op.const_variants[pos]
    v._a = node
    v._da = local[1 - pos]
    v._more = x
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
    # `while True`, not `while stack`: CPython 3.11 warms a function up for its
    # specializing interpreter on calls and unconditional backward jumps only,
    # so a `while stack:` loop in a function called once runs unspecialized
    # (1.3x slower here on a million nodes)
    while True:
        if not stack:
            return finished
        v = stack[-1]
        m = v._mark
        if m is opened:
            pop()
            v._mark = done
            append(v)
            continue
        if m is done:  # pushed twice before it was expanded
            pop()
            continue
        v._mark = opened
        a = v._a
        if a is None:
            continue
        b = v._b
        if b is None:
            m = a._mark
            if m is not opened and m is not done:
                push(a)
        elif v._more is None:
            if first_arg_first:
                a, b = b, a
            m = a._mark
            if m is not opened and m is not done:
                push(a)
            m = b._mark
            if m is not opened and m is not done:
                push(b)
        else:
            ps = _parents(v)
            for p in reversed(ps) if first_arg_first else ps:
                m = p._mark
                if m is not opened and m is not done:
                    push(p)


def _parents(v: "Value") -> tuple:
    a = v._a
    if a is None:
        return ()
    b = v._b
    if b is None:
        return (a,)
    m = v._more
    return (a, b) if m is None else (a, b) + m[1::2]


class Value:
    """A scalar that remembers how it was computed.

    `data` is the number, `grad` is ∂root/∂self after `root.backward()`
    (None before: not computed is not the same as 0), `label` is the name a
    homework gives it.  `op`, `parents`, `local_grads` and `args` describe the
    node: the op that made it, its Value inputs in argument order, the local
    derivative ∂self/∂parent on each edge, and all inputs including numbers.

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
        self.data = _as_float(data, "Value data")
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
        return _parents(self)

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
            return _parents(self)
        ps, pos = _parents(self), self._op.const_pos  # x + 1: the number is m
        return ps[:pos] + (m,) + ps[pos:]

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
        self._label = _check_label(label)
        return self

    # -- arithmetic: every operator is one op from the table -------------------
    # (a number on the left reaches the reflected method: `2 * x` is x.__rmul__(2))
    __add__ = _binary_method(ops.ADD, "__add__")
    __sub__ = _binary_method(ops.SUB, "__sub__")
    __mul__ = _binary_method(ops.MUL, "__mul__")
    __truediv__ = _binary_method(ops.DIV, "__truediv__")
    __neg__ = _unary_method(ops.NEG, "__neg__")
    __abs__ = _unary_method(ops.ABS, "__abs__")

    def __radd__(self, other: float) -> Value: return _with_number(ops.ADD, other, self)
    def __rsub__(self, other: float) -> Value: return _with_number(ops.SUB, other, self)
    def __rmul__(self, other: float) -> Value: return _with_number(ops.MUL, other, self)

    def __rtruediv__(self, other: float) -> Value:
        # 1/x is its own primitive (φ(x) = 1/x is an activation in the notes).
        if _as_float(other, "numerator") == 1.0:
            return self.reciprocal()
        return _with_number(ops.DIV, other, self)

    def __pow__(self, other: Value | float) -> Value:
        """x ** n for a number n (op pow), x ** y for a Value y (op powv)."""
        return _powv(self, other) if type(other) is Value else _with_number(ops.POW, self, other)

    def __rpow__(self, other: float) -> Value: return _with_number(ops.RPOW, other, self)

    # -- functions -------------------------------------------------------------
    reciprocal = _unary_method(ops.RECIPROCAL, "reciprocal")
    exp = _unary_method(ops.EXP, "exp")
    log = _unary_method(ops.LOG, "log")
    sqrt = _unary_method(ops.SQRT, "sqrt")
    tanh = _unary_method(ops.TANH, "tanh")
    sigmoid = _unary_method(ops.SIGMOID, "sigmoid")
    relu = _unary_method(ops.RELU, "relu")
    softplus = _unary_method(ops.SOFTPLUS, "softplus")

    def leaky_relu(self, slope: Value | float = LEAKY_RELU_SLOPE) -> Value:
        """x for x > 0, else slope·x; a Value slope is learned (PReLU)."""
        return _leaky_relu(self, slope)

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
    return overflowed_at(v, v.grad)


def overflowed_at(v: "Value", grad: float) -> NumericError:
    """The error for a gradient `grad` at `v` that is not finite (backward
    and the step trace raise the same one)."""
    return NumericError(f"the gradient at {name_of(v)} is {grad}: it overflowed")


def _check_label(label) -> str:
    """A label is a name: a string with something to show (newlines and other
    control characters are drawn visibly, so they are allowed)."""
    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {label!r} of type {type(label).__name__}")
    if not label.strip():
        raise ValueError(f"label must name the node, got the blank string {label!r}"
                         " (use None for no label)")
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
    return _wrap(x).exp()


def log(x: Value | float) -> Value:
    """ln x of a Value or a number (a number becomes a leaf)."""
    return _wrap(x).log()


def sqrt(x: Value | float) -> Value:
    """√x of a Value or a number (a number becomes a leaf)."""
    return _wrap(x).sqrt()


def tanh(x: Value | float) -> Value:
    """tanh x of a Value or a number (a number becomes a leaf)."""
    return _wrap(x).tanh()


def sigmoid(x: Value | float) -> Value:
    """σ(x) = 1/(1 + e⁻ˣ) of a Value or a number (a number becomes a leaf)."""
    return _wrap(x).sigmoid()


def relu(x: Value | float) -> Value:
    """max(x, 0) of a Value or a number (a number becomes a leaf)."""
    return _wrap(x).relu()


def softplus(x: Value | float) -> Value:
    """ln(1 + eˣ) of a Value or a number (a number becomes a leaf)."""
    return _wrap(x).softplus()


def leaky_relu(x: Value | float, slope: Value | float = LEAKY_RELU_SLOPE) -> Value:
    """x if x > 0 else slope·x, of a Value or a number (a number x becomes a
    leaf; a number slope stays a number, a Value slope is learned)."""
    return _wrap(x).leaky_relu(slope)
