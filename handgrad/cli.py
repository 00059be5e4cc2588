"""The `handgrad` command: answers without opening Python.

One argparse subparser per command; each command is a module
(`grad_command.py`, `check_command.py`, `demo_command.py`,
`grade_command.py`) whose `add_*` function declares its arguments and sets
`run`, a function of the parsed arguments and the output `Style` that
returns the exit code; this module is the entry point that runs them.  Bad input
(usage, expressions, values, math errors) is one error message on stderr and
exit code 2, so scripts can tell it from a run that worked.  Output is plain
text; colour only on a terminal, never with NO_COLOR set or `--no-color`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from autograd import NumericError
from autograd.expr import ExprError

from .check_command import add_check
from .demo_command import add_demo
from .environment import missing_dependency
from .grad_command import add_grad
from .grade_command import add_grade
from .terminal import Style
from .usage import PROG, UsageError, error_line, unrecognized

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
        print(error_line(args.command, str(e)), file=sys.stderr)
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
