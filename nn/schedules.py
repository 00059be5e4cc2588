"""Learning-rate schedules: the learning rate as a function of the step number.

An optimizer's `lr` may be a number, any callable `lr(t) -> float`, or one of
the schedules below; t counts the optimizer's updates so far (0 for the first
`step()`), so one schedule serves full-batch training (a step is an epoch,
as in micrograd's demo) and mini-batches alike (multiply epochs by batches
per epoch, `nn.num_batches(D, M)`).

The formulas are torch's closed forms (`torch.optim.lr_scheduler`), with
torch's parameter names; what differs is the wiring.  A torch scheduler wraps
the optimizer and is stepped by hand (`sched.step()`), so the learning rate
in force depends on when the loop remembered to call it; here the schedule
*is* the optimizer's learning rate, a pure function of t, which a test can
compare with its formula, a plot can draw, and `fit` cannot forget to step.

    SGD(model.parameters(), lr=LinearLR(1.0, end_factor=0.1, total_iters=100))
    # lr(t) = 1.0 − 0.9·t/100, micrograd's demo
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod

from autograd.errors import finite_number


def _base_lr(lr, who: str) -> float:
    if hasattr(lr, "step") and hasattr(lr, "params"):
        raise TypeError(f"{who} takes the base learning rate, not an optimizer; give the "
                        f"schedule as the optimizer's lr: SGD(params, lr={who}(0.1, …))")
    lr = finite_number(lr, f"{who}: lr")
    if lr <= 0:
        raise ValueError(f"{who}: lr must be positive, got {lr}")
    return lr


def _steps(n, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{what} must be a positive int (a number of optimizer steps), got {n!r}")
    return int(n)


def _factor(x, what: str, low_open: bool = True) -> float:
    x = finite_number(x, what)
    if not (0.0 < x if low_open else 0.0 <= x) or x > 1.0:
        raise ValueError(f"{what} must be in {'(0' if low_open else '[0'}, 1], got {x}")
    return x


class Schedule(ABC):
    """A learning rate that depends on the step number t = 0, 1, 2, …"""

    @abstractmethod
    def __call__(self, t: int) -> float:
        """The learning rate of update number t (0-based)."""


class StepLR(Schedule):
    """lr · γ^⌊t / step_size⌋: divide the rate by 1/γ every `step_size` steps."""

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1):
        self.lr = _base_lr(lr, "StepLR")
        self.step_size = _steps(step_size, "StepLR: step_size")
        self.gamma = _factor(gamma, "StepLR: gamma")

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma ** (t // self.step_size)

    def __repr__(self) -> str:
        return f"StepLR({self.lr:g}, step_size={self.step_size}, gamma={self.gamma:g})"


class LinearLR(Schedule):
    """lr · (s + (e − s) · min(t, T) / T): from start_factor·lr to end_factor·lr
    in T = total_iters steps, then constant.  micrograd's demo is
    LinearLR(1.0, end_factor=0.1, total_iters=100): 1.0 − 0.9·t/100.

    torch's defaults (start 1/3, end 1, 5 steps) make a short warm-up that a
    decay written without start_factor would silently get; here the start
    is lr itself unless said otherwise, and the end and length are required.
    """

    def __init__(self, lr: float, *, end_factor: float, total_iters: int,
                 start_factor: float = 1.0):
        self.lr = _base_lr(lr, "LinearLR")
        self.start_factor = _factor(start_factor, "LinearLR: start_factor")
        self.end_factor = _factor(end_factor, "LinearLR: end_factor")
        self.total_iters = _steps(total_iters, "LinearLR: total_iters")

    def __call__(self, t: int) -> float:
        s, e, n = self.start_factor, self.end_factor, self.total_iters
        return self.lr * (s + (e - s) * min(t, n) / n)

    def __repr__(self) -> str:
        return (f"LinearLR({self.lr:g}, start_factor={self.start_factor:g}, "
                f"end_factor={self.end_factor:g}, total_iters={self.total_iters})")


class CosineAnnealingLR(Schedule):
    """η_min + (lr − η_min) · (1 + cos(π t / T_max)) / 2 for t ≤ T_max, then η_min.

    Past T_max torch's formula swings back up (it is periodic); a schedule
    that ends is what a training run of T_max steps means, so it stays at
    η_min."""

    def __init__(self, lr: float, T_max: int, eta_min: float = 0.0):
        self.lr = _base_lr(lr, "CosineAnnealingLR")
        self.T_max = _steps(T_max, "CosineAnnealingLR: T_max")
        eta_min = finite_number(eta_min, "CosineAnnealingLR: eta_min")
        if not 0.0 <= eta_min < self.lr:
            raise ValueError(f"CosineAnnealingLR: eta_min must be in [0, lr) = [0, {self.lr:g}), "
                             f"got {eta_min}")
        self.eta_min = eta_min

    def __call__(self, t: int) -> float:
        t = min(t, self.T_max)
        cos = math.cos(math.pi * t / self.T_max)
        return self.eta_min + (self.lr - self.eta_min) * (1 + cos) / 2

    def __repr__(self) -> str:
        return f"CosineAnnealingLR({self.lr:g}, T_max={self.T_max}, eta_min={self.eta_min:g})"


__all__ = ["Schedule", "StepLR", "LinearLR", "CosineAnnealingLR"]
