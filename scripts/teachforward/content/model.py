"""The typed content model: what a course is made of, independent of how it is shown.

Source files are validated against the `*File` schemas (pydantic, unknown fields refused);
the loader then assembles the resolved objects below, with English filling in for any
part that a language has not translated yet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from teachforward.content.yamlfile import LineMap

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
GROUP_SIZE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$")


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- Schemas of the files authors write -------------------------------------------------

class AgendaItem(_Schema):
    minutes: int = Field(gt=0, le=240)
    activity: Text
    ref: Id | None = None      # a notes section or exercise this item covers


class KeyTerm(_Schema):
    id: Id
    term: Text
    definition: Text


class Reading(_Schema):
    title: Text
    author: Text | None = None
    publisher: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
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
    # Written by `teachforward i18n mark-current` in a translation: which English it matches.
    translated_from: dict[str, str] = {}


class ExerciseFrontMatter(_Schema):
    group_size: int | str
    minutes: int = Field(gt=0, le=240)
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


# --- The resolved model ------------------------------------------------------------------

@dataclass(frozen=True)
class Origin:
    """Where a piece of content was read from, and in which language it is written."""
    path: Path
    lang: str
    line: int = 1


@dataclass(frozen=True)
class Target:
    """What a link in the prose points at, independent of any renderer's URLs."""
    workshop: str | None = None          # folder name, e.g. "02-data-lifecycle"
    part: str | None = None              # "overview", "notes", "guide", "exercises" or a page path
    anchor: str | None = None
    url: str | None = None               # an external address


@dataclass(frozen=True)
class Link:
    line: int
    text: str
    raw: str                  # the target exactly as written
    target: Target | None     # None when it cannot be resolved (the validator reports it)
    is_image: bool = False


@dataclass(frozen=True)
class Image:
    line: int
    alt: str
    raw: str
    path: Path | None         # resolved file, possibly the English one


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Document:
    """A Markdown file split into sections (speaking notes, facilitator's guide)."""
    origin: Origin
    intro: str
    sections: tuple[Section, ...]
    links: tuple[Link, ...] = ()
    images: tuple[Image, ...] = ()
    translated_from: dict[str, str] = field(default_factory=dict, compare=False)
    intro_line: int = 0       # line of the intro's first line in the file (0 when unknown)


@dataclass(frozen=True)
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

    @property
    def parts(self) -> tuple[Section, ...]:
        return tuple(s for s in (self.scenario, self.task, self.questions, self.responses) if s)


@dataclass(frozen=True)
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

    @property
    def title(self) -> str:
        return self.facts.title

    def line_of(self, *path: str | int) -> int | None:
        return self.lines.line(path)

    def origins(self) -> list[Origin]:
        found = [self.facts_origin]
        found += [d.origin for d in (self.notes, self.guide) if d]
        found += [e.origin for e in self.exercises]
        return found

    def ids(self) -> set[str]:
        """Every id a link or an agenda item may point at."""
        ids = {s.id for d in (self.notes, self.guide) if d for s in d.sections}
        return ids | {e.id for e in self.exercises}


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Course:
    root: Path
    settings: CourseFile
    source_language: str
    languages: tuple[Language, ...]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def source(self) -> Language:
        return self.language(self.source_language)
