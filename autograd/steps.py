"""Backward one edge at a time: the chain rule as a sequence of printable steps.

`backward_steps(root)`, from its first step, resets the gradients exactly
like `root.backward()` and applies the chain rule edge by edge, in backward's
own order, with the same floating-point operations (`chain_rule`, shared
with `explain`): running it to the end leaves bit-for-bit the gradients
`backward()` gives.  Each step says what a student writes on paper,
`∂L/∂w10 += ∂L/∂z20 · ∂z20/∂w10 = -0.1069 × 0.5225 = -0.0558`, and can be
drawn as the graph with that edge highlighted.  The first step that uses an
auto-name (t1, c1) also says what it is: `where t1 = x·y = 6`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .errors import overflowed_at
from .graph import backward_order, other_paths
from .notation import DIGITS, check_digits, definition, derivative_name, factor, format_number, \
    is_auto_named, local_top, node_names, partial_formula
from .value import Value

@dataclass(frozen=True, eq=False)
class Step:
    """One application of the chain rule along one edge.

    The gradient flows from `node` (the consumer) to `parent`, along the
    `k`-th entry of `node.edges()`: `parent.grad += local * upstream`.
    `upstream` is ∂root/∂node (final by the time the step runs), `local` is
    ∂node/∂parent (`formula` is the same as text), `contribution` their
    product and `total` the parent's gradient after the step.  `defines`:
    the definitions (`t1 = x·y = 6`) of the auto-names this step is the
    first of its run to use.  `other_path`: the parent reaches the node by
    another path too, so ∂node/∂parent would be the total; the local
    derivative is then written on the node's formula (`local_name`).
    """

    index: int
    root: Value
    node: Value
    parent: Value
    k: int
    local: float
    formula: str
    upstream: float
    contribution: float
    total: float
    first: bool  # the parent's first contribution (its total is this step's term)
    names: dict = field(repr=False)
    digits: int = DIGITS
    defines: tuple[str, ...] = ()
    other_path: bool = False

    @property
    def local_name(self) -> str:
        """∂node/∂parent for this edge.  When the parent is an argument twice
        (x·x), each edge is named by its argument: the total ∂node/∂parent is
        the sum of both, and the two must not read as the same thing.  When
        it reaches the node by another path too, the node is written as its
        formula, ∂(c + a)/∂a, for the same reason (`notation.local_top`)."""
        name = derivative_name(local_top(self.node, self.names, self.other_path),
                               self.names[self.parent])
        if self.node.parents.count(self.parent) > 1:
            name += f" (argument {self.node.edges()[self.k][2] + 1})"
        return name

    @property
    def line(self) -> str:
        """The chain-rule line, e.g. `∂L/∂w10 += ∂L/∂z20 · ∂z20/∂w10 = … = …`."""
        f = lambda x: format_number(x, self.digits)  # noqa: E731
        root, node, parent = self.names[self.root], self.names[self.node], self.names[self.parent]
        text = (f"{derivative_name(root, parent)} += {derivative_name(root, node)} · "
                f"{self.local_name} = {f(self.upstream)} × {factor(f(self.local))} = "
                f"{f(self.contribution)}")
        if not self.first:
            text += f"  ⇒ {derivative_name(root, parent)} = {f(self.total)}"
        return text

    def __str__(self) -> str:
        """The line, and below it the auto-names it is the first to use."""
        return self.line + (f"\n  where {', '.join(self.defines)}" if self.defines else "")

    def __repr__(self) -> str:
        where = f"  where {', '.join(self.defines)}" if self.defines else ""
        return f"<Step {self.index + 1}: {self.line}  [{self.local_name} = {self.formula}]{where}>"

    def draw(self, **options):
        """The graph with this step's edge highlighted (options go to
        `autograd.draw.draw`)."""
        from .draw import draw  # imported on use: stepping needs no renderer
        return draw(self.root, highlight_edges=[(self.node, self.k)], **options)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        """Jupyter shows a step as its frame, or its line and why the graph
        is not drawn."""
        from .draw import display_bundle
        return display_bundle(self.root, self.line, highlight_edges=[(self.node, self.k)])


def chain_rule(root: Value, grads: dict[Value, float],
               order: list[Value] | None = None) -> Iterator[tuple[Value, int, Value, float, float]]:
    """The chain rule of `root.backward()`, one edge at a time, into `grads`.

    The one loop behind `backward_steps` and `explain.gradients_of` (backward
    itself keeps an inlined copy, for speed): `order` (default
    `backward_order(root)`) nodes, consumers first, every edge in `edges()`
    order, `grads[parent] += local * upstream`, the same floating-point
    operations as backward, so the results agree bit for bit.

    Nothing happens before the first `next()`: then `grads` is reset (root 1,
    every other node 0).  Each step yields `(node, k, parent, local,
    upstream)` for the `k`-th entry of `node.edges()`, after adding to
    `grads[parent]`.  A node whose gradient is not finite (an overflow) raises
    NumericError naming it, before any of its edges, as backward does.
    """
    order = backward_order(root) if order is None else order
    grads.clear()
    grads.update(dict.fromkeys(order, 0.0))
    grads[root] += 1.0
    for v in order:
        g = grads[v]  # final: every consumer of v has been processed
        if g - g:  # inf - inf and nan - nan are nan, which is truthy
            raise overflowed_at(v, g)
        for k, (p, d, _) in enumerate(v.edges()):
            grads[p] += d * g
            yield v, k, p, d, g


class BackwardSteps:
    """Iterator over the steps of `root.backward()`; see `backward_steps`.

    Building it only looks at the graph: `len()` (the number of edges, which
    is the number of steps) and `repr()` leave every `.grad` as it is.  The
    first `next()` resets the gradients as backward does (root 1, every other
    node 0) and performs the first edge; every `next()` performs exactly one
    edge.  `done` counts the edges performed.
    """

    def __init__(self, root: Value, digits: int = DIGITS):
        if not isinstance(root, Value):
            raise TypeError(f"backward_steps needs a Value, got {type(root).__name__}")
        self.root, self.digits = root, check_digits(digits)
        self._order = backward_order(root)
        self._names = node_names(root)
        self._total = sum(len(v.edges()) for v in self._order)
        self.done = 0
        self._iter = self._run()

    def _run(self) -> Iterator[Step]:
        grads: dict[Value, float] = {}
        edges = chain_rule(self.root, grads, self._order)
        for v in self._order:  # exactly backward()'s reset, at the first next()
            v.grad = 0.0
        self.root.grad += 1.0
        seen: set[Value] = set()
        named: set[Value] = set()  # the auto-named nodes defined so far
        position = {v: i for i, v in enumerate(self._names)}  # forward order: t1 before t2
        shortcuts = other_paths(self._order)
        for v, k, p, d, g in edges:
            p.grad = total = grads[p]
            first = p not in seen
            seen.add(p)
            self.done += 1
            other = (v, p) in shortcuts
            used = (self.root, v, p, *v.parents) if other else (self.root, v, p)  # ∂(t1 + a)/∂a
            new = sorted({u for u in used if u not in named and is_auto_named(u)},
                         key=position.__getitem__)
            named.update(new)
            yield Step(self.done - 1, self.root, v, p, k, d, partial_formula(v, k, self._names),
                       g, d * g, total, first, self._names, self.digits,
                       tuple(definition(u, self._names, self.digits) for u in new), other)

    def __iter__(self) -> "BackwardSteps":
        return self

    def __next__(self) -> Step:
        return next(self._iter)

    def __len__(self) -> int:
        return self._total

    def __repr__(self) -> str:
        where = (f", where {definition(self.root, self._names, self.digits)}"
                 if is_auto_named(self.root) else "")
        return (f"<backward_steps of {self._names[self.root]}: {self.done}/{self._total} edges "
                f"done{where}>")


def backward_steps(root: Value, *, digits: int = DIGITS) -> BackwardSteps:
    """`root.backward()` one edge at a time.

    The first `next()` resets the gradients (as backward does: root 1, every
    other node 0), so building the iterator, `len()` or `repr()` of it never
    wipes gradients; each `next()` applies the chain rule along one edge and
    returns the `Step`.  Exhausting it leaves exactly the gradients
    `backward()` gives; stopping early leaves the sums so far, and a later
    `backward()` starts clean.  An overflowing gradient raises NumericError
    like backward.  `digits` sets how numbers are printed.
    """
    return BackwardSteps(root, digits)


def _backward_steps_method(self: Value, *, digits: int = DIGITS) -> BackwardSteps:
    """`backward()` one edge at a time: an iterator of printable chain-rule
    steps (see `autograd.steps.backward_steps`)."""
    return backward_steps(self, digits=digits)


_backward_steps_method.__name__ = "backward_steps"
_backward_steps_method.__qualname__ = "Value.backward_steps"
Value.backward_steps = _backward_steps_method  # the step trace builds on Value, not the reverse
