"""Products written with numbers only, read through the problem's formula.

A student often multiplies numbers without writing the partials they stand
for (`⅔(2.61 × 0.75 + 3.92 × 0.94 + 4.97 × 0.97)`).  The problem file's
`[factors]` table says how an answer is multiplied (`{k}` over the samples);
a written product that matches it term by term (same sample, equal
constants, the rest in order) gives the answer its factors, so `check` can
name the first wrong one, and each number becomes a factor claim of the
quantity the formula names.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from autograd.rounding import parse_answer

from . import chains as ch
from .exact import evaluate
from .problem import Part, for_sample
from .symbols import Quantity, from_key, resolve
from .tree import Deriv, Num, Sym


@dataclass(frozen=True)
class Ref:
    """A factor named by the problem's formula (an engine key), standing in
    for a symbol the document did not write."""

    key: str


def resolve_ref(ref: Ref, part: Part) -> Quantity | str:
    """The quantity a formula's factor names; "=c" for a constant c of the
    formula (matched by value, not graded)."""
    if ref.key.startswith("="):
        return "=" + ref.key[1:]
    return from_key(ref.key, part)


def apply_formula(part: Part, chain: ch.Chain) -> None:
    """A written product of numbers matched to the problem's formula for
    the chain's LHS: its numbers become that formula's factors (the LHS
    value's `factors`, and a factor claim for each number not yet claimed)."""
    lhs = chain.segments[0][0]
    if not isinstance(lhs, (Sym, Deriv)) or not part.factors:
        return
    value = next((c for c in chain.claims if c.kind == "value" and c.target is lhs), None)
    if value is None or value.factors:
        return
    q = resolve(lhs, part)
    if not isinstance(q, Quantity) or q.key not in part.factors:
        return
    formula = []
    for term in part.factors[q.key]:
        if any("{k}" in f for f in term):
            formula += [(k, [for_sample(f, k) for f in term])
                        for k in range(1, part.samples + 1)]
        else:
            formula.append((None, term))
    claimed = {c.offset for c in chain.claims}
    for node, base in chain.segments[1:-1]:
        if not ch.numeric(node):
            continue
        written = ch.expand(node)
        if written is None or isinstance(written, ch.Vector):
            continue
        match = _match(written, formula)
        if match is None:
            continue
        terms, extra = [], []
        for pairs in match:
            term = []
            for ref, factor in pairs:
                if isinstance(ref, str):
                    term.append((Ref(ref), factor, base))
                    if isinstance(factor, Num) and base + factor.pos not in claimed:
                        extra.append(ch.Claim("factor", factor, base, Ref(ref),
                                              equation=chain.index))
                        claimed.add(base + factor.pos)
                else:
                    term.append((Ref("=" + ref[1]), factor, base))
            terms.append(term)
        value.factors = terms
        chain.claims = sorted(chain.claims + extra, key=lambda c: c.offset)
        return


def _match(written: list, formula: list):
    """Each written term (a list of (factor, sample)) matched to a formula
    term (sample, [refs]): same sample, constants equal, the rest in order."""
    used = [False] * len(formula)
    out = []
    for term in written:
        samples = {k for _, k in term if k is not None}
        if len(samples) > 1:
            return None
        k = next(iter(samples), None)
        found = None
        for i, (fk, refs) in enumerate(formula):
            if used[i] or (fk is not None and k is not None and fk != k):
                continue
            pairs = _pair(term, refs)
            if pairs is not None:
                found = i
                break
        if found is None:
            return None
        used[found] = True
        out.append(pairs)
    return out if all(used) else None


def _pair(term: list, refs: list[str]):
    factors = [f for f, _ in term]
    rest = list(factors)
    pairs = []
    for r in refs:
        value = _constant(r)
        if value is None:
            continue
        match = next((f for f in rest if ch.is_constant(f) and evaluate(f) == value), None)
        if match is None:
            return None
        rest.remove(match)
        pairs.append((("const", r), match))
    names = [r for r in refs if _constant(r) is None]
    if len(names) != len(rest) or any(ch.is_constant(f) and not isinstance(f, Num) for f in rest):
        return None
    pairs += list(zip(names, rest))
    return pairs


def _constant(r: str) -> Fraction | None:
    """A factor of a formula that is a number ("2/3", read as hand answers are),
    or None for an answer key."""
    try:
        return parse_answer(r, "a factor").value
    except ValueError:
        return None
