"""Gradients as values, and derivatives of derivatives (`autograd.grad`, `hessian`).

Expected numbers are DeZero's published outputs (steps 33–36 of "Deep
Learning from Scratch 3"), closed forms worked out by hand in the comments,
or central differences of hand-derived first derivatives: never the engine's
own output read back.  Where two of the engine's paths must agree bit for
bit (grad vs backward), that is said.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import NumericError, Value, grad, hessian
from seeds import random_graph
from test_engine_ops import CASES, central

SETTINGS = settings(max_examples=40, deadline=None)


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


# -- DeZero, steps 33–36 ------------------------------------------------------------

def dezero_f(x):
    return x ** 4 - 2 * x ** 2  # step 33's f(x) = x⁴ − 2x²


def test_dezero_step_33_first_and_second_derivative():
    # f'(x) = 4x³ − 4x = 24 and f''(x) = 12x² − 4 = 44 at x = 2: the book prints
    # variable(24.0) and, once x's gradient is cleared, variable(44.0)
    x = Value(2.0, "x")
    gx = grad(dezero_f(x), x, create_graph=True)
    assert isinstance(gx, Value) and gx.data == 24.0
    assert grad(gx, x) == 44.0


# step33.py's printed iterates: 0 variable(2.0), 1 variable(1.4545454545454546), …
DEZERO_NEWTON = [2.0, 1.4545454545454546, 1.1510467893775467, 1.0253259289766978,
                 1.0009084519430513, 1.0000012353089454, 1.000000000002289, 1.0, 1.0, 1.0]


def test_dezero_step_33_newtons_method_converges_as_the_book_prints():
    x = Value(2.0, "x")
    seen = []
    for _ in range(10):
        seen.append(x.data)
        gx = grad(dezero_f(x), x, create_graph=True)
        gx2 = grad(gx, x)
        x.data -= gx.data / gx2
    assert seen == DEZERO_NEWTON  # bit for bit, as the book's float64 run


@pytest.mark.parametrize("at", [1.0, -0.3, 2.5])
def test_dezero_step_34_the_derivatives_of_sin_cycle(at):
    # dⁿ/dxⁿ sin x = sin(x + nπ/2): sin, cos, −sin, −cos, sin, …
    x = Value(at, "x")
    y = x.sin()
    expected = [math.sin(at), math.cos(at), -math.sin(at), -math.cos(at)]
    for n in range(9):
        assert close(y.data, expected[n % 4]), n
        y = grad(y, x, create_graph=True)


def _tanh_derivative_polynomials(n: int) -> list[list[int]]:
    """dᵏ tanh/dxᵏ = Pₖ(t), t = tanh x, with P₀ = t and P_{k+1} = Pₖ'(t)·(1 − t²):
    integer coefficients, lowest power first."""
    polys = [[0, 1]]
    for _ in range(n):
        p = polys[-1]
        dp = [i * c for i, c in enumerate(p)][1:] or [0]
        nxt = [0] * (len(dp) + 2)
        for i, c in enumerate(dp):
            nxt[i] += c
            nxt[i + 2] -= c
        polys.append(nxt)
    return polys


def test_tanh_derivative_polynomials_by_hand():
    # t' = 1 − t², t'' = −2t + 2t³, t''' = −2 + 8t² − 6t⁴
    p = _tanh_derivative_polynomials(3)
    assert p[1] == [1, 0, -1] and p[2] == [0, -2, 0, 2] and p[3] == [-2, 0, 8, 0, -6]


@pytest.mark.parametrize("at", [1.0, -0.4, 0.0])
def test_dezero_step_35_higher_derivatives_of_tanh(at):
    x = Value(at, "x")
    t = math.tanh(at)
    y = x.tanh()
    for n, p in enumerate(_tanh_derivative_polynomials(6)):
        assert close(y.data, sum(c * t ** i for i, c in enumerate(p)), 1e-10, 1e-12), n
        y = grad(y, x, create_graph=True)


def test_dezero_step_35_the_second_derivative_is_a_graph_over_x():
    x = Value(1.0, "x")
    y = x.tanh().named("y")
    gx2 = grad(grad(y, x, create_graph=True), x, create_graph=True).named("gx2")
    # d²tanh/dx² = −2t(1 − t²) at t = tanh 1
    t = math.tanh(1.0)
    assert close(gx2.data, -2 * t * (1 - t * t))
    assert not gx2.is_leaf and x in ag.graph.forward_order(gx2) and y in ag.graph.forward_order(gx2)


def test_dezero_step_36_double_backprop():
    # y = x², gx = ∂y/∂x = 2x, z = gx³ + y: dz/dx = 3·gx²·2 + 2x = 100 at x = 2 (the book's 100.)
    x = Value(2.0, "x")
    y = x ** 2
    gx = grad(y, x, create_graph=True)
    z = gx ** 3 + y
    assert grad(z, x) == 100.0
    z.backward()
    assert x.grad == 100.0


# -- the issue's own checks -----------------------------------------------------------

@SETTINGS
@given(x=st.floats(-10, 10))
def test_grad_of_grad_of_a_cube_is_six_x(x):
    v = Value(x, "x")
    assert close(grad(grad(v ** 3, v, create_graph=True), v), 6 * x, 1e-12, 1e-12)


def mixed(x, y):
    return x * y + x.sin() * y ** 2


@pytest.mark.parametrize("a,b", [(0.5, 2.0), (-1.2, 0.3), (3.0, -1.5)])
def test_mixed_partials_of_xy_plus_sin_x_y_squared(a, b):
    # f = xy + sin(x)y²: f_xx = −sin(x)y², f_xy = f_yx = 1 + 2y cos x, f_yy = 2 sin x
    x, y = Value(a, "x"), Value(b, "y")
    gx, gy = grad(mixed(x, y), [x, y], create_graph=True)
    assert close(gx.data, b + math.cos(a) * b * b) and close(gy.data, a + 2 * b * math.sin(a))
    h = hessian(mixed, [x, y])
    fxy = 1 + 2 * b * math.cos(a)
    want = [[-math.sin(a) * b * b, fxy], [fxy, 2 * math.sin(a)]]
    for row, want_row in zip(h, want):
        for got, w in zip(row, want_row):
            assert close(got, w)
    assert h == hessian(mixed(x, y), [x, y])  # f as a function or as its output


# -- every op's second derivative against central differences of its first ------------

ONE_OR_TWO = [c for c in CASES if len(c.domains) <= 2]


@pytest.mark.parametrize("c", ONE_OR_TWO, ids=[c.id for c in ONE_OR_TWO])
@SETTINGS
@given(data=st.data())
def test_second_derivatives_of_every_op(c, data):
    """∂²f/∂xᵢ∂xⱼ from the op's local derivatives on Values, against central
    differences of the hand-derived first derivative `c.deriv`."""
    xs = [data.draw(d, label=f"x{i}") for i, d in enumerate(c.domains)]
    if c.op in ("relu", "leaky_relu", "abs"):
        assume(all(abs(x) > 1e-3 for x in xs))
    vs = [Value(x) for x in xs]
    h = hessian(c.build, vs)
    for i in range(len(xs)):
        for j in range(len(xs)):
            numeric = central(lambda *a: c.deriv(*a)[i], xs, j)
            assert close(h[i][j], numeric, 1e-4, 1e-5), (i, j, h[i][j], numeric)


def test_second_derivatives_of_the_n_ary_ops():
    # logsumexp: ∂²/∂aᵢ∂aⱼ = pᵢδᵢⱼ − pᵢpⱼ (p = softmax(a))
    a = [0.3, -1.2, 2.0]
    xs = [Value(v) for v in a]
    p = [math.exp(v) / sum(math.exp(u) for u in a) for v in a]
    h = hessian(ag.logsumexp(xs), xs)
    for i in range(3):
        for j in range(3):
            assert close(h[i][j], p[i] * (i == j) - p[i] * p[j])
    # mean, sum, dot, linear are linear or bilinear: ∂²(w·x + b)/∂w∂x = 1, the rest 0
    w, x, b = Value(0.5), Value(-2.0), Value(0.1)
    assert hessian(ag.linear([w], [x], b), [w, x, b]) == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert hessian(ag.mean([w, x]) * 2, [w, x]) == [[0, 0], [0, 0]]


@pytest.mark.parametrize("log", [False, True])
def test_second_derivatives_of_softmax_outputs(log):
    a = [0.3, -1.2, 2.0]
    for k in range(3):
        xs = [Value(v) for v in a]
        out = (ag.log_softmax if log else ag.softmax)(xs)[k]

        def first(*v, i):  # ∂yₖ/∂aᵢ by hand: yₖ(δₖᵢ − yᵢ), or δₖᵢ − yᵢ for log yₖ
            y = [math.exp(u) / sum(math.exp(t) for t in v) for u in v]
            return (k == i) - y[i] if log else y[k] * ((k == i) - y[i])
        h = hessian(out, xs)
        for i in range(3):
            for j in range(3):
                assert close(h[i][j], central(lambda *v: first(*v, i=i), a, j), 1e-6, 1e-8)


def test_max_min_clip_relu_abs_have_no_curvature():
    # piecewise linear: the first derivative is a constant, so the second is 0,
    # and at the kinks the first follows torch (relu'(0) = 0, |x|'(0) = 0)
    x = Value(0.0, "x")
    for f in (lambda v: v.relu(), abs, lambda v: ag.max(v, 0.0, -1.0), lambda v: v.clip(-1, 1)):
        g = grad(f(x), x, create_graph=True)
        assert g.is_leaf and grad(g, x, allow_unused=True) == 0.0  # a constant: no graph
    assert grad(x.relu(), x) == 0.0 and grad(abs(x), x) == 0.0
    assert grad(ag.max(x, 0.0), x) == 0.5  # a tie with the number 0: half each, as torch.maximum


# -- grad's contract -------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, 20), st.integers(0, 20),
                          st.booleans()), min_size=1, max_size=12))
def test_grad_is_backward_bit_for_bit(leaves, steps):
    """The float path is backward's loop; the graph path does the same
    floating-point operations on nodes, so its values are the same floats."""
    nodes = random_graph(leaves, steps)
    root = nodes[-1]
    as_floats = grad(root, nodes, allow_unused=True)
    as_graphs = grad(root, nodes, create_graph=True, allow_unused=True)
    assert all(v.grad is None for v in nodes)  # grad touches no .grad
    root.backward()
    for v, f, g in zip(nodes, as_floats, as_graphs):
        want = 0.0 if v.grad is None else v.grad  # None: not in root's graph
        assert f == want and g.data == want


def test_grad_leaves_every_grad_alone():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    x.grad = 123.0
    out = x * y + x
    assert grad(out, [x, y]) == [4.0, 2.0]  # ∂/∂x = y + 1, ∂/∂y = x
    assert x.grad == 123.0 and y.grad is None and out.grad is None


def test_shapes_and_seeds():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    a, b = x * y, x + y
    assert grad(a, x) == 3.0 and grad(a, [x]) == [3.0]
    assert grad([a, b], [x, y]) == [4.0, 3.0]          # (y + 1, x + 1): the outputs add up
    assert grad([a, b], [x, y], [2.0, -1.0]) == [5.0, 3.0]  # 2(y, x) − (1, 1)
    assert grad(a, x, create_graph=True) is y         # ∂(x·y)/∂x is the node y itself
    assert grad(a, a) == 1.0 and grad(a, a, 4.0) == 4.0


def test_an_input_outside_the_graph_is_an_error_unless_allowed():
    """torch.autograd.grad raises for an input the outputs never used, and
    with allow_unused=True gives None (zeros with materialize_grads=True);
    here the allowed gradient is 0, the derivative of what does not depend on u."""
    x, y, u = Value(2.0, "x"), Value(3.0, "y"), Value(5.0, "u")
    a = x * y
    with pytest.raises(ValueError, match=r"^grad: u is not in the graph of the outputs \(they do "
                                         r"not depend on it\): pass allow_unused=True to get 0 "
                                         r"for it$"):
        grad(a, u)
    with pytest.raises(ValueError, match=r"^grad: inputs\[1\] \(<leaf 7>\) is not in the graph"):
        grad(a, [x, Value(7.0)], create_graph=True)  # unlabelled: its value; the position too
    assert grad(a, [x, u, y], allow_unused=True) == [3.0, 0.0, 2.0]
    g = grad(a, u, create_graph=True, allow_unused=True)
    assert isinstance(g, Value) and g.is_leaf and g.data == 0.0
    dead = (x * -1.0).relu()  # in the graph, every path through a 0: used, so no error
    assert grad(dead, x) == 0.0 and grad(dead, x, create_graph=True).data == 0.0
    d2 = grad(grad(x * x, x, create_graph=True), x, create_graph=True)  # d²(x²)/dx² = 2, constant
    assert d2.is_leaf and d2.data == 2.0
    with pytest.raises(ValueError, match="the output is a leaf, with no graph"):
        grad(d2, x)  # torch too: the third derivative of x² has no graph to walk
    assert grad(d2, x, allow_unused=True) == 0.0
    with ag.no_grad():
        frozen = x * y
    with pytest.raises(ValueError, match=r"x is not in the graph.*computed under no_grad\(\)"):
        grad(frozen, x)
    with pytest.raises(TypeError, match="allow_unused must be True or False"):
        grad(a, x, allow_unused=1)
    # hessian's inputs need not all be used: f = x², constant in u, has 0 rows and columns there
    assert hessian(x * x, [x, u]) == [[2.0, 0.0], [0.0, 0.0]]


def test_the_derivative_graph_is_drawn_stepped_and_explained():
    x = Value(0.5, "x")
    dy = grad((x * x).sin(), x, create_graph=True).named("dy")  # 2x·cos(x²)
    assert close(dy.data, math.cos(0.25))
    steps = list(dy.backward_steps())
    want = 2 * math.cos(0.25) - 4 * 0.25 * math.sin(0.25)  # d/dx 2x cos x² = 2cos x² − 4x² sin x²
    assert close(x.grad, want) and steps[-1].total == x.grad
    assert close(ag.explain(dy, x).total, want)
    drawing = ag.draw(dy)
    assert "dy" in drawing.source


def test_bad_arguments():
    x = Value(1.0, "x")
    with pytest.raises(TypeError, match="inputs must be Values"):
        grad(x * 2, [x, 2.0])
    with pytest.raises(TypeError, match="outputs must be a Value"):
        grad(3.0, x)
    with pytest.raises(ValueError, match="inputs is empty"):
        grad(x * 2, [])
    with pytest.raises(ValueError, match="one seed per output"):
        grad([x * 2, x * 3], x, [1.0])
    with pytest.raises(NumericError, match="seed"):
        grad(x * 2, x, float("inf"))
    with pytest.raises(RuntimeError, match="no_grad"):
        with ag.no_grad():
            grad(x * 2, x, create_graph=True)
    with pytest.raises(TypeError, match="hessian"):
        hessian(lambda v: 2.0, [x])


def test_an_overflowing_gradient_names_the_node():
    x = Value(1e-200, "x")
    with pytest.raises(NumericError, match="gradient at x"):
        grad((x * 1e200) * 1e200, x)
    with pytest.raises(NumericError):
        grad((x * 1e200) * 1e200, x, create_graph=True)


def test_a_derivative_whose_own_derivative_is_infinite_is_an_error_naming_the_node():
    # d/dx x^1.5 = 1.5·x^0.5 is 0 at x = 0, but as a graph it needs the edge of
    # x^0.5, whose local derivative 0.5·x^−0.5 is infinite there
    x = Value(0.0, "x")
    assert grad(x ** 1.5, x) == 0.0
    with pytest.raises(NumericError, match=r"pow\(x, 0.5\).*infinite"):
        grad(x ** 1.5, x, create_graph=True)
    assert grad(grad(x ** 2.5, x, create_graph=True), x) == 0.0  # 2.5·1.5·x^0.5
