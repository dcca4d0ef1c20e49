"""The translatable units of a source file, and where each one sits in its translation.

A unit is the smallest piece a translator translates on its own: a heading, a key point, a
block of prose (a paragraph, a list, a table, a code block), a text field of a YAML file or an
interface string. Its id is stable across languages (section id + position, or field path), so
an English unit and the French one are paired by id. Each unit of a translation carries its
span, the characters it occupies in the file, so that a new translation can be written back
by replacing exactly those characters: everything else in the file (ids, front matter,
layout, the translator's own line breaks) stays as it is.

Units are derived from the loaded content model: sections' titles, key points and lines, and
the parsed blocks of each body (`content/prose.py`), one unit per block, from its first line
to its last. Nothing here reads Markdown syntax.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from teachforward.content import markdown, prose
from teachforward.content.model import (
    Course,
    Document,
    Exercise,
    Language,
    Material,
    Origin,
    Page,
    Section,
    Workshop,
)

Kind = Literal["heading", "point", "block", "field", "string"]
FileKind = Literal["facts", "notes", "guide", "exercise", "material", "page", "strings"]

# The text fields of workshop.yaml (and of an exercise's front matter) that are translated;
# "*" is any list index. Numbers, ids, refs, dates and URLs are not: the parity check keeps
# them equal to the English ones.
FACT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("title",), ("summary",), ("audience",), ("objectives", "*"),
    ("agenda", "*", "activity"), ("agenda", "*", "lead"), ("agenda", "*", "cut", "how"),
    ("key_terms", "*", "term"), ("key_terms", "*", "definition"),
    ("further_reading", "*", "title"), ("further_reading", "*", "publisher"), ("further_reading", "*", "note"),
    ("law_check", "note"), ("law_check", "items", "*", "law"), ("law_check", "items", "*", "where"),
    ("law_check", "items", "*", "says"),
)
FRONT_MATTER_FIELDS: tuple[tuple[str, ...], ...] = (("summary",),)


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of a file's text (LF line endings, no BOM)."""
    start: int
    end: int


@dataclass(frozen=True)
class Slot:
    """A unit as it is written in one file."""
    text: str                 # the unit's text as the model reads it (a wrapped key point is one line)
    span: Span
    line: int


@dataclass(frozen=True)
class Unit:
    id: str                   # "what-is-data/point-2", "key_terms/inference/term", "agenda_title"
    section: str              # the translated_from key it is tracked under ("" when not tracked)
    kind: Kind
    source: str               # the English text
    target: str | None        # the translation, None when the file or the unit is not translated
    span: Span | None         # where the translation is (or, in a copy of English, would be)
    line: int                 # line of the unit in the file it was read from
    note: str = ""            # what the unit is, for the translator
    english_span: Span | None = None   # where the English is, in the English file


@dataclass
class FileUnits:
    """The units of one English source file paired with one language's translation of it."""
    kind: FileKind
    english: Path
    translation: Path
    text: str                 # the file the spans refer to: the translation, or the English when none
    translated: bool          # whether the translation file exists
    recorded: dict[str, str]  # its translated_from record
    units: list[Unit] = field(default_factory=list)
    english_text: str = ""    # the English file the units' english_span refer to


# --- building slots from the model ------------------------------------------------------

class _Text:
    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line_span(self, first: int, last: int) -> Span:
        """Lines first..last (1-based, inclusive), without the final newline."""
        return Span(self.starts[first - 1], self.starts[last - 1] + len(self.lines[last - 1]))

    def lines_slot(self, first: int, last: int) -> Slot:
        span = self.line_span(first, last)
        return Slot(self.text[span.start:span.end], span, first)

    def at(self, where: prose.Span) -> Slot:
        """A stretch of one line, as the parsed model places it."""
        start = self.starts[where.line - 1] + where.start
        return Slot(self.text[start:start + where.end - where.start], Span(start, start + where.end - where.start),
                    where.line)

    def written_on(self, line: int, written: str) -> Slot | None:
        """A title the model keeps as its text and its line (a section's, an exercise's): it is
        written once on that line, after the #s."""
        if not written or not 0 < line <= len(self.lines):
            return None
        column = self.lines[line - 1].find(written)
        if column < 0:
            return None
        start = self.starts[line - 1] + column
        return Slot(written, Span(start, start + len(written)), line)


def _block_slots(text: _Text, blocks: tuple[prose.Block, ...], prefix: str) -> dict[str, tuple[Kind, Slot]]:
    """One unit per parsed block: a heading is its text, any other block its lines as written."""
    found: dict[str, tuple[Kind, Slot]] = {}
    for number, block in enumerate(blocks, 1):
        if isinstance(block, prose.Heading) and block.text_at is not None:
            found[f"{prefix}block-{number}"] = ("heading", text.at(block.text_at))
        elif 0 < block.line <= block.last_line <= len(text.lines):
            found[f"{prefix}block-{number}"] = ("block", text.lines_slot(block.line, block.last_line))
    return found


def _point_slots(text: _Text, section: Section, prefix: str, limit: int) -> dict[str, tuple[Kind, Slot]]:
    """The key points, from the line each starts on and its text as the model keeps it (a
    wrapped point is its lines joined with spaces). `limit` is the first line after the list."""
    found: dict[str, tuple[Kind, Slot]] = {}
    lines = section.point_lines
    for number, (point, line) in enumerate(zip(section.key_points, lines, strict=True), 1):
        bound = min(lines[number] if number < len(lines) else limit, len(text.lines) + 1)
        for last in range(line, bound):
            slot = _point_written(text, point, line, last)
            if slot is not None:
                found[f"{prefix}point-{number}"] = ("point", slot)
                break
    return found


def _point_written(text: _Text, point: str, line: int, last: int) -> Slot | None:
    """The point as written on lines line..last, if those lines hold exactly its text."""
    following = " ".join(row.strip() for row in text.lines[line:last])
    if following and not point.endswith(" " + following):
        return None
    first = point[:len(point) - len(following) - 1] if following else point
    written = text.lines[line - 1].rstrip()
    if not first or not written.endswith(first):
        return None
    start = text.starts[line - 1] + len(written) - len(first)
    return Slot(point, Span(start, text.line_span(last, last).end), line)


def _section_slots(text: _Text, section: Section, next_line: int) -> dict[str, tuple[Kind, Slot]]:
    found: dict[str, tuple[Kind, Slot]] = {}
    heading = text.written_on(section.line, section.title)
    if heading is not None:
        found[f"{section.id}/title"] = ("heading", heading)
    body = section.prose.blocks
    found.update(_point_slots(text, section, f"{section.id}/", body[0].line if body else next_line))
    found.update(_block_slots(text, body, f"{section.id}/"))
    return found


def document_slots(text: str, document: Document) -> dict[str, dict[str, tuple[Kind, Slot]]]:
    """Slots per tracked section ("intro", then each section id)."""
    source = _Text(text)
    slots = {"intro": _block_slots(source, document.intro_prose.blocks, "intro/")}
    sections = document.sections
    for index, section in enumerate(sections):
        following = sections[index + 1].line if index + 1 < len(sections) else len(source.lines) + 1
        slots[section.id] = _section_slots(source, section, following)
    return slots


def exercise_slots(text: str, exercise: Exercise) -> dict[str, dict[str, tuple[Kind, Slot]]]:
    source = _Text(text)
    front, front_line, _, body_line = markdown.split_front_matter(text)
    slots: dict[str, dict[str, tuple[Kind, Slot]]] = {"title": {}}
    # The title is the first line above the parts that holds it (the model keeps its text only).
    for line in range(body_line, exercise.parts[0].line if exercise.parts else len(source.lines) + 1):
        if (heading := source.written_on(line, exercise.title)) is not None:
            slots["title"]["title"] = ("heading", heading)
            break
    if front is not None:
        slots.update(_by_section(yaml_slots(text, FRONT_MATTER_FIELDS, offset=source.starts[front_line - 1],
                                            text_of=front, first_line=front_line)))
    parts = exercise.parts
    for index, part in enumerate(parts):
        following = parts[index + 1].line if index + 1 < len(parts) else len(source.lines) + 1
        slots[part.id] = _section_slots(source, part, following)
    return slots


def material_slots(text: str, material: Material) -> dict[str, dict[str, tuple[Kind, Slot]]]:
    """A material's title, then its document (intro and sections), as tracking keys them."""
    heading = _Text(text).written_on(material.title_line, material.title)
    return {"title": {"title": ("heading", heading)} if heading else {}, **document_slots(text, material.document)}


def page_slots(text: str, page: Page) -> dict[str, dict[str, tuple[Kind, Slot]]]:
    """A site page has no section ids: its sections are numbered, cut at its ## headings as
    tracking cuts them."""
    source = _Text(text)
    blocks = page.prose.blocks
    cuts = [i for i, b in enumerate(blocks) if isinstance(b, prose.Heading) and b.level == 2]
    slots = {"intro": _block_slots(source, blocks[:cuts[0] if cuts else len(blocks)], "intro/")}
    for number, index in enumerate(cuts, 1):
        key = f"section-{number}"
        heading = blocks[index]
        assert isinstance(heading, prose.Heading)
        found: dict[str, tuple[Kind, Slot]] = {}
        if heading.text_at is not None:
            found[f"{key}/title"] = ("heading", source.at(heading.text_at))
        end = cuts[number] if number < len(cuts) else len(blocks)
        found.update(_block_slots(source, blocks[index + 1:end], f"{key}/"))
        slots[key] = found
    return slots


def yaml_slots(text: str, patterns: tuple[tuple[str, ...], ...], offset: int = 0, text_of: str | None = None,
               first_line: int = 1) -> dict[str, tuple[Kind, Slot]]:
    """Slots of the text fields of a YAML file (or front matter: `text_of`, starting at `offset`)."""
    try:
        root = yaml.compose(text if text_of is None else text_of, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: dict[str, tuple[Kind, Slot]] = {}
    for pattern in patterns:
        for path, node in _walk(root, pattern, ()):
            value = node.value
            if not isinstance(value, str) or node.tag != "tag:yaml.org,2002:str" or not value.strip():
                continue
            found["/".join(path)] = ("field", Slot(value, Span(offset + node.start_mark.index,
                                                                offset + node.end_mark.index),
                                                   first_line + node.start_mark.line))
    return found


def strings_slots(text: str) -> dict[str, tuple[Kind, Slot]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: dict[str, tuple[Kind, Slot]] = {}
    if isinstance(root, MappingNode):
        for key, node in root.value:
            if isinstance(key, ScalarNode) and isinstance(node, ScalarNode) and isinstance(node.value, str):
                found[str(key.value)] = ("string", Slot(node.value, Span(node.start_mark.index, node.end_mark.index),
                                                        node.start_mark.line + 1))
    return found


def _walk(node: Node | None, pattern: tuple[str, ...], path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], ScalarNode]]:
    if not pattern:
        if isinstance(node, ScalarNode):
            yield path, node
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                yield from _walk(item, rest, path + (_item_key(item, index),))
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == head:
                yield from _walk(value, rest, path + (head,))


def _item_key(item: Node, index: int) -> str:
    """A list item is named by its own id when it has one (key terms), else by its position."""
    if isinstance(item, MappingNode):
        for key, value in item.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return str(index)


# --- pairing English and translation ------------------------------------------------------

NOTES = {"heading": "a heading", "point": "a key point (a bullet on the slide)", "block": "a paragraph or block",
         "field": "a field of the file", "string": "a word or sentence the generator writes"}


def _paired(english: dict[str, dict[str, tuple[Kind, Slot]]], mine: dict[str, dict[str, tuple[Kind, Slot]]] | None,
            english_text: str = "", text: str = "") -> list[Unit]:
    """English units with their translations (None: the file is not translated)."""
    units: list[Unit] = []
    for section, theirs in english.items():
        own = mine.get(section, {}) if mine is not None else None
        if own and _blocks_differ(theirs, own):
            theirs, own = _merged_body(theirs, english_text), _merged_body(own, text)
        for id_, (kind, slot) in theirs.items():
            if own is None:
                units.append(Unit(id_, section, kind, slot.text, None, slot.span, slot.line, NOTES[kind], slot.span))
                continue
            found = own.get(id_)
            units.append(Unit(id_, section, kind, slot.text, found[1].text if found else None,
                              found[1].span if found else None, found[1].line if found else slot.line, NOTES[kind],
                              slot.span))
    return units


def _blocks_differ(english: dict[str, Any], mine: dict[str, Any]) -> bool:
    def count(slots: dict[str, Any]) -> int:
        return sum(1 for id_ in slots if "/block-" in id_ or id_.startswith("block-"))
    return count(english) != count(mine)


def _merged_body(slots: dict[str, tuple[Kind, Slot]], text: str) -> dict[str, tuple[Kind, Slot]]:
    """When a translation has a different number of blocks than the English section, the body
    is one unit: the translator's own paragraphing is kept, and nothing is paired wrongly."""
    kept = {k: v for k, v in slots.items() if "block-" not in k}
    body = [v for k, v in slots.items() if "block-" in k]
    if body:
        prefix = next(k for k in slots if "block-" in k).rsplit("block-", 1)[0]
        first, last = body[0][1], body[-1][1]
        kept[f"{prefix}body"] = ("block", Slot(text[first.span.start:last.span.end],
                                                Span(first.span.start, last.span.end), first.line))
    return kept


def language_files(course: Course, language: Language) -> list[FileUnits]:
    """Every translatable file of the course, English paired with `language`'s translation."""
    english = course.source
    files: list[FileUnits] = []
    for original, mine in zip(english.workshops, language.workshops, strict=False):
        files.append(_facts(course, original, mine, language))
        for part in ("notes", "guide"):
            doc, own = getattr(original, part), getattr(mine, part)
            if doc is not None:
                files.append(_markdown_file(course, part, doc.origin.path, own.origin, language,
                                            lambda text, d: document_slots(text, d), doc, own, own.translated_from))
        mine_exercises = {e.id: e for e in mine.exercises}
        for exercise in original.exercises:
            own = mine_exercises.get(exercise.id, exercise)
            files.append(_markdown_file(course, "exercise", exercise.origin.path, own.origin, language,
                                        exercise_slots, exercise, own, own.translated_from))
        mine_materials = {m.id: m for m in mine.materials}
        for material in original.materials:
            own = mine_materials.get(material.id, material)
            files.append(_markdown_file(course, "material", material.origin.path, own.origin, language,
                                        material_slots, material, own, own.translated_from))
    mine_pages = {p.path: p for p in language.pages}
    for page in english.pages:
        own = mine_pages.get(page.path, page)
        recorded = own.meta.get("translated_from") if isinstance(own.meta.get("translated_from"), dict) else {}
        files.append(_markdown_file(course, "page", page.origin.path, own.origin, language, page_slots, page, own,
                                    recorded))
    files.append(_strings_file(course, language))
    return files


def _translation_path(course: Course, english_path: Path, code: str) -> Path:
    relative = english_path.relative_to(course.root)
    return course.root.joinpath(relative.parts[0], code, *relative.parts[2:])


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def _markdown_file(course: Course, kind: FileKind, english_path: Path, origin: Origin, language: Language,
                   slots_of: Callable[[str, Any], dict[str, dict[str, tuple[Kind, Slot]]]], original: Any, own: Any,
                   recorded: Mapping[str, str] | None) -> FileUnits:
    english_text = _read(english_path)
    theirs = slots_of(english_text, original)
    translated = origin.lang == language.code
    if translated:
        text = _read(origin.path)
        units = _paired(theirs, slots_of(text, own), english_text, text)
    else:
        text = english_text
        units = _paired(theirs, None)
    return FileUnits(kind, english_path, _translation_path(course, english_path, language.code), text, translated,
                     dict(recorded or {}), units, english_text)


def _facts(course: Course, original: Workshop, mine: Workshop, language: Language) -> FileUnits:
    english_text = _read(original.facts_origin.path)
    theirs = _by_section(yaml_slots(english_text, FACT_FIELDS))
    translated = mine.facts_origin.lang == language.code
    text = _read(mine.facts_origin.path) if translated else english_text
    units = _paired(theirs, _by_section(yaml_slots(text, FACT_FIELDS)) if translated else None, english_text, text)
    return FileUnits("facts", original.facts_origin.path, _translation_path(course, original.facts_origin.path,
                     language.code), text, translated, dict(mine.facts.translated_from) if translated else {}, units,
                     english_text)


def _by_section(slots: dict[str, tuple[Kind, Slot]]) -> dict[str, dict[str, tuple[Kind, Slot]]]:
    grouped: dict[str, dict[str, tuple[Kind, Slot]]] = {}
    for id_, value in slots.items():
        grouped.setdefault(id_.split("/", 1)[0], {})[id_] = value
    return grouped


def _strings_file(course: Course, language: Language) -> FileUnits:
    english_path = course.root / "docs" / course.source_language / "strings.yaml"
    path = course.root / "docs" / language.code / "strings.yaml"
    english_text = _read(english_path)
    english = strings_slots(english_text)
    text = _read(path) if path.is_file() else ""
    mine = strings_slots(text)
    # A string the loader refused (a wrong placeholder) is not a translation, but it has a place.
    units = [Unit(key, "", "string", slot.text, mine[key][1].text if key in language.translated_strings else None,
                  mine[key][1].span if key in mine else None, mine[key][1].line if key in mine else slot.line,
                  NOTES["string"], slot.span) for key, (_, slot) in english.items()]
    return FileUnits("strings", english_path, path, text, path.is_file(), {}, units, english_text)
