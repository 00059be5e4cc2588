"""`handgrad grad EXPR --at NAME=VALUE...`: an expression's value and
gradients at given inputs, with its nodes, backward steps, derivations and
graph on request; everything is computed before anything is printed, so an
error leaves stdout empty."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Sequence

from autograd import backward_steps, explain, ops
from autograd.errors import finite_number
from autograd.expr import parse
from autograd.expr_program import normal_name
from autograd.graph import forward_order
from autograd.notation import definition, derivative_name, node_names

from .graph_files import write_graph
from .terminal import Style, number, table
from .usage import UsageError, output_file


def _function_list() -> str:
    """The expression language's functions, as the op table declares them."""
    functions = [f for f in ops.FUNCTIONS if f.expression]
    plain = [f.usage for f in functions if f.form is ops.ONE and f.param is None]
    lines = textwrap.wrap(", ".join(plain), 76, initial_indent="  ", subsequent_indent="  ")
    for f in functions:
        if f.form is not ops.ONE or f.param is not None:
            lines.append(f"  {f.usage}")
            if f.param is not None:
                lines[-1] += f"  ({f.param[0]}: a number, default {f.param[1]:g})"
    return "\n".join(lines)


GRAD_EPILOG = f"""\
examples:
  handgrad grad "(sigmoid(w1*x1 + w2*x2) - 2)**2" --at w1=0.1 w2=1.1 x1=1.7 x2=3.5
  handgrad grad "x*y + 1/z" --at x=2 y=3 z=4 --wrt x z
  handgrad grad "tanh(w*x + b)" --at w=0.5 x=2 b=-1 --steps --explain w
  handgrad grad "exp(-x**2)" --at x=0.3 --svg graph.svg
  handgrad grad "tanh(w*x + b)" --at w=0.5 x=2 b=-1 --html backprop.html

the expression language:
  numbers, names (any Python identifier, in any script: w1, 가중치, η; each
  name is one input), + - * / ** (power, not ^),
  unary -, parentheses, and these functions called by name (the op table's):
{_function_list()}
  Nothing is run as Python: anything else is an error that shows where it is.
  An expression starting with '-' goes after --, as in
  handgrad grad -- "-x*y" --at x=1 y=2 (or write it with a leading space: " -x*y").

exit status: 0 ok; 2 bad arguments, expression or values, or a math error;
1 when the graph cannot be drawn on this machine (--svg, --html).
"""


def add_grad(commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "grad", parents=[common], epilog=GRAD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="value and gradients of an expression at given inputs",
        description="Evaluate EXPR at the given inputs and print its value and the\n"
                    "partial derivative with respect to every input.")
    p.add_argument("expr", metavar="EXPR", help="the expression, quoted")
    p.add_argument("--at", metavar="NAME=VALUE", nargs="+", action="extend", default=[],
                   help="a value for every name in EXPR")
    p.add_argument("--wrt", metavar="NAME", nargs="+", action="extend",
                   help="print the derivatives with respect to these inputs only")
    p.add_argument("--name", metavar="NAME",
                   help="what to call the result in the output (default f)")
    p.add_argument("--steps", action="store_true", help="print the backward steps")
    p.add_argument("--explain", metavar="NAME", action="append", default=[],
                   help="print how the gradient of one node (an input, or t1, t2, ... "
                        "as listed under 'nodes') is derived; repeatable")
    p.add_argument("--svg", metavar="FILE", help="write the graph as an SVG file")
    p.add_argument("--html", metavar="FILE",
                   help="write backward step by step on the graph as one web page "
                        "(it works offline; open it in a browser)")
    p.set_defaults(run=run_grad)


OUTPUTS = {"--svg": ((".svg",), "SVG"), "--html": ((".html", ".htm"), "a web page")}
"""What each of grad's output options writes: the file suffixes that say so."""


def parse_assignments(items: Sequence[str]) -> dict[str, float]:
    """`--at` values: NAME=VALUE with a finite number, each name once."""
    values: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name:
            raise UsageError(f"--at {item!r}: expected NAME=VALUE, e.g. x=0.5")
        try:
            x = float(text)
        except ValueError:
            raise UsageError(f"--at {item!r}: {text!r} is not a number") from None
        try:
            x = finite_number(x, "the value")
        except ValueError:  # said as usage: the text was a number, but not a finite one
            raise UsageError(f"--at {item!r}: the value must be finite") from None
        if name in values:
            raise UsageError(f"--at: {name} is given twice")
        values[name] = x
    return values


def _result_name(requested: str | None, inputs: Sequence[str]) -> str:
    if requested is not None:
        if requested in inputs:
            raise UsageError(f"--name {requested}: that is an input of the expression")
        return requested
    return next(n for n in ("f", "F", "out", "result", "f_") if n not in inputs)


def run_grad(args: argparse.Namespace, style: Style) -> int:
    expr = parse(args.expr)
    values = parse_assignments(args.at)
    wrt = [normal_name(n) for n in args.wrt] if args.wrt else list(expr.names)
    unknown = [n for n in wrt if n not in expr.names]
    if unknown:
        raise UsageError(f"--wrt {' '.join(unknown)}: not an input of the expression "
                         f"(inputs: {', '.join(expr.names) or 'none'})")
    result_name = _result_name(args.name, expr.names)
    root, leaves = expr.evaluate(values)
    if root.label is None:  # an expression that is just an input keeps its name
        root.named(result_name)
    root.backward()
    names = node_names(root)
    by_name = {name: v for v, name in names.items()}
    explained = [normal_name(n) for n in args.explain]
    for name in explained:
        if name not in by_name:
            raise UsageError(f"--explain {name}: no node has that name "
                             f"(nodes: {', '.join(by_name)})")
    # Everything is computed before anything is printed: an error leaves stdout empty.
    out = root.label
    lines = [f"{out} = {expr.text.strip()}", style.bold(f"{out} = {number(root.data)}")]
    if wrt:
        rows = [(n, number(leaves[n].data), number(leaves[n].grad)) for n in wrt]
        lines += ["", *table(("input", "value", derivative_name(out, "input")), rows, style,
                             right=(False, True, True))]
    if args.steps or args.explain:  # both name the computed nodes t1, t2, ...
        lines += ["", style.bold("nodes")]
        for v in forward_order(root):  # the order the names are numbered in
            if not v.is_leaf:
                lines.append(definition(v, names, number=number))
    # the nodes are listed above: the steps and derivations need not define them again
    if args.steps:
        lines += ["", style.bold("backward steps"), *(s.line for s in backward_steps(root))]
    for name in explained:
        lines += ["", explain(root, by_name[name]).text(define_names=False)]
    for path, option in ((args.svg, "--svg"), (args.html, "--html")):
        if path:
            output_file(path, option, *OUTPUTS[option])
    for path, option in ((args.svg, "--svg"), (args.html, "--html")):
        if path:
            if not write_graph(root, path, "grad", option=option, page=option == "--html"):
                return 1
            print(f"wrote {path}", file=sys.stderr)
    print("\n".join(lines))
    return 0
