"""Draw a computation graph with every number of the chain rule on it.

A value is a card (name, data, grad); an op is a small oval with its symbol
from the op table; every edge from an input to an op carries the local
derivative stored on that edge, and optionally its contribution
(local × the consumer's grad), which is exactly one term of the input's
gradient.  Plain-number arguments (the 2 in `x * 2`) appear as small grey
numbers so the picture reads like the formula.

Roles are coloured: inputs and constants (leaves), parameters (given by
`params=` or `model=`: a graph cannot tell a weight from an input, so we are
told rather than guess from labels), intermediates, and the output.  With a
model from `nn`, nodes are grouped by layer and neuron, or collapsed into one
box per neuron or layer.  A model run once per sample of a batch gets one set
of clusters (or boxes) per sample; the parameters every sample reads are
drawn once, outside them.

Labels are record fields, not HTML tables: the in-process Graphviz has no
HTML-label support.  Every piece of user text goes through `_text`/`_field`,
so no label can end a string, open a record field or inject SVG markup.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import ops
from .naming import node_names
from .render import render
from .steps import DIGITS, check_digits, factor, format_number
from .value import Value, forward_order

if TYPE_CHECKING:  # imported when a graph is built: `import autograd` needs no graphviz
    import graphviz

DEFAULT_MAX_NODES = 300
"""Above this many value boxes a drawing is a hairball: we refuse and point
to `collapse=` (or an explicit larger `max_nodes`)."""

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
# MLP names "L2.n1.w3", Layer names "n1.w3", Neuron names "w3" (and "…b")
_PARAM_NAME = re.compile(r"(?:L(\d+)\.)?(?:n(\d+)\.)?(?:w\d+|b)")
_RANKDIRS = ("LR", "TB", "RL", "BT")
_COLLAPSE = (None, "neuron", "layer")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class GraphTooLargeError(ValueError):
    """The graph has more value boxes than `max_nodes`: too many to read."""


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


# -- the drawing ---------------------------------------------------------------

@dataclass
class Drawing:
    """A drawn graph: `.digraph` to tweak, `.source` (DOT), `.to_svg()`,
    `.save(path)`; Jupyter shows it inline through `_repr_svg_`.

    `ids` maps every drawn Value to the DOT/SVG id of the box that shows it
    (its own card, or its neuron's or layer's box when collapsed).  A
    parameter that several samples' boxes read is inside all of them, so a
    collapsed view draws it nowhere and `ids` leaves it out.
    """

    digraph: graphviz.Digraph
    ids: dict[Value, str]
    _svg: tuple[str, str] | None = field(default=None, repr=False)

    @property
    def source(self) -> str:
        return self.digraph.source

    def to_svg(self) -> str:
        source = self.source
        if self._svg is None or self._svg[0] != source:
            self._svg = (source, render(source, "svg").decode("utf-8"))
        return self._svg[1]

    def save(self, path: str | Path) -> Path:
        """Write `.svg`, `.png` or `.dot` (`.gv`), chosen by the suffix."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(self.to_svg(), encoding="utf-8")
        elif suffix == ".png":
            path.write_bytes(render(self.source, "png"))
        elif suffix in (".dot", ".gv"):
            path.write_text(self.source, encoding="utf-8")
        else:
            raise ValueError(f"cannot save a drawing as {path.name!r}: the suffix must be "
                             f".svg, .png or .dot (or .gv)")
        return path

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def __repr__(self) -> str:
        return f"<Drawing: {len(set(self.ids.values()))} value boxes; .to_svg(), .save(path)>"


def draw(root: Value, *, rankdir: str = "LR", highlight: Value | None = None,
         highlight_edges: Iterable[tuple[Value, int]] = (), show_contributions: bool = False,
         model=None, params: Iterable[Value] = (), collapse: str | None = None,
         max_nodes: int = DEFAULT_MAX_NODES, digits: int = DIGITS) -> Drawing:
    """Draw the graph that `root` was computed from.

    - `rankdir`: "LR" (inputs on the left, the default) or "TB" (top down).
    - `highlight`: a node; every edge on a path from `root` down to it is
      emphasised: the terms of its chain-rule sum.
    - `highlight_edges`: `(node, k)` pairs, the k-th entry of `node.edges()`
      (one step of the backward trace).
    - `show_contributions`: each edge also shows local × upstream grad, the
      term it adds to its input's grad (needs `backward()` first).
    - `model`: an `nn` model; its parameters are coloured as parameters and
      nodes are clustered by layer and neuron (and by sample when the model
      runs several times, as in a batch).  `params`: more parameters, for
      graphs built by hand.
    - `collapse`: "neuron" or "layer" (needs `model`): one box per neuron or
      layer (per sample); edges into a box carry the derivative of its
      output across it.
    - `max_nodes`: the most value boxes drawn before `GraphTooLargeError`.
    - `digits`: decimals of every number shown, as in the backward trace
      (`steps.format_number`: significant figures for tiny or huge ones).
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw needs a Value as root, got {type(root).__name__}")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(_RANKDIRS)}, got {rankdir!r}")
    if collapse not in _COLLAPSE:
        raise ValueError(f"collapse must be None, 'neuron' or 'layer', got {collapse!r}")
    if collapse is not None and model is None:
        raise ValueError(f"collapse={collapse!r} needs model= (the network whose neurons "
                         f"to collapse)")
    check_digits(digits)
    if type(max_nodes) is not int or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    order = forward_order(root)  # x1 before x2: Graphviz keeps this order in a rank
    in_graph = set(order)
    param_names = _model_params(model) if model is not None else {}
    parameters = set(param_names)
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"params must be Values, got {type(p).__name__}")
        parameters.add(p)
    consumers = _consumers(order)
    net = _network(order, consumers, param_names) if model is not None else None
    groups: dict[Value, tuple[int, ...]] = {}
    hidden: set[Value] = set()
    if collapse is not None:
        groups, hidden = _collapsed(net, consumers, collapse)
    boxes = len(order) - len(hidden) - len(groups) + len(set(groups.values()))
    if boxes > max_nodes:
        hint = ("pass collapse='neuron' or collapse='layer'" if collapse is None and model is not None
                else "pass model=… with collapse='neuron' or 'layer'" if collapse is None
                else "collapse='layer' is coarser" if collapse == "neuron"
                else "draw a smaller part of the graph")
        raise GraphTooLargeError(
            f"the graph has {boxes} value boxes, more than max_nodes={max_nodes} can show "
            f"readably: {hint}, or raise max_nodes to draw it anyway")
    if show_contributions and root.grad is None:
        raise ValueError("show_contributions needs gradients: call root.backward() first")
    hl_nodes, hl_edges = _highlights(order, in_graph, highlight, highlight_edges)
    return _Builder(root, order, rankdir, parameters, param_names, net, groups, hidden,
                    hl_nodes, hl_edges, show_contributions, digits).build()


def repr_svg(root: Value, **options) -> str | None:
    """SVG for showing a Value (or a step) in Jupyter, or None (plain repr)
    when its graph is too large to draw readably."""
    try:
        return draw(root, **options).to_svg()
    except GraphTooLargeError:
        return None


# -- what to draw --------------------------------------------------------------

def _model_params(model) -> dict[Value, str]:
    """Parameter → its name in `model.named_parameters()`, names checked."""
    if not callable(getattr(model, "named_parameters", None)):
        raise TypeError(f"model must have named_parameters() (an nn model), "
                        f"got {type(model).__name__}")
    names: dict[Value, str] = {}
    for item in model.named_parameters():
        name, p = item
        if not isinstance(p, Value):
            raise TypeError(f"model.named_parameters() gave {name!r} = {p!r}, not a Value")
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise ValueError(f"model.named_parameters() gave the name {name!r}: expected "
                             f"'L<layer>.n<neuron>.w<input>' or 'L<layer>.n<neuron>.b' "
                             f"(or 'n<neuron>.…' for a layer, 'w<input>'/'b' for a neuron)")
        names[p] = name
    return names


_Use = tuple[int, int, int]
"""One use of a neuron: (pass, layer, neuron), all 1-based."""


@dataclass
class _Network:
    """Where a model's neurons are in one graph.

    A model can run several times in one graph (a batch: one forward pass per
    sample, every pass reading the same parameters), so a neuron has one *use*
    per pass: its own `linear` node z and activation.  Passes are numbered in
    forward order, so the first sample of a batch is pass 1.
    """

    passes: int
    unit: dict[Value, _Use]  # z, activation, output k of a softmax → its use
    output: dict[_Use, Value]  # each use's output: its activation, else its z
    readers: dict[Value, set[_Use]]  # parameter → the uses that read it


def _consumers(order: list[Value]) -> dict[Value, list[Value]]:
    """Node → the nodes that read it, each once, in forward order."""
    out: dict[Value, list[Value]] = {}
    for v in order:
        for p in dict.fromkeys(v.parents):
            out.setdefault(p, []).append(v)
    return out


def _network(order: list[Value], consumers: dict[Value, list[Value]],
             param_names: dict[Value, str]) -> _Network:
    """Find each neuron's uses and gather them into passes.

    A use is a `linear` node whose parameter parents are all one neuron's,
    plus the one node applied to it alone (its activation) or output k of a
    layer-wide op over its layer's z's (softmax).  Two uses belong to the same
    pass when data flows from one layer to the next (layer l reads layer
    l − 1's outputs), when they sit under one layer-wide op, or when neurons
    of one layer read the very same inputs (the first layer, whose inputs may
    be plain numbers); never when that would run one neuron twice in a pass.
    """
    neuron_of = {p: _neuron_key(name) for p, name in param_names.items()}
    zs: dict[Value, tuple[int, int]] = {}  # each use's z → its neuron (layer, index)
    out: dict[Value, Value] = {}  # z → the use's output
    for v in order:
        if v.op is None or v.op.base is not ops.LINEAR:  # a variant too: linear(w, [0.3])
            continue
        keys = {neuron_of[p] for p in v.parents if p in neuron_of}
        if len(keys) == 1:
            zs[v] = keys.pop()
            users = consumers.get(v, ())
            out[v] = users[0] if len(users) == 1 and _is_activation(users[0], v) else v
    layerwide = []
    for v in order:
        k = v.op.index if v.op is not None else None
        if (k is not None and k < len(v.parents) and all(p in zs for p in v.parents)
                and len({zs[p][0] for p in v.parents}) == 1 and out[v.parents[k]] is v.parents[k]):
            out[v.parents[k]] = v
            layerwide.append(v)

    root = {z: z for z in zs}  # union-find over uses: a root stands for a pass
    neurons = {z: {zs[z]} for z in zs}  # at a root: the neurons its pass runs

    def find(z: Value) -> Value:
        while root[z] is not z:
            root[z] = root[root[z]]
            z = root[z]
        return z

    def join(a: Value, b: Value) -> None:
        a, b = find(a), find(b)
        if a is not b and not neurons[a] & neurons[b]:
            root[b] = a
            neurons[a] |= neurons.pop(b)

    for v in layerwide:
        for p in v.parents:
            join(v.parents[0], p)
    home = {o: z for z, o in out.items()}  # a use's output → its z
    for z, (layer, _) in zs.items():
        for p in z.parents:
            if p in home and zs[home[p]][0] == layer - 1:
                join(home[p], z)
    same_inputs: dict[tuple, list[Value]] = {}
    for z, (layer, _) in zs.items():
        inputs = tuple(("value", id(a)) if isinstance(a, Value) else ("number", a)
                       for a in z.args if not (isinstance(a, Value) and a in neuron_of))
        same_inputs.setdefault((layer, inputs), []).append(z)
    for group in same_inputs.values():
        for i, z in enumerate(group):
            for earlier in group[:i]:
                join(earlier, z)

    number: dict[Value, int] = {}
    net = _Network(0, {}, {}, {})
    for z, (layer, j) in zs.items():  # forward order: pass 1 comes first
        use = (number.setdefault(find(z), len(number) + 1), layer, j)
        net.unit[z] = net.unit[out[z]] = use
        net.output[use] = out[z]
        for p in z.parents:
            if p in neuron_of:
                net.readers.setdefault(p, set()).add(use)
    net.passes = len(number)
    return net


def _neuron_key(name: str) -> tuple[int, int]:
    m = _PARAM_NAME.fullmatch(name)
    return int(m.group(1) or 1), int(m.group(2) or 1)


def _is_activation(a: Value, z: Value) -> bool:
    """A function of z alone (σ, tanh, ReLU, …); leaky ReLU's other argument
    is its slope, a hyperparameter, so it counts too."""
    return a.parents == (z,) and (len(a.args) == 1 or a.op.base is ops.LEAKY_RELU)


def _collapsed(net: _Network, consumers: dict[Value, list[Value]],
               collapse: str) -> tuple[dict[Value, tuple[int, ...]], set[Value]]:
    """(node → its box, hidden parameters) for a collapsed view.

    A box is a use (pass, layer, neuron) or a pass's layer (pass, layer).  A
    parameter read only inside one box goes into it; one read by several
    boxes (the same weight in every sample's pass) is hidden like the inside
    of a box; one also read outside the boxes stays a card of its own.
    """
    def box(use: _Use) -> tuple[int, ...]:
        return use if collapse == "neuron" else use[:2]

    groups = {v: box(use) for v, use in net.unit.items()}
    hidden: set[Value] = set()
    for p, uses in net.readers.items():
        if all(c in net.unit for c in consumers[p]):
            boxes = {box(use) for use in uses}
            if len(boxes) == 1:
                groups[p] = boxes.pop()
            else:
                hidden.add(p)
    return groups, hidden


def _highlights(order, in_graph, highlight, highlight_edges):
    """(nodes, edges) to emphasise; an edge is (node, k) with k indexing node.edges()."""
    nodes: set[Value] = set()
    edges: set[tuple[Value, int]] = set()
    if highlight is not None:
        if not isinstance(highlight, Value):
            raise TypeError(f"highlight must be a Value, got {type(highlight).__name__}")
        if highlight not in in_graph:
            raise ValueError(f"highlight={highlight!r} is not in the graph of this root")
        reaches = {highlight}  # nodes with a path down to the highlighted one
        for v in order:  # parents before consumers
            for k, (p, _, _) in enumerate(v.edges()):
                if p in reaches:
                    reaches.add(v)
                    edges.add((v, k))
        nodes |= reaches
    for item in highlight_edges:
        try:
            v, k = item
        except (TypeError, ValueError):
            raise TypeError(f"highlight_edges entries must be (node, k) pairs, got {item!r}") from None
        if not isinstance(v, Value) or v not in in_graph:
            raise ValueError(f"highlight_edges: {v!r} is not a node of this graph")
        n = len(v.edges())
        if type(k) is not int or not 0 <= k < n:
            raise ValueError(f"highlight_edges: {v!r} has {n} edges, so k must be in "
                             f"0..{n - 1}, got {k!r}")
        edges.add((v, k))
        nodes.add(v)
        nodes.add(v.edges()[k][0])
    return nodes, edges


# -- building the DOT graph ----------------------------------------------------

def _edge_style(highlighted: bool) -> dict[str, str]:
    if highlighted:
        return {"penwidth": "2.5", "color": _HIGHLIGHT, "fontcolor": _HIGHLIGHT,
                "class": "local highlight"}
    return {"class": "local"}


class _Builder:
    def __init__(self, root, forward, rankdir, parameters, param_names, net, groups, hidden,
                 hl_nodes, hl_edges, show_contributions, digits):
        self.root, self.rankdir = root, rankdir
        self.parameters, self.param_names, self.net = parameters, param_names, net
        self.groups, self.hidden = groups, hidden
        self.hl_nodes, self.hl_edges = hl_nodes, hl_edges
        self.hot_ops = {v for v, _ in hl_edges}  # nodes whose op has a highlighted input
        self.contributions, self.digits = show_contributions, digits
        self.names = node_names(root, forward)
        # a neuron is called as its parameters' names say: "L1.n2" in an MLP
        self.unit_names = {_neuron_key(n): n.rpartition(".")[0] or "neuron"
                           for n in param_names.values()}
        self.several = net is not None and net.passes > 1  # a batch: passes are named
        self.index = {v: i for i, v in enumerate(forward)}
        self.forward = forward
        self.ids = {v: f"v{i}" for i, v in enumerate(forward) if v not in hidden}
        for v, key in groups.items():
            self.ids[v] = self.box_id(key)
        from graphviz import Digraph
        self.g = Digraph(
            "handgrad",
            graph_attr={"rankdir": rankdir, "fontname": _FONT, "nodesep": "0.25",
                        "ranksep": "0.35", "bgcolor": "white"},
            node_attr={"fontname": _FONT, "fontsize": "11"},
            edge_attr={"fontname": _FONT, "fontsize": "9", "color": _EDGE, "arrowsize": "0.6",
                       "fontcolor": "#374151"})

    def num(self, x: float) -> str:
        """`x` as the backward trace prints it, but a rounded value keeps its
        trailing zeros (σ(0.12) shows as 0.5300): on a card there is no room
        to say "≈"."""
        return format_number(x, self.digits, keep_zeros=True)

    def box_id(self, key: tuple[int, ...]) -> str:
        """The id of a collapsed box: g2_1 for neuron L2.n1, g2 for layer 2;
        in a batch the sample comes first: s3_g2_1."""
        s, *rest = key
        return (f"s{s}_" if self.several else "") + "g" + "_".join(map(str, rest))

    def sample(self, s: int) -> str:
        return f"sample {s} · " if self.several else ""

    def build(self) -> Drawing:
        if self.net is not None and not self.groups:
            self.clusters()
        else:
            for v in self.forward:
                if v not in self.groups and v not in self.hidden:
                    self.value(self.g, v)
        if self.groups:
            self.collapsed_boxes()
        for v in self.forward:
            if v not in self.groups and v not in self.hidden:
                self.inputs(v)
        return Drawing(self.g, self.ids)

    def clusters(self) -> None:
        """Every node of a neuron's use in a cluster, inside its layer's (and,
        in a batch, its sample's).  A parameter sits with its neuron when the
        model runs once; in a batch every sample reads it, so it is drawn once,
        in its layer's cluster of shared parameters."""
        net = self.net
        uses: dict[_Use, list[Value]] = {}
        shared: dict[tuple[int, int], list[Value]] = {}
        for v in self.forward:
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
        return items[::-1] if self.rankdir in ("LR", "RL") else list(items)

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
        if v is self.root:
            return "output"
        if v.is_leaf:
            return "parameter" if v in self.parameters else "input"
        return "intermediate"

    def card(self, title: str, lines: list[str]) -> str:
        fields = "|".join(_field(s) for s in [title, *lines])
        return fields if self.rankdir in ("LR", "RL") else "{" + fields + "}"

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
        attrs = self.box_attrs(role, v in self.hl_nodes)
        # The tooltip holds no user text: Graphviz versions disagree on how
        # escapes in tooltips are read, so only checked names go there.
        tooltip = f"{role} {self.param_names[v]}" if v in self.param_names else role
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
        if self.contributions and upstream is not None:
            text += f"\n× {factor(self.num(upstream))} = {self.num(local * upstream)}"
        return text

    def inputs(self, v: Value) -> None:
        """The edges from v's inputs into its op node, one per entry of v.edges()."""
        vid = self.ids[v]
        for k, (p, local, _) in enumerate(v.edges()):
            self.g.edge(self.ids[p], f"{vid}-op", _label(_text(self.edge_label(local, v.grad))),
                        id=f"{vid}-e{k}", **_edge_style((v, k) in self.hl_edges))

    # -- collapsed view: one box per neuron or layer ---------------------------

    def collapsed_boxes(self) -> None:
        members: dict[tuple[int, ...], list[Value]] = {}
        for v in self.forward:
            if v in self.groups:
                members.setdefault(self.groups[v], []).append(v)
        box_outputs: dict[tuple[int, ...], list[Value]] = {}
        for use, o in sorted(self.net.output.items()):
            box_outputs.setdefault(self.groups[o], []).append(o)
        for key, vs in sorted(members.items()):
            outputs = box_outputs[key]
            gid = self.box_id(key)
            role = "output" if self.root in vs else ("neuron" if len(key) == 3 else "layer")
            hot = any(v in self.hl_nodes for v in vs)
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
        hot = {self.ids[p] for v, k in self.hl_edges if v in members
               for p in [v.edges()[k][0]] if p not in members and p not in self.hidden}
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
                if p in self.hidden:  # a weight every sample reads: not drawn
                    continue
                target = adjoint if p in members else outside
                target[p] = target.get(p, 0.0) + local * g
        return outside
