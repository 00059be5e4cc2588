"""handgrad's engine: scalar reverse-mode autodiff you can follow by hand.

Where things are: the op table is `autograd/ops.py` (each primitive declared
once, and `FUNCTIONS`, the list the functions below are made from; what an
entry is, `primitive.py`; checked forwards, `forward.py`); the tracer and the
backward loop are `value.py`, the functions and methods made from the table
`functions.py`, gradients as values and higher derivatives (`grad`,
`hessian`) `derivatives.py`; its readers are `draw.py` (graphs, rendered by
`render.py`), `steps.py` (backward one edge at a time), `player.py` (those
steps replayed on the graph, as a web page), `explain.py` (one gradient
derived in full) and `check.py` (hand answers graded by the rule in
`rounding.py`), all writing nodes and numbers through `notation.py`.  The engine never imports `nn` or
the `handgrad` application.
"""

from . import functions
from .check import CheckReport, check, grade
from .derivatives import grad, hessian
from .draw import Drawing, GraphTooLargeError, draw
from .errors import NumericError, ZeroDivisionNumericError
from .explain import Explanation, explain
from .functions import *  # noqa: F401,F403 - exp, sum, dot, …: one per entry of ops.FUNCTIONS
from .gradcheck import GradcheckError, gradcheck, numerical_grad
from .labels import LabelError
from .ops import FUNCTIONS, OPS, Op
from .player import Player, player
from .render import RenderError
from .steps import backward_steps
from .value import Value, is_grad_enabled, no_grad

__all__ = [
    "Value", "Op", "OPS", "FUNCTIONS", "NumericError", "ZeroDivisionNumericError", "no_grad",
    "is_grad_enabled", "grad", "hessian", *functions.__all__,
    "numerical_grad", "gradcheck", "GradcheckError",
    "draw", "Drawing", "GraphTooLargeError", "RenderError", "player", "Player",
    "backward_steps", "explain", "Explanation", "LabelError", "check", "grade", "CheckReport",
]
