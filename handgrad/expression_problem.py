"""A problem given as an expression: its inputs, its named nodes, its graph.

    [problem]
    expression = "(s - 2)**2"
    name = "L"
    [problem.at]
    w1 = 0.1 ...
    [problem.let]
    s = "sigmoid(w1*x1 + w2*x2)"

Expressions go through `autograd.expr`'s whitelist, never Python; every
input and every definition must be used, and a definition may only use the
inputs and the definitions above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from autograd import NumericError, Value
from autograd.expr import FUNCTIONS, Expr, ExprError, as_name, parse

from .sheet_format import EXPRESSION
from .toml_data import SheetError, key_path, kind_of, read_label, read_lr, read_number, read_table

@dataclass(frozen=True)
class ExpressionProblem:
    """`expression` at `at`, with the named intermediate nodes of `let`."""

    expression: Expr
    at: dict[str, float]
    let: dict[str, Expr]
    name: str
    lr: float | None


def _expr(x, key: str) -> Expr:
    if not isinstance(x, str):  # may span lines: autograd.expr checks its characters
        raise SheetError(key, f'expected an expression (a string, e.g. "w*x + b"), '
                              f'got {kind_of(x)}')
    try:
        return parse(x)
    except ExprError as e:
        raise SheetError(key, str(e)) from None


def _input_name(name: str, key: str) -> str:
    """An input's or a definition's name as the expression language reads it
    (the parser decides, so the two never drift apart)."""
    if name in FUNCTIONS:
        raise SheetError(key, f"{name!r} is a function of the expression language; choose "
                              f"another name")
    normal = as_name(name)
    if normal is None:
        raise SheetError(key, f"{name!r} is not a name an expression can use (letters of "
                              f"any script, digits and _, not starting with a digit or __, not "
                              f"a Python keyword)")
    return normal


def _named(t: dict, table: str) -> dict[str, tuple]:
    """problem.at or problem.let by name as the expressions read it: name →
    (entry, key path); two keys that are one name (x and ｘ) are an error."""
    found: dict[str, tuple] = {}
    for name, x in read_table(t.get(table, {}), f"problem.{table}").items():
        key = key_path(f"problem.{table}", name)
        normal = _input_name(name, key)
        if normal in found:
            raise SheetError(key, f"is the name {found[normal][1]} already has (Python reads "
                                  f"them as one name, {normal})")
        found[normal] = (x, key)
    return found


def read_expression_problem(t: dict) -> ExpressionProblem:
    read_table(t, "problem", EXPRESSION)
    expression = _expr(t["expression"], "problem.expression")
    at = {name: read_number(x, key) for name, (x, key) in _named(t, "at").items()}
    let_table = _named(t, "let")
    let: dict[str, Expr] = {}
    for name, (text, key) in let_table.items():
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
    name = read_label(t.get("name", "f"), "problem.name")
    if name in at or name in let:
        raise SheetError("problem.name", f"{name} is already an input or a definition; name the "
                                         f"result differently")
    unknown = [n for n in expression.names if n not in at and n not in let]
    if unknown and "at" not in t and "let" not in t:
        raise SheetError("problem.at", f"missing: a number for every input of the expression "
                                       f"({', '.join(unknown)})")
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
                raise SheetError(key_path(table, n), "not used by the expression (nor by a "
                                                     "definition it uses); remove it")
    return ExpressionProblem(expression, at, let, name, read_lr(t))


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


def build_expression(p: ExpressionProblem) -> Value:
    nodes = {name: Value(x, name) for name, x in p.at.items()}
    for name, e in p.let.items():
        nodes[name] = _evaluate(e, nodes, key_path("problem.let", name)).named(name)
    return _evaluate(p.expression, nodes, "problem.expression").named(p.name)
