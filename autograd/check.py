"""Check hand-derived numbers against the engine, the way a grader would.

A hand answer is judged at the precision it was written with: "0.5225"
claims four decimals, so it is correct when the exact value rounds to it.
Writing answers as strings keeps those digits ("0.50" has two decimals, the
float 0.50 has one).  When the user also says which hand numbers an answer
was multiplied from (`factors`), a wrong answer is traced to the first wrong
factor, an arithmetic slip, premature rounding, or a formula that misses
paths.

The rule, for an answer written with k decimals (unit u = 10⁻ᵏ; "5.6e-2" has
k = 3, "1.5e3" has k = -2):
  correct  |hand − exact| ≤ u/2            (it is the exact value rounded)
  close    |hand − exact| ≤ (slack + ½)·u  (the last digit is off by at most
           `slack`, default 1), only for answers with at least two
           significant digits: for "0.5" or "7" one unit is 10–100 % of the
           number, so those must be rounded correctly
  wrong    otherwise.
"close" counts as ok.  Fractions ("2/3") are exact and must match to float
precision.  `tol` (absolute) and/or `rtol` (relative) replace the rule with
|hand − exact| ≤ tol + rtol·|exact|.  `check` never changes `.grad`.

Comparisons and roundings use exact rationals, so any finite float is graded
at the precision its answer claims (answers must be below 1e309 and written
in units no finer than 1e-1100).  `grade` applies the same rule to hand
numbers that are not nodes (a vector written in a document, say).
"""

from __future__ import annotations

import html
import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Iterator, Mapping, Sequence, Union

from .explain import LabelError, find_node, gradients_of, label_list, labelled_nodes
from .naming import node_names
from .steps import derivative_name, format_number
from .value import NumericError, Value

Answer = Union[str, int, float, Decimal, Fraction]

CORRECT, CLOSE, WRONG = "correct", "close", "wrong"
_NOISE = Fraction(1, 2 ** 40)  # relative float noise allowed in the engine's value
_EXACT = Fraction(1, 10 ** 9)  # relative tolerance for exact (fraction) answers
# Hand answers are about floats: none is above 1.8e308 (answers stay below
# 1e309, which leaves room for the largest float rounded up), and a float's
# exact decimal expansion has at most 1074 decimals.  The bounds also keep the
# powers of ten that grading computes small.
_MAX_DIGITS_BEFORE_POINT, _MAX_DECIMALS = 309, 1100
_LIMIT = Fraction(10) ** _MAX_DIGITS_BEFORE_POINT


class _OutOfRange(ValueError):
    """A number too large, or written too finely, for floats."""


@dataclass(frozen=True)
class Hand:
    """A hand number as written: its exact value and its precision
    (`decimals` None for an exact fraction)."""

    text: str
    value: Fraction
    decimals: int | None
    significant: int
    exponent_digits: int | None  # mantissa decimals if written as 1.23e-4


def parse_answer(x, where: str) -> Hand:
    """Read a hand answer: a numeric string (decimal, scientific or a fraction
    like "2/3", with − or - for minus), an int, a float (its repr's digits),
    a Decimal or a Fraction.  `where` names it in error messages."""
    if isinstance(x, bool) or isinstance(x, Value):
        raise TypeError(f"{where}: a hand answer must be a number or a numeric string, "
                        f"got {x!r}")
    if isinstance(x, Fraction):
        return Hand(str(x), _within_floats(x, x, where), None, 0, None)
    if isinstance(x, str):
        text = x.strip().replace("\u2212", "-")
    elif isinstance(x, Decimal):
        text = str(x)
    elif isinstance(x, numbers.Integral):
        text = str(int(x))
    elif isinstance(x, numbers.Real):
        text = repr(float(x))
    else:
        raise TypeError(f"{where}: a hand answer must be a number or a numeric string, "
                        f"got {x!r} of type {type(x).__name__}")
    if "/" in text:
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{where}: {x!r} is not a number") from None
        return Hand(text, _within_floats(value, x, where), None, 0, None)
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{where}: {x!r} is not a number (write it like '0.5225', "
                         f"'-1.3e-2' or '2/3')") from None
    if not d.is_finite():
        raise ValueError(f"{where}: {x!r} is not a finite number")
    sign, digits, exponent = d.as_tuple()
    if any(digits) and d.adjusted() >= _MAX_DIGITS_BEFORE_POINT:  # before Fraction(d)
        raise _too_large(x, where)
    if not -_MAX_DECIMALS <= exponent < _MAX_DIGITS_BEFORE_POINT:
        raise _OutOfRange(f"{where}: {x!r} is written in units of 1e{exponent:+d}; no float "
                          f"needs units finer than 1e-{_MAX_DECIMALS} or coarser than "
                          f"1e+{_MAX_DIGITS_BEFORE_POINT - 1}")
    significant = len(digits) if any(digits) else 0
    scientific = "e" in text.lower()
    mantissa = max(len(digits) - 1, 0) if scientific else None
    return Hand(str(x) if isinstance(x, str) else text, Fraction(d), -exponent, significant,
                mantissa)


def _within_floats(value: Fraction, x, where: str) -> Fraction:
    """`value` (of the answer `x`), if it is below 1e309 in magnitude."""
    if abs(value) >= _LIMIT:
        raise _too_large(x, where)
    return value


def _too_large(x, where: str) -> _OutOfRange:
    return _OutOfRange(f"{where}: {x!r} is beyond the range of floats (up to about 1.8e308)")


def _float(x: Fraction) -> float:
    """`x` as a float; ±inf beyond the float range (a hand answer may be a
    little above the largest float, a product of them far above)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def judge(hand: Hand, exact: float | Fraction, *, tol: float | None = None,
          rtol: float | None = None, slack: int = 1) -> str:
    """The verdict on `hand` against the engine's `exact` (see the module doc)."""
    e = Fraction(exact)
    diff = abs(hand.value - e)
    if tol is not None or rtol is not None:
        return CORRECT if diff <= Fraction(tol or 0) + Fraction(rtol or 0) * abs(e) else WRONG
    if hand.decimals is None:
        return CORRECT if diff <= _EXACT * max(1, abs(e)) else WRONG
    unit = Fraction(10) ** -hand.decimals
    noise = _NOISE * max(abs(e), abs(hand.value))
    if diff <= unit / 2 + noise:
        return CORRECT
    if hand.significant >= 2 and diff <= (slack + Fraction(1, 2)) * unit + noise:
        return CLOSE
    return WRONG


def rounded_like(exact: float | Fraction, hand: Hand) -> str:
    """`exact` written at the hand answer's precision: what it should read.
    Rounded exactly (half away from zero), so any magnitude works."""
    x = Fraction(exact)
    if hand.decimals is None:
        return _general(x, 10)
    if hand.exponent_digits is not None:
        return _scientific(x, hand.exponent_digits)
    return _fixed(x, hand.decimals)


def _fixed(x: Fraction, decimals: int) -> str:
    """`x` rounded half away from zero to `decimals` decimals (negative: to
    tens, hundreds, ...), in plain notation; never "-0"."""
    n = math.floor(abs(x) * Fraction(10) ** decimals + Fraction(1, 2))
    sign = "-" if x < 0 and n else ""
    if decimals <= 0:
        return f"{sign}{n * 10 ** -decimals}"
    digits = str(n).rjust(decimals + 1, "0")
    return f"{sign}{digits[:-decimals]}.{digits[-decimals:]}"


def _scientific(x: Fraction, mantissa: int) -> str:
    """`x` as d.ddd…e±XX with `mantissa` decimals (Python's "e" format,
    rounded half away from zero)."""
    if x == 0:
        return f"{0:.{mantissa}e}"
    e = len(str(abs(x.numerator))) - len(str(x.denominator))  # ⌊log10|x|⌋ or one more
    if abs(x) < Fraction(10) ** e:
        e -= 1
    text = _fixed(x / Fraction(10) ** e, mantissa)
    if text.lstrip("-").startswith("10"):  # 9.96 → 10.0: one more digit before the point
        e += 1
        text = _fixed(x / Fraction(10) ** e, mantissa)
    return f"{text}e{e:+03d}"


def _general(x: Fraction, digits: int) -> str:
    """`digits` significant digits (Python's "g" format), also beyond floats."""
    try:
        return f"{float(x):.{digits}g}"
    except OverflowError:  # a product of hand numbers can exceed the float range
        return _scientific(x, digits - 1)


def _engine_text(exact: float, hand: Hand) -> str:
    """The engine's value for the table: two decimals more than the answer,
    or 10 significant digits where that would be long."""
    if hand.decimals is None or hand.exponent_digits is not None or hand.decimals + 2 > 12:
        return f"{exact:.10g}"
    text = _fixed(Fraction(exact), max(hand.decimals, 0) + 2)
    return text if len(text) <= 16 else f"{exact:.10g}"


@dataclass(frozen=True)
class Row:
    """One checked answer.  `key` and `hand` are as the user wrote them;
    `expected` is the engine's value at the answer's precision."""

    key: str
    kind: str       # "value", "grad" (∂root/∂x), "derivative" (∂u/∂v), "update";
                    # "number" for `grade`
    quantity: str   # what the key means, e.g. "∂Loss/∂w10"
    hand: str
    engine: float
    difference: float  # hand − engine
    verdict: str    # "correct", "close" or "wrong"
    expected: str
    note: str

    @property
    def ok(self) -> bool:
        return self.verdict != WRONG


_COLUMNS = ("answer", "quantity", "hand", "engine", "Δ", "verdict", "note")
_SHOWN = {CORRECT: "correct", CLOSE: "close", WRONG: "WRONG"}


class CheckReport:
    """The rows of a check (`root_name` is None for `grade`).  `ok` is True
    when no answer is wrong; `wrong` lists the wrong rows; `report[key]` is
    the row for an answer; `assert_ok()` raises AssertionError with the
    table (for tests).  The REPL shows an aligned table, Jupyter an HTML one."""

    def __init__(self, root_name: str | None, rows: list[Row], engine_texts: list[str]):
        self.root_name, self.rows, self._engine_texts = root_name, rows, engine_texts

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def wrong(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    def __getitem__(self, key: str | tuple[str, str]) -> Row:
        """The row of answer `key`; `report[key, kind]` when a key is in two
        mappings (a weight's value and its update, say)."""
        key, kind = key if isinstance(key, tuple) else (key, None)
        found = [r for r in self.rows if r.key == key and kind in (None, r.kind)]
        if len(found) == 1:
            return found[0]
        if found:
            raise KeyError(f"{key!r} is answered as {' and '.join(r.kind for r in found)}: "
                           f"write report[{key!r}, kind]")
        raise KeyError(f"no answer {key!r}{'' if kind is None else f' of kind {kind!r}'} in "
                       f"this check; answers: {', '.join(r.key for r in self.rows)}")

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def assert_ok(self) -> None:
        if not self.ok:
            raise AssertionError("wrong hand answers:\n" + str(self))

    def _summary(self) -> str:
        n_wrong = len(self.wrong)
        n_close = sum(r.verdict == CLOSE for r in self.rows)
        against = "" if self.root_name is None else f" against {self.root_name}"
        parts = [f"{len(self.rows)} answers checked{against}",
                 f"{n_wrong} wrong" if n_wrong else "all ok"]
        if n_close:
            parts.append(f"{n_close} off by one in the last digit")
        return ": ".join(parts[:2]) + (f", {parts[2]}" if n_close else "")

    def _cells(self) -> list[tuple[str, ...]]:
        return [(r.key, r.quantity, r.hand, text, f"{r.difference:+.2g}", _SHOWN[r.verdict],
                 r.note) for r, text in zip(self.rows, self._engine_texts)]

    def __str__(self) -> str:
        cells = [_COLUMNS] + self._cells()
        widths = [max(len(row[i]) for row in cells) for i in range(len(_COLUMNS) - 1)]
        lines = [self._summary()]
        for row in cells:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
        return "\n".join(line.rstrip() for line in lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#1a7f37", CLOSE: "#9a6700", WRONG: "#cf222e"}
        head = "".join(f"<th>{html.escape(c)}</th>" for c in _COLUMNS)
        body = []
        for r, cells in zip(self.rows, self._cells()):
            tds = [f"<td>{html.escape(c)}</td>" for c in cells]
            tds[5] = (f'<td style="color:{colour[r.verdict]};font-weight:bold">'
                      f"{html.escape(cells[5])}</td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        return (f"<table><caption>{html.escape(self._summary())}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


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
            raise LabelError(f"{where}: {e}") from None

    def derivative(self, top: Value, bottom: Value) -> float:
        sweep = self._sweeps.get(top)
        if sweep is None:
            sweep = self._sweeps[top] = gradients_of(top)
        return sweep.get(bottom, 0.0)

    def parse_derivative(self, key: str, where: str) -> tuple[Value, Value] | None:
        """("dU/dV" or "∂U/∂V") → (U, V), or None if `key` is not one."""
        found = []
        for i, c in enumerate(key):
            if c != "/":
                continue
            top, bottom = key[:i].strip(), key[i + 1:].strip()
            if top[:1] in ("d", "∂") and bottom[:1] in ("d", "∂"):
                top, bottom = top[1:].strip(), bottom[1:].strip()
                if (top in self.nodes or top == self.root_name) and bottom in self.nodes:
                    found.append((top, bottom))
        if len(found) > 1:
            raise LabelError(f"{where}: {key!r} can be read as "
                             f"{' or '.join(derivative_name(*f) for f in found)}")
        if not found:
            if _LOOKS_LIKE_DERIVATIVE.match(key):
                raise LabelError(
                    f"{where}: {key!r} reads as a derivative dU/dV, but U and V must be "
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
    terms: list | None = None  # factors: list of terms, each a list of refs


def _resolve(graph: _Graph, key, kind: str, lr) -> tuple[tuple, str, float]:
    where = f"{kind}[{key!r}]"
    if not isinstance(key, str):
        raise TypeError(f"{kind}: keys must be labels (strings), got {key!r}")
    names, root = graph.names, graph.root
    if kind == "values":
        if key not in graph.nodes and graph.parse_derivative(key, where) is not None:
            raise LabelError(f"{where}: {key!r} is a derivative; put it in grads")
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
        raise ValueError(f"{where}: {key!r} is computed (by {v.op.name}), not a parameter; "
                         f"updates are for leaves")
    g = graph.derivative(root, v)
    quantity = f"{names[v]} − {lr:g}·{derivative_name(graph.root_name, names[v])}"
    update = v.data - lr * g
    if update - update:
        raise NumericError(f"{where}: {quantity} is {update}: the update overflows")
    return ("update", v), quantity, update


def finite_number(x, where: str) -> float:
    """`x` as a float, for a number given as data (an option, an exact
    value, a sheet's input): TypeError unless it is a real number (a bool is
    not), ValueError unless it is finite as a float (an int beyond 1.8e308
    is not).  Messages start with `where`."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where} must be a number, got {x!r}")
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf
    if f - f:  # inf - inf and nan - nan are nan
        raise ValueError(f"{where} must be a finite number, got {f}")
    return f


# -- factors ----------------------------------------------------------------------

def _terms(spec, where: str) -> list[list]:
    """A product ["a", "b"] or a sum of products [["a", "b"], ["c", "d"]]."""
    if isinstance(spec, (str, numbers.Number)):
        spec = [spec]
    if not isinstance(spec, Sequence) or not spec:
        raise TypeError(f"{where} must be a non-empty list of factors (a product) or a list of "
                        f"such lists (a sum of products), got {spec!r}")
    nested = [isinstance(t, (list, tuple)) for t in spec]
    if all(nested):
        if any(not t for t in spec):
            raise ValueError(f"{where}: an empty product in {spec!r}")
        return [list(t) for t in spec]
    if any(nested):
        raise TypeError(f"{where}: mix of factors and lists in {spec!r}; write a product "
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
                raise ValueError(
                    f"{where}: {ref!r} is ambiguous: values and grads both have an answer "
                    f"keyed {ref_s!r}.  Write {d!r} here for the gradient; for the value, key "
                    f"the gradient as {d!r} in grads, so that {ref_s!r} names only the value")
        else:
            try:
                return parse_answer(ref, where)
            except _OutOfRange:
                raise
            except ValueError:
                raise LabelError(f"{where}: {ref!r} is neither a label, a derivative dU/dV nor "
                                 f"a number; the labels in this graph are: "
                                 f"{label_list(graph.nodes)}") from None
        entry = entries.get(ident)
        if entry is None:
            raise ValueError(f"{where}: {ref!r} has no hand answer: give it in values or grads "
                             f"(a plain label means its value if values has it, else "
                             f"∂{graph.root_name}/∂label; write 'd{graph.root_name}/d{ref_s}' "
                             f"for the gradient)")
        if entry.kind == "update":
            raise ValueError(f"{where}: an update cannot be a factor")
        return entry
    return parse_answer(ref, where)


def _hand_value(f) -> Fraction:
    return f.value if isinstance(f, Hand) else f.hand.value


def _engine_value(f) -> float:
    return _float(f.value) if isinstance(f, Hand) else f.engine


def _first_wrong(terms: list) -> _Entry | None:
    return next((f for t in terms for f in t if isinstance(f, _Entry) and f.verdict == WRONG),
                None)


def _diagnose(entry: _Entry) -> list[str]:
    """Why a factored answer is off: the first wrong factor (followed down its
    own factors), an arithmetic slip, rounding too early, or a wrong formula."""
    notes = []
    first = _first_wrong(entry.terms)
    if first is not None:
        chain, f, seen = [], first, {entry.key}
        while f is not None and f.key not in seen:
            seen.add(f.key)
            chain.append(f"{f.quantity} = {f.hand.text} (should be "
                         f"{rounded_like(f.engine, f.hand)})")
            f = _first_wrong(f.terms) if f.terms else None
        notes.append("first wrong factor: " + ", from ".join(chain))
    hand_product = sum((math.prod((_hand_value(f) for f in t), start=Fraction(1))
                        for t in entry.terms), Fraction(0))
    slip = judge(entry.hand, hand_product, slack=0) == WRONG
    if slip:
        given = _float(hand_product)
        given = format_number(given, 6) if math.isfinite(given) else _general(hand_product, 6)
        rounded = rounded_like(hand_product, entry.hand)
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
          tol: float | None = None, rtol: float | None = None, slack: int = 1) -> CheckReport:
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
    tol, rtol, slack: see the module doc.

    Labels must name exactly one node each; answers must be numbers or
    numeric strings (strings keep trailing zeros).  Gradients are computed
    without touching `.grad`; one that overflows (or an update that does) is
    a NumericError naming the node: such numbers cannot be graded.
    """
    if not isinstance(root, Value):
        raise TypeError(f"check needs a Value as root, got {type(root).__name__}")
    _check_options(tol, rtol, slack)
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
            hand = parse_answer(answer, f"{kind}[{key!r}]")
            if ident in entries:
                raise ValueError(f"{kind}[{key!r}] is the same quantity ({quantity}) as "
                                 f"{entries[ident].key!r}: give each answer once")
            kind_name = {"values": "value", "updates": "update"}.get(kind)
            if kind_name is None:
                kind_name = "grad" if ident[1] is root else "derivative"
            entry = _Entry(key, kind_name, ident, hand, engine, quantity)
            entry.verdict = judge(hand, engine, tol=tol, rtol=rtol, slack=slack)
            entries[ident] = entry
    if not entries:
        raise ValueError("nothing to check: give values, grads or updates")
    for key, spec in (factors or {}).items():
        where = f"factors[{key!r}]"
        target = _reference(graph, entries, key, where)
        if not isinstance(target, _Entry):
            raise ValueError(f"{where}: {key!r} is a number, not an answer")
        target.terms = [[_reference(graph, entries, ref, where) for ref in term]
                        for term in _terms(spec, where)]
    report = []
    for e in entries.values():
        notes = _diagnose(e) if e.terms else []
        if e.kind == "update" and e.verdict == WRONG:
            notes.append(_update_note(e, graph, entries, lr))
        report.append((e, notes))
    return _report(graph.root_name, report)


def grade(answers: Mapping[str, tuple[float, Answer]], *, tol: float | None = None,
          rtol: float | None = None, slack: int = 1) -> CheckReport:
    """Grade hand numbers that are not nodes of a graph (a per-sample vector
    written in a document, the entries of a matrix formula) by the same rule
    and into the same kind of report as `check`.

    answers  {name: (exact, hand answer)}: `exact` is the true value (a
             number you computed, e.g. from the engine's nodes), the hand
             answer as for `check` ("0.28" keeps two decimals).
    tol, rtol, slack: see the module doc.  Rows have kind "number".
    """
    _check_options(tol, rtol, slack)
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
            raise TypeError(f"{where}: the exact value is a Value; pass its .data or .grad")
        engine = finite_number(exact, f"{where}: the exact value")
        hand = parse_answer(answer, where)
        entry = _Entry(key, "number", ("number", key), hand, engine, key)
        entry.verdict = judge(hand, engine, tol=tol, rtol=rtol, slack=slack)
        report.append((entry, []))
    return _report(None, report)


def _check_options(tol: float | None, rtol: float | None, slack: int) -> None:
    for name, x in (("tol", tol), ("rtol", rtol)):
        if x is not None and finite_number(x, name) < 0:
            raise ValueError(f"{name} must be ≥ 0, got {x!r}")
    if isinstance(slack, bool) or not isinstance(slack, int) or slack < 0:
        raise ValueError(f"slack must be a non-negative integer, got {slack!r}")


def _report(root_name: str | None, judged: list[tuple[_Entry, list[str]]]) -> CheckReport:
    """The report of judged answers; each row's note starts with what a
    not-quite-correct answer should read, then the given notes."""
    rows, texts = [], []
    for e, notes in judged:
        if e.verdict != CORRECT:
            notes = [f"{'rounds to' if e.verdict == CLOSE else 'should be'} "
                     f"{rounded_like(e.engine, e.hand)}"] + notes
        rows.append(Row(e.key, e.kind, e.quantity, e.hand.text, e.engine,
                        _float(e.hand.value) - e.engine, e.verdict,
                        rounded_like(e.engine, e.hand), "; ".join(notes)))
        texts.append(_engine_text(e.engine, e.hand))
    return CheckReport(root_name, rows, texts)


def _update_note(e: _Entry, graph: _Graph, entries: dict, lr: float) -> str:
    v = e.ident[1]
    name = derivative_name(graph.root_name, graph.names[v])
    implied = (v.data - _float(e.hand.value)) / lr
    note = (f"this step uses {name} = {format_number(implied, 6)}; "
            f"it is {format_number(graph.derivative(graph.root, v), 6)}")
    stated = entries.get(("derivative", graph.root, v))
    if stated is not None:
        note += f" (your answer: {stated.hand.text})"
    return note
