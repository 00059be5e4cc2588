"""handgrad's engine: scalar reverse-mode autodiff you can follow by hand.

Where things are: the op table is `autograd/ops.py` (each primitive declared
once); the tracer and the backward loop are `autograd/value.py`; its readers
are `draw.py` (graphs, rendered by `render.py`), `steps.py` (backward one edge
at a time), `explain.py` (one gradient derived in full) and `check.py` (hand
answers graded), all naming nodes through `naming.py`.
"""

from .check import CheckReport, check, grade
from .draw import Drawing, GraphTooLargeError, draw
from .explain import Explanation, LabelError, explain
from .gradcheck import GradcheckError, gradcheck, numerical_grad
from .ops import OPS, Op
from .render import RenderError
from .steps import backward_steps
from .value import (NumericError, Value, ZeroDivisionNumericError, dot, exp, is_grad_enabled,
                    leaky_relu, linear, log, log_softmax, logsumexp, mean, no_grad, relu, sigmoid,
                    softmax, softplus, sqrt, tanh, vsum)

sum = vsum  # noqa: A001 - `autograd.sum(xs)` reads like the notes' Σ

__all__ = [
    "Value", "Op", "OPS", "NumericError", "ZeroDivisionNumericError", "no_grad",
    "is_grad_enabled", "sum", "vsum", "mean", "dot", "linear", "softmax", "log_softmax",
    "logsumexp", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "leaky_relu", "softplus",
    "numerical_grad", "gradcheck", "GradcheckError",
    "draw", "Drawing", "GraphTooLargeError", "RenderError",
    "backward_steps", "explain", "Explanation", "LabelError", "check", "grade", "CheckReport",
]
