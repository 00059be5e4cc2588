"""Check hand-derived numbers against the engine, the way a grader would.

Each hand answer names a quantity of the graph (a node's value, ∂root/∂x,
any ∂U/∂V between labelled nodes, a parameter after one step) and is judged
by the rounding rule of `autograd.rounding`: at the precision it was written
with.  When the user also says which hand numbers an answer was multiplied
from (`factors`), a wrong answer is traced to the first wrong factor, an
arithmetic slip, premature rounding, or a formula that misses paths.
`check` never changes `.grad`.  `grade` applies the same rule to hand
numbers that are not nodes (a vector written in a document, say).

An error about one answer carries where it is (`AnswerKey`, e.g.
values['a10']) and why as data (`error.where`, `error.reason`), so a caller
such as an answer sheet can point at its own key.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, NamedTuple, Sequence

from .errors import NumericError, finite_number, located
from .explain import gradients_of
from .labels import LabelError, find_node, label_list, labelled_nodes
from .notation import bracket, definitions, derivative_name, format_number, node_names
from .report import CheckReport, Row
from .rounding import (CLOSE, COARSE, CORRECT, WRONG, Answer, Hand, OutOfRange, as_float,
                       engine_text, general, judge, parse_answer, rounded_like, should_read)
from .value import Value


class AnswerKey(NamedTuple):
    """Which answer an error is about: `kind` is values, grads, updates or
    factors, `key` the answer's key as given.  Shown as values['a10']."""

    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}[{self.key!r}]"


# -- resolving what a key means -----------------------------------------------

_LOOKS_LIKE_DERIVATIVE = re.compile(r"^\s*[d∂].*/\s*[d∂]")


class _Graph:
    """The graph's labels and derivatives, computed once per top node."""

    def __init__(self, root: Value):
        self.root = root
        self.names = node_names(root)
        self.nodes = labelled_nodes(root)
        self.root_name = self.names[root]
        self._sweeps: dict[Value, dict[Value, float]] = {}

    def node(self, label: str, where: str) -> Value:
        try:
            return find_node(self.root, label, self.nodes)
        except LabelError as e:
            raise located(LabelError, where, str(e)) from None

    def derivative(self, top: Value, bottom: Value) -> float:
        sweep = self._sweeps.get(top)
        if sweep is None:
            sweep = self._sweeps[top] = gradients_of(top)
        return sweep.get(bottom, 0.0)

    def _name(self, text: str) -> str | None:
        """`text` as a node's name: as written, or the name it brackets, as
        the readers print it (d(x1*w1)/dx1 for the label x1*w1)."""
        names = (text, text[1:-1]) if text[:1] == "(" and text[-1:] == ")" else (text,)
        for i, name in enumerate(names):
            if (name in self.nodes or name == self.root_name) and (i == 0 or bracket(name) == text):
                return name
        return None

    def parse_derivative(self, key: str, where: str) -> tuple[Value, Value] | None:
        """("dU/dV" or "∂U/∂V") → (U, V), or None if `key` is not one."""
        found = []
        for i, c in enumerate(key):
            if c != "/":
                continue
            top, bottom = key[:i].strip(), key[i + 1:].strip()
            if top[:1] in ("d", "∂") and bottom[:1] in ("d", "∂"):
                top, bottom = self._name(top[1:].strip()), self._name(bottom[1:].strip())
                if top is not None and bottom in self.nodes:
                    found.append((top, bottom))
        if len(found) > 1:
            raise located(LabelError, where, f"{key!r} can be read as "
                                             f"{' or '.join(derivative_name(*f) for f in found)}")
        if not found:
            if _LOOKS_LIKE_DERIVATIVE.match(key):
                raise located(
                    LabelError, where, f"{key!r} reads as a derivative dU/dV, but U and V must be "
                    f"labels (the root is {self.root_name!r}); the labels in this graph are: "
                    f"{label_list(self.nodes)}")
            return None
        top, bottom = found[0]
        u = self.root if top == self.root_name and top not in self.nodes else self.node(top, where)
        return u, self.node(bottom, where)


@dataclass
class _Entry:
    key: str
    kind: str
    ident: tuple
    hand: Hand
    engine: float
    quantity: str
    verdict: str = CORRECT
    expected: str = ""  # what the answer should read (rounding.should_read)
    terms: list | None = None  # factors: list of terms, each a list of refs


def _resolve(graph: _Graph, key, kind: str, lr) -> tuple[tuple, str, float]:
    where = AnswerKey(kind, key)
    if not isinstance(key, str):
        raise TypeError(f"{kind}: keys must be labels (strings), got {key!r}")
    names, root = graph.names, graph.root
    if kind == "values":
        if key not in graph.nodes and graph.parse_derivative(key, where) is not None:
            raise located(LabelError, where, f"{key!r} is a derivative; put it in grads")
        v = graph.node(key, where)
        return ("value", v), names[v], v.data
    if kind == "grads":
        if key in graph.nodes:
            top, bottom = root, graph.node(key, where)
        else:
            pair = graph.parse_derivative(key, where)
            if pair is None:
                graph.node(key, where)  # raises the unknown-label error
            top, bottom = pair
        return ("derivative", top, bottom), derivative_name(names[top], names[bottom]), \
            graph.derivative(top, bottom)
    v = graph.node(key, where)
    if not v.is_leaf:
        raise located(ValueError, where, f"{key!r} is computed (by {v.op.name}), not a parameter; "
                                         f"updates are for leaves")
    g = graph.derivative(root, v)
    quantity = f"{bracket(names[v])} − {lr:g}·{derivative_name(graph.root_name, names[v])}"
    update = v.data - lr * g
    if update - update:
        raise located(NumericError, where, f"{quantity} is {update}: the update overflows")
    return ("update", v), quantity, update


# -- factors ----------------------------------------------------------------------

def _terms(spec, where: str) -> list[list]:
    """A product ["a", "b"] or a sum of products [["a", "b"], ["c", "d"]]."""
    if isinstance(spec, (str, numbers.Number)):
        spec = [spec]
    if not isinstance(spec, Sequence) or not spec:
        raise located(TypeError, where, f"must be a non-empty list of factors (a product) or a "
                                        f"list of such lists (a sum of products), got {spec!r}",
                      sep=" ")
    nested = [isinstance(t, (list, tuple)) for t in spec]
    if all(nested):
        if any(not t for t in spec):
            raise located(ValueError, where, f"an empty product in {spec!r}")
        return [list(t) for t in spec]
    if any(nested):
        raise located(TypeError, where, f"mix of factors and lists in {spec!r}; write a product "
                                        f"as a flat list and a sum of products as a list of lists")
    return [list(spec)]


def _reference(graph: _Graph, entries: dict, ref, where: str):
    """A factor: an answer (its _Entry) or a plain number (a Hand)."""
    if isinstance(ref, str):
        ref_s = ref.strip()
        pair = None if ref_s in graph.nodes else graph.parse_derivative(ref_s, where)
        if pair is not None:
            ident = ("derivative",) + pair
        elif ref_s in graph.nodes:
            v = graph.node(ref_s, where)
            ident = ("value", v)
            grad = entries.get(("derivative", graph.root, v))
            if grad is not None and ident not in entries:
                ident = grad.ident
            elif grad is not None and grad.key in graph.nodes:  # both keyed by the label
                d = f"d{graph.root_name}/d{ref_s}"
                raise located(
                    ValueError, where,
                    f"{ref!r} is ambiguous: values and grads both have an answer keyed "
                    f"{ref_s!r}.  Write {d!r} here for the gradient; for the value, key the "
                    f"gradient as {d!r} in grads, so that {ref_s!r} names only the value")
        else:
            try:
                return parse_answer(ref, where)
            except OutOfRange:
                raise
            except ValueError:
                raise located(LabelError, where,
                              f"{ref!r} is neither a label, a derivative dU/dV nor a number; "
                              f"the labels in this graph are: {label_list(graph.nodes)}") from None
        entry = entries.get(ident)
        if entry is None:
            raise located(ValueError, where,
                          f"{ref!r} has no hand answer: give it in values or grads "
                          f"(a plain label means its value if values has it, else "
                          f"∂{graph.root_name}/∂label; write 'd{graph.root_name}/d{ref_s}' "
                          f"for the gradient)")
        if entry.kind == "update":
            raise located(ValueError, where, "an update cannot be a factor")
        return entry
    return parse_answer(ref, where)


def _hand_value(f) -> Fraction:
    return f.value if isinstance(f, Hand) else f.hand.value


def _engine_value(f) -> float:
    return as_float(f.value) if isinstance(f, Hand) else f.engine


def _first_wrong(terms: list) -> _Entry | None:
    return next((f for t in terms for f in t if isinstance(f, _Entry) and f.verdict == WRONG),
                None)


def _diagnose(entry: _Entry) -> list[str]:
    """Why a factored answer is off: the first wrong factor (followed down its
    own factors), an arithmetic slip, rounding too early, or a wrong formula.
    For an answer that is right (or close) the same findings are said as what
    is wrong in its working, so that the note never contradicts the mark."""
    accepted = entry.verdict in (CORRECT, CLOSE)
    notes = []
    first = _first_wrong(entry.terms)
    if first is not None:
        chain, f, seen = [], first, {entry.key}
        while f is not None and f.key not in seen:
            seen.add(f.key)
            chain.append(f"{f.quantity} = {f.hand.text} (should be {f.expected})")
            f = _first_wrong(f.terms) if f.terms else None
        notes.append(("a factor is wrong: " if accepted else "first wrong factor: ")
                     + ", from ".join(chain))
    hand_product = sum((math.prod((_hand_value(f) for f in t), start=Fraction(1))
                        for t in entry.terms), Fraction(0))
    slip = judge(entry.hand, hand_product, slack=0) == WRONG
    if slip:
        given = as_float(hand_product)
        given = format_number(given, 6) if math.isfinite(given) else general(hand_product, 6)
        rounded = rounded_like(hand_product, entry.hand)
        if accepted:
            notes.append(f"the factors you wrote give {rounded}"
                         + (f" ({given})" if Fraction(rounded) != hand_product else "")
                         + ", so the working has a slip")
        else:
            notes.append(f"your factors give {given}"
                         + (f" ({rounded} at this precision)" if rounded != given else ""))
    if entry.verdict == WRONG and first is None and not slip:
        exact_product = sum(math.prod(_engine_value(f) for f in t) for t in entry.terms)
        if math.isclose(exact_product, entry.engine, rel_tol=1e-9, abs_tol=1e-12):
            notes.append("every factor is right as rounded, but rounding them this early moves "
                         "the result: keep more digits in the factors")
        else:
            notes.append(f"the formula does not give {entry.quantity}: with exact factors it is "
                         f"{format_number(exact_product, 6)} (a path or factor is missing)")
    return notes


# -- check ----------------------------------------------------------------------

def check(root: Value, values: Mapping[str, Answer] | None = None,
          grads: Mapping[str, Answer] | None = None, *,
          updates: Mapping[str, Answer] | None = None, lr: float | None = None,
          factors: Mapping[str, Sequence] | None = None,
          tol: float | None = None, rtol: float | None = None, slack: int = 1,
          min_digits: int | None = None) -> CheckReport:
    """Grade hand answers against the engine.

    values   {label: answer}: forward results (node.data).
    grads    {label: answer}: ∂root/∂label; or {"dU/dV": answer} (also
             "∂U/∂V") for the derivative of any labelled U by labelled V,
             e.g. a local derivative "dy1/dz20".
    updates  {label: answer}: the parameter after one gradient step,
             label − lr·∂root/∂label (needs `lr`).
    factors  {answer key: factors}: how an answer was computed from other
             hand answers: a product ["dLoss/dy1", "dy1/dz20", "a10"] or a sum
             of products [["dLoss/dz20", "w(1)10"], ["dLoss/dz21", "w(1)11"]].
             A factor is an answer key or a number ("2/3"); a plain label
             means that node's value if `values` has it, else ∂root/∂label.
             A label that keys both values and grads is ambiguous (an error):
             key the gradient "dRoot/dLabel" and write that for it.
    tol, rtol, slack, min_digits: the rounding rule's options (see
             `autograd.rounding`): tolerances instead of the rule, how many
             units off the last digit may be and still be close, how many
             significant digits an answer must carry.

    Labels must name exactly one node each; answers must be numbers or
    numeric strings (strings keep trailing zeros).  Gradients are computed
    without touching `.grad`; one that overflows (or an update that does) is
    a NumericError naming the node: such numbers cannot be graded.
    """
    if not isinstance(root, Value):
        raise TypeError(f"check needs a Value as root, got {type(root).__name__}")
    options = _check_options(tol, rtol, slack, min_digits)
    if updates and lr is None:
        raise ValueError("updates need the learning rate: pass lr=…")
    if lr is not None:
        lr = finite_number(lr, "lr")
    graph = _Graph(root)
    entries: dict[tuple, _Entry] = {}
    for kind, answers in (("values", values), ("grads", grads), ("updates", updates)):
        if answers is None:
            continue
        if not isinstance(answers, Mapping):
            raise TypeError(f"{kind} must be a mapping of label to answer, got "
                            f"{type(answers).__name__}")
        for key, answer in answers.items():
            ident, quantity, engine = _resolve(graph, key, kind, lr)
            where = AnswerKey(kind, key)
            hand = parse_answer(answer, where)
            if ident in entries:
                raise located(ValueError, where, f"is the same quantity ({quantity}) as "
                                                 f"{entries[ident].key!r}: give each answer once",
                              sep=" ")
            kind_name = {"values": "value", "updates": "update"}.get(kind)
            if kind_name is None:
                kind_name = "grad" if ident[1] is root else "derivative"
            entries[ident] = _judged(_Entry(key, kind_name, ident, hand, engine, quantity),
                                     options)
    if not entries:
        raise ValueError("nothing to check: give values, grads or updates")
    for key, spec in (factors or {}).items():
        where = AnswerKey("factors", key)
        target = _reference(graph, entries, key, where)
        if not isinstance(target, _Entry):
            raise located(ValueError, where, f"{key!r} is a number, not an answer")
        target.terms = [[_reference(graph, entries, ref, where) for ref in term]
                        for term in _terms(spec, where)]
    report = []
    for e in entries.values():
        notes = _diagnose(e) if e.terms else []
        if e.kind == "update" and e.verdict == WRONG:
            notes.append(_update_note(e, graph, entries, lr))
        report.append((e, notes))
    return _report(graph.root_name, report, min_digits, definitions([root], graph.names))


def grade(answers: Mapping[str, tuple[float, Answer]], *, tol: float | None = None,
          rtol: float | None = None, slack: int = 1,
          min_digits: int | None = None) -> CheckReport:
    """Grade hand numbers that are not nodes of a graph (a per-sample vector
    written in a document, the entries of a matrix formula) by the same rule
    and into the same kind of report as `check`.

    answers  {name: (exact, hand answer)}: `exact` is the true value (a
             number you computed, e.g. from the engine's nodes), the hand
             answer as for `check` ("0.28" keeps two decimals).
    tol, rtol, slack, min_digits: as for `check`.  Rows have kind "number".
    """
    options = _check_options(tol, rtol, slack, min_digits)
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a mapping of name to (exact, hand answer), got "
                        f"{type(answers).__name__}")
    if not answers:
        raise ValueError("nothing to grade: give answers as {name: (exact, hand answer)}")
    report = []
    for key, pair in answers.items():
        where = f"answers[{key!r}]"
        if not isinstance(key, str):
            raise TypeError(f"answers: names must be strings, got {key!r}")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"{where} must be a pair (exact, hand answer), got {pair!r}")
        exact, answer = pair
        if isinstance(exact, Value):
            raise located(TypeError, where, "the exact value is a Value; pass its .data or .grad")
        engine = finite_number(exact, f"{where}: the exact value")
        hand = parse_answer(answer, where)
        report.append((_judged(_Entry(key, "number", ("number", key), hand, engine, key),
                               options), []))
    return _report(None, report, min_digits)


def _check_options(tol: float | None, rtol: float | None, slack: int,
                   min_digits: int | None) -> dict:
    """The rounding rule's options, checked: the keywords of `judge`."""
    for name, x in (("tol", tol), ("rtol", rtol)):
        if x is not None and finite_number(x, name) < 0:
            raise ValueError(f"{name} must be ≥ 0, got {x!r}")
    if isinstance(slack, bool) or not isinstance(slack, int) or slack < 0:
        raise ValueError(f"slack must be a non-negative integer, got {slack!r}")
    if min_digits is not None and (isinstance(min_digits, bool) or
                                   not isinstance(min_digits, int) or min_digits < 1):
        raise ValueError(f"min_digits must be a positive integer, got {min_digits!r}")
    return {"tol": tol, "rtol": rtol, "slack": slack, "min_digits": min_digits}


def _judged(e: _Entry, options: dict) -> _Entry:
    """`e` with its verdict and what it should read."""
    e.verdict = judge(e.hand, e.engine, **options)
    e.expected = should_read(e.engine, e.hand, e.verdict, tol=options["tol"],
                             rtol=options["rtol"], min_digits=options["min_digits"])
    return e


_SAYS = {CLOSE: "rounds to", WRONG: "should be"}


def _report(root_name: str | None, judged: list[tuple[_Entry, list[str]]],
            min_digits: int | None, defined: list[str] = ()) -> CheckReport:
    """The report of judged answers.  Each row's note starts with its
    verdict's word where it is not plainly correct (what a close or wrong
    answer should read, why one is too coarse), then the diagnosis: after
    ", but" for an answer that is right or close, so that the note and the
    mark say the same thing.  `defined`: what an auto-named root is."""
    rows, texts = [], []
    for e, notes in judged:
        if e.verdict == COARSE:
            head = f"too coarse: write at least {min_digits} significant digits ({e.expected})"
        elif e.verdict in _SAYS:
            head = f"{_SAYS[e.verdict]} {e.expected}"
        else:
            head = "correct" if notes else ""
        if notes and e.verdict in (CORRECT, CLOSE):
            note = f"{head}, but {'; and '.join(notes)}"
        else:
            note = "; ".join(([head] if head else []) + notes)
        rows.append(Row(e.key, e.kind, e.quantity, e.hand.text, e.engine,
                        as_float(e.hand.value) - e.engine, e.verdict, e.expected, note))
        texts.append(engine_text(e.engine, e.hand))
    return CheckReport(root_name, rows, texts, list(defined))


def _update_note(e: _Entry, graph: _Graph, entries: dict, lr: float) -> str:
    v = e.ident[1]
    name = derivative_name(graph.root_name, graph.names[v])
    implied = (v.data - as_float(e.hand.value)) / lr
    slope = graph.derivative(graph.root, v)
    # "implies", not "uses": the result is what is written, the gradient is
    # solved from it (a step may show other numbers, or none)
    note = (f"the result implies {name} = {format_number(implied, 6)}; "
            f"it is {format_number(slope, 6)}")
    stated = entries.get(("derivative", graph.root, v))
    if stated is not None:
        note += f" (your answer: {stated.hand.text})"
    # The commonest slip in an update is the gradient's sign: say so, rather than
    # leave the reader to compare two numbers, unless the student's own (wrong)
    # gradient explains the step as well.
    own = stated is not None and judge(e.hand, v.data - lr * as_float(stated.hand.value)) == CORRECT
    if slope != 0 and not own and judge(e.hand, v.data + lr * slope) == CORRECT:
        note += (f"; the result is {graph.names[v]} + lr·{name}, where the step subtracts "
                 f"it (a sign slip)")
    return note
