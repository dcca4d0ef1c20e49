"""The typed content model: what a course is made of, independent of how it is shown.

Source files are validated against the `*File` schemas (pydantic, unknown fields refused);
the loader then assembles the resolved objects below, with English filling in for any
part that a language has not translated yet.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from teachforward.content.prose import EMPTY, Image, Inline, Link, Prose, inlines_in
from teachforward.content.target import Target
from teachforward.content.yamlfile import LineMap

__all__ = ["Image", "Link", "Target"]   # re-exported: the model's vocabulary for what prose points at

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# The most words of a scenario summary (the exercise's `summary`, or one the slides make from
# the scenario): more leaves the task no room on the exercise's slide in the measured
# languages. The check warns above it; the deck planner makes its own summaries this long.
SUMMARY_WORDS = 25
GROUP_SIZE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- Schemas of the files authors write -------------------------------------------------

Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]   # a real date: checked by the validator
MaterialKind = Literal["worksheet", "template", "form", "checklist", "letter"]
MATERIAL_KINDS: tuple[str, ...] = get_args(MaterialKind)


class Cut(_Schema):
    """What to drop from an agenda item when the session runs late."""
    order: int = Field(ge=1, le=99)     # 1 = the first thing to cut
    saves: int = Field(gt=0, le=240)    # minutes gained
    how: Text


class AgendaItem(_Schema):
    minutes: int = Field(gt=0, le=240)
    activity: Text
    ref: Id | None = None      # a notes section or exercise this item covers
    is_break: bool = Field(default=False, alias="break")
    lead: Text | None = None   # who leads the item
    materials: list[Id] = []   # ids of the workshop's materials/ files used here
    cut: Cut | None = None


class LawItem(_Schema):
    law: Text
    provision: Text
    since: IsoDate | None = None
    where: Text | None = None
    says: Text
    source: Url


class LawCheck(_Schema):
    checked: IsoDate
    note: Text | None = None
    items: list[LawItem] = Field(min_length=1)


class KeyTerm(_Schema):
    id: Id
    term: Text
    definition: Text


class Reading(_Schema):
    title: Text
    author: Text | None = None
    publisher: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: Url | None = None
    note: Text | None = None


class WorkshopFile(_Schema):
    """workshops/<lang>/<NN-slug>/workshop.yaml"""
    title: Text
    summary: Text
    duration: int
    audience: Text
    objectives: list[Text] = Field(min_length=1)
    agenda: list[AgendaItem] = Field(min_length=1)
    key_terms: list[KeyTerm] = []
    further_reading: list[Reading] = []
    law_check: LawCheck | None = None
    # Written by `teachforward i18n mark-current` in a translation: which English it matches.
    translated_from: dict[str, str] = {}


class ExerciseFrontMatter(_Schema):
    group_size: int | str
    minutes: int = Field(gt=0, le=240)
    summary: Text | None = None         # what a slide shows instead of the whole scenario
    materials: list[Id] = []
    translated_from: dict[str, str] = {}


class MaterialFrontMatter(_Schema):
    """The settings of workshops/<lang>/<NN-slug>/materials/NN-id.md"""
    kind: MaterialKind
    audience: Literal["participants", "facilitators"]
    orientation: Literal["portrait", "landscape"] = "portrait"
    translated_from: dict[str, str] = {}


class Range(_Schema):
    min: int
    max: int


class CourseFile(_Schema):
    """workshops/course.yaml"""
    source_language: str = "en"
    duration: Range = Range(min=90, max=120)
    key_points: Range = Range(min=2, max=5)
    pages: list[str]
    # When a session starts unless the facilitator says otherwise (the run-sheets' clock times).
    start_time: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "09:30"


Clock = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]   # "09:30", 24-hour


class FormatItem(_Schema):
    """One thing in a day of a delivery format: a workshop, or minutes of something else."""
    workshop: str | None = None                              # a workshop folder, e.g. 01-fundamentals
    break_minutes: int | None = Field(default=None, alias="break", gt=0, le=120)
    lunch: int | None = Field(default=None, gt=0, le=120)
    welcome: int | None = Field(default=None, gt=0, le=120)
    closing: int | None = Field(default=None, gt=0, le=120)

    def given(self) -> list[tuple[str, str | int]]:
        """(kind, value) for each field written: the check wants exactly one. Kinds: "workshop"
        (value: its folder), "break", "lunch", "welcome", "closing" (value: minutes)."""
        values = (("workshop", self.workshop), ("break", self.break_minutes), ("lunch", self.lunch),
                  ("welcome", self.welcome), ("closing", self.closing))
        return [(kind, value) for kind, value in values if value is not None]


class FormatDay(_Schema):
    start: Clock
    hours: float = Field(gt=0, le=12)                        # how long the day (or session) may last
    items: list[FormatItem] = Field(min_length=1)


class DeliveryFormat(_Schema):
    id: Id
    title: dict[str, Text]                                   # by language code; English required
    summary: dict[str, Text] = {}
    unit: Literal["day", "session", "week"] = "day"          # how its days are called
    days: list[FormatDay] = Field(min_length=1)


class FormatsFile(_Schema):
    """workshops/formats.yaml: the ways the course can be delivered."""
    formats: list[DeliveryFormat] = Field(min_length=1)


# --- The resolved model ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Origin:
    """Where a piece of content was read from, and in which language it is written."""
    path: Path
    lang: str
    line: int = 1


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    line: int
    key_points: tuple[str, ...]
    body: str                 # Markdown, without the heading and the key points
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    body_line: int = 0        # line of the body's first line in the file (0 when unknown)
    point_lines: tuple[int, ...] = ()   # line of each key point
    prose: Prose = EMPTY      # the body, parsed
    heading: tuple[Inline, ...] = ()     # the title, parsed
    points: tuple[tuple[Inline, ...], ...] = ()   # the key points, parsed

    @property
    def speaking_text(self) -> Prose:
        """What the presenter says (the notes' body under the key points)."""
        return self.prose


@dataclass(frozen=True, slots=True)
class Document:
    """A Markdown file split into sections (speaking notes, facilitator's guide)."""
    origin: Origin
    intro: str
    sections: tuple[Section, ...]
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    translated_from: dict[str, str] = field(default_factory=dict, compare=False)
    intro_line: int = 0       # line of the intro's first line in the file (0 when unknown)
    intro_prose: Prose = EMPTY

    def proses(self) -> Iterator[Prose]:
        yield self.intro_prose
        for section in self.sections:
            yield section.prose


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    number: int
    origin: Origin
    title: str
    group_size: str           # "4" or "3–5"
    minutes: int
    scenario: Section
    task: Section
    questions: Section | None
    responses: Section
    translated_from: dict[str, str] = field(default_factory=dict, compare=False)
    heading: tuple[Inline, ...] = ()     # the title, parsed
    summary: str | None = None           # what a slide shows instead of the whole scenario
    materials: tuple[str, ...] = ()      # ids of the workshop's materials the exercise uses
    settings_line: dict[str, int] = field(default_factory=dict, compare=False)   # front-matter field -> line

    @property
    def parts(self) -> tuple[Section, ...]:
        return tuple(s for s in (self.scenario, self.task, self.questions, self.responses) if s)


@dataclass(frozen=True, slots=True)
class Material:
    """A printable worksheet, template, form, checklist or letter (materials/NN-id.md)."""
    id: str
    number: int
    title: str
    title_line: int
    kind: str
    audience: str             # "participants" or "facilitators"
    orientation: str          # "portrait" or "landscape"
    document: Document        # the text after the title: an intro and optional sections

    @property
    def origin(self) -> Origin:
        return self.document.origin

    @property
    def translated_from(self) -> dict[str, str]:
        return self.document.translated_from


@dataclass(frozen=True, slots=True)
class Workshop:
    folder: str               # "01-fundamentals"
    number: int
    slug: str
    lang: str                 # the language this workshop is presented in
    facts: WorkshopFile
    facts_origin: Origin
    notes: Document | None
    guide: Document | None
    exercises: tuple[Exercise, ...]
    lines: LineMap = field(default_factory=LineMap, compare=False, repr=False)   # YAML path -> line
    materials: tuple[Material, ...] = ()

    @property
    def title(self) -> str:
        return self.facts.title

    def line_of(self, *path: str | int) -> int | None:
        return self.lines.line(path)

    def origins(self) -> list[Origin]:
        found = [self.facts_origin]
        found += [d.origin for d in (self.notes, self.guide) if d]
        found += [e.origin for e in self.exercises]
        found += [m.origin for m in self.materials]
        return found

    def ids(self) -> set[str]:
        """Every id a link or an agenda item may point at."""
        ids = {s.id for d in (self.notes, self.guide) if d for s in d.sections}
        return ids | {e.id for e in self.exercises}

    def material(self, id_: str) -> Material | None:
        return next((m for m in self.materials if m.id == id_), None)

    def documents(self) -> tuple[Document, ...]:
        """The workshop's Markdown documents (speaking notes, facilitator's guide)."""
        return tuple(d for d in (self.notes, self.guide) if d)

    def proses(self) -> Iterator[tuple[Origin, Prose]]:
        """Every parsed body of the workshop with the file it is written in, in reading order:
        notes (intro, sections, key points excluded), guide, each exercise's parts, then each material."""
        for document in self.documents():
            for prose in document.proses():
                yield document.origin, prose
        for exercise in self.exercises:
            for part in exercise.parts:
                yield exercise.origin, part.prose
        for material in self.materials:
            for prose in material.document.proses():
                yield material.origin, prose

    def links(self) -> Iterator[tuple[Origin, Link]]:
        """Every link of the workshop's prose, key points included."""
        for origin, prose in self.proses():
            for link in prose.links():
                yield origin, link
        for document in self.documents():
            for section in document.sections:
                for point in section.points:
                    for inline in inlines_in(point):
                        if isinstance(inline, Link):
                            yield document.origin, inline

    def pictures(self) -> Iterator[tuple[Origin, Image]]:
        """Every picture of the workshop's prose, key points included."""
        for origin, prose in self.proses():
            for image in prose.images():
                yield origin, image
        for document in self.documents():
            for section in document.sections:
                for point in section.points:
                    for inline in inlines_in(point):
                        if isinstance(inline, Image):
                            yield document.origin, inline


@dataclass(frozen=True, slots=True)
class Page:
    """A hand-written page of the site, docs/<lang>/<path>."""
    path: str                 # "index.md", relative to docs/<lang>/
    origin: Origin
    title: str
    text: str                 # Markdown, front matter removed
    meta: dict[str, Any]
    body_line: int            # line of the text's first line in the file
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    prose: Prose = EMPTY


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str                 # in the language itself, e.g. "Français"
    english_name: str
    direction: Literal["ltr", "rtl"]
    workshops: tuple[Workshop, ...]
    pages: tuple[Page, ...]
    strings: dict[str, str]
    translated_strings: frozenset[str]

    def is_translated(self, origin: Origin) -> bool:
        return origin.lang == self.code


@dataclass(frozen=True, slots=True)
class Course:
    root: Path
    settings: CourseFile
    source_language: str
    languages: tuple[Language, ...]
    formats: FormatsFile | None = None                        # workshops/formats.yaml, if there is one
    formats_lines: LineMap = field(default_factory=LineMap, compare=False, repr=False)

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def source(self) -> Language:
        return self.language(self.source_language)
