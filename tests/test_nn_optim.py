"""Optimizers: hand-computed steps, convergence to a known minimum, validation."""

import math

import pytest

from autograd import Value
from nn import MLP, SGD, Adam, AdamW


def bowl(w, v):
    """(w − 3)² + (v + 1)²: convex, minimum 0 at (3, −1)."""
    return (w - 3) ** 2 + (v + 1) ** 2


def run(opt, params, steps):
    for _ in range(steps):
        opt.zero_grad()
        bowl(*params).backward()
        opt.step()


def test_sgd_converges_to_the_minimum():
    w, v = Value(0.0), Value(0.0)
    run(SGD([w, v], lr=0.1), [w, v], 200)
    # each step multiplies the error by (1 − 2·lr) = 0.8: 0.8²⁰⁰ ≈ 4e-20
    assert (w.data, v.data) == pytest.approx((3.0, -1.0), abs=1e-12)


def test_sgd_one_step_by_hand():
    w, v = Value(0.0), Value(0.0)
    opt = SGD([w, v], lr=0.1)
    bowl(w, v).backward()  # grads 2(0 − 3) = −6 and 2(0 + 1) = 2
    opt.step()
    assert (w.data, v.data) == pytest.approx((0.6, -0.2))


def test_momentum_two_steps_by_hand():
    # f = (w − 3)², w₀ = 0, lr 0.1, μ 0.9
    # step 1: g = −6,   v = −6,                 w = 0 + 0.6   = 0.6
    # step 2: g = −4.8, v = 0.9·(−6) − 4.8 = −10.2, w = 0.6 + 1.02 = 1.62
    w = Value(0.0)
    opt = SGD([w], lr=0.1, momentum=0.9)
    trace = []
    for _ in range(2):
        ((w - 3) ** 2).backward()
        opt.step()
        trace.append(w.data)
    assert trace == pytest.approx([0.6, 1.62])
    assert opt.velocity == pytest.approx([-10.2])


def test_momentum_converges():
    w, v = Value(0.0), Value(0.0)
    run(SGD([w, v], lr=0.05, momentum=0.9), [w, v], 500)
    assert (w.data, v.data) == pytest.approx((3.0, -1.0), abs=1e-8)


def test_adam_two_steps_by_hand():
    # f = (w − 3)², w₀ = 0, lr 0.1, β = (0.9, 0.999), eps 1e-8
    w = Value(0.0)
    opt = Adam([w], lr=0.1)
    ((w - 3) ** 2).backward()
    opt.step()
    g1 = -6.0
    m1, v1 = 0.1 * g1, 0.001 * g1 ** 2
    w1 = 0.0 - 0.1 * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + 1e-8)
    assert w.data == pytest.approx(w1, abs=1e-15)
    assert w1 == pytest.approx(0.1, abs=1e-8)  # the first step is lr · sign(g)
    ((w - 3) ** 2).backward()
    opt.step()
    g2 = 2 * (w1 - 3)
    m2, v2 = 0.9 * m1 + 0.1 * g2, 0.999 * v1 + 0.001 * g2 ** 2
    w2 = w1 - 0.1 * (m2 / (1 - 0.9 ** 2)) / (math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8)
    assert w.data == pytest.approx(w2, abs=1e-15)


def test_adam_converges():
    w, v = Value(0.0), Value(0.0)
    run(Adam([w, v], lr=0.05), [w, v], 2000)
    assert (w.data, v.data) == pytest.approx((3.0, -1.0), abs=1e-4)


def test_adam_trains_a_network():
    # y = 2x − 1 with a linear one-neuron net: the least-squares fit is exact
    m = MLP(1, [1], seed=0)
    opt = Adam(m.parameters(), lr=0.05)
    data = [(x / 4, 2 * x / 4 - 1) for x in range(-4, 5)]
    for _ in range(1500):
        loss = sum((m([x]) - y) ** 2 for x, y in data)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert m.parameter("L1.n1.w1").data == pytest.approx(2.0, abs=1e-3)
    assert m.parameter("L1.n1.b").data == pytest.approx(-1.0, abs=1e-3)


# -- weight decay: torch's update formulas (torch.optim docs, the algorithm boxes) ----
#   SGD:   g ← g + λθ;  b ← μb + g;  θ ← θ − γb
#   Adam:  g ← g + λθ;  m, v, m̂, v̂ as usual;  θ ← θ − γ m̂/(√v̂ + ε)
#   AdamW: θ ← θ − γλθ;  m, v, m̂, v̂ from the raw g;  θ ← θ − γ m̂/(√v̂ + ε)

def test_sgd_weight_decay_two_steps_by_hand():
    # f = (w − 3)², w₀ = 1, lr 0.1, λ 0.5, μ 0.9
    # step 1: g = −4 + 0.5·1 = −3.5,        b = −3.5,                   w = 1.35
    # step 2: g = −3.3 + 0.5·1.35 = −2.625, b = 0.9·(−3.5) − 2.625 = −5.775, w = 1.9275
    w = Value(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9, weight_decay=0.5)
    trace = []
    for _ in range(2):
        ((w - 3) ** 2).backward()
        opt.step()
        trace.append(w.data)
    assert trace == pytest.approx([1.35, 1.9275], rel=1e-14)
    assert opt.velocity == pytest.approx([-5.775], rel=1e-14)


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1, weight_decay=0.5),
                                  lambda p: SGD(p, lr=0.05, momentum=0.9, weight_decay=0.5),
                                  lambda p: Adam(p, lr=0.05, weight_decay=0.5)])
def test_l2_weight_decay_minimises_the_penalised_loss(make):
    # λθ is the gradient of ½λθ²: the minimum of (w − 3)² + ½·0.5·w² is
    # 2(w − 3) + 0.5w = 0, w* = 6 / 2.5 = 2.4 (not 3)
    w = Value(0.0)
    opt = make([w])
    for _ in range(3000):
        ((w - 3) ** 2).backward()
        opt.step()
    assert w.data == pytest.approx(2.4, abs=1e-6)


def test_adam_weight_decay_one_step_by_hand():
    w = Value(1.0)
    opt = Adam([w], lr=0.1, weight_decay=0.5)
    ((w - 3) ** 2).backward()
    opt.step()
    g = -4.0 + 0.5 * 1.0
    m, v = 0.1 * g, 0.001 * g * g
    assert w.data == pytest.approx(1.0 - 0.1 * (m / 0.1) / (math.sqrt(v / 0.001) + 1e-8),
                                   abs=1e-15)


def test_adamw_two_steps_by_hand():
    # f = (w − 3)², w₀ = 1, lr 0.1, λ 0.01 (torch's default for AdamW)
    w = Value(1.0)
    opt = AdamW([w], lr=0.1)
    assert opt.weight_decay == 0.01
    theta, m, v = 1.0, 0.0, 0.0
    for t in (1, 2):
        ((w - 3) ** 2).backward()
        opt.step()
        g = 2 * (theta - 3)
        theta -= 0.1 * 0.01 * theta
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        theta -= 0.1 * (m / (1 - 0.9 ** t)) / (math.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        assert w.data == pytest.approx(theta, abs=1e-15)


def test_decoupled_decay_shrinks_every_weight_by_the_same_factor():
    # with a zero gradient, AdamW multiplies θ by (1 − lr·λ) per step and Adam's
    # moments stay 0; Adam's L2 form turns λθ into a normalised step of about lr
    # lr per step, whatever λ: here 0.1·0.01 = 0.001 of the weight against 0.1
    a, b = Value(2.0), Value(2.0)
    adamw, adam = AdamW([a], lr=0.1, weight_decay=0.01), Adam([b], lr=0.1, weight_decay=0.01)
    for _ in range(3):
        a.grad = b.grad = 0.0
        adamw.step()
        adam.step()
    assert a.data == pytest.approx(2.0 * 0.999 ** 3, rel=1e-15)
    assert adamw.m == adamw.v == [0.0]
    assert 2.0 - b.data == pytest.approx(0.3, abs=1e-3)


def test_parameters_without_grad_are_skipped():
    used, unused = Value(1.0), Value(5.0)
    for opt in (SGD([used, unused], lr=0.1, momentum=0.5, weight_decay=0.1),
                AdamW([used, unused], lr=0.1), Adam([used, unused], lr=0.1)):
        (used * 2).backward()
        opt.step()
        assert unused.data == 5.0 and unused.grad is None
    assert opt.t == [1, 0]


def test_zero_grad():
    a, b = Value(1.0), Value(2.0)
    opt = SGD([a, b], lr=0.1)
    (a * b).backward()
    opt.zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)
    opt.zero_grad(set_to_none=True)
    assert (a.grad, b.grad) == (None, None)


def test_lr_can_be_scheduled():
    w = Value(0.0)
    opt = SGD([w], lr=1.0)
    opt.lr = 0.5
    (w * 4).backward()
    opt.step()
    assert w.data == -2.0
    with pytest.raises(ValueError, match="lr must be positive"):
        opt.lr = 0


def test_validation():
    p = [Value(1.0)]
    with pytest.raises(ValueError, match="lr must be positive, got -0.1"):
        SGD(p, lr=-0.1)
    with pytest.raises(TypeError, match="lr"):
        SGD(p, lr="0.1")
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        SGD(p, lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match=r"betas\[1\] must be in \[0, 1\)"):
        Adam(p, betas=(0.9, 1.0))
    with pytest.raises(TypeError, match="pair"):
        Adam(p, betas=0.9)
    with pytest.raises(ValueError, match="eps must be positive"):
        Adam(p, eps=0)
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="parameter 2 must be a Value"):
        SGD([Value(1.0), 2.0], lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        SGD(p + p, lr=0.1)
    with pytest.raises(TypeError, match=r"model.parameters\(\)"):
        SGD(MLP(2, [1]), lr=0.1)
    with pytest.raises(ValueError, match="weight_decay must be at least 0, got -0.1"):
        SGD(p, lr=0.1, weight_decay=-0.1)
    with pytest.raises(ValueError, match="weight_decay must be a finite number"):
        AdamW(p, weight_decay=math.inf)
