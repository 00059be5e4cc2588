"""Writing a drawing as DOT: cards, op ovals, edges, clusters and boxes.

A value is a card (name, data, grad); an op is a small oval with its symbol
from the op table; every edge from an input to an op carries the local
derivative stored on that edge, and optionally its contribution
(local × the consumer's grad).  Plain-number arguments appear as small grey
numbers.  Roles are coloured: inputs and constants, parameters,
intermediates, the output.

Labels are record fields, not HTML tables: the in-process Graphviz has no
HTML-label support.  Every piece of user text goes through `_text`/`_field`,
so no label can end a string, open a record field or inject SVG markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ops
from .draw_clusters import ClusterLayout
from .draw_network import Network, consumers_of, neuron_key
from .notation import factor, format_number, node_names
from .value import Value

if TYPE_CHECKING:  # imported when a graph is built: `import autograd` needs no graphviz
    import graphviz

# Helvetica's metrics are what Graphviz measures with; a browser takes the
# first font it has, so the metric twins of Helvetica come next, then wider
# fallbacks and fonts with Hangul, kana and CJK ideographs.  Cards are sized
# for the widest of them (`_width`), so no label overflows whichever is used.
_FONT = ("Helvetica,Arial,Liberation Sans,Noto Sans,DejaVu Sans,Noto Sans CJK KR,"
         "Apple SD Gothic Neo,Malgun Gothic,Noto Sans CJK JP,Noto Sans CJK SC,sans-serif")
_CARD_FONT_SIZE = 11  # points
_CARD_MARGIN = 0.12  # inches either side of a card's text
_DENSE = 6
"""A collapsed box with more box inputs than this gets them unlabelled and
thin: a 16×16 layer's 256 derivatives cannot be told apart on the edges
(explain, steps and the player give each of them)."""
_ROLE_STYLE = {  # fill, border: pale fills keep the black text readable
    "input": ("#dbeafe", "#2563eb"),
    "parameter": ("#fef3c7", "#d97706"),
    "intermediate": ("#ffffff", "#6b7280"),
    "output": ("#dcfce7", "#16a34a"),
    "neuron": ("#f5f3ff", "#7c3aed"),
    "layer": ("#f5f3ff", "#7c3aed"),
}
_EDGE = "#6b7280"
_HIGHLIGHT = "#dc2626"
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# -- escaping: user text can never break DOT or the SVG ------------------------

_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # the Unicode control picture: ␀ ␁ …
    return "\u2421" if c == 0x7F else "\ufffd"


def _text(s: str) -> str:
    """`s` as literal text inside a quoted DOT escString (labels, tooltips).

    Backslashes are doubled (no `\\N`, `\\l` surprises), `&` becomes `&amp;`
    (Graphviz decodes entities in labels), quotes are escaped, newlines
    become line breaks and other control characters become visible symbols.
    """
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _UNSAFE.sub(_visible, s)
    s = s.replace("\\", "\\\\").replace("&", "&amp;").replace('"', '\\"')
    return s.replace("\n", "\\n")


_RECORD_SPECIAL = re.compile(r"([{}|<>])")


def _field(s: str) -> str:
    """`s` as literal text in one field of a record label."""
    return _RECORD_SPECIAL.sub(r"\\\1", _text(s))


def _label(s: str) -> str:
    """An already-escaped label, never read as an HTML-like `<…>` label."""
    from graphviz import nohtml
    return nohtml(s)


@dataclass(frozen=True)
class Plan:
    """What one drawing shows, decided by `draw`: the nodes in forward order,
    the layout direction, which leaves are parameters (and their names), the
    model's neurons (`net`), for a collapsed view the box of each grouped node
    and the parameters hidden inside boxes, what is highlighted, whether
    edges show their local derivatives and contributions, and how many digits
    numbers get."""

    root: Value
    forward: list[Value]
    rankdir: str
    parameters: set[Value]
    param_names: dict[Value, str]
    net: Network | None
    groups: dict[Value, tuple[int, ...]]
    hidden: set[Value]
    hl_nodes: set[Value]
    hl_edges: set[tuple[Value, int]]
    contributions: bool
    edge_labels: bool
    digits: int


def _width(text: str) -> float:
    """A generous width of one line of card text, in em: the widest fallback
    font (DejaVu Sans: about 0.64 em a letter or digit, a third of that for
    spaces and thin punctuation) and a full em for a wide (East Asian)
    character, which Graphviz measures at about three quarters."""
    em = 0.0
    for c in text:
        if unicodedata.east_asian_width(c) in "WF":
            em += 1.0
        elif c in " .,:;|!'()[]il":
            em += 0.34
        else:
            em += 0.64
    return em


def card_width(lines: list[str], fontsize: float = _CARD_FONT_SIZE) -> str:
    """The least width of a card (inches) whose lines, stacked, fit in any
    of the fonts of `_FONT`, with room for two more characters on a grad
    line (the player shows running sums that can be longer than the total)."""
    widest = max(_width(t) + (1.28 if t.startswith("grad: ") else 0) for t in lines)
    return f"{widest * fontsize / 72 + 2 * _CARD_MARGIN:.2f}"


def grad_line(grads: list[float | None], digits: int, more: bool = False) -> str:
    """A card's grad line for these gradients (a collapsed box lists several)."""
    if any(g is None for g in grads):
        return "grad: not computed"
    return ("grad: " + ", ".join(format_number(g, digits, keep_zeros=True) for g in grads)
            + (", …" if more else ""))


def _edge_style(highlighted: bool) -> dict[str, str]:
    if highlighted:
        return {"penwidth": "2.5", "color": _HIGHLIGHT, "fontcolor": _HIGHLIGHT,
                "class": "local highlight"}
    return {"class": "local"}


class Builder(ClusterLayout):
    """Writes one drawing's DOT graph, as its `Plan` says."""

    edge_color = _EDGE

    def __init__(self, plan: Plan):
        self.plan = plan
        self.hot_ops = {v for v, _ in plan.hl_edges}  # nodes whose op has a highlighted input
        self.names = node_names(plan.root, plan.forward)
        # a neuron is called as its parameters' names say: "L1.n2" in an MLP
        self.unit_names = {neuron_key(n): n.rpartition(".")[0] or "neuron"
                           for n in plan.param_names.values() if neuron_key(n) is not None}
        self.several = plan.net is not None and plan.net.passes > 1  # a batch: passes are named
        self.index = {v: i for i, v in enumerate(plan.forward)}
        self.ids = {v: f"v{i}" for i, v in enumerate(plan.forward) if v not in plan.hidden}
        self.consumers = consumers_of(plan.forward)
        self.relayed: dict[tuple[Value, int], str] = {}  # edge → the point it passes (clusters)
        self.edge_ids: dict[tuple[Value, int], tuple[str, ...]] = {}
        self.grad_lines: dict[str, tuple[list[Value], bool]] = {}
        for v, key in plan.groups.items():
            self.ids[v] = self.box_id(key)
        from graphviz import Digraph
        self.g = Digraph(
            "handgrad",
            graph_attr={"rankdir": plan.rankdir, "fontname": _FONT, "nodesep": "0.25",
                        "ranksep": "0.35", "bgcolor": "white"},
            node_attr={"fontname": _FONT, "fontsize": "11"},
            edge_attr={"fontname": _FONT, "fontsize": "9", "color": _EDGE, "arrowsize": "0.6",
                       "fontcolor": "#374151"})

    def num(self, x: float) -> str:
        """`x` as the backward trace prints it, but a rounded value keeps its
        trailing zeros (σ(0.12) shows as 0.5300): on a card there is no room
        to say "≈"."""
        return format_number(x, self.plan.digits, keep_zeros=True)

    def box_id(self, key: tuple[int, ...]) -> str:
        """The id of a collapsed box: g2_1 for neuron L2.n1, g2 for layer 2;
        in a batch the sample comes first: s3_g2_1."""
        s, *rest = key
        return (f"s{s}_" if self.several else "") + "g" + "_".join(map(str, rest))

    def sample(self, s: int) -> str:
        return f"sample {s} · " if self.several else ""

    def text_label(self, text: str) -> str:
        return _label(_text(text))

    def build(self) -> tuple:
        """The DOT graph; for every drawn Value the id of its box; for every
        edge (node, k) the ids of what draws it (none when it is inside a
        box); for every box the Values its grad line lists, and whether it
        lists only the first of them."""
        if self.plan.net is not None and not self.plan.groups:
            self.clusters()
        else:
            for v in self.plan.forward:
                if v not in self.plan.groups and v not in self.plan.hidden:
                    self.value(self.g, v)
        if self.plan.groups:
            self.collapsed_boxes()
        for v in self.plan.forward:
            if v not in self.plan.groups and v not in self.plan.hidden:
                self.inputs(v)
        return self.g, self.ids, self.edge_ids, self.grad_lines

    def role(self, v: Value) -> str:
        if v is self.plan.root:
            return "output"
        if v.is_leaf:
            return "parameter" if v in self.plan.parameters else "input"
        return "intermediate"

    def card(self, title: str, lines: list[str]) -> str:
        fields = "|".join(_field(s) for s in [title, *lines])
        return fields if self.plan.rankdir in ("LR", "RL") else "{" + fields + "}"

    def box_attrs(self, role: str, highlighted: bool, lines: list[str]) -> dict[str, str]:
        fill, border = _ROLE_STYLE[role]
        attrs = {"shape": "record", "style": "filled", "fillcolor": fill, "color": border,
                 "margin": f"{_CARD_MARGIN},0.04", "width": card_width(lines), "class": role}
        if role == "output":
            attrs["penwidth"] = "2"
        if highlighted:
            attrs.update(color=_HIGHLIGHT, penwidth="2.5", **{"class": role + " highlight"})
        return attrs

    def value(self, graph: graphviz.Digraph, v: Value, inside: bool = False) -> None:
        """v's card and, for a computed v, its op node and number arguments."""
        vid, role = self.ids[v], self.role(v)
        lines = [self.names[v], f"data: {self.num(v.data)}",
                 grad_line([v.grad], self.plan.digits)]
        self.grad_lines[vid] = ([v], False)
        label = self.card(lines[0], lines[1:])
        attrs = self.box_attrs(role, v in self.plan.hl_nodes, lines)
        # The tooltip holds no user text: Graphviz versions disagree on how
        # escapes in tooltips are read, so only checked names go there.
        tooltip = f"{role} {self.plan.param_names[v]}" if v in self.plan.param_names else role
        graph.node(vid, _label(label), id=vid, tooltip=_label(_text(tooltip)), **attrs)
        if v.op is None:
            return
        op = v.op
        symbol = op.node_symbol(len(v.args))
        if op.index is not None:
            symbol += str(op.index + 1).translate(_SUBSCRIPT)
        on_path = v in self.hot_ops
        # a neuron's Σwx+b is the target its order anchor is grouped with (keep_order)
        group = {"group": f"{vid}-op"} if inside and op.base is ops.LINEAR else {}
        graph.node(f"{vid}-op", _label(_text(symbol)), id=f"{vid}-op", shape="ellipse",
                   style="filled", fillcolor="#f3f4f6", color=_HIGHLIGHT if on_path else "#9ca3af",
                   margin="0.04,0.02", height="0.3", tooltip=_label(_text(op.rule)),
                   **group, **{"class": "op highlight" if on_path else "op"})
        edge = {"penwidth": "2.5", "color": _HIGHLIGHT} if on_path else {}
        graph.edge(f"{vid}-op", vid, id=f"{vid}-out", **edge)
        args = list(enumerate(v.args))  # x1 before x2, declared as inner() says
        for pos, a in self.inner(args) if inside else args:
            if not isinstance(a, Value):
                cid = f"{vid}-a{pos}"
                graph.node(cid, _label(_text(f"{a:g}")), id=cid, shape="plaintext",
                           fontcolor="#6b7280", fontsize="10", height="0.2", width="0.2",
                           **{"class": "number"})
                if op.base is ops.LINEAR:  # an input of a neuron: in the weights' column
                    graph.edge(cid, f"{vid}-op", id=f"{cid}-edge", style="dashed",
                               color="#9ca3af", arrowhead="none")
                    continue
                # a constant (a target, an exponent) beside its op, not in a far
                # corner: in its rank, drawn from the op so that it sits below it
                graph.edge(f"{vid}-op", cid, id=f"{cid}-edge", style="dashed", color="#9ca3af",
                           dir="none")
                with graph.subgraph() as beside:
                    beside.attr(rank="same")
                    beside.node(f"{vid}-op")
                    beside.node(cid)

    def edge_label(self, local: float, upstream: float | None) -> dict[str, str]:
        """The label attributes of an edge: its local derivative (and with
        contributions, × upstream = the term), tied to its edge by a line
        (`decorate`), or none with `edge_labels=False`."""
        if not self.plan.edge_labels:
            return {}
        text = self.num(local)
        if self.plan.contributions and upstream is not None:
            text += f"\n× {factor(self.num(upstream))} = {self.num(local * upstream)}"
        return {"label": _label(_text(text)), "decorate": "true"}

    def inputs(self, v: Value) -> None:
        """The edges from v's inputs into its op node, one per entry of v.edges();
        one that enters a neuron's cluster is drawn through its point there."""
        vid = self.ids[v]
        for k, (p, local, _) in enumerate(v.edges()):
            style = _edge_style((v, k) in self.plan.hl_edges)
            eid, tail = f"{vid}-e{k}", self.ids[p]
            if (v, k) in self.relayed:
                via = self.relayed[v, k]
                self.g.edge(tail, via, id=f"{eid}-in", arrowhead="none", **style)
                tail = via
            self.g.edge(tail, f"{vid}-op", id=eid, **self.edge_label(local, v.grad), **style)
            self.edge_ids[v, k] = (f"{eid}-in", eid) if (v, k) in self.relayed else (eid,)

    # -- collapsed view: one box per neuron or layer ---------------------------

    def collapsed_boxes(self) -> None:
        members: dict[tuple[int, ...], list[Value]] = {}
        for v in self.plan.forward:
            if v in self.plan.groups:
                members.setdefault(self.plan.groups[v], []).append(v)
        box_outputs: dict[tuple[int, ...], list[Value]] = {}
        for use, o in sorted(self.plan.net.output.items()):
            box_outputs.setdefault(self.plan.groups[o], []).append(o)
        for key, vs in sorted(members.items()):
            outputs = box_outputs[key]
            gid = self.box_id(key)
            role = "output" if self.plan.root in vs else ("neuron" if len(key) == 3 else "layer")
            hot = any(v in self.plan.hl_nodes for v in vs)
            lines = [self.group_title(key, outputs), *self.group_values(gid, outputs)]
            self.g.node(gid, _label(self.card(lines[0], lines[1:])), id=gid,
                        **self.box_attrs(role, hot, lines))
            self.group_inputs(gid, set(vs), outputs)
        for layer in sorted({key[1] for key in members}):  # neuron 1 first, sample 1 first
            boxes = [self.box_id(key) for key in sorted(members) if key[1] == layer]
            if len(boxes) > 1:
                with self.g.subgraph() as row:
                    row.attr(rank="same")
                    for box in boxes:
                        row.node(box)
                for a, b in zip(boxes, boxes[1:]):
                    self.g.edge(a, b, style="invis")

    def group_title(self, key, outputs) -> str:
        s, layer, *neuron = key
        if neuron:
            out = outputs[0]
            return (f"{self.sample(s)}{self.unit_names[layer, neuron[0]]}: "
                    f"{self.names[out]} = {self.formula(out)}")
        forms = sorted({self.formula(o) for o in outputs})
        count = "1 neuron" if len(outputs) == 1 else f"{len(outputs)} neurons"
        return f"{self.sample(s)}layer {layer}: {count}, {', '.join(forms)}"

    def formula(self, out: Value) -> str:
        """A neuron's output as a box title writes it: σ(Σwx+b), or Σwx+b alone."""
        if out.op.base is ops.LINEAR:
            return out.op.node_symbol(len(out.args))
        z = out.parents[0]
        return f"{out.op.node_symbol(len(out.args))}({z.op.node_symbol(len(z.args))})"

    def group_values(self, gid: str, outputs: list[Value]) -> list[str]:
        shown = outputs[:4]
        more = len(outputs) > len(shown)
        self.grad_lines[gid] = (shown, more)
        data = ", ".join(self.num(o.data) for o in shown) + (", …" if more else "")
        return [f"data: {data}", grad_line([o.grad for o in shown], self.plan.digits, more)]

    def group_inputs(self, gid: str, members: set[Value], outputs: list[Value]) -> None:
        """One edge per source box into this box, labelled with ∂output/∂input
        across the box when that is one number, else with the Jacobian's shape;
        with more sources than `_DENSE`, thin and unlabelled, laid out as
        straight lines (a fully connected layer, drawn compactly)."""
        jac = {o: self.derivatives_across(o, members) for o in outputs}  # ∂o/∂u
        sources: dict[str, dict[Value, None]] = {}  # source box → its nodes used here
        for o in outputs:
            for u in jac[o]:
                sources.setdefault(self.ids[u], {})[u] = None
        hot = {self.ids[p] for v, k in self.plan.hl_edges if v in members
               for p in [v.edges()[k][0]] if p not in members and p not in self.plan.hidden}
        dense = len(sources) > _DENSE
        if dense:  # straight lines, drawn under the boxes so that no line crosses a text
            self.g.attr(splines="line", outputorder="edgesfirst")
        for sid, us in sources.items():
            rows = [o for o in outputs if any(u in jac[o] for u in us)]
            if dense:
                label = {}
            elif len(rows) == 1 and len(us) == 1:
                [o], [u] = rows, us
                label = self.edge_label(jac[o][u], o.grad)
            else:
                label = {"label": _label(_text(f"∂ {len(rows)}×{len(us)}"))} \
                    if self.plan.edge_labels else {}
            thin = ({"penwidth": "0.6", "arrowsize": "0.4", "weight": "0", "color": "#9ca3af"}
                    if dense else {})
            self.g.edge(sid, gid, id=f"{gid}-from-{sid}", **label,
                        **{**thin, **_edge_style(sid in hot)})
        for v in members:  # what draws each edge of the box's members
            for k, (p, _, _) in enumerate(v.edges()):
                inside = p in members or p in self.plan.hidden
                self.edge_ids[v, k] = () if inside else (f"{gid}-from-{self.ids[p]}",)

    def derivatives_across(self, out: Value, members: set[Value]) -> dict[Value, float]:
        """∂out/∂u for every input u from outside the box, summed over the
        paths inside it (the box's own little backward pass)."""
        inside, stack = {out}, [out]
        while stack:
            for p in stack.pop().parents:
                if p in members and p not in inside:
                    inside.add(p)
                    stack.append(p)
        adjoint = {out: 1.0}
        outside: dict[Value, float] = {}
        for v in sorted(inside, key=self.index.__getitem__, reverse=True):
            g = adjoint.get(v, 0.0)
            for p, local, _ in v.edges():
                if p in self.plan.hidden:  # a weight every sample reads: not drawn
                    continue
                target = adjoint if p in members else outside
                target[p] = target.get(p, 0.0) + local * g
        return outside
