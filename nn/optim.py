"""Optimizers: the update rule, applied to `.data` (no graph is recorded).

A parameter whose grad is None was not part of the last backward pass
("not computed" is not 0), so `step()` leaves it, and its optimizer state,
untouched, as torch does.

The learning rate is a number or a schedule, a function of the update
number t (see `nn.schedules`).  Weight decay follows torch: `weight_decay=λ`
on SGD and Adam adds λp to the gradient (the gradient of an L2 penalty
½λΣp², so it also feeds momentum and Adam's moments); `AdamW` decays the
weights directly instead (decoupled: p ← p − lr·λ·p, outside the moments).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Callable, Iterable, Union

from autograd import Value
from autograd.errors import finite_number

from .module import Module

LearningRate = Union[float, Callable[[int], float]]


def _unit_interval(x, what: str) -> float:
    x = finite_number(x, what)
    if not 0.0 <= x < 1.0:
        raise ValueError(f"{what} must be in [0, 1), got {x}")
    return x


def _scheduled_rate(schedule: Callable[[int], float], t: int) -> float:
    """The schedule's rate for update t, checked before any parameter moves.
    0 is allowed (a cosine schedule ends there); a negative rate is not."""
    lr = finite_number(schedule(t), f"the lr schedule {schedule!r} at step {t}")
    if lr < 0:
        raise ValueError(f"the lr schedule {schedule!r} gave a negative rate {lr} at step {t}")
    return lr


class Optimizer(ABC):
    """Holds the parameters, the learning rate (a number or a schedule) and
    the weight decay; subclasses define `step()`.

    `step_count` is the number of updates made so far: the t at which a
    schedule is read for the next update.
    """

    def __init__(self, params: Iterable[Value], lr: LearningRate, weight_decay: float = 0.0):
        if isinstance(params, Module):
            raise TypeError(f"pass model.parameters(), not the model itself ({params!r})")
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError("the optimizer got an empty parameter list")
        seen = set()
        for k, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"parameter {k + 1} must be a Value, got {p!r}")
            if id(p) in seen:
                raise ValueError(f"parameter {k + 1} ({p.label or p!r}) appears twice; it would "
                                 f"be updated twice per step")
            seen.add(id(p))
        self.step_count = 0
        self.lr = lr
        weight_decay = finite_number(weight_decay, "weight_decay")
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be at least 0, got {weight_decay}")
        self.weight_decay = weight_decay

    @property
    def lr(self) -> float:
        """The learning rate the next `step()` will use."""
        return self._next_lr()

    @lr.setter
    def lr(self, value: LearningRate) -> None:
        if callable(value):
            _scheduled_rate(value, self.step_count)  # a schedule that cannot give a rate fails now
            self.schedule, self._lr = value, None
            return
        value = finite_number(value, "lr")
        if value <= 0:
            raise ValueError(f"lr must be positive, got {value}")
        self.schedule, self._lr = None, value

    def _next_lr(self) -> float:
        return self._lr if self.schedule is None else _scheduled_rate(self.schedule,
                                                                      self.step_count)

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Set every parameter's grad to 0 (or to None: "not computed")."""
        g = None if set_to_none else 0.0
        for p in self.params:
            p.grad = g

    @abstractmethod
    def step(self) -> None:
        """One update of every parameter that has a gradient."""


class SGD(Optimizer):
    """Gradient descent, optionally with momentum and weight decay (torch's form):

        g ← g + λp,   v ← μ·v + g,   p ← p − lr·v        (μ = 0: p ← p − lr·g)

    v starts at 0, so the first step is plain gradient descent.
    """

    def __init__(self, params: Iterable[Value], lr: LearningRate, momentum: float = 0.0,
                 weight_decay: float = 0.0):
        super().__init__(params, lr, weight_decay)
        self.momentum = _unit_interval(momentum, "momentum")
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, mu, wd, vel = self._next_lr(), self.momentum, self.weight_decay, self.velocity
        if not mu and not wd:  # the common case, kept to one multiply per parameter
            for p in self.params:
                if p.grad is not None:
                    p.data -= lr * p.grad
        else:
            for k, p in enumerate(self.params):
                g = p.grad
                if g is None:
                    continue
                if wd:
                    g = g + wd * p.data
                if mu:
                    g = vel[k] = mu * vel[k] + g
                p.data -= lr * g
        self.step_count += 1


class Adam(Optimizer):
    """Adam (Kingma & Ba), with bias correction; each parameter counts its
    own steps t (a skipped parameter does not advance):

        g ← g + λp   (weight_decay λ, torch's Adam: an L2 penalty's gradient)
        m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
        p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + eps)

    With an L2 penalty a weight with large gradients is decayed less (its
    decay is divided by √v too); `AdamW` fixes that.
    """

    _decoupled = False

    def __init__(self, params: Iterable[Value], lr: LearningRate = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr, weight_decay)
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise TypeError(f"betas must be a pair (β₁, β₂), got {betas!r}") from None
        b1, b2 = _unit_interval(b1, "betas[0]"), _unit_interval(b2, "betas[1]")
        eps = finite_number(eps, "eps")
        if eps <= 0:
            raise ValueError(f"eps must be positive (it keeps the step finite when v = 0), "
                             f"got {eps}")
        self.betas, self.eps = (b1, b2), eps
        n = len(self.params)
        self.m, self.v, self.t = [0.0] * n, [0.0] * n, [0] * n

    def step(self) -> None:
        lr, (b1, b2), eps, wd = self._next_lr(), self.betas, self.eps, self.weight_decay
        decay = 1.0 - lr * wd if self._decoupled else 1.0
        coupled = 0.0 if self._decoupled else wd
        m, v, t = self.m, self.v, self.t
        for k, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            if coupled:
                g = g + coupled * p.data
            t[k] += 1
            m[k] = b1 * m[k] + (1.0 - b1) * g
            v[k] = b2 * v[k] + (1.0 - b2) * g * g
            m_hat = m[k] / (1.0 - b1 ** t[k])
            v_hat = v[k] / (1.0 - b2 ** t[k])
            p.data = p.data * decay - lr * m_hat / (math.sqrt(v_hat) + eps)
        self.step_count += 1


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter; torch's AdamW):

        p ← p − lr·λ·p,   then Adam's update from the raw gradient

    so every weight shrinks by the same factor 1 − lr·λ per step, whatever
    its gradient history.  A class of its own, not an `Adam` flag: it is the
    name papers, torch and Keras use, and its default λ (0.01, torch's)
    differs from Adam's 0 — with a flag, `Adam(weight_decay=0.01)` and
    `Adam(weight_decay=0.01, decoupled=True)` would train differently while
    looking alike.
    """

    _decoupled = True

    def __init__(self, params: Iterable[Value], lr: LearningRate = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay)
