"""The op table's list of public functions drives every entry point.

For each entry of `autograd.ops.FUNCTIONS` this checks that every entry point
the entry promises exists and builds a node of the entry's op: the Value
method, the free function (with its signature, in `autograd.__all__`), the
expression language's whitelist and the README's list; and the reverse,
that nothing offers a function the table does not have.  A new op missing
from any entry point fails here by name.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import autograd
from autograd import Value, functions, ops
from autograd.expr import FUNCTIONS as EXPRESSION_FUNCTIONS
from autograd.expr import parse
from handgrad.grad_command import GRAD_EPILOG

README_PATH = Path(__file__).resolve().parent.parent / "README.md"
README = README_PATH.read_text(encoding="utf-8")
ENTRIES = {f.name: f for f in ops.FUNCTIONS}

# arguments every op accepts (positive, away from kinks), per form
PYTHON_ARGS = {
    ops.ONE: lambda: [Value(0.5, "x")],
    ops.MANY: lambda: [[Value(0.5, "x"), Value(0.25, "y")]],
    ops.VARIADIC: lambda: [Value(0.5, "x"), Value(0.25, "y")],
    ops.BOUNDS: lambda: [Value(0.5, "x"), 0.0, 1.0],
    ops.OUTPUTS: lambda: [[Value(0.5, "x"), Value(0.25, "y")]],
    ops.PAIRS: lambda: [[Value(0.5, "x"), Value(0.25, "y")], [Value(2.0, "u"), 3.0]],
    ops.PAIRS_AND_BIAS: lambda: [[Value(0.5, "x"), Value(0.25, "y")], [Value(2.0, "u"), 3.0],
                                 Value(1.0, "b")],
}
EXPRESSION_CALLS = {
    ops.ONE: "{f}(x)",
    ops.MANY: "{f}(x, y)",
    ops.VARIADIC: "{f}(x, y)",
    ops.BOUNDS: "{f}(x, 0, 1)",
    ops.PAIRS: "{f}((x, y), (y, x))",
    ops.PAIRS_AND_BIAS: "{f}((x, y), (y, x), x)",
}


def made_by(f: ops.Function, out) -> bool:
    """`out` (a node, or a list of them) is what `f`'s op makes."""
    nodes = out if isinstance(out, list) else [out]
    return all(isinstance(v, Value) and v.op is not None and v.op.base is f.op for v in nodes)


@pytest.mark.parametrize("f", ops.FUNCTIONS, ids=list(ENTRIES))
def test_every_entry_point_an_entry_promises_exists(f):
    assert ops.OPS[f.op.name] is f.op
    if f.method:
        method = getattr(Value, f.name, None)
        assert callable(method), f"Value.{f.name} is missing"
        assert made_by(f, method(*PYTHON_ARGS[f.form]()))
        assert f.op.rule in method.__doc__
    if f.export:
        function = getattr(autograd, f.name, None)
        assert callable(function) and f.name in autograd.__all__, f"autograd.{f.name} is missing"
        assert function.__name__ == f.name and f.op.rule in function.__doc__
        params = list(inspect.signature(function).parameters)
        assert params == list(f.form.params) + ([f.param[0]] if f.param else [])
        assert made_by(f, function(*PYTHON_ARGS[f.form]()))
    else:
        assert f.name not in autograd.__all__
    if f.expression:
        assert f.name in EXPRESSION_FUNCTIONS, f"{f.name} is missing from the expression language"
        call = EXPRESSION_CALLS[f.form].format(f=f.name)
        expr = parse(call)
        out, _ = expr.evaluate({name: {"x": 0.5, "y": 0.25}[name] for name in expr.names})
        assert made_by(f, out), call
    else:
        assert f.name not in EXPRESSION_FUNCTIONS


def test_a_number_parameter_is_the_tables_by_name_and_default():
    for f in ops.FUNCTIONS:
        if f.param is None:
            continue
        name, default = f.param
        for entry in (getattr(Value, f.name), getattr(autograd, f.name)):
            assert inspect.signature(entry).parameters[name].default is default
        at_half = getattr(autograd, f.name)(Value(-2.0), **{name: 0.5})
        assert at_half.args[1] == 0.5  # given by keyword, kept as the op's second argument


def test_nothing_offers_a_function_the_table_lacks():
    table = set(ENTRIES)
    assert set(EXPRESSION_FUNCTIONS) <= table
    assert set(functions.__all__) - set(functions.ALIASES) <= table
    assert functions.vsum is autograd.sum and autograd.vmax is autograd.max
    assert autograd.vmin is autograd.min
    # every op is made by an operator or by one of the table's functions
    x, y = Value(2.0), Value(3.0)
    by_operators = {v.op.name for v in (x + y, x - y, x * y, x / y, -x, x ** 2, 2 ** x, x ** y)}
    assert {op.name for op in ops.OPERATORS} == by_operators
    assert set(ops.OPS) == by_operators | {f.op.name for f in ops.FUNCTIONS}
    assert len(ops.OPS) == len(ops.OPERATORS) + len(ops.FUNCTIONS)  # one function per op


def test_the_readme_and_the_help_list_every_function():
    """The README's API table names each public function (in backticks), and
    `handgrad grad --help` shows how to call each one an expression can."""
    for f in ops.FUNCTIONS:
        if f.export or f.method:
            assert re.search(rf"`[^`]*\b{f.name}\b[^`]*`", README), f"README lacks {f.name}"
        if f.expression:
            assert f.usage in GRAD_EPILOG, f"handgrad grad --help lacks {f.usage}"


def test_forms_decide_what_an_entry_can_be():
    # a form with several outputs is no expression; only forms that start with x are methods
    assert not ENTRIES["softmax"].expression and not ENTRIES["sum"].method
    assert not ENTRIES["max"].method and ENTRIES["clip"].method
    assert ENTRIES["leaky_relu"].usage == "leaky_relu(x) or leaky_relu(x, slope)"
    assert {form.name for form in PYTHON_ARGS} == {f.form.name for f in ops.FUNCTIONS}


# -- the README's table of ops, made from the table ----------------------------------

OPERATOR_SYNTAX = {"add": "a + b", "sub": "a - b", "mul": "a * b", "div": "a / b", "neg": "-a",
                   "pow": "x ** n (n a number)", "rpow": "c ** x (c a number)",
                   "powv": "a ** b"}
"""How Python writes each operator's op (value.py's dunder methods make them)."""
TABLE_START = "<!-- ops: made from autograd/ops.py by `python tests/test_op_table.py` -->"
TABLE_END = "<!-- end of ops -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _python_calls(f: ops.Function) -> str:
    params = ", ".join(f.form.params[1:] + ((f.param[0],) if f.param else ()))
    calls = [f"`x.{f.name}({params})`"] if f.method else []
    if f.export:
        args = ", ".join(f.form.params + ((f.param[0],) if f.param else ()))
        calls.append(f"`{f.name}(a, b, ...)` or `{f.name}(xs)`" if f.form is ops.VARIADIC
                     else f"`{f.name}({args})`")
    return ", ".join(calls) or {"abs": "`abs(x)`"}[f.name]


def ops_table() -> str:
    """The README's table: every op with how it is written and its rule."""
    rows = ["| op | in Python (`autograd.…`) | in expressions | the derivative rule |",
            "|---|---|---|---|"]
    for op in ops.OPERATORS:
        syntax = OPERATOR_SYNTAX[op.name]
        rows.append(f"| {op.name} | `{syntax}` | `{syntax.split(' (')[0]}` | {_cell(op.rule)} |")
    for f in ops.FUNCTIONS:
        expression = f"`{f.usage}`" if f.expression else "—"
        rows.append(f"| {f.name} | {_cell(_python_calls(f))} | {_cell(expression)} | "
                    f"{_cell(f.op.rule)} |")
    return "\n".join([TABLE_START, *rows, TABLE_END])


def test_the_readme_table_of_ops_is_the_op_table():
    start, end = README.find(TABLE_START), README.find(TABLE_END)
    assert 0 <= start < end, "the README has no table of ops"
    assert README[start:end + len(TABLE_END)] == ops_table(), (
        "the README's table of ops differs from autograd/ops.py: run "
        "`.venv/bin/python tests/test_op_table.py` to write it again")


if __name__ == "__main__":  # rewrite the README's table from the op table
    start, end = README.find(TABLE_START), README.find(TABLE_END)
    README_PATH.write_text(README[:start] + ops_table() + README[end + len(TABLE_END):],
                           encoding="utf-8")
