"""`handgrad check SHEET...`: TOML answer sheets graded against the engine,
one table each as it is graded, a summary for several, or rows as JSON/CSV."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from autograd import CheckReport

from . import rows
from .checked import Checked, csv_rows, json_document, summary_lines
from .graph_files import can_draw, output_dir, write_graph
from .sheet import Built, Sheet, SheetError, load
from .sheet_format import reference
from .terminal import Style
from .usage import UsageError, error_line, write_out
from .user_files import os_reason, submission_suffix


CHECK_EPILOG = f"""\
examples:
  handgrad check homework.toml
  handgrad check sheets/                 every *.toml in the folder, then a summary
  handgrad check q3.toml q4.toml --svg graphs/
  handgrad check sheets/ --format csv --out grades.csv

{reference()}
  `handgrad demo` grades the bundled example sheets and says where they are.

an answer is correct when the exact value rounds to it at the precision it is
written with, close when its last digit is off by one, wrong otherwise (a whole
number or a fraction is exact: "0" must be 0); too coarse when [answers]
min_digits asks for more significant digits than it has.

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
    p.add_argument("--out", metavar="FILE",
                   help="write the tables or rows to FILE instead of stdout")
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


def check_sheet(path: Path) -> tuple[Sheet, Built, CheckReport]:
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
        can_draw()  # before the first table is printed
        svg_dir = output_dir(args.svg, "--svg")
    text = args.format == "text"
    out: list[str] = []  # with --out, everything stdout would show, written once at the end
    if args.out:
        style = Style(False)

    def show(line: str = "") -> None:
        if args.out:
            out.append(line + "\n")
        else:
            print(line)
    checked: list[Checked] = []
    drawn = True
    for path in paths:
        try:
            sheet, built, report = check_sheet(path)
        except (SheetError, OSError) as e:
            reason = os_reason(e) if isinstance(e, OSError) else str(e)
            print(error_line("check", f"{path}: {reason}"), file=sys.stderr)
            checked.append(Checked(path, error=reason))
            continue
        if text:  # each table as soon as it is graded
            if any(c.report is not None for c in checked):
                show()
            show(style.bold(f"{path}: {sheet.title}"))
            show(str(report))
        checked.append(Checked(path, sheet.title, report))
        if svg_dir is not None:
            target = svg_dir / f"{path.stem}.svg"
            if write_graph(built.root, target, "check", model=built.model):
                print(f"wrote {target}", file=sys.stderr)
            else:
                drawn = False
    if args.format == "json":
        out.append(rows.to_json(json_document(checked)))
    elif args.format == "csv":
        out.append(rows.to_csv(rows.CHECK_COLUMNS, csv_rows(checked)))
    elif folder or len(paths) > 1:
        if any(c.report is not None for c in checked):
            show()
        for i, line in enumerate(summary_lines(checked)):
            show(style.bold(line) if i == 0 else line)
    if args.out:
        write_out(args.out, "".join(out))
    else:
        sys.stdout.write("".join(out))
    graded = [c.report for c in checked if c.report is not None]
    if len(graded) < len(checked):
        return 2
    return 1 if not all(r.ok for r in graded) or not drawn else 0
