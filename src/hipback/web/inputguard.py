"""The one input layer every request passes before routing: text must be text.

Refused with 422 naming the field (and nothing written): control characters and lone
surrogates in the path, the query string, form fields or any JSON string or key; text that is
not UTF-8; non-finite numbers in JSON and JSON nested too deeply (the rules are in
:mod:`hipback.core.safejson`, shared with the command line). Bodies over :data:`MAX_BODY` get 413
before they are parsed, and multipart bodies (no hipback form uploads files) 415.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hipback.core import safejson
from hipback.core.safejson import shown, text_problem
from hipback.errors import InvalidInput, Problem
from hipback.web.errors import respond

MAX_BODY = 10 * 1024 * 1024
TOO_LARGE = "the request body is over 10 MB; at most 10 MB is accepted (split a FHIR export)"
MESSAGE = "Some values cannot be accepted; each is named below."


class Refused(Exception):
    def __init__(self, status: int, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems


def _check_pairs(where: str, pairs: list[tuple[str, str]]) -> list[Problem]:
    problems = []
    for key, value in pairs:
        field = shown(key)
        for problem in (
            text_problem(f"{where}{field}", key),
            text_problem(f"{where}{field}", value),
        ):
            if problem is not None:
                problems.append(problem)
                break
    return problems


def _parse_pairs(where: str, raw: str) -> list[tuple[str, str]]:
    """URL-encoded pairs, each name and value decoded as strict UTF-8 (the field is named)."""
    pairs = []
    for part in raw.split("&"):
        if not part:
            continue
        name_raw, _, value_raw = part.partition("=")
        name_bytes = unquote_to_bytes(name_raw.replace("+", " "))
        name = name_bytes.decode("utf-8", "replace")
        try:
            name = name_bytes.decode("utf-8")
            value = unquote_to_bytes(value_raw.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            field = f"{where}{shown(name)}"
            raise Refused(
                422, MESSAGE, [Problem(field, "undecodable bytes", "UTF-8 text")]
            ) from None
        pairs.append((name, value))
    return pairs


def check_json(body: bytes) -> None:
    """Refuse ``body`` unless it is UTF-8 JSON that :func:`hipback.core.safejson.load` accepts.
    Malformed JSON passes here: the route answers 422 with the parser's message."""
    try:
        safejson.load(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(422, MESSAGE, [Problem("body", "bytes", "UTF-8 JSON")]) from None
    except json.JSONDecodeError:
        return
    except InvalidInput as exc:
        raise Refused(422, MESSAGE, list(exc.problems)) from None


class InputGuard:
    """Pure ASGI middleware; the body it read is replayed to the app unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            problems = _check_text_or_none("path", scope.get("path", ""))
            query = _parse_pairs("query ", scope.get("query_string", b"").decode("latin-1"))
            problems += _check_pairs("", query)
            if problems:
                raise Refused(422, MESSAGE, problems)
            if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
                await self.app(scope, receive, send)
                return
            body, receive = await _buffer(scope, receive)
            _check_body(scope, body)
        except Refused as refused:
            await _refuse(scope, receive, send, refused)
            return
        await self.app(scope, receive, send)


def _check_text_or_none(field: str, value: str) -> list[Problem]:
    problem = text_problem(field, value)
    return [problem] if problem is not None else []


def _content_type(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            return str(value.decode("latin-1").split(";")[0].strip().lower())
    return ""


def _check_body(scope: Scope, body: bytes) -> None:
    if not body:
        return
    kind = _content_type(scope)
    if kind == "application/x-www-form-urlencoded":
        try:
            raw = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(422, MESSAGE, [Problem("form", "bytes", "UTF-8 text")]) from None
        problems = _check_pairs("", _parse_pairs("", raw))
        if problems:
            raise Refused(422, MESSAGE, problems)
    elif kind.startswith("multipart/"):
        raise Refused(415, "forms are sent URL-encoded; hipback accepts no file uploads", [])
    elif not kind or kind == "application/json" or kind.endswith("+json"):
        check_json(body)


async def _buffer(scope: Scope, receive: Receive) -> tuple[bytes, Receive]:
    for key, value in scope.get("headers", ()):
        if key == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
            raise Refused(413, TOO_LARGE, [])
    chunks = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks += message.get("body", b"")
        more = message.get("more_body", False)
        if len(chunks) > MAX_BODY:
            raise Refused(413, TOO_LARGE, [])
    body = bytes(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _refuse(scope: Scope, receive: Receive, send: Send, refused: Refused) -> None:
    request = Request(scope, receive)
    code = {413: "too_large", 415: "unsupported_media_type"}.get(refused.status, "invalid_input")
    response = respond(
        request, refused.status, code, refused.message, [p.as_dict() for p in refused.problems]
    )
    await response(scope, receive, send)
