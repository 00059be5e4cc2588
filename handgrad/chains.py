"""What an equation chain claims, number by number.

In `LHS = seg₁ = seg₂ ≈ number` each written number carries a claim:
  value       the LHS quantity is the last number (a node, a derivative, an
              expression of them, or per sample for a column vector);
  factor      a number standing where the previous segment has a symbol
              (`w_{10}x_1 + … = 0.2 × 0.2 + …` says w10 = 0.2 and x1 = 0.2);
  arithmetic  a number standing where the previous segment has a computation
              of numbers (`0.4 × 0.5225 + 0.1 × 0.5299 ≈ 0.26199`);
  update      `w(new) = w − ε·g = …`: the parameter after one step, and in
              its `P − c·g` segments the learning rate c and the gradient g.
Consecutive segments are aligned structurally (sums term by term, products
factor by factor after matching identical factors), so only what changed
between them is claimed.  A product of symbols followed by as many numbers,
or a `[factors]` formula of the problem, gives the LHS its factors, so
`check` can name the first wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tree import Add, Call, Deriv, Div, Mul, Neg, Num, Pow, Sym, Unreadable, Vec, \
    children, leaves, numbers_in

@dataclass
class Claim:
    kind: str                 # value | factor | arithmetic | update | lr | expression
    num: Num
    base: int                 # offset of the math source the Num's pos is in
    target: object = None     # a Sym/Deriv (value, factor, update) or a tree (arithmetic…)
    sample: int | None = None  # 1-based entry of a column vector
    equation: int = 0
    factors: list | None = None  # for the LHS value: terms of (target, Num, base)
    scale: object = None      # the constant c of c × [v₁, v₂, …]: the entry is the claim ÷ c
    named_after: bool = False  # claimed by a name written after it (… = ⅔[…] = B(h))

    @property
    def offset(self) -> int:
        return self.base + self.num.pos


@dataclass
class Chain:
    """An equation with its segments located (a chain may continue across
    math pieces: `$$ … = …$$ $$\\approx 0.07128$$`)."""

    segments: list            # (node, base)
    index: int
    relations: tuple = ()     # between the segments: = ≈ := or a comparison (< ≤ …)
    claims: list = field(default_factory=list)
    constants: list = field(default_factory=list)   # numbers of formulas (Num, base)
    operands: list = field(default_factory=list)    # (Num, base, owners): numbers a
    # computation uses, with the offsets of the numbers claiming its result (a number is
    # an operand of a checked computation only if one of those gets a verdict)
    unread: list = field(default_factory=list)      # (offset, reason)
    free: list = field(default_factory=list)        # numbers with no claim (Num, base, why)
    among_symbols: list = field(default_factory=list)  # (Num, base, node): a decimal in a
    # formula of symbols (0.7311·so), which claims nothing unless a step rewrites it


def shape(n):
    """A tree without positions, to compare what is written."""
    if isinstance(n, Num):
        return ("n", n.text)
    if isinstance(n, Sym):
        return ("s", n.name, n.update)
    if isinstance(n, Deriv):
        return ("d", n.top, n.bottom)
    return (type(n).__name__, tuple(shape(c) for c in children(n))) + (
        (n.fn,) if isinstance(n, Call) else ())


def is_literal(n) -> bool:
    return isinstance(n, Num) or (isinstance(n, Vec) and all(isinstance(x, Num) for x in n.items))


def scaled_literal(n) -> tuple | None:
    """(c, the vector) for c × [v₁, v₂, …] with c an exact constant, the
    way a student takes ⅔ out of a vector: ⅔[0.49, 0.23, 0.13]."""
    if isinstance(n, Mul) and len(n.factors) == 2:
        c, v = n.factors
        if isinstance(c, Vec):
            c, v = v, c
        if is_constant(c) and isinstance(v, Vec) and is_literal(v):
            return c, v
    return None


def numeric(n) -> bool:
    return not leaves(n, (Sym, Deriv))


def is_constant(n) -> bool:
    """An exact constant of a formula: an integer or a fraction of integers."""
    if isinstance(n, Num):
        return n.whole
    return isinstance(n, Div) and is_constant(n.num) and is_constant(n.den)


def _flat(n) -> list:
    if isinstance(n, Mul):
        out = []
        for f in n.factors:
            out += _flat(f)
        return out
    return [n]


def normalize(n):
    """Flatten products and pull exact constants out of Σ, so that
    `Σ(⅔·v ⊙ w)`, `⅔·Σ(v ⊙ w)` and `Σ(v ⊙ w)·⅔` align."""
    if isinstance(n, Mul):
        out = []
        for f in n.factors:
            f = normalize(f)
            out += f.factors if isinstance(f, Mul) else [f]
        return Mul(tuple(out))
    if isinstance(n, Call) and n.fn == "sum":
        arg = normalize(n.arg)
        if isinstance(arg, Mul):
            consts = [f for f in arg.factors if is_constant(f)]
            rest = [f for f in arg.factors if not is_constant(f)]
            if consts and rest:
                inner = rest[0] if len(rest) == 1 else Mul(tuple(rest))
                return Mul(tuple(consts) + (Call("sum", inner),))
        return Call("sum", arg)
    if isinstance(n, Add):
        return Add(tuple(normalize(t) for t in n.terms))
    if isinstance(n, Neg):
        return Neg(normalize(n.arg))
    if isinstance(n, Div):
        return Div(normalize(n.num), normalize(n.den))
    if isinstance(n, Pow):
        return Pow(normalize(n.base), normalize(n.exp))
    if isinstance(n, Call):
        return Call(n.fn, normalize(n.arg))
    if isinstance(n, Vec):
        return Vec(tuple(normalize(x) for x in n.items), n.pos)
    return n


def align(a, b) -> list | None:
    """Pairs (part of a, literal of b) saying what b writes in place of
    each changed part of a; None when b is not a rewriting of a."""
    if shape(a) == shape(b):
        return []
    if isinstance(a, Call) and a.fn == "sum" and isinstance(b, Vec):
        return align(a.arg, b)  # a Σ dropped by mistake: its entries are still claims
    if is_literal(b):
        return [(a, b)]
    if isinstance(a, Call) and a.fn == "sum" and not (isinstance(b, Call) and b.fn == "sum"):
        return align(a.arg, b)  # the Σ left implicit
    if type(a) is not type(b):
        if isinstance(a, Mul) and len(a.factors) == 1:
            return align(a.factors[0], b)
        return None
    if isinstance(a, Neg):
        return align(a.arg, b.arg)
    if isinstance(a, Add):
        if len(a.terms) != len(b.terms):
            return None
        return _all(align(x, y) for x, y in zip(a.terms, b.terms))
    if isinstance(a, Mul):
        left, right = list(a.factors), list(b.factors)
        if len(left) < len(right) and not any(isinstance(g, Call) and g.fn == "sum"
                                              for g in right):
            left = [x for f in left for x in (  # Σ(v ⊙ w) written as ⅔(v ⊙ w): Σ implicit
                _flat(f.arg) if isinstance(f, Call) and f.fn == "sum" else [f])]
        for f in list(left):
            s = shape(f)
            match = next((g for g in right if shape(g) == s), None)
            if match is not None:
                left.remove(f)
                right.remove(match)
        if len(right) == 1 and is_literal(right[0]) and len(left) > 1:
            return [(Mul(tuple(left)), right[0])]  # several factors multiplied out at once
        if len(left) != len(right):
            return None
        return _all(align(x, y) for x, y in zip(left, right))
    if isinstance(a, Div):
        return _all([align(a.num, b.num), align(a.den, b.den)])
    if isinstance(a, Pow):
        return _all([align(a.base, b.base), align(a.exp, b.exp)])
    if isinstance(a, Call):
        if a.fn == "relu" and b.fn == "max" and isinstance(b.arg, Vec) and \
                len(b.arg.items) == 2 and shape(b.arg.items[0]) == ("n", "0"):
            return align(a.arg, b.arg.items[1])  # ReLU(z) = max(0, z)
        return align(a.arg, b.arg) if a.fn == b.fn else None
    if isinstance(a, Vec):
        if len(a.items) != len(b.items):
            return None
        return _all(align(x, y) for x, y in zip(a.items, b.items))
    return None


def _all(results) -> list | None:
    out = []
    for r in results:
        if r is None:
            return None
        out += r
    return out


def _product_of_symbols(n) -> list | None:
    """A product of symbols (or a sum of such products) as terms of leaves."""
    terms = n.terms if isinstance(n, Add) else (n,)
    out = []
    for t in terms:
        factors = _flat(t) if isinstance(t, Mul) else [t]
        if not factors or not all(isinstance(f, (Sym, Deriv)) for f in factors):
            return None
        out.append(factors)
    return out if any(len(t) > 1 for t in out) or len(out) > 1 else None


def _update_shape(n):
    """P − c·g (or P − c×(g)): (P, c, g), else None."""
    if not isinstance(n, Add) or len(n.terms) != 2 or not isinstance(n.terms[1], Neg):
        return None
    step = n.terms[1].arg
    if isinstance(step, Mul) and len(step.factors) == 2:
        return n.terms[0], step.factors[0], step.factors[1]
    return None


def analyse(chain: Chain) -> None:
    """Fill in the chain's claims and the roles of its other numbers."""
    segs = chain.segments
    for n, b in segs:  # claims are read between readable neighbours only
        if isinstance(n, Unreadable):
            chain.unread += [(b + p, n.reason) for p in n.numbers]
    claimed: dict[tuple, Claim] = {}
    by_step: set[int] = set()  # numbers an update's P − c·g segment already names

    def claim(c: Claim) -> None:
        if c.num.pos < 0:  # a number of a definition substituted here: claimed where written
            return
        family = "arithmetic" if c.kind in ("arithmetic", "expression") else "value"
        if family == "value" and c.kind == "factor" and c.offset in by_step:
            return
        key = (c.offset, family, shape(c.target) if family == "value" else None)
        if c.kind == "expression" and any(k[0] == c.offset and k[1] == "value"
                                          for k in claimed):
            return  # the formula of a quantity whose number is already claimed
        if key not in claimed:
            claimed[key] = c

    own = {b + num.pos for node, b in segs if not isinstance(node, Unreadable)
           for num in numbers_in(node) if num.pos >= 0}  # written here, not substituted
    lhs, lhs_base = segs[0]
    if any(r not in ("=", "≈", ":=") for r in chain.relations):  # z > 0: a condition
        chain.constants += [(num, b) for node, b in segs if not isinstance(node, Unreadable)
                            for num in numbers_in(node)]
        return
    if len(segs) == 2 and isinstance(lhs, Sym) and lhs.name in _INDICES and \
            isinstance(segs[1][0], Num) and is_constant(segs[1][0]):
        chain.constants.append(segs[1])  # j = 1: which index, not a number to grade
        return
    update = isinstance(lhs, Sym) and (lhs.update or chain.relations[:1] == (":=",))
    if update and not lhs.update:
        lhs = Sym(lhs.name, lhs.pos, True)
        segs[0] = (lhs, lhs_base)
    if update:  # W^{k+1} = W^k − α·g: the W^k of the right-hand side is W, before the step
        now = {f"{lhs.name}^{i}": Sym(lhs.name, lhs.pos) for i in ("k", "t", "(k)", "(t)")}
        segs[1:] = [(n if isinstance(n, Unreadable) else substitute(n, now), b)
                    for n, b in segs[1:]]
    computed = numeric(lhs) and not isinstance(lhs, Unreadable)  # 0.5 × 2 = 1: arithmetic
    last, last_base = segs[-1]
    if len(segs) > 1 and not isinstance(lhs, Unreadable) and is_literal(last):
        kind = "update" if update else "arithmetic" if computed else "value"
        for num, k in _entries(last):
            claim(Claim(kind, num, last_base, lhs, k, equation=chain.index))
        if computed:
            owners = _offsets(last, last_base)
            chain.operands += [(n, lhs_base, owners) for n in numbers_in(lhs)]
    elif len(segs) > 1 and not isinstance(lhs, Unreadable) and not update and \
            scaled_literal(last):
        c, vector = scaled_literal(last)
        for num, k in _entries(vector):
            claim(Claim("value", num, last_base, lhs, k, equation=chain.index, scale=c))
    if len(segs) > 2 and isinstance(last, (Sym, Deriv)) and \
            (is_literal(segs[-2][0]) or scaled_literal(segs[-2][0])):
        before, base = segs[-2]
        c, vector = scaled_literal(before) or (None, before)
        for num, k in _entries(vector):
            claim(Claim("value", num, base, last, k, equation=chain.index, scale=c,
                        named_after=True))
    if update:  # the learning rate and gradient in each P − c·g segment
        for n, b in segs[1:]:
            parts = _update_shape(n)
            if parts is None:
                continue
            p, c, g = parts
            if isinstance(p, Num):
                claim(Claim("factor", p, b, Sym(lhs.name, lhs.pos), equation=chain.index))
            if isinstance(c, Num):
                claim(Claim("lr", c, b, lhs, equation=chain.index))
                by_step.add(b + c.pos)
            if isinstance(g, Num):  # the gradient the step used: the update's note names it
                owners = _offsets(last, last_base) if is_literal(last) else ()
                chain.operands.append((g, b, owners))
                by_step.add(b + g.pos)
    factor_terms = None
    for i in range(len(segs) - 1):
        (a, ab), (z, zb) = segs[i], segs[i + 1]
        if isinstance(a, Unreadable) or isinstance(z, Unreadable):
            continue
        if i == 0 and (update or is_literal(z)):
            continue  # the LHS claim (or the updated parameter) is above
        pairs = align(normalize(a), normalize(z))
        scaled = scaled_literal(z)
        if pairs is None and scaled and (numeric(a) or _has_decimals(a)):
            # (w₁B₁ + w₂B₂) ⊙ v = ⅔[0.28, 0.09, 0.03]: each entry is the computation ÷ ⅔
            pairs = [(Div(a, scaled[0]), scaled[1])]
        if pairs is None:
            continue
        terms = _product_of_symbols(a) if i > 0 else None
        if terms is not None and all(isinstance(x, (Sym, Deriv)) and isinstance(y, Num)
                                     for x, y in pairs) and \
                sum(len(t) for t in terms) == len(pairs) and factor_terms is None:
            lookup = {id(x): y for x, y in pairs}
            if all(id(f) in lookup for t in terms for f in t):
                factor_terms = [[(f, lookup[id(f)], zb) for f in t] for t in terms]
        for x, lit in pairs:
            kind = "factor" if isinstance(x, (Sym, Deriv)) else \
                "arithmetic" if numeric(x) or _has_decimals(x) else "expression"
            entries = _entries(lit)
            if kind == "arithmetic":
                owners = _offsets(lit, zb)
                chain.operands += [(n, ab, owners) for n in numbers_in(x) if (ab + n.pos) in own]
            if kind in ("arithmetic", "expression") and isinstance(lit, Num):
                claim(Claim(kind, lit, zb, x, equation=chain.index))
            else:
                scale = scaled[0] if scaled and isinstance(x, Div) and x.den is scaled[0] \
                    else None
                for num, k in entries:
                    claim(Claim(kind, num, zb, x, k, equation=chain.index, scale=scale))
    if factor_terms is not None:
        for c in claimed.values():
            if c.kind == "value" and c.target is lhs:
                c.factors = factor_terms
    chain.claims = sorted(claimed.values(), key=lambda c: c.offset)
    taken = {c.offset for c in claimed.values()} | {b + n.pos for n, b, _ in chain.operands}
    for n, b in segs:
        if isinstance(n, Unreadable):
            continue
        for num in numbers_in(n):
            at = b + num.pos
            if at in taken or at not in own:
                continue
            taken.add(at)
            if not numeric(n) and not is_constant(num):
                chain.among_symbols.append((num, b, n))  # a formula's constants are exact
            elif not numeric(n) or is_constant(num) and not is_literal(n):
                chain.constants.append((num, b))
            else:
                chain.free.append((num, b, _why_free(segs, n, b)))


_INDICES = {"i", "j", "k", "l", "m", "n", "t"}


def _has_decimals(n) -> bool:
    return any(not x.whole for x in numbers_in(n))


def substitute(node, definitions: dict):
    """The tree with each symbol the document defined earlier (a name put
    after a computation: `… = ⅔[0.49, …] = B(h_1^2)`) replaced by what it
    was defined as.  The numbers brought in are marked as written elsewhere
    (a negative position), so they are never claimed, counted or listed here."""
    return _rebuild(node, lambda n: _rebuild(definitions[n.name], _elsewhere)
                    if isinstance(n, Sym) and n.name in definitions else n)


def _elsewhere(n):
    return Num(n.text, -1 - n.pos) if isinstance(n, Num) and n.pos >= 0 else n


def _rebuild(node, leaf):
    """The tree with `leaf` applied to each leaf (the same tree if nothing changed)."""
    kids = children(node)
    if not kids:
        return leaf(node)
    new = tuple(_rebuild(k, leaf) for k in kids)
    if all(a is b for a, b in zip(new, kids)):
        return node
    if isinstance(node, (Neg, Call)):
        return Neg(new[0]) if isinstance(node, Neg) else Call(node.fn, new[0])
    if isinstance(node, Add):
        return Add(new)
    if isinstance(node, Mul):
        return Mul(new)
    if isinstance(node, Div):
        return Div(*new)
    if isinstance(node, Pow):
        return Pow(*new)
    return Vec(new, node.pos)


def definition(chain: Chain):
    """(name, tree) when the chain ends by naming a computation of numbers."""
    if len(chain.segments) < 2:
        return None
    last, before = chain.segments[-1][0], chain.segments[-2][0]
    if isinstance(last, Sym) and not isinstance(before, Unreadable) and numeric(before) and \
            not is_literal(before) or (isinstance(last, Sym) and is_literal(before)):
        return last.name, before
    return None


def _offsets(lit, base: int) -> tuple[int, ...]:
    """Where the numbers of a literal (a number or a vector of them) stand."""
    return tuple(base + num.pos for num, _ in _entries(lit))


def _entries(lit) -> list:
    if isinstance(lit, Num):
        return [(lit, None)]
    return [(x, k) for k, x in enumerate(lit.items, 1)]


def _why_free(segs, node, base: int) -> str:
    if len(segs) == 1:
        return "no relation (=, ≈) says what this number is"
    i = next(k for k, (_, b) in enumerate(segs) if b == base)
    beside = [n for n, _ in segs[max(i - 1, 0):i + 2] if isinstance(n, Unreadable)]
    if beside:  # σ'(1) = 0.1966: what it equals is what could not be read
        return f"what it equals could not be read ({beside[0].reason})"
    return "the next step does not rewrite this computation number by number"


def expand(n):
    """A numeric tree as a sum of products of written numbers: a list of
    terms, each a list of (Num or constant, sample k or None); a vector is a
    list of such lists, one per entry.  None if it is not such a sum."""
    if isinstance(n, Num):
        return [[(n, None)]]
    if is_constant(n):
        return [[(n, None)]]
    if isinstance(n, Vec):
        out = []
        for k, x in enumerate(n.items, 1):
            e = expand(x)
            if e is None or isinstance(e, Vector):
                return None
            out.append([[(f, k if s is None else s) for f, s in t] for t in e])
        return Vector(out)
    if isinstance(n, Call) and n.fn == "sum":
        e = expand(n.arg)
        if isinstance(e, Vector):
            return [t for entry in e for t in entry]
        return e
    if isinstance(n, Add):
        parts = [expand(t) for t in n.terms]
        if any(p is None for p in parts):
            return None
        if all(isinstance(p, Vector) for p in parts):
            if len({len(p) for p in parts}) != 1:
                return None
            return Vector([sum((p[k] for p in parts), []) for k in range(len(parts[0]))])
        if any(isinstance(p, Vector) for p in parts):
            return None
        return sum(parts, [])
    if isinstance(n, Mul):
        result = [[]]
        for f in n.factors:
            e = expand(f)
            if e is None:
                return None
            result = _times(result, e)
            if result is None:
                return None
        return result
    return None


class Vector(list):
    """The expansion of a column vector: one list of terms per entry."""


def _times(a, b):
    if isinstance(a, Vector) and isinstance(b, Vector):
        if len(a) != len(b):
            return None
        return Vector([_times(x, y) for x, y in zip(a, b)])
    if isinstance(a, Vector):
        return Vector([_times(x, b) for x in a])
    if isinstance(b, Vector):
        return Vector([_times(a, y) for y in b])
    return [x + y for x in a for y in b]
