"""The functions a document applies, read from the op table: `\\tanh(z)`,
`\\sigma(z)`, `e^{x}`, `\\max(0, z)`, `\\text{ReLU}(z)`, `\\sin x`.

Every function of `autograd.ops.FUNCTIONS` that takes one number (exp, log,
sqrt, sin, tanh, sigmoid, relu, softplus, …) or a list of them (max, min,
mean, logsumexp) is known by its name, as a macro (`\\tanh`) or as a word
(`sigmoid(z)`, `\\operatorname{softplus}(z)`); `OTHER_NAMES` adds the names
documents write some of them under (`\\ln`, `\\sigma`, `\\arcsin`, ReLU).  So
an op added to the table is read and computed here with no change, and one
a document writes under another name is one line of `OTHER_NAMES`.  A
function with a parameter (leaky_relu's slope: a document's need not be the
table's default), bounds (clip) or several sequences (dot, linear) is not
read, nor softmax (a vector of outputs).

`value(name, *xs)` is the op's own forward on floats, so a function's domain
and its messages are the engine's ("log of a non-positive number"), except
that a value whose derivative alone is infinite (√0) is a value here.

Floats are enough for the rounding rule.  Every number reaches the rule as a
float (`check.grade` takes the exact value as one), which allows 2⁻⁴⁰ of
relative noise, and a function's float is within a few units of 2⁻⁵³ of its
true value (the forward is `math`'s; the argument, an exact rational, is
rounded to a float first).  Measured against the 40-digit `decimal`
functions this module replaced (exp, log, sqrt, σ, tanh): at most 8.6e-16
apart, and the same verdict and expected text for all 1,046 items of seeds
000 and 001, the test documents and the samples, and for 200,040 judgements
of random hand numbers (those five functions at arguments of 1–4 decimals,
the value written with 1 to 12 significant digits, exactly or one or two
units off).  The float is read back as the shortest decimal that is that
float, which keeps a value that is a short decimal exact (√0.0225 is 0.15).
"""

from __future__ import annotations

from autograd import ops
from autograd.primitive import Fault

OTHER_NAMES: dict[str, str] = {
    "ln": "log", "sigma": "sigmoid", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
    "ReLU": "relu", "Relu": "relu",
}
"""Names documents write a function under that are not its name in the table."""

FUNCTIONS: dict[str, ops.Function] = {
    f.name: f for f in ops.FUNCTIONS
    if f.param is None and f.form in (ops.ONE, ops.MANY, ops.VARIADIC)}
"""The op table's functions a document's computation may apply, by name."""

NAMES: dict[str, str] = {name: name for name in FUNCTIONS} | OTHER_NAMES
"""Every name a document writes a function under (a macro's or a word's)
→ the function's name in the table."""


class Undefined(ValueError):
    """A function outside its domain (the engine's reason), or not finite."""


def of_entries(name: str) -> bool:
    """Does the function take numbers (max(a, b), the entries of a vector)
    rather than apply to each entry of a vector?"""
    return FUNCTIONS[name].form is not ops.ONE


def value(name: str, *xs: float) -> float:
    """The function `name` (a key of `FUNCTIONS`) at `xs`, by its op's forward."""
    try:
        out = FUNCTIONS[name].op.forward(*xs)
    except Fault as fault:
        if fault.value is None:
            raise Undefined(fault.reason) from None
        out = fault.value
    if out - out:  # inf or nan
        raise Undefined(f"{name} is not finite here")
    return out
