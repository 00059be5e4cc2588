"""`handgrad demo`: the bundled seed homeworks' answer sheets graded, with
their graphs, then the sample submissions graded from their text."""

from __future__ import annotations

import argparse

from autograd.notation import count, format_number
from autograd.rounding import CLOSE, CORRECT, WRONG

from .check_command import check_sheet
from .environment import how_to_run
from .grade_command import sample_lines
from .graph_files import output_dir, write_graph
from .sheet import SheetError, bundled
from .terminal import Style, table
from .usage import PROG, UsageError


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
    out = output_dir(args.out, "--out")
    # Everything is computed before anything is printed, so that a missing
    # dependency (to draw, to read Markdown) is its one line and nothing else.
    lines: list[str] = []
    say = lines.append
    marks = {CORRECT: "✓", CLOSE: "≈", WRONG: "✗"}
    shown = {CORRECT: style.good("✓"), CLOSE: style.good("≈"), WRONG: style.bad("✗")}
    say(style.bold("handgrad demo: the seed homeworks' hand answers, graded by the engine"))
    say("✓ correct   ≈ last digit off by one   ✗ wrong: the value it should be, and why")
    totals = {CORRECT: 0, CLOSE: 0, WRONG: 0}
    drawn = True
    for path in files:
        try:
            sheet, built, report = check_sheet(path)
        except SheetError as e:
            raise UsageError(f"bundled sheet {path.name}: {e}") from None
        rows = [(r.quantity, r.hand, format_number(r.engine, 6), marks[r.verdict])
                for r in report]
        counts = {v: sum(r.verdict == v for r in report) for v in totals}
        for v, n in counts.items():
            totals[v] += n
        target = out / f"{path.stem}.svg"
        ok = write_graph(built.root, target, "demo", model=built.model, option="--out")
        drawn = drawn and ok
        say("")
        say(style.bold(sheet.title))
        head, dashes, *rows_text = table(("quantity", "hand", "engine", ""), rows, style,
                                         right=(False, True, True))
        say(f"  {head}")
        say(f"  {dashes}")
        for line, r in zip(rows_text, report):  # each line ends with its mark
            say(f"  {line[:-1]}{shown[r.verdict]}" + (f"  {r.note}" if r.note else ""))
        say(f"  {_tally(len(report), counts[WRONG], counts[CLOSE])}")
        say(f"  graph: {target}" if ok else "  graph: not drawn (see the message above)")
    say("")
    say(style.bold(f"{len(files)} sheets: "
                   f"{_tally(sum(totals.values()), totals[WRONG], totals[CLOSE])}"))
    say(f"the sheets: {files[0].parent}")
    command, activate = how_to_run(PROG)
    say(f"grade your own: {command} check SHEET.toml"
        + (f"  (`source {activate}` puts {PROG} on PATH)" if activate else ""))
    say("")
    lines += sample_lines(style)
    print("\n".join(lines))
    return 0 if drawn else 1


def _tally(n: int, wrong: int, close: int) -> str:
    parts = [f"{wrong} wrong" if wrong else "none wrong"]
    if close:
        parts.append(f"{close} off by one in the last digit")
    return f"{count(n, 'hand answer')}, {', '.join(parts)}"
