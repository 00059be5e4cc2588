"""∂root/∂node written out the way a homework derives it.

The chain rule says ∂L/∂w is a sum over every path from L down to w of the
product of the local derivatives along the path.  `explain` writes that sum
with named factors (∂z20/∂w10 = a10 = 0.5225) and its numbers.  When there
are too many paths to list, it groups them through the nodes where paths
split or merge (∂L/∂a10 = Σ …, then ∂L/∂w10 = ∂L/∂a10 · …), which is how
backprop itself avoids the exponential sum.

Derivatives are computed here, without touching `.grad`: the same chain rule
in the same order as `backward()` (`steps.chain_rule`, the loop behind
`backward_steps` too), so the total is bit-for-bit what `root.backward()`
puts in `node.grad`, and explaining never disturbs gradients a user is
accumulating.  A gradient that overflows raises NumericError, as in backward.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass

from .errors import name_of
from .graph import backward_order
from .labels import LabelError, find_node
from .notation import (DIGITS, check_digits, derivative_name, factor, format_number, node_names,
                       partial_formula)
from .steps import chain_rule
from .value import Value

MAX_TERMS = 20
MAX_EQUATIONS = 12


def gradients_of(top: Value, order: list[Value] | None = None) -> dict[Value, float]:
    """∂top/∂v for every node `top` depends on: backward()'s arithmetic, into
    a dict instead of `.grad`; NumericError if a gradient overflows.  `order`
    is `backward_order(top)` when the caller has it already."""
    g: dict[Value, float] = {}
    deque(chain_rule(top, g, order), maxlen=0)  # run every step, keep none
    return g


@dataclass(frozen=True, eq=False)
class Factor:
    """One factor of a chain-rule term: ∂top/∂bottom.

    kind "edge": one edge (or parallel edges, as in x·x), `formula` is its
    local derivative from the op table; "chain": through unlabelled nodes
    that are merged away, the product (sum over branches) of their local
    derivatives; "upstream": ∂root/∂top derived in an earlier equation.
    """

    top: Value
    bottom: Value
    name: str
    value: float
    formula: str | None
    kind: str


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


class Explanation:
    """The derivation of ∂root/∂node: `equations` (one in the flat form, the
    last one is always for `node`), its `terms`, `total` (= node.grad after
    root.backward()), `paths` (how many root→node paths the graph has) and
    `grouped` (whether paths were grouped through intermediate nodes).
    `str()` is plain text; Jupyter shows Markdown with LaTeX.  The text shows
    at most `max_terms` terms per equation and `max_equations` equations (the
    first ones and always the last), so a big graph prints a page, not
    megabytes; `equations` always holds them all."""

    def __init__(self, root: Value, node: Value, names: dict[Value, str], total: float,
                 paths: int, equations: list[Equation], grouped: bool, digits: int,
                 max_terms: int, max_equations: int = MAX_EQUATIONS):
        self.root, self.node, self.total, self.paths = root, node, total, paths
        self.equations, self.grouped = equations, grouped
        self._names, self._digits, self._max_terms = names, digits, max_terms
        self._max_equations = max_equations

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.equations[-1].terms if self.equations else ()

    @property
    def name(self) -> str:
        return derivative_name(self._names[self.root], self._names[self.node])

    @property
    def where(self) -> list[Factor]:
        """Each distinct factor that is not itself an earlier equation."""
        return self._where(None)

    def _where(self, limit: int | None) -> list[Factor]:
        seen: dict[str, Factor] = {}
        for eq in (self.equations if limit is None else self._shown_equations()[0]):
            for term in eq.terms[:limit]:
                for f in term.factors:
                    if f.kind != "upstream":
                        seen.setdefault(f.name, f)
        return list(seen.values())

    # -- text -----------------------------------------------------------------
    def _num(self, x: float, paren: bool = False) -> str:
        s = format_number(x, self._digits)
        return factor(s) if paren else s

    def _shown(self, terms) -> tuple[list[Term], int]:
        return list(terms[:self._max_terms]), max(0, len(terms) - self._max_terms)

    def _shown_equations(self) -> tuple[list[Equation], int]:
        """The equations the text shows (the first ones, and the last, which
        is ∂root/∂node) and how many are left out."""
        n, cap = len(self.equations), self._max_equations
        if n <= cap:
            return list(self.equations), 0
        return list(self.equations[:cap - 1]) + [self.equations[-1]], n - cap

    def _more_equations(self, more: int) -> str:
        return (f"… ({more} more equations, not shown: pass a larger max_equations, or label "
                f"the nodes that matter and use collapse=True, or explain a smaller graph)")

    def _lines(self, eq: Equation) -> list[str]:
        if not eq.terms:
            return [f"{eq.name} = 0"]
        if all(not t.factors for t in eq.terms):
            return [f"{eq.name} = {self._num(eq.total)}"]
        terms, more = self._shown(eq.terms)
        symbolic = [" · ".join(f.name for f in t.factors) for t in terms]
        numeric = [" × ".join(self._num(f.value, True) for f in t.factors) for t in terms]
        rows = symbolic + numeric
        ops = ["="] + ["+"] * (len(terms) - 1) + ["="] + ["+"] * (len(terms) - 1)
        if more:
            rows.insert(len(terms), f"… ({more} more terms)")
            ops.insert(len(terms), "+")
            rows.append(f"… ({more} more terms)")
            ops.append("+")
        if len(eq.terms) > 1:
            rows.append(" + ".join(self._num(t.value, i > 0) for i, t in enumerate(terms))
                        + (" + …" if more else ""))
            ops.append("=")
        rows.append(self._num(eq.total))
        ops.append("=")
        pad = " " * len(eq.name)
        return [f"{eq.name if i == 0 else pad} {op} {row}" for i, (op, row) in enumerate(zip(ops, rows))]

    def _header(self) -> str | None:
        if self.grouped:
            cuts = len(self.equations) - 1
            return (f"{self.name}: {self.paths} paths from {self._names[self.root]}"
                    + (f", grouped through the {cuts} nodes where paths split or merge"
                       if cuts else ""))
        if self.node is self.root:
            return None
        if not self.equations[-1].terms:
            return (f"{self._names[self.node]} is not an input of {self._names[self.root]}: "
                    f"there is no path, the derivative is 0")
        return None

    def __str__(self) -> str:
        out = [h for h in [self._header()] if h]
        shown, more = self._shown_equations()
        for eq in shown:
            if more and eq is shown[-1]:
                out.append(self._more_equations(more))
            out.extend(self._lines(eq))
        where = self._where(self._max_terms)
        if where:
            out.append("where")
            for f in where:
                formula = f" = {f.formula}" if f.formula and f.formula != self._num(f.value) else ""
                note = "  (through unlabelled nodes)" if f.kind == "chain" else ""
                out.append(f"  {f.name}{formula} = {self._num(f.value)}{note}")
        return "\n".join(out)

    def __repr__(self) -> str:
        return f"<explain {self.name} = {self._num(self.total)}: {self.paths} paths>"

    # -- LaTeX / Markdown -----------------------------------------------------
    def _tex_name(self, f: Factor | Equation) -> str:
        top = self.root if isinstance(f, Equation) else f.top
        bottom = f.node if isinstance(f, Equation) else f.bottom
        frac = (rf"\frac{{\partial {_tex(self._names[top])}}}"
                rf"{{\partial {_tex(self._names[bottom])}}}")
        if isinstance(f, Factor) and f.name.endswith(_DIRECT):
            frac = rf"\left({frac}\right)_{{\text{{direct}}}}"
        return frac

    def _tex_equation(self, eq: Equation) -> str:
        lhs = self._tex_name(eq)
        if not eq.terms or all(not t.factors for t in eq.terms):
            return rf"{lhs} &= {self._num(eq.total)}"
        terms, more = self._shown(eq.terms)
        rows = [r" \cdot ".join(self._tex_name(f) for f in t.factors) for t in terms]
        nums = [r" \times ".join(self._num(f.value, True) for f in t.factors) for t in terms]
        lines = []
        for block in (rows, nums):
            for i, row in enumerate(block):
                lines.append(("&= " if i == 0 else r"&\quad + ") + row)
            if more:
                lines.append(rf"&\quad + \dots\ \text{{({more} more terms)}}")
        if len(eq.terms) > 1:
            lines.append("&= " + " + ".join(self._num(t.value, i > 0) for i, t in enumerate(terms))
                         + (r" + \dots" if more else ""))
        lines.append(f"&= {self._num(eq.total)}")
        return lhs + " " + r" \\" "\n".join(lines)

    def _tex_blocks(self) -> list[str]:
        shown, more = self._shown_equations()
        blocks = ["$$\n\\begin{aligned}\n" + self._tex_equation(eq) + "\n\\end{aligned}\n$$"
                  for eq in shown]
        if more:
            blocks.insert(-1, rf"$\text{{{_tex_text(self._more_equations(more))}}}$")
        return blocks

    def _tex_where(self, f: Factor) -> str:
        formula = (rf" = {_tex(f.formula)}" if f.formula and f.formula != self._num(f.value)
                   else "")
        return f"{self._tex_name(f)}{formula} = {self._num(f.value)}"

    def _repr_markdown_(self) -> str:
        parts = [_md(h) for h in [self._header()] if h]
        parts.extend(self._tex_blocks())
        where = self._where(self._max_terms)
        if where:
            parts.append("where\n\n" + "\n".join(
                f"- ${self._tex_where(f)}$" + (" (through unlabelled nodes)"
                                               if f.kind == "chain" else "") for f in where))
        return "\n\n".join(parts)

    def _repr_latex_(self) -> str:
        blocks = self._tex_blocks()
        where = self._where(self._max_terms)
        if where:
            blocks.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(
                "&" + self._tex_where(f) for f in where) + "\n\\end{aligned}\n$$")
        return "\n".join(blocks)


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}
_DIRECT = " (direct)"


def _tex_text(text: str) -> str:
    return "".join(_TEX_ESCAPES.get(c, c) for c in text)


def _tex(text: str) -> str:
    return r"\text{" + _tex_text(text) + "}"


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|$" else c for c in text)


# -- building the derivation ----------------------------------------------------

def _paths_to(target: Value, order: list[Value]) -> dict[Value, int]:
    """How many root→target paths run through each node (edges counted with
    multiplicity, so x·x contributes two)."""
    count: dict[Value, int] = {}
    for v in reversed(order):  # parents first
        count[v] = 1 if v is target else sum(count[p] for p in v.parents)
    return count


def _links(order, relevant, visible, names, target):
    """For each visible node u, the visible nodes v it reaches directly or
    through hidden (merged) nodes only, with ∂u/∂v summed over those routes.

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
        found: dict[Value, list] = {}  # v -> [value, direct formulas, any hidden route]
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
                        entry[1].append(partial_formula(u, k, names))
                    else:
                        entry[2] = True
                else:
                    if p not in through_hidden:
                        through_hidden[p] = 0.0
                        heapq.heappush(heap, position[p])
                    through_hidden[p] += step
        merged = [v for v, entry in found.items() if entry[2]]
        beyond = _below(list(found), relevant) if merged else set()
        for v, (value, formulas, hidden) in found.items():
            if hidden:
                name = derivative_name(names[u], names[v]) + (_DIRECT if v in beyond else "")
                links[u][v] = Factor(u, v, name, value, None, "chain")
            else:
                links[u][v] = Factor(u, v, derivative_name(names[u], names[v]), value,
                                     " + ".join(formulas), "edge")
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


def _flat(root, target, links) -> list[Term]:
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


def _grouped(root, target, visible_order, links, grads, names) -> list[Equation]:
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


def explain(root: Value, node: Value | str, *, max_terms: int = MAX_TERMS,
            collapse: bool | None = None, digits: int = DIGITS,
            max_equations: int = MAX_EQUATIONS) -> Explanation:
    """Derive ∂root/∂node by the chain rule, with names and numbers.

    `node` is a Value or a label.  Up to `max_terms` paths are listed as one
    sum of products; beyond that they are grouped through the nodes where
    paths split or merge.  `collapse` merges unlabelled nodes into factors
    between labelled ones (∂Loss/∂y1 instead of ∂Loss/∂t5 · ∂t5/∂t2 · …); by
    default it is on when some intermediate node on the paths has a label.
    The text shows at most `max_equations` grouped equations (the first ones
    and the last, for `node`) and says how many it leaves out.

    A node that is not in the graph has derivative 0 and is named by its
    label, or described by its op and value when unlabelled; one labelled
    like a node of the graph is a LabelError (it is a different node, not that
    one).  An overflowing gradient raises NumericError, as backward does.
    """
    if not isinstance(root, Value):
        raise TypeError(f"explain needs a Value as root, got {type(root).__name__}")
    if isinstance(node, str):
        node = find_node(root, node)
    elif not isinstance(node, Value):
        raise TypeError(f"node must be a Value or a label, got {type(node).__name__}")
    check_digits(digits)
    for name, limit in (("max_terms", max_terms), ("max_equations", max_equations)):
        if type(limit) is not int or limit < 1:
            raise ValueError(f"{name} must be a positive integer, got {limit!r}")
    order = backward_order(root)
    names = node_names(root)
    grads = gradients_of(root, order)
    if node not in grads:
        names = {**names, node: _outsider_name(node, names)}
        eq = Equation(node, derivative_name(names[root], names[node]), (), 0.0)
        return Explanation(root, node, names, 0.0, 0, [eq], False, digits, max_terms,
                           max_equations)
    count = _paths_to(node, order)
    relevant = {v for v in order if count[v]}
    if collapse is None:
        collapse = any(v.label is not None and not v.is_leaf for v in relevant
                       if v is not root and v is not node)
    visible_order = [v for v in order if v in relevant and (
        not collapse or v is root or v is node or v.label is not None)]
    visible = set(visible_order)
    links = _links(order, relevant, visible, names, node)
    listed = {node: 1}
    for u in reversed(visible_order):
        if u is not node:
            listed[u] = sum(listed[v] for v in links[u])
    if listed[root] <= max_terms:
        terms = _flat(root, node, links) if node is not root else [Term((), 1.0)]
        equations = [Equation(node, derivative_name(names[root], names[node]), tuple(terms),
                              grads[node])]
        grouped = False
    else:
        equations = _grouped(root, node, visible_order, links, grads, names)
        grouped = True
    return Explanation(root, node, names, grads[node], count[root], equations, grouped, digits,
                       max_terms, max_equations)


def _outsider_name(node: Value, names: dict[Value, str]) -> str:
    """A name for a node outside the graph that no node of the graph has:
    its label, else its op and value (`<leaf 2>`, primed if even that is taken)."""
    taken = set(names.values())
    if node.label is not None:
        if node.label in taken:
            raise LabelError(f"the node given is labelled {node.label!r} but is not the node "
                             f"{node.label!r} of this graph (a different Value with the same "
                             f"label, from another graph?): pass the graph's node, or its label")
        return node.label
    name = name_of(node)
    while name in taken:
        name += "′"
    return name
