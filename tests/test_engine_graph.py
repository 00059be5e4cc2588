"""Graph structure, the backward pass, accumulation, no_grad and node names.

Expected gradients are worked out by hand (closed forms in the comments) or by
forward-mode dual numbers evaluated here, never read back from the engine.
"""

from __future__ import annotations

import gc
import math
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Value
from autograd.notation import node_names
from autograd.graph import backward_order


def same(a, b) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


# -- node structure --------------------------------------------------------------

def test_leaf():
    x = Value(3, label="x")
    assert x.data == 3.0 and type(x.data) is float
    assert x.label == "x" and x.grad is None
    assert x.is_leaf and x.op is None
    assert x.parents == () and x.local_grads == () and x.args == () and x.edges() == []


def test_parents_in_argument_order():
    x, y = Value(2.0, "x"), Value(5.0, "y")
    assert same((x - y).parents, (x, y))
    assert same((y - x).parents, (y, x))
    assert same((y / x).parents, (y, x))
    assert (x - y).local_grads == (1.0, -1.0)
    assert (y / x).local_grads == (1.0 / 2.0, -5.0 / 4.0)
    assert (x ** y).op.name == "powv" and same((x ** y).parents, (x, y))
    assert [(p, d, i) for p, d, i in (x * y).edges()] == [(x, 5.0, 0), (y, 2.0, 1)]


@pytest.mark.parametrize("build,op,args,local", [
    (lambda x: 2 - x, "sub", (2.0, "x"), -1.0),
    (lambda x: x - 2, "sub", ("x", 2.0), 1.0),
    (lambda x: x / 4, "div", ("x", 4.0), 0.25),
    (lambda x: 3 / x, "div", (3.0, "x"), -3.0 / 4.0),      # −3/x² at x = 2
    (lambda x: 3 * x, "mul", (3.0, "x"), 3.0),
    (lambda x: x + 1, "add", ("x", 1.0), 1.0),
    (lambda x: x ** 3, "pow", ("x", 3.0), 12.0),           # 3x² at x = 2
    (lambda x: 2 ** x, "rpow", (2.0, "x"), 4.0 * math.log(2.0)),
    (lambda x: x.leaky_relu(0.1), "leaky_relu", ("x", 0.1), 1.0),
    (lambda x: ag.dot([x, 5], [7, x]), "dot", ("x", 7.0, 5.0, "x"), None),
])
def test_constants_keep_their_position_in_args(build, op, args, local):
    x = Value(2.0, "x")
    out = build(x)
    assert out.op.name == op
    assert len(out.args) == len(args)
    for got, want in zip(out.args, args):
        if want == "x":
            assert got is x
        else:
            assert type(got) is float and got == want
    positions = [i for i, a in enumerate(args) if a == "x"]
    assert [pos for _, _, pos in out.edges()] == positions
    assert all(p is x for p in out.parents) and len(out.parents) == len(positions)
    if local is not None:
        assert math.isclose(out.local_grads[0], local, rel_tol=1e-15)
    if len(args) == 2 and len(positions) == 1:
        assert out.op.const_pos == 1 - positions[0]


def test_one_over_x_is_the_reciprocal_op():
    x = Value(4.0)
    r = 1 / x
    assert r.op.name == "reciprocal" and r.args == (x,) and r.data == 0.25
    assert r.local_grads == (-1.0 / 16.0,)
    assert (2 / x).op.name == "div"


def test_operator_methods_are_named_and_documented_by_their_op():
    """help(Value) in a REPL shows each method's rule as the table states it."""
    assert Value.__mul__.__name__ == "__mul__" and Value.exp.__qualname__ == "Value.exp"
    assert "∂(a·b)/∂a = b" in Value.__mul__.__doc__
    assert "σ'(z) = σ(z)(1 − σ(z))" in Value.sigmoid.__doc__


def test_n_ary_node_with_numbers_and_two_value_parents():
    """z = 0.5·w + 2·x + 1 has two Value parents and three numbers among its args."""
    w, x = Value(3.0), Value(-1.0)
    z = ag.linear([w, 2.0], [0.5, x], 1.0)
    assert z.data == 0.5 * 3.0 + 2.0 * -1.0 + 1.0
    assert same(z.parents, (w, x)) and z.local_grads == (0.5, 2.0)
    assert z.args[1:] == (0.5, 2.0, x, 1.0) and z.args[0] is w
    z.backward()
    assert (w.grad, x.grad) == (0.5, 2.0)


def test_x_times_x_keeps_both_edges():
    x = Value(3.0)
    y = x * x
    assert same(y.parents, (x, x))
    assert y.local_grads == (3.0, 3.0)
    assert [pos for _, _, pos in y.edges()] == [0, 1]
    y.backward()
    assert x.grad == 6.0  # d(x²)/dx = 2x


def test_a_plus_a():
    a = Value(-1.5)
    s = a + a
    assert same(s.parents, (a, a))
    s.backward()
    assert a.grad == 2.0


def test_diamond():
    # a → b = 3a, a → c = exp(a), d = b·c: ∂d/∂a = 3e^a + 3a·e^a
    a = Value(0.7, "a")
    b = 3 * a
    c = a.exp()
    d = b * c
    d.backward()
    expected = 3 * math.exp(0.7) + 3 * 0.7 * math.exp(0.7)
    assert math.isclose(a.grad, expected, rel_tol=1e-14)
    assert math.isclose(b.grad, math.exp(0.7), rel_tol=1e-15)
    assert math.isclose(c.grad, 2.1, rel_tol=1e-15)


def test_reuse_across_branches():
    # u = x·y used twice: f = u + tanh(u); ∂f/∂x = y(1 + 1 − tanh²(xy))
    x, y = Value(0.3), Value(-1.2)
    u = x * y
    f = u + u.tanh()
    f.backward()
    t = math.tanh(0.3 * -1.2)
    assert math.isclose(u.grad, 2 - t * t, rel_tol=1e-15)
    assert math.isclose(x.grad, -1.2 * (2 - t * t), rel_tol=1e-14)
    assert math.isclose(y.grad, 0.3 * (2 - t * t), rel_tol=1e-14)


def test_shared_subexpression_used_by_many_consumers():
    # s = x + 1 consumed by 5 nodes, f = Σ k·s for k = 1..5: ∂f/∂x = 15
    x = Value(2.0)
    s = x + 1
    f = ag.sum([k * s for k in range(1, 6)])
    f.backward()
    assert s.grad == 15.0 and x.grad == 15.0


def test_grad_is_none_before_backward_and_outside_the_graph():
    x, y, z = Value(1.0), Value(2.0), Value(3.0)
    u = x * y
    w = z + 1  # not part of u's graph
    assert all(v.grad is None for v in (x, y, z, u, w))
    u.backward()
    assert (x.grad, y.grad, u.grad) == (2.0, 1.0, 1.0)
    assert z.grad is None and w.grad is None


def test_backward_from_an_interior_node_touches_only_its_graph():
    x, y = Value(1.5), Value(-2.0)
    u = x * y
    v = u.tanh()
    u.backward()
    assert (x.grad, y.grad) == (-2.0, 1.5)
    assert v.grad is None


def test_named_sets_label_and_returns_self():
    x = Value(1.0)
    assert x.named("w10") is x and x.label == "w10"
    with pytest.raises(TypeError, match="3"):
        x.named(3)
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=["x"])


@pytest.mark.parametrize("bad, error", [(3, TypeError), (b"w", TypeError), ("", ValueError),
                                        ("  ", ValueError), ("\u3000\t", ValueError)])
def test_a_label_is_checked_however_it_is_set(bad, error):
    """Value(…, label=), .named() and assignment to .label all refuse a
    non-string or a blank name, and the message shows what was given."""
    x = Value(1.0, "w")
    for set_label in (lambda: Value(1.0, bad), lambda: x.named(bad),
                      lambda: setattr(x, "label", bad)):
        with pytest.raises(error, match=re.escape(repr(bad))):
            set_label()
    assert x.label == "w"  # a refused label leaves the old one
    x.label = None  # None clears it: the node is numbered again
    assert x.label is None and "label" not in repr(x)


def test_backward_order_root_first_and_consumers_before_parents():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d.tanh() * c
    order = backward_order(e)
    assert order[0] is e
    assert len(order) == len({id(v) for v in order}) == 6
    index = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert index[id(v)] < index[id(p)]


# -- random graphs with reuse: reverse mode vs forward-mode dual numbers -------
#
# Each step applies an op to nodes picked from the pool so far (so nodes get
# reused and diamonds appear).  The reference carries, for every node, its
# value and its derivative with respect to each input (forward mode), plus the
# same with |·| on every term to scale the rounding tolerance.

UNARY = {
    "tanh": (lambda v: v.tanh(), math.tanh, lambda x, y: 1 - y * y),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), lambda x, y: y * (1 - y)),
    "exp_damped": (lambda v: (v * 0.5).exp(), lambda x: math.exp(0.5 * x), lambda x, y: 0.5 * y),
    "neg": (lambda v: -v, lambda x: -x, lambda x, y: -1.0),
    "softplus": (lambda v: v.softplus(), lambda x: math.log1p(math.exp(x)),
                 lambda x, y: 1 / (1 + math.exp(-x))),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda x, y: x + y, lambda x, y: (1.0, 1.0)),
    "sub": (lambda a, b: a - b, lambda x, y: x - y, lambda x, y: (1.0, -1.0)),
    "mul": (lambda a, b: a * b, lambda x, y: x * y, lambda x, y: (y, x)),
}


@st.composite
def programs(draw):
    n_inputs = draw(st.integers(1, 3))
    xs = draw(st.lists(st.floats(-1.5, 1.5), min_size=n_inputs, max_size=n_inputs))
    steps = []
    for k in range(draw(st.integers(1, 10))):
        size = n_inputs + k
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY))), draw(st.integers(0, size - 1))))
        else:
            steps.append((draw(st.sampled_from(sorted(BINARY))), draw(st.integers(0, size - 1)),
                          draw(st.integers(0, size - 1))))
    return xs, steps


@settings(max_examples=150, deadline=None)
@given(programs())
def test_random_graphs_match_forward_mode(program):
    xs, steps = program
    n = len(xs)
    leaves = [Value(x) for x in xs]
    nodes = list(leaves)
    # forward-mode reference: value, tangent per input, tangent magnitude per input
    vals = list(xs)
    tan = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    mag = [row[:] for row in tan]
    deps = [{i} for i in range(n)]  # which inputs each node depends on
    for step in steps:
        if step[0] in UNARY:
            build, f, df = UNARY[step[0]]
            i = step[1]
            nodes.append(build(nodes[i]))
            y = f(vals[i])
            d = df(vals[i], y)
            tan.append([d * t for t in tan[i]])
            mag.append([abs(d) * m for m in mag[i]])
            deps.append(deps[i])
        else:
            build, f, df = BINARY[step[0]]
            i, j = step[1], step[2]
            nodes.append(build(nodes[i], nodes[j]))
            y = f(vals[i], vals[j])
            da, db = df(vals[i], vals[j])
            tan.append([da * a + db * b for a, b in zip(tan[i], tan[j])])
            mag.append([abs(da) * a + abs(db) * b for a, b in zip(mag[i], mag[j])])
            deps.append(deps[i] | deps[j])
        vals.append(y)

    root = nodes[-1]
    assert math.isclose(root.data, vals[-1], rel_tol=1e-12, abs_tol=1e-12)
    root.backward()
    for k, leaf in enumerate(leaves):
        if k not in deps[-1]:
            assert leaf.grad is None  # not in the graph: not computed
            continue
        tol = 1e-12 + 1e-10 * mag[-1][k]
        assert abs(leaf.grad - tan[-1][k]) <= tol, (k, leaf.grad, tan[-1][k])


# -- backward twice, accumulation, a failed backward ------------------------------

def test_backward_twice_gives_the_same_grads():
    x, y = Value(0.5), Value(-3.0)
    u = x * y
    f = u * x + u.tanh()
    f.backward()
    first = (x.grad, y.grad, u.grad, f.grad)
    f.backward()
    assert (x.grad, y.grad, u.grad, f.grad) == first
    # hand: f = x²y + tanh(xy); ∂f/∂x = 2xy + y(1 − tanh²(xy))
    t = math.tanh(-1.5)
    assert math.isclose(x.grad, 2 * 0.5 * -3.0 + -3.0 * (1 - t * t), rel_tol=1e-14)


def test_accumulate_adds_on_leaves_across_separate_graphs():
    w = Value(2.0, "w")
    loss1 = w * 3.0          # ∂/∂w = 3
    loss2 = (w * w) * 5.0    # ∂/∂w = 10w = 20
    loss1.backward()
    assert w.grad == 3.0
    loss2.backward(accumulate=True)
    assert w.grad == 23.0
    loss2.backward(accumulate=True)
    assert w.grad == 43.0
    # without accumulate the leaf is reset first
    loss2.backward()
    assert w.grad == 20.0


def test_accumulate_on_interior_nodes_holds_only_this_graph():
    # documented: with accumulate=True only leaves keep what they had
    w = Value(1.0, "w")
    h = w * 2            # shared interior node
    loss1 = h * 3
    loss2 = h * 5
    loss1.backward()
    assert (h.grad, w.grad) == (3.0, 6.0)
    loss2.backward(accumulate=True)
    assert h.grad == 5.0         # this graph only
    assert w.grad == 6.0 + 10.0  # leaves sum


def test_accumulate_starts_from_zero_for_fresh_leaves():
    x = Value(4.0)
    (x * x).backward(accumulate=True)
    assert x.grad == 8.0


def test_accumulate_over_samples_equals_one_graph_of_the_sum():
    # Σ over samples of (w·xᵢ − yᵢ)²: ∂/∂w = Σ 2xᵢ(w·xᵢ − yᵢ)
    data = [(1.0, 2.0), (-2.0, 0.5), (3.0, 1.0)]
    w = Value(0.3)
    for i, (x, y) in enumerate(data):
        ((w * x - y) ** 2).backward(accumulate=i > 0)
    expected = math.fsum(2 * x * (0.3 * x - y) for x, y in data)
    assert math.isclose(w.grad, expected, rel_tol=1e-14)


def _overflowing_gradient():
    """x → u = x·1e−300 → v = u·1e300 → w = v·1e300, with a side branch
    s = x·2 feeding w2 = w + s: every value is finite (1e−300, 1, 1e300), but
    ∂w/∂u = 1e300·1e300 overflows, after s and w have grads already."""
    x, y = Value(1.0, "x"), Value(3.0, "y")
    u = (x * 1e-300).named("u")
    v = (u * 1e300).named("v")
    w = (v * 1e300).named("w")
    s = (x * y).named("s")
    return (w + s).named("out"), [x, y, u, v, w, s]


def test_a_failed_backward_leaves_every_grad_not_computed():
    out, nodes = _overflowing_gradient()
    (nodes[-1] * 1.0).backward()       # grads from an earlier, unrelated backward
    assert nodes[0].grad == 3.0 and nodes[1].grad == 1.0
    with pytest.raises(ag.NumericError, match="overflowed"):
        out.backward()
    assert out.grad is None and all(v.grad is None for v in nodes)


def test_a_failed_accumulating_backward_gives_the_leaves_back_their_sums():
    out, (x, y, *inner) = _overflowing_gradient()
    s = inner[-1]
    (s * 1.0).backward()                # ∂(xy)/∂x = y = 3, ∂/∂y = x = 1
    (s * 2.0).backward(accumulate=True)  # + 6 and + 2
    assert (x.grad, y.grad) == (9.0, 3.0)
    with pytest.raises(ag.NumericError):
        out.backward(accumulate=True)
    assert (x.grad, y.grad) == (9.0, 3.0)          # the earlier sums survive
    assert out.grad is None and all(v.grad is None for v in inner)
    fresh = Value(0.5)
    with pytest.raises(ag.NumericError):
        (out * fresh).backward(accumulate=True)
    assert fresh.grad is None                       # had nothing: not computed


def test_an_interrupted_backward_leaves_no_partial_grads():
    # a KeyboardInterrupt in the middle (raised here by a float subclass's
    # multiplication on an edge) resets the graph like an overflow does
    class Interrupting(float):
        def __mul__(self, other):
            raise KeyboardInterrupt

    x, y = Value(2.0, "x"), Value(5.0, "y")
    top = (x * y) + x                    # top's edges run first, then x·y's
    mul = top.parents[0]
    mul._db = Interrupting(2.0)          # ∂(xy)/∂y, the last edge processed
    with pytest.raises(KeyboardInterrupt):
        top.backward()
    assert all(v.grad is None for v in (top, mul, x, y))


# -- the deep chain ---------------------------------------------------------------

N = 1_000_000


class recursion_limit:
    """Run at Python's default recursion limit whatever the session set."""

    def __enter__(self):
        self.saved = sys.getrecursionlimit()
        sys.setrecursionlimit(1000)

    def __exit__(self, *exc):
        sys.setrecursionlimit(self.saved)


def test_deep_graph_deallocates_without_crashing():
    # in a child process: a crash in deallocation must fail this test, not pytest
    script = textwrap.dedent(f"""
        import sys
        from autograd import Value
        assert sys.getrecursionlimit() == 1000
        x = Value(1.0)
        y = x
        for i in range({N}):
            y = y.tanh() if i % 2 else y + 0.5
        y.backward()
        del x, y
        print("deleted")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=_project_root())
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "deleted"


def _project_root() -> str:
    import pathlib
    return str(pathlib.Path(ag.__file__).resolve().parent.parent)


def test_million_node_chain_at_default_recursion_limit():
    # y = x·cⁿ (n multiplications by the same leaf c):
    #   ∂y/∂x = cⁿ,  ∂y/∂c = n·x·cⁿ⁻¹
    c0, x0 = 1 + 1e-6, 0.5
    with recursion_limit():
        c, x = Value(c0, "c"), Value(x0, "x")
        y = x
        for _ in range(N):
            y = y * c
        assert len(backward_order(y)) == N + 2
        y.backward()
        assert math.isclose(y.data, x0 * c0 ** N, rel_tol=1e-9)
        assert math.isclose(x.grad, c0 ** N, rel_tol=1e-9)
        assert math.isclose(c.grad, N * x0 * c0 ** (N - 1), rel_tol=1e-9)
        del y
        gc.collect()


# -- no_grad ----------------------------------------------------------------------

def test_no_grad_records_nothing_but_computes_values():
    x, y = Value(2.0), Value(3.0)
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        z = (x * y + 1).tanh()
        s = ag.sum([x, y])
        ys = ag.softmax([x, y])
        lin = ag.linear([x], [y], 1.0)
    assert ag.is_grad_enabled()
    assert z.is_leaf and z.parents == () and z.op is None
    assert math.isclose(z.data, math.tanh(7.0), rel_tol=1e-15)
    assert s.is_leaf and s.data == 5.0
    assert all(o.is_leaf for o in ys)
    assert math.isclose(ys[1].data, 1 / (1 + math.exp(-1.0)), rel_tol=1e-14)
    assert lin.is_leaf and lin.data == 7.0


def test_no_grad_nesting_restores_each_level():
    assert ag.is_grad_enabled()
    with ag.no_grad():
        with ag.no_grad():
            assert not ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


def test_no_grad_same_instance_reentered():
    guard = ag.no_grad()
    try:
        with guard:
            with guard:
                assert not ag.is_grad_enabled()
            assert not ag.is_grad_enabled()
        assert ag.is_grad_enabled()
    finally:  # if this fails, don't leave the rest of the session without graphs
        ag.value._grad_enabled = True


def test_no_grad_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with ag.no_grad():
            raise RuntimeError("boom")
    assert ag.is_grad_enabled()
    x = Value(1.0)
    assert not (x * 2).is_leaf


def test_no_grad_as_decorator():
    @ag.no_grad()
    def evaluate(a, b=1.0):
        """Doc."""
        assert not ag.is_grad_enabled()
        return a * b

    @ag.no_grad()
    def fails():
        raise ValueError("inside")

    x = Value(3.0)
    out = evaluate(x, b=4.0)
    assert out.is_leaf and out.data == 12.0
    assert ag.is_grad_enabled()
    assert evaluate.__name__ == "evaluate" and evaluate.__doc__ == "Doc."
    with pytest.raises(ValueError):
        fails()
    assert ag.is_grad_enabled()


def test_parameter_update_under_no_grad_then_new_graph():
    w = Value(1.0)
    (w * w).backward()
    with ag.no_grad():
        w.data -= 0.1 * w.grad
    assert w.is_leaf and math.isclose(w.data, 0.8, rel_tol=1e-15)
    (w * w).backward()
    assert math.isclose(w.grad, 1.6, rel_tol=1e-15)


# -- node names -------------------------------------------------------------------

def test_labels_are_names_and_a_chain_is_numbered_in_forward_order():
    x = Value(1.0, "x")
    t1 = x * 2
    t2 = t1.exp()
    out = (t2 + 1).named("L")
    names = node_names(out)
    assert names == {x: "x", t1: "t1", t2: "t2", out: "L"}


def test_unlabelled_leaves_and_nodes_get_c_and_t_names():
    a, b = Value(1.0), Value(2.0)
    w = Value(0.5, "w")
    u = a * w
    v = b * w
    s = u + v
    z = s.tanh()
    names = node_names(z)
    assert len(names) == 7
    assert names[w] == "w"
    assert {names[a], names[b]} == {"c1", "c2"}
    assert sorted(names[n] for n in (u, v, s, z)) == ["t1", "t2", "t3", "t4"]
    # forward order: a computed node's number is above its computed parents'
    for node, name in names.items():
        if name.startswith("t"):
            for p in node.parents:
                if names[p].startswith("t"):
                    assert int(names[p][1:]) < int(name[1:])


def _build_graph():
    a, b, c = Value(0.1), Value(0.2), Value(0.3, "c")
    h = [a * b, b + c, (a - c).tanh()]
    out = ag.sum(h) * ag.softmax(h)[1]
    return out


def test_same_graph_built_twice_gets_the_same_names():
    first = _build_graph()
    _ = [Value(i) * 2 for i in range(100)]  # unrelated nodes in between
    second = _build_graph()
    order1 = list(reversed(backward_order(first)))
    order2 = list(reversed(backward_order(second)))
    names1, names2 = node_names(first), node_names(second)
    assert [names1[v] for v in order1] == [names2[v] for v in order2]
    assert len(set(names1.values())) == len(names1)  # no clashes without user labels


# -- backward's seed ------------------------------------------------------------

def test_backward_with_a_seed_gradient():
    # y = 3x as a piece of L with ∂L/∂y = 2: ∂L/∂x = 2·3 (minitorch's d_output)
    x = Value(1.5, "x")
    y = x * 3
    y.backward(grad=2.0)
    assert y.grad == 2.0 and x.grad == 6.0
    y.backward()  # the default seed is 1
    assert x.grad == 3.0
    y.backward(-0.5, accumulate=True)
    assert x.grad == 3.0 - 1.5
    (x * x).backward(grad=2)  # an int is a number
    assert x.grad == 2 * 2 * 1.5


@pytest.mark.parametrize("seed,error", [("2", TypeError), (True, TypeError),
                                        (float("inf"), ag.NumericError)])
def test_a_bad_seed_is_refused_before_anything_changes(seed, error):
    x = Value(1.5, "x")
    y = x * 3
    y.backward()
    with pytest.raises(error, match="seed"):
        y.backward(grad=seed)
    assert x.grad == 3.0


# -- comparisons: numbers, as bools; == is identity ---------------------------------

def test_comparisons_compare_the_numbers():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    assert a < b and a <= b and b > a and b >= a and not a > b
    assert a < 1.5 and 0 < a and a <= 1 and 1 >= a and not a < 1
    assert type(a < b) is bool and type(a < 2) is bool
    assert np.float64(0.5) < a and a < np.float32(1.5)
    if b > 1:  # `if` works, as with torch's bool tensors
        taken = True
    assert taken
    assert sorted([b, a]) == [a, b] and max(a, b) is b and max(a, 0.5) is a


def test_equality_stays_identity():
    a, same = Value(1.0, "a"), Value(1.0, "a")
    assert a == a and a != same and not (a == 1.0)
    assert {a: 1, same: 2}[a] == 1 and len({a, same}) == 2
    assert hash(a) == object.__hash__(a) != hash(same)


@pytest.mark.parametrize("other", ["1", None, [1.0], True, 1j])
def test_comparing_with_a_non_number_is_a_type_error(other):
    with pytest.raises(TypeError):
        Value(1.0) < other
    with pytest.raises(TypeError):
        Value(1.0) >= other
