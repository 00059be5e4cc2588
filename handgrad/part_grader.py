"""One part of a submission judged claim by claim: `PartGrader.chain` takes
an equation chain of the part (`chains` says what each of its numbers
claims) and adds an `Item` for every number: values, gradients, factors and
updates through `autograd.check`, every other number (arithmetic,
expressions of nodes, givens) through `check.grade`, the same rounding rule.
`grading` splits the document into parts and chains and hands them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from autograd.check import check, grade
from autograd.errors import NumericError
from autograd.notation import format_number
from autograd.report import CheckReport
from autograd.rounding import parse_answer, rounded_like

from . import chains as ch
from .document import Document
from .exact import ArithmeticError_, NotNumeric, evaluate
from .factor_formulas import Ref, apply_formula, resolve_ref
from .latex import NUMBER
from .problem import Part
from .symbols import Quantity, engine_value, known, resolve
from .tree import Deriv, Num, Sym, Unreadable, Vec, expression_text, leaves

UNCHECKED, UNREAD = "unchecked", "unread"


@dataclass
class Item:
    """One number of the document and what became of it."""

    line: int
    hand: str
    quantity: str       # the engine's name, "arithmetic", or "" when unread
    verdict: str        # correct | close | wrong | unchecked | unread
    expected: str
    note: str
    kind: str           # value | grad | derivative | factor | arithmetic | update | lr |
                        # step | expression | unchecked | unread (rows.GRADE_FIELDS)
    offset: int
    cell: int | None = None
    part: str = ""
    engine: float | None = None  # the exact value it is judged against (as check's rows)


@dataclass
class Counts:
    numbers: int = 0      # every number written in math
    graded: int = 0       # numbers with a verdict
    operands: int = 0     # used by a checked computation, no claim of their own
    constants: int = 0    # numbers of formulas (the 1 of 1 − a, the 2 of ½)
    unchecked: int = 0
    unread: int = 0
    formulas: int = 0     # equations with no number to grade


def add_unread(items, doc: Document, offset: int, why: str, part) -> None:
    """An unread item for the number at `offset`, with its sign when the
    minus before it is one (not a subtraction)."""
    line = doc.line(offset)
    m = NUMBER.match(doc.text, offset)
    hand = m.group() if m else doc.text[offset:offset + 1]
    before = doc.text[max(0, offset - 40):offset].rstrip(" ")
    if before[-1:] in ("-", "−") and not (before[:-1].rstrip(" ")[-1:].isalnum() or
                                         before[:-1].rstrip(" ")[-1:] in ")]}"):
        hand = "-" + hand  # a sign, not a subtraction: it is part of the number as written
    items.append(Item(line, hand, "", UNREAD, "", why, "unread", offset, doc.cell(line),
                      part.title if part else ""))


class PartGrader:
    """The items and counts of one part of a document, as its chains are read."""

    def __init__(self, part: Part, doc: Document, items: list[Item], counts: Counts):
        self.part, self.doc, self.items, self.counts = part, doc, items, counts
        self.stated: dict[str, str] = {}   # quantity key → the last value the document wrote
        self._memo: dict = {}
        self.definitions: dict = {}        # names the document gave computations
        self.substituted: list[str] = []   # those the chain being read uses

    # -- items --------------------------------------------------------------------
    def add(self, offset: int, hand: str, quantity: str, verdict: str, expected: str,
            note: str, kind: str, engine: float | None = None) -> None:
        line = self.doc.line(offset)
        self.items.append(Item(line, hand, quantity, verdict, expected, note, kind, offset,
                               self.doc.cell(line), self.part.title, engine))

    def unchecked(self, c: ch.Claim, why: str, quantity: str = "") -> None:
        self.add(c.offset, c.num.text, quantity, UNCHECKED, "", why, self.kind(c))

    def from_row(self, c: ch.Claim, row, quantity: str | None = None) -> None:
        self.add(c.offset, c.num.text, quantity or row.quantity, row.verdict, row.expected,
                 row.note, row.kind if c.kind == "value" else c.kind, row.engine)

    def kind(self, c: ch.Claim) -> str:
        """The claim's kind as the rows name it (`rows.GRADE_FIELDS`): a value
        claimed of a derivative is check's grad (of the root) or derivative
        (between labels); one of a derivative the problem does not name is
        grad when written of the root (or of nothing: ∂/∂w), else derivative."""
        if c.kind != "value":
            return c.kind
        q = self.quantity(c) if isinstance(c.target, (Sym, Deriv, Ref)) else None
        if isinstance(q, Quantity):
            if q.kind != "derivative":
                return c.kind
            return "grad" if q.top == self.part.root_name else "derivative"
        if isinstance(c.target, Deriv):
            return "grad" if c.target.top in ("", self.part.root_name) else "derivative"
        return c.kind

    # -- a chain ---------------------------------------------------------------------
    def chain(self, chain: ch.Chain) -> None:
        self.substituted = []  # names this chain uses that the document defined above
        if self.definitions:
            segments = []
            for i, (n, b) in enumerate(chain.segments):
                asked = i == 0 and isinstance(n, Sym) and isinstance(resolve(n, self.part),
                                                                      Quantity)
                if not isinstance(n, Unreadable) and i < len(chain.segments) - 1 and not asked:
                    new = ch.substitute(n, self.definitions)
                    if new is not n:
                        self.substituted += [s.name for s in leaves(n, Sym)
                                             if s.name in self.definitions]
                    n = new
                segments.append((n, b))
            chain.segments = segments
        ch.analyse(chain)
        named = ch.definition(chain)
        defines = None
        if named is not None:  # its numbers, as written, stand for it in later computations
            self.definitions[named[0]] = named[1]
            if isinstance(resolve(Sym(named[0], 0), self.part), str):
                defines = (f"defines {named[0]}, the document's own name (checked where it is "
                           f"used, not a quantity of the problem)")
        apply_formula(self.part, chain)
        claims = chain.claims
        first = len(self.items)  # the items of this chain are added after it
        if not claims and not chain.free and not chain.unread and not chain.among_symbols:
            self.counts.formulas += 1
        computed = {c.offset for c in claims if c.kind == "arithmetic"}
        groups: list[list[tuple[ch.Claim, Quantity]]] = [[]]
        for c in claims:
            if c.kind == "value" and (c.scale is not None or c.named_after):
                self.scaled(c)
                continue
            if c.kind in ("value", "expression") and not isinstance(c.target, (Sym, Deriv)):
                named = self.part.notation.get(expression_text(c.target))
                if isinstance(named, str):  # "\\hat{y} - y" = "err[{k}]": a node's value
                    c.target = Ref(named)
                    c.kind = "factor" if c.kind == "expression" else c.kind
                elif c.offset in computed:
                    # h(1 − h) = 0.12 × 0.88 = 0.1056: an expression of nodes computed
                    # from written numbers claims its arithmetic (and, where written,
                    # the numbers' own values), not the engine's h(1 − h) at 4 decimals
                    continue
            if c.kind in ("value", "factor") and isinstance(c.target, (Sym, Deriv, Ref)):
                q = self.quantity(c)
                if isinstance(q, str):
                    self.unchecked(c, q)
                    continue
                if q.kind == "given":
                    self.numbers(c, q.given, q.name)
                    continue
                why = known(q, self.part)
                if why is None and c.kind == "factor" and c.num.whole and \
                        q.kind == "value" and not self.part.node(q.key).is_leaf:
                    why = (f"a whole number where {q.name}, a computed value, stands: read as "
                           f"a constant of the formula")
                if why is not None:
                    self.unchecked(c, why, q.name)
                    continue
                group = next((g for g in groups if all(
                    other.key != q.key or o.num.text == c.num.text for o, other in g)), None)
                if group is None:
                    groups.append(group := [])
                group.append((c, q))
            elif c.kind in ("value", "expression"):
                self.expression(c)
            elif c.kind == "arithmetic":
                self.arithmetic(c)
            elif c.kind == "update":
                self.update(c)
            elif c.kind == "lr":
                lr = self.part.lr
                if lr is None:
                    self.unchecked(c, "the problem gives no learning rate (lr)")
                else:
                    self.numbers(c, Fraction(str(lr)), "learning rate")
        for group in groups:
            if group:
                self.check_group(group)
        for c in claims:
            if c.kind == "value" and isinstance(c.target, (Sym, Deriv)):
                q = self.quantity(c)
                if isinstance(q, Quantity):
                    self.stated[q.key] = c.num.text
        for num, base, why in chain.free:
            self.add(base + num.pos, num.text, "", UNCHECKED, "", defines or why, "unchecked")
        for num, base, node in chain.among_symbols:
            self.add(base + num.pos, num.text, "", UNCHECKED, "", self.among_symbols(node),
                     "unchecked")
        self.operands(chain, {c.offset for c in claims}, first)
        for offset, why in chain.unread:
            add_unread(self.items, self.doc, offset, why, self.part)
        self.counts.constants += len(chain.constants)

    def operands(self, chain: ch.Chain, claimed: set[int], first: int) -> None:
        """Count the operands of checked computations; report the others (a
        computation whose result is unchecked, or not written) as unchecked,
        saying what stopped their computation's check."""
        mine = sorted(self.items[first:], key=lambda it: it.kind not in _COMPUTATIONS)
        graded = {it.offset for it in mine if it.verdict not in (UNCHECKED, UNREAD) and
                  it.kind in _COMPUTATIONS}
        owners: dict[int, tuple[Num, set[int]]] = {}
        for n, b, of in chain.operands:
            if b + n.pos not in claimed:
                owners.setdefault(b + n.pos, (n, set()))[1].update(of)
        for at, (n, of) in owners.items():
            if of & graded:
                self.counts.operands += 1
                continue
            why = next((it for it in mine if it.offset in of and it.verdict == UNCHECKED), None)
            self.add(at, n.text, "", UNCHECKED, "", f"an operand of a computation whose result "
                     f"{why.hand} is unchecked: {why.note}" if why else
                     "an operand of a computation whose result is not written", "unchecked")

    def among_symbols(self, node) -> str:
        """Why a decimal in a formula of symbols claims nothing: the symbol
        that names nothing (never guessed), or that no step rewrites it."""
        for s in leaves(node, Sym):
            q = resolve(s, self.part)
            if isinstance(q, str):
                return f"it stands in {expression_text(node)}, and {q}"
        return (f"it stands in {expression_text(node)}, a formula of symbols that no step "
                f"rewrites as numbers")

    def quantity(self, c: ch.Claim) -> Quantity | str:
        if isinstance(c.target, Ref):
            q = resolve_ref(c.target, self.part)
        else:
            q = resolve(c.target, self.part)
        if isinstance(q, str):
            return q
        if q.per_sample and c.sample is None:  # one number for every sample (∂ŷ/∂b = 1)
            samples = [q.sample(k) for k in range(1, self.part.samples + 1)]
            if any(known(one, self.part) is not None for one in samples) or len(
                    {engine_value(one, self.part) for one in samples}) != 1:
                return f"{q.name} is per sample: write it as a column vector, one entry per " \
                       f"sample"
            first = samples[0]
            return Quantity(first.kind, first.key, q.name.replace("{k}", "k") +
                            " (the same for every sample)", first.top, first.bottom,
                            first.given)
        if c.sample is not None:
            if not q.per_sample:
                return (f"a column vector for {q.name}, which is one number (map the symbol "
                        f"to a per-sample label with {{k}} in [notation])")
            if c.sample > self.part.samples:
                return f"entry {c.sample} of a vector, but the problem has {self.part.samples} " \
                       f"sample(s)"
            q = q.sample(c.sample)
        return q

    # -- check, for values, gradients, factors ---------------------------------------------
    def check_group(self, group: list[tuple[ch.Claim, Quantity]]) -> None:
        values = {q.key: c.num.text for c, q in group if q.kind == "value"}
        grads = {q.key: c.num.text for c, q in group if q.kind == "derivative"}
        factors = {}
        for c, q in group:
            if c.factors:
                refs = []
                for term in c.factors:
                    keys = []
                    for target, num, _ in term:
                        fq = resolve(target, self.part) if isinstance(target, (Sym, Deriv)) \
                            else resolve_ref(target, self.part)
                        if isinstance(fq, Quantity) and fq.kind != "given" and \
                                (values.get(fq.key) == num.text or grads.get(fq.key) == num.text):
                            keys.append(fq.key)
                        elif isinstance(fq, str) and fq.startswith("="):
                            keys.append(fq[1:])
                        else:
                            keys = None
                            break
                    if keys is None:
                        refs = None
                        break
                    refs.append(keys)
                if refs:
                    factors[q.key] = refs
        report = self.run_check(values, grads, factors)
        if isinstance(report, str) and factors:
            report = self.run_check(values, grads, {})
        if isinstance(report, str):
            if len(group) == 1:
                c, q = group[0]
                self.unchecked(c, report, q.name)
                return
            for one in group:
                self.check_group([one])
            return
        for c, q in group:
            kinds = ("value",) if q.kind == "value" else ("grad", "derivative")
            row = next(r for r in report.rows if r.key == q.key and r.kind in kinds)
            self.from_row(c, row, q.name)

    def run_check(self, values, grads, factors, updates=None) -> CheckReport | str:
        key = (tuple(values.items()), tuple(grads.items()),
               tuple((k, tuple(map(tuple, v))) for k, v in factors.items()),
               tuple((updates or {}).items()))
        if key not in self._memo:
            try:
                self._memo[key] = check(self.part.root, values or None, grads or None,
                                        updates=updates or None, lr=self.part.lr,
                                        factors=factors or None)
            except (ValueError, TypeError, NumericError) as e:
                self._memo[key] = str(e).split("; the labels in this graph")[0]
        return self._memo[key]

    def update(self, c: ch.Claim) -> None:
        q = resolve(Sym(c.target.name, c.target.pos), self.part)
        if isinstance(q, str):
            self.unchecked(c, q)
            return
        if q.kind != "value" or known(q, self.part) is not None:
            self.unchecked(c, f"{q.name} is not a parameter of the problem", q.name)
            return
        if self.part.lr is None:
            self.unchecked(c, "the problem gives no learning rate (lr) to grade updates with",
                           q.name)
            return
        grad_key = f"d{self.part.root_name}/d{q.key}"
        grads = {grad_key: self.stated[grad_key]} if grad_key in self.stated else {}
        report = self.run_check({}, grads, {}, {q.key: c.num.text})
        if isinstance(report, str):
            report = self.run_check({}, {}, {}, {q.key: c.num.text})
        if isinstance(report, str):
            self.unchecked(c, report, q.name)
            return
        row = next(r for r in report.rows if r.kind == "update")
        self.from_row(c, row)

    def scaled(self, c: ch.Claim) -> None:
        """An entry of c × [v₁, v₂, …] written for a quantity (the entry is
        the quantity ÷ c), or of a vector a name written after it claims."""
        q = self.quantity(c)
        if isinstance(q, str):
            if not c.named_after:  # a name the document gives a computation is no claim
                self.unchecked(c, q)
            return
        why = known(q, self.part)
        if why is not None:
            self.unchecked(c, why, q.name)
            return
        exact = Fraction(engine_value(q, self.part))
        name = q.name
        if c.scale is not None:
            exact /= evaluate(c.scale)
            name = f"{q.name} ÷ {expression_text(c.scale)}"
        self.numbers(c, exact, name)

    # -- numbers that are not answers of check -------------------------------------------------
    def numbers(self, c: ch.Claim, exact, quantity: str, note: str = "") -> None:
        try:
            report = grade({quantity: (float(exact), c.num.text)})
        except (ValueError, TypeError, OverflowError) as e:
            self.unchecked(c, str(e), quantity)
            return
        row = report.rows[0]
        extra = "; ".join(x for x in (row.note, note) if x)
        self.add(c.offset, c.num.text, quantity, row.verdict, row.expected, extra, self.kind(c),
                 row.engine)

    def arithmetic(self, c: ch.Claim) -> None:
        used: list[str] = []

        def value_of(node):  # a symbol among the numbers: the problem's value
            q = resolve(node, self.part)
            if not isinstance(q, Quantity):
                raise NotNumeric(node)
            samples = [q.sample(k) for k in range(1, self.part.samples + 1)] \
                if q.per_sample else [q]
            if any(known(one, self.part) is not None for one in samples):
                raise NotNumeric(node)
            values = [engine_value(one, self.part) for one in samples]
            shown = ", ".join(format_number(v, 6) for v in values)
            used.append(f"{q.name.replace('{k}', 'k')} = ({shown})" if q.per_sample else
                        f"{q.name} = {shown}")
            return tuple(map(Fraction, values)) if q.per_sample else Fraction(values[0])

        try:
            value = evaluate(c.target, value_of)
        except NotNumeric as e:
            self.unchecked(c, f"the computation uses {expression_text(e.symbol)}, which has "
                              f"no value here", "arithmetic")
            return
        except ArithmeticError_ as e:
            self.unchecked(c, f"the computation cannot be done: {e}", "arithmetic")
            return
        if used:
            note_used = "with " + ", ".join(dict.fromkeys(used)) + " from the problem"
        else:
            note_used = ""
        note = ""
        if isinstance(value, tuple):
            if c.sample is not None:
                value = value[c.sample - 1] if c.sample <= len(value) else None
            else:
                value, note = sum(value, Fraction(0)), "the vector summed (the Σ left implicit)"
            if value is None:
                self.unchecked(c, "vectors of different lengths", "arithmetic")
                return
        elif c.sample is not None:
            self.unchecked(c, "a vector written for one number", "arithmetic")
            return
        if isinstance(c.target, (Num, Vec)):  # a number copied from the step before
            source = (f"{', '.join(dict.fromkeys(self.substituted))} (as defined above)"
                      if self.substituted else "the step before")
            flipped = value != 0 and evaluate(c.num) == -value
            note = f"the sign flipped in copying {source}" if flipped else \
                f"copied from {source}"
        else:
            shown = format_number(float(value), 6)
            expected = rounded_like(value, parse_answer(c.num.text, "hand"))  # 3.549e-01 too
            gives = "" if float(shown) == float(expected) else \
                f"the written numbers give {shown}"  # only when it shows more than `expected`
            taken = f"{expression_text(c.scale)} taken out" if c.scale is not None else ""
            note = "; ".join(x for x in (note, gives, taken, note_used) if x)
        self.numbers(c, value, "arithmetic", note)

    def expression(self, c: ch.Claim) -> None:
        """An expression of nodes (h(1 − h), ŷ − y) against the engine's values."""
        problems: list[str] = []

        def value_of(node):
            q = resolve(node, self.part)
            if isinstance(q, Quantity) and q.per_sample and c.sample is not None:
                q = q.sample(c.sample)
            if isinstance(q, str) or (q.per_sample if isinstance(q, Quantity) else False):
                problems.append(q if isinstance(q, str) else f"{q.name} is per sample")
                raise NotNumeric(node)
            why = known(q, self.part)
            if why:
                problems.append(why)
                raise NotNumeric(node)
            return Fraction(engine_value(q, self.part))

        try:
            value = evaluate(c.target, value_of)
        except NotNumeric:
            self.unchecked(c, problems[0] if problems else "a symbol without a value")
            return
        except ArithmeticError_ as e:
            self.unchecked(c, f"the expression cannot be computed: {e}")
            return
        if isinstance(value, tuple):
            self.unchecked(c, "a vector where one number is written")
            return
        self.numbers(c, value, _expression_name(c.target, c.sample))


_COMPUTATIONS = ("arithmetic", "update")
"""The kinds of items that check a computation (the checks its operands are in)."""


def _expression_name(node, sample) -> str:
    return expression_text(node) + (f" (sample {sample})" if sample else "")
