"""Drawing a model that runs once per sample (a batch), and the order of
neurons and samples on the page.

The batch is the notebook authors' report: one 1-2-1 network (σ hidden,
identity output) run on x = −1, 0, 1, L = mean((ŷ − y)²).  Every number
expected here is computed with `math` from those weights; the drawing is read
back from the rendered SVG (positions, texts, edges).
"""

import math
import re

import pytest

import autograd
from autograd import Value
from autograd.draw import draw
from nn import MLP, half_sse
from test_draw import SVG, close, groups, parse, texts
from test_draw_model import bbox, hand_mlp, inside

pytestmark = pytest.mark.usefixtures("in_process_graphviz")

W1, B1 = [1.0, 2.0], [0.0, 1.0]  # hidden neuron j: z = W1[j]·x + B1[j], a = σ(z)
W2, B2 = [1.0, 2.0], 1.0  # output: ŷ = W2·a + B2
XS, YS = [-1.0, 0.0, 1.0], [0.5, 1.0, 2.0]
PARAMS = {"L1.n1.w1": 1.0, "L1.n1.b": 0.0, "L1.n2.w1": 2.0, "L1.n2.b": 1.0,
          "L2.n1.w1": 1.0, "L2.n1.w2": 2.0, "L2.n1.b": 1.0}


def sig(z):
    return 1 / (1 + math.exp(-z))


def hidden(x):
    """[(z, a)] of the two hidden neurons for input x."""
    return [(w * x + b, sig(w * x + b)) for w, b in zip(W1, B1)]


def y_hat(x):
    return sum(w * a for w, (_, a) in zip(W2, hidden(x))) + B2


def batch(value_inputs=False):
    net = MLP.from_weights([[[W1[0]], [W1[1]]], [W2]], biases=[B1, [B2]],
                           activations=["sigmoid", "identity"])
    xs = [Value(x, f"x{k}") if value_inputs else x for k, x in enumerate(XS, 1)]
    loss = autograd.mean([(net([x]) - y) ** 2 for x, y in zip(xs, YS)]).named("L")
    loss.backward()
    return loss, net, xs


# -- reading the SVG -------------------------------------------------------------

def clusters(tree):
    """Each cluster's (bounding box, label lines), by its DOT name."""
    out = {}
    for g in groups(tree, "cluster").values():
        name = "".join(g.find(f"{SVG}title").itertext())
        out[name] = (bbox(g), texts(g))
    return out


def cards_in(tree, box):
    """The value cards (id v<n>) inside a box, as their text lines."""
    return [texts(g) for vid, g in groups(tree, "node").items()
            if re.fullmatch(r"v\d+", vid) and inside(bbox(g), box)]


def edges_from(tree, node_id):
    """(edge id, head node name, label lines) of every edge leaving node_id."""
    out = []
    for eid, g in groups(tree, "edge").items():
        tail, head = "".join(g.find(f"{SVG}title").itertext()).split("->")
        if tail == node_id:
            out.append((eid, head, texts(g)))
    return out


def data(lines):
    return float(lines[1].removeprefix("data: "))


def card_data(tree, node_id):
    return data(texts(groups(tree, "node")[node_id]))


# -- one cluster per sample ------------------------------------------------------

def test_each_sample_gets_its_own_clusters():
    loss, net, _ = batch()
    d = draw(loss, model=net)
    tree = parse(d.to_svg())
    found = clusters(tree)
    per_sample = {f"cluster_s{k}{inner}" for k in (1, 2, 3)
                  for inner in ("", "_L1", "_L2", "_L1_n1", "_L1_n2", "_L2_n1")}
    shared = {"cluster_shared_L1", "cluster_shared_L2", "cluster_shared_L1_n1",
              "cluster_shared_L1_n2", "cluster_shared_L2_n1"}
    assert set(found) == per_sample | shared
    for k, x in enumerate(XS, 1):
        assert found[f"cluster_s{k}"][1][0] == f"sample {k}"
        for j, (z, a) in enumerate(hidden(x), 1):
            box, title = found[f"cluster_s{k}_L1_n{j}"]
            assert title[0] == f"sample {k} · L1.n{j}"
            shown = cards_in(tree, box)  # its z and its activation, nothing else
            assert len(shown) == 2
            assert sorted(data(c) for c in shown) == pytest.approx(sorted([z, a]), rel=1e-3)
        [out] = cards_in(tree, found[f"cluster_s{k}_L2_n1"][0])
        assert close(data(out), y_hat(x))


def test_parameters_are_drawn_once_outside_the_samples():
    loss, net, _ = batch()
    d = draw(loss, model=net)
    tree = parse(d.to_svg())
    found = clusters(tree)
    cards = groups(tree, "parameter")
    assert {texts(g)[0] for g in cards.values()} == set(PARAMS)  # one card each
    for g in cards.values():
        name = texts(g)[0]
        neuron = name.rpartition(".")[0]  # "L1.n2"
        assert close(data(texts(g)), PARAMS[name])
        assert inside(bbox(g), found[f"cluster_shared_{neuron.replace('.', '_')}"][0])
        assert not any(inside(bbox(g), found[f"cluster_s{k}"][0]) for k in (1, 2, 3))
    # a hidden weight feeds every sample's z, each edge carrying that sample's
    # ∂z/∂w = x: one edge per sample, into the z inside that sample's cluster
    w = next(vid for vid, g in cards.items() if texts(g)[0] == "L1.n2.w1")
    out = edges_from(tree, w)
    assert len(out) == 3
    nodes = groups(tree, "node")
    for k, x in enumerate(XS, 1):
        box = found[f"cluster_s{k}_L1_n2"][0]
        [(_, head, label)] = [e for e in out if inside(bbox(nodes[e[1]]), box)]
        assert close(float(label[0]), x) and head.endswith("-op")


def test_each_output_feeds_its_own_loss_term():
    loss, net, _ = batch()
    d = draw(loss, model=net)
    tree = parse(d.to_svg())
    found = clusters(tree)
    nodes = groups(tree, "node")
    for k, (x, y) in enumerate(zip(XS, YS), 1):
        box = found[f"cluster_s{k}_L2_n1"][0]
        [out] = [vid for vid, g in nodes.items()
                 if re.fullmatch(r"v\d+", vid) and inside(bbox(g), box)]
        [(_, head, label)] = edges_from(tree, out)  # exactly one consumer
        assert label == ["1"]  # ∂(ŷ − y)/∂ŷ
        assert close(card_data(tree, head.removesuffix("-op")), y_hat(x) - y)


# -- collapsed: one box per sample's neuron or layer -----------------------------

def test_collapse_neuron_per_sample():
    loss, net, xs = batch(value_inputs=True)
    d = draw(loss, model=net, collapse="neuron")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    boxes = {vid for vid, g in nodes.items() if "neuron" in g.get("class").split()}
    assert boxes == {f"s{k}_g{l}_{j}" for k in (1, 2, 3) for l, j in [(1, 1), (1, 2), (2, 1)]}
    assert not groups(tree, "parameter")  # read by every sample: inside every box
    assert not {p for _, p in net.named_parameters()} & set(d.ids)
    # 3 inputs, 9 neuron boxes, ŷ − y and its square per sample, L
    assert repr(d) == "<Drawing: 19 value boxes; .to_svg(), .save(path)>"
    edges = groups(tree, "edge")
    for k, (x, y) in enumerate(zip(XS, YS), 1):
        (z1, a1), (z2, a2) = hidden(x)
        assert texts(nodes[f"s{k}_g1_2"])[0].startswith(f"sample {k} · L1.n2: ")
        assert texts(nodes[f"s{k}_g1_2"])[0].endswith(" = σ(Σwx+b)")
        assert close(card_data(tree, f"s{k}_g1_1"), a1)
        assert close(card_data(tree, f"s{k}_g1_2"), a2)
        assert close(card_data(tree, f"s{k}_g2_1"), y_hat(x))
        # this sample's input reaches this sample's neurons only, through
        # ∂a/∂x = σ'(z)·w = a(1 − a)·w
        xid = d.ids[xs[k - 1]]
        assert {head for _, head, _ in edges_from(tree, xid)} == {f"s{k}_g1_1", f"s{k}_g1_2"}
        [label] = texts(edges[f"s{k}_g1_1-from-{xid}"])
        assert close(float(label), a1 * (1 - a1) * W1[0])
        [label] = texts(edges[f"s{k}_g1_2-from-{xid}"])
        assert close(float(label), a2 * (1 - a2) * W1[1])
        for j in (1, 2):  # the output is linear: ∂ŷ/∂a_j = w_j
            [label] = texts(edges[f"s{k}_g2_1-from-s{k}_g1_{j}"])
            assert close(float(label), W2[j - 1])
        [(_, head, label)] = edges_from(tree, f"s{k}_g2_1")
        assert label == ["1"]
        assert close(card_data(tree, head.removesuffix("-op")), y_hat(x) - y)


def test_collapse_layer_per_sample():
    loss, net, xs = batch(value_inputs=True)
    d = draw(loss, model=net, collapse="layer")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    assert {vid for vid, g in nodes.items() if "layer" in g.get("class").split()} == {
        f"s{k}_g{l}" for k in (1, 2, 3) for l in (1, 2)}
    edges = groups(tree, "edge")
    for k, x in enumerate(XS, 1):
        (_, a1), (_, a2) = hidden(x)
        lines = texts(nodes[f"s{k}_g1"])
        assert lines[0] == f"sample {k} · layer 1: 2 neurons, σ(Σwx+b)"
        shown = [float(s) for s in lines[1].removeprefix("data: ").split(", ")]
        assert close(shown[0], a1) and close(shown[1], a2)
        assert texts(edges[f"s{k}_g1-from-{d.ids[xs[k - 1]]}"]) == ["∂ 2×1"]
        assert texts(edges[f"s{k}_g2-from-s{k}_g1"]) == ["∂ 1×2"]
        assert {head for _, head, _ in edges_from(tree, d.ids[xs[k - 1]])} == {f"s{k}_g1"}


def test_highlight_a_shared_weight():
    loss, net, _ = batch()
    w = net.parameter("L1.n2.w1")  # every sample's L1.n2 reads it
    d = draw(loss, model=net, collapse="neuron", highlight=w)
    hot = set(groups(parse(d.to_svg()), "highlight"))
    for k in (1, 2, 3):
        assert {f"s{k}_g1_2", f"s{k}_g2_1", f"s{k}_g2_1-from-s{k}_g1_2"} <= hot
        assert f"s{k}_g1_1" not in hot and f"s{k}_g2_1-from-s{k}_g1_1" not in hot


def test_one_layer_on_number_inputs_and_a_repeated_sample():
    """A one-layer model's neurons share no data flow; what ties a sample's
    neurons together is that they read the same inputs.  A sample given
    twice is still two samples, each with each neuron once."""
    W = [[0.5, -1.0], [2.0, 0.25]]
    b = [0.1, -0.2]
    net = MLP.from_weights([W], biases=[b], activations="tanh")
    samples = [[0.1, 0.2], [0.3, -0.4], [0.1, 0.2]]
    loss = autograd.sum([autograd.sum(net(x)) for x in samples]).named("L")
    loss.backward()
    d = draw(loss, model=net, collapse="neuron")
    tree = parse(d.to_svg())
    nodes = groups(tree, "node")
    assert {vid for vid, g in nodes.items() if "neuron" in g.get("class").split()} == {
        f"s{k}_g1_{j}" for k in (1, 2, 3) for j in (1, 2)}
    for k, x in enumerate(samples, 1):
        for j in (1, 2):
            z = sum(w * xi for w, xi in zip(W[j - 1], x)) + b[j - 1]
            assert close(card_data(tree, f"s{k}_g1_{j}"), math.tanh(z))


def test_a_single_pass_keeps_its_names():
    """One forward pass: no sample in ids or titles, as before batches."""
    model = MLP.from_weights([[[0.2, 0.1], [0.1, 0.2]], [[0.4, 0.1], [0.5, 0.3]]],
                             activations="sigmoid")
    loss = half_sse(model([0.2, 0.5]), [1.0, 0.0])
    d = draw(loss, model=model, collapse="neuron")
    assert {vid for vid in d.ids.values() if vid.startswith("g")} == {"g1_1", "g1_2", "g2_1", "g2_2"}
    assert texts(groups(parse(d.to_svg()), "node")["g1_1"])[0].startswith("L1.n1: ")


# -- order on the page: neuron 1 first, sample 1 first ---------------------------

def first(rankdir):
    """The coordinate that runs across ranks' members: y in LR, x in TB."""
    return 1 if rankdir == "LR" else 0


def assert_increasing(positions):
    assert positions == sorted(positions) and len(set(positions)) == len(positions), positions


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_neuron_one_first_in_clusters(rankdir):
    xs = [Value(v, f"x{i}") for i, v in enumerate([0.5, -1.0, 0.25, 2.0], 1)]
    y, model, neurons, _ = hand_mlp(xs, [5, 6, 1])  # seed 000's 4-5-6-1 network
    loss = ((y - 1.0) ** 2).named("L")
    tree = parse(draw(loss, model=model, rankdir=rankdir).to_svg())
    found = clusters(tree)
    for layer, width in [(1, 5), (2, 6)]:
        assert_increasing([found[f"cluster_L{layer}_n{j}"][0][first(rankdir)]
                           for j in range(1, width + 1)])


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_neuron_one_and_weight_one_first_in_the_seed_network(rankdir):
    model = MLP.from_weights([[[0.2, 0.1], [0.1, 0.2]], [[0.4, 0.1], [0.5, 0.3]]],
                             activations="sigmoid")
    loss = half_sse(model([0.2, 0.5]), [1.0, 0.0])
    tree = parse(draw(loss, model=model, rankdir=rankdir).to_svg())
    found = clusters(tree)
    axis = first(rankdir)
    for layer in (1, 2):
        assert_increasing([found[f"cluster_L{layer}_n{j}"][0][axis] for j in (1, 2)])
    cards = {texts(g)[0]: bbox(g)[axis] for g in groups(tree, "parameter").values()}
    for neuron in ("L1.n1", "L1.n2", "L2.n1", "L2.n2"):
        assert_increasing([cards[f"{neuron}.w1"], cards[f"{neuron}.w2"]])


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_samples_and_neurons_in_order_in_a_batch(rankdir):
    loss, net, _ = batch()
    axis = first(rankdir)
    tree = parse(draw(loss, model=net, rankdir=rankdir).to_svg())
    found = clusters(tree)
    assert_increasing([found[f"cluster_s{k}"][0][axis] for k in (1, 2, 3)])
    for k in (1, 2, 3):
        assert_increasing([found[f"cluster_s{k}_L1_n{j}"][0][axis] for j in (1, 2)])
    tree = parse(draw(loss, model=net, rankdir=rankdir, collapse="neuron").to_svg())
    nodes = groups(tree, "node")
    assert_increasing([bbox(nodes[f"s{k}_g1_{j}"])[axis] for k in (1, 2, 3) for j in (1, 2)])
    assert_increasing([bbox(nodes[f"s{k}_g2_1"])[axis] for k in (1, 2, 3)])


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_neuron_one_first_when_collapsed(rankdir):
    xs = [Value(v, f"x{i}") for i, v in enumerate([0.5, -1.0, 0.25, 2.0], 1)]
    y, model, _, _ = hand_mlp(xs, [5, 6, 1])
    loss = ((y - 1.0) ** 2).named("L")
    nodes = groups(parse(draw(loss, model=model, rankdir=rankdir, collapse="neuron").to_svg()),
                   "node")
    for layer, width in [(1, 5), (2, 6)]:
        assert_increasing([bbox(nodes[f"g{layer}_{j}"])[first(rankdir)]
                           for j in range(1, width + 1)])
