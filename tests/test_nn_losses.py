"""Every loss against hand-computed numbers, its gradient against central
differences, and its error paths."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, gradcheck
from autograd.graph import backward_order
from nn import (bce_with_logits, binary_cross_entropy, cross_entropy, half_sse, hinge, l2, mae,
                mse, sae, softmax_cross_entropy, sse)

P, Y = [0.1, 0.7, 0.2], [0, 1, 0]  # seed 004


def values(xs):
    return [Value(x) for x in xs]


# -- hand-computed numbers ----------------------------------------------------------

def test_seed004_examples():
    # (0 − 0.1)² + (1 − 0.7)² + (0 − 0.2)² = 0.01 + 0.09 + 0.04
    assert sse(P, Y).data == pytest.approx(0.14)
    assert mse(P, Y).data == pytest.approx(0.14 / 3)
    assert cross_entropy(P, Y).data == pytest.approx(-math.log(0.7))
    assert cross_entropy(P, 1).data == pytest.approx(-math.log(0.7))


def test_seed004_sse_as_written():
    # The seed writes (0 − 0.1)² + (1 − 0.7)² + (0 − 0.2)² = 0.01 + 0.49 + 0.04
    # = 0.54: it squared 0.7 instead of 1 − 0.7 = 0.3 (0.7² = 0.49, 0.3² = 0.09),
    # so the true SSE is 0.14 and the MSE 0.14/3 ≈ 0.0467, not 0.54/3 = 0.18.
    # The seed's numbers are those of an output 0.3 in place of 0.7:
    assert sse([0.1, 0.3, 0.2], [0, 1, 0]).data == pytest.approx(0.54)
    assert mse([0.1, 0.3, 0.2], [0, 1, 0]).data == pytest.approx(0.18)


def test_squared_and_absolute_errors():
    p, t = [2.0, -1.0, 0.5, 3.0], [1.0, 1.0, 0.0, 3.5]
    d = [1.0, -2.0, 0.5, -0.5]
    assert sse(p, t).data == pytest.approx(1 + 4 + 0.25 + 0.25)
    assert mse(p, t).data == pytest.approx(5.5 / 4)
    assert half_sse(p, t).data == pytest.approx(5.5 / 2)
    assert mae(p, t).data == pytest.approx(sum(abs(x) for x in d) / 4)
    assert sae(p, t).data == pytest.approx(4.0)
    # seed 000 Q4: ½[(1 − 0.57)² + (0 − 0.61)²] ≈ 0.2785
    assert half_sse([0.57, 0.61], [1, 0]).data == pytest.approx(0.2785, abs=5e-5)
    # a lone Value or number is a list of one
    assert mse(Value(3.0), 1.0).data == 4.0
    assert isinstance(sse([1.0], [0.0]), Value)


def test_binary_cross_entropy():
    p, y = [0.9, 0.2, 0.6], [1, 0, 1]
    want = -(math.log(0.9) + math.log(0.8) + math.log(0.6)) / 3
    assert binary_cross_entropy(p, y).data == pytest.approx(want)
    # soft targets
    assert binary_cross_entropy([0.3], [0.25]).data == pytest.approx(
        -(0.25 * math.log(0.3) + 0.75 * math.log(0.7)))
    # seed 003: dL/da = −y/a + (1 − y)/(1 − a), so dL/dz = a − y through a sigmoid
    z = Value(0.4)
    a = z.sigmoid()
    binary_cross_entropy([a], [1.0]).backward()
    assert z.grad == pytest.approx(1 / (1 + math.exp(-0.4)) - 1.0)


def test_bce_with_logits_equals_bce_and_is_stable():
    s, y = [2.0, -1.0, 0.3], [1, 0, 0.5]
    probs = [1 / (1 + math.exp(-v)) for v in s]
    assert bce_with_logits(s, y).data == pytest.approx(binary_cross_entropy(probs, y).data)
    assert bce_with_logits([1000.0], [0]).data == pytest.approx(1000.0)
    assert bce_with_logits([-1000.0], [1]).data == pytest.approx(1000.0)
    assert bce_with_logits([1000.0], [1]).data == pytest.approx(0.0, abs=1e-300)
    x = Value(-800.0)
    bce_with_logits([x], [1]).backward()
    assert x.grad == pytest.approx(-1.0)  # σ(s) − y


def test_softmax_cross_entropy():
    s = [1.0, 2.0, 1.5, 0.6]  # seed 004's softmax example
    e = [math.exp(v) for v in s]
    assert softmax_cross_entropy(s, 1).data == pytest.approx(-math.log(e[1] / sum(e)))
    assert softmax_cross_entropy(s, [0, 1, 0, 0]).data == pytest.approx(-math.log(e[1] / sum(e)))
    soft = [0.1, 0.6, 0.3, 0.0]
    want = -sum(t * math.log(v / sum(e)) for t, v in zip(soft, e))
    assert softmax_cross_entropy(s, soft).data == pytest.approx(want)
    # unnormalized targets: −Σ yₖ log pₖ still
    assert softmax_cross_entropy(s, [0, 2, 0, 0]).data == pytest.approx(
        -2 * math.log(e[1] / sum(e)))
    # equals cross_entropy of the softmax
    probs = [v / sum(e) for v in e]
    assert cross_entropy(probs, soft[:3] + [0]).data == pytest.approx(
        -sum(t * math.log(p) for t, p in zip(soft, probs)))
    # stable for huge logits
    assert softmax_cross_entropy([1000.0, 0.0], 1).data == pytest.approx(1000.0)
    assert softmax_cross_entropy([1000.0, 0.0], 0).data == pytest.approx(0.0, abs=1e-300)
    # small graph: logsumexp and one subtraction
    xs = values(s)
    loss = softmax_cross_entropy(xs, 2)
    assert sorted(v.op.name for v in backward_order(loss) if v.op) == ["logsumexp", "sub"]
    loss.backward()
    assert [x.grad for x in xs] == pytest.approx([p - (k == 2) for k, p in enumerate(probs)])


def test_hinge():
    s, y = [2.0, 0.3, -0.5, -2.0], [1, 1, 1, -1]
    want = (0 + 0.7 + 1.5 + 0) / 4
    assert hinge(s, y).data == pytest.approx(want)
    xs = values(s)
    hinge(xs, y).backward()
    assert [x.grad for x in xs] == [0.0, -0.25, -0.25, 0.0]


def test_l2():
    ps = values([1.0, -2.0, 3.0])
    r = l2(ps, 0.5)
    assert r.data == pytest.approx(0.5 * 14)
    r.backward()
    assert [p.grad for p in ps] == pytest.approx([1.0, -2.0, 3.0])


# -- gradients against central differences ---------------------------------------

prob = st.floats(0.02, 0.98)
real = st.floats(-4, 4, allow_nan=False)
unit = st.floats(0, 1)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(real, min_size=n, max_size=n), st.lists(real, min_size=n, max_size=n))))
def test_regression_losses_gradcheck(pt):
    p, t = pt
    for loss in (sse, mse, half_sse):
        assert gradcheck(lambda *xs: loss(list(xs), t), values(p))
    # |d| is not differentiable at 0: keep away from it
    if all(abs(a - b) > 1e-3 for a, b in zip(p, t)):
        assert gradcheck(lambda *xs: mae(list(xs), t), values(p))
        assert gradcheck(lambda *xs: sae(list(xs), t), values(p))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(prob, min_size=n, max_size=n), st.lists(unit, min_size=n, max_size=n),
    st.lists(real, min_size=n, max_size=n))))
def test_binary_losses_gradcheck(data):
    p, y, s = data
    assert gradcheck(lambda *xs: binary_cross_entropy(list(xs), y), values(p))
    assert gradcheck(lambda *xs: bce_with_logits(list(xs), y), values(s))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(
    st.lists(real, min_size=n, max_size=n), st.integers(0, n - 1),
    st.lists(unit, min_size=n, max_size=n))))
def test_class_losses_gradcheck(data):
    s, k, soft = data
    assert gradcheck(lambda *xs: softmax_cross_entropy(list(xs), k), values(s))
    assert gradcheck(lambda *xs: softmax_cross_entropy(list(xs), soft), values(s))
    e = [math.exp(v) for v in s]
    probs = [v / sum(e) for v in e]
    assert gradcheck(lambda *xs: cross_entropy(list(xs), k), values(probs))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(real, st.sampled_from([-1, 1])), min_size=1, max_size=5))
def test_hinge_gradcheck(pairs):
    s, y = [a for a, _ in pairs], [b for _, b in pairs]
    if all(abs(1 - a * b) > 1e-3 for a, b in pairs):  # away from the kink
        assert gradcheck(lambda *xs: hinge(list(xs), y), values(s))


# -- errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("loss", [sse, mse, half_sse, mae, sae, binary_cross_entropy,
                                  bce_with_logits, hinge])
def test_length_mismatch_and_empty(loss):
    with pytest.raises(ValueError, match=r"differ in length \(3 and 2\)"):
        loss([0.5, 0.5, 0.5], [1, 1])
    with pytest.raises(ValueError, match="empty"):
        loss([], [])


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"probability 2 is 1.0, outside the open interval "
                                         r"\(0, 1\).*bce_with_logits"):
        binary_cross_entropy([0.5, 1.0], [1, 1])
    with pytest.raises(ValueError, match="probability 1 is 0.0"):
        binary_cross_entropy([Value(0.0)], [0])
    with pytest.raises(ValueError, match="target 1 is 2"):
        binary_cross_entropy([0.5], [2])
    with pytest.raises(ValueError, match="target 1 is -1"):
        bce_with_logits([0.5], [-1])
    with pytest.raises(ValueError, match="probability 2 is 0.0 with target 1"):
        cross_entropy([1.0, 0.0], [0, 1])
    assert cross_entropy([1.0, 0.0], [1, 0]).data == 0.0  # 0·log 0 = 0
    with pytest.raises(ValueError, match="every target is 0"):
        cross_entropy([0.5, 0.5], [0, 0])
    with pytest.raises(ValueError, match="class index 3 is out of range for 3 classes"):
        softmax_cross_entropy([1.0, 2.0, 3.0], 3)
    with pytest.raises(ValueError, match=r"differ in length \(3 and 2\)"):
        softmax_cross_entropy([1.0, 2.0, 3.0], [0, 1])
    with pytest.raises(ValueError, match="label 2 is 0.0; labels must be the numbers -1 or"):
        hinge([0.5, 0.5], [1, 0])
    with pytest.raises(TypeError, match="flat list"):
        mse([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0])
    with pytest.raises(TypeError, match="target 1 must be a Value or a real number"):
        mse([1.0], ["a"])
    with pytest.raises(TypeError):
        mse("ab", [1, 2])
    with pytest.raises(TypeError, match="cross_entropy: probability 2 must be"):
        cross_entropy([0.5, None], 0)
    with pytest.raises(ValueError, match="no parameters"):
        l2([])
