"""backward_steps: backward one edge at a time, printable, resumable."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import NumericError, Value
from autograd.notation import format_number
from autograd.steps import backward_steps, chain_rule
from seeds import random_graph, tobigs_perceptron


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


# Seed 000 Q4 by hand: x = (0.2, 0.5), both sigmoid layers, Loss = ½Σ(y − t)², t = (1, 0).
A10, A11 = sigmoid(0.2 * 0.2 + 0.1 * 0.5), sigmoid(0.1 * 0.2 + 0.2 * 0.5)
Y1, Y2 = sigmoid(0.4 * A10 + 0.1 * A11), sigmoid(0.5 * A10 + 0.3 * A11)
DZ20 = (Y1 - 1) * Y1 * (1 - Y1)
DZ21 = Y2 * Y2 * (1 - Y2)


def graph_nodes(root):
    seen, stack = {root}, [root]
    while stack:
        for p in stack.pop().parents:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def test_exhausting_the_steps_gives_backwards_grads_bit_for_bit():
    net = tobigs_perceptron()
    steps = list(backward_steps(net.root))
    stepped = {label: v.grad for label, v in net.nodes.items()}
    net.root.backward()
    assert stepped == {label: v.grad for label, v in net.nodes.items()}
    # 27 edges: z10, z11, z20, z21 have 4 each (w, x, w, x); σ ×4; y − t ×2;
    # (·)² ×2; the sum 2; ½· 1.
    assert len(steps) == 27
    assert net["w(1)10"].grad == pytest.approx(DZ20 * A10, rel=1e-12)
    assert net["w(0)10"].grad == pytest.approx(
        (DZ20 * 0.4 + DZ21 * 0.5) * A10 * (1 - A10) * 0.2, rel=1e-12)


def test_a_step_is_the_chain_rule_line_with_its_numbers():
    net = tobigs_perceptron()
    steps = backward_steps(net.root)
    step = next(s for s in steps if s.parent is net["w(1)10"])
    assert step.node is net["z20"]
    assert step.node.edges()[step.k][0] is net["w(1)10"]
    assert step.upstream == pytest.approx(DZ20, rel=1e-12)       # -0.10687
    assert step.local == pytest.approx(A10, rel=1e-12)           # 0.52248
    assert step.contribution == pytest.approx(DZ20 * A10, rel=1e-12)
    assert step.total == step.contribution
    assert step.formula == "a10"
    assert str(step) == "∂Loss/∂w(1)10 += ∂Loss/∂z20 · ∂z20/∂w(1)10 = -0.1069 × 0.5225 = -0.0558"


def test_a_second_contribution_shows_the_running_total():
    net = tobigs_perceptron()
    into_a10 = [s for s in backward_steps(net.root) if s.parent is net["a10"]]
    assert [s.node for s in into_a10] == [net["z20"], net["z21"]]
    first, second = into_a10
    assert first.total == first.contribution
    assert second.total == pytest.approx(DZ20 * 0.4 + DZ21 * 0.5, rel=1e-12)  # 0.029458
    assert "⇒" not in str(first)
    assert str(second) == ("∂Loss/∂a10 += ∂Loss/∂z21 · ∂z21/∂a10 = 0.1444 × 0.5 = 0.0722"
                           "  ⇒ ∂Loss/∂a10 = 0.0295")
    sigma_step = next(s for s in backward_steps(net.root) if s.node is net["y1"])
    assert sigma_step.formula == "y1(1 − y1)"
    assert sigma_step.local == pytest.approx(Y1 * (1 - Y1), rel=1e-12)


def test_negative_local_derivatives_are_bracketed():
    x = Value(3.0, "x")
    y = (2.0 - x).named("y")
    (step,) = backward_steps(y)
    assert str(step) == "∂y/∂x += ∂y/∂y · ∂y/∂x = 1 × (-1) = -1"


def test_building_the_iterator_leaves_grads_alone_until_the_first_step():
    net = tobigs_perceptron()
    net.root.backward()
    before = {v: v.grad for v in graph_nodes(net.root)}
    steps = backward_steps(net.root)
    assert len(steps) == 27 and "0/27 edges done" in repr(steps)
    assert repr(net.root.backward_steps()).endswith("0/27 edges done>")
    assert {v: v.grad for v in graph_nodes(net.root)} == before  # a REPL's repr wipes nothing
    first = next(steps)  # now backward's reset, then the first edge: ∂Loss/∂(½·Σ) = ½
    assert first.node is net.root and first.contribution == 0.5
    assert net.root.grad == 1.0 and first.parent.grad == 0.5
    assert all(v.grad == 0.0 for v in graph_nodes(net.root)
               if v is not net.root and v is not first.parent)


def test_stopping_early_is_consistent():
    net = tobigs_perceptron()
    net.root.backward()
    steps = backward_steps(net.root)
    taken = [next(steps) for _ in range(8)]
    assert steps.done == 8 and len(steps) == 27
    sums = {}
    for s in taken:
        sums[s.parent] = sums.get(s.parent, 0.0) + s.contribution
    for v in graph_nodes(net.root):
        if v is not net.root:
            assert v.grad == pytest.approx(sums.get(v, 0.0), abs=1e-15)
    net.root.backward()  # starts clean: the full gradients, nothing doubled
    assert net["w(1)10"].grad == pytest.approx(DZ20 * A10, rel=1e-12)
    assert net["y1"].grad == pytest.approx(Y1 - 1, rel=1e-12)


def test_a_new_iterator_after_a_partial_one_starts_clean():
    net = tobigs_perceptron()
    partial = backward_steps(net.root)
    for _ in range(20):
        next(partial)
    list(backward_steps(net.root))
    assert net["a10"].grad == pytest.approx(DZ20 * 0.4 + DZ21 * 0.5, rel=1e-12)


def test_shared_input_gets_one_step_per_edge():
    x = Value(3.0, "x")
    y = (x * x).named("y")
    s1, s2 = backward_steps(y)
    assert (s1.k, s2.k) == (0, 1)
    assert (s1.contribution, s2.contribution, s2.total) == (3.0, 3.0, 6.0)
    assert x.grad == 6.0


def test_a_leaf_root_has_no_steps():
    x = Value(2.0, "x")
    steps = backward_steps(x)
    assert list(steps) == [] and len(steps) == 0 and x.grad == 1.0


def test_overflowing_gradients_fail_like_backward():
    def build(label="x"):
        x = Value(1e-300, label)
        return (1e300 * (1e300 * x)).named("L")  # L = 1e300, but ∂L/∂x = 1e600

    with pytest.raises(NumericError, match="the gradient at x is inf: it overflowed"):
        build().backward()
    steps = backward_steps(build())
    assert next(steps).contribution == 1e300  # ∂L/∂(1e300·x) is still finite
    assert next(steps).total == math.inf  # the edge into x overflows ...
    with pytest.raises(NumericError, match="the gradient at x is inf: it overflowed"):
        next(steps)  # ... and x, reached with that gradient, stops the chain rule
    with pytest.raises(NumericError, match=r"the gradient at <leaf 1e-300> is inf"):
        list(backward_steps(build(None)))


def test_chain_rule_yields_each_edge_with_its_numbers():
    x, w = Value(3.0, "x"), Value(-2.0, "w")
    z = (w * x).named("z")
    y = (z * z).named("y")  # y = (wx)² = 36: ∂y/∂z = 2wx = -12, ∂y/∂w = 2wx·x = -36
    grads = {x: 5.0}  # emptied: only the graph's gradients are kept
    edges = chain_rule(y, grads)
    assert grads == {x: 5.0}  # nothing happens before the first next()
    assert list(edges) == [(y, 0, z, -6.0, 1.0), (y, 1, z, -6.0, 1.0),
                           (z, 0, w, 3.0, -12.0), (z, 1, x, -2.0, -12.0)]
    assert grads == {y: 1.0, z: -12.0, w: -36.0, x: 24.0}
    assert x.grad is None  # chain_rule never touches .grad


def test_bad_arguments():
    with pytest.raises(TypeError, match="needs a Value"):
        backward_steps(1.0)
    with pytest.raises(ValueError, match="digits must be an int from 1 to 17"):
        backward_steps(Value(1.0), digits=0)


@pytest.mark.parametrize("x, text", [
    (0.0, "0"), (1.0, "1"), (0.5, "0.5"), (-0.10687, "-0.1069"), (0.52248, "0.5225"),
    (0.0014699, "0.00147"), (-1.23456e-7, "-1.235e-07"), (12.3456789, "12.3457"),
    (2.5e7, "2.5e+07"), (0.01, "0.01"), (-0.00999, "-0.00999"),
])
def test_number_format(x, text):
    assert format_number(x) == text


def test_digits_are_configurable():
    x = Value(0.123456, "x")
    y = (x * 3.0).named("y")
    (step,) = backward_steps(y, digits=2)
    assert str(step) == "∂y/∂x += ∂y/∂y · ∂y/∂x = 1 × 3 = 3"
    (step,) = backward_steps((x * 0.123456).named("y"), digits=6)
    assert str(step).endswith("= 1 × 0.123456 = 0.123456")


def test_a_step_draws_as_the_graph_with_its_edge_highlighted():
    from autograd.draw import draw
    net = tobigs_perceptron()
    step = next(s for s in backward_steps(net.root) if s.parent is net["w(1)10"])
    drawing = step.draw()
    assert drawing.source == draw(net.root, highlight_edges=[(net["z20"], step.k)]).source
    assert drawing.source != draw(net.root).source
    assert "<svg" in step._repr_mimebundle_()["image/svg+xml"]


def test_a_step_of_a_huge_graph_shows_as_text_in_jupyter():
    xs = [Value(float(i), f"x{i}") for i in range(400)]
    step = next(iter(backward_steps(autograd.sum(xs))))
    shown = step._repr_mimebundle_()
    assert list(shown) == ["text/plain"]
    assert shown["text/plain"].startswith(f"{step.line}\n(its graph is not drawn: 401 value ")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, 20), st.integers(0, 20),
                          st.booleans()), min_size=1, max_size=12))
def test_steps_equal_backward_on_random_graphs(leaves, ops):
    nodes = random_graph(leaves, ops)
    root = nodes[-1]
    in_graph = graph_nodes(root)
    edges = sum(len(v.parents) for v in in_graph)
    steps = backward_steps(root)
    assert len(steps) == edges
    assert sum(1 for _ in steps) == edges
    stepped = {v: v.grad for v in in_graph}
    root.backward()
    assert stepped == {v: v.grad for v in in_graph}


def test_a_parent_used_twice_names_each_edge_by_its_argument():
    # y = x·x at x = 3: each edge's local derivative is the other argument, 3,
    # and the total ∂y/∂x = 2x = 6 is their sum
    x = Value(3.0, "x")
    y = (x * x).named("y")
    lines = [str(s) for s in y.backward_steps()]
    assert lines == ["∂y/∂x += ∂y/∂y · ∂y/∂x (argument 1) = 1 × 3 = 3",
                     "∂y/∂x += ∂y/∂y · ∂y/∂x (argument 2) = 1 × 3 = 3  ⇒ ∂y/∂x = 6"]
    assert x.grad == 6.0
