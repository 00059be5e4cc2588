"""Drawings of seed 000's 2-2-2 sigmoid network, checked in the rendered SVG.

Every expected number is computed here with `math` from the homework's
inputs and weights (Q3/Q4 of seed 000), never read back from the engine.
"""

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.draw import Drawing, draw

pytestmark = pytest.mark.usefixtures("in_process_graphviz")

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?"


def sig(z):
    return 1 / (1 + math.exp(-z))


# -- seed 000, by hand -----------------------------------------------------------
X1, X2 = 0.2, 0.5
W0 = {"10": 0.2, "20": 0.1, "11": 0.1, "21": 0.2}  # w(0)ij: input i -> hidden j
W1 = {"10": 0.4, "20": 0.1, "11": 0.5, "21": 0.3}  # w(1)ij: hidden i -> output j
Z10 = W0["10"] * X1 + W0["20"] * X2  # 0.09
Z11 = W0["11"] * X1 + W0["21"] * X2  # 0.12
A10, A11 = sig(Z10), sig(Z11)  # 0.5225, 0.5299
Z20 = W1["10"] * A10 + W1["20"] * A11
Z21 = W1["11"] * A10 + W1["21"] * A11
Y1, Y2 = sig(Z20), sig(Z21)
LOSS = 0.5 * ((Y1 - 1) ** 2 + (Y2 - 0) ** 2)  # Q4: targets 1 and 0
# backward by hand
D_Y1, D_Y2 = Y1 - 1, Y2 - 0
D_Z20, D_Z21 = D_Y1 * Y1 * (1 - Y1), D_Y2 * Y2 * (1 - Y2)
D_A10 = D_Z20 * W1["10"] + D_Z21 * W1["11"]
D_A11 = D_Z20 * W1["20"] + D_Z21 * W1["21"]
D_Z10, D_Z11 = D_A10 * A10 * (1 - A10), D_A11 * A11 * (1 - A11)
EXPECTED = {  # name: (data, grad)
    "x1": (X1, D_Z10 * W0["10"] + D_Z11 * W0["11"]),
    "x2": (X2, D_Z10 * W0["20"] + D_Z11 * W0["21"]),
    "w(0)10": (W0["10"], D_Z10 * X1), "w(0)20": (W0["20"], D_Z10 * X2),
    "w(0)11": (W0["11"], D_Z11 * X1), "w(0)21": (W0["21"], D_Z11 * X2),
    "z10": (Z10, D_Z10), "z11": (Z11, D_Z11), "a10": (A10, D_A10), "a11": (A11, D_A11),
    "w(1)10": (W1["10"], D_Z20 * A10), "w(1)20": (W1["20"], D_Z20 * A11),
    "w(1)11": (W1["11"], D_Z21 * A10), "w(1)21": (W1["21"], D_Z21 * A11),
    "z20": (Z20, D_Z20), "z21": (Z21, D_Z21), "y1": (Y1, D_Y1), "y2": (Y2, D_Y2),
    "L": (LOSS, 1.0),
}


def seed_network():
    """The 2-2-2 network of seed 000 with the homework's names: each z is one
    `linear` node (as nn builds it), each activation one sigmoid node."""
    x1, x2 = Value(X1, "x1"), Value(X2, "x2")
    w0 = {k: Value(v, f"w(0){k}") for k, v in W0.items()}
    w1 = {k: Value(v, f"w(1){k}") for k, v in W1.items()}
    z10 = autograd.linear([w0["10"], w0["20"]], [x1, x2]).named("z10")
    z11 = autograd.linear([w0["11"], w0["21"]], [x1, x2]).named("z11")
    a10, a11 = z10.sigmoid().named("a10"), z11.sigmoid().named("a11")
    z20 = autograd.linear([w1["10"], w1["20"]], [a10, a11]).named("z20")
    z21 = autograd.linear([w1["11"], w1["21"]], [a10, a11]).named("z21")
    y1, y2 = z20.sigmoid().named("y1"), z21.sigmoid().named("y2")
    loss = (0.5 * ((y1 - 1) ** 2 + (y2 - 0) ** 2)).named("L")
    nodes = dict(x1=x1, x2=x2, z10=z10, z11=z11, a10=a10, a11=a11, z20=z20, z21=z21,
                 y1=y1, y2=y2, L=loss)
    nodes.update({v.label: v for v in [*w0.values(), *w1.values()]})
    return loss, nodes, [*w0.values(), *w1.values()]


# -- reading the SVG -------------------------------------------------------------

def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def groups(tree: ET.Element, cls: str) -> dict[str, ET.Element]:
    """SVG groups whose class list contains `cls`, by id."""
    return {g.get("id"): g for g in tree.iter(f"{SVG}g")
            if cls in (g.get("class") or "").split()}


def texts(g: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]


def cards(tree: ET.Element) -> dict[str, list[str]]:
    """Each value card's lines (name, data, grad), keyed by the card's name."""
    out = {}
    for g in groups(tree, "node").values():
        if re.fullmatch(r"v\d+", g.get("id")):
            lines = texts(g)
            out[lines[0]] = lines
    return out


def field(line: str, key: str) -> float:
    m = re.fullmatch(rf"{key}: ({NUMBER})", line)
    assert m, f"{line!r} is not a '{key}: <number>' line"
    return float(m.group(1))


def close(shown: float, exact: float, digits: int = 4) -> bool:
    """`shown` is `exact` printed as the backward trace prints it: `digits`
    decimals, or `digits` significant figures for tiny or huge numbers."""
    return math.isclose(shown, exact, rel_tol=10 ** (1 - digits), abs_tol=10 ** -digits)


def edge_label(tree, edge_id):
    return texts(groups(tree, "edge")[edge_id])


def edge_index(node: Value, parent: Value) -> int:
    [k] = [k for k, (p, _, _) in enumerate(node.edges()) if p is parent]
    return k


@pytest.fixture(scope="module")
def seed():
    loss, nodes, params = seed_network()
    before = draw(loss, params=params).to_svg()
    loss.backward()
    return loss, nodes, params, before


# -- the numbers -----------------------------------------------------------------

def test_seed_numbers_in_svg(seed):
    loss, nodes, params, _ = seed
    tree = parse(draw(loss, params=params).to_svg())
    shown = cards(tree)
    assert set(EXPECTED) <= set(shown)
    for name, (data, grad) in EXPECTED.items():
        lines = shown[name]
        assert close(field(lines[1], "data"), data), (name, lines)
        assert close(field(lines[2], "grad"), grad), (name, lines)
    # Q3's a10 ≈ 0.5225; a11 = σ(0.12) = 0.529964… shows as 0.5300 (rounded, so the
    # zeros stay; the homework truncates it to 0.5299); exact inputs show as typed
    assert shown["a10"][1] == "data: 0.5225" and shown["a11"][1] == "data: 0.5300"
    assert shown["x1"][1] == "data: 0.2" and shown["L"][2] == "grad: 1"
    # z10 = 0.2·0.2 + 0.1·0.5 is 0.09000000000000001 in floats: shown as Q3 writes it
    assert shown["z10"][1] == "data: 0.09" and shown["z11"][1] == "data: 0.12"


def test_more_digits(seed):
    loss, nodes, params, _ = seed
    shown = cards(parse(draw(loss, digits=9).to_svg()))
    for name, (data, grad) in EXPECTED.items():
        assert close(field(shown[name][1], "data"), data, 9)
        assert close(field(shown[name][2], "grad"), grad, 9)


@pytest.mark.parametrize("x, digits, shown", [
    (0.123456789, 4, "0.1235"),  # 4 decimals, as the backward trace prints it
    (0.5, 4, "0.5"), (1.0, 4, "1"), (-2.25, 4, "-2.25"),  # exact: written as typed
    (0.52996, 4, "0.5300"),  # rounded: the zeros say so (it is not 0.53)
    (12.99999, 4, "13.0000"),
    (0.00012345678, 4, "0.0001235"),  # tiny: 4 significant figures, not 0.0001
    (2e-7, 4, "2e-07"), (1.20004e-7, 4, "1.200e-07"), (1234567.0, 4, "1.235e+06"),
    (0.123, 2, "0.12"), (3.7, 1, "4"), (0.1 + 0.2, 4, "0.3"),  # 0.30000000000000004
])
def test_number_format(x, digits, shown):
    tree = parse(draw(Value(x, "x"), digits=digits).to_svg())
    assert texts(groups(tree, "node")["v0"])[1] == f"data: {shown}"


def test_drawing_and_trace_read_the_same():
    """y = σ(2·σ(0.5·0.3)): ∂y/∂z1 = σ'(z2)·2·σ'(z1) = 0.0943284…, which the
    trace and the drawing both print to 4 decimals as 0.0943."""
    a1 = sig(0.15)
    y = sig(2 * a1)
    dz1 = y * (1 - y) * 2 * a1 * (1 - a1)
    assert f"{dz1:.6f}" == "0.094328"
    w1, w2 = Value(0.5, "w1"), Value(2.0, "w2")
    z1 = autograd.linear([w1], [0.3]).named("z1")
    out = autograd.linear([w2], [z1.sigmoid().named("a1")]).sigmoid().named("y")
    lines = [s.line for s in autograd.backward_steps(out)]
    [step] = [line for line in lines if line.startswith("∂y/∂z1 +=")]
    assert step.endswith("= 0.0943")
    card = cards(parse(draw(out).to_svg()))["z1"]
    assert card[2] == "grad: 0.0943"


def test_local_derivatives_on_edges(seed):
    loss, n, params, _ = seed
    d = draw(loss)
    tree = parse(d.to_svg())
    expected = [  # (node, parent, ∂node/∂parent) from Q4's chain
        ("z20", "w(1)10", A10), ("z20", "w(1)20", A11), ("z20", "a10", W1["10"]),
        ("z21", "w(1)11", A10), ("z21", "a10", W1["11"]),
        ("z10", "w(0)10", X1), ("z10", "x2", W0["20"]),
        ("a10", "z10", A10 * (1 - A10)), ("a11", "z11", A11 * (1 - A11)),
        ("y1", "z20", Y1 * (1 - Y1)), ("y2", "z21", Y2 * (1 - Y2)),
    ]
    for node, parent, local in expected:
        k = edge_index(n[node], n[parent])
        [label] = edge_label(tree, f"{d.ids[n[node]]}-e{k}")
        assert close(float(label), local), (node, parent, label)
    # every drawn input edge carries a number
    for eid, g in groups(tree, "edge").items():
        if re.fullmatch(r"v\d+-e\d+", eid):
            assert re.fullmatch(NUMBER, texts(g)[0]), eid


def test_contributions(seed):
    loss, n, params, _ = seed
    d = draw(loss, show_contributions=True)
    tree = parse(d.to_svg())
    k = edge_index(n["z20"], n["w(1)10"])
    local, times = edge_label(tree, f"{d.ids[n['z20']]}-e{k}")
    m = re.fullmatch(rf"× \(?({NUMBER})\)? = ({NUMBER})", times)
    assert close(float(local), A10)
    assert close(float(m.group(1)), D_Z20)
    assert close(float(m.group(2)), D_Z20 * A10)  # = ∂L/∂w(1)10: w(1)10 is used once
    # the homework's ∂L/∂w(1)10 ≈ -0.0569 used a10 ≈ 0.54; the exact term is -0.05584…
    assert m.group(2) == "-0.0558"


def test_not_computed_before_backward(seed):
    before = seed[3]
    shown = cards(parse(before))
    assert set(EXPECTED) <= set(shown)
    for name in EXPECTED:
        assert shown[name][2] == "grad: not computed", shown[name]


def test_contributions_need_backward():
    loss, _, _ = seed_network()
    with pytest.raises(ValueError, match="backward"):
        draw(loss, show_contributions=True)


def test_roles_and_symbols(seed):
    loss, n, params, _ = seed
    d = draw(loss, params=params)
    tree = parse(d.to_svg())
    role = {v: (g.get("class") or "").split()[1] for v, g in
            ((v, groups(tree, "node")[d.ids[v]]) for v in n.values())}
    assert role[n["x1"]] == role[n["x2"]] == "input"
    assert all(role[p] == "parameter" for p in params)
    assert role[n["a10"]] == role[n["z21"]] == "intermediate"
    assert role[n["L"]] == "output"
    # without params= nothing claims to know which leaves are weights
    plain = parse(draw(loss).to_svg())
    assert not groups(plain, "parameter")
    ops_drawn = {texts(g)[0] for g in groups(tree, "op").values()}
    assert ops_drawn == {"Σwx", "σ", "−", "xⁿ", "+", "×"}  # the seed's neurons have no bias
    numbers = sorted(texts(g)[0] for g in groups(tree, "number").values())
    assert numbers == ["0", "0.5", "1", "2", "2"]  # (y1 − 1)², (y2 − 0)², 0.5 · (…)


def test_rankdir_changes_layout(seed):
    loss, n, _, _ = seed

    def centre(tree, d, v):
        pts = [tuple(map(float, p.split(","))) for g in [groups(tree, "node")[d.ids[v]]]
               for poly in g.iter(f"{SVG}polygon") for p in poly.get("points").split()]
        return (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts))

    lr = draw(loss)
    tree = parse(lr.to_svg())
    (xi, yi), (xo, yo) = centre(tree, lr, n["x1"]), centre(tree, lr, n["L"])
    assert xo - xi > 500  # the loss is far to the right of the input
    tb = draw(loss, rankdir="TB")
    tree = parse(tb.to_svg())
    (xi, yi), (xo, yo) = centre(tree, tb, n["x1"]), centre(tree, tb, n["L"])
    assert yo - yi > 500  # … or far below it (SVG y grows downwards)
    with pytest.raises(ValueError, match="rankdir"):
        draw(loss, rankdir="sideways")


# -- highlight: the terms of the chain rule --------------------------------------

def paths(root: Value, target: Value) -> list[list[tuple[Value, int]]]:
    """Every path from root down to target, as (node, edge index) steps."""
    if root is target:
        return [[]]
    found = []
    for k, (p, _, _) in enumerate(root.edges()):
        found += [[(root, k)] + rest for rest in paths(p, target)]
    return found


def highlighted_edges(tree) -> set[str]:
    return {eid for eid in groups(tree, "highlight") if re.fullmatch(r"v\d+-e\d+", eid)}


@pytest.mark.parametrize("target", ["w(0)10", "w(1)10", "x2", "a11", "z21", "L"])
def test_highlight_is_the_chain_rule(seed, target):
    loss, n, _, _ = seed
    d = draw(loss, highlight=n[target])
    ps = paths(loss, n[target])
    want = {f"{d.ids[v]}-e{k}" for path in ps for v, k in path}
    assert highlighted_edges(parse(d.to_svg())) == want
    # the chain-rule sum over these paths is the gradient
    total = sum(math.prod(v.edges()[k][1] for v, k in path) for path in ps)
    assert close(total, EXPECTED[target][1], 9)


def test_highlight_counts_paths(seed):
    loss, n, _, _ = seed
    # Q4: ∂L/∂w(0)10 is a sum of two terms (through z20 and z21); w(1)10 has one
    assert len(paths(loss, n["w(0)10"])) == 2 and len(paths(loss, n["w(1)10"])) == 1
    d = draw(loss, highlight=n["w(1)10"])
    # one edge per factor of the chain: L = 0.5·s, s = p + q, p = r², r = y1 − 1,
    # y1 = σ(z20), z20 = w(1)10·a10 + …
    assert len(highlighted_edges(parse(d.to_svg()))) == 6


def test_highlight_edges_one_step(seed):
    loss, n, _, _ = seed
    k = edge_index(n["z21"], n["a10"])
    d = draw(loss, highlight_edges=[(n["z21"], k)])
    assert highlighted_edges(parse(d.to_svg())) == {f"{d.ids[n['z21']]}-e{k}"}


def test_highlight_errors(seed):
    loss, n, _, _ = seed
    stranger = Value(1.0, "stranger")
    with pytest.raises(ValueError, match="not in the graph"):
        draw(loss, highlight=stranger)
    with pytest.raises(ValueError, match="has 4 edges"):
        draw(loss, highlight_edges=[(n["z20"], 4)])
    with pytest.raises(ValueError, match="not a node"):
        draw(loss, highlight_edges=[(stranger, 0)])
    with pytest.raises(TypeError, match="pairs"):
        draw(loss, highlight_edges=[n["z20"]])


# -- escaping --------------------------------------------------------------------

HOSTILE = ['"</table><script>alert(1)</script>', 'a"b', "{x|y}", "\\", "]", "x\\",
           "\\N \\l \\n", "&amp; &foo; &#60;", "<b>bold</b>", "[label=x]; evil -> node",
           "가중치 w₁₀ → ∂L/∂w", "  spaced  "]


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_hostile_labels_are_literal(rankdir):
    xs = [Value(float(i), label) for i, label in enumerate(HOSTILE)]
    root = autograd.sum([x * 2 for x in xs]).named('out"put<>')
    root.backward()
    d = draw(root, rankdir=rankdir)
    tree = parse(d.to_svg())  # parses: nothing broke out of a string or a tag
    assert not list(tree.iter(f"{SVG}script"))
    for x, label in zip(xs, HOSTILE):
        g = groups(tree, "node")[d.ids[x]]
        assert texts(g)[0] == label.strip()  # records trim edge spaces, nothing else
        assert g.find(f".//{SVG}a").get(f"{XLINK}title") == "input"
    assert texts(groups(tree, "node")[d.ids[root]])[0] == 'out"put<>'


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=24))
def test_any_label_is_shown_literally(label):
    assume(label.strip())  # a blank label is refused (tests/test_engine_numerics.py)
    tree = parse(draw(Value(1.0, label) * 2).to_svg())
    assert texts(groups(tree, "node")["v0"])[0] == label.strip(" ")


def test_newlines_and_control_characters():
    x = Value(1.0, "two\nlines\x01")
    tree = parse(draw(x * 3).to_svg())
    g = groups(tree, "node")["v0"]
    assert texts(g)[:2] == ["two", "lines␁"]


def test_hangul_and_subscripts():
    w = Value(0.5, "가중치 w₁₀")
    y = (w * Value(2.0, "입력 x₁")).named("출력 ŷ")
    tree = parse(draw(y).to_svg())
    names = {texts(g)[0] for g in groups(tree, "node").values()}
    assert {"가중치 w₁₀", "입력 x₁", "출력 ŷ"} <= names


# -- API -------------------------------------------------------------------------

def test_drawing_api(seed, tmp_path):
    loss, n, _, _ = seed
    d = draw(loss)
    assert isinstance(d, Drawing)
    assert d.digraph.source == d.source and d.source.startswith("digraph")
    assert "rankdir=LR" in d.source
    svg = d.to_svg()
    assert d._repr_svg_() == svg
    # 2 inputs, 8 weights, 4 z's and 4 a's, then y−1, y−0, two squares, their sum, L
    assert repr(d) == "<Drawing: 24 value boxes; .to_svg(), .save(path)>"
    assert d.save(tmp_path / "g.svg").read_text(encoding="utf-8") == svg
    assert (d.save(tmp_path / "g.dot")).read_text(encoding="utf-8") == d.source
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.dot"):
        d.save(tmp_path / "g.pdf")


def test_bad_arguments(seed):
    loss = seed[0]
    with pytest.raises(TypeError, match="Value"):
        draw(3.0)
    with pytest.raises(ValueError, match="collapse"):
        draw(loss, collapse="everything")
    with pytest.raises(ValueError, match="needs model"):
        draw(loss, collapse="neuron")
    with pytest.raises(TypeError, match="params"):
        draw(loss, params=[0.5])
    with pytest.raises(ValueError, match="digits"):
        draw(loss, digits=0)


def test_leaf_and_softmax():
    x = Value(-0.0, "x")
    tree = parse(draw(x).to_svg())
    assert texts(groups(tree, "node")["v0"]) == ["x", "data: 0", "grad: not computed"]
    ys = autograd.softmax([Value(1.0, "a"), Value(2.0, "b")])
    d = draw(ys[1])
    tree = parse(d.to_svg())
    assert texts(groups(tree, "op")[f"{d.ids[ys[1]]}-op"]) == ["softmax₂"]
    e2 = math.exp(2) / (math.exp(1) + math.exp(2))
    # ∂y₂/∂a = −y₂y₁, ∂y₂/∂b = y₂(1 − y₂)
    assert close(float(edge_label(tree, f"{d.ids[ys[1]]}-e0")[0]), -e2 * (1 - e2))
    assert close(float(edge_label(tree, f"{d.ids[ys[1]]}-e1")[0]), e2 * (1 - e2))
