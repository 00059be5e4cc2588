"""explain: ∂root/∂node as a sum over paths of products of local derivatives."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.explain import LabelError, explain
from seeds import random_graph, scalar_mlp, tobigs_perceptron


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


A10, A11 = sigmoid(0.2 * 0.2 + 0.1 * 0.5), sigmoid(0.1 * 0.2 + 0.2 * 0.5)
Y1, Y2 = sigmoid(0.4 * A10 + 0.1 * A11), sigmoid(0.5 * A10 + 0.3 * A11)


def test_seed000_first_layer_weight_is_a_sum_of_two_paths():
    net = tobigs_perceptron()
    e = explain(net.root, net["w(0)10"])
    assert not e.grouped and e.paths == 2
    names = [[f.name for f in t.factors] for t in e.terms]
    assert names == [
        ["∂Loss/∂y1", "∂y1/∂z20", "∂z20/∂a10", "∂a10/∂z10", "∂z10/∂w(0)10"],
        ["∂Loss/∂y2", "∂y2/∂z21", "∂z21/∂a10", "∂a10/∂z10", "∂z10/∂w(0)10"],
    ]
    via_y1 = [Y1 - 1, Y1 * (1 - Y1), 0.4, A10 * (1 - A10), 0.2]
    via_y2 = [Y2, Y2 * (1 - Y2), 0.5, A10 * (1 - A10), 0.2]
    for term, expected in zip(e.terms, (via_y1, via_y2)):
        assert [f.value for f in term.factors] == pytest.approx(expected, rel=1e-12)
        assert term.value == pytest.approx(math.prod(expected), rel=1e-12)
    formulas = {f.name: f.formula for f in e.where}
    assert formulas["∂y1/∂z20"] == "y1(1 − y1)"
    assert formulas["∂z20/∂a10"] == "w(1)10"
    assert formulas["∂a10/∂z10"] == "a10(1 − a10)"
    assert formulas["∂z10/∂w(0)10"] == "x1"
    assert formulas["∂Loss/∂y1"] is None  # through the loss's unlabelled nodes
    assert e.total == pytest.approx(0.0014699023256, rel=1e-10)
    net.root.backward()
    assert e.total == net["w(0)10"].grad


def test_seed000_text_reads_like_the_homework():
    net = tobigs_perceptron()
    text = str(explain(net.root, "w(1)10"))
    assert text.splitlines()[:3] == [
        "∂Loss/∂w(1)10 = ∂Loss/∂y1 · ∂y1/∂z20 · ∂z20/∂w(1)10",
        "              = (-0.4349) × 0.2458 × 0.5225",
        "              = -0.0558",
    ]
    assert "  ∂z20/∂w(1)10 = a10 = 0.5225" in text
    text = str(explain(net.root, "w(0)10"))
    assert "              = -0.002133 + 0.003603" in text
    assert text.splitlines()[5] == "              = 0.00147"


def test_explain_leaves_grads_alone():
    net = tobigs_perceptron()
    explain(net.root, "w(0)10")
    assert all(v.grad is None for v in net.nodes.values())


def test_seed001_first_layer_weight_sums_six_paths():
    net = scalar_mlp()
    e = explain(net.root, "W1_11")
    assert e.paths == 6 and len(e.terms) == 6 and not e.grouped
    # The document's ⑥: Σₖ B(h¹₁)ₖ·xₖ = -0.1299 (it states -0.13).
    assert e.total == pytest.approx(-0.12992177509, rel=1e-9)
    assert math.fsum(t.value for t in e.terms) == pytest.approx(e.total, rel=1e-12)
    # x[2] = 0, so both paths through sample 2 are zero.
    assert [t.value == 0 for t in e.terms] == [False, False, True, True, False, False]


def mlp(widths, seed=0):
    rng = random.Random(seed)
    h = [Value(0.3, "x1"), Value(-0.2, "x2")]
    for layer, width in enumerate(widths):
        out = []
        for j in range(width):
            w = [Value(rng.uniform(-1, 1), f"w{layer}_{j}_{i}") for i in range(len(h))]
            z = autograd.linear(w, h, Value(0.1, f"b{layer}_{j}"))
            out.append(z.tanh() if width > 1 else z)
        h = out
    return ((h[0] - 1.0) ** 2).named("L")


def test_too_many_paths_are_grouped_where_paths_split_and_merge():
    L = mlp([4, 4, 4, 4, 1])  # a first-layer weight: 4·4·4 = 64 paths
    w = next(v for v in autograd.graph.backward_order(L) if v.label == "w0_0_0")
    e = explain(L, w)
    assert e.paths == 64 and e.grouped
    assert e.equations[-1].node is w and len(e.terms) == 1
    for eq in e.equations:
        assert math.fsum(t.value for t in eq.terms) == pytest.approx(eq.total, rel=1e-9, abs=1e-15)
        for t in eq.terms:
            upstream = [f for f in t.factors if f.kind == "upstream"]
            assert len(upstream) <= 1 and (not upstream or t.factors[0] is upstream[0])
    # every upstream factor was derived by an earlier equation
    derived = set()
    for eq in e.equations:
        for t in eq.terms:
            for f in t.factors:
                if f.kind == "upstream":
                    assert f.bottom in derived
        derived.add(eq.node)
    L.backward()
    assert e.total == w.grad
    assert str(e).startswith("∂L/∂w0_0_0: 64 paths from L, grouped through the")
    flat = explain(L, w, max_terms=64)
    assert not flat.grouped and len(flat.terms) == 64


def test_a_long_grouped_equation_is_shortened_in_text_only():
    xs = [Value(float(i), f"x{i}") for i in range(30)]
    s = autograd.sum(xs)
    u = Value(2.0, "u")
    L = (s * u).named("L")
    e = explain(L, u, max_terms=5)
    assert len(e.terms) == 1
    e = explain(L, xs[3], max_terms=5)
    assert len(e.terms) == 1 and e.total == 2.0
    fan = [(x * u) for x in xs]
    L = autograd.sum(fan).named("L")
    e = explain(L, u, max_terms=5)
    assert e.grouped and len(e.terms) == 30
    assert "(25 more terms)" in str(e)
    assert e.total == sum(range(30))


def test_root_and_unrelated_nodes():
    x = Value(2.0, "x")
    y = (x * 3.0).named("y")
    assert str(explain(y, y)) == "∂y/∂y = 1"
    assert explain(y, y).total == 1.0
    with pytest.raises(ValueError, match=r"^q is not in the graph of y: y does not depend on it "
                                         r"\(∂y/∂q = 0\), so there is no chain rule to show$"):
        explain(y, Value(1.0, "q"))


def test_max_and_min_say_how_many_arguments_tie():
    """∂max(x, y)/∂x is 1 for the larger, 0 for the other, and ½ each when they
    tie (torch.maximum); three tied for a min share ⅓ each (torch.min).  The
    formula every reader prints writes that k out instead of leaving it a letter."""
    x, y = Value(3.0, "x"), Value(2.0, "y")
    m = autograd.max(x, y).named("m")
    assert str(explain(m, x)) == "∂m/∂x = [x = m] = 1"
    assert str(explain(m, y)) == "∂m/∂y = [y = m] = 0"
    assert [s.formula for s in m.backward_steps()] == ["[x = m]", "[y = m]"]
    x, y = Value(2.0, "x"), Value(2.0, "y")
    m = autograd.max(x, y).named("m")
    assert str(explain(m, y)) == "∂m/∂y = [y = m]/2 (2 arguments tie for the max) = 0.5"
    assert [repr(s).split("  [")[1] for s in m.backward_steps()] == [
        "∂m/∂x = [x = m]/2 (2 arguments tie for the max)]>",
        "∂m/∂y = [y = m]/2 (2 arguments tie for the max)]>"]
    a, b, c, d = (Value(v, n) for v, n in ((-1.0, "a"), (-1.0, "b"), (0.5, "c"), (-1.0, "d")))
    low = autograd.min(a, b, c, d).named("low")
    assert str(explain(low, a)) == "∂low/∂a = [a = low]/3 (3 arguments tie for the min) = 0.3333"
    assert str(explain(low, c)) == "∂low/∂c = [c = low] = 0"  # not in the tie: 0, whatever k is
    # a drawing's op, hovered, shows the rule, which says what k is
    assert "k = how many aⱼ equal it" in autograd.OPS["max"].rule


def test_parallel_edges_are_one_factor_with_both_derivatives():
    x = Value(3.0, "x")
    y = (x * x).named("y")
    (term,) = explain(y, x).terms
    (factor,) = term.factors
    assert factor.formula == "x + x" and factor.value == 6.0


def test_a_merged_factor_that_misses_some_routes_says_so():
    y = Value(2.0, "y")
    m = (y * 5.0).named("m")
    L = ((y * 3.0) + m).named("L")  # y*3 is unlabelled and merged away
    e = explain(L, y)
    names = sorted(f.name for t in e.terms for f in t.factors)
    assert names == ["∂L/∂m", "∂L/∂y (direct)", "∂m/∂y"]
    assert e.total == 8.0
    assert r"\left(" in e._repr_markdown_()


def test_collapse_off_shows_every_edge():
    net = tobigs_perceptron()
    e = explain(net.root, "w(1)10", collapse=False)
    (term,) = e.terms
    assert len(term.factors) == 6  # ½·, +, (·)², y − t, σ, Σwx
    assert term.factors[0].formula == "0.5"
    assert term.value == pytest.approx((Y1 - 1) * Y1 * (1 - Y1) * A10, rel=1e-12)


def test_unlabelled_graphs_show_every_node_by_default():
    a, b = Value(0.5), Value(-1.5)
    L = (a * b + a).tanh()
    e = explain(L, a)
    assert len(e.terms) == 2
    assert [f.name for f in e.terms[0].factors] == ["∂t3/∂t2", "∂t2/∂t1", "∂t1/∂c1"]


def test_labels_are_checked():
    net = tobigs_perceptron()
    with pytest.raises(LabelError, match=r"no node is labelled 'w10'; the labels in this graph "
                                         r"are: Loss, a10, a11, w\(0\)10, w\(0\)11, w\(0\)20"):
        explain(net.root, "w10")
    a, b = Value(0.2, "w10"), Value(0.4, "w10")
    L = (a * b).named("L")
    with pytest.raises(LabelError, match=r"label 'w10' names 2 different nodes") as err:
        explain(L, "w10")
    assert "a leaf = 0.2 feeding L" in str(err.value) and "a leaf = 0.4 feeding L" in str(err.value)
    with pytest.raises(TypeError):
        explain(L, 3)
    with pytest.raises(ValueError, match="max_terms"):
        explain(L, a, max_terms=0)
    with pytest.raises(ValueError, match="digits"):
        explain(L, a, digits=2.5)


def test_markdown_and_latex():
    net = tobigs_perceptron()
    e = explain(net.root, "w(1)10")
    md = e._repr_markdown_()
    assert md.startswith("$$\n\\begin{aligned}\n")
    assert r"\frac{\partial \text{Loss}}{\partial \text{w(1)10}} &= " in md
    assert r"\text{a10}" in md and "- $" in md
    latex = e._repr_latex_()
    assert latex.count("$$") == 4 and "where" not in latex
    mlp_md = explain(mlp([2, 1]), "w0_0_0")._repr_markdown_()
    assert r"\text{w0\_0\_0}" in mlp_md


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, 20), st.integers(0, 20),
                          st.booleans()), min_size=1, max_size=12),
       st.integers(0, 40), st.integers(1, 30), st.sampled_from([None, True, False]))
def test_path_sums_equal_grad_on_random_graphs(leaves, ops, pick, max_terms, collapse):
    nodes = random_graph(leaves, ops)
    root = nodes[-1]
    node = nodes[pick % len(nodes)]
    root.backward()  # explain leaves .grad alone, so backward can come first
    if node.grad is None:  # backward never reached it: not in root's graph
        with pytest.raises(ValueError, match="is not in the graph of"):
            explain(root, node, max_terms=max_terms, collapse=collapse)
        return
    e = explain(root, node, max_terms=max_terms, collapse=collapse)
    assert e.total == node.grad
    for eq in e.equations:
        if eq.node is root:
            continue
        size = max([abs(t.value) for t in eq.terms] + [1.0])
        assert math.fsum(t.value for t in eq.terms) == pytest.approx(eq.total, rel=1e-9,
                                                                    abs=1e-12 * size)
        for t in eq.terms:
            assert t.value == pytest.approx(math.prod(f.value for f in t.factors), rel=1e-12)
    if not e.grouped and node is not root:
        assert len(e.terms) <= max_terms
    str(e), e._repr_markdown_(), e._repr_latex_()


def test_an_overflowing_gradient_raises_instead_of_printing_inf():
    x = Value(1e-300, "x")
    L = (1e300 * x.sqrt()).named("L")  # L = 1e150, ∂L/∂x = 1e300 · ½/√x = 5e449
    assert L.data == pytest.approx(1e150)
    with pytest.raises(autograd.NumericError, match="the gradient at x is inf: it overflowed"):
        explain(L, x)
    with pytest.raises(autograd.NumericError, match="the gradient at x is inf"):
        explain(L, "x")


def test_a_node_outside_the_graph_is_an_error_that_names_it():
    """No path from the root, so no derivation: before, explain printed one
    that read "∂t1/∂(<leaf 2>) = 0", as if the chain rule had given it."""
    x = Value(2.0, "x")
    t = x * 3.0  # unlabelled root: named by its op and value, t1 would mean nothing here
    with pytest.raises(ValueError, match=r"^<leaf 2> is not in the graph of <mul 6>: <mul 6> "
                                         r"does not depend on it \(∂\(<mul 6>\)/∂\(<leaf 2>\) = 0\)"):
        explain(t, Value(2.0))  # unlabelled, not in the graph: its value, not "x"
    with pytest.raises(ValueError, match=r"^<mul 2> is not in the graph"):
        explain(t, x * 1.0)  # a computed outsider: its op and value
    with pytest.raises(LabelError, match=r"labelled 'x' but is not the node 'x' of this graph"):
        explain(t, Value(2.0, "x"))  # the same label on another node: which x is meant?
    with pytest.raises(LabelError, match=r"no node is labelled 'q'"):
        explain(t, "q")  # by label: the labels the graph has are listed


def ladder(n):
    """u₀ = x, uᵢ₊₁ = 2uᵢ + 3uᵢ: 2ⁿ paths, ∂uₙ/∂x = 5ⁿ; every uᵢ in between
    is where paths split (two consumers) and merge (two parents)."""
    x = Value(1.0, "x")
    u = x
    for _ in range(n):
        u = u * 2.0 + u * 3.0
    return u.named("L"), x


def test_the_text_of_a_big_graph_shows_a_bounded_number_of_equations():
    L, x = ladder(20)
    e = explain(L, x, max_equations=5)
    assert e.paths == 2 ** 20 and e.grouped and e.total == 5.0 ** 20
    assert len(e.equations) == 20  # 19 nodes where paths split and merge, and x
    text = str(e)
    starts = [line.split(" ")[0] for line in text.splitlines()[1:] if line.startswith("∂")]
    assert len(starts) == 5 and starts[-1] == "∂L/∂x"  # the first four and the last
    assert "… (15 more equations, not shown: pass a larger max_equations" in text
    assert text.index("15 more equations") < text.index("∂L/∂x =")
    assert text.splitlines()[-1] != "" and "= 9.537e+13" in text  # 5²⁰ = 95367431640625
    md = e._repr_markdown_()
    assert md.count(r"\begin{aligned}") == 5 and "15 more equations" in md
    assert e._repr_latex_().count(r"\begin{aligned}") == 5 + 1  # and the "where" block
    full = str(explain(L, x, max_equations=20))
    assert "more equations" not in full
    assert sum(line.startswith("∂") for line in full.splitlines()[1:]) == 20
    assert len(str(explain(ladder(200)[0], "x"))) < len(full) * 1.1  # default cap: 12
    with pytest.raises(ValueError, match="max_equations must be a positive integer"):
        explain(L, x, max_equations=0)
