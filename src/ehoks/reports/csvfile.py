"""Reports as CSV files that spreadsheet programs open right away.

UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local code page and turns
"Mäkinen" into "MÃ¤kinen"), `;` between fields (the list separator of Finnish and Swedish
spreadsheet settings, where the comma is the decimal separator), CRLF line ends, every field
quoted when needed. Dates are ISO 8601, which every spreadsheet recognises.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

BOM: Final = "\ufeff"
DELIMITER: Final = ";"
MEDIA_TYPE: Final = "text/csv; charset=utf-8"
# A cell starting with these is a formula to a spreadsheet; a leading apostrophe keeps it text.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def render(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return (BOM + out.getvalue()).encode("utf-8")
