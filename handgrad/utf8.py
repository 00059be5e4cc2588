"""The text of a file the user gives (answer sheet, problem file, submission):
UTF-8, with or without the byte-order mark Windows editors write.  Anything
else is a reason naming what the bytes are, for the caller's error."""

from __future__ import annotations

import codecs

BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode(data: bytes) -> str:
    """The text of `data`; ValueError saying why it is not UTF-8 text."""
    if data.startswith(BOMS_UTF16) and not data.startswith(codecs.BOM_UTF32_LE):
        raise ValueError("UTF-16 text, not UTF-8 (save it as UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 text (byte {e.start:,} is 0x{data[e.start]:02x})") from None
