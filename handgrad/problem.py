"""Problem files for `handgrad grade`: what the homework states, and what
the document's symbols mean.

A problem file is an answer sheet's `[problem]` (read exactly as `handgrad
check` reads it; an `[answers]` table is ignored), plus optional tables:

    [notation]              document symbol = engine label, or a number (a given)
    "y_1" = "a20"           keys are read by the reading rule, so "y_{1}" is the same key;
    "\\\\epsilon" = 0.1       a label with {k} names a per-sample node: a column vector
    "h_1^2" = "h2_1[{k}]"   written for it means samples 1, 2, 3, ...
    [factors]               how an answer is multiplied together, for written products
    "dL/dW3_11" = [["2/3", "err[{k}]", "h2_1[{k}]"]]   that name no symbols ({k}: every sample)

A document answering several questions gives `[[parts]]`, each with `start`
(the marker where its part of the document starts, e.g. "Q3."), an optional
`title`, and `problem`, `notation`, `factors` tables as above.  A part
without `problem` uses the previous part's: one network, read with another
notation from its marker on.  Errors are `SheetError`s naming the key path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

from autograd.explain import gradients_of
from autograd.labels import labelled_nodes
from autograd.notation import node_names
from autograd.value import Value

from .expression_problem import ExpressionProblem
from .formula import equations
from .latex import LatexError
from .network_labels import NetworkLabels
from .network_problem import NetworkProblem
from .sheet import Built, build_problem, parse_problem
from .sheet_format import PART, PROBLEM_FILE
from .toml_data import (SheetError, key_path, kind_of, parse_toml, read_number, read_string,
                        read_table, read_toml_file)
from .tree import Unreadable, expression_text


_SAMPLE = re.compile(r"\{k\}")


@dataclass
class Part:
    """One question: its problem (the graph is built once), the document's
    notation and the known factorizations."""

    title: str
    start: str | None
    problem: ExpressionProblem | NetworkProblem
    built: Built
    notation: dict[str, object]        # normalized symbol → label (str) or Fraction
    factors: dict[str, list[list[str]]]
    root: Value = field(init=False)
    nodes: dict[str, list[Value]] = field(init=False)
    root_name: str = field(init=False)
    samples: int = field(init=False)
    families: dict[str, str] = field(init=False)  # "h1" → "h1[{k}]", see `_families`

    def __post_init__(self):
        self.root = self.built.root
        self.nodes = labelled_nodes(self.root)
        self.root_name = node_names(self.root)[self.root]
        p = self.problem
        self.samples = len(p.inputs) if isinstance(p, NetworkProblem) else 1
        self.families = _families(p.labels, self.samples) if isinstance(p, NetworkProblem) \
            else {}
        self._sweeps: dict[Value, dict[Value, float]] = {}

    @property
    def lr(self) -> float | None:
        return self.problem.lr

    def node(self, label: str) -> Value | None:
        found = self.nodes.get(label)
        return found[0] if found and len(found) == 1 else None

    def is_label(self, label: str) -> bool:
        return label == self.root_name or self.node(label) is not None

    def value(self, label: str) -> float:
        v = self.root if label == self.root_name else self.node(label)
        return v.data

    def derivative(self, top: str, bottom: str) -> float:
        u = self.root if top == self.root_name else self.node(top)
        sweep = self._sweeps.get(u)
        if sweep is None:
            sweep = self._sweeps[u] = gradients_of(u)
        return sweep.get(self.node(bottom), 0.0)


def _families(labels: NetworkLabels, samples: int) -> dict[str, str]:
    """The per-sample nodes by the name a document gives them: a node
    labelled h1[1], h1[2], h1[3] in samples 1, 2, 3 is `h_1` in the
    document, written as a column vector of its samples.  Returns name →
    label pattern with {k} ("h1" → "h1[{k}]").  The name is the label
    without its sample index (and the brackets or _ around it); a name two
    families would share names neither (never guessed)."""
    if samples < 2:
        return {}
    per_sample = [_flatten([labels.inputs[k], labels.z[k], labels.a[k], labels.errors[k]])
                  for k in range(samples)]
    if len({len(flat) for flat in per_sample}) != 1:
        return {}
    found: dict[str, str | None] = {}
    for column in zip(*per_sample):
        if any(label is None for label in column):
            continue
        split = _sample_split(column)
        if split is None:
            continue
        before, after = split
        if before[-1:] in _OPENERS and after[:1] == _OPENERS[before[-1]]:
            name = before[:-1] + after[1:]
        else:
            name = before.rstrip("_^") + after
        pattern = before + "{k}" + after
        if name:
            found[name] = pattern if found.get(name, pattern) == pattern else None
    return {name: pattern for name, pattern in found.items() if pattern is not None}


_OPENERS = {"[": "]", "(": ")", "{": "}"}


def _flatten(x) -> list:
    if isinstance(x, list):
        return [y for item in x for y in _flatten(item)]
    return [x]


def _sample_split(column) -> tuple[str, str] | None:
    """(before, after) with column[k - 1] == before + str(k) + after for
    every sample k, or None."""
    first = column[0]
    for at in range(len(first)):
        if first[at] != "1":
            continue
        before, after = first[:at], first[at + 1:]
        if all(label == f"{before}{k}{after}" for k, label in enumerate(column, 1)):
            return before, after
    return None


@dataclass
class Problem:
    title: str
    parts: list[Part]
    name: str


def _normalized(key: str, where: str) -> str:
    """A notation key read by the reading rule, as the document's symbols are."""
    eqs, unread = equations(key)
    if unread or len(eqs) != 1 or len(eqs[0].segments) != 1 or eqs[0].relations:
        raise SheetError(where, f"{key!r} is not a symbol the reader can read")
    node = eqs[0].segments[0]
    text = None if isinstance(node, Unreadable) else expression_text(node)
    if text is None:
        raise SheetError(where, f"{key!r} is not a symbol (write it as the document "
                                f"writes it, e.g. \"y_1\" or \"\\\\hat{{y}}\")")
    return text


def _notation(t, key: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for symbol, target in read_table(t, key).items():
        where = key_path(key, symbol)
        try:
            name = _normalized(symbol, where)
        except LatexError as e:
            raise SheetError(where, str(e)) from None
        if isinstance(target, bool) or not isinstance(target, (str, int, float)):
            raise SheetError(where, f"expected an engine label (a string) or a number, got "
                                    f"{kind_of(target)}")
        if isinstance(target, str):
            out[name] = read_string(target, where, "an engine label")
        else:  # a given, exactly as written (0.1 is 1/10)
            read_number(target, where)
            out[name] = Fraction(str(target)) if isinstance(target, float) else \
                Fraction(target)
    return out


def _factors(t, key: str) -> dict[str, list[list[str]]]:
    out = {}
    for answer, spec in read_table(t, key).items():
        where = key_path(key, answer)
        terms = spec if isinstance(spec, list) and spec and all(
            isinstance(x, list) for x in spec) else [spec]
        for term in terms:
            if not isinstance(term, list) or not term or not all(
                    isinstance(f, str) for f in term):
                raise SheetError(where, 'expected a product ["a", "b"] or a sum of products '
                                        '[["a", "b"], ["c"]] of answer keys and numbers '
                                        '(strings)')
        out[answer] = [list(term) for term in terms]
    return out


def _problem(t, key: str) -> tuple[ExpressionProblem | NetworkProblem, Built]:
    """A [problem] table read as `handgrad check` reads a sheet's, and its
    graph; errors name the key path in this file (parts[2].problem...)."""
    try:
        problem = parse_problem(t)
        return problem, build_problem(problem)
    except SheetError as e:
        k = e.key.replace("problem", key, 1) if e.key.startswith("problem") else key
        raise SheetError(k, e.reason) from None


def parse_problem_file(data: Mapping, name: str = "problem") -> Problem:
    """A `Problem` from a problem file's parsed TOML."""
    read_table(data, "", PROBLEM_FILE)
    title = read_string(data["title"], "title") if "title" in data else name
    if "parts" in data:
        for k in ("problem", "notation", "factors"):
            if k in data:
                raise SheetError(k, "with [[parts]], give it inside each part")
        parts_t = data["parts"]
        if not isinstance(parts_t, list) or not parts_t:
            raise SheetError("parts", "expected [[parts]] tables, one per question")
        parts: list[Part] = []
        shared = None
        for i, pt in enumerate(parts_t, 1):
            key = f"parts[{i}]"
            read_table(pt, key, PART)
            start = read_string(pt["start"], f"{key}.start", "a marker (a string)")
            if not start.strip():
                raise SheetError(f"{key}.start", "the marker is empty")
            if "problem" in pt:
                shared = _problem(pt["problem"], f"{key}.problem")
            elif shared is None:
                raise SheetError(f"{key}.problem", "missing: the first part needs its problem")
            part_title = read_string(pt.get("title", start.strip()), f"{key}.title")
            parts.append(Part(part_title, start.strip(), *shared,
                              _notation(pt.get("notation", {}), f"{key}.notation"),
                              _factors(pt.get("factors", {}), f"{key}.factors")))
        return Problem(title, parts, name)
    if "problem" not in data:
        raise SheetError("problem", "missing: [problem] (or [[parts]], one per question)")
    part = Part(title, None, *_problem(data["problem"], "problem"),
                _notation(data.get("notation", {}), "notation"),
                _factors(data.get("factors", {}), "factors"))
    return Problem(title, [part], name)


def loads_problem(text: str, name: str = "problem") -> Problem:
    """A `Problem` from a problem file's text; `name` is what messages call it."""
    return parse_problem_file(parse_toml(text), name)


def load_problem(path) -> Problem:
    """A `Problem` from a .toml file; OSError if it cannot be read."""
    return parse_problem_file(*read_toml_file(path))


def per_sample(label: str) -> bool:
    return bool(_SAMPLE.search(label))


def for_sample(label: str, k: int) -> str:
    return _SAMPLE.sub(str(k), label)
