"""Finding nodes by label: what `explain`, `check` and answer sheets look up.

A homework names nodes (a10, w(1)10, Loss); a lookup by label must find
exactly one node, and when it does not, the error lists the labels the graph
has (sorted as people sort them) or says which nodes share the label.
"""

from __future__ import annotations

import re

from .graph import backward_order, forward_order
from .notation import node_names
from .value import Value

_LABELS_SHOWN = 40


class LabelError(ValueError):
    """A label that names no node, or more than one, in the graph at hand."""


def labelled_nodes(root: Value) -> dict[str, list[Value]]:
    """Label → the nodes carrying it."""
    found: dict[str, list[Value]] = {}
    for v in forward_order(root):
        if v.label is not None:
            found.setdefault(v.label, []).append(v)
    return found


def _natural(label: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", label) if part]


def label_list(labels) -> str:
    """The labels, sorted as people sort them (x2 before x10), for messages."""
    labels = sorted(labels, key=_natural)
    if not labels:
        return "(no node in this graph has a label)"
    shown = ", ".join(labels[:_LABELS_SHOWN])
    more = len(labels) - _LABELS_SHOWN
    return shown + (f", … ({more} more)" if more > 0 else "")


def _describe(v: Value) -> str:
    return f"{'a leaf' if v.is_leaf else v.op.name} = {v.data:g}"


def find_node(root: Value, label: str, nodes: dict[str, list[Value]] | None = None) -> Value:
    """The one node of `root`'s graph labelled `label`; a `LabelError` that
    lists the labels if there is none, or says which nodes share it."""
    nodes = labelled_nodes(root) if nodes is None else nodes
    found = nodes.get(label)
    if not found:
        raise LabelError(f"no node is labelled {label!r}; the labels in this graph are: "
                         f"{label_list(nodes)}")
    if len(found) > 1:
        names = node_names(root)
        users: dict[Value, list[str]] = {}
        for v in backward_order(root):
            for p in set(v.parents):
                users.setdefault(p, []).append(names[v])
        which = "; ".join(_describe(v) + (f" feeding {', '.join(users[v])}" if v in users else "")
                          for v in found)
        raise LabelError(
            f"label {label!r} names {len(found)} different nodes ({which}): give each one its "
            f"own label (e.g. {label + '_1'!r}, {label + '_2'!r}); the labels in this graph "
            f"are: {label_list(nodes)}")
    return found[0]
