"""The files a user names: their text, and which of them are submissions.

Text is UTF-8, with or without the byte-order mark Windows editors write;
anything else is a reason naming what the bytes are, for the caller's
error.  A submission is known by its suffix, so that a command given one
where an answer sheet or a problem file goes can say so before reading it
as TOML ("Invalid statement (at line 3, column 1)" names no mistake).
"""

from __future__ import annotations

import codecs
from pathlib import Path

SUBMISSION_SUFFIXES = (".md", ".markdown", ".txt", ".ipynb")
"""The files `handgrad grade` reads as submissions (and finds in folders)."""

BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode(data: bytes) -> str:
    """The text of `data`; ValueError saying why it is not UTF-8 text."""
    if data.startswith(BOMS_UTF16) and not data.startswith(codecs.BOM_UTF32_LE):
        raise ValueError("UTF-16 text, not UTF-8 (save it as UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 text (byte {e.start:,} is 0x{data[e.start]:02x})") from None


def os_reason(e: OSError) -> str:
    """Why a file could not be read or written, in the words of every
    handgrad message ("no such file or folder", "permission denied"), not
    the C library's capitalised ones."""
    if isinstance(e, FileNotFoundError):
        return "no such file or folder"
    if isinstance(e, IsADirectoryError):
        return "a folder, not a file"
    reason = e.strerror or str(e)
    return reason[:1].lower() + reason[1:]


def submission_suffix(path) -> str | None:
    """The suffix of a submission file ('.md'), or None for any other file."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in SUBMISSION_SUFFIXES else None
