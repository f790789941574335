"""HTML forms generated from a pydantic JSON Schema, and form data parsed back to JSON.

The evaluation form has ~150 fields in nested sections; generating it from the model's schema
keeps the page, the API and the validation in step. Field names are dotted paths
(``hip_exam.left.rom_deg.internal_rotation``), the same paths validation errors name, so every
message lands next to its field. Blank fields are left out (= not assessed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hipback.web.forms import parse_number

ROWS_PER_LIST = 3


@dataclass
class FormField:
    name: str
    label: str
    help: str
    kind: str  # number | integer | boolean | enum | date | text | multi | flag
    options: list[str] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False


@dataclass
class FormSection:
    name: str
    title: str
    help: str
    fields: list[FormField] = field(default_factory=list)
    sections: list[FormSection] = field(default_factory=list)
    list_of: str | None = None  # set for a repeated row of an array of objects


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = root["$defs"][ref.rsplit("/", 1)[-1]]
        merged = dict(target)
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        return merged
    any_of = schema.get("anyOf")
    if isinstance(any_of, list):
        options = [s for s in any_of if s.get("type") != "null"]
        if len(options) == 1:
            merged = dict(_resolve(options[0], root))
            for key in ("description", "title"):
                if key in schema:
                    merged[key] = schema[key]
            return merged
    return schema


def _title(name: str, schema: Mapping[str, Any]) -> str:
    return str(schema.get("title") or name.replace("_", " ").capitalize())


def build(root: Mapping[str, Any], skip: tuple[str, ...] = ()) -> FormSection:
    return _section("", root, root, root.get("title", "Form"), set(root.get("required", [])), skip)


def _section(
    path: str,
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    title: str,
    required: set[str],
    skip: tuple[str, ...],
) -> FormSection:
    out = FormSection(path, title, str(schema.get("description", "")))
    for key, raw in schema.get("properties", {}).items():
        name = f"{path}.{key}" if path else key
        if name in skip:
            continue
        sub = _resolve(raw, root)
        kind = sub.get("type")
        if kind == "object" and "properties" in sub:
            out.sections.append(
                _section(name, sub, root, _title(key, sub), set(sub.get("required", [])), skip)
            )
        elif kind == "array":
            items = _resolve(sub.get("items", {}), root)
            if items.get("type") == "object":
                group = FormSection(name, _title(key, sub), str(sub.get("description", "")))
                for i in range(ROWS_PER_LIST):
                    row = _section(
                        f"{name}.{i}", items, root, f"{_title(key, sub)} {i + 1}", set(), skip
                    )
                    row.list_of = name
                    group.sections.append(row)
                group.fields.append(
                    FormField(f"{name}.none", "None", "Tick if there are none.", "flag")
                )
                out.sections.append(group)
            else:
                options = [str(o) for o in items.get("enum", [])]
                out.fields.append(
                    FormField(
                        name, _title(key, sub), str(sub.get("description", "")), "multi", options
                    )
                )
        else:
            out.fields.append(_leaf(name, key, sub, key in required))
    return out


def _leaf(name: str, key: str, schema: Mapping[str, Any], required: bool) -> FormField:
    kind = schema.get("type", "string")
    label, help_text = _title(key, schema), str(schema.get("description", ""))
    if "enum" in schema:
        return FormField(
            name, label, help_text, "enum", [str(o) for o in schema["enum"]], required=required
        )
    if kind == "boolean":
        return FormField(name, label, help_text, "boolean", required=required)
    if kind in ("number", "integer"):
        lo = schema.get("minimum", schema.get("exclusiveMinimum"))
        return FormField(
            name,
            label,
            help_text,
            str(kind),
            minimum=lo,
            maximum=schema.get("maximum"),
            required=required,
        )
    if schema.get("format") == "date":
        return FormField(name, label, help_text, "date", required=required)
    return FormField(name, label, help_text, "text", required=required)


def _set(target: dict[str, Any], path: list[str], value: Any) -> None:
    node = target
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def parse(section: FormSection, form: Mapping[str, Any]) -> dict[str, Any]:
    """Form fields → nested JSON. Lists of rows keep only rows with something entered."""
    out: dict[str, Any] = {}
    _collect(section, form, out)
    return out


def _value(f: FormField, form: Mapping[str, Any]) -> Any:
    if f.kind == "multi":
        chosen = [o for o in f.options if form.get(f"{f.name}.{o}")]
        if form.get(f"{f.name}.none"):
            return []
        return chosen or None
    raw = form.get(f.name)
    if not isinstance(raw, str) or raw.strip() == "":
        return None
    raw = raw.strip()
    if f.kind == "boolean":
        return {"yes": True, "no": False}.get(raw, raw)
    if f.kind in ("number", "integer"):
        return parse_number(raw)
    return raw


def _collect(section: FormSection, form: Mapping[str, Any], out: dict[str, Any]) -> None:
    lists: dict[str, list[dict[str, Any]]] = {}
    for f in section.fields:
        if f.kind == "flag":
            if form.get(f.name):
                lists.setdefault(f.name.removesuffix(".none"), [])
            continue
        value = _value(f, form)
        if value is not None:
            _set(out, f.name.split("."), value)
    for sub in section.sections:
        if sub.list_of is not None:
            row: dict[str, Any] = {}
            _collect(sub, form, row)
            node: Any = row
            for part in sub.name.split("."):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if node:
                lists.setdefault(sub.list_of, []).append(node)
        else:
            _collect(sub, form, out)
    for name, rows in lists.items():
        _set(out, name.split("."), rows)


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested JSON → form values (for pre-filling a form from a saved record)."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten(value, name))
        elif isinstance(value, list):
            if not value:
                flat[f"{name}.none"] = "1"
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    flat.update(flatten(item, f"{name}.{i}"))
                else:
                    flat[f"{name}.{item}"] = "1"
        elif isinstance(value, bool):
            flat[name] = "yes" if value else "no"
        elif value is not None:
            flat[name] = str(value)
    return flat
