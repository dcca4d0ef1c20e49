"""Turn pydantic's validation errors into messages a non-programmer can act on."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from teachforward.content.yamlfile import LineMap
from teachforward.problems import did_you_mean

_TYPE_NAMES = {
    "int": "a whole number", "string": "a piece of text", "list": "a list (lines starting with '- ')",
    "dict": "a group of fields (name: value)", "bool": "true or false", "float": "a number",
}


def schema_problems(schema: type[BaseModel], error: ValidationError, lines: LineMap) -> Iterator[tuple[int | None, str, str]]:
    """(line, message, hint) for each error pydantic found."""
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        field = _describe(loc)
        kind = item["type"]
        value = item.get("input")
        line = lines.line(loc)
        if kind == "missing":
            yield lines.line(loc[:-1]), f'the required field "{loc[-1]}" is missing', f'add a line "{loc[-1]}: ..."'
        elif kind == "extra_forbidden":
            known = _fields_at(schema, loc[:-1])
            hint = did_you_mean(str(loc[-1]), known) or ("the fields allowed here are: " + ", ".join(known))
            yield line, f'unknown field "{loc[-1]}"', hint
        elif kind.endswith("_type") or kind.endswith("_parsing") or kind == "union_tag_invalid":
            wanted = next((name for key, name in _TYPE_NAMES.items() if kind.startswith(key)), None)
            if wanted is None:
                wanted = "a value of another kind"
            shown = _shown(value)
            yield line, f"{field} must be {wanted}, not {shown}", _type_hint(kind)
        elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            yield line, f"{field} is {value}, out of range ({item['msg'].lower()})", "check the number"
        elif kind == "too_short":
            yield line, f"{field} is empty", "write at least one item"
        elif kind == "string_too_short":
            yield line, f"{field} is empty", "write some text, or remove the field if it is optional"
        elif kind == "literal_error":
            allowed = [str(v) for v in item.get("ctx", {}).get("expected", "").replace("'", "").split(" or ")
                       for v in v.split(", ") if v]
            yield line, f"{field} is {_shown(value)}, which is not one of: {', '.join(allowed)}", \
                did_you_mean(str(value), allowed) or f"write one of: {', '.join(allowed)}"
        elif kind == "string_pattern_mismatch":
            yield line, f'{field} "{value}" is not in the expected form', _pattern_hint(loc)
        else:
            yield line, f"{field}: {item['msg']}", ""


def _describe(loc: tuple[Any, ...]) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part + 1}")
        elif part not in ("int", "str"):
            parts.append(str(part))
    return "the field " + " > ".join(f'"{p}"' if not p.startswith("item ") else p for p in parts) if parts else "the file"


def _shown(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a group of fields" if isinstance(value, dict) else "a list"
    text = str(value)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def _type_hint(kind: str) -> str:
    if kind.startswith("int"):
        return "write digits only, without quotes or units, e.g. 20"
    if kind.startswith("string"):
        return "put the text after the colon, in quotes if it contains special characters"
    if kind.startswith("list"):
        return "write each item on its own line starting with '- '"
    return ""


def _pattern_hint(loc: tuple[Any, ...]) -> str:
    if loc and loc[-1] in ("id", "ref"):
        return "use lower-case letters, digits and dashes only, e.g. what-is-data"
    if loc and loc[-1] in ("url", "source"):
        return "a web address starts with https://"
    if loc and loc[-1] == "start_time":
        return "write the time as hours:minutes on the 24-hour clock, e.g. 09:30 or 13:30"
    if loc and loc[-1] in ("checked", "since"):
        return "write the date as year-month-day, e.g. 2026-12-01"
    if loc and isinstance(loc[-1], int) and "materials" in loc:
        return "use the id of a file in the workshop's materials/ folder: its name without the number and .md"
    return ""


def _fields_at(schema: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at a location inside the schema."""
    model: type[BaseModel] = schema
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        annotation = field.annotation
        inner = getattr(annotation, "__args__", None)
        candidates = [annotation] + list(inner or [])
        inside = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if inside is None:
            return []
        model = inside
    return [f.alias or name for name, f in model.model_fields.items()]
