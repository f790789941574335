"""Turn pydantic validation errors into hipback Problems (field path, value, allowed).

The allowed range is read from the published JSON Schema so the error message and the schema
can never disagree.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from hipback.errors import InvalidInput, Problem

Schema = dict[str, Any]


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('hip_fractures', 0, 'side')`` → ``'hip_fractures[0].side'``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _resolve(node: Schema, root: Schema) -> Schema:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _branches(node: Schema, root: Schema) -> tuple[list[Schema], bool]:
    """Non-null alternatives of ``node`` and whether null is allowed."""
    node = _resolve(node, root)
    options = node.get("anyOf", [node])
    nullable = any(o.get("type") == "null" for o in options)
    return [_resolve(o, root) for o in options if o.get("type") != "null"], nullable


def _child(node: Schema, step: int | str, root: Schema) -> Schema | None:
    for option in _branches(node, root)[0]:
        if isinstance(step, int) and "items" in option:
            return dict(option["items"])
        if isinstance(step, str) and step in option.get("properties", {}):
            return dict(option["properties"][step])
        if isinstance(step, str) and isinstance(option.get("additionalProperties"), dict):
            return dict(option["additionalProperties"])
    return None


def _locate(root: Schema, loc: tuple[int | str, ...]) -> Schema | None:
    node: Schema | None = root
    for step in loc:
        if node is None:
            return None
        node = _child(node, step, root)
    return node


def _describe_one(node: Schema) -> str:
    if "enum" in node or "const" in node:
        values = node.get("enum", [node.get("const")])
        return "one of " + ", ".join(repr(v) for v in values)
    kind = node.get("type")
    if kind in ("number", "integer"):
        word = "a whole number" if kind == "integer" else "a number"
        lo, hi = node.get("minimum"), node.get("maximum")
        if lo is not None and hi is not None:
            return f"{word} from {lo:g} to {hi:g}"
        bounds = [
            f"{text} {node[key]:g}"
            for key, text in (
                ("exclusiveMinimum", "above"),
                ("minimum", "at least"),
                ("exclusiveMaximum", "below"),
                ("maximum", "at most"),
            )
            if key in node
        ]
        return " ".join([word, " and ".join(bounds)]) if bounds else word
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        if node.get("format") == "date":
            return "a date YYYY-MM-DD"
        if "maxLength" in node:
            return f"text of {node.get('minLength', 0)} to {node['maxLength']} characters"
        return "text"
    if kind == "array":
        return "a list"
    if kind == "object":
        keys = list(node.get("properties", {}))
        return "an object" + (" with keys " + ", ".join(keys) if keys else "")
    return "a valid value"


def describe(node: Schema | None, root: Schema) -> str:
    """Plain-language allowed values of a schema node, with its description."""
    if node is None:
        return "a valid value"
    options, nullable = _branches(node, root)
    text = " or ".join(_describe_one(o) for o in options) or "null"
    if nullable:
        text += " or null (not assessed)"
    description = node.get("description") or next(
        (o["description"] for o in options if "description" in o), ""
    )
    return f"{text} — {description}" if description else text


def problems_from(exc: ValidationError, root: Schema) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = field_path(loc) or "evaluation"
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, InvalidInput):
            problems += [
                Problem(f"{path}.{p.field}", p.value, p.allowed, p.message) for p in cause.problems
            ]
            continue
        if err["type"] == "extra_forbidden":
            parent = _locate(root, loc[:-1])
            options = _branches(parent, root)[0] if parent is not None else []
            keys = [k for o in options for k in o.get("properties", {})]
            allowed = "no such field; known fields: " + ", ".join(keys) if keys else "no field"
            problems.append(Problem(path, err["input"], allowed, "unknown field"))
            continue
        value = None if err["type"] == "missing" else err["input"]
        allowed = describe(_locate(root, loc), root)
        message = "missing" if err["type"] == "missing" else err["msg"]
        problems.append(Problem(path, value, allowed, message))
    return problems
