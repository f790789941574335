"""Escaping for output contexts that HTML autoescaping does not cover: CSS strings and CSV cells.

Every string is hostile in every output. Jinja2's autoescaping covers HTML text and attributes;
these two functions cover what remains.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

_CSS_SAFE = re.compile(r"[A-Za-z0-9 ]")
#: a spreadsheet treats a cell that starts with one of these as a formula (CWE-1236)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string literal (for ``content:``), safe inside ``<style>``.

    Every character other than an ASCII letter, digit or space becomes a CSS hex escape
    (``\\3c `` for ``<``), so the result cannot close the string, the rule or the ``<style>``
    element whatever ``value`` holds. NUL and lone surrogates become U+FFFD, as CSS requires.
    """
    out = []
    for ch in value:
        if _CSS_SAFE.fullmatch(ch):
            out.append(ch)
            continue
        code = ord(ch)
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        out.append(f"\\{code:x} ")
    return '"' + "".join(out) + '"'


def csv_cell(value: object) -> object:
    """``value`` made safe to open in a spreadsheet: text that would start a formula gets a
    leading apostrophe (OWASP CSV injection); numbers, and text that is a plain number such as
    ``-3.5``, are kept as they are so the file still reads back as data.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def write_csv(
    handle: TextIO,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    lineterminator: str = "\r\n",
) -> None:
    """Write a header and ``rows`` to ``handle``, every cell through :func:`csv_cell`."""
    writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator=lineterminator)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
