"""A derivation as data: ∂root/∂node as sums of products of factors, and
how `explain` finds them.

The flat form lists every root→node path (`flat_terms`); when there are too many,
`grouped_equations` writes one equation per node where paths split or merge, each
term ending in an earlier equation's result, which is how backprop itself
avoids the exponential sum.  `links_between` gives the factors between the
nodes a derivation shows, merging the unlabelled nodes between them.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from .notation import derivative_name, local_top, partial_formula
from .value import Value

DIRECT = " (direct)"
"""Marks a merged factor that misses some routes (they pass through a shown node)."""


@dataclass(frozen=True, eq=False)
class Factor:
    """One factor of a chain-rule term: ∂top/∂bottom.

    kind "edge": one edge (or parallel edges, as in x·x), `formula` is its
    local derivative from the op table and `edges` the indices in
    `top.edges()` of the edges it sums; "chain": through unlabelled nodes
    that are merged away, the product (sum over branches) of their local
    derivatives; "upstream": ∂root/∂top derived in an earlier equation.
    `top_name`: how top is written in `name`, its formula (c + a) when an
    edge's bottom reaches top by another path too (`notation.local_top`).
    """

    top: Value
    bottom: Value
    name: str
    value: float
    formula: str | None
    kind: str
    edges: tuple[int, ...] = ()
    top_name: str | None = None


@dataclass(frozen=True, eq=False)
class Term:
    """One product of factors; in the flat form, one path from root to node."""

    factors: tuple[Factor, ...]
    value: float


@dataclass(frozen=True, eq=False)
class Equation:
    """∂root/∂node = Σ terms; `total` is the engine's ∂root/∂node."""

    node: Value
    name: str
    terms: tuple[Term, ...]
    total: float


def paths_to(target: Value, order: list[Value]) -> dict[Value, int]:
    """How many root→target paths run through each node (edges counted with
    multiplicity, so x·x contributes two)."""
    count: dict[Value, int] = {}
    for v in reversed(order):  # parents first
        count[v] = 1 if v is target else sum(count[p] for p in v.parents)
    return count


def links_between(order, relevant, visible, names, target, shortcuts):
    """For each visible node u, the visible nodes v it reaches directly or
    through hidden (merged) nodes only, with ∂u/∂v summed over those routes.
    `shortcuts` is `graph.other_paths(order)`: an edge u→v in it is named on
    u's formula, since v reaches u another way too.

    Returns {u: {v: Factor}}.  Only the reached part of the graph is visited
    (a heap on backward order keeps consumers before parents).  A merged link
    that misses some u→v routes, because they pass through another visible
    node, is named "(direct)" so it is never mistaken for the whole ∂u/∂v.
    """
    position = {v: i for i, v in enumerate(order)}
    links: dict[Value, dict[Value, Factor]] = {}
    for u in visible:
        links[u] = {}
        if u is target:
            continue
        through_hidden = {u: 1.0}  # ∂u/∂w over routes whose interior is hidden
        found: dict[Value, list] = {}  # v -> [value, direct edges, any hidden route]
        heap = [position[u]]
        while heap:
            w = order[heapq.heappop(heap)]
            for k, (p, d, _) in enumerate(w.edges()):
                if p not in relevant:
                    continue
                step = d * through_hidden[w]
                if p in visible:
                    entry = found.setdefault(p, [0.0, [], False])
                    entry[0] += step
                    if w is u:
                        entry[1].append(k)
                    else:
                        entry[2] = True
                else:
                    if p not in through_hidden:
                        through_hidden[p] = 0.0
                        heapq.heappush(heap, position[p])
                    through_hidden[p] += step
        merged = [v for v, entry in found.items() if entry[2]]
        beyond = _below(list(found), relevant) if merged else set()
        for v, (value, edges, hidden) in found.items():
            if hidden:
                name = derivative_name(names[u], names[v]) + (DIRECT if v in beyond else "")
                links[u][v] = Factor(u, v, name, value, None, "chain")
            else:
                formula = " + ".join(partial_formula(u, k, names) for k in edges)
                top = local_top(u, names, (u, v) in shortcuts)
                links[u][v] = Factor(u, v, derivative_name(top, names[v]), value, formula,
                                     "edge", tuple(edges), top if top != names[u] else None)
    return links


def _below(sources, relevant) -> set[Value]:
    """Nodes reachable from `sources` by at least one edge (within `relevant`)."""
    reached: set[Value] = set()
    stack = list(sources)
    while stack:
        for p in stack.pop().parents:
            if p in relevant and p not in reached:
                reached.add(p)
                stack.append(p)
    return reached


def _product(factors) -> float:
    return math.prod(f.value for f in factors)


def flat_terms(root, target, links) -> list[Term]:
    """Every root→target path, depth first; a path is kept as a linked list
    (factor, rest) while searching so a long chain costs linear time."""
    terms, stack = [], [(root, None)]
    while stack:
        u, path = stack.pop()
        if u is target:
            factors = []
            while path is not None:
                f, path = path
                factors.append(f)
            factors.reverse()
            terms.append(Term(tuple(factors), _product(factors)))
            continue
        for v, f in reversed(list(links[u].items())):
            stack.append((v, (f, path)))
    return terms


def grouped_equations(root, target, visible_order, links, grads, names) -> list[Equation]:
    consumers: dict[Value, list[Value]] = {v: [] for v in visible_order}
    for u in visible_order:
        for v in links[u]:
            consumers[v].append(u)
    cut = [v for v in visible_order if v is not root and v is not target
           and (len(consumers[v]) > 1 or len(links[v]) > 1)]
    is_cut = set(cut)
    equations = []
    for c in cut + [target]:
        terms = []
        for u in consumers[c]:
            segment = [links[u][c]]  # built bottom-up, read top-down
            while u is not root and u not in is_cut:
                (above,) = consumers[u]
                segment.append(links[above][u])
                u = above
            if u is not root:
                segment.append(Factor(root, u, derivative_name(names[root], names[u]),
                                      grads[u], None, "upstream"))
            segment.reverse()
            terms.append(Term(tuple(segment), _product(segment)))
        equations.append(Equation(c, derivative_name(names[root], names[c]), tuple(terms),
                                  grads[c]))
    return equations


def sole_factor(eq: Equation) -> Factor | None:
    """The factor that is the whole of `eq` (one path of one edge, or one
    merged chain), written on the equation's own line."""
    if len(eq.terms) == 1 and len(eq.terms[0].factors) == 1:
        (f,) = eq.terms[0].factors
        return f if f.name == eq.name else None
    return None


