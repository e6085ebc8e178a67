"""Which encoding an uploaded CSV is in, when it is not UTF-8 (issue 24): a UTF-8 file with a few Windows-1252
bytes pasted in is refused naming the lines (read either way, some letters would be garbled without a word); a
file that reads as Windows-1252 but looks like Mac Roman, Shift-JIS or ISO-8859-15 text is warned about, line by
line; bytes neither encoding has are refused in words."""
from __future__ import annotations

import re

from dashboard.importer.problems import Problem

# A valid multi-byte UTF-8 character: a Windows-1252 file almost never holds one ('Ã©' is how 'é' in UTF-8 reads).
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Windows-1252's characters for bytes 0x80-0x9F: where these stand inside words, or three in a row, the bytes were
# letters of another encoding (Mac Roman 'é' is 0x8E, read as 'Ž'; Shift-JIS runs of 0x81-0x9F lead bytes).
_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MAC_LETTERS = "ŽˆƒŠšŸ™Œœ‡‰‹"
_ELSEWHERE = re.compile(f"[A-Za-z][{_MAC_LETTERS}]|[{_HIGH}]{{3,}}")
LISTED = 5


def _lines(text: str, positions: list[int]) -> list[int]:
    """Line numbers (from 1) of character positions in a text, in order, each once."""
    lines, last = [], None
    for position in positions:
        line = text.count("\n", 0, position) + 1
        if line != last:
            lines.append(line)
            last = line
    return lines


def _listed(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:LISTED]))
    return shown + (f" and {len(lines) - LISTED:,} more" if len(lines) > LISTED else "")


def mixed_problem(data: bytes, file_name: str) -> Problem | None:
    """The error for a UTF-8 file with bytes that are not UTF-8 on some lines, or None when it is not UTF-8 at all."""
    valid = len(_UTF8_CHARACTER.findall(data))
    if not valid:
        return None
    text = data.decode("utf-8", errors="surrogateescape")
    bad = [match.start() for match in re.finditer(r"[\udc80-\udcff]", text)]
    if valid < len(bad):  # mostly not UTF-8: another encoding throughout, not a few pasted characters
        return None
    lines = _lines(text, bad)
    byte = ord(text[bad[0]]) - 0xDC00
    guess = bytes([byte]).decode("cp1252", errors="replace")
    return Problem(lines[0], None, None, f"This file is UTF-8, but line(s) {_listed(lines)} hold characters in "
                   f"another encoding (the first is byte 0x{byte:02X}, '{guess}' in Windows-1252), as when text "
                   "is pasted from another program; read either way some letters would come out wrong. Retype "
                   "those characters, or open the file in Excel and save it as 'CSV UTF-8'.", file=file_name)


def undecodable_problem(data: bytes, position: int, file_name: str) -> Problem:
    """The error for a byte that neither UTF-8 nor Windows-1252 has."""
    line = data.count(b"\n", 0, position) + 1
    return Problem(line, None, None, f"This file is not text in UTF-8 or Windows-1252: line {line:,} has byte "
                   f"0x{data[position]:02X}, which neither uses (the file may be in a Mac, Japanese or other "
                   "encoding). In Excel choose Save As, 'CSV UTF-8 (comma delimited)'.", file=file_name)


def windows_1252_warnings(text: str, file_name: str) -> list[Problem]:
    """Warnings for a text read as Windows-1252 that looks like another encoding's letters."""
    problems = []
    odd = [match.start() for match in _ELSEWHERE.finditer(text)]
    if odd:
        lines = _lines(text, odd)
        sample = text[max(0, odd[0] - 12): odd[0] + 12].split("\n")[-1]
        problems.append(Problem(lines[0], None, None, f"Line(s) {_listed(lines)} read as Windows-1252 give "
                                f"'{sample.strip()}': the file may be saved in another encoding (Mac, Japanese "
                                "Shift-JIS). If the letters look wrong, save it from Excel as 'CSV UTF-8' and "
                                "upload that.", "warning", file_name))
    euro = [match.start() for match in re.finditer("¤", text)]
    if euro:
        lines = _lines(text, euro)
        problems.append(Problem(lines[0], None, None, f"Line(s) {_listed(lines)} hold '¤', which in an "
                                "ISO-8859-15 file is '€'; if '€' was meant, save the file as 'CSV UTF-8' and "
                                "upload that.", "warning", file_name))
    return problems
