"""A model's drawing grouped by layer and neuron, the layers as columns.

Graphviz ranks a weight just before the Σwx+b it feeds, which is the rank of
the previous layer's outputs, so two layers' clusters share a rank and are
stacked diagonally, and an edge from the previous layer into a neuron has to
cross the neuron's column of weights, which Graphviz only routes around the
cluster.  Three things make the layers columns, left to right:

- `newrank` and an invisible point after each layer's outputs (after the
  inputs for layer 1), with every weight of the next layer after it: each
  layer gets ranks of its own, so the clusters stand side by side;
- an edge from outside a neuron into its Σwx+b is drawn in two parts,
  through a small point inside the neuron's cluster in the weights' column
  (its label, the local derivative, sits on the inner part, next to the Σ);
- the weights and those points are chained in the Σ's argument order.

A batch (the model run once per sample) keeps Graphviz's own ranking: its
samples' clusters nest three deep around shared weights, which `newrank`
lays out overlapping.

This is part of the DOT writer (`draw_dot.Builder` mixes it in).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING

from . import ops
from .draw_network import Use
from .value import Value

if TYPE_CHECKING:
    import graphviz


class ClusterLayout:
    """The clustered layout of `draw(model=…)`, for `draw_dot.Builder`."""

    def clusters(self) -> None:
        """Every node of a neuron's use in a cluster, inside its layer's (and,
        in a batch, its sample's).  A parameter sits with its neuron when the
        model runs once; in a batch every sample reads it, so it is drawn once,
        in its layer's cluster of shared parameters.  A bias that all the
        neurons of a layer share is no one neuron's: it sits in the layer's
        cluster, outside its neurons'."""
        net = self.plan.net
        if not self.several:
            self.g.attr(newrank="true")  # rank constraints across clusters: the columns
        uses: dict[Use, list[Value]] = {}
        shared: dict[tuple[int, int], list[Value]] = {}  # (layer, neuron); neuron 0: the layer's
        layer_wide: dict[tuple[int, int], list[Value]] = {}  # (pass, layer) → its shared bias
        for v in self.plan.forward:
            readers = net.readers.get(v)
            if v in net.unit:
                uses.setdefault(net.unit[v], []).append(v)
            elif readers and len({u[2] for u in readers}) > 1 and not self.several:
                layer_wide.setdefault(min(readers)[:2], []).append(v)
            elif readers and not self.several:
                uses.setdefault(min(readers), []).append(v)
            elif readers:
                layer, j = min(readers)[1:]
                shared.setdefault((layer, j if len({u[2] for u in readers}) == 1 else 0),
                                  []).append(v)
            else:
                self.value(self.g, v)
        for layer in sorted({l for l, _ in shared}):
            with self.g.subgraph(name=f"cluster_shared_L{layer}") as lg:
                self.cluster_style(lg, f"shared · layer {layer}", "dashed")
                for v in shared.get((layer, 0), ()):
                    self.value(lg, v)
                for l, j in sorted(k for k in shared if k[0] == layer and k[1]):
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
                                self.neuron(ng, uses[use])
                        for v in layer_wide.get((s, layer), ()):
                            self.value(lg, v)
                    zs = [self.ids[z] for use in layer_uses for z in uses[use]
                          if z.op is not None and z.op.base is ops.LINEAR]
                    self.keep_order(f"{prefix}L{layer}", [f"{z}-op" for z in zs], grouped=True)
                    samples[s] = zs[0]
        if self.several:  # not grouped: a node has one group, and each Σwx+b has its layer's
            self.keep_order("samples", [samples[s] for s in sorted(samples)], grouped=False)
        else:
            self.columns(uses, layer_wide)

    def neuron(self, graph: graphviz.Digraph, members: list[Value]) -> None:
        """One use of a neuron: its cards, and a point inside it for each
        edge into its Σwx+b from outside (the inputs, the previous layer),
        with the weights and points chained in the Σ's argument order
        (w1, x1, w2, x2, …, b)."""
        inside = set(members)
        z = next((v for v in members if v.op is not None and v.op.base is ops.LINEAR), None)
        feeds: list = []  # Σ's argument nodes in this cluster, in argument order
        if z is not None:
            k = 0
            for a in z.args:
                if not isinstance(a, Value):
                    continue
                if a not in inside and not self.several:
                    self.relayed[z, k] = f"{self.ids[z]}-e{k}-via"
                    feeds.append(self.relayed[z, k])
                elif a in inside and a.is_leaf:
                    feeds.append(self.ids[a])
                k += 1
        for v in self.inner(members):
            self.value(graph, v, inside=True)
        for point in feeds:
            if point.endswith("-via"):
                graph.node(point, "", id=point, shape="point", width="0.03", height="0.03",
                           color=self.edge_color, **{"class": "via"})
        feeds = list(dict.fromkeys(feeds))[::-1]  # a chain a → b comes out b first, here
        if len(feeds) > 1:
            with graph.subgraph() as column:
                column.attr(rank="same")
                for a, b in zip(feeds, feeds[1:]):
                    column.edge(a, b, style="invis")

    def columns(self, uses: dict[Use, list[Value]],
                layer_wide: dict[tuple[int, int], list[Value]]) -> None:
        """Each layer in ranks of its own, the inputs before layer 1: an
        invisible point after the previous layer's outputs (or the inputs),
        and every weight of the layer after it.  The edges have no weight:
        they order the columns and pull nothing out of place."""
        net = self.plan.net
        weights: dict[int, list[Value]] = {}
        outputs: dict[int, list[Value]] = {}
        for use, vs in uses.items():
            weights.setdefault(use[1], []).extend(v for v in vs if v in net.readers)
            outputs.setdefault(use[1], []).append(net.output[use])
        for (_, layer), vs in layer_wide.items():
            weights.setdefault(layer, []).extend(vs)
        inputs = [v for v in self.plan.forward if v.is_leaf and v not in net.readers
                  and any(c in net.unit for c in self.consumers.get(v, ()))]
        first = min(weights, default=None)
        for layer in sorted(weights):
            before = inputs if layer == first else outputs.get(layer - 1, [])
            if not before or not weights[layer]:
                continue
            point = f"L{layer}-column"
            self.g.node(point, "", id=point, shape="point", style="invis", width="0.01",
                        height="0.01", **{"class": "order"})
            for v in before:
                self.g.edge(self.ids[v], point, style="invis", weight="0")
            for v in weights[layer]:
                self.g.edge(point, self.ids[v], style="invis", weight="0")

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

    def cluster_style(self, g: graphviz.Digraph, title: str, style: str) -> None:
        color = {"dashed": "#9ca3af", "rounded": "#c4b5fd", "bold": "#7c3aed"}[style]
        g.attr(label=self.text_label(title), style=style, color=color, fontcolor="#4b5563",
               fontsize="10" if style == "rounded" else "11")
