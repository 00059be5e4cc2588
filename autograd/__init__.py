"""handgrad's engine: scalar reverse-mode autodiff you can follow by hand.

The op table is `autograd.ops` (each primitive declared once), the tracer and
the backward loop are `autograd.value`.
"""

from .gradcheck import GradcheckError, gradcheck, numerical_grad
from .ops import OPS, Op
from .value import (NumericError, Value, ZeroDivisionNumericError, dot, exp, is_grad_enabled,
                    leaky_relu, linear, log, log_softmax, logsumexp, mean, no_grad, relu, sigmoid,
                    softmax, softplus, sqrt, tanh, vsum)

sum = vsum  # noqa: A001 - `autograd.sum(xs)` reads like the notes' Σ

__all__ = [
    "Value", "Op", "OPS", "NumericError", "ZeroDivisionNumericError", "no_grad",
    "is_grad_enabled", "sum", "vsum", "mean", "dot", "linear", "softmax", "log_softmax",
    "logsumexp", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "softplus",
    "numerical_grad", "gradcheck", "GradcheckError",
]
