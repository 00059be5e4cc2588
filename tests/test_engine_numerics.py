"""Numerical stability, domain errors, overflow and bad input.

Stable paths are compared with closed forms; every error must be a
`NumericError` (or `ZeroDivisionNumericError`) or a `TypeError` whose message
names the node and the offending value, never a silent NaN or inf.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd as ag
from autograd import NumericError, Value, ZeroDivisionNumericError

E = math.e


def rel(a: float, b: float, tol: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=0.0)


# -- stable paths at extreme inputs ---------------------------------------------

@pytest.mark.parametrize("f,x,value,grad", [
    ("sigmoid", 1000.0, 1.0, 0.0),      # σ(1000) = 1 − e⁻¹⁰⁰⁰, σ' = e⁻¹⁰⁰⁰: both round to these
    ("sigmoid", -1000.0, 0.0, 0.0),
    ("tanh", 1000.0, 1.0, 0.0),         # tanh' = 1 − tanh² = 0 once tanh rounds to ±1
    ("tanh", -1000.0, -1.0, 0.0),
    ("softplus", 1000.0, 1000.0, 1.0),  # softplus(z) = z + log(1 + e⁻ᶻ), softplus' = σ
    ("softplus", -1000.0, 0.0, 0.0),    # log(1 + e⁻¹⁰⁰⁰) ≈ e⁻¹⁰⁰⁰
    ("softplus", 50.0, 50.0, 1.0),
])
def test_saturating_functions_at_extremes(f, x, value, grad):
    v = Value(x)
    out = getattr(v, f)()
    out.backward()
    assert out.data == value and v.grad == grad


@pytest.mark.parametrize("f", ["sigmoid", "softplus"])
def test_far_negative_keeps_relative_accuracy(f):
    # σ(−700) ≈ e⁻⁷⁰⁰ and softplus(−700) = log(1 + e⁻⁷⁰⁰) ≈ e⁻⁷⁰⁰; both
    # derivatives, σ(1 − σ) and σ, are ≈ e⁻⁷⁰⁰ too
    v = Value(-700.0)
    out = getattr(v, f)()
    out.backward()
    assert rel(out.data, math.exp(-700.0)) and rel(v.grad, math.exp(-700.0))


def test_logsumexp_of_large_inputs():
    xs = [Value(1000.0), Value(1001.0), Value(1002.0)]
    out = ag.logsumexp(xs)
    out.backward()
    z = 1 + math.exp(-1) + math.exp(-2)
    assert rel(out.data, 1002.0 + math.log(z))
    for v, k in zip(xs, (2, 1, 0)):
        assert rel(v.grad, math.exp(-k) / z)


def test_logsumexp_of_very_negative_inputs():
    xs = [Value(-1000.0), Value(-1000.0)]
    out = ag.logsumexp(xs)
    out.backward()
    assert rel(out.data, -1000.0 + math.log(2.0))
    assert xs[0].grad == 0.5 and xs[1].grad == 0.5


def test_softmax_of_1000_and_1001():
    a, b = Value(1000.0), Value(1001.0)
    y0, y1 = ag.softmax([a, b])
    assert rel(y0.data, 1 / (1 + E)) and rel(y1.data, E / (1 + E))
    y0.backward()
    # ∂y0/∂a = y0·y1, ∂y0/∂b = −y0·y1, y0·y1 = e/(1 + e)²
    assert rel(a.grad, E / (1 + E) ** 2) and rel(b.grad, -E / (1 + E) ** 2)


def test_log_softmax_of_1000_and_1001():
    a, b = Value(1000.0), Value(1001.0)
    l0, l1 = ag.log_softmax([a, b])
    assert rel(l0.data, -math.log1p(E)) and rel(l1.data, 1 - math.log1p(E), 1e-11)
    l0.backward()
    assert rel(a.grad, E / (1 + E)) and rel(b.grad, -E / (1 + E))


def test_mean_of_large_values_does_not_overflow():
    xs = [Value(1e308), Value(1e308)]
    m = ag.mean(xs)
    m.backward()
    assert m.data == 1e308 and xs[0].grad == 0.5


# -- domain errors and overflow name the node and the value -----------------------

def raises_numeric(cls, f, *fragments):
    with pytest.raises(cls) as info:
        f()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return info.value


def test_error_hierarchy():
    assert issubclass(NumericError, ArithmeticError)
    assert issubclass(ZeroDivisionNumericError, NumericError)
    assert issubclass(ZeroDivisionNumericError, ZeroDivisionError)


def test_exp_overflow():
    raises_numeric(NumericError, lambda: Value(1000.0, "z").exp(), "z", "1000")
    raises_numeric(NumericError, lambda: ag.exp(800), "800")


@pytest.mark.parametrize("x", [709.78, 709.782, 709.7827])
def test_exp_just_below_the_float_limit(x):
    # ln(1.7976931348623157e308) = 709.782712893384: up to there eˣ is a float
    assert 1e308 < Value(x).exp().data == math.exp(x) < math.inf


def test_exp_just_above_the_float_limit():
    raises_numeric(NumericError, lambda: Value(709.7828, "z").exp(), "z", "709.7828",
                   "exp overflows for inputs above 709.78")


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_non_positive(x):
    err = raises_numeric(NumericError, lambda: Value(x, "p").log(), "log", "p", repr(x))
    assert not isinstance(err, ZeroDivisionError)


def test_log_whose_derivative_overflows():
    # log(1e−310) is finite but 1/1e−310 overflows: no silent inf on the edge
    raises_numeric(NumericError, lambda: Value(1e-310, "p").log(), "p")


def test_sqrt_of_negative_and_zero():
    raises_numeric(NumericError, lambda: Value(-4.0, "s").sqrt(), "s", "-4")
    raises_numeric(NumericError, lambda: Value(0.0, "s").sqrt(), "s", "0")


def test_division_by_a_zero_value():
    raises_numeric(ZeroDivisionNumericError, lambda: Value(1.0, "a") / Value(0.0, "d"),
                   "div", "d", "0")


def test_division_by_a_zero_number():
    raises_numeric(ZeroDivisionNumericError, lambda: Value(3.0, "a") / 0, "div(a, 0)", "0")


def test_number_divided_by_a_zero_value():
    raises_numeric(ZeroDivisionNumericError, lambda: 5 / Value(0.0, "d"), "d", "0")


def test_reciprocal_of_zero():
    raises_numeric(ZeroDivisionNumericError, lambda: 1 / Value(0.0, "r"), "reciprocal", "r", "0")
    raises_numeric(ZeroDivisionNumericError, lambda: Value(0.0, "r").reciprocal(), "r")


def test_zero_to_a_negative_power():
    raises_numeric(ZeroDivisionNumericError, lambda: Value(0.0, "z") ** -1, "z", "0")
    raises_numeric(ZeroDivisionNumericError, lambda: Value(0.0, "z") ** Value(-2.0, "n"), "z")


def test_zero_to_a_fractional_power_has_infinite_derivative():
    raises_numeric(NumericError, lambda: Value(0.0, "z") ** 0.5, "z")


def test_negative_base_non_integer_exponent():
    err = raises_numeric(NumericError, lambda: Value(-2.0, "b") ** 0.5, "b", "-2", "0.5")
    assert not isinstance(err, ZeroDivisionError)


def test_negative_number_to_a_value_power():
    raises_numeric(NumericError, lambda: (-2) ** Value(0.5, "p"), "-2", "p")


def test_negative_base_to_a_value_power():
    raises_numeric(NumericError, lambda: Value(-2.0, "b") ** Value(2.0, "e"), "b", "-2")


def test_multiplication_overflow():
    raises_numeric(NumericError, lambda: Value(1e200, "a") * Value(1e200, "b"), "a", "b", "inf")
    raises_numeric(NumericError, lambda: Value(1e200, "a") * 1e200, "a", "inf")


@pytest.mark.parametrize("build", [
    lambda a: a * 1e308 + 1e308,
    lambda a: a * 1e308 - (-1e308),
    lambda a: (a * 1e10) / 1e-300,
    lambda a: (a * 10) ** 400,
    lambda a: 10 ** (a * 400),
    lambda a: (a * 1e-5) ** Value(-61.0),   # the derivative a^(b−1) overflows first
    lambda a: ag.dot([a, a], [1.7e308, 1.7e308]),
    lambda a: ag.linear([a], [1e308], 1e308),
    lambda a: ag.sum([a * 1e308, a * 1e308]),
    lambda a: ag.log_softmax([a * 1e308, a * -1e308]),
], ids=["add", "sub", "div", "pow", "rpow", "powv", "dot", "linear", "sum", "log_softmax"])
def test_overflow_in_any_op_is_a_numeric_error(build):
    with pytest.raises(NumericError):
        build(Value(1.0, "a"))


def test_gradient_overflow_during_backward_names_the_node():
    # forward values are all finite (1e−300, 1, 1e300), but
    # ∂w/∂u = 1e300 · 1e300 overflows
    x = Value(1.0, "x")
    u = (x * 1e-300).named("u")
    v = (u * 1e300).named("v")
    w = (v * 1e300).named("w")
    assert math.isfinite(w.data)
    raises_numeric(NumericError, w.backward, "u", "inf")


def test_gradient_overflow_at_a_leaf():
    x = Value(1e-200, "x")
    w = (x * 1e200) * 1e200
    raises_numeric(NumericError, w.backward, "x")


# -- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"),
                                 np.float64("nan"), np.float32("inf")])
def test_non_finite_data_is_rejected(bad):
    raises_numeric(NumericError, lambda: Value(bad), repr(float(bad)))


@pytest.mark.parametrize("bad,shown", [
    ("1.5", "'1.5'"), (None, "None"), (1j, "1j"), ([1.0], "[1.0]"), (True, "True"),
    (False, "False"), (np.bool_(True), "True"), ((2.0,), "(2.0,)"), (b"1", "b'1'"),
])
def test_non_numbers_are_rejected_showing_the_value(bad, shown):
    with pytest.raises(TypeError) as info:
        Value(bad)
    assert shown in str(info.value)


def test_huge_int_is_a_numeric_error():
    with pytest.raises(NumericError):
        Value(10 ** 400)
    with pytest.raises(NumericError):
        Value(1.0) + 10 ** 400


@pytest.mark.parametrize("build,shown", [
    (lambda x: x + "a", "'a'"),
    (lambda x: "a" + x, "'a'"),
    (lambda x: x * None, "None"),
    (lambda x: x - [1], "[1]"),
    (lambda x: x / "2", "'2'"),
    (lambda x: "2" / x, "'2'"),
    (lambda x: x ** "2", "'2'"),
    (lambda x: x * True, "True"),
    (lambda x: x + 1j, "1j"),
    (lambda x: x.leaky_relu("0.1"), "'0.1'"),
    (lambda x: ag.sum([x, "b"]), "'b'"),
    (lambda x: ag.dot([x], ["c"]), "'c'"),
    (lambda x: ag.linear([x], [1.0], "bias"), "'bias'"),
    (lambda x: ag.softmax([x, "abc"]), "'abc'"),
    (lambda x: ag.softmax([x, None]), "None"),
    (lambda x: ag.log_softmax([x, "abc"]), "'abc'"),
    (lambda x: ag.exp("1"), "'1'"),
])
def test_bad_operands_raise_type_error_showing_the_value(build, shown):
    with pytest.raises(TypeError) as info:
        build(Value(1.0, "x"))
    assert shown in str(info.value)


@pytest.mark.parametrize("build", [
    lambda x: x / float("inf"),
    lambda x: x * float("nan"),
    lambda x: x + float("inf"),
    lambda x: x ** float("inf"),
    lambda x: (-x) ** float("inf"),
    lambda x: (-x) ** float("nan"),
    lambda x: float("inf") ** x,
    lambda x: float("nan") - x,
    lambda x: x.leaky_relu(float("nan")),
    lambda x: ag.sum([x, float("inf")]),
    lambda x: ag.softmax([x, float("nan")]),
], ids=["x/inf", "x*nan", "x+inf", "x**inf", "(-x)**inf", "(-x)**nan", "inf**x", "nan-x",
        "leaky(nan)", "sum-inf", "softmax-nan"])
def test_non_finite_constants_are_rejected(build):
    with pytest.raises(NumericError):
        build(Value(2.0, "x"))


@pytest.mark.parametrize("f", [ag.sum, ag.mean, ag.logsumexp, ag.softmax, ag.log_softmax])
def test_empty_inputs(f):
    with pytest.raises(ValueError, match="empty"):
        f([])


def test_mismatched_lengths():
    with pytest.raises(ValueError, match=r"2 and 3"):
        ag.dot([Value(1.0), Value(2.0)], [1, 2, 3])
    with pytest.raises(ValueError, match=r"3 and 1"):
        ag.linear([1, 2, 3], [Value(1.0)])
    with pytest.raises(ValueError, match="empty"):
        ag.dot([], [])


# -- numpy scalars ------------------------------------------------------------------

@pytest.mark.parametrize("scalar,expected", [
    (np.float64(1.5), 1.5), (np.float32(0.25), 0.25), (np.int64(-3), -3.0),
    (np.int32(7), 7.0), (np.float16(0.5), 0.5),
])
def test_numpy_scalars_are_accepted_as_plain_floats(scalar, expected):
    v = Value(scalar)
    assert type(v.data) is float and v.data == expected
    out = v * scalar
    assert type(out.args[1]) is float and out.args[1] == expected
    assert out.data == expected * expected


def test_numpy_scalars_on_the_left():
    x = Value(2.0)
    for out, value, op in [
        (np.float64(3.0) * x, 6.0, "mul"), (np.float64(3.0) + x, 5.0, "add"),
        (np.int64(3) - x, 1.0, "sub"), (np.float64(3.0) / x, 1.5, "div"),
        (np.float64(3.0) ** x, 9.0, "rpow"), (np.float64(1.0) / x, 0.5, "reciprocal"),
    ]:
        assert isinstance(out, Value) and out.data == value and out.op.name == op
        assert out.parents == (x,)


def test_numpy_scalars_in_helpers():
    x = Value(1.0)
    out = ag.linear([x], [np.float32(2.0)], np.int64(1))
    assert out.data == 3.0 and out.args[1] == 2.0 and type(out.args[1]) is float
    ys = ag.softmax([np.float64(0.0), np.float64(0.0)])
    assert [y.data for y in ys] == [0.5, 0.5]


# -- engine edges found by porting peers' test suites (issue 11, item 18) ------------

def test_a_tiny_number_denominator_is_a_large_factor():
    # x / 1e-200 is x · 1e200: its one edge has ∂/∂x = 1/1e-200 = 1e200; the
    # partial for the number (−x/1e-400) is never an edge, so it cannot overflow
    x = Value(1.0, "x")
    for out in (x / 1e-200, x * 1e200):
        out.backward()
        assert out.data == 1e200 and out.local_grads == (1e200,) and x.grad == 1e200


@pytest.mark.parametrize("build", [lambda z: 0 ** z, lambda z: Value(0.0, "b") ** z],
                         ids=["0 ** z", "b ** z"])
def test_zero_to_the_zero_is_one_with_no_gradient(build):
    # Python: 0 ** 0 == 1 (and 0.0 ** 0.0); torch gives 1 with gradient 0 for the exponent
    z = Value(0.0, "z")
    out = build(z)
    assert out.data == 1.0 == 0.0 ** 0.0
    out.backward()
    assert z.grad == 0.0
    assert all(p.grad == 0.0 for p in out.parents)


def test_zero_to_a_negative_value_power_is_still_a_division_by_zero():
    raises_numeric(ZeroDivisionNumericError, lambda: 0 ** Value(-1.0, "z"), "z", "-1")
    raises_numeric(ZeroDivisionNumericError, lambda: Value(0.0, "b") ** Value(-1.0, "z"), "b")


@pytest.mark.parametrize("build,culprit,innocent", [
    (lambda: 2 / Value(1e-200, "b"), "b = 1e-200", "the number 2"),
    (lambda: Value(3.0, "a") / Value(1e-200, "b"), "b = 1e-200", "a = 3"),
    (lambda: Value(1e-200, "a").reciprocal(), "a = 1e-200", None),
    (lambda: Value(1e-200, "a") ** -1.0, "a = 1e-200", None),
])
def test_an_overflowing_local_derivative_names_its_own_argument(build, culprit, innocent):
    err = raises_numeric(NumericError, build, culprit, "overflowed")
    if innocent is not None:
        assert innocent not in str(err)


@pytest.mark.parametrize("build,value,op", [
    (lambda x: x + np.array(3.0), 5.0, "add"),
    (lambda x: np.array(3.0) + x, 5.0, "add"),
    (lambda x: x * np.array(3.0), 6.0, "mul"),
    (lambda x: x - np.array(3.0), -1.0, "sub"),
    (lambda x: x / np.array(4.0), 0.5, "div"),
    (lambda x: x ** np.array(2.0), 4.0, "pow"),
    (lambda x: ag.sum([x, np.array(3.0)]), 5.0, "sum"),
], ids=["x+a", "a+x", "x*a", "x-a", "x/a", "x**a", "sum"])
def test_a_zero_dimensional_array_is_a_number_on_either_side(build, value, op):
    x = Value(2.0, "x")
    out = build(x)
    assert isinstance(out, Value) and out.data == value and out.op.name == op
    assert out.parents == (x,) and all(type(a) is float for a in out.args if a is not x)


def test_arrays_with_elements_are_not_numbers():
    with pytest.raises(TypeError, match=r"array\(\[1., 2.\]\)"):
        Value(1.0) + np.array([1.0, 2.0])
    with pytest.raises(TypeError):
        Value(1.0) * np.array(True)


# -- the new ops' domains (issue 13): each error names the node and its value ----------

@pytest.mark.parametrize("build,fragments", [
    (lambda v: v(2.0).asin(), ["asin(p)", "outside [−1, 1]", "p = 2.0"]),
    (lambda v: v(-1.5).acos(), ["acos(p)", "outside [−1, 1]", "p = -1.5"]),
    (lambda v: v(1.0).asin(), ["asin(p)", "derivative of asin is infinite at ±1"]),
    (lambda v: v(-1.0).acos(), ["acos(p)", "derivative of acos is infinite at ±1"]),
    (lambda v: v(0.0).log10(), ["log10(p)", "non-positive", "p = 0.0"]),
    (lambda v: v(-3.0).log2(), ["log2(p)", "non-positive", "p = -3.0"]),
    (lambda v: v(-1.0).log1p(), ["log1p(p)", "≤ -1", "p = -1.0"]),
    (lambda v: v(711.0).sinh(), ["sinh(p)", "overflows", "p = 711.0"]),
    (lambda v: v(-711.0).cosh(), ["cosh(p)", "overflows", "p = -711.0"]),
    (lambda v: v(710.0).expm1(), ["expm1(p)", "overflows", "p = 710.0"]),
])
def test_domain_errors_of_the_new_ops(build, fragments):
    err = raises_numeric(NumericError, lambda: build(lambda x: Value(x, "p")), *fragments)
    assert not isinstance(err, ZeroDivisionError)


def test_the_new_ops_at_the_edges_of_their_domains():
    # finite up to the float limit: sinh(710.47) ≈ 1.797e308, and tan's pole is
    # never a float (tan(π/2 in floats) = 1.633e16)
    assert Value(710.475).sinh().data == math.sinh(710.475)
    assert Value(math.pi / 2).tan().data == math.tan(math.pi / 2) > 1e16
    assert Value(-1 + 1e-15).log1p().data == math.log1p(-1 + 1e-15)
    assert Value(-1000.0).expm1().data == -1.0 and Value(-1000.0).expm1().local_grads == (0.0,)
    # log2 of a subnormal is finite, but 1/(a·ln 2) overflows: named, not inf
    raises_numeric(NumericError, lambda: Value(5e-324, "p").log2(), "p", "overflowed")
