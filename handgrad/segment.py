"""One side of a relation, parsed: a segment's tokens (`latex`) into a tree
(`tree`'s nodes).  Symbols are named by the reading rule: `_`, braces,
\\text-like wrappers and spaces are dropped, so `z_{10}` is `z10`,
`w(1)_{10}` is `w(1)10`, `\\text{Loss}` is `Loss`; a superscript that is an
index stays in the name after `^` (`h_1^2` is `h1^2`), one that is an
expression is a power.

A segment that cannot be parsed is kept as an `Unreadable` with the reason
and its numbers, so each of them can be reported as unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .calls import NAMES
from .latex import Token, plain
from .tree import Add, Call, Deriv, Div, Mul, Neg, Num, Pow, Sym, Unreadable, Vec, children


class _ParseError(Exception):
    def __init__(self, reason: str, pos: int):
        self.reason, self.pos = reason, pos


def split_at(tokens: list[Token], separates) -> list[list[Token]]:
    """Tokens split at each token `separates` accepts outside brackets (the
    separators dropped): equations at \\quad, a call's arguments at commas."""
    chunks: list[list[Token]] = [[]]
    depth = 0
    for t in tokens:
        if t.kind == "op" and t.text in "([":
            depth += 1
        elif t.kind == "op" and t.text in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and separates(t):
            chunks.append([])
            continue
        chunks[-1].append(t)
    return chunks


def parse_segment(tokens: list[Token]):
    if not tokens:
        return Unreadable("an empty side of a relation", (), 0)
    try:
        p = _Parser(tokens)
        node = p.expression()
        if p.i < len(p.tokens):
            t = p.tokens[p.i]
            raise _ParseError(f"cannot read {_show(t)} here", t.pos)
        if _has_partial(node):
            raise _ParseError("a ∂ that is not part of a derivative ∂A/∂B", tokens[0].pos)
        return node
    except _ParseError as e:
        reason = e.reason
        if tokens[0].kind == "op" and tokens[0].text == "(" and any(
                t.kind == "text" for t in tokens):
            reason = "a side remark (words in parentheses), not an equation"
        return Unreadable(reason, tuple(_numbers_of(tokens)), e.pos)


def _has_partial(node) -> bool:
    if isinstance(node, _Partial):
        return True
    return any(_has_partial(c) for c in children(node))


def _numbers_of(tokens: list[Token], in_index: bool = False) -> list[int]:
    """Offsets of the numbers among tokens, skipping subscripts (indices)."""
    out = []
    after_sub = False
    for t in tokens:
        if t.kind == "num" and not after_sub and not in_index:
            out.append(t.pos)
        sub = after_sub
        after_sub = t.kind == "op" and t.text == "_"
        for a in t.args:
            out += _numbers_of(a, in_index or sub)
        for row in t.rows:
            for cell in row:
                out += _numbers_of(cell, in_index)
    return out


_KINDS = {"frac": "a fraction", "sqrt": "a root", "sum": "a Σ", "partial": "a ∂",
          "group": "a {…} group", "matrix": "a matrix", "text": "text", "amp": "'&'"}


def _show(t: Token) -> str:
    """A token as a message names it: as written where it has a text."""
    if t.kind == "unknown":
        return f"'{t.text}' (not part of the math the reader knows)"
    if t.kind == "sep":
        return f"'\\{t.text}'" if t.text.isalpha() or t.text == "\\" else f"'{t.text}'"
    if t.kind == "text":
        return f"the words '{t.text}'"
    if t.kind in _KINDS:
        return _KINDS[t.kind]
    return f"'{t.text}'"


# -- parsing a segment -----------------------------------------------------------------

_INDEX_CHARS = set("+'*[]()")
_UPDATED = re.compile(r"(.+?)(?:\^(\w*?)\+|\^(?:\(?new\)?|\(?next\)?)|\^([kt])\+1)")


class _Parser:
    """Recursive descent over one segment's tokens.  Depth is bounded by
    `latex.MAX_DEPTH` (groups) and by the length of a segment."""

    def __init__(self, tokens: list[Token], depth: int = 0, joined: bool = False):
        if depth > 60:
            raise _ParseError("nested too deeply", tokens[0].pos if tokens else 0)
        self.tokens, self.i, self.depth = tokens, 0, depth
        self.joined = joined  # a derivative's argument: spaces between its letters dropped

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def is_op(self, text: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "op" and t.text == text

    def sub(self, tokens: list[Token], pos: int):
        if not tokens:
            raise _ParseError("an empty group", pos)
        p = _Parser(tokens, self.depth + 1)
        node = p.expression()
        if p.i < len(p.tokens):
            t = p.tokens[p.i]
            raise _ParseError(f"cannot read {_show(t)} here", t.pos)
        return node

    # expression := term (± term)*
    def expression(self):
        terms = []
        sign = False
        if self.is_op("+") or self.is_op("-"):
            sign = self.peek().text == "-"
            self.i += 1
        terms.append(self.negated(self.term(), sign))
        while self.is_op("+") or self.is_op("-"):
            sign = self.peek().text == "-"
            self.i += 1
            term = self.term()
            terms.append(Neg(term) if sign else term)  # a subtraction, not a sign
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    @staticmethod
    def negated(node, sign: bool):
        if not sign:
            return node
        if isinstance(node, Num):
            return Num("-" + node.text, node.pos)
        if isinstance(node, Mul) and isinstance(node.factors[0], Num):
            first = node.factors[0]
            return Mul((Num("-" + first.text, first.pos),) + node.factors[1:])
        return Neg(node)

    # term := factor ((× | · | / | ⊙ | juxtaposition) factor)*
    def term(self):
        node = self.factor()
        factors = [node]
        while True:
            t = self.peek()
            if t is None:
                break
            last = factors[-1]
            if t.kind == "op" and t.text == "*" and isinstance(last, Num) and \
                    "e" not in last.text.lower():
                exponent = self.power_of_ten()
                if exponent is not None:  # 1.4254 × 10^{-1}: one number, 1.4254e-1
                    factors[-1] = Num(f"{last.text}e{exponent}", last.pos)
                    continue
            if t.kind == "op" and t.text in ("*", "odot"):
                self.i += 1
                factors.append(self.factor())
            elif t.kind == "op" and t.text == "/":
                self.i += 1
                right = self.factor()
                left = factors.pop()
                factors.append(self.division(left, right))
            elif self.starts_atom(t):
                factors.append(self.factor())
            else:
                break
        return factors[0] if len(factors) == 1 else Mul(tuple(factors))

    def power_of_ten(self) -> str | None:
        """At `× 10^{k}` after a number (k a whole number, signed or not): k,
        read past it, so that the two are one number in scientific notation,
        written to the precision of its mantissa (1.4254 × 10^{-1} has 4
        decimals there, so 5 as a value: the rounding rule as for 0.14254).
        None, and nothing read, otherwise."""
        ten = self.peek(1)
        if ten is None or ten.kind != "num" or ten.text != "10" or not self.is_op("^", 2) or \
                self.peek(3) is None:
            return None
        script = self.peek(3)
        tokens = script.args[0] if script.kind == "group" else [script]
        used = 4
        if script.kind == "op" and script.text in "+-" and self.peek(4) is not None:
            tokens, used = [script, self.peek(4)], 5  # 10^-1
        sign = ""
        if len(tokens) == 2 and tokens[0].kind == "op" and tokens[0].text in "+-":
            sign, tokens = tokens[0].text.replace("+", ""), tokens[1:]
        if len(tokens) != 1 or tokens[0].kind != "num" or not tokens[0].text.isdigit() or \
                len(tokens[0].text) > 3:  # no float needs a longer exponent
            return None
        self.i += used
        return sign + tokens[0].text

    @staticmethod
    def division(left, right):
        """A / B, or the derivative ∂A/∂B, dA/dB."""
        if isinstance(left, _Partial) and isinstance(right, _Partial):
            return Deriv(left.name, right.name, left.pos)
        if isinstance(left, Sym) and isinstance(right, Sym) and len(left.name) > 1 and \
                len(right.name) > 1 and left.name[0] == "d" and right.name[0] == "d":
            return Deriv(left.name[1:], right.name[1:], left.pos, letter_d=True)
        if isinstance(left, _Partial) or isinstance(right, _Partial):
            raise _ParseError("a ∂ without its pair", getattr(left, "pos", 0))
        return Div(left, right)

    def starts_atom(self, t: Token) -> bool:
        if t.kind in ("num", "letter", "frac", "sqrt", "func", "sum", "partial", "group",
                      "matrix", "text"):
            return True
        return t.kind == "op" and t.text in "(["

    def factor(self):
        t = self.peek()
        if t is not None and t.kind == "op" and t.text == "-":
            self.i += 1
            return self.negated(self.factor(), True)
        node = self.atom()
        while self.is_op("^") or self.is_op("'") or self.is_op("_"):
            if self.is_op("'"):
                raise _ParseError("a prime on an expression", self.peek().pos)
            if self.is_op("_"):  # a label under a group: \underbrace{...}_{B(h)}
                self.i += 1
                self.raw_script()
                continue
            if self.decoration():  # (w)^* or v^T: a mark, not a power
                continue
            self.i += 1
            node = Pow(node, self.script())
        return node

    def decoration(self) -> bool:
        t = self.peek(1)
        if t is None:
            return False
        inner = t.args[0] if t.kind == "group" else [t]
        if plain(inner) in ("*", "T", "\\top", "top", "\\ast"):
            self.i += 2
            return True
        return False

    def script(self):
        """What follows ^ or _: a group or one token."""
        t = self.peek()
        if t is None:
            raise _ParseError("^ or _ with nothing after it", self.tokens[-1].pos)
        self.i += 1
        if t.kind == "group":
            return self.sub(t.args[0], t.pos)
        if t.kind == "op" and t.text == "-" and self.peek() is not None:
            return self.negated(self.script(), True)
        return self.sub([t], t.pos)

    def raw_script(self) -> list[Token]:
        t = self.peek()
        if t is None:
            raise _ParseError("^ or _ with nothing after it", self.tokens[-1].pos)
        self.i += 1
        return t.args[0] if t.kind == "group" else [t]

    def atom(self):
        t = self.peek()
        if t is None:
            raise _ParseError("an operator with nothing after it",
                              self.tokens[-1].pos if self.tokens else 0)
        if t.kind == "num":
            self.i += 1
            return Num(t.text, t.pos)
        if t.kind in ("letter", "text"):
            return self.symbol()
        if t.kind == "partial":
            self.i += 1
            after = self.peek()
            if after is not None and after.kind == "group":  # ∂{L}, ∂{y_1}: the braces dropped
                self.i += 1
                return _Partial(_Parser(_unbraced(after.args[0]), self.depth + 1,
                                        joined=True).symbol_name_all(), t.pos)
            name = self.symbol_name() if after is not None and \
                after.kind in ("letter", "text") else ""
            return _Partial(name, t.pos)
        if t.kind == "frac":
            self.i += 1
            top, bottom = t.args
            if top and top[0].kind == "partial" and bottom and bottom[0].kind == "partial":
                return Deriv(self.derivative_name(top), self.derivative_name(bottom), t.pos)
            if _letter_d(top) and _letter_d(bottom):
                return Deriv(self.derivative_name(top), self.derivative_name(bottom), t.pos,
                             letter_d=True)
            return Div(self.sub(top, t.pos), self.sub(bottom, t.pos))
        if t.kind == "sqrt":
            self.i += 1
            arg = self.sub(t.args[0], t.pos)
            if len(t.args) > 1:
                return Pow(arg, Div(Num("1", t.pos), self.sub(t.args[1], t.pos)))
            return Call("sqrt", arg)
        if t.kind == "func":
            self.i += 1
            if t.text == "sigmoid" and not (self.is_op("(") or self.is_op("[") or (
                    self.peek() is not None and self.peek().kind == "group")):
                return Sym("\\sigma", t.pos)
            if self.is_op("^"):  # \tanh^2(x) is (tanh x)²
                self.i += 1
                exponent = self.script()
                return Pow(self.applied(t), exponent)
            return self.applied(t)
        if t.kind == "sum":
            self.i += 1
            while self.is_op("_") or self.is_op("^"):  # bounds: indices, not numbers
                self.i += 1
                self.raw_script()
            return Call("sum", self.factor())
        if t.kind == "group":
            self.i += 1
            return self.sub(t.args[0], t.pos)
        if t.kind == "matrix":
            self.i += 1
            return self.matrix(t)
        if t.kind == "op" and t.text in "([":
            close = ")" if t.text == "(" else "]"
            j = self.closing(self.i, t.text, close)
            inner = self.tokens[self.i + 1:j]
            self.i = j + 1
            items = split_at(inner, lambda t: t.kind == "op" and t.text == ",")
            if len(items) > 1:  # (0, 1, 0): a row vector; \max(0, z): its arguments
                return Vec(tuple(self.sub(item, t.pos) for item in items), t.pos)
            return self.sub(inner, t.pos)
        raise _ParseError(f"cannot read {_show(t)} here", t.pos)

    def applied(self, t: Token):
        """A function applied to what follows; named alone ("1 − \\tanh^2", the
        derivative as a formula) it is a symbol of a formula."""
        if self.peek() is None or not self.starts_atom(self.peek()) and not (
                self.is_op("-") or self.is_op("+")):
            return Sym(f"\\{t.text}", t.pos)
        return Call(t.text, self.factor())

    def closing(self, i: int, open_: str, close: str) -> int:
        depth = 0
        for j in range(i, len(self.tokens)):
            t = self.tokens[j]
            if t.kind == "op" and t.text in "([":
                depth += 1
            elif t.kind == "op" and t.text in ")]":
                depth -= 1
                if depth == 0:
                    return j
        raise _ParseError(f"{open_} without its {close}", self.tokens[i].pos)

    def matrix(self, t: Token):
        rows = t.rows
        if not rows:
            raise _ParseError("an empty matrix", t.pos)
        if all(len(r) == 1 for r in rows):
            cells = [r[0] for r in rows]
        elif len(rows) == 1:
            cells = rows[0]
        else:
            raise _ParseError(f"a {len(rows)}×{max(len(r) for r in rows)} matrix: the grader "
                              f"reads vectors (one column or one row), not matrices", t.pos)
        return Vec(tuple(self.sub(c, t.pos) for c in cells), t.pos)

    # symbols
    def symbol(self):
        start = self.peek()
        name, update = self.symbol_name(), False
        # function names written as text: \text{ReLU}(z), sigmoid(z)
        if name in NAMES and (self.is_op("(") or self.is_op("[")):
            return Call(NAMES[name], self.factor())
        if self.is_op("(") and self.peek(1) is not None and self.peek(1).kind in (
                "text", "letter") and self.is_op(")", 2) and \
                plain([self.peek(1)]).lower() in ("new", "next", "updated"):
            self.i += 3
            update = True
        # B(h_1^2), h_{\theta}(x): a name applied to a lone symbol is one name
        if self.is_op("(") and self.peek(1) is not None and self.peek(1).kind in (
                "letter", "text"):
            j = self.closing(self.i, "(", ")")
            inner = _Parser(self.tokens[self.i + 1:j], self.depth + 1)
            inside = inner.symbol_name()
            if inner.i == len(inner.tokens) and inside:
                self.i = j + 1
                name = f"{name}({inside})"
        # e^{x} is exp(x) unless e names something
        if name == "e" and self.is_op("^"):
            self.i += 1
            return Call("exp", self.script())
        base = _UPDATED.fullmatch(name)
        if base:  # w^+, W^{1+}, W^{k+1}, w^{new}: the parameter after the step
            index = base.group(2)  # W^{1+}: layer 1; W^{k+1}: the step, not an index
            name, update = base.group(1) + (f"^{index}" if index else ""), True
        return Sym(name, start.pos, update)

    def symbol_name(self) -> str:
        """Letters (and letter macros, \\text content) with the digits, primes,
        (n) layer marks, subscripts and index superscripts that follow."""
        parts = []
        last_end = None
        scripted = False
        while True:
            t = self.peek()
            if t is None:
                break
            adjacent = last_end is not None and (t.pos == last_end or self.joined)
            if t.kind in ("letter", "text") and scripted:
                break  # w_{10}x_1: a letter after a subscript starts the next symbol
            if t.kind in ("letter", "text") and (not parts or adjacent or _is_text(t)):
                parts.append(t.text)
            elif t.kind == "num" and parts and adjacent and "." not in t.text:
                parts.append(t.text)
            elif t.kind == "op" and t.text == "'" and parts:
                parts.append("'")
            elif t.kind == "op" and t.text == "(" and parts and adjacent and \
                    self.peek(1) is not None and self.peek(1).kind == "num" and \
                    "." not in self.peek(1).text and self.is_op(")", 2):
                parts.append(f"({self.peek(1).text})")
                self.i += 3
                last_end = self.tokens[self.i - 1].end
                continue
            elif t.kind == "op" and t.text == "_" and parts:
                self.i += 1
                parts.append(_index_text(self.raw_script()))
                last_end = self.tokens[self.i - 1].end if self.i <= len(self.tokens) else None
                scripted = True
                continue
            elif t.kind == "op" and t.text == "^" and parts and parts != ["e"] and \
                    self.index_superscript():  # e^{x} is exp(x), never a symbol "e^x"
                self.i += 1
                parts.append("^" + _index_text(self.raw_script()))
                last_end = self.tokens[self.i - 1].end
                scripted = True
                continue
            else:
                break
            last_end = t.end
            self.i += 1
        return "".join(parts)

    def derivative_name(self, tokens: list[Token]) -> str:
        """The symbol of a derivative's numerator or denominator written as a
        fraction, after its ∂ or d: by the reading rule, so braces and spaces
        change nothing (∂L, ∂{L}, ∂ {L}; dL, d L, d{L}, \\mathrm{d}L)."""
        return _Parser(_unbraced(tokens[1:]), self.depth + 1, joined=True).symbol_name_all()

    def symbol_name_all(self) -> str:
        name = self.symbol_name()
        if self.i < len(self.tokens):
            t = self.tokens[self.i]
            raise _ParseError(f"cannot read {_show(t)} in a derivative", t.pos)
        if not name:
            raise _ParseError("a derivative without a symbol", self.tokens[0].pos
                              if self.tokens else 0)
        return name

    def index_superscript(self) -> bool:
        """Is the ^ at self.i an index (h^2, W^{[1]}, w^{+}, W^{k+1}) rather
        than a power?  An index holds only integers, letters, + and brackets;
        a power of a symbol is written (x)^2 or its base is mapped."""
        t = self.peek(1)
        if t is None:
            return False
        tokens = t.args[0] if t.kind == "group" else [t]
        for s in tokens:
            if s.kind == "num" and "." in s.text:
                return False
            if s.kind == "op" and s.text not in _INDEX_CHARS:
                return False
            if s.kind not in ("num", "letter", "text", "op"):
                return False
        return True


@dataclass(frozen=True)
class _Partial:
    name: str
    pos: int


def _is_text(t: Token) -> bool:
    return t.kind == "text"


def _letter_d(tokens: list[Token]) -> bool:
    """Does a fraction's argument read d X (dL, d L, d{L}, \\mathrm{d}L, \\text{d}L)?"""
    return len(tokens) > 1 and tokens[0].kind in ("letter", "text") and \
        tokens[0].text == "d" and (tokens[1].kind in ("letter", "text") or (
            tokens[1].kind == "group" and tokens[1].args[0] and
            tokens[1].args[0][0].kind in ("letter", "text")))


def _unbraced(tokens: list[Token]) -> list[Token]:
    """Tokens with each group that is not a script (after _ or ^) replaced
    by what it holds: the reading rule drops braces, so ∂{y_1} is ∂y_1."""
    out: list[Token] = []
    for t in tokens:
        script = bool(out) and out[-1].kind == "op" and out[-1].text in "_^"
        if t.kind == "group" and not script:
            out.extend(_unbraced(t.args[0]))
        else:
            out.append(t)
    return out


def _index_text(tokens: list[Token]) -> str:
    return plain(tokens).replace(" ", "")
