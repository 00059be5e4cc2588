"""Drawing networks: clusters per layer and neuron, collapsed views, the
size limit.  Networks are built by hand following the nn contract (one
`linear` node per z, one activation node on top, parameters named
"L{l}.n{j}.w{i}" / "L{l}.n{j}.b"), plus nn's own MLP for the same checks.
"""

import math
import random
import re

import pytest

import autograd
from autograd import Value
from autograd.draw import GraphTooLargeError, draw
from nn import MLP, half_sse
from test_draw import SVG, close, groups, parse, texts

pytestmark = pytest.mark.usefixtures("in_process_graphviz")


class HandModel:
    """The smallest thing `draw(model=…)` needs: named_parameters()."""

    def __init__(self, named):
        self.named = named

    def named_parameters(self):
        return list(self.named)


def hand_mlp(xs, sizes, seed=0):
    """An MLP built from autograd ops, tanh hidden layers, linear output.

    Returns (output, model, neurons, W) where neurons[(l, j)] = (params, z, a)
    and W[l][j] = (weights as floats, bias as float): plain numbers to compute
    the expected derivatives with math.
    """
    rng = random.Random(seed)
    named, neurons, W = [], {}, {}
    inputs = xs
    for l, nout in enumerate(sizes, 1):
        outs = []
        for j in range(1, nout + 1):
            ws = [rng.uniform(-1, 1) for _ in inputs]
            b = rng.uniform(-0.5, 0.5)
            W[l, j] = (ws, b)
            wv = [Value(w, f"L{l}.n{j}.w{i}") for i, w in enumerate(ws, 1)]
            bv = Value(b, f"L{l}.n{j}.b")
            named += [(p.label, p) for p in [*wv, bv]]
            z = autograd.linear(wv, inputs, bv)
            a = z.tanh() if l < len(sizes) else z
            neurons[l, j] = ([*wv, bv], z, a)
            outs.append(a)
        inputs = outs
    return inputs[0], HandModel(named), neurons, W


def forward_floats(x, sizes, W):
    """Each neuron's activation, computed with math from the same weights."""
    act, out = list(x), {}
    for l, nout in enumerate(sizes, 1):
        nxt = []
        for j in range(1, nout + 1):
            ws, b = W[l, j]
            z = sum(w * a for w, a in zip(ws, act)) + b
            out[l, j] = math.tanh(z) if l < len(sizes) else z
            nxt.append(out[l, j])
        act = nxt
    return out


X = [0.5, -1.0, 0.25, 2.0]
SIZES = [5, 6, 1]  # seed 000's Q1/Q2 network: MLP(4, [5, 6, 1]), 68 parameters


@pytest.fixture(scope="module")
def net():
    xs = [Value(v, f"x{i}") for i, v in enumerate(X, 1)]
    y, model, neurons, W = hand_mlp(xs, SIZES)
    loss = ((y - 1.0) ** 2).named("L")
    loss.backward()
    return loss, xs, model, neurons, W


def bbox(g):
    """The box around a node's or cluster's outline (polygons, paths, ellipses)."""
    pts = []
    for e in g.iter():
        if e.tag in (f"{SVG}polygon", f"{SVG}path"):
            s = e.get("points") or e.get("d")
            pts += [tuple(map(float, m)) for m in re.findall(r"(-?[\d.]+),(-?[\d.]+)", s)]
        elif e.tag == f"{SVG}ellipse":
            x, y, rx, ry = (float(e.get(k)) for k in ("cx", "cy", "rx", "ry"))
            pts += [(x - rx, y - ry), (x + rx, y + ry)]
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    return min(xs), min(ys), max(xs), max(ys)


def inside(inner, outer):
    return (outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3])


def test_sixty_eight_parameters(net):
    assert len(net[2].named_parameters()) == 68  # seed 000, Q2


def test_clusters_hold_their_neurons(net):
    loss, xs, model, neurons, W = net
    d = draw(loss, model=model)
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    clusters = {"".join(g.find(f"{SVG}title").itertext()): bbox(g)
                for g in groups(tree, "cluster").values()}
    assert set(clusters) == ({f"cluster_L{l}" for l in (1, 2, 3)}
                             | {f"cluster_L{l}_n{j}" for l, j in neurons})
    for (l, j), (params, z, a) in neurons.items():
        box = clusters[f"cluster_L{l}_n{j}"]
        for v in {*params, z, a}:
            assert inside(bbox(nodes[d.ids[v]]), box), (l, j, v)
        assert inside(bbox(nodes[d.ids[z] + "-op"]), box)
        assert inside(box, clusters[f"cluster_L{l}"])
        for x in xs:
            assert not inside(bbox(nodes[d.ids[x]]), box)
    # parameters are coloured as such, inputs are not
    assert {v for v, vid in d.ids.items() if vid in groups(tree, "parameter")} == {
        p for _, p in model.named_parameters()}


def test_collapse_neuron(net):
    loss, xs, model, neurons, W = net
    d = draw(loss, model=model, collapse="neuron")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    boxes = {vid for vid, g in nodes.items() if "neuron" in g.get("class").split()}
    assert boxes == {f"g{l}_{j}" for l, j in neurons}
    assert not groups(tree, "parameter")  # inside their neurons' boxes now
    for (l, j), (params, z, a) in neurons.items():
        assert {d.ids[v] for v in (*params, z, a)} == {f"g{l}_{j}"}
    acts = forward_floats(X, SIZES, W)
    edges = groups(tree, "edge")
    into_boxes = [eid for eid in edges if re.fullmatch(r"g\d+_\d+-from-.*", eid)]
    assert len(into_boxes) == 4 * 5 + 5 * 6 + 6 * 1

    def slope(l, j):  # ∂a/∂z: tanh' = 1 − a² in hidden layers, 1 at the linear output
        return 1 - acts[l, j] ** 2 if l < len(SIZES) else 1.0

    for j in range(1, 6):  # ∂a_1j/∂x_i = tanh'(z_1j) · w_1ji
        for i, x in enumerate(xs, 1):
            [label] = texts(edges[f"g1_{j}-from-{d.ids[x]}"])
            assert close(float(label), slope(1, j) * W[1, j][0][i - 1])
    for k in range(1, 7):  # ∂a_2k/∂a_1j across neuron (2, k)
        for j in range(1, 6):
            [label] = texts(edges[f"g2_{k}-from-g1_{j}"])
            assert close(float(label), slope(2, k) * W[2, k][0][j - 1])
    for k in range(1, 7):  # the output neuron is linear: ∂y/∂a_2k = w
        [label] = texts(edges[f"g3_1-from-g2_{k}"])
        assert close(float(label), W[3, 1][0][k - 1])
    box = texts(nodes["g1_2"])
    assert box[0].startswith("L1.n2: ") and box[0].endswith(" = tanh(Σwx+b)")
    assert close(float(box[1].removeprefix("data: ")), acts[1, 2])


def test_collapse_layer(net):
    loss, xs, model, neurons, W = net
    d = draw(loss, model=model, collapse="layer")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    assert {vid for vid, g in nodes.items() if "layer" in g.get("class").split()} == {
        "g1", "g2", "g3"}
    assert texts(nodes["g2"])[0] == "layer 2: 6 neurons, tanh(Σwx+b)"
    assert texts(nodes["g3"])[0] == "layer 3: 1 neuron, Σwx+b"
    edges = groups(tree, "edge")
    for x in xs:  # each input reaches 5 neurons: a 5×1 block of the Jacobian
        assert texts(edges[f"g1-from-{d.ids[x]}"]) == ["∂ 5×1"]
    assert texts(edges["g2-from-g1"]) == ["∂ 6×5"]
    assert texts(edges["g3-from-g2"]) == ["∂ 1×6"]
    acts = forward_floats(X, SIZES, W)
    shown = texts(nodes["g1"])[1].removeprefix("data: ").split(", ")
    assert shown[-1] == "…" and len(shown) == 5  # four values, then an ellipsis
    for j, s in enumerate(shown[:4], 1):
        assert close(float(s), acts[1, j])


def test_highlight_inside_collapsed_view(net):
    loss, xs, model, neurons, W = net
    w = neurons[2, 3][0][0]  # a weight of neuron L2.n3: one path to the loss
    d = draw(loss, model=model, collapse="neuron", highlight=w)
    tree = parse(d.to_svg())
    hot = set(groups(tree, "highlight"))
    assert "g2_3" in hot and "g3_1" in hot
    assert not ({f"g{l}_{j}" for l, j in neurons} - {"g2_3", "g3_1"}) & hot
    hot_box_edges = {e for e in hot if "-from-" in e}
    assert hot_box_edges == {"g3_1-from-g2_3"}


def test_too_large(net):
    xs = [Value(0.1 * i, f"x{i}") for i in range(16)]
    y, model, neurons, W = hand_mlp(xs, [16, 16, 1], seed=1)
    loss = (y * y).named("L")
    with pytest.raises(GraphTooLargeError, match=r"(?s)\d+ value boxes.*collapse='neuron'"):
        draw(loss, model=model)
    with pytest.raises(GraphTooLargeError, match="model="):
        draw(loss)
    # the collapsed view fits: 16 inputs, 33 neuron boxes, y·y
    d = draw(loss, model=model, collapse="neuron")
    assert len({vid for vid in d.ids.values()}) == 16 + 33 + 1
    draw(loss, max_nodes=10_000)  # asked for explicitly: allowed
    with pytest.raises(GraphTooLargeError, match="collapse='layer'"):
        draw(loss, model=model, collapse="neuron", max_nodes=20)
    assert isinstance(GraphTooLargeError("x"), ValueError)


def test_model_errors(net):
    loss = net[0]
    with pytest.raises(TypeError, match="named_parameters"):
        draw(loss, model=object())
    with pytest.raises(ValueError, match="'layer1.weight'"):
        draw(loss, model=HandModel([("layer1.weight", Value(1.0))]))
    with pytest.raises(TypeError, match="not a Value"):
        draw(loss, model=HandModel([("L1.n1.w1", 0.5)]))


def test_a_model_that_is_not_in_the_graph_is_an_error(net):
    """Before, another model's parameters were silently not found: a drawing
    with no parameter coloured and no neuron grouped, as if there were none."""
    loss, model = net[0], net[2]
    other = hand_mlp([Value(0.5, "x1")], [2, 1])[1]  # the same names, other Values
    with pytest.raises(ValueError, match=r"^model=HandModel: none of its parameters \(7\) is in "
                                         r"the graph of L: pass the model this graph was "
                                         r"computed with$"):
        draw(loss, model=other)
    with pytest.raises(ValueError, match=r"^params: no Value given is in the graph of L "
                                         r"\(the first is u\)$"):
        draw(loss, params=[Value(1.0, "u")])
    # part of the graph is fine: the first hidden neuron's activation reads L1.n1's
    # weights and bias only, and is drawn with them as parameters
    params, _, a11 = net[3][1, 1]
    d = draw(a11, model=model)
    drawn_params = {v for v in d.ids if v.is_leaf and v.label.startswith("L")}
    assert drawn_params == set(params)  # L1.n1.w1 … w4 and L1.n1.b
    assert all(f"tooltip=\"parameter {p.label}\"" in d.source for p in params)  # coloured as such


# -- nn's own models ---------------------------------------------------------------

def test_nn_mlp_seed_000():
    model = MLP.from_weights([[[0.2, 0.1], [0.1, 0.2]], [[0.4, 0.1], [0.5, 0.3]]],
                             activations="sigmoid")
    model.parameter("L1.n1.w1").label = "w(0)10"  # the homework's notation
    loss = half_sse(model([0.2, 0.5]), [1.0, 0.0])
    loss.backward()
    d = draw(loss, model=model)
    tree = parse(d.to_svg())
    p = model.parameter("L1.n1.w1")
    card = groups(tree, "node")[d.ids[p]]
    assert texts(card)[0] == "w(0)10"
    assert card.find(f".//{SVG}a").get("{http://www.w3.org/1999/xlink}title") == \
        "parameter L1.n1.w1"
    titles = {"".join(g.find(f"{SVG}title").itertext()) for g in groups(tree, "cluster").values()}
    assert titles == {"cluster_L1", "cluster_L2", "cluster_L1_n1", "cluster_L1_n2",
                      "cluster_L2_n1", "cluster_L2_n2"}
    d = draw(loss, model=model, collapse="neuron")
    tree = parse(d.to_svg())
    a10 = 1 / (1 + math.exp(-0.09))
    a11 = 1 / (1 + math.exp(-0.12))
    y1 = 1 / (1 + math.exp(-(0.4 * a10 + 0.1 * a11)))
    [label] = texts(groups(tree, "edge")["g2_1-from-g1_1"])
    assert close(float(label), y1 * (1 - y1) * 0.4)  # ∂y1/∂a10 = σ'(z20)·w(1)10


def test_a_neuron_without_a_bias_is_drawn_without_b():
    """Seed 000's network has no biases: z = Σwx, which the drawing writes on
    each z's op and in each box's title; a layer with biases keeps Σwx+b."""
    model = MLP(2, [2, 1], activations=["sigmoid", None], bias=[False, True], seed=0)
    loss = half_sse(model([0.2, 0.5]), [1.0])
    tree = parse(draw(loss, model=model).to_svg())
    ops_drawn = {texts(g)[0] for g in groups(tree, "node").values() if "op" in g.get("class").split()}
    assert {o for o in ops_drawn if o.startswith("Σw")} == {"Σwx", "Σwx+b"}  # Σ: the loss
    zs = [v for v in groups(tree, "node").values() if texts(v)[:1] == ["Σwx"]]
    assert len(zs) == 2  # the two neurons of layer 1, without bias
    nodes = groups(parse(draw(loss, model=model, collapse="layer").to_svg()), "node")
    assert texts(nodes["g1"])[0] == "layer 1: 2 neurons, σ(Σwx)"
    assert texts(nodes["g2"])[0] == "layer 2: 1 neuron, Σwx+b"
    nodes = groups(parse(draw(loss, model=model, collapse="neuron").to_svg()), "node")
    assert texts(nodes["g1_2"])[0].endswith(" = σ(Σwx)")


def test_nn_softmax_layer_joins_its_neurons():
    model = MLP.from_weights([[[0.5, -0.5], [1.0, 0.25], [0.3, 0.3]], [[1, 2, 3], [-1, 0, 1]]],
                             activations=["tanh", "softmax"])
    out = model([0.2, 0.7])
    loss = (out[1] - out[0].log()).named("L")
    d = draw(loss, model=model, collapse="neuron")
    assert d.ids[out[0]] == "g2_1" and d.ids[out[1]] == "g2_2"
    tree = parse(d.to_svg())
    assert texts(groups(tree, "node")["g2_2"])[0].endswith("softmax(Σwx)")  # no biases given
    d = draw(loss, model=model, collapse="layer")
    tree = parse(d.to_svg())
    assert texts(groups(tree, "node")["g2"])[0] == "layer 2: 2 neurons, softmax(Σwx)"


# -- one-input neurons: z is a `linear` variant (a plain number as an argument) ----

def sigmoid(z):
    return 1 / (1 + math.exp(-z))


@pytest.mark.parametrize("biases", [None, [[0.1], [-0.2]]], ids=["no bias", "bias"])
def test_one_plain_input_clustered(biases):
    """x = 0.3 is a plain number, so z1 = w·0.3 (+ b) is linear with a number
    argument (an op variant): layer 1 must still be a cluster of its own."""
    model = MLP.from_weights([[[0.5]], [[2.0]]], biases, activations="sigmoid")
    y = model([0.3])
    y.backward()
    d = draw(y, model=model)
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    clusters = {"".join(g.find(f"{SVG}title").itertext()): bbox(g)
                for g in groups(tree, "cluster").values()}
    assert set(clusters) == {"cluster_L1", "cluster_L2", "cluster_L1_n1", "cluster_L2_n1"}
    [z1] = [v for v in d.ids if v.op is not None and v.op.base is autograd.OPS["linear"]
            and 0.3 in v.args]
    [a1] = [v for v in d.ids if v.parents == (z1,)]
    for v in (z1, a1, *model.layers[0].parameters()):
        assert inside(bbox(nodes[d.ids[v]]), clusters["cluster_L1_n1"]), v
    assert not inside(bbox(nodes[d.ids[y]]), clusters["cluster_L1"])
    # the plain input 0.3 is drawn as a number next to z1's Σwx (+b)
    assert [texts(g) for g in groups(tree, "number").values()] == [["0.3"]]


@pytest.mark.parametrize("biases", [None, [[0.1], [-0.2]]], ids=["no bias", "bias"])
def test_one_plain_input_collapsed(biases):
    model = MLP.from_weights([[[0.5]], [[2.0]]], biases, activations="sigmoid")
    b1, b2 = (0.0, 0.0) if biases is None else (0.1, -0.2)
    a1 = sigmoid(0.5 * 0.3 + b1)
    y_exact = sigmoid(2.0 * a1 + b2)
    y = model([0.3])
    y.backward()
    d = draw(y, model=model, collapse="neuron")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    assert {vid for vid, g in nodes.items() if {"neuron", "output"} & set(g.get("class").split())
            } == {"g1_1", "g2_1"}
    assert set(d.ids.values()) == {"g1_1", "g2_1"}  # every node is in a neuron's box
    box = texts(nodes["g1_1"])
    assert box[0].startswith("L1.n1: ") and box[0].endswith(" = σ(Σwx)" if biases is None
                                                             else " = σ(Σwx+b)")
    assert close(float(box[1].removeprefix("data: ")), a1)
    # ∂y/∂a1 across the output neuron = σ'(z2)·w2
    [label] = texts(groups(tree, "edge")["g2_1-from-g1_1"])
    assert close(float(label), y_exact * (1 - y_exact) * 2.0)
    d = draw(y, model=model, collapse="layer")
    assert set(d.ids.values()) == {"g1", "g2"}


def test_leaky_relu_neuron_collapses():
    """leaky_relu(z, slope) has the slope as a number argument (a variant of
    the op), and is still the neuron's activation."""
    model = MLP.from_weights([[[0.5], [-1.0]], [[2.0, 1.0]]], activations=["leaky_relu", None])
    y = model([0.3])
    y.backward()
    d = draw(y, model=model, collapse="neuron")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    assert set(d.ids.values()) == {"g1_1", "g1_2", "g2_1"}
    assert texts(nodes["g1_2"])[0].endswith(" = LReLU(Σwx)")  # from_weights without biases
    # z = −0.3 < 0: LReLU(z) = 0.01·z, and ∂y/∂a = w = 1 across the linear output
    assert close(float(texts(nodes["g1_2"])[1].removeprefix("data: ")), -0.003)
    [label] = texts(groups(tree, "edge")["g2_1-from-g1_2"])
    assert float(label) == 1.0
