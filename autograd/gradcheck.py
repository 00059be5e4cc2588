"""Central differences: the independent check on every derivative.

`numerical_grad` perturbs each input's data by ±eps and measures the slope of
`f` without recording any graph; `gradcheck` compares that slope with what
`backward()` computes and says exactly which input disagrees.
"""

from __future__ import annotations

from typing import Callable, Iterable

from .notation import align
from .value import Value, no_grad


class GradcheckError(AssertionError):
    """Analytic and numerical gradients disagree; the message lists them."""


def _scalar(out, what: str) -> Value:
    if not isinstance(out, Value):
        raise TypeError(f"{what} must return a Value, got {out!r}")
    return out


def numerical_grad(f: Callable[..., Value], inputs: Iterable[Value], eps: float = 1e-6) -> list[float]:
    """∂f/∂xᵢ for each input by central differences (f(x+eps) − f(x−eps)) / 2eps.

    The inputs must be Values (leaves f is called with): their data is what
    gets perturbed, and is restored even when f raises."""
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"inputs must be Values (their data is perturbed), "
                            f"got {x!r} at position {i}")
    grads = []
    with no_grad():
        for x in inputs:
            original = x.data
            try:
                x.data = original + eps
                hi = _scalar(f(*inputs), "f").data
                x.data = original - eps
                lo = _scalar(f(*inputs), "f").data
            finally:
                x.data = original
            grads.append((hi - lo) / (2 * eps))
    return grads


def gradcheck(f: Callable[..., Value], inputs: Iterable[Value], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-4) -> bool:
    """True when backward() agrees with central differences for every input
    (|analytic − numeric| <= atol + rtol·|numeric|); otherwise raise
    `GradcheckError` with a row per input."""
    inputs = list(inputs)
    numeric = numerical_grad(f, inputs, eps)  # first: it checks the inputs
    for x in inputs:
        x.grad = None  # a grad left by another graph is not f's: inputs f ignores read 0
    out = _scalar(f(*inputs), "f")
    out.backward()
    analytic = [x.grad if x.grad is not None else 0.0 for x in inputs]
    rows, ok = [], True
    for i, (x, a, n) in enumerate(zip(inputs, analytic, numeric)):
        good = abs(a - n) <= atol + rtol * abs(n)
        ok &= good
        name = x.label or f"input {i}"
        rows.append(f"  {align(name, 12, right=True)}: backward {a:+.10g}  numeric {n:+.10g}  "
                    f"{'ok' if good else 'MISMATCH'}")
    if not ok:
        raise GradcheckError("gradients disagree with central differences:\n" + "\n".join(rows))
    return True
