"""The slide design's settings file, slides_src/layouts.yaml: its schema, and the check that
`teachforward check` runs on it (the decks read it through `read_layouts` too)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from teachforward.content.schema import schema_problems
from teachforward.content.yamlfile import LineMap, parse_yaml
from teachforward.problems import Problems

# Each kind of slide and the parts of it that go into a placeholder of its layout.
ROLES: dict[str, tuple[str, ...]] = {
    "title": ("title", "subtitle", "body"),
    "agenda": ("title", "table"),
    "objectives": ("title", "body"),
    "section": ("title", "body"),
    "section_picture": ("title", "body", "picture", "caption"),
    "picture": ("title", "picture", "caption"),
    "exercise": ("title", "meta", "body"),
    "table": ("title", "table"),
    "key_terms": ("title", "body"),
    "closing": ("title", "body"),
    "break": ("title", "body"),
}
KINDS = tuple(ROLES)
# A kind an older layouts.yaml does not name is laid out like this one.
STAND_IN_KINDS = {"break": "closing"}
ALL_ROLES = sorted({role for roles in ROLES.values() for role in roles})


class KindEntry(BaseModel):
    """One kind of slide: the layout's name and each role's placeholder idx."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    layout: str = Field(min_length=1)
    title: int | None = Field(default=None, ge=0)
    subtitle: int | None = Field(default=None, ge=0)
    body: int | None = Field(default=None, ge=0)
    picture: int | None = Field(default=None, ge=0)
    caption: int | None = Field(default=None, ge=0)
    meta: int | None = Field(default=None, ge=0)
    table: int | None = Field(default=None, ge=0)
    font_size: int | float | None = Field(default=None, gt=4, le=96)   # the table's text, in points

    def placeholders(self, kind: str) -> dict[str, int]:
        return {role: value for role in ROLES[kind] if isinstance(value := getattr(self, role), int)}

    def options(self) -> dict[str, Any]:
        return {"font_size": self.font_size} if self.font_size is not None else {}


class LayoutsFile(BaseModel):
    """slides_src/layouts.yaml"""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    template: str = "template.pptx"
    kinds: dict[str, KindEntry]


def default_directory() -> Path:
    """The design that comes with Teach Forward (a course may have its own slides_src/)."""
    return Path(__file__).resolve().parents[3] / "slides_src"


def design_directory(root: Path) -> Path:
    own = root / "slides_src"
    return own if (own / "layouts.yaml").is_file() else default_directory()


def read_layouts(directory: Path, problems: Problems) -> LayoutsFile | None:
    """layouts.yaml checked against its schema and the kinds the decks need; every problem
    reported with its line. None when it cannot be used."""
    path = directory / "layouts.yaml"
    if not path.is_file():
        problems.add(path, None, "the slide design file layouts.yaml is missing",
                     "restore slides_src/layouts.yaml from the repository")
        return None
    try:      # the default design is Teach Forward's own, outside a course's folder: read it directly
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path, None, f"layouts.yaml cannot be read ({error})", "save it again as UTF-8 text")
        return None
    parsed = parse_yaml(text, path, problems)
    if parsed is None:
        return None
    data, lines = parsed
    if not isinstance(data, dict):
        problems.add(path, 1, 'layouts.yaml has no "kinds:" list', "see the comments at the top of the file")
        return None
    try:
        layouts = LayoutsFile.model_validate(data)
    except ValidationError as error:
        for line, message, hint in schema_problems(LayoutsFile, error, lines):
            problems.add(path, line, message, hint)
        return None
    stand_ins = {kind: layouts.kinds[stand_in] for kind, stand_in in STAND_IN_KINDS.items()
                 if kind not in layouts.kinds and stand_in in layouts.kinds}
    if stand_ins:
        layouts = layouts.model_copy(update={"kinds": {**layouts.kinds, **stand_ins}})
    return layouts if _complete(layouts, path, lines, problems) else None


def _complete(layouts: LayoutsFile, path: Path, lines: LineMap, problems: Problems) -> bool:
    ok = True
    missing = [kind for kind in KINDS if kind not in layouts.kinds]
    if missing:
        problems.add(path, lines.line(("kinds",)), "layouts.yaml does not say which layout to use for: " + ", ".join(missing),
                     "add an entry for each under kinds:")
        ok = False
    for name, entry in layouts.kinds.items():
        if name not in ROLES:
            problems.add(path, lines.line(("kinds", name)), f'unknown kind of slide "{name}"',
                         "the kinds are: " + ", ".join(KINDS))
            ok = False
            continue
        extra = [role for role in ALL_ROLES if getattr(entry, role) is not None and role not in ROLES[name]]
        if extra:
            problems.add(path, lines.line(("kinds", name, extra[0])),
                         f'{name} slides have no {", ".join(extra)}',
                         "remove it; the parts of this kind are: " + ", ".join(ROLES[name]))
            ok = False
        absent = [role for role in ROLES[name] if getattr(entry, role) is None]
        if absent:
            problems.add(path, lines.line(("kinds", name)),
                         f'the slide kind "{name}" does not give the placeholder idx of: ' + ", ".join(absent),
                         "write role: idx, e.g. body: 10")
            ok = False
    template = path.parent / layouts.template
    if not template.is_file():
        problems.add(path, lines.line(("template",)), f'the slide template "{layouts.template}" is missing',
                     "make it with: .venv/bin/python scripts/make_template.py")
        ok = False
    return ok


def check_design(root: Path, problems: Problems) -> None:
    read_layouts(design_directory(root), problems)
