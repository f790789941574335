"""Text and JSON from outside, checked before anything uses them.

* Text must be text: no NUL or other control characters (C0 except tab, line feed and carriage
  return; DEL; C1) and no lone surrogates. PostgreSQL refuses NUL in text and a lone surrogate
  cannot be encoded, so such values used to become a 500 at the database.
* JSON must be nested at most :data:`MAX_DEPTH` levels (Python's parser recurses once per level:
  1,000 levels raised RecursionError) and hold finite numbers only (the parser accepts ``NaN``,
  ``Infinity`` and ``1e999``, which no score or measurement can be).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from hipback.errors import InvalidInput, Problem

MAX_DEPTH = 64
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
ALLOWED_TEXT = "text without control characters (NUL, escape, other C0/C1 codes)"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def shown(value: str) -> str:
    """``value`` as a person can read it: control characters as escapes, at most 80 chars."""
    text = value if len(value) <= 80 else value[:79] + "…"
    return CONTROL.sub(
        lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), text
    )


def text_problem(field: str, value: str) -> Problem | None:
    """A problem naming ``field`` when ``value`` holds a control character, else None."""
    if CONTROL.search(value):
        return Problem(field, shown(value), ALLOWED_TEXT, "contains a control character")
    return None


class _NonFinite(str):
    """A number JSON allows but a float cannot hold (``NaN``, ``Infinity``, ``1e999``)."""


def _float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _int(text: str) -> int | _NonFinite:
    return int(text) if len(text) <= 300 else _NonFinite(text[:20] + "…")


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    """(path, item) for every key, string and number in a parsed JSON value; no recursion."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{where}.{key}" if where else str(key)
                yield child_path, key
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{where}.{i}" if where else str(i), c) for i, c in enumerate(item))
        else:
            yield where or "body", item


def depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text`` (strings skipped), without parsing."""
    steps = (1 if b in "[{" else -1 for b in _BRACKETS.findall(_STRING.sub("", text)))
    return max(accumulate(steps), default=0)


def load(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON ``text``; :class:`InvalidInput` names every non-finite number and every string
    with a control character; malformed JSON raises :class:`json.JSONDecodeError`."""
    nested = depth(text)
    if nested > max_depth:
        raise InvalidInput.one(
            "body", f"nested {nested} levels", f"JSON nested at most {max_depth} levels"
        )
    value = json.loads(text, parse_constant=_NonFinite, parse_float=_float, parse_int=_int)
    problems = []
    for path, item in _walk(value):
        if isinstance(item, _NonFinite):
            problems.append(Problem(path, str(item), "a finite number", "not a usable number"))
        elif isinstance(item, str) and (problem := text_problem(path, item)) is not None:
            problems.append(problem)
    if problems:
        raise InvalidInput(problems[:20])
    return value
