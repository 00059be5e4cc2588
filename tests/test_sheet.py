"""Answer sheets: the bundled seed sheets' verdicts and numbers (worked out by
hand here or documented in test_check), problems built from TOML data, and a
corpus of malformed sheets, each rejected with its key path."""

import copy
import math
import re
import sys
from pathlib import Path

import pytest

import autograd
from autograd.check import CLOSE, CORRECT, WRONG
from handgrad.sheet import SheetError, bundled, load, loads, parse_sheet
from test_check import Q4_VERDICTS, seed001_by_hand

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SHEETS = Path(__file__).resolve().parent.parent / "handgrad" / "sheets"


def sig(z):
    return 1 / (1 + math.exp(-z))


def report_of(name):
    return load(SHEETS / name).check()


def verdicts(report):
    return {(r.key, r.kind): r.verdict for r in report}


# -- the bundled sheets ---------------------------------------------------------------

def test_bundled_sheets_are_the_seed_sheets():
    assert [p.name for p in bundled()] == [
        "seed000_q3.toml", "seed000_q4.toml", "seed001.toml",
        "seed004_another_example.toml", "seed004_softmax.toml", "seed004_sse.toml"]


def test_every_bundled_sheet_is_the_file_it_claims():
    # Each answer in the TOML file is a row of the report, with the hand text as written.
    for path in bundled():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        report = load(path).check()
        written = [(key, kind, hand) for kind in ("values", "grads", "updates")
                   for key, hand in data["answers"].get(kind, {}).items()]
        assert sorted((r.key, r.hand) for r in report) == sorted((k, h) for k, _, h in written)


# seed 000, by hand (x = (0.2, 0.5))
A10, A11 = sig(0.2 * 0.2 + 0.1 * 0.5), sig(0.1 * 0.2 + 0.2 * 0.5)
Z20, Z21 = 0.4 * A10 + 0.1 * A11, 0.5 * A10 + 0.3 * A11
A20, A21 = sig(Z20), sig(Z21)


def test_seed000_q3_sheet():
    report = report_of("seed000_q3.toml")
    assert report["MSE"].engine == pytest.approx(0.5 * ((A20 - 0.2) ** 2 + (A21 - 0.7) ** 2),
                                                 rel=1e-12)
    assert report["z21"].engine == pytest.approx(Z21, rel=1e-12)
    assert report["a11"].engine == pytest.approx(A11, rel=1e-12)
    # the verdicts documented in test_check.test_seed000_q3; the inputs and
    # weights the document writes are right
    expected = dict.fromkeys(["x1", "x2", "w(0)10", "w(0)20", "w(0)11", "w(0)21", "w(1)10",
                              "w(1)20", "w(1)11", "w(1)21", "z10", "z11", "a10", "z20", "a20",
                              "a21"], CORRECT)
    expected.update({"a11": CLOSE, "z21": CLOSE, "MSE": WRONG})
    assert {r.key: r.verdict for r in report} == expected
    assert report["MSE"].note == "should be 0.07131"


def test_seed000_q4_sheet_flags_exactly_the_documented_mistakes():
    report = report_of("seed000_q4.toml")
    assert verdicts(report) == Q4_VERDICTS
    dy1, dy2 = A20 - 1, A21
    dz20, dz21 = dy1 * A20 * (1 - A20), dy2 * A21 * (1 - A21)
    dw0_10 = (dz20 * 0.4 + dz21 * 0.5) * A10 * (1 - A10) * 0.2
    assert report["Loss"].engine == pytest.approx(0.5 * (dy1 ** 2 + dy2 ** 2), rel=1e-12)
    assert report["dLoss/dz21"].engine == pytest.approx(dz21, rel=1e-12)
    assert report["dLoss/dw(0)10"].engine == pytest.approx(dw0_10, rel=1e-12)
    assert report["w(0)10", "update"].engine == pytest.approx(0.2 - 0.1 * dw0_10, rel=1e-12)
    # the traced causes, as documented in test_check
    assert report["dLoss/dw(1)10"].note == (
        "should be -0.0558; first wrong factor: ∂y1/∂z20 = 0.2449 (should be 0.2458)")
    assert report["w(1)10", "update"].note.startswith(
        "should be 0.40558; the result implies ∂Loss/∂w(1)10 = -0.0584")


def test_seed001_sheet():
    _, g = seed001_by_hand()
    report = report_of("seed001.toml")
    weights = {"W1_11": 1.0, "W1_12": 2.0, "b1_1": 0.0, "b1_2": 1.0, "W2_11": 1.0,
               "W2_12": 2.0, "W2_21": 3.0, "W2_22": 4.0, "b2_1": 0.0, "b2_2": 1.0,
               "W3_11": 1.0, "W3_21": 2.0, "b3_1": 1.0}
    for name, value in g.items():
        assert report[name, "grad"].engine == pytest.approx(value, rel=1e-12)
        assert report[name, "update"].engine == pytest.approx(weights[name] - 0.1 * value,
                                                              rel=1e-12)
    assert {(r.key, r.kind) for r in report.wrong} == {
        ("W3_11", "grad"), ("W3_21", "grad"), ("W3_11", "update"), ("W3_21", "update")}
    assert all(r.verdict == CORRECT for r in report if r.kind == "value")
    # ⑥ "−0.13 (what is shown computes to −0.17)": the stated answer is right, and
    # the shown (2/3)·[0.28, 0.09, 0.03] ⊙ [−1, 0, 1] is (2/3)(−0.25) = −1/6
    assert report["W1_11", "grad"].verdict == CORRECT
    assert f"the factors you wrote give {round(-1 / 6, 2)} " in report["W1_11", "grad"].note
    assert f"the factors you wrote give {round(2 / 3 * 0.40, 2)} " in report["b1_1", "grad"].note


def another_example_by_hand():
    w1 = [0.1, 0.5, 0.3, 2.1, -0.2]
    w2 = [1.1, 0.0, 0.4, -0.1, 1.3]
    x1, x2 = 1.7, 3.5
    u = [a * x1 + b * x2 for a, b in zip(w1, w2)]
    v = [1 / t for t in u]
    F = v[0] * v[1] + v[2] / v[3] - v[4]
    s = sig(F)
    dL_dF = 2 * (s - 2) * s * (1 - s)
    dL_du5 = -dL_dF * (-1 / u[4] ** 2)  # F = … − v5, v5 = 1/u5
    return {"u5": u[4], "v5": v[4], "F": F, "s": s, "L": (s - 2) ** 2,
            "dL/dF": dL_dF, "dL/du5": dL_du5, "dL/dw25": dL_du5 * x2, "dL/dw15": dL_du5 * x1}


def test_seed004_another_example_sheet():
    report = report_of("seed004_another_example.toml")
    hand = another_example_by_hand()
    for key in ("u5", "v5", "F", "s", "L", "dL/dF", "dL/du5", "dL/dw25"):
        assert report[key].engine == pytest.approx(hand[key], rel=1e-12), key
    assert report.ok and all(r.verdict == CORRECT and r.note == "" for r in report)
    # the question's w_{5_2} multiplies x2 into u5 (step ①: ∂L/∂u · x2)
    assert report["du5/dw25"].engine == 3.5


def test_seed004_softmax_sheet():
    report = report_of("seed004_softmax.toml")
    e = [math.exp(x) for x in (1, 2, 1.5, 0.6)]
    for k in range(4):
        assert report[f"e{k + 1}"].engine == pytest.approx(e[k], rel=1e-12)
        assert report[f"y{k + 1}"].engine == pytest.approx(e[k] / sum(e), rel=1e-12)
    assert report.ok and all(r.verdict == CORRECT for r in report)


def test_seed004_sse_sheet():
    # (0 − 0.1)² + (1 − 0.7)² + (0 − 0.2)² = 0.01 + 0.09 + 0.04 = 0.14, not 0.54
    report = report_of("seed004_sse.toml")
    assert {r.key: r.verdict for r in report} == {
        "sq1": CORRECT, "sq2": WRONG, "sq3": CORRECT, "SSE": WRONG}
    assert report["SSE"].engine == pytest.approx(0.14, rel=1e-12)
    assert report["SSE"].note == "should be 0.14; first wrong factor: sq2 = 0.49 (should be 0.09)"


# -- expression problems ----------------------------------------------------------------

def expression_sheet(**problem):
    base = {"expression": "a*a + a", "name": "L", "at": {"x": 2.0, "y": 3.0},
            "let": {"a": "x*y"}}
    base.update(problem)
    return {"problem": base, "answers": {"values": {"L": "42"}}}


def test_a_definition_used_twice_is_one_node():
    # L = a² + a with a = x·y: ∂L/∂x = (2a + 1)·y = 13·3, ∂L/∂a = 13
    sheet = parse_sheet({**expression_sheet(), "answers": {
        "values": {"a": "6", "L": "42"}, "grads": {"x": "39", "y": "26", "dL/da": "13"}}})
    report = sheet.check()
    assert report.ok and all(r.verdict == CORRECT for r in report)


def test_huge_and_tiny_numbers_are_graded_at_their_precision():
    # f = x·y: 1e200·1e100 = 1e300 (as a float: 1.0000000000000000525e300), and
    # 1e-200·1e-120 = 1e-320, a subnormal (9.99988671826831e-321 as a float).
    for at, answers, expected in [
        ({"x": 1e200, "y": 1e100}, {"f": "1.00e300"}, (CORRECT, "1.00e+300")),
        ({"x": 1e200, "y": 1e100}, {"f": "1.01e300"}, (CLOSE, "1.00e+300")),
        ({"x": 1e-200, "y": 1e-120}, {"f": "1e-320"}, (CORRECT, "1e-320")),
        ({"x": 1e-200, "y": 1e-120}, {"f": "0.000"}, (CORRECT, "0.000")),
        ({"x": 1e-200, "y": 1e-120}, {"f": "0.001"}, (WRONG, "0.000")),
        ({"x": -1e14, "y": 1e14}, {"f": "-42."}, (WRONG, str(int(-1e28)))),  # to the unit
    ]:
        sheet = parse_sheet({"problem": {"expression": "x*y", "at": at},
                             "answers": {"values": answers}})
        row = sheet.check()["f"]
        assert (row.verdict, row.expected) == expected


def test_build_makes_a_new_graph_and_check_leaves_grads_alone():
    sheet = parse_sheet(expression_sheet())
    a, b = sheet.build(), sheet.build()
    assert a.root is not b.root and a.model is None
    sheet.check(a)
    assert a.root.grad is None


def test_title_defaults_to_the_file_name(tmp_path):
    path = tmp_path / "homework3.toml"
    path.write_text('[problem]\nexpression = "x*2"\n[problem.at]\nx = 1.5\n'
                    '[answers.values]\nf = "3.0"\n', encoding="utf-8")
    sheet = load(path)
    assert sheet.title == "homework3" and sheet.check().ok  # the result is f by default


# -- network problems -----------------------------------------------------------------------

def test_softmax_layer_with_cross_entropy():
    # one softmax layer; ∂L/∂z_k = p_k − y_k for L = −log p_true
    W, b, x = [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.2]], [0.1, 0.0, -0.1], [1.0, 2.0]
    z = [sum(w * xi for w, xi in zip(row, x)) + bk for row, bk in zip(W, b)]
    p = [math.exp(t) / sum(math.exp(u) for u in z) for t in z]
    y = [0.0, 1.0, 0.0]
    sheet = parse_sheet({
        "problem": {"inputs": x, "targets": y, "loss": "cross_entropy",
                    "layers": [{"weights": W, "biases": b, "activation": "softmax"}],
                    "labels": {"z": "z{j}", "a": "p{j}", "loss": "CE"}},
        "answers": {"values": {"CE": repr(-math.log(p[1])), "p2": repr(p[1])},
                    "grads": {f"z{k + 1}": repr(p[k] - y[k]) for k in range(3)}}})
    report = sheet.check()
    assert report.ok and all(r.verdict == CORRECT for r in report)


def test_several_samples_combine_by_mean_or_sum():
    # one linear neuron y = 2x over x = 1, 2 with targets 0: losses 4 and 16
    def loss(combine):
        sheet = parse_sheet({
            "problem": {"inputs": [[1.0], [2.0]], "targets": [[0.0], [0.0]], "loss": "sse",
                        "combine": combine,
                        "layers": [{"weights": [[2.0]], "activation": "identity"}],
                        "labels": {"weights": "w"}},
            "answers": {"values": {"L": "0"}}})
        return sheet.check()["L"].engine
    assert loss("mean") == 10.0 and loss("sum") == 20.0


def test_default_parameter_names_are_labels():
    sheet = parse_sheet({
        "problem": {"inputs": [1.0, 2.0], "targets": [1.0], "loss": "half_sse",
                    "layers": [{"weights": [[0.5, 0.25]], "biases": [0.5],
                                "activation": "identity"}]},
        "answers": {"grads": {"L1.n1.w2": "2", "L1.n1.b": "0.7"}}})
    # y = 0.5 + 0.5 + 0.5 = 1.5, ∂L/∂y = 0.5, ∂L/∂w2 = 0.5·2
    report = sheet.check()
    assert [r.verdict for r in report] == [WRONG, WRONG]
    assert [r.expected for r in report] == ["1", "0.5"]


def test_nested_label_lists():
    sheet = parse_sheet({
        "problem": {"inputs": [1.0, 2.0], "targets": [0.0], "loss": "sse",
                    "layers": [{"weights": [[1.0, 1.0], [1.0, -1.0]], "biases": [0.0, 0.0],
                                "activation": "relu"},
                               {"weights": [[1.0, 1.0]], "activation": "identity"}],
                    "labels": {"weights": [[["p", ""], ["q", "r"]], [["s", "t"]]],
                               "biases": [["b1", ""], ""], "z": ["", ["out"]]}},
        "answers": {"values": {"p": "1", "r": "-1", "s": "1", "b1": "0", "out": "3"}}})
    assert sheet.check().ok
    model = sheet.build().model
    assert [p.label for p in model.parameters()] == [
        "p", "L1.n1.w2", "b1", "q", "r", "L1.n2.b", "s", "t"]


# -- malformed sheets: each error names its key path ------------------------------------

NETWORK = {
    "title": "a 2-2-1 network",
    "problem": {
        "inputs": [0.2, 0.5], "targets": [1.0], "loss": "half_sse", "lr": 0.1,
        "layers": [{"weights": [[0.2, 0.1], [0.1, 0.2]], "activation": "sigmoid"},
                   {"weights": [[0.4, 0.1]], "biases": [0.5], "activation": "sigmoid"}],
        "labels": {"weights": "w{l}{j}{i}", "z": "z{l}{j}", "a": "a{l}{j}", "loss": "Loss"},
    },
    "answers": {"values": {"a11": "0.52"}, "grads": {"w211": "-0.05"},
                "updates": {"w211": "0.4"}},
}


def edited(path, value=None, delete=False):
    """NETWORK with the entry at `path` (a tuple of keys and indices) changed."""
    data = copy.deepcopy(NETWORK)
    node = data
    for k in path[:-1]:
        node = node[k]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def test_the_base_network_sheet_is_valid():
    report = parse_sheet(NETWORK).check()
    assert [r.key for r in report] == ["a11", "w211", "w211"]


@pytest.mark.parametrize("path, value, key, message", [
    (("problem", "layers", 1, "weights"), [[0.4, 0.1, 0.3]], "problem.layers[2].weights",
     "expected rows of 2 numbers (W[out][in]: one row per neuron, one number per input; layer "
     "1 has 2 outputs), got a 1 × 3 matrix"),
    (("problem", "layers", 0, "weights"), [[0.2, 0.1], [0.1]], "problem.layers[1].weights",
     "got 2 rows of 2, 1 numbers"),
    (("problem", "layers", 0, "weights"), [0.2, 0.1], "problem.layers[1].weights",
     "got a flat list"),
    (("problem", "layers", 0, "weights"), 0.2, "problem.layers[1].weights",
     "expected a matrix W[out][in] (a list of rows)"),
    (("problem", "layers", 0, "weights"), [[]], "problem.layers[1].weights",
     "got a 1 × 0 matrix"),
    (("problem", "inputs"), "0.2, 0.5", "problem.inputs", "got a string"),
    (("problem", "layers", 0, "weights"), [[0.2, "0.1"], [0.1, 0.2]],
     "problem.layers[1].weights[1][2]", "only hand answers are strings"),
    (("problem", "layers", 1, "biases"), [0.5, 0.1], "problem.layers[2].biases",
     "expected 1 numbers (one per neuron: weights has 1 rows), got 2"),
    (("problem", "layers", 1, "activation"), "sigmod", "problem.layers[2].activation",
     "unknown activation 'sigmod' (did you mean sigmoid?); the activations are identity, sigmoid"),
    (("problem", "layers", 1, "activation"), 3, "problem.layers[2].activation",
     "expected an activation name"),
    (("problem", "layers", 1, "dropout"), 0.5, "problem.layers[2].dropout", "unknown key"),
    (("problem", "layers"), [], "problem.layers", "got an empty array"),
    (("problem", "layers"), {"weights": [[1.0]]}, "problem.layers", "got a table"),
    (("problem", "loss"), "crossentropy", "problem.loss", "unknown loss 'crossentropy'"),
    (("problem", "loss"), "l2", "problem.loss", "unknown loss 'l2'"),
    (("problem", "loss"), "__import__('os')", "problem.loss", "unknown loss"),
    (("problem", "targets"), [1.0, 0.0], "problem.targets",
     "expected 1 sample of 1 number (one per output of the last layer"),
    (("problem", "inputs"), [0.2, True], "problem.inputs[2]", "got a boolean"),
    (("problem", "inputs"), [[0.2, 0.5], 0.1], "problem.inputs", "mixes numbers and lists"),
    (("problem", "inputs"), [0.2, float("inf")], "problem.inputs[2]", "finite"),
    (("problem", "combine"), "mean", "problem.combine", "there is one sample"),
    (("problem", "lr"), -0.1, "problem.lr", "must be positive"),
    (("problem", "optimizer"), "adam", "problem.optimizer", "unknown key; problem takes"),
    (("problem", "expression"), "x", "problem", "has both expression and layers"),
    (("problem", "labels", "z"), "z{l.__class__}", "problem.labels.z",
     "{l.__class__} in 'z{l.__class__}' is not a field here"),
    (("problem", "labels", "z"), "z{}", "problem.labels.z", "{} in 'z{}' is not a field"),
    (("problem", "labels", "z"), "z{l!r}", "problem.labels.z", "write fields plainly"),
    (("problem", "labels", "weights"), "w{k}", "problem.labels.weights",
     "{k} in 'w{k}' is not a field here"),
    (("problem", "labels", "a"), ["a1{j}", ["y", "y2"]], "problem.labels.a[2]",
     "expected 1 labels (one per neuron), got 2"),
    (("problem", "labels", "a"), ["a1{j}", "y"], None, None),  # fields are optional
    (("problem", "labels", "a"), ["a1{j}"], "problem.labels.a",
     "expected one entry per layer (2), got 1"),
    (("problem", "labels", "z"), "z", "problem.labels.z",
     "'z' would label both z of layer 1 neuron 1 and z of layer 1 neuron 2"),
    (("problem", "labels", "loss"), "a11", "problem.labels.loss", "'a11' would label both"),
    (("problem", "labels", "loss"), "", "problem.labels.loss", "must be non-empty"),
    (("problem", "labels", "errors"), "e{j}", None, None),
    (("problem", "labels", "weights"), [[["a", "b"], ["c", "d"]]], "problem.labels.weights",
     "expected 2 entries, got 1"),
    (("problem", "labels", "biases"), [["x", "y"], ["b"]], "problem.labels.biases[1]",
     "nothing to label here"),
    (("problem", "labels", "colour"), "red", "problem.labels.colour", "unknown key"),
    (("answers", "values", "a11"), 0.52, None, None),  # a TOML number is accepted
    (("answers", "values", "a11"), "abc", "answers.values.a11",
     'expected a hand answer: a number written as a string, like "0.5225"'),
    (("answers", "values", "a11"), True, "answers.values.a11", "got a boolean"),
    (("answers", "values", "a11"), [0.52], "answers.values.a11", "got an array of 1"),
    (("answers", "values", "a11"), "nan", "answers.values.a11", "expected a hand answer"),
    (("answers", "values", "q7"), "1", "answers.values.q7",
     "no node is labelled 'q7'; the labels in this graph are: "),
    (("answers", "grads", "dq/dw211"), "1", 'answers.grads."dq/dw211"',
     "reads as a derivative dU/dV, but U and V must be labels"),
    (("answers", "values", "da11/dz11"), "1", 'answers.values."da11/dz11"',
     "is a derivative; put it in grads"),
    (("answers", "updates", "a11"), "1", "answers.updates.a11",
     "'a11' is computed (by sigmoid), not a parameter"),
    (("answers", "factors"), {"a11": ["z11", "bogus"]}, "answers.factors.a11",
     "'z11' has no hand answer"),
    (("answers", "factors"), {"a11": ["z11", ["w111"]]}, "answers.factors.a11",
     "mixes factors and lists"),
    (("answers", "factors"), {"a11": []}, "answers.factors.a11", "got an empty array"),
    (("answers", "factors"), {"a11": [[{"x": 1}]]}, "answers.factors.a11[1][1]",
     "expected a factor"),
    (("answers", "tol"), -1, "answers.tol", "must be ≥ 0"),
    (("answers", "slack"), 1.5, "answers.slack", "expected a non-negative integer"),
    (("answers", "hints"), {}, "answers.hints", "unknown key; answers takes"),
    (("title",), 3, "title", "expected a string, got an integer (3)"),
    (("author",), "me", "author", "unknown key; a sheet takes"),
])
def test_malformed_network_sheets(path, value, key, message):
    data = edited(path, value)
    if key is None:  # accepted
        parse_sheet(data).check()
        return
    with pytest.raises(SheetError) as err:
        parse_sheet(data).check()
    assert err.value.key == key, str(err.value)
    if message is not None:
        assert message in err.value.reason


def test_labels_for_an_identity_layer_activation():
    data = edited(("problem", "layers", 1, "activation"), "identity")
    data["problem"]["labels"]["a"] = ["a1{j}", "y"]
    with pytest.raises(SheetError, match=r"problem\.labels\.a\[2\]: layer 2 has no activation"):
        parse_sheet(data)
    data["problem"]["labels"]["a"] = "a{l}{j}"  # one pattern: the identity layer is skipped
    data["answers"] = {"values": {"a11": "0.52", "z21": "0.5"}}
    assert [r.key for r in parse_sheet(data).check()] == ["a11", "z21"]


def test_error_labels_need_a_residual_loss():
    data = edited(("problem", "labels", "errors"), "e{j}")
    data["problem"]["loss"] = "binary_cross_entropy"
    with pytest.raises(SheetError, match=r"problem\.labels\.errors: the loss "
                                         r"binary_cross_entropy is not built on ŷ − y"):
        parse_sheet(data)


@pytest.mark.parametrize("path", [("problem",), ("answers",), ("problem", "loss"),
                                  ("problem", "layers", 0, "activation"),
                                  ("problem", "targets")])
def test_missing_sections(path):
    with pytest.raises(SheetError) as err:
        parse_sheet(edited(path, delete=True))
    assert err.value.key == ".".join(str(p) if isinstance(p, str) else f"[{p + 1}]"
                                     for p in path).replace(".[", "[")
    assert "missing" in err.value.reason


def test_updates_need_a_learning_rate():
    with pytest.raises(SheetError, match=r"answers\.updates: updates need the learning rate: "
                                         r"set lr in \[problem\]"):
        parse_sheet(edited(("problem", "lr"), delete=True))


def test_no_answers():
    with pytest.raises(SheetError, match="answers: no hand answers"):
        parse_sheet(edited(("answers",), {"values": {}}))


def test_several_samples():
    data = edited(("problem", "inputs"), [[0.2, 0.5], [0.1, 0.3]])
    with pytest.raises(SheetError, match=r"problem\.targets: expected 2 samples of 1 number .* "
                                         r"got 1 sample of 1 number \(write several samples as"):
        parse_sheet(data)
    data["problem"]["targets"] = [[1.0], [0.0]]
    with pytest.raises(SheetError, match=r"problem\.combine: missing: with 2 samples"):
        parse_sheet(data)
    data["problem"]["combine"] = "average"
    with pytest.raises(SheetError, match="problem.combine: expected mean or sum"):
        parse_sheet(data)
    data["problem"]["combine"] = "mean"
    with pytest.raises(SheetError, match=r"problem\.labels\.z: 'z11' would label both z of "
                                         r"layer 1 neuron 1 \(sample 1\) and z of layer 1 "
                                         r"neuron 1 \(sample 2\).*put \{k\} in the node"):
        parse_sheet(data)
    data["problem"]["labels"].update(z="z{l}{j}_{k}", a="a{l}{j}_{k}")
    data["answers"] = {"values": {"a11_2": "0.52"}}
    x = 0.2 * 0.1 + 0.1 * 0.3
    report = parse_sheet(data).check()
    assert report["a11_2"].engine == pytest.approx(sig(x), rel=1e-12)


def test_one_input_per_sample_hint():
    data = edited(("problem", "inputs"), [-1.0, 0.0, 1.0])
    data["problem"]["layers"][0]["weights"] = [[1.0], [2.0]]
    with pytest.raises(SheetError, match=r"for 3 samples of one input write inputs as "
                                         r"\[\[x\], \[x\], \.\.\.\]"):
        parse_sheet(data)


# -- expression problems: malformed and hostile ------------------------------------------

@pytest.mark.parametrize("problem, key, message", [
    ({"expression": "__import__('os').system('true')"}, "problem.expression",
     "attribute access is not allowed"),
    ({"expression": "().__class__"}, "problem.expression", "attribute access is not allowed"),
    ({"expression": "open('x')"}, "problem.expression", "unknown function 'open'"),
    ({"expression": "__import__"}, "problem.expression", "names must not start with __"),
    ({"let": {"a": "eval('1')"}}, "problem.let.a", "unknown function 'eval'"),
    ({"let": {"a": "x.y"}}, "problem.let.a", "attribute access is not allowed"),
    ({"let": {"a": "lambda: 1"}}, "problem.let.a", "lambda is not allowed"),
    ({"expression": 3}, "problem.expression", "expected an expression (a string"),
    ({"expression": "a*q"}, "problem.expression", "uses q, which is neither in problem.at"),
    ({"let": {"a": "x*b", "b": "y"}}, "problem.let.a", "uses b before its definition"),
    ({"let": {"a": "a*x"}}, "problem.let.a", "a is defined in terms of itself"),
    ({"let": {"a": "x*z"}}, "problem.let.a", "uses z, which is neither in problem.at"),
    ({"let": {"a": "x*y", "b": "x"}}, 'problem.let.b', "not used by the expression"),
    ({"at": {"x": 2.0, "y": 3.0, "z": 1.0}}, "problem.at.z", "not used by the expression"),
    ({"at": {"x": 2.0, "y": "3"}}, "problem.at.y", "expected a number, got a string"),
    ({"at": {"x": 2.0, "y": 3.0, "__x": 1.0}}, "problem.at.__x", "not a name an expression"),
    ({"at": {"x": 2.0, "y": 3.0, "w(1)": 1.0}}, 'problem.at."w(1)"', "not a name"),
    ({"at": {"x": 2.0, "y": 3.0, "None": 1.0}}, "problem.at.None", "not a Python keyword"),
    ({"let": {"if": "x*y"}}, "problem.let.if", "not a Python keyword"),
    ({"at": {"x": 2.0, "y": 3.0, "exp": 1.0}}, "problem.at.exp", "is a function"),
    ({"at": {"x": 2.0, "y": 3.0, "a": 1.0}}, "problem.let.a", "a is also an input"),
    ({"let": {"a": "y"}, "expression": "a*x"}, "problem.let.a", "is just y"),
    ({"let": {"a": "2*3"}, "expression": "a*x*y"}, "problem.let.a", "uses no input"),
    ({"expression": "a"}, "problem.expression", "is just a"),
    ({"name": "a"}, "problem.name", "already an input or a definition"),
    ({"name": " L"}, "problem.name", "no spaces around it"),
    ({"at": {"x": 0.0, "y": 3.0}, "expression": "a/x"}, "problem.expression",
     "division by zero"),
    ({"let": {"a": "log(x - 2)"}, "expression": "a*y"}, "problem.let.a", "log"),
    ({"lr": "0.1"}, "problem.lr", "expected a number"),
    ({"let": {"a": ["x*y"]}}, "problem.let.a", "expected an expression (a string"),
    ({"at": [1, 2]}, "problem.at", "expected a table, got an array of 2"),
    ({"inputs": [1.0]}, "problem.inputs", "unknown key; problem takes: expression"),
])
def test_malformed_expression_sheets(problem, key, message):
    with pytest.raises(SheetError) as err:
        parse_sheet(expression_sheet(**problem)).check()
    assert err.value.key == key, str(err.value)
    assert message in err.value.reason


def test_neither_expression_nor_layers():
    with pytest.raises(SheetError, match=r"problem: expected an expression .* or a network"):
        parse_sheet({"problem": {"at": {"x": 1.0}}, "answers": {"values": {"x": "1"}}})


def test_an_answer_given_twice():
    sheet = parse_sheet({**expression_sheet(), "answers": {"grads": {"a": "13", "dL/da": "13"}}})
    with pytest.raises(SheetError, match=r'answers\.grads\."dL/da": is the same quantity'):
        sheet.check()


# -- TOML text ------------------------------------------------------------------------------

def test_bad_toml_syntax_names_the_line():
    with pytest.raises(SheetError, match=r"^not valid TOML: .*line 3"):
        loads('[problem]\nexpression = "x"\nname = \n')


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "é"\n'.encode("latin-1"))
    with pytest.raises(SheetError, match="not UTF-8 text"):
        load(path)


def test_toml_numbers_keep_only_their_repr_digits():
    # "0.50" claims two decimals, the TOML float 0.50 is 0.5 (one decimal)
    text = ('[problem]\nexpression = "x*1"\n[problem.at]\nx = 0.512\n'
            '[answers.values]\nf = {}\n')
    assert loads(text.format('"0.50"')).check()["f"].verdict == CLOSE
    assert loads(text.format("0.50")).check()["f"].verdict == CORRECT


def test_control_characters_are_refused_where_they_would_be_printed():
    for data in (expression_sheet(name="L\x1b[2J"), {**expression_sheet(), "title": "a\nb"}):
        with pytest.raises(SheetError, match="control characters"):
            parse_sheet(data)
    # an expression may span lines
    text = ('[problem]\nexpression = """(\n(x - 1)**2\n  + 1)"""\n[problem.at]\nx = 3.0\n'
            '[answers.values]\nf = "5"\n')
    assert loads(text).check().ok


# -- any TOML data: a sheet or a SheetError, never a crash --------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats()
    | st.sampled_from(["", "x", "0.5", "sigmoid", "z{l}{j}", "{k}", "x*y", "dL/dx", "a11",
                       "w211", "mean", "1/0", "__import__", "{l.real}"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["x", "y", "a", "weights", "expression"]), children,
                      max_size=3),
    max_leaves=8).filter(lambda v: v is not None)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


SHEET_PATHS = {"network": [p for p in paths(NETWORK) if p],
               "expression": [p for p in paths(expression_sheet()) if p]}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["network", "expression"]), data=st.data(), value=TOML_VALUES)
def test_any_edit_gives_a_sheet_or_a_sheet_error(kind, data, value):
    base = copy.deepcopy(NETWORK if kind == "network" else expression_sheet())
    path = data.draw(st.sampled_from(SHEET_PATHS[kind]))
    node = base
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    try:
        parse_sheet(base).check()
    except SheetError:
        pass


def test_error_labels_name_the_residual_of_each_output():
    data = edited(("problem", "labels", "errors"), "e{j}")
    a11, a12 = sig(0.2 * 0.2 + 0.1 * 0.5), sig(0.1 * 0.2 + 0.2 * 0.5)
    e1 = sig(0.4 * a11 + 0.1 * a12 + 0.5) - 1.0  # ŷ − y, and ∂(½e²)/∂e = e
    data["answers"] = {"values": {"e1": repr(e1)}, "grads": {"e1": repr(e1)}}
    sheet = parse_sheet(data)
    assert sheet.check().ok
    root = sheet.build().root
    (node,) = [v for v in autograd.graph.backward_order(root) if v.label == "e1"]
    assert node.op.base is autograd.ops.SUB and node.args[1] == 1.0
    assert node.args[0].data == pytest.approx(e1 + 1.0, rel=1e-12)


def test_an_overflowing_gradient_is_an_error_under_problem():
    # f = 1e300·√x at x = 1e-300 is 1e150, but ∂f/∂x = 1e300·½/√x = 5e449
    sheet = parse_sheet({"problem": {"expression": "1e300*sqrt(x)", "at": {"x": 1e-300}},
                         "answers": {"values": {"f": "1e150"}, "grads": {"x": "1"}}})
    with pytest.raises(SheetError, match=r"^problem: the gradient at x is inf: it overflowed; "
                                         r"these numbers cannot be graded$") as err:
        sheet.check()
    assert err.value.key == "problem"
    values_only = parse_sheet({"problem": {"expression": "1e300*sqrt(x)", "at": {"x": 1e-300}},
                               "answers": {"values": {"f": "1e150"}}})
    assert values_only.check().ok


def test_an_overflowing_update_is_an_error_under_its_answer():
    sheet = parse_sheet({"problem": {"expression": "w*1e300", "at": {"w": 2.0}, "lr": 1e10},
                         "answers": {"updates": {"w": "0"}}})
    with pytest.raises(SheetError, match=r"^answers\.updates\.w: w − 1e\+10·∂f/∂w is -inf: the "
                                         r"update overflows; these numbers cannot be graded$"):
        sheet.check()


@pytest.mark.parametrize("x, shown", [(10 ** 400, "inf"), (-10 ** 400, "-inf"),
                                      (math.nan, "nan"), (True, "a boolean (true)")])
def test_numbers_beyond_the_floats_are_refused(x, shown):
    # TOML integers stop at 2⁶³, but parse_sheet also takes data made in Python
    with pytest.raises(SheetError, match=rf"^problem\.at\.x: expected a (finite )?number, got "
                                         rf"{re.escape(shown)}$"):
        parse_sheet(expression_sheet(expression="x*x", let={}, at={"x": x}))


# -- a misspelt key or name is named, with what it was probably meant to be ------------------

NETWORK_SHEET = """
[problem]
inputs = [0.2, 0.5]
targets = [1.0, 0.0]
loss = "{loss}"
[[problem.layers]]
weights = [[0.2, 0.1], [0.1, 0.2]]
activation = "{activation}"
[answers.values]
L = "0.5"
"""


@pytest.mark.parametrize("text, message", [
    ('[problem]\nexpresion = "x*y"\n[problem.at]\nx = 1\ny = 2\n[answers.grads]\nx = "2"\n',
     "problem.expresion: unknown key (did you mean expression?); a problem is an expression "
     '(expression = "..." with [problem.at]) or a network ([[problem.layers]] with inputs, '
     "targets and loss)"),
    ('[problem]\nexpression = "x*y"\nnmae = "L"\n[problem.at]\nx = 1\ny = 2\n'
     '[answers.grads]\nx = "2"\n', "problem.nmae: unknown key (did you mean name?); "),
    ('[problem]\nexpression = "x*y"\n[problem.at]\nx = 1\ny = 2\n[answer.grads]\nx = "2"\n',
     "answer: unknown key (did you mean answers?); "),
    (NETWORK_SHEET.format(loss="half_see", activation="sigmoid"),
     "problem.loss: unknown loss 'half_see' (did you mean half_sse?); the losses are "),
    (NETWORK_SHEET.format(loss="half_sse", activation="sigmod"),
     "problem.layers[1].activation: unknown activation 'sigmod' (did you mean sigmoid?); "),
    ('[problem]\nexpression = "x*y"\nfrobnicate = 1\n[problem.at]\nx = 1\ny = 2\n'
     '[answers.grads]\nx = "2"\n', "problem.frobnicate: unknown key; problem takes: "),
])
def test_a_misspelt_key_or_name_gets_a_did_you_mean(text, message):
    with pytest.raises(SheetError) as e:
        loads(text)
    assert str(e.value).startswith(message), str(e.value)


@pytest.mark.parametrize("text, message", [
    ('title = "x"\n[problem]\nexpression = "x*y"\n[problem.at]\nx = 1\ny = 2\n[notaton]\n'
     '"y_1" = "x"\n', "notaton: unknown key (did you mean notation?); a problem file takes: "),
    ('[[parts]]\nstart = "Q3."\nproblme = 1\n',
     "parts[1].problme: unknown key (did you mean problem?); a part takes: "),
])
def test_a_misspelt_problem_file_key_gets_a_did_you_mean(text, message):
    from handgrad.problem import loads_problem
    with pytest.raises(SheetError) as e:
        loads_problem(text)
    assert str(e.value).startswith(message), str(e.value)


def test_a_problem_file_given_to_check_says_it_is_one():
    # handgrad check handgrad/problems/seed000.toml said "parts: unknown key; a sheet takes: …"
    seed000 = Path(__file__).parents[1] / "handgrad" / "problems" / "seed000.toml"
    with pytest.raises(SheetError) as e:
        load(seed000)
    assert str(e.value) == ("parts: a problem file's [[parts]]: this file is for handgrad "
                            "grade PROBLEM.toml SUBMISSION (Markdown homework), not an answer "
                            "sheet for handgrad check")
