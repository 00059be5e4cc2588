"""The local derivative of an edge whose input reaches its node by another path
too: L = c + a with c = a·sin(x).  Its local partial (c held fixed) is 1, the
total ∂L/∂a is sin(1.5) + 1 = 1.997495; the readers wrote both as ∂L/∂a, so a
student read ∂L/∂a = 1 and ∂L/∂a = 1.9975 in one derivation.  The local one is
now written on the node's formula, ∂(c + a)/∂a, in explain, the steps and the
player alike; an edge without a second path keeps ∂n/∂i."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, explain
from autograd.graph import backward_order, other_paths
from autograd.player import player
from seeds import random_graph, tobigs_mlp, tobigs_perceptron

X = 1.5
TOTAL = math.sin(X) + 1  # ∂L/∂a = ∂L/∂c · ∂c/∂a + 1 = b + 1 = 1.997495


def qa_graph():
    x = Value(X, "x")
    a = (x * x).named("a")
    b = x.sin().named("b")
    c = (a * b).named("c")
    return x, a, b, c, (c + a).named("L")


def test_the_local_partial_and_the_total_have_different_symbols():
    x, a, b, c, L = qa_graph()
    e = explain(L, "a")
    assert e.total == pytest.approx(TOTAL, rel=1e-12)
    assert str(e).splitlines() == [
        "∂L/∂a = ∂L/∂c · ∂c/∂a",
        "      + ∂(c + a)/∂a",
        "      = 1 × 0.9975",
        "      + 1",
        "      = 0.9975 + 1",
        "      = 1.9975",
        "where",
        "  ∂L/∂c = 1",
        "  ∂c/∂a = b = 0.9975",
        "  ∂(c + a)/∂a = 1"]
    # the factor is the local partial, 1, and the equation is the total
    (local,) = [f for t in e.terms for f in t.factors if f.top is L and f.bottom is a]
    assert local.value == 1.0 and local.name == "∂(c + a)/∂a"
    assert r"\frac{\partial \text{(c + a)}}{\partial \text{a}} = 1" in e._repr_markdown_()


def test_the_derivation_of_x_lists_the_local_partial_once_under_its_own_symbol():
    # ∂L/∂x = b·2x + a·cos x + 2x = 0.9975·3 + 2.25·0.0707 + 3 = 6.1516
    x, a, b, c, L = qa_graph()
    e = explain(L, "x")
    assert e.total == pytest.approx(math.sin(X) * 2 * X + X * X * math.cos(X) + 2 * X,
                                    rel=1e-12)
    text = str(e)
    assert "      + ∂(c + a)/∂a · ∂a/∂x" in text.splitlines()
    assert "  ∂(c + a)/∂a = 1" in text.splitlines()
    assert "∂L/∂a" not in text  # no ∂L/∂a = 1: the total of a is not in this derivation


def test_the_steps_write_the_local_factor_on_the_formula_and_the_total_as_before():
    x, a, b, c, L = qa_graph()
    steps = list(L.backward_steps())
    into_a = [s for s in steps if s.parent is a]
    assert [str(s) for s in into_a] == [
        "∂L/∂a += ∂L/∂L · ∂(c + a)/∂a = 1 × 1 = 1",
        "∂L/∂a += ∂L/∂c · ∂c/∂a = 1 × 0.9975 = 0.9975  ⇒ ∂L/∂a = 1.9975"]
    assert into_a[0].local == 1.0 and into_a[0].local_name == "∂(c + a)/∂a"
    assert a.grad == pytest.approx(TOTAL, rel=1e-12)
    # every other edge has one path: ∂L/∂c, ∂c/∂b, ∂b/∂x, ∂a/∂x (argument 1 and 2)
    assert [s.local_name for s in steps if s is not into_a[0]] == [
        "∂L/∂c", "∂c/∂a", "∂c/∂b", "∂b/∂x", "∂a/∂x (argument 1)", "∂a/∂x (argument 2)"]


@pytest.mark.usefixtures("in_process_graphviz")
def test_the_player_shows_the_steps_lines_and_local_names():
    x, a, b, c, L = qa_graph()
    frames = player(L).steps
    assert [str(s) for s in frames] == [str(s) for s in L.backward_steps()]
    assert "∂L/∂a += ∂L/∂L · ∂(c + a)/∂a = 1 × 1 = 1" in [s.line for s in frames]


def test_a_clash_below_the_root():
    # n = a·b with b = 3a, L = n·w at a = 0.5, w = 2: the local ∂(a·b)/∂a = b = 1.5,
    # the total ∂n/∂a = b + 3a = 3; ∂L/∂a = w·(b + 3a) = 6.  b reaches n only
    # directly, so ∂n/∂b = a = 0.5 keeps its name, as ∂b/∂a = 3 does.
    a = Value(0.5, "a")
    b = (a * 3).named("b")
    n = (a * b).named("n")
    L = (n * Value(2.0, "w")).named("L")
    assert [str(s) for s in L.backward_steps()] == [
        "∂L/∂n += ∂L/∂L · ∂L/∂n = 1 × 2 = 2",
        "∂L/∂w += ∂L/∂L · ∂L/∂w = 1 × 0.75 = 0.75",
        "∂L/∂a += ∂L/∂n · ∂(a·b)/∂a = 2 × 1.5 = 3",
        "∂L/∂b += ∂L/∂n · ∂n/∂b = 2 × 0.5 = 1",
        "∂L/∂a += ∂L/∂b · ∂b/∂a = 1 × 3 = 3  ⇒ ∂L/∂a = 6"]
    assert a.grad == 6.0
    assert str(explain(L, a)).splitlines() == [
        "∂L/∂a = ∂L/∂n · ∂(a·b)/∂a",
        "      + ∂L/∂n · ∂n/∂b · ∂b/∂a",
        "      = 2 × 1.5",
        "      + 2 × 0.5 × 3",
        "      = 3 + 3",
        "      = 6",
        "where",
        "  ∂L/∂n = w = 2",
        "  ∂(a·b)/∂a = b = 1.5",
        "  ∂n/∂b = a = 0.5",
        "  ∂b/∂a = 3"]
    assert explain(n, a).total == 3.0  # the total ∂n/∂a, which ∂(a·b)/∂a is not


def test_an_auto_name_in_the_formula_is_defined_where_it_is_first_used():
    # L = a + 3a at a = 2: ∂(a + t1)/∂a = 1 is the first step, before t1's own edge
    a = Value(2.0, "a")
    L = (a + a * 3).named("L")
    steps = [str(s) for s in L.backward_steps()]
    assert steps[0] == "∂L/∂a += ∂L/∂L · ∂(a + t1)/∂a = 1 × 1 = 1\n  where t1 = a·3 = 6"
    assert steps[2] == "∂L/∂a += ∂L/∂t1 · ∂t1/∂a = 1 × 3 = 3  ⇒ ∂L/∂a = 4"
    assert "  t1 = a·3 = 6" in str(explain(L, a)).splitlines()


def test_a_collapsed_derivation_names_the_direct_edge_by_its_formula():
    # c = tanh(a·b) through an unlabelled product, L = c + a, a = 0.5, b = 2:
    # ∂L/∂a = (1 − tanh²(1))·b + 1
    a, b = Value(0.5, "a"), Value(2.0, "b")
    c = (a * b).tanh().named("c")
    L = (c + a).named("L")
    e = explain(L, a)
    assert e.total == pytest.approx((1 - math.tanh(1.0) ** 2) * 2 + 1, rel=1e-12)
    lines = str(e).splitlines()
    assert lines[:2] == ["∂L/∂a = ∂L/∂c · ∂c/∂a", "      + ∂(c + a)/∂a"]
    assert "  ∂(c + a)/∂a = 1" in lines


def test_networks_without_a_second_path_have_no_such_edge():
    # every edge of the seeds' networks has one path, so their texts are unchanged
    assert other_paths(backward_order(tobigs_perceptron().root)) == set()
    assert other_paths(backward_order(tobigs_mlp()[0])) == set()
    x, a, b, c, L = qa_graph()
    assert other_paths(backward_order(L)) == {(L, a)}


def brute_force(root):
    """(n, p) where p is reachable from another input q of n: a walk from each q."""
    found, nodes, stack = set(), {root}, [root]
    while stack:
        for p in stack.pop().parents:
            if p not in nodes:
                nodes.add(p)
                stack.append(p)
    for n in nodes:
        for p in set(n.parents):
            for q in set(n.parents) - {p}:
                seen, todo = set(), [q]
                while todo:
                    for r in todo.pop().parents:
                        if r not in seen:
                            seen.add(r)
                            todo.append(r)
                if p in seen:
                    found.add((n, p))
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, 20), st.integers(0, 20),
                          st.booleans()), min_size=1, max_size=12))
def test_other_paths_agrees_with_a_walk_from_every_input(leaves, ops):
    root = random_graph(leaves, ops)[-1]
    assert other_paths(backward_order(root)) == brute_force(root)
