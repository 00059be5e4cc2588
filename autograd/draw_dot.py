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
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ops
from .draw_network import Network, Use, neuron_key
from .notation import factor, format_number, node_names
from .value import Value

if TYPE_CHECKING:  # imported when a graph is built: `import autograd` needs no graphviz
    import graphviz

_FONT = "Helvetica"
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
    edges show contributions, and how many digits numbers get."""

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
    digits: int


def _edge_style(highlighted: bool) -> dict[str, str]:
    if highlighted:
        return {"penwidth": "2.5", "color": _HIGHLIGHT, "fontcolor": _HIGHLIGHT,
                "class": "local highlight"}
    return {"class": "local"}


class Builder:
    """Writes one drawing's DOT graph, as its `Plan` says."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.hot_ops = {v for v, _ in plan.hl_edges}  # nodes whose op has a highlighted input
        self.names = node_names(plan.root, plan.forward)
        # a neuron is called as its parameters' names say: "L1.n2" in an MLP
        self.unit_names = {neuron_key(n): n.rpartition(".")[0] or "neuron"
                           for n in plan.param_names.values()}
        self.several = plan.net is not None and plan.net.passes > 1  # a batch: passes are named
        self.index = {v: i for i, v in enumerate(plan.forward)}
        self.ids = {v: f"v{i}" for i, v in enumerate(plan.forward) if v not in plan.hidden}
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

    def build(self) -> tuple[graphviz.Digraph, dict[Value, str]]:
        """The DOT graph and, for every drawn Value, the id of its box."""
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
        return self.g, self.ids

    def clusters(self) -> None:
        """Every node of a neuron's use in a cluster, inside its layer's (and,
        in a batch, its sample's).  A parameter sits with its neuron when the
        model runs once; in a batch every sample reads it, so it is drawn once,
        in its layer's cluster of shared parameters."""
        net = self.plan.net
        uses: dict[Use, list[Value]] = {}
        shared: dict[tuple[int, int], list[Value]] = {}
        for v in self.plan.forward:
            if v in net.unit:
                uses.setdefault(net.unit[v], []).append(v)
            elif v in net.readers and not self.several:
                uses.setdefault(min(net.readers[v]), []).append(v)
            elif v in net.readers:
                shared.setdefault(min(net.readers[v])[1:], []).append(v)
            else:
                self.value(self.g, v)
        for layer in sorted({l for l, _ in shared}):
            with self.g.subgraph(name=f"cluster_shared_L{layer}") as lg:
                self.cluster_style(lg, f"shared · layer {layer}", "dashed")
                for l, j in sorted(k for k in shared if k[0] == layer):
                    with lg.subgraph(name=f"cluster_shared_L{l}_n{j}") as ng:
                        self.cluster_style(ng, self.unit_names[l, j], "rounded")
                        for v in shared[l, j]:
                            self.value(ng, v)
        samples = {}  # a node of each sample's last layer, to keep the samples in order
        for s in sorted({use[0] for use in uses}):
            outer = self.g.subgraph(name=f"cluster_s{s}") if self.several else nullcontext(self.g)
            prefix = f"cluster_s{s}_" if self.several else "cluster_"
            with outer as sg:
                if self.several:
                    self.cluster_style(sg, f"sample {s}", "bold")
                for layer in sorted({use[1] for use in uses if use[0] == s}):
                    layer_uses = sorted(u for u in uses if u[:2] == (s, layer))
                    with sg.subgraph(name=f"{prefix}L{layer}") as lg:
                        self.cluster_style(lg, f"{self.sample(s)}layer {layer}", "dashed")
                        for use in self.inner(layer_uses):
                            with lg.subgraph(name=f"{prefix}L{layer}_n{use[2]}") as ng:
                                self.cluster_style(
                                    ng, self.sample(s) + self.unit_names[use[1:]], "rounded")
                                for v in self.inner(uses[use]):
                                    self.value(ng, v, inside=True)
                    zs = [self.ids[z] for use in layer_uses for z in uses[use]
                          if z.op is not None and z.op.base is ops.LINEAR]
                    self.keep_order(f"{prefix}L{layer}", [f"{z}-op" for z in zs], grouped=True)
                    samples[s] = zs[0]
        if self.several:  # not grouped: a node has one group, and each Σwx+b has its layer's
            self.keep_order("samples", [samples[s] for s in sorted(samples)], grouped=False)

    def inner(self, items: list) -> list:
        """`items` in the order to declare them inside a cluster.  Graphviz
        keeps the declared order in a rank, but inside a cluster of a
        left-right layout it comes out bottom to top: declared backwards
        there, neuron 1 sits above neuron 2 and x1 above x2."""
        return items[::-1] if self.plan.rankdir in ("LR", "RL") else list(items)

    def keep_order(self, name: str, targets: list[str], grouped: bool) -> None:
        """Steer `targets` (nodes of one rank in sibling clusters) into this
        order: top to bottom (LR) or left to right (TB).

        Graphviz orders sibling clusters to minimise crossings, and a fully
        connected layer crosses as often in any order, so its neurons come
        out in whatever order the heuristic last swapped them to.  A row of
        invisible points, chained in order (Graphviz keeps a chain within a
        rank in order), each with an invisible edge to its target, makes any
        other order cross those edges; with `grouped` the point shares its
        target's group, which makes crossing that edge costly.
        """
        if len(targets) < 2:
            return
        anchors = [f"{name}-order{k}" for k in range(len(targets))]
        with self.g.subgraph() as row:
            row.attr(rank="same")
            for a, t in zip(anchors, targets):
                row.node(a, "", id=a, shape="point", style="invis", width="0.01",
                         height="0.01", **({"group": t} if grouped else {}), **{"class": "order"})
        for a, b in zip(anchors, anchors[1:]):
            self.g.edge(a, b, style="invis")
        for a, t in zip(anchors, targets):
            self.g.edge(a, t, style="invis")

    @staticmethod
    def cluster_style(g: graphviz.Digraph, title: str, style: str) -> None:
        color = {"dashed": "#9ca3af", "rounded": "#c4b5fd", "bold": "#7c3aed"}[style]
        g.attr(label=_label(_text(title)), style=style, color=color, fontcolor="#4b5563",
               fontsize="10" if style == "rounded" else "11")

    def role(self, v: Value) -> str:
        if v is self.plan.root:
            return "output"
        if v.is_leaf:
            return "parameter" if v in self.plan.parameters else "input"
        return "intermediate"

    def card(self, title: str, lines: list[str]) -> str:
        fields = "|".join(_field(s) for s in [title, *lines])
        return fields if self.plan.rankdir in ("LR", "RL") else "{" + fields + "}"

    def grad_text(self, g: float | None) -> str:
        return "grad: not computed" if g is None else f"grad: {self.num(g)}"

    def box_attrs(self, role: str, highlighted: bool) -> dict[str, str]:
        fill, border = _ROLE_STYLE[role]
        attrs = {"shape": "record", "style": "filled", "fillcolor": fill, "color": border,
                 "margin": "0.12,0.04", "class": role}
        if role == "output":
            attrs["penwidth"] = "2"
        if highlighted:
            attrs.update(color=_HIGHLIGHT, penwidth="2.5", **{"class": role + " highlight"})
        return attrs

    def value(self, graph: graphviz.Digraph, v: Value, inside: bool = False) -> None:
        """v's card and, for a computed v, its op node and number arguments."""
        vid, role = self.ids[v], self.role(v)
        label = self.card(self.names[v], [f"data: {self.num(v.data)}", self.grad_text(v.grad)])
        attrs = self.box_attrs(role, v in self.plan.hl_nodes)
        # The tooltip holds no user text: Graphviz versions disagree on how
        # escapes in tooltips are read, so only checked names go there.
        tooltip = f"{role} {self.plan.param_names[v]}" if v in self.plan.param_names else role
        graph.node(vid, _label(label), id=vid, tooltip=_label(_text(tooltip)), **attrs)
        if v.op is None:
            return
        op = v.op
        symbol = op.symbol if op.index is None else op.symbol + str(op.index + 1).translate(_SUBSCRIPT)
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
                graph.edge(cid, f"{vid}-op", id=f"{cid}-edge", style="dashed", color="#9ca3af",
                           arrowhead="none")

    def edge_label(self, local: float, upstream: float | None) -> str:
        text = self.num(local)
        if self.plan.contributions and upstream is not None:
            text += f"\n× {factor(self.num(upstream))} = {self.num(local * upstream)}"
        return text

    def inputs(self, v: Value) -> None:
        """The edges from v's inputs into its op node, one per entry of v.edges()."""
        vid = self.ids[v]
        for k, (p, local, _) in enumerate(v.edges()):
            self.g.edge(self.ids[p], f"{vid}-op", _label(_text(self.edge_label(local, v.grad))),
                        id=f"{vid}-e{k}", **_edge_style((v, k) in self.plan.hl_edges))

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
            # a wide margin: the long title may be drawn in a fallback font up
            # to a sixth wider than Graphviz measured it in Helvetica
            self.g.node(gid, _label(self.card(self.group_title(key, outputs),
                                              self.group_values(outputs))),
                        id=gid, **{**self.box_attrs(role, hot), "margin": "0.3,0.05"})
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
        if out.op.base is ops.LINEAR:
            return out.op.symbol
        return f"{out.op.symbol}({out.parents[0].op.symbol})"

    def group_values(self, outputs: list[Value]) -> list[str]:
        shown = outputs[:4]
        more = ", …" if len(outputs) > len(shown) else ""
        data = ", ".join(self.num(o.data) for o in shown) + more
        if any(o.grad is None for o in shown):
            grad = "grad: not computed"
        else:
            grad = "grad: " + ", ".join(self.num(o.grad) for o in shown) + more
        return [f"data: {data}", grad]

    def group_inputs(self, gid: str, members: set[Value], outputs: list[Value]) -> None:
        """One edge per source box into this box, labelled with ∂output/∂input
        across the box when that is one number, else with the Jacobian's shape."""
        jac = {o: self.derivatives_across(o, members) for o in outputs}  # ∂o/∂u
        sources: dict[str, dict[Value, None]] = {}  # source box → its nodes used here
        for o in outputs:
            for u in jac[o]:
                sources.setdefault(self.ids[u], {})[u] = None
        hot = {self.ids[p] for v, k in self.plan.hl_edges if v in members
               for p in [v.edges()[k][0]] if p not in members and p not in self.plan.hidden}
        for sid, us in sources.items():
            rows = [o for o in outputs if any(u in jac[o] for u in us)]
            if len(rows) == 1 and len(us) == 1:
                [o], [u] = rows, us
                text = self.edge_label(jac[o][u], o.grad)
            else:
                text = f"∂ {len(rows)}×{len(us)}"
            self.g.edge(sid, gid, _label(_text(text)), id=f"{gid}-from-{sid}",
                        **_edge_style(sid in hot))

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
