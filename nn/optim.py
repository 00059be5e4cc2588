"""Optimizers: the update rule, applied to `.data` (no graph is recorded).

A parameter whose grad is None was not part of the last backward pass
("not computed" is not 0), so `step()` leaves it, and its optimizer state,
untouched, as torch does.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Iterable

from autograd import Value
from autograd.errors import finite_number

from .module import Module


class Optimizer(ABC):
    """Holds the parameters and the learning rate; subclasses define `step()`."""

    def __init__(self, params: Iterable[Value], lr: float):
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
        self.lr = lr

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        value = finite_number(value, "lr")
        if value <= 0:
            raise ValueError(f"lr must be positive, got {value}")
        self._lr = value

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Set every parameter's grad to 0 (or to None: "not computed")."""
        g = None if set_to_none else 0.0
        for p in self.params:
            p.grad = g

    @abstractmethod
    def step(self) -> None:
        """One update of every parameter that has a gradient."""


class SGD(Optimizer):
    """Gradient descent, optionally with momentum (torch's form):

        v ← μ·v + g,   p ← p − lr·v        (μ = 0: p ← p − lr·g)

    v starts at 0, so the first step is plain gradient descent.
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0):
        super().__init__(params, lr)
        momentum = finite_number(momentum, "momentum")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, mu, vel = self._lr, self.momentum, self.velocity
        for k, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            if mu:
                g = vel[k] = mu * vel[k] + g
            p.data -= lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba), with bias correction; each parameter counts its
    own steps t (a skipped parameter does not advance):

        m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
        p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + eps)
    """

    def __init__(self, params: Iterable[Value], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        super().__init__(params, lr)
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise TypeError(f"betas must be a pair (β₁, β₂), got {betas!r}") from None
        b1, b2 = finite_number(b1, "betas[0]"), finite_number(b2, "betas[1]")
        for name, b in (("betas[0]", b1), ("betas[1]", b2)):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {b}")
        eps = finite_number(eps, "eps")
        if eps <= 0:
            raise ValueError(f"eps must be positive (it keeps the step finite when v = 0), "
                             f"got {eps}")
        self.betas, self.eps = (b1, b2), eps
        n = len(self.params)
        self.m, self.v, self.t = [0.0] * n, [0.0] * n, [0] * n

    def step(self) -> None:
        lr, (b1, b2), eps = self._lr, self.betas, self.eps
        m, v, t = self.m, self.v, self.t
        for k, p in enumerate(self.params):
            g = p.grad
            if g is None:
                continue
            t[k] += 1
            m[k] = b1 * m[k] + (1.0 - b1) * g
            v[k] = b2 * v[k] + (1.0 - b2) * g * g
            m_hat = m[k] / (1.0 - b1 ** t[k])
            v_hat = v[k] / (1.0 - b2 ** t[k])
            p.data -= lr * m_hat / (math.sqrt(v_hat) + eps)
