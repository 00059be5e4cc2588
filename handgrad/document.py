"""Submissions as the grader reads them: the math of a Markdown file or a
notebook's Markdown cells, each piece with the offset where it stands.

markdown-it-py with the dollarmath plugin finds `$…$` and `$$…$$` math the
way Markdown renderers do (not inside code spans or code blocks); nbformat
reads notebooks.  Offsets are into the document's text with line breaks
normalized to "\\n", so `line(offset)` is the 1-based line of the file (for a
notebook, of its Markdown cells joined in order, one newline between cells,
and `cell(line)` is the cell's number, counted from 1 among all the
notebook's cells, code cells too, as a reader counts them down the page).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .user_files import SUBMISSION_SUFFIXES, decode, os_reason

MAX_BYTES = 5_000_000
"""Largest submission read (a homework is a few kilobytes)."""
MAX_MATH = 50_000
"""Most characters of math read from one document (seed 000 has about 6,000);
the numbers of math beyond it are listed as unread, and Markdown past twice
as much math is not parsed, so a megabyte takes 1.6-3.1 s of CPU
(bench/grade_bench.py)."""


class DocumentError(ValueError):
    """A submission that cannot be read at all: `path` and `reason`; the
    message is "PATH: reason", naming the file."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Math:
    source: str
    offset: int        # where `source` starts in the document text
    display: bool


@dataclass
class Document:
    path: str
    text: str
    math: list[Math]
    skipped: list[Math] = field(default_factory=list)   # beyond MAX_MATH
    cell_starts: list[tuple[int, int]] = field(default_factory=list)  # (line, cell number)

    def __post_init__(self):
        self._line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def line_start(self, line: int) -> int:
        return self._line_starts[line - 1]

    @property
    def lines(self) -> int:
        return len(self._line_starts)

    def cell(self, line: int) -> int | None:
        if not self.cell_starts:
            return None
        i = bisect.bisect_right([s for s, _ in self.cell_starts], line) - 1
        return self.cell_starts[max(i, 0)][1]

    def marker(self, start: str) -> int | None:
        """The offset of the first line that starts with the part marker
        `start`, as `sheet_format.PART` says: after Markdown heading marks,
        emphasis, list bullets and spaces, with whitespace insignificant
        (line breaks too: $$ on a line of its own), and `$` and `$$`
        interchangeable where the marker starts with math."""
        want = _SPACE.sub("", start)
        math = want.startswith("$")
        want = want.lstrip("$") if math else want
        for n in range(1, self.lines + 1):
            begin = self.line_start(n)
            at = _skip(self.text, begin, " \t#>*_-+")
            if math:
                if not self.text.startswith("$", at):
                    continue
                at = _skip(self.text, at, "$ \t\n")
            if want and _starts_with(self.text, at, want):
                return begin
        return None


def _skip(text: str, at: int, chars: str) -> int:
    """The offset of the first character from `at` on that is not in `chars`."""
    while at < len(text) and text[at] in chars:
        at += 1
    return at


def _starts_with(text: str, at: int, want: str) -> bool:
    """Does text from `at` on read `want` (which has no whitespace), with
    whitespace between its characters ignored?  Stops at the first mismatch,
    so a line that does not start with the marker costs a character or two."""
    i = 0
    while i < len(want):
        if at >= len(text):
            return False
        c = text[at]
        if c.isspace():
            at += 1
            continue
        if c != want[i]:
            return False
        i, at = i + 1, at + 1
    return True


_SPACE = re.compile(r"\s+")


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")


_MD = MarkdownIt("commonmark").use(dollarmath_plugin, double_inline=True)


def find_math(text: str) -> list[Math]:
    """Every math piece of Markdown text, in order, with its offset."""
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    found: list[Math] = []
    for tok in _MD.parse(text):
        if tok.type in ("math_block", "math_block_label") and tok.map:
            start = line_starts[tok.map[0]]
            found.append(_locate(text, tok.content, start, True))
        elif tok.type == "inline" and tok.children and tok.map:
            cursor = line_starts[tok.map[0]]
            for child in tok.children:
                if child.type in ("math_inline", "math_inline_double"):
                    m = _locate(text, child.content, cursor, child.type != "math_inline")
                    found.append(m)
                    cursor = m.offset + len(child.content)
    return found


def _locate(text: str, content: str, start: int, display: bool) -> Math:
    at = text.find(content, start) if content else -1
    if at < 0:  # markdown-it rewrote it (a blockquote's "> ", a list's indent)
        first = content.strip().split("\n", 1)[0]
        at = text.find(first, start) if first else -1
        at = start if at < 0 else at
    return Math(content, at, display)


def _limit(doc_math: list[Math]) -> tuple[list[Math], list[Math]]:
    total, kept, skipped = 0, [], []
    for m in doc_math:
        total += len(m.source)
        (kept if total <= MAX_MATH else skipped).append(m)
    return kept, skipped


_SPANS = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)


def _cut(text: str, budget: int) -> int:
    """Where Markdown parsing stops: at the first blank line after the
    dollar-delimited spans hold `budget` characters.  Parsing is the cost of
    a large document (markdown-it takes ~70 µs a paragraph), and math past
    MAX_MATH is not read anyway."""
    total = 0
    for m in _SPANS.finditer(text):
        total += m.end() - m.start()
        if total > budget:
            blank = text.find("\n\n", m.end())
            return len(text) if blank < 0 else blank
    return len(text)


def _beyond(text: str, base: int) -> list[Math]:
    """The $…$ spans of text that is not parsed, so that their numbers are
    listed as unread."""
    return [Math(m.group(), base + m.start(), m.group().startswith("$$"))
            for m in _SPANS.finditer(text)]


def _read_math(text: str, base: int, budget: int) -> tuple[list[Math], list[Math]]:
    """The math of Markdown text within `budget` characters, and beyond it."""
    cut = _cut(text, budget)
    found = [Math(m.source, m.offset + base, m.display) for m in find_math(text[:cut])]
    return found, _beyond(text[cut:], base + cut)


def read_text(text: str, path: str = "<text>") -> Document:
    text = _normalize(text)
    found, beyond = _read_math(text, 0, 2 * MAX_MATH)
    kept, skipped = _limit(found)
    return Document(path, text, kept, skipped + beyond)


def read_notebook(raw: str, path: str) -> Document:
    import nbformat
    try:
        nb = nbformat.reads(raw, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError):
        raise DocumentError(path, "not a Jupyter notebook: the file is not JSON") from None
    except (ValueError, KeyError, TypeError, AttributeError):  # nbformat's reading of it
        raise DocumentError(path, "not a Jupyter notebook: JSON, but not in the notebook "
                                  "format") from None
    parts, starts, line = [], [], 1
    for number, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        source = _normalize(str(source))
        starts.append((line, number))
        parts.append(source)
        line += source.count("\n") + 1
    text = "\n".join(parts)
    math: list[Math] = []
    beyond: list[Math] = []
    offset = 0
    for source in parts:  # each cell is its own Markdown document
        found, rest = _read_math(source, offset, 2 * MAX_MATH - sum(len(m.source) for m in math))
        math += found
        beyond += rest
        offset += len(source) + 1
    kept, skipped = _limit(math)
    return Document(path, text, kept, skipped + beyond, starts)


def read_path(path: str | Path) -> Document:
    """A submission file.  DocumentError (naming the file) if it cannot be
    read, is too large, or is not UTF-8."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(p, f"{size:,} bytes; the grader reads submissions up to "
                                   f"{MAX_BYTES:,} bytes")
        data = p.read_bytes()
    except OSError as e:
        raise DocumentError(p, os_reason(e)) from None
    try:
        raw = decode(data)
    except ValueError as e:
        raise DocumentError(p, str(e)) from None
    if p.suffix.lower() == ".ipynb":
        return read_notebook(raw, str(p))
    return read_text(raw, str(p))


def submissions(items) -> list[Path]:
    """Files named on the command line, folders expanded to their
    .md/.txt/.ipynb files (sorted).  DocumentError for a missing path or an
    empty folder."""
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUBMISSION_SUFFIXES)
            if not found:
                raise DocumentError(p, "no .md, .txt or .ipynb submissions in this folder")
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise DocumentError(p, "no such file or folder")
    return out
