"""Graphs a class can read, checked on the rendered SVG's geometry (issue 14):
a model's layers stand as columns left to right with the inputs before
them, constants sit beside their op, each edge label is nearest its own
edge, edges can go unlabelled, and a wide network stays compact."""

import math
import re

import pytest

from autograd import Value
from autograd.draw import draw
from nn import MLP, half_sse, mse
from seeds import tobigs_mlp
from test_draw import SVG, groups, parse, texts
from test_draw_model import bbox

pytestmark = pytest.mark.usefixtures("in_process_graphviz")


def mazur():
    """Matt Mazur's step-by-step example, a 2-2-2 sigmoid network with inputs
    i1, i2 as Values and targets 0.01, 0.99 (one bias per neuron here)."""
    model = MLP.from_weights([[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
                             biases=[[0.35, 0.35], [0.6, 0.6]], activations="sigmoid")
    xs = [Value(0.05, "i1"), Value(0.1, "i2")]
    loss = half_sse(model(xs), [0.01, 0.99]).named("E")
    loss.backward()
    return loss, model, xs


def cluster_boxes(tree):
    return {"".join(g.find(f"{SVG}title").itertext()): bbox(g)
            for g in groups(tree, "cluster").values()}


def centre(box):
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


@pytest.mark.parametrize("build", [mazur, tobigs_mlp])
def test_layers_are_columns_left_to_right(build):
    loss, model, *_ = build()
    loss.backward()
    tree = parse(draw(loss, model=model).to_svg())
    found = cluster_boxes(tree)
    l1, l2 = found["cluster_L1"], found["cluster_L2"]
    assert l1[2] < l2[0]  # layer 1 ends before layer 2 begins
    assert l1[1] < l2[3] and l2[1] < l1[3]  # side by side: their heights overlap
    loss_card = bbox(groups(tree, "output")[next(iter(groups(tree, "output")))])
    assert l2[2] < loss_card[0]  # and the loss after them


def test_inputs_stand_in_the_first_column():
    loss, model, xs = mazur()
    d = draw(loss, model=model)
    tree = parse(d.to_svg())
    layer1 = cluster_boxes(tree)["cluster_L1"]
    nodes = groups(tree, "node")
    for x in xs:
        card = bbox(nodes[d.ids[x]])
        assert card[2] < layer1[0]  # left of layer 1, not beside its weights


def test_constants_sit_beside_their_op():
    """The targets 0.01 and 0.99 of E = ½Σ(o − t)², and the exponent 2, are
    in their op's column, just below it, not in a far corner."""
    loss, model, _ = mazur()
    tree = parse(draw(loss, model=model).to_svg())
    nodes = groups(tree, "node")
    numbers = {texts(g)[0]: (vid, g) for vid, g in nodes.items() if "number" in g.get("class")}
    for shown in ("0.01", "0.99", "2", "0.5"):
        vid, g = numbers[shown]
        op = nodes[vid.rsplit("-a", 1)[0] + "-op"]
        text = g.find(f"{SVG}text")  # a number is text alone, with no outline
        (nx, ny), (ox, oy) = (float(text.get("x")), float(text.get("y"))), centre(bbox(op))
        assert abs(nx - ox) < 1 and 0 < ny - oy <= 72, (shown, nx - ox, ny - oy)  # an inch


def _curve(d: str) -> list[tuple[float, float]]:
    """Points along an SVG path of cubic Béziers (M x,y C x,y x,y x,y …)."""
    pts = [tuple(map(float, p)) for p in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for t in (k / 20 for k in range(1, 21)):
            out.append(tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c
                             + t ** 3 * e for a, b, c, e in zip(p0, p1, p2, p3)))
    return out


@pytest.mark.parametrize("model_view", [True, False])
def test_each_label_is_nearest_its_own_edge(model_view):
    """Every local derivative written on the drawing is closer to its own
    edge than to any other edge, so it can be attributed by eye."""
    loss, model, _ = mazur()
    tree = parse(draw(loss, **({"model": model} if model_view else {})).to_svg())
    edges = {}
    for eid, g in groups(tree, "edge").items():
        path = g.find(f"{SVG}path")
        if path is not None and "local" in g.get("class"):
            edges[eid] = (_curve(path.get("d")), g.findall(f"{SVG}text"))
    assert len([e for e, (_, labels) in edges.items() if labels]) >= 20
    for eid, (_, labels) in edges.items():
        for label in labels:
            x, y = float(label.get("x")), float(label.get("y")) - 3  # the text's middle

            def distance(curve):
                return min(math.dist((x, y), p) for p in curve)

            own = distance(edges[eid][0])
            nearest = min(distance(c) for other, (c, _) in edges.items() if other != eid)
            assert own < nearest, (eid, label.text, own, nearest)


def test_edge_labels_can_be_left_out():
    loss, model, _ = mazur()
    tree = parse(draw(loss, model=model, edge_labels=False).to_svg())
    assert not [texts(g) for g in groups(tree, "edge").values() if texts(g)]
    with pytest.raises(ValueError, match="needs edge_labels=True"):
        draw(loss, show_contributions=True, edge_labels=False)
    with pytest.raises(TypeError, match="edge_labels must be True or False"):
        draw(loss, edge_labels="no")


def test_a_wide_network_by_neuron_is_compact_and_by_layer_one_row():
    """MLP(2, [16, 16, 1]): by neuron, the 16 × 16 connections are thin
    unlabelled lines and the 33 boxes stand in three columns about as tall
    as 16 boxes (it was 11585 px tall, 12 times that: 256 labels stacked);
    by layer it is one row."""
    model = MLP(2, [16, 16, 1], seed=1337)
    loss = mse([model([0.5, -1.0])], [1.0]).named("L")
    loss.backward()
    tree = parse(draw(loss, model=model, collapse="neuron").to_svg())
    boxes = {vid: bbox(g) for vid, g in groups(tree, "node").items()
             if re.fullmatch(r"g\d+_\d+", vid)}
    assert len(boxes) == 33
    mesh = [g for eid, g in groups(tree, "edge").items() if re.fullmatch(r"g2_\d+-from-g1_\d+", eid)]
    assert len(mesh) == 256 and not any(texts(g) for g in mesh)
    tallest_column = max(sum(b[3] - b[1] for v, b in boxes.items() if v.startswith(f"g{l}_"))
                         for l in (1, 2))
    height = float(tree.get("height").rstrip("pt"))
    assert height < 2 * tallest_column
    row = parse(draw(loss, model=model, collapse="layer").to_svg())
    layers = [bbox(g) for vid, g in groups(row, "node").items() if re.fullmatch(r"g\d", vid)]
    assert len(layers) == 3 and max(b[1] for b in layers) < min(b[3] for b in layers)
