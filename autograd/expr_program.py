"""A parsed expression: a postfix program, run on numbers and Values.

`parse` (in `expr`) checks the text against the whitelist and flattens it
into a program of postfix instructions; `Expr.evaluate` runs the program,
making nodes where Values are involved and folding numbers to numbers, and
turns the engine's math errors into messages that quote the text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Mapping

from . import ops
from .errors import NumericError
from .notation import display_width
from .value import Value, apply


class ExprError(ValueError):
    """An expression that is not in the language, or values that do not fit
    it.  `reason` says what is wrong; `start`/`end` (character offsets into
    `text`, or None) say where, and `str()` shows the line with a caret."""

    def __init__(self, reason: str, text: str | None = None,
                 start: int | None = None, end: int | None = None):
        self.reason, self.text, self.start, self.end = reason, text, start, end
        super().__init__(_show(reason, text, start, end))

    @property
    def column(self) -> int | None:
        """1-based column of the offending part on its line (None if no place)."""
        if self.start is None:
            return None
        return self.start - self.text.rfind("\n", 0, self.start)


def _show(reason: str, text: str | None, start: int | None, end: int | None) -> str:
    if text is None or start is None:
        return reason
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    col = start - line_start
    width = max(1, min(end if end is not None else start + 1, line_end) - start)
    where = f"column {col + 1}"
    if "\n" in text:
        where = f"line {text.count(chr(10), 0, start) + 1}, {where}"
    lo = max(0, col - 40)  # a window around the error, for long lines
    hi = min(len(line), col + width + 40)
    prefix = "..." if lo > 0 else ""
    suffix = "..." if hi < len(line) else ""
    # under the part in a terminal's columns: tabs stay tabs, Hangul takes two
    pad = "".join(c if c == "\t" else " " * display_width(c) for c in line[lo:col])
    under = display_width(line[col:col + min(width, hi - col)])
    marker = " " * len(prefix) + pad + "^" + "~" * (under - 1)
    return f"{reason} ({where})\n  {prefix}{line[lo:hi]}{suffix}\n  {marker}"


@dataclass(frozen=True)
class Expr:
    """A parsed expression: `names` are its inputs in order of first
    appearance; `evaluate` builds a fresh graph for given input values."""

    text: str
    names: tuple[str, ...]
    _program: tuple = ()

    def __str__(self) -> str:
        return self.text

    def evaluate(self, values: Mapping[str, float],
                 nodes: Mapping[str, Value] | None = None) -> tuple[Value, dict[str, Value]]:
        """Build the graph at `values` (one number per name, no more, no less).

        Names in `nodes` stand for those existing Values instead of new leaves,
        so an expression can be built on top of a graph (a name goes in
        `values` or in `nodes`, not both).  Returns the result Value and the
        Value of each name (the new leaves and the given nodes).  Math errors
        are `NumericError`s that also quote the part of the text they come
        from; wrong names or non-numbers are `ExprError`s.
        """
        inputs = _inputs(self.names, values, {} if nodes is None else nodes)
        given = {id(inputs[n]) for n in nodes or ()}
        stack: list = []
        for code, arg, span, parts in self._program:
            if code == "num":
                stack.append(arg)
            elif code == "name":
                stack.append(inputs[arg])
            else:
                n = 1 if code == "neg" else 2 if code == "bin" else arg if code == "seq" else arg[1]
                operands = stack[-n:]
                del stack[-n:]
                try:
                    stack.append(_run(code, arg, operands))
                except NumericError as e:
                    raise self._located(e, code, arg, operands, span, parts, given) from None
        (result,) = stack
        return (result if type(result) is Value else Value(result)), inputs

    def _located(self, error: NumericError, code: str, arg, operands: list,
                 span: tuple[int, int], parts, given: set[int]) -> NumericError:
        """The engine names unlabelled nodes by op and value; name them by
        their text instead (they are discarded anyway; the caller's `given`
        nodes are left alone), redo the failing step for the engine's
        message, and say where in the text it is."""
        if parts is not None:
            for x, (s, t) in zip(operands, parts):
                if type(x) is Value and x.label is None and id(x) not in given:
                    x.label = _excerpt(self.text[s:t], 40)
            try:
                _run(code, arg, operands)
            except NumericError as again:
                error = again
        message, where = str(error), _excerpt(self.text[span[0]:span[1]], 60)
        if where not in message:
            message += f" in '{where}'"
        return type(error)(message)


def _run(code: str, arg, operands: list):
    """One step of the postfix program: Values make nodes, numbers fold to
    numbers (through the op table, so overflow and domain errors are the
    engine's NumericErrors)."""
    if code == "seq":
        return operands
    if code == "neg":
        (x,) = operands
        return -x if type(x) is Value else apply(ops.NEG, x).data
    if code == "bin":
        a, b = operands
        python_op, op = arg
        return python_op(a, b) if type(a) is Value or type(b) is Value else apply(op, a, b).data
    out = arg[0].fn(*operands)  # "call"
    return out if _has_value(operands) else out.data


def normal_name(name: str) -> str:
    """A name as Python reads an identifier: in NFKC normal form (PEP 3131), so
    a name given in another form (a full-width ｘ, a Hangul name decomposed
    into jamo, as macOS writes file names) is the name the expression uses."""
    return unicodedata.normalize("NFKC", name)


def _normal_keys(given: Mapping, kind: str) -> dict:
    """`given` keyed by normal names; two keys that are one name are an error."""
    out, spelled = {}, {}
    for key, x in given.items():
        name = normal_name(key) if isinstance(key, str) else key
        if name in out:
            raise ExprError(f"{kind}: {spelled[name]!r} and {key!r} are one name, {name}, as "
                            f"Python reads names; give it once")
        out[name], spelled[name] = x, key
    return out


def _excerpt(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _has_value(args) -> bool:
    return any(type(a) is Value or (type(a) is list and _has_value(a)) for a in args)


def _inputs(names: tuple[str, ...], values: Mapping[str, float],
            nodes: Mapping[str, Value]) -> dict[str, Value]:
    for kind, given in (("values", values), ("nodes", nodes)):
        if not isinstance(given, Mapping):
            raise TypeError(f"{kind} must be a mapping of name to "
                            f"{'number' if kind == 'values' else 'Value'}, "
                            f"got {type(given).__name__}")
    values, nodes = _normal_keys(values, "values"), _normal_keys(nodes, "nodes")
    both = [n for n in nodes if n in values]
    if both:
        raise ExprError(f"{', '.join(map(str, both))} {'is' if len(both) == 1 else 'are'} "
                        f"given both a value and a node; give each name one")
    missing = [n for n in names if n not in values and n not in nodes]
    extra = [n for n in (*values, *nodes) if n not in names]
    problems = []
    if missing:
        problems.append(f"no value for {', '.join(missing)}")
    if extra:
        problems.append(f"{', '.join(map(str, extra))} "
                        f"{'is' if len(extra) == 1 else 'are'} not in the expression")
    if problems:
        inputs = ", ".join(names) if names else "none"
        raise ExprError(f"{'; '.join(problems)} (the expression's inputs: {inputs})")
    by_name = {}
    for name in names:
        if name in nodes:
            if not isinstance(nodes[name], Value):
                raise ExprError(f"the node for {name} must be a Value, got "
                                f"{type(nodes[name]).__name__}")
            by_name[name] = nodes[name]
            continue
        try:
            by_name[name] = Value(values[name], label=name)
        except (TypeError, NumericError) as e:
            raise ExprError(f"the value of {name}: {e}") from None
    return by_name
