"""Answer sheets: a homework problem and the hand answers to grade, as TOML.

A teaching assistant writes down what the homework states (an expression and
its inputs, or a network's weights, inputs, targets and loss) and what the
student wrote (values, gradients, updated parameters); `load(path).check()`
grades the answers with `autograd.check`.

A sheet is data, never code.  It is read with tomllib; every key is checked
against the format (an unknown key is an error, not ignored); expressions go
through `autograd.expr`'s whitelist; label patterns may use only their named
fields; loss and activation names are looked up in fixed tables.  Every
problem is a `SheetError` that names the key path (`problem.layers[2].weights`;
indices are 1-based, like layers) and says what was expected.

The format (see the bundled sheets in autograd/sheets/ for complete ones):

    title = "Seed 000, Q4"                 # optional: what the demo and check print
    [problem]                              # either an expression ...
    expression = "(s - 2)**2"              #   autograd.expr's language
    name = "L"                             #   the result's label (default f)
    lr = 0.1                               #   learning rate, for answers.updates
    [problem.at]                           #   a number for every input
    x1 = 1.7
    [problem.let]                          #   optional named nodes, in order; each may
    u = "w*x1"                             #   use inputs and the names defined above it
    s = "sigmoid(u)"
    # ... or a network:
    # [problem] inputs = [0.2, 0.5] (one sample) or [[-1.0], [0.0]] (several),
    #   targets (same shape, one number per output), loss = "half_sse" (sse, mse,
    #   mae, sae, binary_cross_entropy, bce_with_logits, cross_entropy,
    #   softmax_cross_entropy, hinge), combine = "mean" or "sum" (several samples),
    #   lr; [[problem.layers]] weights = W[out][in] as the homework writes it,
    #   biases (optional), activation; [problem.labels] weights, biases (patterns
    #   with {l} {j} {i}, 0-based {l0} {j0} {i0}, or nested lists), inputs, z, a,
    #   errors (ŷ − y) (patterns with {k}, the sample), loss (the root's label).
    [answers]
    tol = 1e-3                             # optional: replace the rounding rule
    [answers.values]                       # label = hand answer, as a string
    s = "0.8508"
    [answers.grads]                        # ∂root/∂label, or "dU/dV" between labels
    "dL/ds" = "-2.2984"
    [answers.updates]                      # label − lr·∂root/∂label
    [answers.factors]                      # how an answer was multiplied together
    "dL/du" = ["dL/ds", "ds/du"]

This module reads `nn` for networks, so `autograd/__init__.py` must not
import it (nn imports autograd); it is for the command line and notebooks.
"""

from __future__ import annotations

import json
import keyword
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Callable, Mapping, Union

import nn
from nn import losses as _losses

from . import ops
from .check import CheckReport, check, finite_number, parse_answer
from .expr import FUNCTIONS, Expr, ExprError, parse
from .value import NumericError, Value, forward_order, mean, vsum

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LOSSES: dict[str, Callable] = {
    "sse": _losses.sse, "mse": _losses.mse, "half_sse": _losses.half_sse,
    "mae": _losses.mae, "sae": _losses.sae,
    "binary_cross_entropy": _losses.binary_cross_entropy,
    "bce_with_logits": _losses.bce_with_logits,
    "cross_entropy": _losses.cross_entropy,
    "softmax_cross_entropy": _losses.softmax_cross_entropy,
    "hinge": _losses.hinge,
}
"""The losses a sheet can name: nn's losses of one sample's outputs and targets."""
RESIDUAL_LOSSES = ("sse", "mse", "half_sse", "mae", "sae")
"""Losses built on ŷ − y, whose residual nodes `labels.errors` can name."""
COMBINE = {"mean": mean, "sum": vsum}
"""How the per-sample losses of several samples make the loss."""

Number = Union[int, float]


class SheetError(ValueError):
    """A sheet that cannot be used: `key` is the key path of the offending
    part ("" for the file as a whole), `reason` what is wrong and expected."""

    def __init__(self, key: str, reason: str):
        self.key, self.reason = key, reason
        super().__init__(f"{key}: {reason}" if key else reason)


# -- reading TOML values, with key paths ------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # never printed: a sheet cannot drive the terminal
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _join(path: str, key: str) -> str:
    """`path.key`, quoting the key as TOML does when it is not a bare key."""
    part = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{part}" if path else part


def _kind(x) -> str:
    """What a TOML value is, for messages."""
    if isinstance(x, bool):
        return f"a boolean ({str(x).lower()})"
    if isinstance(x, int):
        return f"an integer ({x})"
    if isinstance(x, float):
        return f"a number ({x!r})"
    if isinstance(x, str):
        return f"a string ({json.dumps(x if len(x) <= 40 else x[:37] + '...', ensure_ascii=False)})"
    if isinstance(x, list):
        return f"an array of {len(x)}"
    if isinstance(x, dict):
        return "a table"
    return f"a date/time ({x})"


def _table(x, key: str, allowed: Mapping[str, str] | None = None,
           required: tuple[str, ...] = ()) -> dict:
    """A TOML table; with `allowed` ({key: what it is}) every key is checked."""
    if not isinstance(x, dict):
        raise SheetError(key, f"expected a table, got {_kind(x)}")
    if allowed is not None:
        for k in x:
            if k not in allowed:
                takes = "; ".join(f"{name} ({what})" for name, what in allowed.items())
                raise SheetError(_join(key, k), f"unknown key; {key or 'a sheet'} takes: {takes}")
        for k in required:
            if k not in x:
                raise SheetError(_join(key, k), f"missing: {allowed[k]}")
    return x


def _array(x, key: str, what: str) -> list:
    if not isinstance(x, list):
        raise SheetError(key, f"expected {what}, got {_kind(x)}")
    if not x:
        raise SheetError(key, f"expected {what}, got an empty array")
    return x


def _number(x, key: str) -> float:
    """A TOML number, validated as `check` validates numbers given as data."""
    try:
        return finite_number(x, key)
    except TypeError:
        hint = (": problem data are TOML numbers (0.5, not \"0.5\"); only hand answers are "
                "strings" if isinstance(x, str) else "")
        raise SheetError(key, f"expected a number, got {_kind(x)}{hint}") from None
    except ValueError:  # inf, nan, or an integer beyond the floats
        shown = x if isinstance(x, float) else math.inf if x > 0 else -math.inf
        raise SheetError(key, f"expected a finite number, got {shown}") from None


def _string(x, key: str, what: str = "a string") -> str:
    if not isinstance(x, str):
        raise SheetError(key, f"expected {what}, got {_kind(x)}")
    if _CONTROL.search(x):
        raise SheetError(key, f"control characters (tabs, newlines, escapes) are not allowed "
                              f"here, got {x!r}")
    return x


def _label(x, key: str) -> str:
    x = _string(x, key, "a label (a string)")
    if not x or x != x.strip():
        raise SheetError(key, f"a label must be non-empty with no spaces around it, got {x!r}")
    return x


def _pattern(x, key: str, fields: tuple[str, ...]) -> str:
    """A label pattern that may use only `fields` (plain {name}, nothing else:
    no attribute access, indexing, conversion or format spec)."""
    x = _string(x, key, "a label pattern (a string)")
    allowed = ", ".join("{" + f + "}" for f in fields)
    try:
        parts = list(Formatter().parse(x))
    except ValueError as e:
        raise SheetError(key, f"bad pattern {x!r} ({e}); write {{{{ and }}}} for literal "
                              f"braces") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in fields:
            raise SheetError(key, f"{{{field}}} in {x!r} is not a field here; the fields are "
                                  f"{allowed} (l, j, i, k are 1-based; l0, j0, i0, k0 0-based)")
        if spec or conversion:
            raise SheetError(key, f"write fields plainly, like {{{field}}}, in {x!r}")
    if x != x.strip():
        raise SheetError(key, f"a label must have no spaces around it, got {x!r}")
    return x


def _lr(t: dict) -> float | None:
    if "lr" not in t:
        return None
    lr = _number(t["lr"], "problem.lr")
    if lr <= 0:
        raise SheetError("problem.lr", f"the learning rate must be positive, got {lr:g}")
    return lr


# -- expression problems -------------------------------------------------------------

@dataclass(frozen=True)
class ExpressionProblem:
    """`expression` at `at`, with the named intermediate nodes of `let`."""

    expression: Expr
    at: dict[str, float]
    let: dict[str, Expr]
    name: str
    lr: float | None


_EXPRESSION_KEYS = {
    "expression": 'the expression, e.g. "(sigmoid(w1*x1 + w2*x2) - 2)**2"',
    "name": "the result's label (default f)",
    "at": "a table: a number for every input",
    "let": "a table of named nodes, name = expression, in order",
    "lr": "the learning rate, for answers.updates",
}


def _expr(x, key: str) -> Expr:
    if not isinstance(x, str):  # may span lines: autograd.expr checks its characters
        raise SheetError(key, f'expected an expression (a string, e.g. "w*x + b"), got {_kind(x)}')
    try:
        return parse(x)
    except ExprError as e:
        raise SheetError(key, str(e)) from None


def _input_name(name: str, key: str) -> None:
    if not _NAME.fullmatch(name) or name.startswith("__") or keyword.iskeyword(name):
        raise SheetError(key, f"{name!r} is not a name an expression can use (letters, digits "
                              f"and _, not starting with a digit or __, not a Python keyword)")
    if name in FUNCTIONS:
        raise SheetError(key, f"{name!r} is a function of the expression language; choose "
                              f"another name")


def _expression_problem(t: dict) -> ExpressionProblem:
    _table(t, "problem", _EXPRESSION_KEYS, required=("expression",))
    expression = _expr(t["expression"], "problem.expression")
    at: dict[str, float] = {}
    for name, x in _table(t.get("at", {}), "problem.at").items():
        key = _join("problem.at", name)
        _input_name(name, key)
        at[name] = _number(x, key)
    let_table = _table(t.get("let", {}), "problem.let")
    let: dict[str, Expr] = {}
    for name, text in let_table.items():
        key = _join("problem.let", name)
        _input_name(name, key)
        if name in at:
            raise SheetError(key, f"{name} is also an input in problem.at; give it one meaning")
        e = _expr(text, key)
        for n in e.names:
            if n in at or n in let:
                continue
            if n == name:
                raise SheetError(key, f"{name} is defined in terms of itself")
            if n in let_table:
                raise SheetError(key, f"uses {n} before its definition; definitions are read in "
                                      f"order, so define {n} above {name}")
            raise SheetError(key, f"uses {n}, which is neither in problem.at nor defined above "
                                  f"in problem.let")
        let[name] = e
    name = _label(t.get("name", "f"), "problem.name")
    if name in at or name in let:
        raise SheetError("problem.name", f"{name} is already an input or a definition; name the "
                                         f"result differently")
    unknown = [n for n in expression.names if n not in at and n not in let]
    if unknown:
        raise SheetError("problem.expression", f"uses {', '.join(unknown)}, which "
                                               f"{'is' if len(unknown) == 1 else 'are'} neither "
                                               f"in problem.at nor in problem.let")
    needed = set(expression.names)
    for n in reversed(let):
        if n in needed:
            needed.update(let[n].names)
    for table, names in (("problem.at", at), ("problem.let", let)):
        for n in names:
            if n not in needed:
                raise SheetError(_join(table, n), "not used by the expression (nor by a "
                                                  "definition it uses); remove it")
    return ExpressionProblem(expression, at, let, name, _lr(t))


def _evaluate(expr: Expr, nodes: Mapping[str, Value], key: str) -> Value:
    """`expr` computed on existing nodes: each name is the node of that name,
    so an input or a definition used in several places is one node."""
    try:
        out, _ = expr.evaluate({}, {name: nodes[name] for name in expr.names})
    except (NumericError, ExprError) as e:
        raise SheetError(key, str(e)) from None
    if out.label is not None:
        raise SheetError(key, f"is just {out.label}; write the computation itself")
    if out.is_leaf:
        raise SheetError(key, "uses no input: a constant is not a node to grade (numbers "
                              "go in problem.at)")
    return out


def _build_expression(p: ExpressionProblem) -> Value:
    nodes = {name: Value(x, name) for name, x in p.at.items()}
    for name, e in p.let.items():
        nodes[name] = _evaluate(e, nodes, _join("problem.let", name)).named(name)
    return _evaluate(p.expression, nodes, "problem.expression").named(p.name)


# -- network problems ------------------------------------------------------------------

@dataclass(frozen=True)
class LayerSpec:
    weights: list[list[float]]   # W[out][in]
    biases: list[float] | None
    activation: str


@dataclass(frozen=True)
class NetworkLabels:
    """Every label, already formatted: parameters per layer, nodes per sample."""

    weights: list[list[list[str | None]]]      # [layer][out][in]
    biases: list[list[str | None] | None]      # [layer][out], None: no biases
    inputs: list[list[str] | None]             # [sample][in]
    z: list[list[list[str] | None]]            # [sample][layer][out]
    a: list[list[list[str] | None]]
    errors: list[list[str] | None]             # [sample][out]
    loss: str


@dataclass(frozen=True)
class NetworkProblem:
    layers: list[LayerSpec]
    inputs: list[list[float]]    # [sample][in]
    targets: list[list[float]]   # [sample][out]
    loss: str
    combine: str | None
    labels: NetworkLabels
    lr: float | None


_NETWORK_KEYS = {
    "layers": "[[problem.layers]], one per layer: weights, biases, activation",
    "inputs": "the inputs: [x1, x2] for one sample, [[x1, x2], ...] for several",
    "targets": "the targets, one number per output (per sample)",
    "loss": f"the loss of one sample: {', '.join(LOSSES)}",
    "combine": "with several samples, how their losses combine: mean or sum",
    "labels": "a table of labels: weights, biases, inputs, z, a, errors, loss",
    "lr": "the learning rate, for answers.updates",
}
_LAYER_KEYS = {
    "weights": "W[out][in] as the homework writes it: one row per neuron, one number per input",
    "biases": "one number per neuron (optional: no biases)",
    "activation": f"one of {', '.join(nn.ACTIVATIONS)} (or linear/none)",
}
_LABEL_KEYS = {
    "weights": "a pattern with {l} {j} {i} (0-based {l0} {j0} {i0}), or [layer][out][in] labels",
    "biases": "a pattern with {l} {j} (0-based {l0} {j0}), or [layer][out] labels",
    "inputs": "a pattern with {i} {k} (0-based {i0} {k0}), or one per input",
    "z": "a pattern with {l} {j} {k} (0-based {l0} {j0} {k0}), or one entry per layer",
    "a": "like z, for the activations",
    "errors": "a pattern with {j} {k} (0-based {j0} {k0}) for ŷ − y, or one per output",
    "loss": "the loss's label (default L)",
}
_PARAM_FIELDS = ("l", "l0", "j", "j0", "i", "i0")
_BIAS_FIELDS = ("l", "l0", "j", "j0")
_INPUT_FIELDS = ("i", "i0", "k", "k0")
_NODE_FIELDS = ("l", "l0", "j", "j0", "k", "k0")
_ERROR_FIELDS = ("j", "j0", "k", "k0")


def _samples(x, key: str, what: str) -> list[list[float]]:
    """One sample ([x1, x2] or a lone number) or several ([[x1, x2], ...])."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return [[_number(x, key)]]
    rows = _array(x, key, f"a list of {what}s (one sample) or a list of such lists "
                          f"(several samples)")
    if all(isinstance(r, list) for r in rows):
        out = [[_number(v, f"{key}[{s}][{c}]") for c, v in
                enumerate(_array(r, f"{key}[{s}]", f"a list of {what}s"), 1)]
               for s, r in enumerate(rows, 1)]
        widths = {len(r) for r in out}
        if len(widths) > 1:
            raise SheetError(key, f"every sample needs the same number of {what}s, got "
                                  f"{', '.join(str(len(r)) for r in out)}")
        return out
    if any(isinstance(r, list) for r in rows):
        raise SheetError(key, f"mixes numbers and lists: write one sample as [{what}s] and "
                              f"several as [[{what}s], [{what}s], ...]")
    return [[_number(v, f"{key}[{c}]") for c, v in enumerate(rows, 1)]]


def _matrix(x, key: str, nin: int, why: str, hint: str = "") -> list[list[float]]:
    expected = (f"expected rows of {nin} number{'s' * (nin != 1)} (W[out][in]: one row per "
                f"neuron, one number per input; {why})")
    rows = _array(x, key, f"a matrix W[out][in] (a list of rows); {expected}")
    if not all(isinstance(r, list) for r in rows):
        raise SheetError(key, f"{expected}, got a flat list {rows!r}: write one neuron's weights "
                              f"as [[...]]")
    widths = [len(r) for r in rows]
    if any(w != nin for w in widths):
        got = (f"a {len(rows)} × {widths[0]} matrix" if len(set(widths)) == 1
               else f"{len(rows)} rows of {', '.join(map(str, widths))} numbers")
        raise SheetError(key, f"{expected}, got {got}{hint}")
    return [[_number(v, f"{key}[{r}][{c}]") for c, v in enumerate(row, 1)]
            for r, row in enumerate(rows, 1)]


def _activation(x, key: str) -> str:
    x = _string(x, key, f"an activation name ({', '.join(nn.ACTIVATIONS)})")
    try:
        nn.get_activation(x)
    except ValueError:
        raise SheetError(key, f"unknown activation {x!r}; the activations are "
                              f"{', '.join(nn.ACTIVATIONS)} (or linear/none)") from None
    return x


def _network_problem(t: dict) -> NetworkProblem:
    _table(t, "problem", _NETWORK_KEYS, required=("layers", "inputs", "targets", "loss"))
    inputs = _samples(t["inputs"], "problem.inputs", "input")
    n_samples, nin = len(inputs), len(inputs[0])
    layers: list[LayerSpec] = []
    why = f"each sample in problem.inputs has {nin}"
    for l, lt in enumerate(_array(t["layers"], "problem.layers", "[[problem.layers]] tables"), 1):
        key = f"problem.layers[{l}]"
        _table(lt, key, _LAYER_KEYS, required=("weights", "activation"))
        hint = ""
        if l == 1 and n_samples == 1 and nin > 1 and isinstance(lt["weights"], list) and all(
                isinstance(r, list) and len(r) == 1 for r in lt["weights"]):
            hint = (f" (for {nin} samples of one input write inputs as "
                    f"[[x], [x], ...], one list per sample)")
        W = _matrix(lt["weights"], f"{key}.weights", nin, why, hint)
        b = None
        if "biases" in lt:
            b = [_number(v, f"{key}.biases[{j}]") for j, v in
                 enumerate(_array(lt["biases"], f"{key}.biases", "one number per neuron"), 1)]
            if len(b) != len(W):
                raise SheetError(f"{key}.biases", f"expected {len(W)} numbers (one per neuron: "
                                                  f"weights has {len(W)} rows), got {len(b)}")
        layers.append(LayerSpec(W, b, _activation(lt["activation"], f"{key}.activation")))
        nin, why = len(W), f"layer {l} has {len(W)} outputs"
    nout = nin
    targets = _samples(t["targets"], "problem.targets", "target")
    if len(targets) != n_samples or len(targets[0]) != nout:
        def shape(n, w):
            return f"{n} sample{'s' * (n != 1)} of {w} number{'s' * (w != 1)}"
        hint = (" (write several samples as [[y], [y], ...], one list per sample)"
                if n_samples > 1 and len(targets) == 1 else "")
        raise SheetError("problem.targets", f"expected {shape(n_samples, nout)} (one per output "
                                            f"of the last layer, for each sample in "
                                            f"problem.inputs), got "
                                            f"{shape(len(targets), len(targets[0]))}{hint}")
    loss = _string(t["loss"], "problem.loss", "a loss name")
    if loss not in LOSSES:
        raise SheetError("problem.loss", f"unknown loss {loss!r}; the losses are "
                                         f"{', '.join(LOSSES)}")
    combine = None
    if "combine" in t:
        combine = _string(t["combine"], "problem.combine", "mean or sum")
        if combine not in COMBINE:
            raise SheetError("problem.combine", f"expected mean or sum, got {combine!r}")
        if n_samples == 1:
            raise SheetError("problem.combine", "there is one sample: nothing to combine")
    elif n_samples > 1:
        raise SheetError("problem.combine", f"missing: with {n_samples} samples, say how their "
                                            f"losses combine (mean or sum)")
    labels = _labels(_table(t.get("labels", {}), "problem.labels", _LABEL_KEYS), layers,
                     n_samples, loss)
    return NetworkProblem(layers, inputs, targets, loss, combine, labels, _lr(t))


def _fmt(pattern: str, **fields: int) -> str | None:
    """A validated pattern filled in; "" means no label."""
    return pattern.format(**fields) or None


def _grid(spec, key: str, shape: list, fields: tuple[str, ...], fill) -> list:
    """Nested lists of labels mirroring `shape` (nested lists of sizes, None
    where nothing can be labelled); "" is no label.  A pattern fills all."""
    if isinstance(spec, str):
        _pattern(spec, key, fields)
        return fill(spec)

    def walk(node, size, where):
        if size is None:
            if node != "":
                raise SheetError(where, "nothing to label here (a layer without biases): "
                                        'write ""')
            return None
        if isinstance(size, int):  # a list of labels
            if node == "":
                return [None] * size
            items = _array(node, where, f"{size} labels")
            if len(items) != size:
                raise SheetError(where, f"expected {size} labels, got {len(items)}")
            return [_label(s, f"{where}[{c}]") if s != "" else None
                    for c, s in enumerate(items, 1)]
        items = _array(node, where, f"a list of {len(size)} entries (labels mirror the weights)")
        if len(items) != len(size):
            raise SheetError(where, f"expected {len(size)} entries, got {len(items)}")
        return [walk(n, s, f"{where}[{c}]") for c, (n, s) in enumerate(zip(items, size), 1)]

    return walk(spec, shape, key)


def _per_layer(spec, key: str, layers: list[LayerSpec], k: int, what: str) -> list:
    """z or a labels of sample k: per layer a list of names or None."""
    out = []
    entries = spec if isinstance(spec, list) else [spec] * len(layers)
    for l, (entry, layer) in enumerate(zip(entries, layers), 1):
        where = f"{key}[{l}]" if isinstance(spec, list) else key
        nout = len(layer.weights)
        identity = nn.get_activation(layer.activation).is_identity
        if entry is None or entry == "":
            out.append(None)
            continue
        if what == "a" and identity:
            if isinstance(spec, list):
                raise SheetError(where, f'layer {l} has no activation: its output is its z, so '
                                        f'name it in z (write "" here)')
            out.append(None)
            continue
        if isinstance(entry, str):
            names = [_fmt(entry, l=l, l0=l - 1, j=j, j0=j - 1, k=k, k0=k - 1)
                     for j in range(1, nout + 1)]
        else:
            names = [_fmt(s, l=l, l0=l - 1, j=j, j0=j - 1, k=k, k0=k - 1)
                     for j, s in enumerate(entry, 1)]
        if all(n is None for n in names):
            names = None
        elif None in names:
            raise SheetError(where, "label every neuron of a layer, or none")
        out.append(names)
    return out


def _check_per_layer(spec, key: str, layers: list[LayerSpec]) -> None:
    if isinstance(spec, str):
        _pattern(spec, key, _NODE_FIELDS)
        return
    entries = _array(spec, key, f"a pattern or a list with one entry per layer ({len(layers)})")
    if len(entries) != len(layers):
        raise SheetError(key, f"expected one entry per layer ({len(layers)}), got {len(entries)}")
    for l, (entry, layer) in enumerate(zip(entries, layers), 1):
        where = f"{key}[{l}]"
        if isinstance(entry, str):
            _pattern(entry, where, _NODE_FIELDS)
            continue
        items = _array(entry, where, f'a pattern, "" or {len(layer.weights)} labels')
        if len(items) != len(layer.weights):
            raise SheetError(where, f"expected {len(layer.weights)} labels (one per neuron), "
                                    f"got {len(items)}")
        for j, s in enumerate(items, 1):
            _pattern(s, f"{where}[{j}]", _NODE_FIELDS)


def _vector_labels(spec, key: str, n: int, fields: tuple[str, ...], what: str) -> list[str]:
    """inputs or errors: a pattern, or one pattern per entry."""
    if isinstance(spec, str):
        return [_pattern(spec, key, fields)] * n
    items = _array(spec, key, f"a pattern or {n} labels (one per {what})")
    if len(items) != n:
        raise SheetError(key, f"expected {n} labels (one per {what}), got {len(items)}")
    return [_pattern(s, f"{key}[{c}]", fields) for c, s in enumerate(items, 1)]


def _labels(t: dict, layers: list[LayerSpec], n_samples: int, loss: str) -> NetworkLabels:
    key = "problem.labels"
    nin = len(layers[0].weights[0])
    nout = len(layers[-1].weights)
    wshape = [[len(row) for row in layer.weights] for layer in layers]
    bshape = [len(layer.weights) if layer.biases is not None else None for layer in layers]
    weights = _grid(t.get("weights", ""), f"{key}.weights", wshape, _PARAM_FIELDS, lambda p: [
        [[_fmt(p, l=l, l0=l - 1, j=j, j0=j - 1, i=i, i0=i - 1) for i in range(1, len(row) + 1)]
         for j, row in enumerate(layer.weights, 1)] for l, layer in enumerate(layers, 1)])
    biases = _grid(t.get("biases", ""), f"{key}.biases", bshape, _BIAS_FIELDS, lambda p: [
        None if layer.biases is None else
        [_fmt(p, l=l, l0=l - 1, j=j, j0=j - 1) for j in range(1, len(layer.weights) + 1)]
        for l, layer in enumerate(layers, 1)])
    xs = _vector_labels(t["inputs"], f"{key}.inputs", nin, _INPUT_FIELDS, "input") \
        if "inputs" in t else None
    for what in ("z", "a"):
        if what in t:
            _check_per_layer(t[what], f"{key}.{what}", layers)
    errors = None
    if "errors" in t:
        if loss not in RESIDUAL_LOSSES:
            raise SheetError(f"{key}.errors", f"the loss {loss} is not built on ŷ − y; errors "
                                              f"can be labelled for {', '.join(RESIDUAL_LOSSES)}")
        errors = _vector_labels(t["errors"], f"{key}.errors", nout, _ERROR_FIELDS, "output")
    root = _label(t.get("loss", "L"), f"{key}.loss")

    inputs, zs, as_, errs = [], [], [], []
    for k in range(1, n_samples + 1):
        inputs.append(None if xs is None else
                      [_fmt(p, i=i, i0=i - 1, k=k, k0=k - 1) for i, p in enumerate(xs, 1)])
        if inputs[-1] is not None and None in inputs[-1]:
            raise SheetError(f"{key}.inputs", "label every input, or none")
        zs.append(_per_layer(t.get("z"), f"{key}.z", layers, k, "z"))
        as_.append(_per_layer(t.get("a"), f"{key}.a", layers, k, "a"))
        errs.append(None if errors is None else
                    [_fmt(p, j=j, j0=j - 1, k=k, k0=k - 1) for j, p in enumerate(errors, 1)])
        if errs[-1] is not None and None in errs[-1]:
            raise SheetError(f"{key}.errors", "label every output's error, or none")
    labels = NetworkLabels(weights, biases, inputs, zs, as_, errs, root)
    _unique(labels, layers, n_samples)
    return labels


def _unique(labels: NetworkLabels, layers: list[LayerSpec], n_samples: int) -> None:
    """Every label names one node, so an answer means one number."""
    owners: dict[str, tuple[str, str]] = {}

    def own(label, owner: str, field: str) -> None:
        if label is None:
            return
        if label in owners:
            first, first_field = owners[label]
            hint = (" (with several samples, put {k} in the node patterns)"
                    if n_samples > 1 and "sample" in owner else "")
            raise SheetError(f"problem.labels.{field}",
                             f"{label!r} would label both {first} and {owner}; each label must "
                             f"name one node{hint}")
        owners[label] = (owner, field)

    for l, layer in enumerate(layers, 1):
        for j in range(1, len(layer.weights) + 1):
            for i in range(1, len(layer.weights[j - 1]) + 1):
                own(labels.weights[l - 1][j - 1][i - 1] or f"L{l}.n{j}.w{i}",
                    f"the weight L{l}.n{j}.w{i}", "weights")
            if labels.biases[l - 1] is not None:
                own(labels.biases[l - 1][j - 1] or f"L{l}.n{j}.b", f"the bias L{l}.n{j}.b",
                    "biases")
    for k in range(n_samples):
        sample = f" (sample {k + 1})" if n_samples > 1 else ""
        for i, s in enumerate(labels.inputs[k] or (), 1):
            own(s, f"input {i}{sample}", "inputs")
        for what, per_layer in (("z", labels.z[k]), ("a", labels.a[k])):
            for l, names in enumerate(per_layer, 1):
                for j, s in enumerate(names or (), 1):
                    own(s, f"{what} of layer {l} neuron {j}{sample}", what)
        for j, s in enumerate(labels.errors[k] or (), 1):
            own(s, f"the error of output {j}{sample}", "errors")
    own(labels.loss, "the loss", "loss")


def _residual(loss: Value, prediction: Value, target: float) -> Value:
    """The node ŷ − y of one output inside a residual loss: the subtraction
    whose arguments are exactly this prediction and this target."""
    found = [v for v in forward_order(loss) if v.op is not None and v.op.base is ops.SUB
             and len(v.args) == 2 and v.args[0] is prediction and v.args[1] == target]
    if len(found) != 1:  # nn's residual losses compute each ŷ − y once
        raise SheetError("problem.labels.errors", f"cannot find ŷ − y in the loss "
                                                  f"({len(found)} candidates)")
    return found[0]


def _build_network(p: NetworkProblem) -> tuple[Value, "nn.MLP"]:
    biases = [layer.biases for layer in p.layers]
    model = nn.MLP.from_weights([layer.weights for layer in p.layers],
                                None if all(b is None for b in biases) else biases,
                                activations=[layer.activation for layer in p.layers])
    labels = p.labels
    model.relabel(weights=labels.weights, biases=labels.biases)
    loss_fn = LOSSES[p.loss]
    per_sample = []
    for k, (x, y) in enumerate(zip(p.inputs, p.targets)):
        model.label_nodes(x=labels.inputs[k], z=labels.z[k], a=labels.a[k])
        out = model(x)
        outs = out if isinstance(out, list) else [out]
        try:
            sample_loss = loss_fn(outs, y)
        except ValueError as e:
            raise SheetError("problem.loss", str(e)) from None
        for j, label in enumerate(labels.errors[k] or ()):
            _residual(sample_loss, outs[j], y[j]).named(label)
        per_sample.append(sample_loss)
    model.label_nodes()
    root = per_sample[0] if len(per_sample) == 1 else COMBINE[p.combine](per_sample)
    return root.named(labels.loss), model


# -- answers -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Answers:
    """The hand answers as written (strings keep their digits) and options."""

    values: dict[str, str | Number]
    grads: dict[str, str | Number]
    updates: dict[str, str | Number]
    factors: dict[str, list]
    tol: float | None
    rtol: float | None
    slack: int | None


_ANSWER_KEYS = {
    "values": "label = hand answer: forward values",
    "grads": 'label = hand answer: ∂root/∂label, or "dU/dV" = hand answer between labels',
    "updates": "label = hand answer: the parameter after one step, label − lr·∂root/∂label",
    "factors": 'answer = ["factor", ...] or [["factor", ...], ...]: how it was multiplied',
    "tol": "absolute tolerance, replaces the rounding rule",
    "rtol": "relative tolerance, replaces the rounding rule",
    "slack": "how many units the last digit may be off and still be close (default 1)",
}
_HAND = ('a hand answer: a number written as a string, like "0.5225", "-1.3e-2" or "2/3" '
         '(strings keep trailing zeros; a TOML number such as 0.50 loses them)')


def _hand(x, key: str) -> str | Number:
    if isinstance(x, bool) or not isinstance(x, (str, int, float)):
        raise SheetError(key, f"expected {_HAND}, got {_kind(x)}")
    try:
        parse_answer(x, key)
    except (ValueError, TypeError):
        raise SheetError(key, f"expected {_HAND}, got {_kind(x)}") from None
    return x


def _factor_list(x, key: str) -> list:
    items = _array(x, key, 'a product ["a", "b"] or a sum of products [["a", "b"], ["c"]]')
    nested = [isinstance(t, list) for t in items]
    if any(nested) and not all(nested):
        raise SheetError(key, 'mixes factors and lists: write a product as ["a", "b"] and a sum '
                              'of products as [["a", "b"], ["c", "d"]]')
    terms = items if all(nested) else [items]
    for t, term in enumerate(terms, 1):
        where = f"{key}[{t}]" if all(nested) else key
        _array(term, where, "a non-empty product")
        for f, factor in enumerate(term, 1):
            if isinstance(factor, bool) or not isinstance(factor, (str, int, float)):
                raise SheetError(f"{where}[{f}]", f"expected a factor (an answer key or a number "
                                                  f"as a string), got {_kind(factor)}")
    return items


def _answers(t, lr: float | None) -> Answers:
    _table(t, "answers", _ANSWER_KEYS)
    tables = {}
    for kind in ("values", "grads", "updates"):
        tables[kind] = {k: _hand(x, _join(f"answers.{kind}", k))
                        for k, x in _table(t.get(kind, {}), f"answers.{kind}").items()}
    if not any(tables.values()):
        raise SheetError("answers", "no hand answers: give [answers.values], [answers.grads] or "
                                    "[answers.updates]")
    if tables["updates"] and lr is None:
        raise SheetError("answers.updates", "updates need the learning rate: set lr in "
                                            "[problem]")
    factors = {k: _factor_list(x, _join("answers.factors", k))
               for k, x in _table(t.get("factors", {}), "answers.factors").items()}
    options = {}
    for name in ("tol", "rtol"):
        if name in t:
            options[name] = _number(t[name], f"answers.{name}")
            if options[name] < 0:
                raise SheetError(f"answers.{name}", f"must be ≥ 0, got {options[name]:g}")
    slack = t.get("slack")
    if slack is not None and (isinstance(slack, bool) or not isinstance(slack, int) or slack < 0):
        raise SheetError("answers.slack", f"expected a non-negative integer, got {_kind(slack)}")
    return Answers(tables["values"], tables["grads"], tables["updates"], factors,
                   options.get("tol"), options.get("rtol"), slack)


# -- the sheet -------------------------------------------------------------------------

@dataclass(frozen=True)
class Built:
    """A sheet's graph: the root (the loss or the expression's result) and,
    for a network, the `nn.MLP` (so drawings can group nodes by neuron)."""

    root: Value
    model: "nn.MLP | None" = None


_SHEET_KEYS = {
    "title": "a short title (optional)",
    "problem": "[problem]: an expression or a network",
    "answers": "[answers]: the hand answers to grade",
}


@dataclass(frozen=True)
class Sheet:
    """A parsed, validated answer sheet.  `build()` makes the graph (a new
    one each call); `check()` grades the hand answers against it."""

    name: str
    title: str
    problem: ExpressionProblem | NetworkProblem
    answers: Answers

    def build(self) -> Built:
        try:
            if isinstance(self.problem, ExpressionProblem):
                return Built(_build_expression(self.problem))
            root, model = _build_network(self.problem)
        except NumericError as e:
            raise SheetError("problem", str(e)) from None
        return Built(root, model)

    def check(self, built: Built | None = None) -> CheckReport:
        """The check report (see autograd.check); unknown labels and other
        answers the graph cannot grade are SheetErrors under `answers`, a
        gradient that overflows (the problem's numbers cannot be graded) one
        under `problem`."""
        built = self.build() if built is None else built
        a = self.answers
        options = {} if a.slack is None else {"slack": a.slack}
        try:
            return check(built.root, a.values or None, a.grads or None, updates=a.updates or None,
                         lr=self.problem.lr, factors=a.factors or None, tol=a.tol, rtol=a.rtol,
                         **options)
        except (ValueError, TypeError) as e:  # LabelError is a ValueError
            raise self._answer_error(str(e)) from None
        except NumericError as e:
            raise self._answer_error(f"{e}; these numbers cannot be graded", "problem") from None

    def _answer_error(self, message: str, otherwise: str = "answers") -> SheetError:
        """check's message names the answer as kind['key']: give its key path
        (else the error is about `otherwise`)."""
        a = self.answers
        for kind, keys in (("values", a.values), ("grads", a.grads), ("updates", a.updates),
                           ("factors", a.factors)):
            for key in keys:
                prefix = f"{kind}[{key!r}]"
                if message.startswith(prefix):
                    rest = message[len(prefix):]
                    return SheetError(_join(f"answers.{kind}", key),
                                      rest[2:] if rest.startswith(": ") else rest.strip())
        return SheetError(otherwise, message)


def parse_sheet(data: Mapping, name: str = "sheet") -> Sheet:
    """A `Sheet` from parsed TOML (a dict), validated."""
    _table(data, "", _SHEET_KEYS, required=("problem", "answers"))
    title = _string(data["title"], "title") if "title" in data else name
    t = _table(data["problem"], "problem")
    if "expression" in t and "layers" in t:
        raise SheetError("problem", "has both expression and layers: a problem is either an "
                                    "expression or a network")
    if "expression" in t:
        problem: ExpressionProblem | NetworkProblem = _expression_problem(t)
    elif "layers" in t:
        problem = _network_problem(t)
    else:
        raise SheetError("problem", 'expected an expression (expression = "..." with '
                                    '[problem.at]) or a network ([[problem.layers]] with '
                                    'inputs, targets and loss)')
    return Sheet(name, title, problem, _answers(data["answers"], problem.lr))


def loads(text: str, name: str = "sheet") -> Sheet:
    """A `Sheet` from TOML text; `name` is what messages call it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SheetError("", f"not valid TOML: {e}") from None
    return parse_sheet(data, name)


def load(path) -> Sheet:
    """A `Sheet` from a .toml file (a path, or a Traversable from
    importlib.resources).  OSError if it cannot be read."""
    source = path if hasattr(path, "read_bytes") else Path(path)
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise SheetError("", f"not UTF-8 text (byte {e.start})") from None
    return loads(text, Path(source.name).stem)


def bundled() -> list[Path]:
    """The example sheets shipped with handgrad (the seed homeworks), sorted."""
    return sorted(Path(__file__).with_name("sheets").glob("*.toml"))
