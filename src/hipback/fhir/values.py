"""Small conversions shared by the mapping modules: dates, times, JSON documents."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any


def instant(value: datetime) -> str:
    """A FHIR dateTime in UTC; naive values (SQLite) are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def parse_instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def json_attachment(title: str, document: Any) -> dict[str, Any]:
    """A JSON document as an Attachment (base64, ``application/json``)."""
    data = base64.b64encode(canonical_json(document).encode("utf-8")).decode("ascii")
    return {"contentType": "application/json", "title": title, "data": data}


def attachment_json(attachment: dict[str, Any]) -> Any:
    """Inverse of :func:`json_attachment`; raises ValueError when it is not JSON."""
    if attachment.get("contentType") != "application/json":
        raise ValueError("contentType must be application/json")
    raw = base64.b64decode(attachment.get("data", ""), validate=True)
    return json.loads(raw.decode("utf-8"))
