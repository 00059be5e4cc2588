"""Neuron, Layer, MLP: structure, forward values against hand arithmetic,
networks from given weights (seeds 000 and 002), labels."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from autograd.graph import backward_order
from nn import MLP, Layer, Neuron, half_sse, leaky_relu


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


# Seed 000, Q3: x = (0.2, 0.5); first layer w10=0.2, w20=0.1 (into hidden 0),
# w11=0.1, w21=0.2 (into hidden 1); second layer w10=0.4, w20=0.1, w11=0.5,
# w21=0.3; sigmoid everywhere, no biases.  W[out][in]: row j = weights into unit j.
W1 = [[0.2, 0.1], [0.1, 0.2]]
W2 = [[0.4, 0.1], [0.5, 0.3]]
X = [0.2, 0.5]


def seed000():
    return MLP.from_weights([W1, W2], activations=["sigmoid", "sigmoid"])


def labelled(root):
    return {v.label: v for v in backward_order(root) if v.label is not None}


# -- structure and counts ---------------------------------------------------------

def test_seed000_q2_counts():
    m = MLP(4, [5, 6, 1])
    assert m.num_parameters() == 68 == len(m.parameters()) == len(m.named_parameters())
    s = m.summary()
    assert (s.num_layers, s.num_hidden, s.num_parameters) == (3, 2, 68)
    assert [(L.weights, L.biases) for L in s.layers] == [(20, 5), (30, 6), (6, 1)]
    text = str(s)
    assert text.splitlines()[0] == "MLP: 4 inputs, 3 layers (2 hidden + output), 68 parameters"
    assert [line.split()[0] for line in text.splitlines()[2:]] == ["L1", "L2", "L3", "total"]


def test_seed002_network_has_8_parameters():
    # 1 input, 2 hidden (with biases b1, b2), 2 outputs without bias:
    # 6 weights + 2 biases, as the seed counts them.
    m = MLP.from_weights([[[0.1], [0.2]], [[0.3, 0.5], [0.4, 0.6]]],
                         biases=[[0.0, 1.0], None], activations=["relu", None])
    assert m.num_parameters() == 8
    names = [n for n, _ in m.named_parameters()]
    assert names == ["L1.n1.w1", "L1.n1.b", "L1.n2.w1", "L1.n2.b",
                     "L2.n1.w1", "L2.n1.w2", "L2.n2.w1", "L2.n2.w2"]
    assert m.summary().num_hidden == 1
    # a lone number is a fine input for a one-input network: x = 0.5
    y1, y2 = m(0.5)
    h = [max(0.0, 0.1 * 0.5 + 0.0), max(0.0, 0.2 * 0.5 + 1.0)]
    assert y1.data == pytest.approx(0.3 * h[0] + 0.5 * h[1])
    assert y2.data == pytest.approx(0.4 * h[0] + 0.6 * h[1])


def test_seed000_bias_free_network_has_8_parameters():
    m = seed000()
    assert m.num_parameters() == 8
    assert all(n.b is None for layer in m.layers for n in layer.neurons)
    assert all(".b" not in name for name, _ in m.named_parameters())


def test_names_follow_the_contract():
    m = MLP(3, [2, 1])
    names = [n for n, _ in m.named_parameters()]
    assert names == ["L1.n1.w1", "L1.n1.w2", "L1.n1.w3", "L1.n1.b",
                     "L1.n2.w1", "L1.n2.w2", "L1.n2.w3", "L1.n2.b",
                     "L2.n1.w1", "L2.n1.w2", "L2.n1.b"]
    assert all(p.label == n for n, p in m.named_parameters())
    assert m.parameters() == [p for _, p in m.named_parameters()]
    assert [n for n, _ in Layer(2, 2).named_parameters()] == [
        "n1.w1", "n1.w2", "n1.b", "n2.w1", "n2.w2", "n2.b"]
    assert [n for n, _ in Neuron(2).named_parameters()] == ["w1", "w2", "b"]


def test_micrograd_defaults():
    m = MLP(2, [16, 16, 1])
    assert [layer.activation.name for layer in m.layers] == ["relu", "relu", "identity"]
    assert m.num_parameters() == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    assert all(-1 <= p.data <= 1 for p in m.parameters())
    assert all(n.b.data == 0.0 for layer in m.layers for n in layer.neurons)
    out = m([Value(0.5), Value(-1.0)])
    assert isinstance(out, Value)
    assert Neuron(3).activation.name == "relu" and Layer(3, 2).activation.name == "relu"


def test_micrograd_demo_loop_runs_unchanged():
    """micrograd's demo.ipynb training loop, verbatim, with our Value and MLP:
    the loss falls and the gradient it computes agrees with finite differences."""
    rng = random.Random(0)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(20)]
    y = [1 if a * b > 0 else -1 for a, b in X]
    model = MLP(2, [16, 16, 1], seed=1)

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    first, _ = loss()
    p = model.parameters()[5]
    total, _ = loss()
    model.zero_grad()
    total.backward()
    analytic, eps, old = p.grad, 1e-6, p.data
    p.data = old + eps
    hi = loss()[0].data
    p.data = old - eps
    lo = loss()[0].data
    p.data = old
    assert analytic == pytest.approx((hi - lo) / (2 * eps), abs=1e-6)
    for k in range(30):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    assert total_loss.data < first.data


def test_inputs_may_be_numbers_numpy_or_values():
    np = __import__("numpy")
    m = MLP(2, [3, 1], seed=0)
    a = m([0.3, -0.7]).data
    assert m(np.array([0.3, -0.7])).data == a
    assert m([np.float64(0.3), np.float32(-0.7)]).data == pytest.approx(a)
    assert m([Value(0.3), Value(-0.7)]).data == a


def test_pre_activation_is_one_linear_node():
    n = Neuron(3, activation="tanh", seed=0)
    x = [Value(1.0), Value(2.0), Value(3.0)]
    a = n(x)
    assert a.op.name == "tanh"
    (z,) = a.parents
    assert z.op.name == "linear"
    assert list(z.parents) == [n.w[0], x[0], n.w[1], x[1], n.w[2], x[2], n.b]
    # identity output: the output node is z itself
    out = MLP(3, [1], seed=0)(x)
    assert out.op.name == "linear"
    # plain-number inputs are constants of z, not nodes
    z2 = Neuron(2, activation=None, seed=0)([1.0, 2.0])
    assert len(z2.parents) == 3


def test_layer_always_returns_a_list_and_mlp_unwraps_one_output():
    assert isinstance(Layer(2, 1)([1.0, 2.0]), list)
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    out = MLP(2, [3, 2])([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2


# -- forward values against hand arithmetic --------------------------------------

def test_seed000_q3_forward_and_loss():
    z10 = 0.2 * 0.2 + 0.1 * 0.5
    z11 = 0.1 * 0.2 + 0.2 * 0.5
    a10, a11 = sig(z10), sig(z11)
    z20 = 0.4 * a10 + 0.1 * a11
    z21 = 0.5 * a10 + 0.3 * a11
    a20, a21 = sig(z20), sig(z21)
    loss = 0.5 * ((a20 - 0.2) ** 2 + (a21 - 0.7) ** 2)
    # the seed's figures, written to 4-5 places (a11 = 0.52996 is truncated to 0.5299)
    seed = dict(z10=0.09, z11=0.12, a10=0.5225, a11=0.5299, z20=0.26199, z21=0.42022,
                a20=0.5651, a21=0.6035)
    exact = dict(z10=z10, z11=z11, a10=a10, a11=a11, z20=z20, z21=z21, a20=a20, a21=a21)
    assert all(abs(exact[k] - seed[k]) < 1e-4 for k in seed)

    m = seed000().label_nodes(z="z{l}{j0}", a="a{l}{j0}")
    y = m(X)
    L = half_sse(y, [0.2, 0.7])
    nodes = labelled(L)
    for name, want in exact.items():
        assert nodes[name].data == pytest.approx(want, abs=1e-15), name
    assert L.data == pytest.approx(loss, abs=1e-15)
    assert L.data == pytest.approx(0.07131, abs=1e-5)  # the seed writes ≈ 0.07128

    # the chain rule by hand for two weights
    L.backward()
    d20 = (a20 - 0.2) * a20 * (1 - a20)
    d21 = (a21 - 0.7) * a21 * (1 - a21)
    assert m.parameter("L2.n1.w1").grad == pytest.approx(d20 * a10, abs=1e-15)
    d10 = (d20 * 0.4 + d21 * 0.5) * a10 * (1 - a10)
    assert m.parameter("L1.n1.w1").grad == pytest.approx(d10 * 0.2, abs=1e-15)


def test_seed000_q4_one_sgd_step():
    # targets (1, 0), learning rate 0.1
    a10, a11 = sig(0.09), sig(0.12)
    a20, a21 = sig(0.4 * a10 + 0.1 * a11), sig(0.5 * a10 + 0.3 * a11)
    d20 = (a20 - 1) * a20 * (1 - a20)
    d21 = (a21 - 0) * a21 * (1 - a21)
    g_w1_10 = d20 * a10
    g_w0_10 = (d20 * 0.4 + d21 * 0.5) * a10 * (1 - a10) * 0.2
    m = seed000().relabel(weights="w({l0}){i}{j0}")
    L = half_sse(m(X), [1, 0])
    assert L.data == pytest.approx(0.5 * ((1 - a20) ** 2 + a21 ** 2))
    L.backward()
    for p in m.parameters():
        p.data -= 0.1 * p.grad
    assert m.parameter("w(1)10").data == pytest.approx(0.4 - 0.1 * g_w1_10, abs=1e-15)
    assert m.parameter("w(0)10").data == pytest.approx(0.2 - 0.1 * g_w0_10, abs=1e-15)


def _hand_forward(Ws, bs, acts, x):
    f = {"sigmoid": sig, "tanh": math.tanh, "relu": lambda z: max(0.0, z),
         "identity": lambda z: z}
    for W, b, act in zip(Ws, bs, acts):
        x = [f[act](sum(w * xi for w, xi in zip(row, x)) + (b[j] if b else 0.0))
             for j, row in enumerate(W)]
    return x


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_from_weights_forward_matches_matrix_arithmetic(data):
    sizes = data.draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    num = st.floats(-2, 2, allow_nan=False)
    Ws = [[[data.draw(num) for _ in range(sizes[k])] for _ in range(sizes[k + 1])]
          for k in range(len(sizes) - 1)]
    bs = [data.draw(st.one_of(st.none(), st.lists(num, min_size=n, max_size=n)))
          for n in sizes[1:]]
    acts = data.draw(st.lists(st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
                              min_size=len(Ws), max_size=len(Ws)))
    x = data.draw(st.lists(num, min_size=sizes[0], max_size=sizes[0]))
    m = MLP.from_weights(Ws, biases=bs, activations=acts)
    out = m(x)
    out = out if isinstance(out, list) else [out]
    want = _hand_forward(Ws, bs, acts, x)
    assert [v.data for v in out] == pytest.approx(want, abs=1e-12)
    assert m.num_parameters() == sum(len(W) * len(W[0]) + (len(b) if b else 0)
                                     for W, b in zip(Ws, bs))


def test_softmax_output_layer():
    # seed 004: softmax(1, 2, 1.5, 0.6) ≈ (0.166, 0.450, 0.273, 0.111)
    m = MLP.from_weights([[[1.0], [2.0], [1.5], [0.6]]], activations="softmax")
    y = m([1.0])
    e = [math.exp(v) for v in (1.0, 2.0, 1.5, 0.6)]
    assert [v.data for v in y] == pytest.approx([v / sum(e) for v in e], abs=1e-15)
    assert [round(v.data, 3) for v in y] == [0.166, 0.450, 0.273, 0.111]
    assert sum(v.data for v in y) == pytest.approx(1.0)
    assert {v.op.name for v in y} == {"softmax"}


def test_every_activation():
    x = [0.5, -1.5]
    w = [[0.8, 0.6]]
    z = 0.8 * 0.5 + 0.6 * -1.5  # -0.5
    for name, want in [("identity", z), ("linear", z), (None, z), ("sigmoid", sig(z)),
                       ("tanh", math.tanh(z)), ("relu", 0.0), ("leaky_relu", 0.01 * z)]:
        assert MLP.from_weights([w], activations=[name])(x).data == pytest.approx(want), name
    m = MLP.from_weights([w], activations=[leaky_relu(0.2)])
    assert m(x).data == pytest.approx(0.2 * z)
    m = MLP(2, [2, 1], activations=["tanh", "sigmoid"], seed=0)
    assert [layer.activation.name for layer in m.layers] == ["tanh", "sigmoid"]
    m = MLP(2, [2, 2, 1], activation="tanh", output_activation="sigmoid", seed=0)
    assert [layer.activation.name for layer in m.layers] == ["tanh", "tanh", "sigmoid"]


def test_unknown_activation_lists_valid_ones():
    with pytest.raises(ValueError, match="valid activations: identity, sigmoid, tanh, relu, "
                                         "leaky_relu, softmax"):
        MLP(2, [1], output_activation="swish")
    with pytest.raises(ValueError, match="softmax"):
        Neuron(2, activation="softmax")
    with pytest.raises(ValueError, match="not both"):
        MLP(2, [2, 1], activation="tanh", activations=["tanh", None])
    with pytest.raises(ValueError, match="expected 2 entries"):
        MLP(2, [2, 1], activations=["tanh"])


def test_bad_sizes_and_inputs():
    with pytest.raises(TypeError, match="nin"):
        MLP(2.0, [1])
    with pytest.raises(ValueError, match="nin must be at least 1"):
        Neuron(0)
    with pytest.raises(ValueError, match="nouts"):
        MLP(2, [])
    with pytest.raises(ValueError, match="MLP expects 2 inputs, got 3"):
        MLP(2, [1])([1, 2, 3])
    with pytest.raises(ValueError, match="Layer expects 2 inputs, got 1"):
        Layer(2, 2)([1])
    with pytest.raises(TypeError, match="list of 2 inputs"):
        Neuron(2)(1.0)
    with pytest.raises(TypeError):
        MLP(2, [1])(["a", 1.0])
    with pytest.raises(ValueError, match="unknown init scheme 'gauss'; valid schemes"):
        MLP(2, [1], init="gauss")


def test_bias_flags():
    m = MLP(3, [4, 2], bias=[True, False], seed=0)
    assert m.num_parameters() == 3 * 4 + 4 + 4 * 2
    assert Neuron(3, bias=False).num_parameters() == 3
    assert Layer(3, 2, bias=False).num_parameters() == 6
    with pytest.raises(TypeError, match="bias"):
        MLP(2, [1], bias=1)


# -- networks from given weights: wrong shapes -----------------------------------

def test_from_weights_wrong_shapes_name_layer_and_shape():
    with pytest.raises(ValueError, match=r"layer 2: expected a weight matrix of shape 2 × 2 "
                                         r".*layer 1 has 2 outputs\), got 2 × 3"):
        MLP.from_weights([W1, [[1, 2, 3], [4, 5, 6]]], activations="sigmoid")
    with pytest.raises(ValueError, match=r"layer 1: expected .* shape 2 × 2 .*, got 2 rows of "
                                         r"lengths \[2, 3\]"):
        MLP.from_weights([[[1, 2], [3, 4, 5]]], activations="sigmoid")
    with pytest.raises(ValueError, match=r"layer 2: .*flat list.*one neuron: write \[\[...\]\]"):
        MLP.from_weights([W1, [0.4, 0.1]], activations="sigmoid")
    with pytest.raises(ValueError, match="layer 1: expected 2 biases .* got 3"):
        MLP.from_weights([W1, W2], biases=[[1, 2, 3], None], activations="sigmoid")
    with pytest.raises(ValueError, match="one entry per layer"):
        MLP.from_weights([W1, W2], biases=[[1, 2]], activations="sigmoid")
    with pytest.raises(ValueError, match="layer 1: biases must be a list of 2 numbers"):
        MLP.from_weights([W1, W2], biases=["0.1", 0.2], activations="sigmoid")  # 0.1: shared
    with pytest.raises(ValueError, match="activations: expected 2 entries"):
        MLP.from_weights([W1, W2], activations=["sigmoid"])
    with pytest.raises(TypeError, match=r"layer 1: W\[2\]\[1\] must be a number"):
        MLP.from_weights([[[1, 2], ["a", 4]]], activations="sigmoid")
    with pytest.raises(ValueError, match="non-empty list"):
        MLP.from_weights([], activations="sigmoid")
    with pytest.raises(TypeError):
        MLP.from_weights([W1])  # activations are required


def test_from_weights_accepts_numpy():
    np = __import__("numpy")
    m = MLP.from_weights([np.array(W1), np.array(W2)], activations="sigmoid")
    assert m(X)[0].data == seed000()(X)[0].data


# -- labels ---------------------------------------------------------------------------

def test_relabel_by_mapping_pattern_and_grid():
    m = seed000()
    m.relabel({"L1.n1.w1": "w10", "L1.n1.w2": "w20"})
    assert m.parameter("w10") is m.parameter("L1.n1.w1")
    assert m.parameter("L1.n1.w2").label == "w20"
    # names never change
    assert [n for n, _ in m.named_parameters()][:2] == ["L1.n1.w1", "L1.n1.w2"]
    m.relabel(weights="w({l0}){i}{j0}")
    assert [p.label for p in m.parameters()] == [
        "w(0)10", "w(0)20", "w(0)11", "w(0)21", "w(1)10", "w(1)20", "w(1)11", "w(1)21"]
    # nested lists mirror W[layer][out][in]; None keeps a label
    m.relabel(weights=[[["w10", "w20"], ["w11", "w21"]], None])
    assert [p.label for p in m.parameters()][:4] == ["w10", "w20", "w11", "w21"]
    assert m.parameter("w(1)21").data == 0.3
    b = MLP.from_weights([W1], biases=[[0.5, -0.5]], activations="sigmoid",
                         bias_labels="b{j}", weight_labels="v{j}{i}")
    assert b.parameter("b2").data == -0.5 and b.parameter("v21").data == 0.1
    n = Neuron(2, seed=0).relabel(weights=["p", "q"], biases="c")
    assert [p.label for p in n.parameters()] == ["p", "q", "c"]


def test_relabel_errors():
    m = seed000()
    with pytest.raises(KeyError, match="no parameter named 'L3.n1.w1'; names: L1.n1.w1, "):
        m.relabel({"L3.n1.w1": "w"})
    with pytest.raises(ValueError, match="label 'w10' would name both L1.n1.w1 and L2.n1.w1"):
        m.relabel(weights="w{i}{j0}")
    assert m.parameter("L2.n1.w1").label == "L2.n1.w1"  # nothing changed
    with pytest.raises(ValueError, match="fields l, l0, j, j0, i, i0"):
        m.relabel(weights="w{k}")
    with pytest.raises(ValueError, match=r"weight labels\[1\]: expected a list of 2 entries "
                                         r"\(the labels mirror the shape of the weights\)"):
        m.relabel(weights=[[["a"]], None])
    with pytest.raises(ValueError, match=r"weight labels\[1\]\[2\]: expected a list of 2"):
        m.relabel(weights=[[["a", "b"], ["c", "d", "e"]], None])  # one label too many
    with pytest.raises(ValueError, match=r"weight labels: expected a list of 2"):
        m.relabel(weights=[None, None, None])
    with pytest.raises(ValueError, match=r"bias label\[1\]\[1\] = 'b1', but that neuron has "
                                         r"no bias"):
        m.relabel(biases=[["b1", None], None])
    with pytest.raises(TypeError):
        m.relabel({"L1.n1.w1": 3})
    with pytest.raises(ValueError, match="the label for L1.n1.w2 is the blank string ' '"):
        m.relabel({"L1.n1.w1": "a", "L1.n1.w2": " "})
    assert m.parameter("L1.n1.w1").label == "L1.n1.w1"  # nothing changed
    with pytest.raises(KeyError, match="no parameter named or labelled 'w99'"):
        m.parameter("w99")


def test_label_nodes_on_forward_passes():
    m = seed000().relabel(weights="w({l0}){i}{j0}")
    m.label_nodes(x="x{i}", z="z{l}{j0}", a=["a1{j0}", ["y1", "y2"]])
    y = m(X)
    nodes = labelled(half_sse(y, [0.2, 0.7]))
    assert {"x1", "x2", "z10", "z11", "a10", "a11", "z20", "z21", "y1", "y2",
            "w(0)10", "w(1)21"} <= set(nodes)
    assert nodes["x2"].data == 0.5 and nodes["y1"] is y[0]
    # labels are applied again on every pass (fresh nodes)
    assert m(X)[1].label == "y2"
    # and switched off with no arguments: the lean forward pass
    m.label_nodes()
    assert m(X)[0].label is None
    # a layer without activation has no separate a
    lin = MLP.from_weights([W1, W2], activations=["relu", None])
    lin.label_nodes(z="z{l}{j}", a="a{l}{j}")
    out = lin(X)
    assert [v.label for v in out] == ["z21", "z22"]
    with pytest.raises(ValueError, match="layer 2 has no activation"):
        lin.label_nodes(a=["a1{j}", "a2{j}"])
    with pytest.raises(ValueError, match="label 'L1.n1.w1' would name both"):
        lin.label_nodes(z="L1.n1.w{j}")
    with pytest.raises(ValueError, match="expected 2 names"):
        lin.label_nodes(z=[["z1"], None])
    with pytest.raises(ValueError, match="fields l, l0, j, j0"):
        lin.label_nodes(z="z{i}")
    with pytest.raises(ValueError, match="label 'z11' would name both"):
        lin.label_nodes(z="z{l}{j}").relabel({"L1.n1.w1": "z11"})


def test_state_dict_round_trip_and_errors():
    m = MLP(2, [2, 1], seed=0)
    other = MLP(2, [2, 1], seed=1)
    other.load_state_dict(m.state_dict())
    assert other([0.3, 0.4]).data == m([0.3, 0.4]).data
    with pytest.raises(KeyError, match="missing"):
        other.load_state_dict({"L1.n1.w1": 1.0})
    bad = m.state_dict() | {"L1.n1.w1": "x"}
    with pytest.raises(TypeError):
        other.load_state_dict(bad)
    for huge in (math.inf, 10**400):  # 10**400 is finite as an int, not as a float
        with pytest.raises(ValueError, match=r"state\['L1.n1.w1'\] must be a finite number"):
            other.load_state_dict(m.state_dict() | {"L1.n1.w1": huge})


def test_zero_grad():
    m = seed000()
    half_sse(m(X), [0.2, 0.7]).backward()
    assert all(p.grad != 0 for p in m.parameters())
    m.zero_grad()
    assert all(p.grad == 0.0 for p in m.parameters())
    m.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in m.parameters())


def test_reprs():
    assert repr(MLP(2, [16, 16, 1])) == (
        "MLP(nin=2, nouts=[16, 16, 1], activations=['relu', 'relu', 'identity'])")
    assert repr(Layer(2, 3, "tanh")) == "Layer(nin=2, nout=3, activation='tanh')"
    assert repr(Neuron(2, bias=False)) == "Neuron(nin=2, activation='relu', bias=False)"


def test_one_activation_name_for_every_layer():
    # a single name applies to all layers (not read letter by letter)
    model = MLP(2, [2, 1], activations="sigmoid", seed=0)
    out = model([0.0, 0.0])
    # zero inputs and zero biases: both hidden units are σ(0) = 0.5, so the
    # output is σ(0.5·v1 + 0.5·v2) for the output neuron's weights v
    v1, v2 = (w.data for w in model.layers[1].neurons[0].w)
    assert out.data == pytest.approx(1 / (1 + math.exp(-(0.5 * v1 + 0.5 * v2))), abs=1e-15)
    assert all(layer.activation.name == "sigmoid" for layer in model.layers)


def test_a_parameter_not_found_lists_the_labels_it_could_be():
    # after relabel, users call parameters by the homework's labels, which the
    # message did not list (only L1.n1.w1, …)
    net = MLP.from_weights([[[0.2, 0.1], [0.1, 0.2]], [[0.4, 0.1], [0.5, 0.3]]],
                           activations="sigmoid")
    net.relabel(weights="w({l0}){i}{j0}")
    with pytest.raises(KeyError) as e:
        net.parameter("w(1)1")
    assert e.value.args[0] == (
        "no parameter named or labelled 'w(1)1'; labels: w(0)10, w(0)20, w(0)11, w(0)21, "
        "w(1)10, w(1)20, w(1)11, w(1)21; names: L1.n1.w1, L1.n1.w2, L1.n2.w1, L1.n2.w2, "
        "L2.n1.w1, L2.n1.w2, L2.n2.w1, L2.n2.w2")
    plain = MLP(1, [1], seed=0)  # labels are the names: listed once
    with pytest.raises(KeyError) as e:
        plain.parameter("w")
    assert e.value.args[0] == "no parameter named or labelled 'w'; names: L1.n1.w1, L1.n1.b"
