"""The `handgrad` command: answers without opening Python.

One argparse subparser per command; each command is an `add_*` function
that declares its arguments and sets `run`, a function of the parsed
arguments and the output `Style` that returns the exit code.  Bad input
(usage, expressions, values, math errors) is one error message on stderr and
exit code 2, so scripts can tell it from a run that worked.  Output is plain
text; colour only on a terminal, never with NO_COLOR set or `--no-color`.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import textwrap
from dataclasses import dataclass
from typing import Callable, Sequence

from .expr import FUNCTIONS, ExprError, parse
from .naming import node_names
from .value import NumericError, Value, backward_order, linear, sigmoid

PROG = "handgrad"


class UsageError(Exception):
    """Input the command cannot use; the message names the problem."""


@dataclass(frozen=True)
class Style:
    """ANSI styling, or none: decided once per run from the flags, NO_COLOR
    and whether stdout is a terminal."""

    color: bool

    @classmethod
    def for_stream(cls, stream, no_color: bool) -> "Style":
        isatty = getattr(stream, "isatty", None)
        return cls(not no_color and not os.environ.get("NO_COLOR")
                   and isatty is not None and isatty())

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.color else text


def number(x: float) -> str:
    """How every number is printed: 10 significant digits, enough to compare
    with a hand answer and short enough to read."""
    return f"{x:.10g}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], style: Style,
          right: Sequence[bool] = ()) -> list[str]:
    """An aligned plain-text table; columns flagged in `right` are right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells):
        parts = [c.rjust(w) if i < len(right) and right[i] else c.ljust(w)
                 for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    return [style.bold(line(header)), style.dim(line(["-" * w for w in widths]))] + [
        line(r) for r in rows]


# -- handgrad grad --------------------------------------------------------------------

GRAD_EPILOG = f"""\
examples:
  handgrad grad "(sigmoid(w1*x1 + w2*x2) - 2)**2" --at w1=0.1 w2=1.1 x1=1.7 x2=3.5
  handgrad grad "x*y + 1/z" --at x=2 y=3 z=4 --wrt x z
  handgrad grad "tanh(w*x + b)" --at w=0.5 x=2 b=-1 --steps --explain w
  handgrad grad "exp(-x**2)" --at x=0.3 --svg graph.svg

the expression language:
  numbers, names (each name is one input), + - * / ** (power, not ^),
  unary -, parentheses, and these functions called by name:
{textwrap.fill(", ".join(FUNCTIONS), 76, initial_indent="  ", subsequent_indent="  ")}
  leaky_relu(x, slope) takes an optional numeric slope (default 0.01);
  sum/mean/logsumexp take any number of arguments; dot((a1, a2), (b1, b2));
  linear((w1, w2), (x1, x2), b) is a neuron's z = w1*x1 + w2*x2 + b.
  Nothing is run as Python: anything else is an error that shows where it is.
  An expression starting with '-' needs a leading space: " -x*y".

exit status: 0 ok; 2 bad arguments, expression or values, or a math error;
1 when the graph cannot be drawn on this machine (--svg).
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
    p.set_defaults(run=run_grad)


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
        if not math.isfinite(x):
            raise UsageError(f"--at {item!r}: the value must be finite")
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
    wrt = args.wrt or list(expr.names)
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
    for name in args.explain:
        if name not in by_name:
            raise UsageError(f"--explain {name}: no node has that name "
                             f"(nodes: {', '.join(by_name)})")
    # Everything is computed before anything is printed: an error leaves stdout empty.
    out = root.label
    lines = [f"{out} = {expr.text.strip()}", style.bold(f"{out} = {number(root.data)}")]
    if wrt:
        rows = [(n, number(leaves[n].data), number(leaves[n].grad)) for n in wrt]
        lines += ["", *table(("input", "value", f"∂{out}/∂input"), rows, style,
                             right=(False, True, True))]
    if args.steps or args.explain:  # both name the computed nodes t1, t2, ...
        lines += ["", style.bold("nodes")]
        for v in reversed(backward_order(root)):
            if not v.is_leaf:
                argnames = [names[a] if type(a) is Value else f"{a:g}" for a in v.args]
                lines.append(f"{names[v]} = {v.op.expr(argnames)} = {number(v.data)}")
    if args.steps:
        from .steps import backward_steps
        lines += ["", style.bold("backward steps"), *map(str, backward_steps(root))]
    if args.explain:
        from .explain import explain
        for name in args.explain:
            lines += ["", str(explain(root, by_name[name]))]
    if args.svg and not _write_svg(root, args.svg):
        return 1
    print("\n".join(lines))
    return 0


def _write_svg(root: Value, path: str) -> bool:
    from .draw import draw
    from .render import RenderError
    try:
        svg = draw(root).to_svg()
    except RenderError as e:  # this machine cannot render; the input is fine
        print(f"{PROG} grad: cannot draw the graph: {e}", file=sys.stderr)
        return False
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
    except OSError as e:
        raise UsageError(f"--svg {path}: {e.strerror or e}") from None
    print(f"wrote {path}", file=sys.stderr)
    return True


# -- handgrad demo (seed 000, Q3-Q4; to be replaced by the full demo) ------------------

DEMO_EPILOG = """\
example:
  handgrad demo

Seed 000 (ToBig's week 4 homework), Q3-Q4: inputs x1=0.2, x2=0.5; a 2-2-2
network with sigmoid activations, loss 1/2 * sum((y - target)^2) with targets
1 and 0, and one SGD step (learning rate 0.1) on w(1)10 and w(0)10.
"""


def add_demo(commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "demo", parents=[common], epilog=DEMO_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="a worked homework: forward, backward and one SGD step",
        description="Reproduce a hand-derived backpropagation homework with handgrad.")
    p.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace, style: Style) -> int:
    x1, x2 = Value(0.2, "x1"), Value(0.5, "x2")
    first = {k: Value(v, f"w(0){k}") for k, v in (("10", .2), ("20", .1), ("11", .1), ("21", .2))}
    second = {k: Value(v, f"w(1){k}") for k, v in (("10", .4), ("20", .1), ("11", .5), ("21", .3))}
    z10 = linear([first["10"], first["20"]], [x1, x2]).named("z10")
    z11 = linear([first["11"], first["21"]], [x1, x2]).named("z11")
    a10, a11 = sigmoid(z10).named("a10"), sigmoid(z11).named("a11")
    z20 = linear([second["10"], second["20"]], [a10, a11]).named("z20")
    z21 = linear([second["11"], second["21"]], [a10, a11]).named("z21")
    y1, y2 = sigmoid(z20).named("y1"), sigmoid(z21).named("y2")
    loss = (0.5 * ((y1 - 1) ** 2 + (y2 - 0) ** 2)).named("Loss")
    loss.backward()

    print(style.bold("seed 000, Q3-Q4: forward"))
    names = node_names(loss)
    for v in (z10, z11, a10, a11, z20, z21, y1, y2):
        print(f"  {v.label} = {v.op.expr([names[a] for a in v.args])} = {number(v.data)}")
    print(f"  Loss = 1/2 * ((y1 - 1)^2 + (y2 - 0)^2) = {number(loss.data)}")
    print(style.bold("backward: ∂Loss/∂w"))
    rows = [(w.label, number(w.data), number(w.grad))
            for w in (*first.values(), *second.values())]
    print("\n".join("  " + line for line in table(
        ("weight", "value", "∂Loss/∂weight"), rows, style, right=(False, True, True))))
    print(style.bold("SGD step, learning rate 0.1"))
    for w in (second["10"], first["10"]):
        print(f"  {w.label} <- {number(w.data)} - 0.1 * {number(w.grad)} "
              f"= {number(w.data - 0.1 * w.grad)}")
    return 0


# -- the entry point ----------------------------------------------------------------------

COMMANDS: tuple[Callable, ...] = (add_grad, add_demo)
"""Each adds one subcommand: `add(commands, common)`."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--no-color", action="store_true",
                        help="no colour, even on a terminal (NO_COLOR does the same)")
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="handgrad: backpropagation you can check by hand.",
        epilog="examples:\n"
               "  handgrad grad \"(sigmoid(w1*x1 + w2*x2) - 2)**2\" "
               "--at w1=0.1 w2=1.1 x1=1.7 x2=3.5\n"
               "  handgrad demo\n\n"
               "`handgrad COMMAND --help` describes each command.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `handgrad` with `argv` (default: the process arguments); returns
    the exit code."""
    args = build_parser().parse_args(argv)
    style = Style.for_stream(sys.stdout, args.no_color)
    try:
        code = args.run(args, style)
        sys.stdout.flush()  # here, so a closed pipe is caught below, not at exit
        return code
    except (UsageError, ExprError, NumericError) as e:
        print(f"{PROG} {args.command}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`handgrad ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
