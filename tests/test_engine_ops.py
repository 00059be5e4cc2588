"""Every op against independent references.

For each op form the test checks, on random inputs (hypothesis):
- the value against a formula from the `math` module,
- the local derivatives stored at creation (before backward) against the
  derivative worked out by hand, evaluated with `math`,
- the gradients after backward against central differences of the `math`
  formula (never of the engine itself).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Value, ops

SETTINGS = settings(max_examples=60, deadline=None)


# -- independent references ---------------------------------------------------

def central(f: Callable[..., float], xs: list[float], i: int, rel: float = 1e-6) -> float:
    """∂f/∂xᵢ by central differences on plain floats (step relative to |xᵢ|)."""
    h = rel * max(1.0, abs(xs[i]))
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (up[i] - down[i])


def close(a: float, b: float, rel: float, abs_: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def assert_value(actual: float, expected: float) -> None:
    assert close(actual, expected, 1e-12, 1e-14), (actual, expected)


def assert_analytic(actual: float, expected: float) -> None:
    # tanh' = 1 − t² loses relative (not absolute) accuracy in the tails.
    assert close(actual, expected, 1e-8, 1e-12), (actual, expected)


def assert_numeric(actual: float, expected: float) -> None:
    assert close(actual, expected, 1e-5, 1e-6), (actual, expected)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def sign(x: float) -> float:
    return math.copysign(1.0, x)


# -- input domains (kinks and domain errors stay out of reach of the step) ----

REAL = st.floats(-10, 10)
WIDE = st.floats(-15, 15)
EXP_RANGE = st.floats(-20, 20)
POSITIVE = st.floats(0.1, 10)
NONZERO = st.tuples(st.sampled_from([-1.0, 1.0]), st.floats(0.1, 10)).map(lambda t: t[0] * t[1])
OFF_KINK = st.tuples(st.sampled_from([-1.0, 1.0]), st.floats(0.01, 10)).map(lambda t: t[0] * t[1])
EXPONENT = st.floats(-3, 3)
UNIT = st.floats(-0.95, 0.95)


@dataclass(frozen=True)
class Case:
    id: str
    op: str                              # expected op name
    build: Callable[..., Value]          # the engine expression on Values
    ref: Callable[..., float]            # the same function on floats, via math
    deriv: Callable[..., tuple]          # hand-derived partials on floats
    domains: tuple                       # one strategy per Value input


def case(id, op, build, ref, deriv, *domains):
    return Case(id, op, build, ref, deriv, domains)


CASES = [
    case("x + y", "add", lambda x, y: x + y, lambda x, y: x + y, lambda x, y: (1.0, 1.0), REAL, REAL),
    case("x + 3", "add", lambda x: x + 3, lambda x: x + 3.0, lambda x: (1.0,), REAL),
    case("3 + x", "add", lambda x: 3 + x, lambda x: 3.0 + x, lambda x: (1.0,), REAL),
    case("x - y", "sub", lambda x, y: x - y, lambda x, y: x - y, lambda x, y: (1.0, -1.0), REAL, REAL),
    case("x - 3", "sub", lambda x: x - 3, lambda x: x - 3.0, lambda x: (1.0,), REAL),
    case("2 - x", "sub", lambda x: 2 - x, lambda x: 2.0 - x, lambda x: (-1.0,), REAL),
    case("x * y", "mul", lambda x, y: x * y, lambda x, y: x * y, lambda x, y: (y, x), REAL, REAL),
    case("x * 3", "mul", lambda x: x * 3, lambda x: 3.0 * x, lambda x: (3.0,), REAL),
    case("3 * x", "mul", lambda x: 3 * x, lambda x: 3.0 * x, lambda x: (3.0,), REAL),
    case("x / y", "div", lambda x, y: x / y, lambda x, y: x / y,
         lambda x, y: (1.0 / y, -x / (y * y)), REAL, NONZERO),
    case("x / 3", "div", lambda x: x / 3, lambda x: x / 3.0, lambda x: (1.0 / 3.0,), REAL),
    case("3 / x", "div", lambda x: 3 / x, lambda x: 3.0 / x, lambda x: (-3.0 / (x * x),), NONZERO),
    case("1 / x", "reciprocal", lambda x: 1 / x, lambda x: 1.0 / x, lambda x: (-1.0 / (x * x),),
         NONZERO),
    case("x.reciprocal()", "reciprocal", lambda x: x.reciprocal(), lambda x: 1.0 / x,
         lambda x: (-(x ** -2),), NONZERO),
    case("-x", "neg", lambda x: -x, lambda x: -x, lambda x: (-1.0,), REAL),
    case("x ** 3", "pow", lambda x: x ** 3, lambda x: x * x * x, lambda x: (3.0 * x * x,), REAL),
    case("x ** 2", "pow", lambda x: x ** 2, lambda x: x * x, lambda x: (2.0 * x,), REAL),
    case("x ** -2", "pow", lambda x: x ** -2, lambda x: 1.0 / (x * x),
         lambda x: (-2.0 / (x * x * x),), NONZERO),
    case("x ** 0.5", "pow", lambda x: x ** 0.5, math.sqrt, lambda x: (0.5 / math.sqrt(x),), POSITIVE),
    case("x ** 2.5", "pow", lambda x: x ** 2.5, lambda x: math.pow(x, 2.5),
         lambda x: (2.5 * math.pow(x, 1.5),), POSITIVE),
    case("2 ** x", "rpow", lambda x: 2 ** x, lambda x: math.pow(2.0, x),
         lambda x: (math.pow(2.0, x) * math.log(2.0),), EXP_RANGE),
    case("0.5 ** x", "rpow", lambda x: 0.5 ** x, lambda x: math.exp(-x * math.log(2.0)),
         lambda x: (-math.log(2.0) * math.pow(0.5, x),), EXP_RANGE),
    case("x ** y", "powv", lambda x, y: x ** y, lambda x, y: math.exp(y * math.log(x)),
         lambda x, y: (y * math.pow(x, y - 1.0), math.pow(x, y) * math.log(x)), POSITIVE, EXPONENT),
    case("abs(x)", "abs", abs, abs, lambda x: (sign(x),), OFF_KINK),
    case("x.exp()", "exp", lambda x: x.exp(), math.exp, lambda x: (math.exp(x),), EXP_RANGE),
    case("x.log()", "log", lambda x: x.log(), math.log, lambda x: (1.0 / x,), POSITIVE),
    case("x.sqrt()", "sqrt", lambda x: x.sqrt(), math.sqrt, lambda x: (0.5 / math.sqrt(x),), POSITIVE),
    case("x.sin()", "sin", lambda x: x.sin(), math.sin, lambda x: (math.cos(x),), WIDE),
    case("x.tanh()", "tanh", lambda x: x.tanh(), math.tanh, lambda x: (1.0 / math.cosh(x) ** 2,), WIDE),
    case("x.sigmoid()", "sigmoid", lambda x: x.sigmoid(), sigmoid,
         lambda x: (math.exp(-x) / (1.0 + math.exp(-x)) ** 2,), WIDE),
    case("x.relu()", "relu", lambda x: x.relu(), lambda x: max(0.0, x),
         lambda x: (1.0 if x > 0 else 0.0,), OFF_KINK),
    case("x.leaky_relu()", "leaky_relu", lambda x: x.leaky_relu(),
         lambda x: x if x > 0 else 0.01 * x, lambda x: (1.0 if x > 0 else 0.01,), OFF_KINK),
    case("leaky_relu(x, 0.2)", "leaky_relu", lambda x: ag.leaky_relu(x, 0.2),
         lambda x: x if x > 0 else 0.2 * x, lambda x: (1.0 if x > 0 else 0.2,), OFF_KINK),
    case("x.softplus()", "softplus", lambda x: x.softplus(), lambda x: math.log(1.0 + math.exp(x)),
         lambda x: (1.0 / (1.0 + math.exp(-x)),), WIDE),
    case("x.cos()", "cos", lambda x: x.cos(), math.cos, lambda x: (-math.sin(x),), WIDE),
    case("x.tan()", "tan", lambda x: x.tan(), math.tan, lambda x: (1.0 / math.cos(x) ** 2,),
         st.floats(-1.4, 1.4)),
    case("x.asin()", "asin", lambda x: x.asin(), math.asin,
         lambda x: (1.0 / math.sqrt(1.0 - x * x),), UNIT),
    case("x.acos()", "acos", lambda x: x.acos(), math.acos,
         lambda x: (-1.0 / math.sqrt(1.0 - x * x),), UNIT),
    case("x.atan()", "atan", lambda x: x.atan(), math.atan, lambda x: (1.0 / (1.0 + x * x),), REAL),
    case("x.sinh()", "sinh", lambda x: x.sinh(), lambda x: (math.exp(x) - math.exp(-x)) / 2,
         lambda x: ((math.exp(x) + math.exp(-x)) / 2,), REAL),
    case("x.cosh()", "cosh", lambda x: x.cosh(), lambda x: (math.exp(x) + math.exp(-x)) / 2,
         lambda x: ((math.exp(x) - math.exp(-x)) / 2,), REAL),
    case("x.log1p()", "log1p", lambda x: x.log1p(), lambda x: math.log(1.0 + x),
         lambda x: (1.0 / (1.0 + x),), st.floats(-0.9, 10)),
    case("x.expm1()", "expm1", lambda x: x.expm1(), lambda x: math.exp(x) - 1.0,
         lambda x: (math.exp(x),), EXP_RANGE),
    case("x.log2()", "log2", lambda x: x.log2(), lambda x: math.log(x) / math.log(2.0),
         lambda x: (1.0 / (x * math.log(2.0)),), POSITIVE),
    case("x.log10()", "log10", lambda x: x.log10(), lambda x: math.log(x) / math.log(10.0),
         lambda x: (1.0 / (x * math.log(10.0)),), POSITIVE),
]


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
@SETTINGS
@given(data=st.data())
def test_op_value_local_grads_and_backward(c: Case, data):
    xs = [data.draw(d, label=f"x{i}") for i, d in enumerate(c.domains)]
    vs = [Value(x) for x in xs]
    out = c.build(*vs)

    assert out.op is not None and out.op.name == c.op
    assert all(p is v for p, v in zip(out.parents, vs)) and len(out.parents) == len(vs)
    assert_value(out.data, c.ref(*xs))

    # local derivatives are there before backward, grads are not
    assert out.grad is None and all(v.grad is None for v in vs)
    expected = c.deriv(*xs)
    assert len(out.local_grads) == len(vs)
    for got, want in zip(out.local_grads, expected):
        assert_analytic(got, want)

    out.backward()
    assert out.grad == 1.0
    for i, v in enumerate(vs):
        assert_numeric(v.grad, central(c.ref, xs, i))
        assert_analytic(v.grad, expected[i])


# -- n-ary helpers ------------------------------------------------------------

def floats_list(lo, hi, min_size=1, max_size=6):
    return st.lists(st.floats(lo, hi), min_size=min_size, max_size=max_size)


def check_grads(vs: list[Value], ref: Callable[..., float], xs: list[float]) -> None:
    for i, v in enumerate(vs):
        assert_numeric(v.grad, central(ref, xs, i))


@SETTINGS
@given(xs=floats_list(-10, 10))
def test_sum(xs):
    vs = [Value(x) for x in xs]
    out = ag.sum(vs)
    assert out.op.name == "sum" and list(out.parents) == vs
    assert_value(out.data, math.fsum(xs))
    assert out.local_grads == (1.0,) * len(xs)
    out.backward()
    assert [v.grad for v in vs] == [1.0] * len(xs)
    check_grads(vs, lambda *a: math.fsum(a), xs)


@SETTINGS
@given(xs=floats_list(-10, 10))
def test_mean(xs):
    n = len(xs)
    vs = [Value(x) for x in xs]
    out = ag.mean(vs)
    assert out.op.name == "mean" and list(out.parents) == vs
    assert_value(out.data, math.fsum(xs) / n)
    for g in out.local_grads:
        assert_analytic(g, 1.0 / n)
    out.backward()
    check_grads(vs, lambda *a: math.fsum(a) / n, xs)


@SETTINGS
@given(pairs=st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=1, max_size=5))
def test_dot(pairs):
    a = [Value(p) for p, _ in pairs]
    b = [Value(q) for _, q in pairs]
    out = ag.dot(a, b)
    assert out.op.name == "dot"
    interleaved = [v for pair in zip(a, b) for v in pair]
    assert list(out.parents) == interleaved
    assert_value(out.data, math.fsum(p * q for p, q in pairs))
    expected = [d for p, q in pairs for d in (q, p)]
    assert list(out.local_grads) == expected
    out.backward()
    flat = [x for pair in pairs for x in pair]

    def ref(*f):
        return math.fsum(f[i] * f[i + 1] for i in range(0, len(f), 2))
    check_grads(interleaved, ref, flat)


@SETTINGS
@given(
    rows=st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5), st.booleans()),
                  min_size=1, max_size=5),
    bias=st.one_of(st.none(), st.tuples(st.floats(-5, 5), st.booleans())),
)
def test_linear(rows, bias):
    """z = Σ wᵢxᵢ + b with Values or plain numbers as inputs and bias."""
    w = [Value(wi) for wi, _, _ in rows]
    x = [Value(xi) if is_value else xi for _, xi, is_value in rows]
    b = None if bias is None else (Value(bias[0]) if bias[1] else bias[0])
    out = ag.linear(w, x, b)

    wx = [(wi, xi) for wi, xi, _ in rows]
    b_val = 0.0 if bias is None else bias[0]
    assert out.op.name == "linear"
    assert_value(out.data, math.fsum([wi * xi for wi, xi in wx] + [b_val]))

    # args interleave w1, x1, w2, x2, …, b; numbers stay numbers
    expected_args = [a for pair in zip(w, x) for a in pair] + ([] if b is None else [b])
    assert len(out.args) == len(expected_args)
    for got, want in zip(out.args, expected_args):
        if isinstance(want, Value):
            assert got is want
        else:
            assert type(got) is float and got == want
    parents = [a for a in expected_args if isinstance(a, Value)]
    assert list(out.parents) == parents

    # ∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1
    hand = [d for wi, xi in wx for d in (xi, wi)] + ([] if b is None else [1.0])
    hand_for_parents = [d for a, d in zip(expected_args, hand) if isinstance(a, Value)]
    assert list(out.local_grads) == hand_for_parents
    assert [pos for _, _, pos in out.edges()] == [
        i for i, a in enumerate(expected_args) if isinstance(a, Value)]

    out.backward()
    flat = [f for wi, xi in wx for f in (wi, xi)] + ([] if b is None else [b_val])

    def ref(*f):
        s = math.fsum(f[i] * f[i + 1] for i in range(0, 2 * len(wx), 2))
        return s + (f[-1] if b is not None else 0.0)
    for pos, a in enumerate(expected_args):
        if isinstance(a, Value):
            assert_numeric(a.grad, central(ref, flat, pos))


def test_linear_all_numbers_is_a_leaf():
    out = ag.linear([2, 3], [4, 5], 1)
    assert out.is_leaf and out.data == 2 * 4 + 3 * 5 + 1


@SETTINGS
@given(xs=floats_list(-20, 20))
def test_logsumexp(xs):
    vs = [Value(x) for x in xs]
    out = ag.logsumexp(vs)
    assert out.op.name == "logsumexp" and list(out.parents) == vs

    def ref(*a):
        return math.log(math.fsum(math.exp(x) for x in a))
    assert close(out.data, ref(*xs), 1e-12, 1e-12)
    total = math.fsum(math.exp(x) for x in xs)
    for g, x in zip(out.local_grads, xs):
        assert_analytic(g, math.exp(x) / total)
    out.backward()
    check_grads(vs, ref, xs)


def softmax_ref(k):
    return lambda *a: math.exp(a[k]) / math.fsum(math.exp(x) for x in a)


def log_softmax_ref(k):
    return lambda *a: a[k] - math.log(math.fsum(math.exp(x) for x in a))


@SETTINGS
@given(xs=floats_list(-20, 20), pick=st.integers(0, 5))
def test_softmax_output(xs, pick):
    k = pick % len(xs)
    vs = [Value(x) for x in xs]
    ys = ag.softmax(vs)
    assert len(ys) == len(xs)
    y = [softmax_ref(i)(*xs) for i in range(len(xs))]
    for i, out in enumerate(ys):
        assert out.op.name == "softmax" and out.op.index == i
        assert list(out.parents) == vs
        assert close(out.data, y[i], 1e-12, 1e-15)
    assert close(math.fsum(o.data for o in ys), 1.0, 1e-12, 0)
    # ∂yₖ/∂xᵢ = yₖ(δₖᵢ − yᵢ)
    for i, g in enumerate(ys[k].local_grads):
        assert_analytic(g, y[k] * ((1.0 if i == k else 0.0) - y[i]))
    ys[k].backward()
    check_grads(vs, softmax_ref(k), xs)


@SETTINGS
@given(xs=floats_list(-20, 20), pick=st.integers(0, 5))
def test_log_softmax_output(xs, pick):
    k = pick % len(xs)
    vs = [Value(x) for x in xs]
    ys = ag.log_softmax(vs)
    for i, out in enumerate(ys):
        assert out.op.name == "log_softmax" and out.op.index == i
        assert list(out.parents) == vs
        assert close(out.data, log_softmax_ref(i)(*xs), 1e-12, 1e-12)
    y = [softmax_ref(i)(*xs) for i in range(len(xs))]
    for i, g in enumerate(ys[k].local_grads):
        assert_analytic(g, (1.0 if i == k else 0.0) - y[i])
    ys[k].backward()
    check_grads(vs, log_softmax_ref(k), xs)


@SETTINGS
@given(xs=floats_list(-5, 5, min_size=2), coef=st.lists(st.floats(-3, 3), min_size=6, max_size=6),
       log=st.booleans())
def test_all_outputs_of_softmax_in_one_loss(xs, coef, log):
    """L = Σ cₖ yₖ: every output shares the same parents; backward sums them."""
    n = len(xs)
    vs = [Value(x) for x in xs]
    ys = (ag.log_softmax if log else ag.softmax)(vs)
    loss = ag.sum([c * y for c, y in zip(coef, ys)])
    refs = [(log_softmax_ref if log else softmax_ref)(k) for k in range(n)]

    def ref(*a):
        return math.fsum(coef[k] * refs[k](*a) for k in range(n))
    assert close(loss.data, ref(*xs), 1e-10, 1e-12)
    loss.backward()
    check_grads(vs, ref, xs)


@SETTINGS
@given(xs=floats_list(-10, 10, min_size=2), mask=st.lists(st.booleans(), min_size=6, max_size=6),
       pick=st.integers(0, 5), log=st.booleans())
def test_softmax_with_numbers_mixed_in(xs, mask, pick, log):
    """Numbers stay numbers, as in sum and dot: output k has the Value inputs
    as parents, each with its Jacobian entry, and shows the numbers in args."""
    n, k = len(xs), pick % len(xs)
    at = [j for j in range(n) if mask[j]] or [0]  # positions that are Values
    args = [Value(x) if j in at else x for j, x in enumerate(xs)]
    vs = [args[j] for j in at]
    ys = (ag.log_softmax if log else ag.softmax)(args)
    ref = log_softmax_ref if log else softmax_ref
    y = [softmax_ref(i)(*xs) for i in range(n)]
    for i, out in enumerate(ys):
        assert out.op.name == ("log_softmax" if log else "softmax") and out.op.index == i
        assert list(out.parents) == vs
        assert [j for _, _, j in out.edges()] == at
        assert all(a is b if j in at else type(a) is float and a == b
                   for j, (a, b) in enumerate(zip(out.args, args)))
        assert close(out.data, ref(i)(*xs), 1e-12, 1e-12)
    # ∂yₖ/∂xⱼ = yₖ(δₖⱼ − yⱼ); ∂log yₖ/∂xⱼ = δₖⱼ − yⱼ: only at the Value positions
    for (_, d, j) in ys[k].edges():
        delta = 1.0 if j == k else 0.0
        assert_analytic(d, delta - y[j] if log else y[k] * (delta - y[j]))
    ys[k].backward()
    for v, j in zip(vs, at):
        assert_numeric(v.grad, central(ref(k), xs, j))


def test_softmax_of_numbers_only_gives_constants():
    ys = ag.softmax([1.0, 2.0, 1.5, 0.6])
    total = math.fsum(math.exp(x) for x in (1.0, 2.0, 1.5, 0.6))
    for y, x in zip(ys, (1.0, 2.0, 1.5, 0.6)):
        assert y.is_leaf and y.parents == ()
        assert close(y.data, math.exp(x) / total, 1e-15, 0)
    logs = ag.log_softmax([0, 0])
    assert all(y.is_leaf and y.data == -math.log(2.0) for y in logs)


@SETTINGS
@given(x=REAL, c=st.integers(-5, 5), y=REAL)
def test_sum_with_numbers_mixed_in(x, c, y):
    vx, vy = Value(x), Value(y)
    out = ag.sum([vx, c, vy])
    assert out.args[0] is vx and out.args[2] is vy
    assert type(out.args[1]) is float and out.args[1] == c
    assert out.parents == (vx, vy)
    assert_value(out.data, math.fsum([x, c, y]))
    out.backward()
    assert vx.grad == 1.0 and vy.grad == 1.0


# -- the function forms accept numbers and Values alike --------------------------

FUNCTIONS = [
    ("exp", ag.exp, math.exp, 1.3),
    ("log", ag.log, math.log, 2.5),
    ("sqrt", ag.sqrt, math.sqrt, 6.25),
    ("sin", ag.sin, math.sin, 2.0),
    ("tanh", ag.tanh, math.tanh, -0.7),
    ("sigmoid", ag.sigmoid, sigmoid, 0.4),
    ("relu", ag.relu, lambda x: max(x, 0.0), -1.5),
    ("softplus", ag.softplus, lambda x: math.log1p(math.exp(x)), 0.3),
    ("leaky_relu", ag.leaky_relu, lambda x: 0.01 * x if x < 0 else x, -2.0),
    ("cos", ag.cos, math.cos, 2.0),
    ("tan", ag.tan, math.tan, 0.5),
    ("asin", ag.asin, math.asin, 0.5),
    ("acos", ag.acos, math.acos, -0.5),
    ("atan", ag.atan, math.atan, 3.0),
    ("sinh", ag.sinh, math.sinh, 1.5),
    ("cosh", ag.cosh, math.cosh, -1.5),
    ("log1p", ag.log1p, math.log1p, 1e-10),
    ("expm1", ag.expm1, math.expm1, 1e-10),
    ("log2", ag.log2, math.log2, 8.0),
    ("log10", ag.log10, math.log10, 1000.0),
]


@pytest.mark.parametrize("name,f,ref,x", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_function_forms(name, f, ref, x):
    from_number = f(x)
    v = Value(x)
    from_value = f(v)
    assert from_number.op.name == name and from_value.op.name == name
    assert from_value.parents == (v,)
    assert from_number.parents[0].data == x and from_number.parents[0].is_leaf
    assert_value(from_number.data, ref(x))
    assert_value(from_value.data, ref(x))


@pytest.mark.parametrize("name,f,ref,x", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_function_forms_have_signatures(name, f, ref, x):
    sig = inspect.signature(f)
    assert next(iter(sig.parameters)) == "x" and f.__doc__ and f.__name__ == name
    assert_value(f(x=x).data, ref(x))   # keywords work too


def test_leaky_relu_default_slope_is_declared_once():
    # 0.01 for both forms, read from the op table's one constant
    assert ops.LEAKY_RELU_SLOPE == 0.01
    assert inspect.signature(ag.leaky_relu).parameters["slope"].default is ops.LEAKY_RELU_SLOPE
    assert inspect.signature(Value.leaky_relu).parameters["slope"].default is ops.LEAKY_RELU_SLOPE


def test_leaky_relu_slope_by_keyword():
    x = Value(-5.0, "x")
    out = ag.leaky_relu(x, slope=0.2)                   # 0.2 · (−5)
    assert out.data == -1.0 and out.args == (x, 0.2) and out.local_grads == (0.2,)
    assert ag.leaky_relu(-5.0, slope=0.2).data == -1.0  # a number x becomes a leaf
    assert ag.leaky_relu(x=4.0, slope=0.2).data == 4.0


def test_leaky_relu_slope_argument():
    x = Value(-4.0)
    assert ag.leaky_relu(x, 0.25).data == -1.0
    assert x.leaky_relu(slope=0.5).data == -2.0
    assert x.leaky_relu().data == -0.04


@SETTINGS
@given(x=OFF_KINK, a=st.floats(0.01, 0.5))
def test_leaky_relu_with_a_value_slope(x, a):
    """A learned slope (as in PReLU): ∂/∂α = x where x ≤ 0, else 0."""
    vx, va = Value(x), Value(a)
    out = ag.leaky_relu(vx, va)
    assert out.parents == (vx, va)
    hand = (1.0, 0.0) if x > 0 else (a, x)
    assert out.local_grads == hand
    out.backward()

    def ref(x, a):
        return x if x > 0 else a * x
    assert_numeric(vx.grad, central(ref, [x, a], 0))
    assert_numeric(va.grad, central(ref, [x, a], 1))


# -- max, min and clip: the gradient goes to the chosen argument -------------------

def separated(xs: list[float], gap: float = 1e-3) -> bool:
    """No two inputs within `gap`: central differences never cross a tie."""
    s = sorted(xs)
    return all(b - a > gap for a, b in zip(s, s[1:]))


@SETTINGS
@given(xs=floats_list(-10, 10), mask=st.lists(st.booleans(), min_size=6, max_size=6),
       smallest=st.booleans())
def test_max_and_min_of_values_and_numbers(xs, mask, smallest):
    assume(separated(xs))
    args = [Value(x) if mask[i] or i == 0 else x for i, x in enumerate(xs)]
    f, ref = (ag.min, min) if smallest else (ag.max, max)
    out = f(*args)
    assert out.op.name == ("min" if smallest else "max") and out.data == ref(xs)
    assert f(args).data == out.data  # max(xs) as Python's max takes an iterable too
    pick = xs.index(ref(xs))
    for _, d, j in out.edges():  # 1 on the chosen argument, 0 on the others
        assert d == (1.0 if j == pick else 0.0)
    out.backward()
    for j, a in enumerate(args):
        if isinstance(a, Value):
            assert_numeric(a.grad, central(lambda *v: ref(v), xs, j))


@pytest.mark.parametrize("f,args,grads", [
    (ag.max, [2.0, 2.0], [0.5, 0.5]),             # torch.maximum: half each
    (ag.max, [2.0, 2.0, 2.0, 1.0], [1 / 3, 1 / 3, 1 / 3, 0.0]),  # torch.max: evenly
    (ag.min, [-1.0, 3.0, -1.0], [0.5, 0.0, 0.5]),
    (ag.max, [0.0, "0"], [0.5]),                  # max(x, 0) at x = 0: the number ties too
    (ag.max, [5.0], [1.0]),
])
def test_max_and_min_share_a_tie_evenly(f, args, grads):
    vs = [Value(a) if isinstance(a, float) else float(a) for a in args]
    out = f(*vs)
    out.backward()
    assert [v.grad for v in vs if isinstance(v, Value)] == grads


def test_pythons_max_and_sorted_pick_values_by_their_numbers():
    a, b, c = Value(1.0, "a"), Value(3.0, "b"), Value(2.0, "c")
    assert max(a, b, c) is b and min([a, b, c]) is a and sorted([b, c, a]) == [a, c, b]


@SETTINGS
@given(x=REAL, lo=st.floats(-5, -0.5), hi=st.floats(0.5, 5), values=st.booleans())
def test_clip(x, lo, hi, values):
    assume(min(abs(x - lo), abs(x - hi)) > 1e-3)
    vx = Value(x)
    vlo, vhi = (Value(lo), Value(hi)) if values else (lo, hi)
    out = ag.clip(vx, vlo, vhi)
    assert out.op.name == "clip" and out.data == min(max(x, lo), hi)
    out.backward()
    ref = lambda a, b, c: min(max(a, b), c)  # noqa: E731
    assert_numeric(vx.grad, central(ref, [x, lo, hi], 0))
    assert vx.grad == (1.0 if lo < x < hi else 0.0)
    if values:
        assert_numeric(vlo.grad, central(ref, [x, lo, hi], 1))
        assert_numeric(vhi.grad, central(ref, [x, lo, hi], 2))


def test_clip_at_its_bounds_follows_torch_clamp():
    # inclusive bounds: at x = lo or x = hi the gradient is x's, not the bound's
    for at in (-1.0, 2.0):
        x, lo, hi = Value(at), Value(-1.0), Value(2.0)
        out = x.clip(lo, hi)
        out.backward()
        assert out.data == at and (x.grad, lo.grad, hi.grad) == (1.0, 0.0, 0.0)
    assert ag.clip(5, 0, 1).data == 1.0 and ag.clip(5, 0, 1).parents[0].is_leaf


def test_clip_with_its_bounds_the_wrong_way_round_names_the_node():
    with pytest.raises(ag.NumericError, match=r"clip\(x, 2, 1\).*lo = 2 > hi = 1"):
        Value(0.5, "x").clip(2, 1)


# -- conventions at the kinks (from each op's stated rule) ---------------------

def test_kink_conventions():
    z = Value(0.0)
    assert z.relu().local_grads == (0.0,)          # ReLU'(z) = 1 if z > 0 else 0
    assert abs(z).local_grads == (0.0,)            # sign(0) = 0
    assert z.leaky_relu(0.1).local_grads == (0.1,)  # 1 if z > 0 else α
    assert z.relu().data == 0.0 and abs(z).data == 0.0


def test_integer_powers_of_zero_and_negative_bases():
    assert (Value(0.0) ** 0).data == 1.0 and (Value(0.0) ** 0).local_grads == (0.0,)
    assert (Value(0.0) ** 1).local_grads == (1.0,)
    assert (Value(0.0) ** 2).local_grads == (0.0,)
    assert (Value(0.0) ** 1.5).local_grads == (0.0,)
    n = Value(-2.0) ** 3
    assert n.data == -8.0 and n.local_grads == (12.0,)     # 3·(−2)²
    m = Value(-2.0) ** -1
    assert m.data == -0.5 and m.local_grads == (-0.25,)    # −1·(−2)⁻²


# -- every op in the table is exercised above ------------------------------------

NARY_TESTED = {"sum", "mean", "dot", "linear", "logsumexp", "softmax", "log_softmax",
               "max", "min", "clip"}


def test_every_op_is_covered():
    covered = {c.op for c in CASES} | NARY_TESTED
    assert set(ag.OPS) == covered


# -- the op declarations that drawings and explanations read ---------------------

def test_op_declarations_are_complete():
    for name, op in ag.OPS.items():
        assert op.name == name
        assert isinstance(op.symbol, str) and op.symbol
        assert isinstance(op.rule, str) and op.rule


def test_documented_op_texts():
    # the examples the shared contract gives
    assert ag.OPS["mul"].partial(0, ["w", "x"], "z") == "x"
    assert ag.OPS["mul"].partial(1, ["w", "x"], "z") == "w"
    assert ag.OPS["sigmoid"].partial(0, ["z10"], "a10") == "a10(1 − a10)"
    assert ag.OPS["linear"].expr(["w10", "x1", "w20", "x2"]) == "w10·x1 + w20·x2"
    assert ag.OPS["reciprocal"].symbol == "1/x"
    assert ag.OPS["sigmoid"].rule == "σ'(z) = σ(z)(1 − σ(z))"
    assert ag.OPS["linear"].partial(4, ["w1", "x1", "w2", "x2", "b"], "z") == "1"
    assert ag.OPS["linear"].partial(2, ["w1", "x1", "w2", "x2", "b"], "z") == "x2"


def test_power_texts_are_python_syntax():
    # `^` is XOR in Python and the expression language rejects it
    assert ag.OPS["pow"].expr(["x", "2"]) == "x**2"
    assert ag.OPS["pow"].partial(0, ["x", "2"], "t") == "2·x"  # n·x**(n−1) worked out
    assert ag.OPS["rpow"].expr(["2", "x"]) == "2**x"
    assert ag.OPS["rpow"].partial(1, ["2", "x"], "t") == "2**x·ln 2"
    assert ag.OPS["powv"].expr(["a", "b"]) == "a**b"
    assert ag.OPS["powv"].partial(0, ["a", "b"], "t") == "b·a**(b−1)"
    assert ag.OPS["powv"].partial(1, ["a", "b"], "t") == "a**b·ln a"


@pytest.mark.parametrize("build,names,at,value,op", [
    (lambda v: v["x"] ** 3, ["x", "3"], {"x": 1.5}, 3.375, "pow"),
    (lambda v: 2 ** v["x"], ["2", "x"], {"x": 3.0}, 8.0, "rpow"),
    (lambda v: v["a"] ** v["b"], ["a", "b"], {"a": 4.0, "b": 0.5}, 2.0, "powv"),
])
def test_power_texts_read_back_in_the_expression_language(build, names, at, value, op):
    from autograd.expr import parse
    node = build({k: Value(x, k) for k, x in at.items()})
    text = node.op.expr(names)
    again, _ = parse(text).evaluate(at)
    assert node.data == value and again.data == value and again.op.name == op
