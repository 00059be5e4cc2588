"""Draw a computation graph with every number of the chain rule on it.

`draw(root)` shows each value as a card (name, data, grad), each op as an
oval with its symbol from the op table, and on every edge the local
derivative stored there (optionally its contribution, local × the
consumer's grad: one term of the input's gradient).  Parameters are given
by `params=` or `model=` (a graph cannot tell a weight from an input, so we
are told rather than guess from labels).  With a model from `nn`, nodes are
grouped by layer and neuron, or collapsed into one box per neuron or layer;
a model run once per sample of a batch gets one set of clusters (or boxes)
per sample, and the parameters every sample reads are drawn once, outside.

This module checks the options and decides what to show (a `Plan`);
`draw_network` finds a model's neurons in the graph, `draw_dot` writes the
DOT text and `render` turns it into SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .draw_dot import Builder, Plan
from .draw_network import collapsed, consumers_of, find_network, model_params
from .errors import name_of
from .graph import forward_order
from .notation import DIGITS, check_digits
from .render import render
from .value import Value

if TYPE_CHECKING:  # imported when a graph is built: `import autograd` needs no graphviz
    import graphviz

DEFAULT_MAX_NODES = 300
"""Above this many value boxes a drawing is a hairball: we refuse and point
to `collapse=` (or an explicit larger `max_nodes`)."""

_RANKDIRS = ("LR", "TB", "RL", "BT")
_COLLAPSE = (None, "neuron", "layer")


class GraphTooLargeError(ValueError):
    """The graph has more value boxes than `max_nodes`: too many to read.
    `boxes` and `max_nodes` say by how much (`draw` always sets them)."""

    def __init__(self, message: str, boxes: int | None = None, max_nodes: int | None = None):
        super().__init__(message)
        self.boxes, self.max_nodes = boxes, max_nodes


@dataclass
class Drawing:
    """A drawn graph: `.digraph` to tweak, `.source` (DOT), `.to_svg()`,
    `.save(path)`; Jupyter shows it inline through `_repr_svg_`.

    `ids` maps every drawn Value to the DOT/SVG id of the box that shows it
    (its own card, or its neuron's or layer's box when collapsed).  A
    parameter that several samples' boxes read is inside all of them, so a
    collapsed view draws it nowhere and `ids` leaves it out.  `edges` maps
    each edge `(node, k)` (the k-th of `node.edges()`, one backward step) to
    the ids of the SVG elements that draw it: one, two for an edge drawn
    through a point inside a neuron's cluster, none for an edge inside a
    collapsed box.  `grad_lines` maps each box id to the Values whose
    gradients its grad line lists, and whether it lists only the first ones
    (`draw_dot.grad_line` writes it).
    """

    digraph: graphviz.Digraph
    ids: dict[Value, str]
    edges: dict[tuple[Value, int], tuple[str, ...]] = field(default_factory=dict)
    grad_lines: dict[str, tuple[list[Value], bool]] = field(default_factory=dict)
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
         edge_labels: bool = True, model=None, params: Iterable[Value] = (), collapse: str | None = None,
         max_nodes: int = DEFAULT_MAX_NODES, digits: int = DIGITS) -> Drawing:
    """Draw the graph that `root` was computed from.

    - `rankdir`: "LR" (inputs on the left, the default) or "TB" (top down).
    - `highlight`: a node; every edge on a path from `root` down to it is
      emphasised: the terms of its chain-rule sum.
    - `highlight_edges`: `(node, k)` pairs, the k-th entry of `node.edges()`
      (one step of the backward trace).
    - `show_contributions`: each edge also shows local × upstream grad, the
      term it adds to its input's grad (needs `backward()` first).
    - `edge_labels`: False draws the edges without their numbers (the
      structure alone; `explain` and `backward_steps` still give them).
    - `model`: an `nn` model; its parameters are coloured as parameters and
      nodes are clustered by layer and neuron (and by sample when the model
      runs several times, as in a batch).  `params`: more parameters, for
      graphs built by hand.  Drawing part of a model's graph is fine (y1 of
      a two-output network reads no weight of y2's neuron), so only a model
      (or `params`) none of whose parameters is in the graph is an error:
      it is another model, or the graph was computed from other weights.
    - `collapse`: "neuron" or "layer" (needs `model`): one box per neuron or
      layer (per sample); edges into a box carry the derivative of its
      output across it.  A wide fully connected network reads best by layer:
      MLP(2, [16, 16, 1]) is one row of three boxes with collapse="layer",
      while collapse="neuron" draws its 16 × 16 connections as a mesh of
      thin unlabelled lines.
    - `max_nodes`: the most value boxes drawn before `GraphTooLargeError`.
    - `digits`: decimals of every number shown, as in the backward trace
      (`notation.format_number`: significant figures for tiny or huge ones).
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
    param_names = model_params(model) if model is not None else {}
    if model is not None and in_graph.isdisjoint(param_names):
        raise ValueError(f"model={type(model).__name__}: none of its parameters "
                         f"({len(param_names)}) is in the graph of {name_of(root)}: pass the "
                         f"model this graph was computed with")
    extra = list(params)
    for p in extra:
        if not isinstance(p, Value):
            raise TypeError(f"params must be Values, got {type(p).__name__}")
    if extra and in_graph.isdisjoint(extra):
        raise ValueError(f"params: no Value given is in the graph of {name_of(root)} "
                         f"(the first is {name_of(extra[0])})")
    parameters = set(param_names) | set(extra)
    consumers = consumers_of(order)
    net = find_network(order, consumers, param_names) if model is not None else None
    groups: dict[Value, tuple[int, ...]] = {}
    hidden: set[Value] = set()
    if collapse is not None:
        groups, hidden = collapsed(net, consumers, collapse)
    boxes = len(order) - len(hidden) - len(groups) + len(set(groups.values()))
    if boxes > max_nodes:
        hint = ("pass collapse='neuron' or collapse='layer'" if collapse is None and model is not None
                else "pass model=… with collapse='neuron' or 'layer'" if collapse is None
                else "collapse='layer' is coarser" if collapse == "neuron"
                else "draw a smaller part of the graph")
        raise GraphTooLargeError(
            f"the graph has {boxes} value boxes, more than max_nodes={max_nodes} can show "
            f"readably: {hint}, or raise max_nodes to draw it anyway", boxes, max_nodes)
    if type(edge_labels) is not bool:
        raise TypeError(f"edge_labels must be True or False, got {edge_labels!r}")
    if show_contributions and not edge_labels:
        raise ValueError("show_contributions writes on the edge labels: it needs "
                         "edge_labels=True")
    if show_contributions and root.grad is None:
        raise ValueError("show_contributions needs gradients: call root.backward() first")
    hl_nodes, hl_edges = _highlights(order, in_graph, highlight, highlight_edges)
    plan = Plan(root, order, rankdir, parameters, param_names, net, groups, hidden, hl_nodes,
                hl_edges, show_contributions, edge_labels, digits)
    return Drawing(*Builder(plan).build())


def display_bundle(root: Value, text: str, **options) -> dict[str, str]:
    """How Jupyter shows a Value (or a step): the drawing of its graph, or,
    when that is too large to read, `text` (its repr) and a short note
    saying why and what to pass instead, never a silent plain repr."""
    try:
        return {"image/svg+xml": draw(root, **options).to_svg()}
    except GraphTooLargeError as e:
        return {"text/plain": (
            f"{text}\n(its graph is not drawn: {e.boxes} value boxes, more than "
            f"max_nodes={e.max_nodes} can show readably; for a network, "
            f"draw(…, model=net, collapse='neuron') or collapse='layer' draws one box per "
            f"neuron or layer; draw(…, max_nodes={e.boxes}) draws every node anyway)")}


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
