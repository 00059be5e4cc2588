"""Answer sheets: a homework problem and the hand answers to grade, as TOML.

A teaching assistant writes down what the homework states (an expression and
its inputs, or a network's weights, inputs, targets and loss) and what the
student wrote (values, gradients, updated parameters); `load(path).check()`
grades the answers with `autograd.check`.

A sheet is data, never code.  It is read with tomllib; every key is checked
against the format, which `sheet_format` specifies (an unknown key is an
error, not ignored); expressions go through `autograd.expr`'s whitelist;
label patterns may use only their named fields; loss and activation names
are looked up in nn's tables.  Every problem is a `SheetError` that names the
key path (`problem.layers[2].weights`; indices are 1-based, like layers) and
says what was expected.  The parts: `toml_data` (reading values),
`expression_problem`, `network_problem` and `network_labels`, `answers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import nn
from autograd import CheckReport, NumericError, Value, check
from autograd.check import AnswerKey

from .answers import Answers, read_answers
from .expression_problem import ExpressionProblem, build_expression, read_expression_problem
from .network_problem import NetworkProblem, build_network, read_network_problem
from .sheet_format import EXPRESSION, NETWORK, SHEET
from .toml_data import SheetError, key_path, parse_toml, read_string, read_table, read_toml_file
from .usage import did_you_mean

__all__ = ["Sheet", "Built", "SheetError", "parse_problem", "build_problem", "parse_sheet",
           "loads", "load", "bundled"]


@dataclass(frozen=True)
class Built:
    """A sheet's graph: the root (the loss or the expression's result) and,
    for a network, the `nn.MLP` (so drawings can group nodes by neuron)."""

    root: Value
    model: nn.MLP | None = None


@dataclass(frozen=True)
class Sheet:
    """A parsed, validated answer sheet.  `build()` makes the graph (a new
    one each call); `check()` grades the hand answers against it."""

    name: str
    title: str
    problem: ExpressionProblem | NetworkProblem
    answers: Answers

    def build(self) -> Built:
        return build_problem(self.problem)

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
                         min_digits=a.min_digits, **options)
        except (ValueError, TypeError) as e:  # LabelError is a ValueError
            raise _answer_error(e, "answers") from None
        except NumericError as e:
            raise _answer_error(e, "problem", "; these numbers cannot be graded") from None


def _answer_error(e: Exception, otherwise: str, more: str = "") -> SheetError:
    """The SheetError for an error of `check`: under the answer's key path
    when the error says which answer it is about (an `AnswerKey`), else
    under `otherwise`."""
    where = getattr(e, "where", None)
    if isinstance(where, AnswerKey):
        return SheetError(key_path(f"answers.{where.kind}", where.key), e.reason + more)
    return SheetError(otherwise, f"{e}{more}")


def parse_problem(t) -> ExpressionProblem | NetworkProblem:
    """A sheet's `[problem]` table (parsed TOML), validated: an expression
    or a network.  The one reader of problems: `handgrad check` reads a
    sheet's with it, `handgrad grade` a problem file's.  Errors are
    SheetErrors whose key path starts with `problem`."""
    t = read_table(t, "problem")
    if "expression" in t and "layers" in t:
        raise SheetError("problem", "has both expression and layers: a problem is either an "
                                    "expression or a network")
    if "expression" in t:
        return read_expression_problem(t)
    if "layers" in t:
        return read_network_problem(t)
    either = ('an expression (expression = "..." with [problem.at]) or a network '
              '([[problem.layers]] with inputs, targets and loss)')
    known = {**EXPRESSION.keys, **NETWORK.keys}
    for k in t:  # a misspelt expression or layers is why neither is there
        if k not in known:
            raise SheetError(key_path("problem", k),
                             f"unknown key{did_you_mean(k, known)}; a problem is {either}")
    raise SheetError("problem", f"expected {either}")


def build_problem(problem: ExpressionProblem | NetworkProblem) -> Built:
    """The graph of a parsed problem (a new one each call); a problem whose
    numbers overflow is a SheetError under `problem`."""
    try:
        if isinstance(problem, ExpressionProblem):
            return Built(build_expression(problem))
        root, model = build_network(problem)
    except NumericError as e:
        raise SheetError("problem", str(e)) from None
    return Built(root, model)


PROBLEM_FILE_KEYS = {"parts": "[[parts]]", "notation": "[notation]"}
"""Keys only a problem file has (`handgrad grade`'s), said as such by check."""


def parse_sheet(data: Mapping, name: str = "sheet") -> Sheet:
    """A `Sheet` from parsed TOML (a dict), validated.  The problem comes
    first: a sheet without [answers] whose problem is wrong too (a misspelt
    loss, a bad shape, a forward pass that overflows) reports the problem's
    error, which the answers could only be graded against once it is fixed."""
    for k, what in PROBLEM_FILE_KEYS.items():
        if k in data:
            raise SheetError(k, f"a problem file's {what}: this file is for handgrad grade "
                                f"PROBLEM.toml SUBMISSION (Markdown homework), not an answer "
                                f"sheet for handgrad check")
    read_table(data, "", SHEET, required=("problem",))
    title = read_string(data["title"], "title") if "title" in data else name
    problem = parse_problem(data["problem"])
    if "answers" not in data:
        build_problem(problem)
        read_table(data, "", SHEET)  # says that [answers] is missing
    return Sheet(name, title, problem, read_answers(data["answers"], problem.lr))


def loads(text: str, name: str = "sheet") -> Sheet:
    """A `Sheet` from TOML text; `name` is what messages call it."""
    return parse_sheet(parse_toml(text), name)


def load(path) -> Sheet:
    """A `Sheet` from a .toml file (a path, or a Traversable from
    importlib.resources).  OSError if it cannot be read."""
    return parse_sheet(*read_toml_file(path))


def bundled() -> list[Path]:
    """The example sheets shipped with handgrad (the seed homeworks), sorted."""
    return sorted(Path(__file__).with_name("sheets").glob("*.toml"))
