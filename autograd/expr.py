"""A small expression language for the command line and answer sheets.

`parse("(sigmoid(w1*x1 + w2*x2) - 2)**2")` turns text into an `Expr`, and
`Expr.evaluate({"w1": 0.1, ...})` builds the handgrad graph from it.  The text
is never run as Python: `ast.parse` only gives a syntax tree, and the tree is
walked against a whitelist (numbers, names, + − × ÷ **, unary ±, parentheses,
calls of the functions in `FUNCTIONS` by name).  Anything else is an
`ExprError` that shows where it is.  Inputs are bounded before Python's parser
sees them (length, bracket depth, operator count), so no input can make the
parser recurse too deeply, and numbers are floats computed through the op
table, so `9**9**9` is an overflow error, not a huge integer.

A name is any Python identifier, in any script (`가중치*입력 + 편향`, `η`),
compared as Python compares them: in NFKC normal form (`normal_name`), so
`ｘ` is `x` and a Hangul name typed decomposed is the same name composed.
Characters that look like operators are refused with a hint even where
Python would take them into a name (`x·y` is a product, not one name).

Each name is one leaf shared by all its occurrences, labelled with the name
(or an existing node given to `evaluate`); numbers stay plain numbers (an
expression of numbers only is folded to one).
"""

from __future__ import annotations

import ast
import difflib
import operator
import re
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Callable

from . import ops
from .errors import finite_number
from .expr_program import Expr, ExprError, normal_name
from .functions import BY_NAME
from .value import Value, apply

MAX_LENGTH = 10_000
"""Longest accepted expression, in characters."""
MAX_BRACKET_DEPTH = 100
"""Deepest bracket nesting (Python's own parser stops at 200)."""
MAX_OPERATORS = 1_000
"""Most operator symbols: bounds the tree depth Python's parser must build."""
MAX_NODES = 3_000
"""Most syntax-tree nodes (far more than any expression a person checks by hand)."""


# -- the function whitelist ------------------------------------------------------

@dataclass(frozen=True)
class _Function:
    fn: Callable[..., Value]
    min_args: int
    max_args: int | None   # None: any number
    usage: str
    sequences: bool = False  # arguments are (a, b, ...) tuples: dot, linear
    param: str | None = None  # the name of a number-only argument after x (leaky_relu's slope)


def _entry(f: ops.Function) -> _Function:
    """How an expression calls `f` of the op table: its arguments as the
    function's form says, and numbers stay numbers (so an expression of numbers
    folds to one number, with the engine's errors)."""
    op = f.op
    lo, hi = f.form.arity
    if f.form is ops.ONE:
        more = () if f.param is None else (f.param[1],)  # the default of the parameter

        def fn(x, *given):
            return apply(op, x, *(given or more))
        hi += f.param is not None
    elif f.form is ops.MANY:
        def fn(*xs):
            return apply(op, *xs)
    else:
        fn = BY_NAME[f.name]
    return _Function(fn, lo, hi, f.usage, f.form.sequences, f.param and f.param[0])


_FUNCTIONS: dict[str, _Function] = {f.name: _entry(f) for f in ops.FUNCTIONS if f.expression}
"""The whitelist of callable names: the op table's functions that give one node."""

FUNCTIONS: tuple[str, ...] = tuple(sorted(_FUNCTIONS))
"""The names that can be called in an expression."""

# With a Value the Python operator (so the engine picks 1/x, x**y, 2**x), else the op.
_BINARY = {
    ast.Add: (operator.add, ops.ADD),
    ast.Sub: (operator.sub, ops.SUB),
    ast.Mult: (operator.mul, ops.MUL),
    ast.Div: (operator.truediv, ops.DIV),
    ast.Pow: (operator.pow, ops.POW),
}

_OPERATOR_HINTS = {
    ast.BitXor: "'^' is not a power here: write x**2",
    ast.FloorDiv: "'//' (floor division) is not supported",
    ast.Mod: "'%' (remainder) is not supported",
    ast.MatMult: "'@' (matrix product) is not supported",
    ast.BitAnd: "'&' is not supported", ast.BitOr: "'|' is not supported",
    ast.LShift: "'<<' is not supported", ast.RShift: "'>>' is not supported",
    ast.Not: "'not' is not supported", ast.Invert: "'~' is not supported",
}

_REJECTED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts (x[...]) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed",
    ast.IfExp: "conditional expressions (a if c else b) are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "starred arguments (*x) are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}

_CHARACTER_HINTS = {
    "×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "√": "sqrt(...)", "²": "**2", "³": "**3",
    "\u00a0": "a plain space", "\u3000": "a plain space",  # no-break and ideographic spaces
}
_FUNCTION_HINTS = {"σ": "sigmoid(...)"}
"""Names that are fine as names but are not the functions they look like."""
_FORBIDDEN_CHARACTERS = {
    "#": "comments (#) are not allowed",
    "\\": "backslashes are not allowed",
}
_OPERATOR_SYMBOL = re.compile(r"\*\*|[-+*/]")


# -- parsing ------------------------------------------------------------------------

def parse(text: str) -> Expr:
    """Parse `text` into an `Expr`, or raise `ExprError` pointing at the
    first part (in reading order) that is not in the language."""
    if not isinstance(text, str):
        raise TypeError(f"an expression must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is {len(text):,} characters long; "
                        f"the limit is {MAX_LENGTH:,}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(text)
    lead = len(text) - len(text.lstrip())
    if lead == len(text):
        raise ExprError("the expression is empty")
    tree = _syntax_tree(text, lead)
    return _compile(tree.body, text, lead)


def as_name(text: str) -> str | None:
    """`text` as the expression language reads it when it is one name (an
    input): in the normal form of `normal_name`; None when an expression
    could not use it as a name (not an identifier, a keyword, a function,
    starting with __).  The parser itself decides, so there is one rule."""
    if not isinstance(text, str) or text != text.strip():
        return None
    try:
        names = parse(text).names
    except ExprError:
        return None
    return names[0] if len(names) == 1 and normal_name(text) == names[0] else None


def _check_characters(text: str) -> None:
    depth = 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                raise ExprError(f"brackets nest more than {MAX_BRACKET_DEPTH} deep", text, i)
        elif c in ")]}":
            depth -= 1
        elif c in _FORBIDDEN_CHARACTERS:
            raise ExprError(_FORBIDDEN_CHARACTERS[c], text, i)
        elif not (" " <= c <= "~" or c in "\t\n"):
            hint = _CHARACTER_HINTS.get(c)
            if hint is None and ("a" + c).isidentifier():
                continue  # a letter or digit of any script, part of a name
            what = f"character {c!r} (U+{ord(c):04X}) is not allowed"
            ascii_form = unicodedata.normalize("NFKC", c)
            if hint is None and ascii_form.isascii() and ascii_form.isprintable():
                hint = ascii_form  # a full-width ＊ or （ from an input method
            raise ExprError(f"{what}; write {hint}" if hint else
                            f"{what}: names are letters (of any script), digits and _; the "
                            f"operators are + - * / ** ( ) ,", text, i)
    n = len(_OPERATOR_SYMBOL.findall(text))
    if n > MAX_OPERATORS:
        raise ExprError(f"the expression has {n:,} operators; the limit is {MAX_OPERATORS:,}")


_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d[\d_]*(?:\.\d*)?|\.\d+)([^\W\d]\w*)")
"""A number written against a name, as on paper: 2x, 0.5w1, 2가중치 (never valid Python)."""


def _syntax_tree(text: str, lead: int) -> ast.Expression:
    """Python's parser, used only to get the tree.  Leading blank space is
    skipped (eval mode would call it an indent); offsets stay in `text`."""
    body = text[lead:]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "'int' object is not callable"
            return ast.parse(body, mode="eval")
    except SyntaxError as e:
        if not e.offset:  # 0: the input ended where Python wanted more ("x *")
            last = len(text.rstrip()) - 1
            raise ExprError(f"syntax error: the expression ends too soon, after {text[last]!r}",
                            text, last) from None
        start = _offset(text, lead, e.lineno or 1, (e.offset or 1) - 1)
        end = None
        if e.end_lineno is not None and e.end_offset is not None and e.end_offset > 0:
            end = _offset(text, lead, e.end_lineno, e.end_offset - 1)
        product = next((m for m in _IMPLICIT_PRODUCT.finditer(text)
                        if m.start() <= start < m.end()), None)
        if product is not None:  # "2x": Python says "invalid decimal literal"
            raise ExprError(f"write {product[1]}*{product[2]}: a number and a name need * "
                            f"between them", text, product.start(), product.end()) from None
        raise ExprError(f"syntax error: {e.msg}", text, min(start, len(text) - 1), end) from None
    except (RecursionError, MemoryError):
        raise ExprError("the expression nests too deeply") from None


def _offset(text: str, lead: int, lineno: int, col: int, utf8: bool = False) -> int:
    """Character offset in `text` of (line, column) in `text[lead:]`; with
    `utf8`, `col` counts bytes of the line in UTF-8, as the syntax tree's
    offsets do (a SyntaxError's count characters)."""
    i = lead
    for _ in range(lineno - 1):
        j = text.find("\n", i)
        if j < 0:
            return len(text)
        i = j + 1
    if utf8:  # 가 is three bytes: count the characters those bytes hold
        col = len(text[i:].encode()[:col].decode(errors="ignore"))
    return i + col


def _span(node: ast.AST, text: str, lead: int) -> tuple[int, int]:
    return (_offset(text, lead, node.lineno, node.col_offset, utf8=True),
            _offset(text, lead, node.end_lineno, node.end_col_offset, utf8=True))


def _compile(root: ast.expr, text: str, lead: int) -> Expr:
    """Check every node against the whitelist and flatten the tree into a
    postfix program, without recursion (so tree depth costs no stack)."""
    program: list = []
    names: dict[str, None] = {}
    count = 0
    todo: list = [(root, None)]  # (node, None) to check; (node, instruction) to emit
    while todo:
        node, emit = todo.pop()
        if emit is not None:
            program.append(emit)
            continue
        count += 1
        if count > MAX_NODES:
            raise ExprError(f"the expression has more than {MAX_NODES:,} parts")
        span = _span(node, text, lead)

        def fail(reason: str, where: ast.AST | tuple[int, int] = node):
            at = where if isinstance(where, tuple) else _span(where, text, lead)
            raise ExprError(reason, text, *at)

        if isinstance(node, ast.Constant):
            program.append(("num", _number(node.value, fail), span, None))
        elif isinstance(node, ast.Name):
            if node.id.startswith("__"):
                fail(f"the name {node.id!r} is not allowed (names must not start with __)")
            if node.id in _FUNCTIONS:
                fail(f"{node.id!r} is a function: call it as {_FUNCTIONS[node.id].usage}")
            names.setdefault(node.id)
            program.append(("name", node.id, span, None))
        elif isinstance(node, ast.BinOp):
            entry = _BINARY.get(type(node.op))
            if entry is None:
                fail(_operator_reason(node.op), _operator_span(node, text, lead))
            parts = (_span(node.left, text, lead), _span(node.right, text, lead))
            todo += [(node, ("bin", entry, span, parts)), (node.right, None), (node.left, None)]
        elif isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                parts = (_span(node.operand, text, lead),)
                todo += [(node, ("neg", None, span, parts)), (node.operand, None)]
            elif isinstance(node.op, ast.UAdd):
                todo.append((node.operand, None))
            else:
                width = 3 if isinstance(node.op, ast.Not) else 1
                fail(_operator_reason(node.op), (span[0], span[0] + width))
        elif isinstance(node, ast.Call):
            todo += _call(node, span, fail, text, lead)
        elif isinstance(node, (ast.Tuple, ast.List)):
            fail("a tuple or list is only allowed as an argument of dot(...) or linear(...)")
        else:
            raise _rejection(node, text, lead)
    return Expr(text, tuple(names), tuple(program))


def _rejection(node: ast.AST, text: str, lead: int) -> ExprError:
    """The error for a node outside the whitelist.  In an attribute chain
    `a.b.c` the first `.b` is blamed: it is the first offence when reading."""
    reason = _REJECTED.get(type(node), f"this syntax ({type(node).__name__}) is not allowed")
    if isinstance(node, ast.Attribute):
        while isinstance(node.value, ast.Attribute):
            node = node.value
        start, end = _span(node, text, lead)
        dot_at = text.rfind(".", start, end - len(node.attr))
        return ExprError(f"{reason}: '.{node.attr}'", text, dot_at, end)
    return ExprError(reason, text, *_span(node, text, lead))


def _number(value, fail) -> float:
    """A literal as a float: ints are converted, so no big integer is ever made."""
    t = type(value)
    if t is complex:
        fail("complex numbers are not allowed")
    if t is str or t is bytes:
        fail("strings are not allowed")
    if t is not int and t is not float:  # True, None, ...
        fail(f"{value!r} is not a number")
    try:
        return finite_number(value, "number")
    except ValueError:  # a literal is never nan or inf: it is too large
        fail("this number is too large for a float")


def _operator_reason(op: ast.AST) -> str:
    return _OPERATOR_HINTS.get(type(op), f"the operator {type(op).__name__} is not supported")


def _operator_span(node: ast.BinOp, text: str, lead: int) -> tuple[int, int]:
    """Where the operator symbol is: the first non-space after the left operand
    (skipping any closing brackets of the left operand)."""
    i = _span(node.left, text, lead)[1]
    while i < len(text) and text[i] in " \t\n)":
        i += 1
    j = i
    while j < len(text) and text[j] in "^/%@&|<>*":
        j += 1
    return i, max(j, i + 1)


def _call(node: ast.Call, span: tuple[int, int], fail, text: str, lead: int) -> list:
    """The work items for a whitelisted call, after checking its shape."""
    if isinstance(node.func, (ast.Attribute, ast.Subscript)):
        raise _rejection(node.func, text, lead)
    if not isinstance(node.func, ast.Name):
        fail("only the functions " + ", ".join(FUNCTIONS) + " can be called, by name",
             node.func)
    name = node.func.id
    function = _FUNCTIONS.get(name)
    if function is None and name in _FUNCTION_HINTS:
        fail(f"{name!r} is not a function here; write {_FUNCTION_HINTS[name]}", node.func)
    if function is None:
        near = difflib.get_close_matches(name, FUNCTIONS, n=3, cutoff=0.6)
        near.sort(key=lambda f: sorted(f) != sorted(name))  # swapped letters first: tahn → tanh, not tan
        fail(f"unknown function {name!r}" + (f" (did you mean {near[0]}?)" if near else "")
             + f"; the functions are: {', '.join(FUNCTIONS)}", node.func)
    if node.keywords:
        fail(f"keyword arguments are not allowed: {function.usage}", node.keywords[0])
    for a in node.args:
        if isinstance(a, ast.Starred):
            fail("starred arguments (*x) are not allowed", a)
    n = len(node.args)
    if n < function.min_args or (function.max_args is not None and n > function.max_args):
        fail(f"{name} takes {_count(function)}, got {n}: {function.usage}")
    parts = None if function.sequences else tuple(_span(a, text, lead) for a in node.args)
    items: list = [(node, ("call", (function, n), span, parts))]
    arguments = []
    for i, a in enumerate(node.args):
        if function.sequences and i < 2:
            if not isinstance(a, (ast.Tuple, ast.List)):
                fail(f"argument {i + 1} of {name} must be a tuple like (a, b): "
                     f"{function.usage}", a)
            if not a.elts:
                fail(f"argument {i + 1} of {name} is empty", a)
            for e in a.elts:
                if isinstance(e, ast.Starred):
                    fail("starred arguments (*x) are not allowed", e)
            arguments.append((a, ("seq", len(a.elts), span, None)))
            arguments.extend((e, None) for e in a.elts)
        else:
            if function.param is not None and i == 1 and _has_name(a):
                fail(f"the {function.param} of {name} must be a number", a)
            arguments.append((a, None))
    if function.sequences and len(node.args[0].elts) != len(node.args[1].elts):
        fail(f"the two tuples of {name} differ in length "
             f"({len(node.args[0].elts)} and {len(node.args[1].elts)})")
    # `todo` is a stack: push arguments last-first so they are checked first-first,
    # and each tuple's "seq" after its elements.
    for group in reversed(_groups(arguments)):
        items.extend(group)
    return items


def _groups(arguments: list) -> list[list]:
    """Arguments as stack pushes: a tuple marker goes before (below) its elements."""
    groups, i = [], 0
    while i < len(arguments):
        node, emit = arguments[i]
        if emit is not None:  # a tuple: its marker, then its elements reversed
            n = emit[1]
            groups.append([(node, emit)] + list(reversed(arguments[i + 1:i + 1 + n])))
            i += 1 + n
        else:
            groups.append([(node, None)])
            i += 1
    return groups


def _has_name(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) for n in ast.walk(node))


def _count(function: _Function) -> str:
    lo, hi = function.min_args, function.max_args
    if hi is None:
        return f"at least {lo} argument{'s' * (lo != 1)}"
    if lo == hi:
        return f"{lo} argument{'s' * (lo != 1)}"
    return f"{lo} to {hi} arguments"
