"""`handgrad grade PROBLEM.toml SUBMISSION...`: homework graded as written,
and the part of `handgrad demo` that grades the bundled sample submissions.

Exit status 0 when every checked number is right (correct or close), 1 when
some are wrong or a submission has no number graded (an empty file is not a
pass; its report says so), 2 when the problem or a submission cannot be used
(one line on stderr saying why; among several submissions the others are
graded first, and the one that cannot be read is a row of the report).  The Markdown and LaTeX readers are imported when a
document is graded, so the other commands start without them.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from .environment import how_to_run
from .rows import GRADE_COLUMNS
from .usage import PROG, UsageError, error_line, write_out
from .user_files import os_reason, submission_suffix

GRADE_EPILOG = f"""\
examples:
  handgrad grade seed000.toml homework.md
  handgrad grade problem.toml submissions/ --format csv --out grades.csv
  handgrad grade problem.toml hw.ipynb --format html --out report.html

A submission is Markdown with $…$ / $$…$$ math (.md or .txt), a notebook
(.ipynb: its Markdown cells) or a folder of them.  The problem file is an
answer sheet's [problem] with an optional [notation] (document symbol = engine
label or a number) and [factors]; [[parts]] with start = "Q3." grade the
questions of one document against their own problems.  `handgrad demo`
grades the bundled samples and says where they are.

Every number of the math is reported: correct, close (last digit off by
one), wrong (with what it should be and why), unchecked (with the reason) or
unread (with the line and why).

{textwrap.fill("--format json and csv give one row per check of a number, with the fields "
               + ", ".join(GRADE_COLUMNS) + " (handgrad/rows.py says what each holds); "
               "html is a page that loads nothing.", 76)}

exit status: 0 every checked number right; 1 some wrong, or a submission with
no number graded (an empty file); 2 the problem or a submission cannot be used
(among several submissions, one that cannot be read is an error row of the
report, and the others are graded).
"""

SAMPLES = Path(__file__).with_name("samples")
"""The sample submissions `handgrad demo` grades, each beside its problem file."""


def add_grade(commands, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "grade", parents=[common], epilog=GRADE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="grade Markdown/notebook homework as written, number by number",
        description="Read each submission's equations line by line and grade every number\n"
                    "against the problem: values, arithmetic, factors and updates.")
    p.add_argument("problem", metavar="PROBLEM.toml", help="the problem file")
    p.add_argument("submissions", metavar="SUBMISSION", nargs="+",
                   help="a .md/.txt/.ipynb file, or a folder of them")
    p.add_argument("--format", choices=("text", "json", "csv", "html"), default="text",
                   help="the report's format (default text)")
    p.add_argument("--out", metavar="FILE", help="write the report to FILE instead of stdout")
    p.set_defaults(run=run_grade)


def run_grade(args: argparse.Namespace, style) -> int:
    from .document import DocumentError
    from .problem import load_problem
    from .report import grade_files
    from .toml_data import SheetError
    suffix = submission_suffix(args.problem)
    if suffix:  # the arguments swapped: say so, not what TOML makes of Markdown
        raise UsageError(f"{args.problem}: a submission ({suffix}), not a problem file: the "
                         f"problem comes first, handgrad grade PROBLEM.toml SUBMISSION...")
    try:
        problem = load_problem(args.problem)
    except (SheetError, OSError) as e:
        reason = os_reason(e) if isinstance(e, OSError) else e
        raise UsageError(f"{args.problem}: {reason}") from None
    try:
        report = grade_files(problem, list(args.submissions))
    except DocumentError as e:  # one file alone, a missing path or an empty folder
        raise UsageError(str(e)) from None
    for path, why in report.errors:  # among several: the others are graded, exit 2 at the end
        print(error_line("grade", f"{path}: {why}"), file=sys.stderr)
    if args.format == "text":  # colour only on a terminal, never in a file
        text = report.text() if args.out else report.text(bad=style.bad, bold=style.bold)
    else:
        text = {"json": report.to_json, "csv": report.to_csv, "html": report.to_html}[
            args.format]()
    text = text if text.endswith("\n") else text + "\n"
    if args.out:
        write_out(args.out, text)
    else:
        sys.stdout.write(text)
    return 2 if report.errors else 0 if report.ok else 1


def samples() -> list[tuple[Path, Path]]:
    """The bundled sample submissions and their problem files (the .toml of
    the same name), sorted."""
    return sorted((doc, doc.with_suffix(".toml")) for doc in SAMPLES.iterdir()
                  if submission_suffix(doc)
                  and doc.with_suffix(".toml").is_file())


def sample_lines(style) -> list[str]:
    """Each bundled sample graded from its text: the lines that say what is
    wrong in it, for `handgrad demo` to print."""
    from .report import grade_files
    from .report_text import submission_text
    found = samples()
    if not found:
        raise UsageError("no bundled sample submissions found: the installation is incomplete")
    lines = [style.bold("The sample submissions, graded from their text (handgrad grade)")]
    numbers = wrong = 0
    for doc, problem in found:
        report = grade_files(problem, [doc])
        result = report.results[0]
        result.path = f"{doc.name}: {report.title}"
        lines.append("")
        lines.append(submission_text(result, bad=style.bad, bold=style.bold, brief=True))
        numbers += result.counts.graded
        wrong += len({it.offset for it in report.wrong})
    lines.append("")
    lines.append(style.bold(f"{len(found)} samples: {numbers} numbers graded, {wrong} wrong"))
    lines.append(f"the samples: {SAMPLES}")
    lines.append(f"grade your own: {how_to_run(PROG)[0]} grade PROBLEM.toml SUBMISSION")
    return lines
