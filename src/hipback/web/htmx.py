"""The only module that reads HTMX headers."""

from __future__ import annotations

from fastapi import Request


def is_partial(request: Request) -> bool:
    """True when HTMX asks for a fragment (not a boosted navigation or a history restore)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-boosted") != "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )
