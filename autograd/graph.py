"""Walking a graph: the orders in which backward and a student visit nodes.

A node keeps its first two parents in the slots `_a` and `_b` and any more in
`_more` (see `Value`); these walks read the slots directly, because they run
over every node of a million-node chain.
"""

from __future__ import annotations

from typing import Protocol, TypeVar


class Node(Protocol):
    """What a walk reads of a node (a `Value`): its parents' slots and a visit mark."""

    _a: "Node | None"
    _b: "Node | None"
    _more: object
    _mark: object


N = TypeVar("N", bound=Node)


def backward_order(root: N, *more: N) -> list[N]:
    """Every node `root` (and each of `more`) depends on, each before its
    parents (so after every node that consumes it): the order in which the
    chain rule can finish a node and pass its gradient on.  The first
    argument's branch comes first."""
    order = _postorder([root, *more] if more else [root], first_arg_first=False)
    order.reverse()
    return order


def forward_order(root: N) -> list[N]:
    """Every node `root` depends on, parents first and arguments in order:
    the order in which a student computes the forward pass."""
    return _postorder([root], first_arg_first=True)


def _postorder(roots: list[N], first_arg_first: bool) -> list[N]:
    """Depth-first post-order with an explicit stack, no recursion, so a
    million-node chain is fine at the default recursion limit.  A node is
    expanded the first time it reaches the top of the stack and finished the
    second time; in a DAG nothing on the stack below it can be reached again
    from it.  The argument pushed last is finished first; of several roots,
    the last one's graph first.

    Visits are marked on the nodes themselves (twice as fast as a dict of a
    million entries), with two marks made for this call alone, so a mark left
    by an earlier or interrupted walk never matches.  Two walks of one graph
    at the same time from two threads would confuse each other."""
    opened, done = object(), object()
    finished: list[N] = []
    stack = roots
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
            ps = parents(v)
            for p in reversed(ps) if first_arg_first else ps:
                m = p._mark
                if m is not opened and m is not done:
                    push(p)


def parents(v: Node) -> tuple:
    """`v`'s Value inputs in argument order (`x*x` has x twice)."""
    a = v._a
    if a is None:
        return ()
    b = v._b
    if b is None:
        return (a,)
    m = v._more
    return (a, b) if m is None else (a, b) + m[1::2]


def other_paths(order: list[N]) -> set[tuple[N, N]]:
    """The edges whose input reaches the consumer by another path as well:
    the pairs (node, input) for which input is also an input of another of
    node's inputs, directly or further down (L = c + a with c = a·b).  On
    such an edge the local derivative (c held fixed) is not the total
    derivative of node by input, so the readers must not write both as
    ∂node/∂input.  `order` is `backward_order(root)`.

    One pass, parents first, in time linear in the edges times a bit mask:
    only a node with two consumers or more can be the end of two paths, so
    only those get a bit, and each node carries the mask of those it depends
    on, dropped once its last consumer has read it.  A graph where no node is
    shared (a chain, most of a tree) costs one count of the consumers."""
    users: dict[N, int] = {}
    for v in order:
        for p in set(parents(v)):
            users[p] = users.get(p, 0) + 1
    bit = {v: 1 << i for i, v in enumerate(v for v, n in users.items() if n > 1)}
    found: set[tuple[N, N]] = set()
    if not bit:
        return found
    below: dict[N, int] = {}  # node → the shared nodes it depends on
    for v in reversed(order):
        ps = set(parents(v))
        mask = 0
        for p in ps:
            mask |= below[p] | bit.get(p, 0)
        if len(ps) > 1:
            # a node never depends on itself, so p's bit in the union of its
            # siblings' masks and its own says a sibling reaches p
            union = 0
            for p in ps:
                union |= below[p]
            found.update((v, p) for p in ps if union & bit.get(p, 0))
        for p in ps:
            users[p] -= 1
            if not users[p]:
                del below[p]
        below[v] = mask
    return found
