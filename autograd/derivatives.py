"""Gradients as return values, and derivatives of derivatives.

`grad(outputs, inputs)` is the chain rule of `backward()` without touching
any `.grad`: the gradients come back as floats, bit for bit what backward
would store.  With `create_graph=True` they come back as Values: the chain
rule is run on nodes instead of numbers, each local derivative made by its
op's own `local_grads` called with the node's Values (the one declaration
the float path reads too, `ops.py`), so ∂L/∂w is a graph over the original
one that can be differentiated again, drawn, stepped and explained like any
other.  `hessian` builds on it.

The derivative graph is kept small and in the notes' terms: a local
derivative of 1 passes the upstream gradient through (no `1·g` node), one of
0 adds nothing, and a gradient that is an existing node is that node:
∂(x·y)/∂x is `y` itself.  The sums are in backward's order, so every
node's `.data` equals the float backward computes.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .errors import NumericError, finite_number, name_of, overflowed_at
from .graph import backward_order, parents
from .value import Value, apply_multi, is_grad_enabled

Number = int | float


def grad(outputs: Value | Sequence[Value], inputs: Value | Sequence[Value],
         grad_outputs: Number | Value | Sequence | None = None, *,
         create_graph: bool = False, allow_unused: bool = False) -> float | Value | list:
    """∂outputs/∂inputs, returned; no `.grad` anywhere is read or changed.

    `outputs`: a Value, or several (their gradients add up, as torch's).
    `inputs`: a Value or a sequence of Values (leaves or intermediate nodes);
    the result has the same shape, a gradient or a list of them.
    `grad_outputs`: the seed of each output (∂L/∂output when the outputs are
    part of a larger L), 1 by default.

    An input that is not in the graph of the outputs is a ValueError naming
    it, as in torch: it is most often the wrong node (a copy, a Value from
    another graph, a graph built under `no_grad()`), and a silent 0 would
    read as a derivative.  With `allow_unused=True` its gradient is 0: a
    float, or a leaf Value(0) with `create_graph`.  Not torch's None: for a
    student 0 is the true derivative of an expression that does not depend
    on the input, it adds, multiplies and prints like every other gradient
    (`x.data -= lr * g`), and torch's None only spares allocating a zero
    tensor, which a scalar does not need (torch's `materialize_grads=True`
    gives zeros too).  An input in the graph whose paths all carry a local
    derivative 0 (ReLU at a negative z) is used: its gradient is 0 either way.

    With `create_graph=False` every gradient is a float, exactly the one
    `backward()` would store.  With `create_graph=True` every gradient is a
    Value, whose graph can be differentiated again (`grad(grad(y, x,
    create_graph=True), x)` is d²y/dx²); a constant gradient is a leaf, so
    differentiating it again needs `allow_unused=True` (it is 0).
    """
    outs = _values(outputs, "outputs")
    single = isinstance(inputs, Value)
    ins = _values(inputs, "inputs")
    seeds = _seeds(grad_outputs, len(outs), create_graph)
    if type(allow_unused) is not bool:
        raise TypeError(f"allow_unused must be True or False, got {allow_unused!r}")
    if create_graph and not is_grad_enabled():
        raise RuntimeError("grad(..., create_graph=True) inside no_grad() would record no "
                           "graph: call it outside no_grad()")
    order = backward_order(*outs)
    if not allow_unused:
        _check_used(outs, ins, single, set(order))
    if create_graph:
        g = _graph_gradients(order, outs, seeds)
        result = [_as_value(g.get(x, 0.0)) for x in ins]
    else:
        g = _float_gradients(order, outs, seeds)
        result = [g.get(x, 0.0) for x in ins]
    return result[0] if single else result


def hessian(f: Value | Callable[..., Value], inputs: Sequence[Value]) -> list[list[float]]:
    """The matrix of second derivatives ∂²f/∂xᵢ∂xⱼ, as a list of rows, for
    small problems (one `grad` per input).  `f` is the output Value, or a
    function called as `f(*inputs)` that returns it."""
    xs = _values(inputs, "inputs")
    out = f(*xs) if callable(f) else f
    if not isinstance(out, Value):
        raise TypeError(f"hessian needs f to be a Value or to return one, got {out!r}")
    # an input f does not depend on, or a first derivative that is constant
    # in some input, has second derivatives 0 there (torch's functional hessian too)
    first = grad(out, xs, create_graph=True, allow_unused=True)
    return [grad(g, xs, allow_unused=True) for g in first]


def _check_used(outs: list[Value], ins: list[Value], single: bool, in_graph: set) -> None:
    """ValueError for the first input that is not in the outputs' graph."""
    for i, x in enumerate(ins):
        if x not in in_graph:
            which = name_of(x) if single else f"inputs[{i}] ({name_of(x)})"
            leaves = (f"; {'the output is a leaf' if len(outs) == 1 else 'the outputs are leaves'}"
                      f", with no graph (a constant, a derivative that came out constant, or a "
                      f"value computed under no_grad())" if all(o.is_leaf for o in outs) else "")
            raise ValueError(f"grad: {which} is not in the graph of the outputs (they do not "
                             f"depend on it): pass allow_unused=True to get 0 for it{leaves}")


def _values(given, what: str) -> list[Value]:
    xs = [given] if isinstance(given, Value) else list(given) if _iterable(given) else None
    if xs is None:
        raise TypeError(f"{what} must be a Value or a sequence of Values, got {given!r}")
    if not xs:
        raise ValueError(f"{what} is empty")
    for i, x in enumerate(xs):
        if not isinstance(x, Value):
            raise TypeError(f"{what} must be Values, got {x!r} at position {i}")
    return xs


def _iterable(x) -> bool:
    try:
        iter(x)
    except TypeError:
        return False
    return not isinstance(x, (str, bytes))


def _seeds(given, n: int, create_graph: bool) -> list:
    if given is None:
        return [1.0] * n
    seeds = [given] if n == 1 and not _iterable(given) else list(given) if _iterable(given) else None
    if seeds is None or len(seeds) != n:
        raise ValueError(f"grad_outputs must give one seed per output ({n}), got {given!r}")
    return [s if create_graph and isinstance(s, Value)
            else finite_number(s.data if isinstance(s, Value) else s, "a seed in grad_outputs",
                               NumericError)
            for s in seeds]


def _float_gradients(order: list[Value], outs: list[Value], seeds: list) -> dict:
    """backward()'s loop, into a dict: the same operations in the same order."""
    g = dict.fromkeys(order, 0.0)
    for o, s in zip(outs, seeds):
        g[o] += s
    for v in order:
        gv = g[v]
        if gv - gv:
            raise overflowed_at(v, gv)
        for p, d in zip(parents(v), v.local_grads):
            g[p] += d * gv
    return g


def _graph_gradients(order: list[Value], outs: list[Value], seeds: list) -> dict:
    """The chain rule on nodes: every contribution local·upstream is a node
    (or a float, while both are numbers), summed per parent in backward's order."""
    g: dict = {}
    for o, s in zip(outs, seeds):
        g[o] = _plus(g.get(o), s, o)
    for v in order:
        gv = g.get(v)
        if gv is None or v.is_leaf:
            continue
        args = v.args
        if v.op.index is None:
            local = v.op.local_grads(v, *args)
        else:  # output k of softmax: its row of the Jacobian reads every output
            ys = apply_multi(v.op.base, args)
            ys[v.op.index] = v
            local = v.op.local_grads(v.op.index, ys, *args)
        for a, d in zip(args, local):
            if type(a) is Value:
                c = _times(d, gv, a)
                if c is not None:
                    g[a] = _plus(g.get(a), c, a)
    return g


def _times(d, g, at: Value):
    """local · upstream, without the nodes a hand derivation would not write:
    a factor 1 passes the other through, a factor 0 contributes nothing."""
    if type(d) is not Value:
        if d == 0:
            return None
        if d == 1:
            return g
        if d == -1:
            return -g
    if type(g) is not Value:
        if g == 1:
            return d
        if g == -1:
            return -d
    c = d * g
    if type(c) is float and c - c:
        raise overflowed_at(at, c)
    return c


def _plus(total, c, at: Value):
    if total is None:
        return c
    s = total + c
    if type(s) is float and s - s:
        raise overflowed_at(at, s)
    return s


def _as_value(g) -> Value:
    return g if type(g) is Value else Value(g)
