"""The error of every `handgrad` command: input it cannot use.

It is its own module so that each command's module (the `grade` command is
`grade_command.py`) can raise it without importing `cli`, which imports them.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from .user_files import os_reason

PROG = "handgrad"
"""The command's name, as its messages start."""


class UsageError(Exception):
    """Input the command cannot use; the message names the problem."""


def error_line(command: str, message: str) -> str:
    """How every command says an error, as argparse says its own:
    `handgrad COMMAND: error: WHAT: why`, WHAT the file or option at fault."""
    return f"{PROG} {command}: error: {message}"


def did_you_mean(word: str, choices, cutoff: float = 0.75) -> str:
    """" (did you mean X?)" when one of `choices` is close to a mistyped
    `word` (`--fromat` → `--format`, `expresion` → `expression`), else ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]}?)" if close else ""


def unrecognized(words: list[str], options: list[str]) -> str:
    """argparse's message for words no option takes, with the command's own
    option a mistyped one was probably meant to be."""
    typed = next((w.partition("=")[0] for w in words if w.startswith("--")), None)
    return (f"unrecognized arguments: {' '.join(words)}"
            + (did_you_mean(typed, options) if typed else ""))


def output_file(path: str, option: str, suffixes: tuple[str, ...], what: str) -> None:
    """Refuse an output file named for another format (`--svg graph.png`
    would be SVG text in a file every viewer opens as PNG); a name without
    a suffix is the user's choice."""
    suffix = Path(path).suffix.lower()
    if suffix and suffix not in suffixes:
        raise UsageError(f"{option} {path}: {option} writes {what}; name the file {suffixes[0]}")


def write_out(path: str, text: str) -> None:
    """`--out FILE`: the whole output into FILE (UTF-8, written once at the
    end, so a failed run leaves no half-written report), said on stderr."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"--out {path}: {os_reason(e)}") from None
    print(f"wrote {path}", file=sys.stderr)
