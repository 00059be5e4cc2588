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
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from autograd import CheckReport, NumericError, RenderError, Value, backward_steps, explain, ops
from autograd.draw import GraphTooLargeError, draw
from autograd.errors import finite_number
from autograd.expr import ExprError, parse
from autograd.expr_program import normal_name
from autograd.graph import forward_order
from autograd.notation import align, count, definition, derivative_name, display_width, \
    format_number, node_names
from autograd.player import player
from autograd.rounding import CLOSE, CORRECT, WRONG

from .grade_command import add_grade, demo_samples
from .sheet import Built, Sheet, SheetError, bundled, load
from . import rows
from .environment import how_to_run, missing_dependency
from .checked import Checked, csv_rows, json_document, summary_lines
from .sheet_format import reference
from .usage import UsageError, output_file, unrecognized
from .user_files import submission_suffix

PROG = "handgrad"


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

    def good(self, text: str) -> str:
        return f"\033[32m{text}\033[0m" if self.color else text

    def bad(self, text: str) -> str:
        return f"\033[31m{text}\033[0m" if self.color else text


def number(x: float) -> str:
    """How every number is printed: 10 significant digits, enough to compare
    with a hand answer and short enough to read."""
    return f"{x:.10g}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], style: Style,
          right: Sequence[bool] = ()) -> list[str]:
    """A plain-text table aligned in a terminal's columns (Hangul takes two);
    columns flagged in `right` are right-aligned."""
    widths = [max(display_width(h), *(display_width(r[i]) for r in rows))
              for i, h in enumerate(header)]

    def line(cells):
        parts = [align(c, w, right=i < len(right) and right[i])
                 for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    return [style.bold(line(header)), style.dim(line(["-" * w for w in widths]))] + [
        line(r) for r in rows]


# -- handgrad grad --------------------------------------------------------------------

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
            if not _write_svg(root, path, "grad", option=option, page=option == "--html"):
                return 1
            print(f"wrote {path}", file=sys.stderr)
    print("\n".join(lines))
    return 0


def _write_svg(root: Value, path: str | Path, command: str, *, model=None,
               option: str = "--svg", page: bool = False) -> bool:
    """Draw `root` (after backward, so grads show) into an SVG file, or with
    `page` write the step-through player's page.  False, with a message,
    when this machine cannot render or the graph is too large to read; an
    unwritable path is a UsageError."""
    root.backward()
    try:
        svg = player(root, model=model).html if page else draw(root, model=model).to_svg()
    except (RenderError, GraphTooLargeError) as e:
        print(f"{PROG} {command}: cannot draw {Path(path).name}: {e}", file=sys.stderr)
        return False
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
    except OSError as e:
        raise UsageError(f"{option} {path}: {e.strerror or e}") from None
    return True


# -- handgrad check ---------------------------------------------------------------------

CHECK_EPILOG = f"""\
examples:
  handgrad check homework.toml
  handgrad check sheets/                 every *.toml in the folder, then a summary
  handgrad check q3.toml q4.toml --svg graphs/
  handgrad check sheets/ --format csv > grades.csv

{reference()}
  `handgrad demo` grades the bundled example sheets and says where they are.

an answer is correct when the exact value rounds to it at the precision it is
written with, close when its last digit is off by one, wrong otherwise; too
coarse when [answers] min_digits asks for more significant digits than it has.

--format json or csv writes one row per answer, with the fields
{textwrap.fill(", ".join(rows.FIELDS), 77, initial_indent="  ", subsequent_indent="  ")}
(JSON: {{"sheets": [{{"path", "title", "summary", "items": [row, ...]}}]}}); a sheet
that cannot be graded is {{"path", "error"}}, in CSV a row whose verdict is error.

exit status: 0 every answer correct or close; 1 some answer wrong or too coarse
(or a graph could not be drawn); 2 a sheet is malformed or unreadable, or its
numbers overflow: the message names the key (e.g. problem.layers[2].weights)
and what was expected.
"""


def add_check(commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "check", parents=[common], epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="grade the hand answers of TOML answer sheets",
        description="Build each sheet's problem, grade its hand answers against the engine\n"
                    "and print the check table.")
    p.add_argument("sheets", metavar="SHEET", nargs="+",
                   help="an answer sheet (.toml), or a folder of them")
    p.add_argument("--svg", metavar="DIR",
                   help="also write each sheet's graph, after backward, as DIR/NAME.svg")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text",
                   help="text tables (default), or one row per answer as JSON or CSV")
    p.set_defaults(run=run_check)


def sheet_files(items: Sequence[str]) -> tuple[list[Path], bool]:
    """The sheets named on the command line, folders expanded to their
    *.toml files (sorted); and whether a folder was given."""
    files: list[Path] = []
    folder = False
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not found:
                raise UsageError(f"{item}: no *.toml answer sheets in this folder")
            files += found
            folder = True
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{item}: no such file or folder")
    return files, folder


def _output_dir(path: str, option: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"{option} {path}: {e.strerror or e}") from None
    return out


def _graded(path: Path) -> tuple[Sheet, Built, CheckReport]:
    """The sheet at `path`, its graph and its check report."""
    suffix = submission_suffix(path)
    if suffix:
        raise SheetError("", f"a submission ({suffix}), not an answer sheet: handgrad grade "
                             f"PROBLEM.toml {path.name} grades it")
    sheet = load(path)
    built = sheet.build()
    return sheet, built, sheet.check(built)


def run_check(args: argparse.Namespace, style: Style) -> int:
    paths, folder = sheet_files(args.sheets)
    svg_dir = None
    if args.svg:
        stems = [p.stem for p in paths]
        twice = sorted({s for s in stems if stems.count(s) > 1})
        if twice:
            raise UsageError(f"--svg: more than one sheet is named {twice[0]}.toml, so their "
                             f"graphs would overwrite each other")
        svg_dir = _output_dir(args.svg, "--svg")
    text = args.format == "text"
    checked: list[Checked] = []
    drawn = True
    for path in paths:
        try:
            sheet, built, report = _graded(path)
        except (SheetError, OSError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            print(f"{PROG} check: {path}: error: {reason}", file=sys.stderr)
            checked.append(Checked(path, error=reason))
            continue
        if text:  # each table as soon as it is graded
            if any(c.report is not None for c in checked):
                print()
            print(style.bold(f"{path}: {sheet.title}"))
            print(report)
        checked.append(Checked(path, sheet.title, report))
        if svg_dir is not None:
            target = svg_dir / f"{path.stem}.svg"
            if _write_svg(built.root, target, "check", model=built.model):
                print(f"wrote {target}", file=sys.stderr)
            else:
                drawn = False
    if args.format == "json":
        sys.stdout.write(rows.to_json(json_document(checked)))
    elif args.format == "csv":
        sys.stdout.write(rows.to_csv(rows.CHECK_COLUMNS, csv_rows(checked)))
    elif folder or len(paths) > 1:
        if any(c.report is not None for c in checked):
            print()
        for i, line in enumerate(summary_lines(checked)):
            print(style.bold(line) if i == 0 else line)
    graded = [c.report for c in checked if c.report is not None]
    if len(graded) < len(checked):
        return 2
    return 1 if not all(r.ok for r in graded) or not drawn else 0


# -- handgrad demo --------------------------------------------------------------------------

DEMO_EPILOG = """\
examples:
  handgrad demo
  handgrad demo --out /tmp/graphs

Each bundled answer sheet is a seed homework: its problem and every hand
answer its document states, mistakes included (seed 000 Q3 and Q4, seed 001,
and seed 004's worked example, softmax and SSE).  The demo builds each graph,
grades every answer (correct, last digit off by one, or wrong with the right
value and the reason) and writes the graph after backward as an SVG.
The sheets are in the package's sheets/ folder (the demo prints where);
`handgrad check` grades any sheet.  Then it grades the sample submissions
(samples/: homework written as Markdown with LaTeX, mistakes planted) from
their text, as `handgrad grade` does, and lists every wrong number.

exit status: 0 (wrong hand answers are what the demo shows); 1 when a graph
cannot be drawn on this machine; 2 when --out cannot be created.
"""


def add_demo(commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "demo", parents=[common], epilog=DEMO_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="the seed homeworks' hand answers, graded, with their graphs",
        description="Reproduce the seed documents' hand-derived homework with handgrad:\n"
                    "every stated answer checked, and the graphs written as SVG.")
    p.add_argument("--out", metavar="DIR", default="handgrad-out",
                   help="where to write the graphs (default: ./handgrad-out)")
    p.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace, style: Style) -> int:
    files = bundled()
    if not files:
        raise UsageError("no bundled answer sheets found: the installation is incomplete")
    out = _output_dir(args.out, "--out")
    marks = {CORRECT: "✓", CLOSE: "≈", WRONG: "✗"}
    shown = {CORRECT: style.good("✓"), CLOSE: style.good("≈"), WRONG: style.bad("✗")}
    print(style.bold("handgrad demo: the seed homeworks' hand answers, graded by the engine"))
    print("✓ correct   ≈ last digit off by one   ✗ wrong: the value it should be, and why")
    totals = {CORRECT: 0, CLOSE: 0, WRONG: 0}
    drawn = True
    for path in files:
        try:
            sheet, built, report = _graded(path)
        except SheetError as e:
            raise UsageError(f"bundled sheet {path.name}: {e}") from None
        rows = [(r.quantity, r.hand, format_number(r.engine, 6), marks[r.verdict])
                for r in report]
        counts = {v: sum(r.verdict == v for r in report) for v in totals}
        for v, n in counts.items():
            totals[v] += n
        target = out / f"{path.stem}.svg"
        ok = _write_svg(built.root, target, "demo", model=built.model, option="--out")
        drawn = drawn and ok
        print()
        print(style.bold(sheet.title))
        head, dashes, *lines = table(("quantity", "hand", "engine", ""), rows, style,
                                     right=(False, True, True))
        print(f"  {head}\n  {dashes}")
        for line, r in zip(lines, report):  # each line ends with its mark
            print(f"  {line[:-1]}{shown[r.verdict]}" + (f"  {r.note}" if r.note else ""))
        print(f"  {_tally(len(report), counts[WRONG], counts[CLOSE])}")
        print(f"  graph: {target}" if ok else "  graph: not drawn (see the message above)")
    print()
    print(style.bold(f"{len(files)} sheets: "
                     f"{_tally(sum(totals.values()), totals[WRONG], totals[CLOSE])}"))
    print(f"the sheets: {files[0].parent}")
    command, activate = how_to_run(PROG)
    print(f"grade your own: {command} check SHEET.toml"
          + (f"  (`source {activate}` puts {PROG} on PATH)" if activate else ""))
    print()
    demo_samples(style)
    return 0 if drawn else 1


def _tally(n: int, wrong: int, close: int) -> str:
    parts = [f"{wrong} wrong" if wrong else "none wrong"]
    if close:
        parts.append(f"{close} off by one in the last digit")
    return f"{count(n, 'hand answer')}, {', '.join(parts)}"


# -- the entry point ----------------------------------------------------------------------

COMMANDS: tuple[Callable, ...] = (add_grad, add_check, add_demo, add_grade)
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
               "  handgrad check homework.toml\n"
               "  handgrad grade problem.toml homework.md\n"
               "  handgrad demo\n\n"
               "`handgrad COMMAND --help` describes each command.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(commands, common)
    for sub in commands.choices.values():  # so that main can report as the command
        sub.set_defaults(parser=sub)
    return parser


def _expression_after_dashes(argv: list[str]) -> list[str]:
    """`handgrad grad -- "-x*y" --at x=1 y=2`: `--` ends the options, as
    everywhere, so "-x*y" is the expression and not an option.  argparse
    would also read every later word as a positional, so the expression
    after `--` moves behind the options it is followed by."""
    if len(argv) > 2 and argv[0] == "grad" and "--" in argv:
        i = argv.index("--")
        if i + 2 < len(argv) and argv[i + 2].startswith("-"):
            return argv[:i] + argv[i + 2:] + ["--", argv[i + 1]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Run `handgrad` with `argv` (default: the process arguments); returns
    the exit code."""
    args, extra = build_parser().parse_known_args(_expression_after_dashes(
        sys.argv[1:] if argv is None else list(argv)))
    if extra:  # said by the command, whose options a typo was meant to be
        args.parser.error(unrecognized(extra, list(args.parser._option_string_actions)))
    style = Style.for_stream(sys.stdout, args.no_color)
    try:
        code = args.run(args, style)
        sys.stdout.flush()  # here, so a closed pipe is caught below, not at exit
        return code
    except (UsageError, ExprError, NumericError) as e:
        print(f"{PROG} {args.command}: error: {e}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as e:  # imported when needed (graphviz, to draw)
        message = missing_dependency(e, PROG)
        if message is None:
            raise
        sys.stdout.flush()
        print(message, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`handgrad ... | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
