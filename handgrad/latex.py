"""LaTeX math as tokens: what a homework equation is made of, with positions.

pylatexenc walks the LaTeX (macros with their arguments, groups,
environments); this module turns its nodes into a small token list that
`formula` parses into expression trees.  Every token keeps the character
offset where it stands in the math source, so a number can be traced to the
line of the file it was written on.

A document is data: no macro is expanded (`\\def`, `\\newcommand` are unknown
tokens), no file is read (`\\input`, `\\include` are unknown tokens), and the
walk is bounded before pylatexenc sees the text (length and brace depth), so
no input can make it recurse deeply or run long.  A number that pylatexenc's
tolerant parse drops (inside a broken `\\end`, say) is reported as lost, so it
is listed as unread rather than silently skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pylatexenc import latexwalker as lw
from pylatexenc.macrospec import MacroSpec

from .calls import NAMES

MAX_MATH_LENGTH = 5_000
"""Longest math piece read, in characters (the seeds' longest is about 600)."""
MAX_DEPTH = 40
"""Deepest nesting of braces, brackets and environments read."""


class LatexError(ValueError):
    """Math that cannot be read; `pos` is the offset in the source (or None)."""

    def __init__(self, reason: str, pos: int | None = None):
        self.reason, self.pos = reason, pos
        super().__init__(reason)


@dataclass
class Token:
    """One piece of math.  `kind` is one of
    num     a decimal number as written ("0.2449", "1.4254e-1"), text in `text`
    letter  one letter or a letter macro ("x", "\\epsilon", "\\hat{y}" as "\\haty")
    op      + - * / ^ _ ( ) [ ] | , ; : ' ! and "odot"
    rel     a relation that chains an equation: = ≈ := (text is the symbol)
    cmp     a comparison (< > \\le \\neq \\to …): a condition, not a value
    sep     a separator between equations: \\quad, \\\\, top-level , ; and the like
    frac    \\frac{a}{b}: `args` = [numerator tokens, denominator tokens]
    sqrt    \\sqrt[n]{x}: `args` = [x tokens] or [x tokens, n tokens]
    func    a function of the op table (\\exp, \\ln, \\sigma, \\tanh, \\max, \\sin, …:
            `calls.NAMES`; text: its name in the table), applied to what follows
    sum     \\sum (its _ and ^ bounds follow as ordinary tokens)
    partial \\partial or ∂
    group   {...}: `args` = [tokens]
    matrix  a bmatrix/pmatrix/...: `rows` = rows of cells, each a token list
    text    \\text{...}: `text` is its content, spaces dropped; `prose` when it
            is written as words (a space or punctuation in it: \\text{ (rounded)},
            \\text{, so}), which `formula` drops as a remark where it stands alone
    unknown a macro the reader does not know (text: its name)
    """

    kind: str
    pos: int
    text: str = ""
    args: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    end: int = 0  # offset just after the token (for adjacency)
    prose: bool = False  # a text token written as words, not as a symbol's name


RELATIONS = {"approx": "≈", "simeq": "≈", "doteq": "≈", "fallingdotseq": "≈", "approxeq": "≈",
             "thickapprox": "≈", "coloneqq": ":=", "leftarrow": ":=", "gets": ":=",
             "eqqcolon": "=", "equiv": "="}
_COMPARISONS = {"neq", "ne", "le", "leq", "ge", "geq", "lt", "gt", "ll", "gg", "to",
                "rightarrow", "Rightarrow", "implies", "iff", "mapsto", "propto", "sim",
                "in", "notin", "subset", "cong"}
_SEPARATORS = {"quad", "qquad", "\\", "newline", "mid", "vert", "Vert", "hline", "cr",
               "text_sep"}
_SPACES = {",", ";", ":", "!", " ", "thinspace", "medspace", "thickspace", "enspace",
           "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "left", "right",
           "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
           "middle", "hfill", "nonumber", "notag", "centering", "phantom", "hphantom",
           "vphantom", "smash"}
_PRODUCTS = {"times": "*", "cdot": "*", "ast": "*", "cdotp": "*", "bullet": "*",
             "odot": "odot", "circ": "odot", "div": "/"}
_WRAPPERS = {"text", "textrm", "textnormal", "mathrm", "operatorname", "mathit", "mathbf",
             "textbf", "textit", "boldsymbol", "bm", "mathsf", "mathtt", "mathcal",
             "mathbb", "mathnormal", "emph", "mbox", "hbox", "underbrace", "overbrace",
             "underline", "overline", "operatorname*", "pmb", "mathbfit"}
_ACCENTS = {"hat", "widehat", "bar", "tilde", "widetilde", "vec", "dot", "ddot", "check",
            "breve", "acute", "grave", "mathring"}
_SKIPPED = {"textcircled", "circled", "tag", "label", "ref", "eqref", "color", "textcolor",
            "quad_note"}
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
          "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "varrho",
          "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta",
          "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
          "nabla", "hbar", "imath", "jmath"}
_MATRICES = {"bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix",
             "bmatrix*", "pmatrix*", "array"}
_LINES = {"aligned", "align", "align*", "split", "gathered", "gather", "gather*", "eqnarray",
          "eqnarray*", "multline", "multline*", "alignat", "alignat*", "flalign", "cases",
          "equation", "equation*", "displaymath", "math"}
_UNICODE = {"−": ("op", "-"), "–": ("op", "-"), "×": ("op", "*"), "·": ("op", "*"),
            "⋅": ("op", "*"), "∗": ("op", "*"), "÷": ("op", "/"), "⊙": ("op", "odot"),
            "∘": ("op", "odot"), "≈": ("rel", "≈"), "≃": ("rel", "≈"), "≒": ("rel", "≈"),
            "≅": ("cmp", "≅"), "←": ("rel", ":="), "∂": ("partial", "∂"), "∑": ("sum", "Σ"),
            "Σ": ("sum", "Σ"), "√": ("func", "sqrt"), "≠": ("cmp", "≠"), "≤": ("cmp", "≤"),
            "≥": ("cmp", "≥"), "→": ("cmp", "→"), "⇒": ("cmp", "⇒"), "′": ("op", "'"),
            "<": ("cmp", "<"), ">": ("cmp", ">"),
            "²": ("sup", "2"), "³": ("sup", "3"), "¹": ("sup", "1"), "⁰": ("sup", "0")}
_OPERATORS = set("+-*/^_()[]|,;:'!=")
_PROSE = re.compile(r"[\s,;:!?()\[\]\"，。、：；！？（）「」『』…]")
"""What makes a \\text{…} words rather than a name: a space (`\\text{ new}` in a
subscript is still part of the name there) or punctuation; `.` is not in it
(`\\text{np.sum}`), nor `*` `+` `=` of a label written as text."""
NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d{1,3}(?!\d))?")
"""A number as the reader reads it: digits, with a decimal part or not, and
an exponent (1.4254e-1, 2E3) where one is written (a longer exponent is no
homework's: its digits are read apart, never a number beyond floats)."""
_DIGITS = re.compile(r"\d+(?:\.\d+)?|\.\d+")
"""A number after a letter: the digits of a name (x2e1 is the name x2e1)."""
_OPEN, _CLOSE = "{[(", "}])"
_CONTEXT = lw.get_default_latex_context_db()  # built once: a walker would build one each time
# pylatexenc's default context lacks amsmath's \operatorname, \dfrac, \tfrac and \cfrac:
# without their arguments, \operatorname{softplus}(z) would be an empty group before a
# bare {softplus}, and \dfrac{a}{b} a fraction of nothing before two groups
_CONTEXT.add_context_category("amsmath-macros", prepend=True,
                              macros=[MacroSpec("operatorname", "{"), MacroSpec("dfrac", "{{"),
                                      MacroSpec("tfrac", "{{"), MacroSpec("cfrac", "[{{")])


def number_offsets(source: str) -> list[int]:
    """Where each number of a source starts (for listing them as unread)."""
    return [m.start() for m in NUMBER.finditer(source)]


def check_bounds(source: str) -> None:
    """LatexError unless `source` is short and shallow enough to walk."""
    if len(source) > MAX_MATH_LENGTH:
        raise LatexError(f"an equation of {len(source):,} characters (the reader takes up "
                         f"to {MAX_MATH_LENGTH:,})")
    depth = deepest = 0
    for m in re.finditer(r"\\begin\b|\\end\b|\\[{}]|[{}]", source):
        t = m.group()
        if t in ("{", "\\begin"):
            depth += 1
            deepest = max(deepest, depth)
        elif t in ("}", "\\end"):
            depth -= 1
    if deepest > MAX_DEPTH:
        raise LatexError(f"braces nested {deepest} deep (the reader takes up to {MAX_DEPTH})")


def tokenize(source: str) -> tuple[list[Token], list[int]]:
    """The tokens of a math source, and the offsets of numbers that
    pylatexenc's tolerant parse dropped (they cannot be read)."""
    check_bounds(source)
    try:
        walker = lw.LatexWalker(source, latex_context=_CONTEXT, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes(pos=0)
    except (lw.LatexWalkerError, RecursionError, IndexError, ValueError) as e:
        raise LatexError(f"not readable LaTeX ({type(e).__name__})") from None
    converter = _Converter(source)
    tokens = converter.nodes(nodes)
    seen: set[int] = set()
    _number_positions(tokens, seen)
    lost = [m.start() for m in NUMBER.finditer(source) if m.start() not in seen
            and not _inside_macro_name(source, m.start())
            and not any(a <= m.start() < b for a, b in converter.ignored)]
    return tokens, lost


def _inside_macro_name(source: str, pos: int) -> bool:
    """A digit run that is part of an environment name or a comment."""
    line_start = source.rfind("\n", 0, pos) + 1
    if "%" in source[line_start:pos] and "\\%" not in source[line_start:pos]:
        return True
    return bool(re.search(r"\\(?:begin|end)\{[^}]*$", source[max(0, pos - 40):pos]))


def _number_positions(tokens: list[Token], seen: set[int]) -> None:
    for t in tokens:
        if t.kind == "num":
            # every start of a digit run inside the token counts as seen
            for m in NUMBER.finditer(t.text):
                seen.add(t.pos + m.start())
        for a in t.args:
            _number_positions(a, seen)
        for row in t.rows:
            for cell in row:
                _number_positions(cell, seen)


class _Converter:
    """pylatexenc nodes → tokens."""

    def __init__(self, source: str):
        self.source = source
        self.ignored: list[tuple[int, int]] = []  # spans that are labels, not math

    def nodes(self, nodes, depth: int = 0) -> list[Token]:
        if depth > MAX_DEPTH:
            raise LatexError("nested too deeply")
        out: list[Token] = []
        skip_group = False
        for n in nodes or ():
            if n is None or isinstance(n, lw.LatexCommentNode):
                continue
            if skip_group:
                skip_group = False
                if isinstance(n, lw.LatexGroupNode):  # e.g. the 1 of \textcircled{1}
                    self.ignored.append((n.pos, n.pos + n.len))
                    continue
            if isinstance(n, lw.LatexCharsNode):
                self.chars(n.chars, n.pos, out)
            elif isinstance(n, lw.LatexGroupNode):
                delims = getattr(n, "delimiters", ("{", "}"))
                inner = self.nodes(n.nodelist, depth + 1)
                if delims and delims[0] == "[":  # an optional argument read as a group
                    out.append(Token("op", n.pos, "[", end=n.pos + 1))
                    out.extend(inner)
                    out.append(Token("op", n.pos + n.len - 1, "]", end=n.pos + n.len))
                else:
                    out.append(Token("group", n.pos, args=[inner], end=n.pos + n.len))
            elif isinstance(n, lw.LatexMathNode):
                out.extend(self.nodes(n.nodelist, depth + 1))
            elif isinstance(n, lw.LatexSpecialsNode):
                if n.specials_chars == "&":
                    out.append(Token("amp", n.pos, "&", end=n.pos + 1))
                # ~ and other specials are spacing
            elif isinstance(n, lw.LatexEnvironmentNode):
                out.extend(self.environment(n, depth))
            elif isinstance(n, lw.LatexMacroNode):
                skip_group = self.macro(n, out, depth)
        return out

    def chars(self, text: str, pos: int, out: list[Token]) -> None:
        i = 0
        while i < len(text):
            c = text[i]
            at = pos + i
            if c.isspace():
                i += 1
                continue
            m = (_DIGITS if i and text[i - 1].isalpha() else NUMBER).match(text, i)
            if m:
                out.append(Token("num", at, m.group(), end=pos + m.end()))
                i = m.end()
                continue
            if c in _UNICODE:
                kind, value = _UNICODE[c]
                if kind == "sup":
                    out.append(Token("op", at, "^", end=at + 1))
                    out.append(Token("num", at, value, end=at + 1))
                elif kind == "func":
                    out.append(Token("func", at, value, end=at + 1))
                else:
                    out.append(Token(kind, at, value, end=at + 1))
            elif c == "=" or (c == ":" and text[i + 1:i + 2] == "="):
                width = 1 if c == "=" else 2
                out.append(Token("rel", at, "=" if c == "=" else ":=", end=at + width))
                i += width
                continue
            elif c == "σ":
                out.append(Token("func", at, "sigmoid", end=at + 1))
            elif c.isalpha():
                out.append(Token("letter", at, c, end=at + 1))
            elif c in _OPERATORS:
                out.append(Token("op", at, c, end=at + 1))
            else:
                out.append(Token("unknown", at, c, end=at + 1))
            i += 1

    def macro(self, n, out: list[Token], depth: int) -> bool:
        """Append the macro's tokens; True when the next group is its
        argument, which pylatexenc did not attach (so it is skipped)."""
        name, at, end = n.macroname, n.pos, n.pos + n.len
        args = [a for a in (n.nodeargd.argnlist if n.nodeargd else []) if a is not None]
        if name in RELATIONS:
            out.append(Token("rel", at, RELATIONS[name], end=end))
        elif name in _COMPARISONS:
            out.append(Token("cmp", at, f"\\{name}", end=end))
        elif name in _SEPARATORS:
            out.append(Token("sep", at, name, end=end))
        elif name in _SPACES:
            pass
        elif name in _PRODUCTS:
            out.append(Token("op", at, _PRODUCTS[name], end=end))
        elif name in ("frac", "dfrac", "tfrac", "cfrac"):
            args = args[-2:]  # \cfrac[l]{a}{b}: the alignment is no part of the value
            if len(args) != 2:
                out.append(Token("unknown", at, f"\\{name} without two arguments", end=end))
            else:
                out.append(Token("frac", at, args=[self.arg(a, depth) for a in args], end=end))
        elif name == "sqrt":
            if not args:
                out.append(Token("func", at, "sqrt", end=end))
            else:
                parts = [self.arg(args[-1], depth)]
                if len(args) > 1:
                    parts.append(self.arg(args[0], depth))
                out.append(Token("sqrt", at, args=parts, end=end))
        elif name == "sum":
            out.append(Token("sum", at, "Σ", end=end))
        elif name == "partial":
            out.append(Token("partial", at, "∂", end=end))
        elif name in _WRAPPERS:
            for a in args:
                inner = self.arg(a, depth)
                if name.startswith("text") or name in ("mbox", "hbox", "emph"):
                    raw = self.source[a.pos:a.pos + a.len]
                    if isinstance(a, lw.LatexGroupNode):
                        raw = raw[1:-1]
                    out.append(Token("text", a.pos, plain(inner), args=[inner],
                                     end=a.pos + a.len, prose=bool(_PROSE.search(raw))))
                else:
                    out.extend(inner)
        elif name in _ACCENTS:
            inner = plain(self.arg(args[0], depth)) if args else ""
            out.append(Token("letter", at, f"\\{name}{{{inner}}}", end=end))
        elif name in _GREEK:
            out.append(Token("letter", at, f"\\{name}", end=end))
        elif name in ("lbrack", "lbrace", "langle"):
            out.append(Token("op", at, "[" if name == "lbrack" else "(", end=end))
        elif name in ("rbrack", "rbrace", "rangle"):
            out.append(Token("op", at, "]" if name == "rbrack" else ")", end=end))
        elif name in ("{", "}"):
            out.append(Token("op", at, "(" if name == "{" else ")", end=end))
        elif name in ("cdots", "ldots", "dots", "vdots", "ddots"):
            out.append(Token("unknown", at, "…", end=end))
        elif name in _SKIPPED:
            self.ignored += [(a.pos, a.pos + a.len) for a in args]
            return not args
        elif name in NAMES:  # after LaTeX's own macros: \dot stays an accent, whatever the table
            out.append(Token("func", at, NAMES[name], end=end))
        else:
            out.append(Token("unknown", at, f"\\{name}", end=end))
        return False

    def arg(self, a, depth: int) -> list[Token]:
        if isinstance(a, lw.LatexGroupNode):
            return self.nodes(a.nodelist, depth + 1)
        return self.nodes([a], depth + 1)

    def environment(self, n, depth: int) -> list[Token]:
        name = n.environmentname
        body = self.nodes(n.nodelist, depth + 1)
        if name in _MATRICES:
            rows: list[list[list[Token]]] = [[[]]]
            for t in body:
                if t.kind == "sep" and t.text in ("\\", "cr", "newline"):
                    rows.append([[]])
                elif t.kind == "amp":
                    rows[-1].append([])
                elif t.kind == "sep" and t.text == "hline":
                    continue
                else:
                    rows[-1][-1].append(t)
            rows = [r for r in rows if any(cell for cell in r)]
            if name == "array" and rows and rows[0] and rows[0][0] and \
                    rows[0][0][0].kind == "group":  # the column spec {cc}
                rows[0][0] = rows[0][0][1:]
            return [Token("matrix", n.pos, name, rows=rows, end=n.pos + n.len)]
        if name in _LINES:
            return [t for t in body if t.kind != "amp"]
        return [Token("unknown", n.pos, f"\\begin{{{name}}}", end=n.pos + n.len)]


def plain(tokens: list[Token]) -> str:
    """The text of tokens with spaces dropped, as the reading rule names
    symbols: \\text{Loss} is "Loss", y_{1\\text{target}} is "y1target"."""
    parts = []
    for t in tokens:
        if t.kind in ("num", "letter", "text", "unknown"):
            parts.append(t.text)
        elif t.kind == "op":
            parts.append({"odot": "⊙"}.get(t.text, t.text) if t.text not in "_" else "")
        elif t.kind == "rel":
            parts.append(t.text)
        elif t.kind == "group":
            parts.append(plain(t.args[0]))
        elif t.kind == "frac":
            parts.append(f"{plain(t.args[0])}/{plain(t.args[1])}")
        elif t.kind in ("partial", "sum", "func"):
            parts.append(t.text)
    return "".join(parts)

