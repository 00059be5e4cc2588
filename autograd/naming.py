"""Names for nodes, shared by the renderer, the step trace and explain.

A labelled node is called by its label.  An unlabelled one gets a short name
that depends only on the graph, not on memory addresses or creation history:
`t1, t2, …` for computed nodes and `c1, c2, …` for unlabelled leaves, numbered
in forward order (parents first), so the same graph always reads the same.
"""

from __future__ import annotations

from .value import Value, forward_order


def node_names(root: Value, order: list[Value] | None = None) -> dict[Value, str]:
    """A display name for every node `root` depends on (itself included);
    `order` is `forward_order(root)` when the caller has it already."""
    order = forward_order(root) if order is None else order
    taken = {v.label for v in order if v.label is not None}
    names: dict[Value, str] = {}
    counts = {"t": 0, "c": 0}
    for v in order:
        if v.label is not None:
            names[v] = v.label
            continue
        kind = "c" if v.is_leaf else "t"
        while True:  # a generated name never repeats a label in the graph
            counts[kind] += 1
            name = f"{kind}{counts[kind]}"
            if name not in taken:
                break
        names[v] = name
    return names


def arg_names(node: Value, names: dict[Value, str]) -> list[str]:
    """`node`'s arguments as written in a formula: Values by name, plain
    numbers as numbers."""
    return [names[a] if type(a) is Value else f"{a:g}" for a in node.args]
