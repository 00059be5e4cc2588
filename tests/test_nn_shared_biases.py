"""Shared biases (issue #11, item 17): one bias parameter for all the neurons
of a layer, as in Matt Mazur's "A Step by Step Backpropagation Example"
(mattmazur.com, 2015), where b1 = 0.35 feeds both hidden neurons and
b2 = 0.60 both outputs.  Its gradient is the sum over the neurons it feeds.

Every number asserted is one Mazur publishes (or, for ∂E/∂b1 and ∂E/∂b2,
follows from his published factors by one multiplication each)."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from autograd import check
from examples import mazur_sheet
from handgrad.sheet import loads
from nn import MLP, SGD, half_sse

W = [[[0.15, 0.20], [0.25, 0.30]],   # net_h1 = w1·i1 + w2·i2 + b1, net_h2 = w3·i1 + w4·i2 + b1
     [[0.40, 0.45], [0.50, 0.55]]]   # net_o1 = w5·h1 + w6·h2 + b2, net_o2 = w7·h1 + w8·h2 + b2
NAMES = [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]]
X, T, LR = [0.05, 0.10], [0.01, 0.99], 0.5

# Mazur's published numbers
OUT_H1, OUT_O1, OUT_O2 = 0.593269992, 0.75136507, 0.772928465
E_TOTAL = 0.298371109
W_PLUS = {"w1": 0.149780716, "w2": 0.19956143, "w3": 0.24975114, "w4": 0.29950229,
          "w5": 0.35891648, "w6": 0.408666186, "w7": 0.511301270, "w8": 0.561370121}
# After the step (weights updated, biases kept) he gives E = 0.291027924; the
# exact value is 0.2910277737, 1.5e-7 lower: they agree to 6 decimals, while his
# new weights above agree to all the digits he gives.
E_AFTER_ONE_STEP = 0.291028
# ∂E/∂net_h1 = ∂E/∂out_h1 · ∂out_h1/∂net_h1 = 0.036350306 × 0.241300709, and the
# h2 term from his w3⁺: ∂E/∂w3 = (0.25 − 0.24975114)/0.5 = ∂E/∂net_h2 · i1.
DELTA_H1 = 0.036350306 * 0.241300709                      # 0.008771354…
DELTA_H2 = (0.25 - 0.24975114) / LR / 0.05                # 0.0099544 (±2e-7: w3⁺ has 8 decimals)
# ∂E/∂net_o1 = 0.74136507 × 0.186815602; ∂E/∂net_o2 from his w7⁺ and out_h1.
DELTA_O1 = 0.74136507 * 0.186815602                       # 0.138498562
DELTA_O2 = (0.50 - 0.511301270) / LR / OUT_H1             # -0.0380982


def mazur():
    net = MLP.from_weights(W, biases=[0.35, 0.60], activations="sigmoid",
                           weight_labels=NAMES, bias_labels="b{l}")
    loss = half_sse(net(X), T).named("E")
    loss.backward()
    return net, loss


def test_a_number_per_layer_is_one_shared_bias_parameter():
    net, _ = mazur()
    names = [name for name, _ in net.named_parameters()]
    assert names == ["L1.n1.w1", "L1.n1.w2", "L1.n2.w1", "L1.n2.w2", "L1.b",
                     "L2.n1.w1", "L2.n1.w2", "L2.n2.w1", "L2.n2.w2", "L2.b"]
    assert net.num_parameters() == 10 == len(set(map(id, net.parameters())))
    first = net.layers[0]
    assert first.neurons[0].b is first.neurons[1].b is net.parameter("b1")
    assert net.parameter("L1.b").data == 0.35 and net.parameter("b2").data == 0.60
    assert str(net.summary()).splitlines()[-1].split() == ["total", "8", "2", "10"]


def test_mazurs_forward_pass_and_error():
    net, loss = mazur()
    assert loss.data == pytest.approx(E_TOTAL, abs=5e-10)
    o1, o2 = net(X)
    assert (o1.data, o2.data) == (pytest.approx(OUT_O1, abs=5e-9),
                                  pytest.approx(OUT_O2, abs=5e-10))


def test_the_shared_biass_gradient_is_the_sum_over_its_neurons():
    net, _ = mazur()
    # Mazur's ∂E/∂b1 = 0.008771 + 0.009954, one term per hidden neuron
    b1, b2 = net.parameter("b1"), net.parameter("b2")
    assert b1.grad == pytest.approx(DELTA_H1 + DELTA_H2, abs=3e-7)
    assert round(DELTA_H1, 6) == 0.008771 and round(DELTA_H2, 6) == 0.009954
    assert round(b1.grad - DELTA_H1, 6) == 0.009954  # the second neuron's term
    # ∂E/∂b2: δ_o2 comes from w7⁺ (9 decimals) over out_h1: ±2e-8
    assert b2.grad == pytest.approx(DELTA_O1 + DELTA_O2, abs=3e-8)


def test_one_sgd_step_gives_mazurs_new_weights():
    net, loss = mazur()
    weights = [p for name, p in net.named_parameters() if not name.endswith("b")]
    SGD(weights, lr=LR).step()  # Mazur updates the weights and keeps the biases
    for label, value in W_PLUS.items():
        assert net.parameter(label).data == pytest.approx(value, abs=5e-9), label
    assert round(half_sse(net(X), T).data, 6) == E_AFTER_ONE_STEP


def test_check_grades_the_shared_bias_by_its_label():
    _, loss = mazur()
    report = check(loss, grads={"b1": "0.018726", "w5": "0.082167041", "w1": "0.000438568"},
                   updates={"w5": "0.35891648", "w1": "0.149780716"}, lr=LR)
    assert report.ok, report


def test_per_neuron_biases_are_unchanged():
    net = MLP.from_weights(W, biases=[[0.35, 0.35], [0.60, 0.60]], activations="sigmoid")
    assert [n for n, _ in net.named_parameters()][:6] == [
        "L1.n1.w1", "L1.n1.w2", "L1.n1.b", "L1.n2.w1", "L1.n2.w2", "L1.n2.b"]
    assert net.num_parameters() == 12
    loss = half_sse(net(X), T)
    assert loss.data == pytest.approx(E_TOTAL, abs=5e-10)  # the same network, split biases
    loss.backward()
    assert net.parameter("L1.n1.b").grad == pytest.approx(DELTA_H1, abs=1e-9)
    assert net.parameter("L1.n2.b").grad == pytest.approx(DELTA_H2, abs=3e-7)


def test_a_layer_can_share_while_another_does_not():
    net = MLP.from_weights(W, biases=[0.35, [0.60, 0.61]], activations="sigmoid")
    assert [n for n, _ in net.named_parameters() if n.endswith("b")] == [
        "L1.b", "L2.n1.b", "L2.n2.b"]
    net.relabel(biases=["b1", ["b2_1", "b2_2"]])
    assert net.parameter("b1") is net.layers[0].neurons[1].b
    assert net.parameter("b2_2").data == 0.61


def test_relabel_a_shared_bias():
    net, _ = mazur()
    net.relabel({"L1.b": "beta"})
    assert net.parameter("beta").data == 0.35
    net.relabel(biases=["b_hidden", "b_out"])  # one label per layer: a grid of strings
    assert [net.parameter(n).data for n in ("b_hidden", "b_out")] == [0.35, 0.60]
    net.relabel(biases="bias{l0}")
    assert net.parameter("bias1").data == 0.60


@pytest.mark.parametrize("spec, message", [
    ("b{l}{j}", "layer 1's neurons share one bias: its label pattern may use only l, l0"),
    (["b1", ["b2a", "b2b"]], "bias labels[2]: layer 2's neurons share one bias: give it one "
                             "label, got ['b2a', 'b2b']"),
])
def test_a_shared_bias_gets_one_label(spec, message):
    net, _ = mazur()
    with pytest.raises(ValueError, match=re.escape(message)):
        net.relabel(biases=spec)
    assert net.parameter("b1").label == "b1"  # nothing changed


def test_bad_shared_biases():
    with pytest.raises(ValueError, match=r"layer 1: the shared bias must be a finite number"):
        MLP.from_weights(W, biases=[math.inf, 0.6], activations="sigmoid")
    with pytest.raises(ValueError, match=r"layer 2: biases must be a list of 2 numbers \(one per "
                                         r"neuron\), one number \(a bias the layer's neurons "
                                         r"share\) or None"):
        MLP.from_weights(W, biases=[0.35, "0.6"], activations="sigmoid")


# -- answer sheets say it too -------------------------------------------------------------

SHEET = mazur_sheet("Mazur's example, shared biases",
                    ("0.35          # one bias, shared by the layer's neurons", "0.60")) + """\
[problem.labels]
weights = [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]]
biases = "b{l}"
z = ["net_h{j}", "net_o{j}"]
a = ["out_h{j}", "out_o{j}"]
loss = "E_total"
[answers.values]
out_h1 = "0.593269992"
out_o1 = "0.75136507"
E_total = "0.298371109"
[answers.grads]
w5 = "0.082167041"
b1 = "0.018726"
[answers.updates]
w5 = "0.35891648"
w1 = "0.149780716"
"""


def test_a_sheet_with_shared_biases_grades_mazurs_numbers():
    report = loads(SHEET, "mazur").check()
    assert report.ok and len(report) == 7, report
    assert all(r.verdict == "correct" for r in report), report
    assert report["b1", "grad"].engine == pytest.approx(DELTA_H1 + DELTA_H2, abs=3e-7)


@pytest.mark.parametrize("change, message", [
    (('biases = "b{l}"', 'biases = "b{l}{j}"'),
     "problem.labels.biases: layer 1's neurons share one bias: its label pattern may use only "
     "{l} and {l0}"),
    (('biases = "b{l}"', 'biases = [["b1a", "b1b"], "b2"]'),
     "problem.labels.biases[1]: layer 1's neurons share one bias: give it one label"),
    (("biases = 0.60", 'biases = "0.60"'), "problem.layers[2].biases: expected one number per "
                                           "neuron, or one number that its neurons share"),
])
def test_shared_bias_sheet_errors(change, message):
    from handgrad.sheet import SheetError
    with pytest.raises(SheetError) as e:
        loads(SHEET.replace(*change), "mazur")
    assert str(e.value).startswith(message), str(e.value)


def test_a_sheet_labels_a_shared_bias_per_layer():
    text = SHEET.replace('biases = "b{l}"', 'biases = ["b1", "b2"]')
    assert loads(text, "mazur").check().ok


# -- drawn: in its layer, outside its neurons ---------------------------------------------

def clusters_of(source: str, tooltip: str) -> list[str]:
    """The clusters (outermost first) around the node with `tooltip` in DOT `source`."""
    stack = []
    for line in source.splitlines():
        s = line.strip()
        if s.startswith("subgraph "):
            stack.append(s.split()[1])
        elif s.startswith("{"):
            stack.append("")
        elif s == "}" and stack:
            stack.pop()
        elif f'tooltip="{tooltip}"' in s:
            return [c for c in stack if c.startswith("cluster")]
    raise AssertionError(f"no node {tooltip!r}")


def test_the_drawing_puts_a_shared_bias_in_its_layer_not_in_a_neuron():
    from autograd import draw
    net, loss = mazur()
    source = draw(loss, model=net).source
    assert clusters_of(source, "parameter L1.b") == ["cluster_L1"]
    assert clusters_of(source, "parameter L2.b") == ["cluster_L2"]
    assert clusters_of(source, "parameter L1.n2.w1") == ["cluster_L1", "cluster_L1_n2"]
    texts = [t.text for t in ET.fromstring(draw(loss, model=net).to_svg()).iter(
        "{http://www.w3.org/2000/svg}text")]
    card = texts.index("b1")  # one card, its grad 0.008771 + 0.009954 = 0.0187
    assert texts.count("b1") == 1 and texts[card + 1:card + 3] == ["data: 0.35", "grad: 0.0187"]


def test_a_batch_draws_a_shared_bias_once_among_its_layers_shared_parameters():
    from autograd import draw, mean
    net, _ = mazur()
    loss = mean([half_sse(net(x), T) for x in (X, [0.2, 0.3])])
    loss.backward()
    source = draw(loss, model=net).source
    assert clusters_of(source, "parameter L1.b") == ["cluster_shared_L1"]
    assert clusters_of(source, "parameter L1.n1.w1") == ["cluster_shared_L1",
                                                        "cluster_shared_L1_n1"]
