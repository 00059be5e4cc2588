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

from collections import deque

from .derivation import (DIRECT, Equation, Factor, Term, flat_terms, grouped_equations,
                         links_between, paths_to, sole_factor)
from .errors import name_of
from .graph import backward_order, other_paths
from .labels import LabelError, find_node
from .notation import (DIGITS, bracket, check_digits, count, definitions, derivative_name,
                       display_width, factor, format_number, formula_mentions, node_names)
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


class Explanation:
    """The derivation of ∂root/∂node: `equations` (one in the flat form, the
    last one is always for `node`), its `terms`, `total` (= node.grad after
    root.backward()), `paths` (how many root→node paths the graph has) and
    `grouped` (whether paths were grouped through intermediate nodes).
    `str()` is plain text; Jupyter shows Markdown with LaTeX.  The text shows
    at most `max_terms` terms per equation and `max_equations` equations (the
    first ones and always the last), so a big graph prints a page, not
    megabytes; `equations` always holds them all.  The text defines every
    auto-name it uses (`t1 = x·y = 6`) under "where"."""

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
        """The factors to explain under "where": with a `limit`, those of the
        text (the terms it shows, less a factor written on its equation's line)."""
        seen: dict[str, Factor] = {}
        for eq in (self.equations if limit is None else self._shown_equations()[0]):
            if limit is not None and sole_factor(eq) is not None:
                continue
            for term in eq.terms[:limit]:
                for f in term.factors:
                    if f.kind != "upstream":
                        seen.setdefault(f.name, f)
        return list(seen.values())

    def _definitions(self) -> list[str]:
        """`t1 = x·y = 6` for every auto-name the text uses: in the equations,
        the terms shown, and the formulas of the factors it explains."""
        shown, _ = self._shown_equations()
        nodes = [self.root]
        for eq in shown:
            nodes.append(eq.node)
            for term in eq.terms[:self._max_terms]:
                for f in term.factors:
                    nodes += [f.top, f.bottom, *(f.top.parents if f.top_name else ())]
                    if self._formula(f):
                        nodes += [v for k in f.edges for v in formula_mentions(f.top, k)]
        return definitions(nodes, self._names, self._digits)

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
        return (f"… ({count(more, 'more equation')}, not shown: pass a larger max_equations, "
                f"or label the nodes that matter and use collapse=True, or explain a smaller "
                f"graph)")

    def _formula(self, f: Factor) -> str | None:
        """The factor's formula when it says more than its number."""
        return f.formula if f.formula and f.formula != self._num(f.value) else None

    def _note(self, f: Factor) -> str:
        if f.kind == "chain":
            return "through unlabelled nodes"
        if len(f.edges) > 1:  # x·x: the steps show two edges, the factor is their sum
            positions = [str(f.top.edges()[k][2] + 1) for k in f.edges]
            listed = ", ".join(positions[:-1]) + " and " + positions[-1]
            return (f"{self._names[f.bottom]} is arguments {listed} of {self._names[f.top]}: "
                    f"the sum of {'both' if len(f.edges) == 2 else f'all {len(f.edges)}'} edges")
        return ""

    def _explained(self, f: Factor, value: float) -> str:
        """`formula = value  (note)`, what follows ∂u/∂v = for one factor."""
        formula, note = self._formula(f), self._note(f)
        return ((f"{formula} = " if formula else "") + self._num(value)
                + (f"  ({note})" if note else ""))

    def _lines(self, eq: Equation) -> list[str]:
        if all(not t.factors for t in eq.terms):
            return [f"{eq.name} = {self._num(eq.total)}"]
        alone = sole_factor(eq)
        if alone is not None:  # ∂f/∂x = y = 3, not ∂f/∂x = ∂f/∂x = 3 = 3
            return [f"{eq.name} = {self._explained(alone, eq.total)}"]
        terms, more = self._shown(eq.terms)
        symbolic = [" · ".join(f.name for f in t.factors) for t in terms]
        numeric = [" × ".join(self._num(f.value, True) for f in t.factors) for t in terms]
        rows = symbolic + numeric
        ops = ["="] + ["+"] * (len(terms) - 1) + ["="] + ["+"] * (len(terms) - 1)
        if more:
            rows.insert(len(terms), f"… ({count(more, 'more term')})")
            ops.insert(len(terms), "+")
            rows.append(f"… ({count(more, 'more term')})")
            ops.append("+")
        if len(eq.terms) > 1:
            rows.append(" + ".join(self._num(t.value, i > 0) for i, t in enumerate(terms))
                        + (" + …" if more else ""))
            ops.append("=")
        rows.append(self._num(eq.total))
        ops.append("=")
        pad = " " * display_width(eq.name)  # the = signs align in a terminal, Hangul too
        return [f"{eq.name if i == 0 else pad} {op} {row}" for i, (op, row) in enumerate(zip(ops, rows))]

    def _header(self) -> str | None:
        if not self.grouped:
            return None
        cuts = len(self.equations) - 1
        return (f"{self.name}: {count(self.paths, 'path')} from {self._names[self.root]}"
                + (f", grouped through the {count(cuts, 'node')} where paths split or "
                   f"merge" if cuts else ""))

    def text(self, define_names: bool = True) -> str:
        """The plain text; without `define_names`, the auto-names are not
        defined (for a caller that lists every node already, as the CLI does)."""
        out = [h for h in [self._header()] if h]
        shown, more = self._shown_equations()
        for eq in shown:
            if more and eq is shown[-1]:
                out.append(self._more_equations(more))
            out.extend(self._lines(eq))
        where = [f"  {line}" for line in (self._definitions() if define_names else [])]
        where += [f"  {f.name} = {self._explained(f, f.value)}"
                  for f in self._where(self._max_terms)]
        if where:
            out += ["where", *where]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<explain {self.name} = {self._num(self.total)}: {count(self.paths, 'path')}>"

    # -- LaTeX / Markdown -----------------------------------------------------
    def _tex_name(self, f: Factor | Equation) -> str:
        top = self.root if isinstance(f, Equation) else f.top
        bottom = f.node if isinstance(f, Equation) else f.bottom
        written = f.top_name if isinstance(f, Factor) and f.top_name else self._names[top]
        frac = (rf"\frac{{\partial {_tex(bracket(written))}}}"
                rf"{{\partial {_tex(bracket(self._names[bottom]))}}}")
        if isinstance(f, Factor) and f.name.endswith(DIRECT):
            frac = rf"\left({frac}\right)_{{\text{{direct}}}}"
        return frac

    def _tex_equation(self, eq: Equation) -> str:
        lhs = self._tex_name(eq)
        if all(not t.factors for t in eq.terms):
            return rf"{lhs} &= {self._num(eq.total)}"
        alone = sole_factor(eq)
        if alone is not None:
            return rf"{lhs} &= {self._tex_explained(alone, eq.total)}"
        terms, more = self._shown(eq.terms)
        rows = [r" \cdot ".join(self._tex_name(f) for f in t.factors) for t in terms]
        nums = [r" \times ".join(self._num(f.value, True) for f in t.factors) for t in terms]
        lines = []
        for block in (rows, nums):
            for i, row in enumerate(block):
                lines.append(("&= " if i == 0 else r"&\quad + ") + row)
            if more:
                lines.append(rf"&\quad + \dots\ \text{{({count(more, 'more term')})}}")
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

    def _tex_explained(self, f: Factor, value: float) -> str:
        formula, note = self._formula(f), self._note(f)
        return ((f"{_tex(formula)} = " if formula else "") + self._num(value)
                + (rf"\quad \text{{({_tex_text(note)})}}" if note else ""))

    def _tex_where(self) -> list[str]:
        """The "where" entries in LaTeX: the definitions, then the factors."""
        return [_tex(line) for line in self._definitions()] + [
            f"{self._tex_name(f)} = {self._tex_explained(f, f.value)}"
            for f in self._where(self._max_terms)]

    def _repr_markdown_(self) -> str:
        parts = [_md(h) for h in [self._header()] if h]
        parts.extend(self._tex_blocks())
        where = self._tex_where()
        if where:
            parts.append("where\n\n" + "\n".join(f"- ${entry}$" for entry in where))
        return "\n\n".join(parts)

    def _repr_latex_(self) -> str:
        blocks = self._tex_blocks()
        where = self._tex_where()
        if where:
            blocks.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(
                "&" + entry for entry in where) + "\n\\end{aligned}\n$$")
        return "\n".join(blocks)


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


def _tex_text(text: str) -> str:
    return "".join(_TEX_ESCAPES.get(c, c) for c in text)


def _tex(text: str) -> str:
    return r"\text{" + _tex_text(text) + "}"


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|$" else c for c in text)


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

    A node that is not in root's graph is a ValueError naming it (by its
    label, or its op and value when unlabelled): root does not depend on it,
    so there is no chain rule to show, and a derivation that reads "= 0"
    would pass for one (most often it is the wrong node: a copy, or a node of
    another graph).  One labelled like a node of the graph is a LabelError:
    it is a different node, not that one.  An overflowing gradient raises
    NumericError, as backward does.
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
        raise _not_in_graph(root, node, names)
    paths = paths_to(node, order)
    relevant = {v for v in order if paths[v]}
    if collapse is None:
        collapse = any(v.label is not None and not v.is_leaf for v in relevant
                       if v is not root and v is not node)
    visible_order = [v for v in order if v in relevant and (
        not collapse or v is root or v is node or v.label is not None)]
    visible = set(visible_order)
    links = links_between(order, relevant, visible, names, node, other_paths(order))
    listed = {node: 1}
    for u in reversed(visible_order):
        if u is not node:
            listed[u] = sum(listed[v] for v in links[u])
    if listed[root] <= max_terms:
        terms = flat_terms(root, node, links) if node is not root else [Term((), 1.0)]
        equations = [Equation(node, derivative_name(names[root], names[node]), tuple(terms),
                              grads[node])]
        grouped = False
    else:
        equations = grouped_equations(root, node, visible_order, links, grads, names)
        grouped = True
    return Explanation(root, node, names, grads[node], paths[root], equations, grouped, digits,
                       max_terms, max_equations)


def _not_in_graph(root: Value, node: Value, names: dict[Value, str]) -> ValueError:
    """The error for a node outside root's graph, which it names by its label,
    else by its op and value (`<leaf 2>`): a LabelError when a node of the
    graph has that label, since the user then means that one."""
    if node.label is not None and node.label in set(names.values()):
        return LabelError(f"the node given is labelled {node.label!r} but is not the node "
                          f"{node.label!r} of this graph (a different Value with the same "
                          f"label, from another graph?): pass the graph's node, or its label")
    top, bottom = name_of(root), name_of(node)  # t1 would mean nothing in a message
    return ValueError(f"{bottom} is not in the graph of {top}: {top} does not depend on it "
                      f"({derivative_name(top, bottom)} = 0), so there is no chain rule to show")
