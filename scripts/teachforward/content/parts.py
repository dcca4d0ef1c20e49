"""The parts of a workshop: where each is written and which page of the site shows it.
Loader, validator, site and decks all read this one table."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    name: str                 # what links and the model call it
    source: str | None        # the file (or folder) in the workshop folder; None if generated
    page: str                 # the generated page, inside workshops/<folder>/ on the site
    anchors: frozenset[str] = frozenset()   # fixed anchors of the generated page


PARTS = (
    Part("overview", "workshop.yaml", "index.md", frozenset({"objectives", "agenda", "key-terms", "further-reading"})),
    Part("notes", "notes.md", "notes.md"),
    Part("guide", "guide.md", "guide.md"),
    Part("exercises", "exercises", "exercises.md"),
    Part("handout", None, "handout.md"),
    Part("runsheet", None, "run-sheet.md"),
)
BY_NAME = {part.name: part for part in PARTS}
BY_SOURCE = {part.source: part for part in PARTS if part.source}
BY_PAGE = {part.page: part for part in PARTS}
SOURCE_FOLDERS = ("exercises", "images", "materials")        # folders a workshop folder may hold


MATERIALS = "materials"       # a material is the part "materials/<id>", one page each


def material_part(material_id: str) -> str:
    return f"{MATERIALS}/{material_id}"


def page_of(workshop_folder: str, part: str) -> str:
    """The site page of a part ("notes", or "materials/<id>"), relative to the language's docs folder."""
    if part.startswith(MATERIALS + "/"):
        return f"workshops/{workshop_folder}/{part}.md"
    return f"workshops/{workshop_folder}/{BY_NAME[part].page}"
