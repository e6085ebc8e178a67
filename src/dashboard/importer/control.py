"""Invisible control characters in uploaded cells (a bell, an escape, a vertical tab, a NUL from a damaged export):
refused with the row, column and the character named, never stored (an Excel download of such text would fail)."""
from __future__ import annotations

import re

# Tab, line feed and carriage return are a file's own; every other C0 character and DEL is not text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_PATTERN = CONTROL.pattern
_NAMES = {0x00: "a NUL", 0x07: "a bell (BEL)", 0x08: "a backspace", 0x0B: "a vertical tab", 0x0C: "a form feed",
          0x1B: "an escape (ESC)", 0x7F: "a delete (DEL)"}


def control_message(value: str) -> str | None:
    """The error for a cell holding a control character (naming the first and where it is), or None."""
    found = CONTROL.search(value)
    if found is None:
        return None
    code = ord(found.group())
    name = _NAMES.get(code, f"the control character U+{code:04X}")
    return (f"this cell holds {name}, an invisible character that is not text, at character {found.start() + 1}; "
            "delete it (retype the cell if need be) and upload the file again.")


def scrub(value: str) -> str:
    """Text with each control character replaced by U+FFFD (shown as a '?' mark), for exports of stored data."""
    return CONTROL.sub("\ufffd", value) if CONTROL.search(value) else value
