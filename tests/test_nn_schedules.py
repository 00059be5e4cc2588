"""Learning-rate schedules against torch's published closed forms, and as an
optimizer's lr (the rate each update really used, read back from the weights)."""

import math

import pytest

from autograd import Value
from nn import MLP, SGD, Adam, CosineAnnealingLR, LinearLR, StepLR


def rates(schedule, n):
    return [schedule(t) for t in range(n)]


def test_step_lr_by_hand():
    # torch: lr · γ^⌊t / step_size⌋
    assert rates(StepLR(0.1, step_size=3, gamma=0.5), 8) == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025], rel=1e-15)


def test_linear_lr_is_micrograds_decay():
    # micrograd's demo: learning_rate = 1.0 - 0.9*k/100 for k = 0..99
    s = LinearLR(1.0, end_factor=0.1, total_iters=100)
    assert rates(s, 100) == pytest.approx([1.0 - 0.9 * k / 100 for k in range(100)], rel=1e-15)
    assert s(100) == pytest.approx(0.1) and s(150) == pytest.approx(0.1)  # then constant


def test_linear_lr_warm_up_by_hand():
    # torch's form with start_factor 1/4: 0.1·(1/4 + 3/4·t/4) for t ≤ 4
    s = LinearLR(0.1, start_factor=0.25, end_factor=1.0, total_iters=4)
    assert rates(s, 6) == pytest.approx([0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1], rel=1e-14)


def test_cosine_by_hand():
    # torch: η_min + (lr − η_min)(1 + cos(πt/T))/2; held at η_min after T
    s = CosineAnnealingLR(0.1, T_max=4, eta_min=0.02)
    expected = [0.1, 0.02 + 0.04 * (1 + math.sqrt(0.5)), 0.06, 0.02 + 0.04 * (1 - math.sqrt(0.5)),
                0.02, 0.02, 0.02]
    assert rates(s, 7) == pytest.approx(expected, rel=1e-14)


def test_the_optimizer_uses_the_rate_of_each_update():
    # f = 4w has gradient 4 everywhere, so update t moves w by exactly 4·lr(t)
    w = Value(0.0)
    s = StepLR(0.5, step_size=2, gamma=0.1)
    opt = SGD([w], lr=s)
    moved = []
    for t in range(5):
        assert opt.step_count == t and opt.lr == pytest.approx(s(t))
        before = w.data
        (4 * w).backward()
        opt.step()
        moved.append(before - w.data)
    assert moved == pytest.approx([2.0, 2.0, 0.2, 0.2, 0.02], rel=1e-12)


def test_any_callable_is_a_schedule_and_adam_reads_it_too():
    w = Value(0.0)
    opt = Adam([w], lr=lambda t: 0.1 / (t + 1))
    for _ in range(3):
        (4 * w).backward()
        opt.step()
    # a constant gradient makes every Adam step lr·m̂/(√v̂ + ε) ≈ lr: 0.1 + 0.05 + 0.0333…
    assert w.data == pytest.approx(-(0.1 + 0.05 + 0.1 / 3), rel=1e-7)


def test_micrograd_demo_step_with_the_schedule_equals_micrograds_loop():
    # the same three updates, micrograd's hand-written rate against LinearLR
    def train(by_hand):
        model = MLP(2, [4, 1], seed=3)
        opt = SGD(model.parameters(), lr=LinearLR(1.0, end_factor=0.1, total_iters=100))
        for k in range(3):
            ((model([0.5, -1.0]) - 1) ** 2).backward()
            if by_hand:
                for p in model.parameters():
                    p.data -= (1.0 - 0.9 * k / 100) * p.grad
            else:
                opt.step()
        return model.state_dict()
    assert train(by_hand=False) == pytest.approx(train(by_hand=True), rel=1e-15)


def test_a_bad_rate_fails_before_any_parameter_moves():
    w = Value(1.0)
    opt = SGD([w], lr=lambda t: 0.1 if t < 2 else -0.1)
    for _ in range(2):
        (w * w).backward()
        opt.step()
    after_two = w.data
    (w * w).backward()
    with pytest.raises(ValueError, match="negative rate -0.1 at step 2"):
        opt.step()
    assert w.data == after_two and opt.step_count == 2
    with pytest.raises(TypeError, match="at step 0 must be a number, got 'fast'"):
        SGD([w], lr=lambda t: "fast")
    with pytest.raises(ValueError, match="at step 0 must be a finite number, got nan"):
        SGD([w], lr=lambda t: math.nan)


def test_a_rejected_schedule_leaves_the_old_rate():
    w = Value(1.0)
    opt = SGD([w], lr=0.3)
    with pytest.raises(TypeError):
        opt.lr = lambda t: None
    assert opt.lr == 0.3 and opt.schedule is None
    opt.lr = StepLR(0.2, step_size=1, gamma=0.5)
    assert opt.lr == 0.2
    opt.lr = 0.7
    assert opt.lr == 0.7 and opt.schedule is None


def test_schedule_validation():
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive int"):
        StepLR(0.1, step_size=0)
    with pytest.raises(ValueError, match=r"StepLR: gamma must be in \(0, 1\]"):
        StepLR(0.1, step_size=2, gamma=1.5)
    with pytest.raises(ValueError, match="LinearLR: lr must be positive"):
        LinearLR(0.0, end_factor=0.1, total_iters=10)
    with pytest.raises(TypeError, match="end_factor"):
        LinearLR(0.1, total_iters=10)  # the end is stated, not torch's silent warm-up default
    with pytest.raises(ValueError, match=r"eta_min must be in \[0, lr\)"):
        CosineAnnealingLR(0.1, T_max=10, eta_min=0.1)
    with pytest.raises(TypeError, match="takes the base learning rate, not an optimizer"):
        StepLR(SGD([Value(1.0)], lr=0.1), step_size=2)


def test_repr_names_the_schedule():
    assert repr(LinearLR(1.0, end_factor=0.1, total_iters=100)) == (
        "LinearLR(1, start_factor=1, end_factor=0.1, total_iters=100)")
    assert repr(StepLR(0.1, 5)) == "StepLR(0.1, step_size=5, gamma=0.1)"
