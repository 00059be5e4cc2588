"""The hand answers of a sheet, as written: values, gradients, updates,
how answers were multiplied together, and the grading options.

Answers are checked to be hand answers here (a number written as a string
keeps its digits); what each key means in the graph is for `autograd.check`
to say when the sheet is graded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from autograd.rounding import parse_answer

from .sheet_format import ANSWERS, HAND
from .toml_data import SheetError, key_path, kind_of, read_array, read_number, read_table

Number = Union[int, float]


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
    min_digits: int | None


def _hand(x, key: str) -> str | Number:
    if isinstance(x, bool) or not isinstance(x, (str, int, float)):
        raise SheetError(key, f"expected {HAND}, got {kind_of(x)}")
    try:
        parse_answer(x, key)
    except (ValueError, TypeError):
        raise SheetError(key, f"expected {HAND}, got {kind_of(x)}") from None
    return x


def _factor_list(x, key: str) -> list:
    items = read_array(x, key, 'a product ["a", "b"] or a sum of products [["a", "b"], ["c"]]')
    nested = [isinstance(t, list) for t in items]
    if any(nested) and not all(nested):
        raise SheetError(key, 'mixes factors and lists: write a product as ["a", "b"] and a sum '
                              'of products as [["a", "b"], ["c", "d"]]')
    terms = items if all(nested) else [items]
    for t, term in enumerate(terms, 1):
        where = f"{key}[{t}]" if all(nested) else key
        read_array(term, where, "a non-empty product")
        for f, factor in enumerate(term, 1):
            if isinstance(factor, bool) or not isinstance(factor, (str, int, float)):
                raise SheetError(f"{where}[{f}]", f"expected a factor (an answer key or a number "
                                                  f"as a string), got {kind_of(factor)}")
    return items


def read_answers(t, lr: float | None) -> Answers:
    read_table(t, "answers", ANSWERS)
    tables = {}
    for kind in ("values", "grads", "updates"):
        tables[kind] = {k: _hand(x, key_path(f"answers.{kind}", k))
                        for k, x in read_table(t.get(kind, {}), f"answers.{kind}").items()}
    if not any(tables.values()):
        raise SheetError("answers", "no hand answers: give [answers.values], [answers.grads] or "
                                    "[answers.updates]")
    if tables["updates"] and lr is None:
        raise SheetError("answers.updates", "updates need the learning rate: set lr in "
                                            "[problem]")
    factors = {k: _factor_list(x, key_path("answers.factors", k))
               for k, x in read_table(t.get("factors", {}), "answers.factors").items()}
    options = {}
    for name in ("tol", "rtol"):
        if name in t:
            options[name] = read_number(t[name], f"answers.{name}")
            if options[name] < 0:
                raise SheetError(f"answers.{name}", f"must be ≥ 0, got {options[name]:g}")
    counts = {}
    for name, least, what in (("slack", 0, "a non-negative"), ("min_digits", 1, "a positive")):
        n = counts[name] = t.get(name)
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < least):
            raise SheetError(f"answers.{name}", f"expected {what} integer, got {kind_of(n)}")
    return Answers(tables["values"], tables["grads"], tables["updates"], factors,
                   options.get("tol"), options.get("rtol"), counts["slack"], counts["min_digits"])
