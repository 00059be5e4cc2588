"""numerical_grad and gradcheck: the tools users check their derivations with."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import GradcheckError, Value
from autograd.value import apply


def test_numerical_grad_of_known_functions():
    # f = x²y + sin-free closed forms: ∂f/∂x = 2xy, ∂f/∂y = x²
    x, y = Value(1.5), Value(-2.0)
    gx, gy = ag.numerical_grad(lambda a, b: a * a * b, [x, y])
    assert math.isclose(gx, 2 * 1.5 * -2.0, rel_tol=1e-7)
    assert math.isclose(gy, 1.5 ** 2, rel_tol=1e-7)
    (g,) = ag.numerical_grad(lambda a: a.exp(), [Value(0.3)], eps=1e-5)
    assert math.isclose(g, math.exp(0.3), rel_tol=1e-8)


def test_numerical_grad_restores_data_and_records_no_graph():
    x = Value(2.0)
    seen = []

    def f(a):
        seen.append(ag.is_grad_enabled())
        out = a * a
        assert out.is_leaf
        return out

    ag.numerical_grad(f, [x])
    assert x.data == 2.0 and seen == [False, False] and ag.is_grad_enabled()


def test_numerical_grad_restores_data_when_f_raises():
    x = Value(1e-7)
    with pytest.raises(ag.NumericError):
        ag.numerical_grad(lambda a: a.log(), [x], eps=1e-6)  # steps to −9e−7
    assert x.data == 1e-7


def test_numerical_grad_rejects_non_values_by_position():
    with pytest.raises(TypeError, match=r"Values.*got 2\.5 at position 1"):
        ag.numerical_grad(lambda a, b: a * b, [Value(1.0), 2.5])


def test_numerical_grad_takes_any_iterable():
    # ∂(a·b)/∂a = b = 4, ∂/∂b = a = 3: every input is perturbed while f sees all of them
    ga, gb = ag.numerical_grad(lambda a, b: a * b, (v for v in [Value(3.0), Value(4.0)]))
    assert math.isclose(ga, 4.0, rel_tol=1e-8) and math.isclose(gb, 3.0, rel_tol=1e-8)


def test_numerical_grad_needs_a_value_result():
    with pytest.raises(TypeError, match="Value"):
        ag.numerical_grad(lambda a: 3.0, [Value(1.0)])


@settings(max_examples=40, deadline=None)
@given(x=st.floats(0.2, 3), y=st.floats(-2, 2), z=st.floats(-2, 2))
def test_gradcheck_passes_on_correct_functions(x, y, z):
    def f(a, b, c):
        return (a.log() * b + ag.softmax([a, b, c])[2] * c.tanh() + (a ** b)).sigmoid()
    assert ag.gradcheck(f, [Value(x), Value(y), Value(z)]) is True


def test_gradcheck_input_not_used_by_f():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    assert ag.gradcheck(lambda a, b: a * 3.0, [x, y])


def test_gradcheck_ignores_stale_grads_from_earlier_graphs():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    (x * y).backward()          # y.grad = 1 from an unrelated graph
    assert ag.gradcheck(lambda a, b: a * 3.0, [x, y])


def _wrong_exp():
    """exp with a deliberately wrong local derivative (2eˣ instead of eˣ)."""
    def local_grads(out, a):
        (d,) = ag.OPS["exp"].local_grads(out, a)
        return (2.0 * d,)
    return dataclasses.replace(ag.OPS["exp"], local_grads=local_grads, _variants={})


def test_gradcheck_reports_the_input_with_a_wrong_derivative():
    bad_exp = _wrong_exp()
    good, bad = Value(0.5, "good_input"), Value(0.25, "w_bad")

    def f(a, b):
        return a * 2.0 + apply(bad_exp, b)

    with pytest.raises(GradcheckError) as info:
        ag.gradcheck(f, [good, bad])
    lines = str(info.value).splitlines()
    bad_line = next(line for line in lines if "w_bad" in line)
    good_line = next(line for line in lines if "good_input" in line)
    assert "MISMATCH" in bad_line and "MISMATCH" not in good_line
    # the numbers in the table: backward 2e^0.25, numeric e^0.25
    assert f"{2 * math.exp(0.25):+.6f}"[:8] in bad_line
    assert f"{math.exp(0.25):+.6f}"[:8] in bad_line


def test_gradcheck_names_unlabelled_inputs_by_position():
    bad_exp = _wrong_exp()
    with pytest.raises(GradcheckError, match=r"input 1: .*MISMATCH"):
        ag.gradcheck(lambda a, b: a + apply(bad_exp, b), [Value(1.0), Value(0.0)])


def test_gradcheck_is_an_assertion_error():
    assert issubclass(GradcheckError, AssertionError)


def test_gradcheck_tolerances():
    # numeric and analytic differ by ~h²f'''/6 for a deliberately coarse step
    x = Value(1.0)
    with pytest.raises(GradcheckError):
        ag.gradcheck(lambda a: a ** 3, [x], eps=0.1, atol=1e-6, rtol=1e-6)
    # (1.1³ − 0.9³)/0.2 = 3.01 vs 3: within atol = 0.02
    assert ag.gradcheck(lambda a: a ** 3, [x], eps=0.1, atol=0.02, rtol=0.0)


def test_gradcheck_rejects_non_values():
    with pytest.raises(TypeError, match="1.0"):
        ag.gradcheck(lambda a: a, [1.0])
    with pytest.raises(TypeError, match="Value"):
        ag.gradcheck(lambda a: 2.0, [Value(1.0)])
