"""Reading one JSON object for a command: from a file, or from stdin (``-`` or no file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hipback.errors import InvalidInput


def read_json_object(path: Path | None) -> dict[str, Any]:
    """One JSON object from ``path`` (``-`` or None = stdin); bad input is InvalidInput."""
    origin = "stdin" if path is None or str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if origin == "stdin" else Path(origin).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput.one(origin, origin, "a readable JSON file", exc.strerror or "") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput.one(origin, text[:40], "one JSON object", f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidInput.one(origin, type(data).__name__, "one JSON object")
    return data
