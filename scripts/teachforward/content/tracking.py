"""Which parts of a translation match the current English, and which are out of date.

Each translated file records, per section, a fingerprint of the English text it was
translated from (`translated_from`, written by `teachforward i18n mark-current`). Comparing
the record with the English of today tells what has changed since, section by section.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from teachforward.content.model import Course, Document, Exercise, Language, Material, Origin, Page, Workshop
from teachforward.content.prose import Heading

WORD = re.compile(r"\w+", re.UNICODE)
TRACKED_FIELDS = ("title", "summary", "audience", "objectives", "agenda", "key_terms", "further_reading", "law_check")
# Agenda fields added later: left out of the fingerprint while unset, so adding them to the
# format did not make every translation look out of date.
_OPTIONAL_AGENDA: dict[str, object] = {"break": False, "lead": None, "materials": [], "cut": None}
NOT_WORDS = ("settings",)     # tracked, but nothing to translate: not counted in the status's words


# Kept by text: a translation's status reads every English and translated text of the course
# on every build of its site (about 0.2 s a language at 100 workshops), and serve builds again
# and again with most texts unchanged.
@lru_cache(maxsize=1 << 16)
def fingerprint(text: str) -> str:
    normal = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=1 << 16)
def words(text: str) -> int:
    return len(WORD.findall(text))


# --- the English text of each trackable section of a file -------------------------------

def document_sections(document: Document) -> dict[str, str]:
    texts = {"intro": document.intro} if document.intro else {}
    for section in document.sections:
        texts[section.id] = "\n".join([section.title, *section.key_points, section.body])
    return texts


def exercise_sections(exercise: Exercise) -> dict[str, str]:
    texts = {"title": exercise.title, "settings": exercise_settings(exercise)}
    if exercise.summary:
        texts["summary"] = exercise.summary
    if exercise.materials:
        texts["materials"] = " ".join(exercise.materials)
    for part in exercise.parts:
        texts[part.id] = f"{part.title}\n{part.body}"
    return texts


def material_sections(material: Material) -> dict[str, str]:
    return {"title": material.title, **document_sections(material.document)}


def exercise_settings(exercise: Exercise) -> str:
    """What a translation must keep as in English besides the text: its number (the file's
    place in the workshop), its minutes and its group size."""
    return f"number {exercise.number}\nminutes {exercise.minutes}\ngroup size {exercise.group_size}"


def exercise_record(exercise: Exercise) -> dict[str, str]:
    """A translated exercise's record. One made before the settings were tracked stands for the
    translation's own settings, as they were copied from the English then."""
    recorded = dict(exercise.translated_from or {})
    if recorded and "settings" not in recorded:
        recorded["settings"] = fingerprint(exercise_settings(exercise))
    return recorded


def facts_sections(workshop: Workshop) -> dict[str, str]:
    data = workshop.facts.model_dump(mode="json", by_alias=True)
    for item in data.get("agenda", []):
        for name, default in _OPTIONAL_AGENDA.items():
            if item.get(name) == default:
                del item[name]
    if data.get("law_check"):
        data["law_check"] = {k: v for k, v in data["law_check"].items() if v is not None}
    texts = {}
    for name in TRACKED_FIELDS:
        value = data.get(name)
        if value:
            texts[name] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return texts


def page_sections(page: Page) -> dict[str, str]:
    """A site page cut at its ## headings (as parsed): the lines under each, as written."""
    lines = page.text.split("\n")
    cuts = [b for b in page.prose.blocks if isinstance(b, Heading) and b.level == 2]
    starts = [b.line - page.body_line for b in cuts]
    texts = {"intro": "\n".join(lines[:starts[0] if starts else len(lines)])}
    for number, (heading, start) in enumerate(zip(cuts, starts, strict=True), 1):
        end = starts[number] if number < len(starts) else len(lines)
        texts[f"section-{number}"] = heading.source + "\n" + "\n".join(lines[start + 1:end])
    return texts


# --- status -------------------------------------------------------------------------

@dataclass
class FileStatus:
    english: Path               # the English source file
    translation: Path           # where the translation lives (or would live)
    label: str                  # "01-fundamentals/notes.md", "index.md"
    state: str                  # "translated", "outdated" or "missing"
    outdated: list[str] = field(default_factory=list)     # ids of sections changed since translation
    words: int = 0              # English words in the file
    words_current: int = 0      # of which translated and up to date
    words_outdated: int = 0
    site_page: str = ""         # the page of the site it appears on, e.g. "workshops/01-fundamentals/notes.md"


@dataclass
class TranslationStatus:
    lang: str
    files: list[FileStatus]

    def count(self, state: str) -> int:
        return sum(f.state == state for f in self.files)

    @property
    def words(self) -> int:
        return sum(f.words for f in self.files)

    def percent(self, attribute: str) -> float:
        total = self.words
        return round(100 * sum(getattr(f, attribute) for f in self.files) / total, 1) if total else 100.0

    @property
    def percent_current(self) -> float:
        return self.percent("words_current")

    @property
    def percent_outdated(self) -> float:
        return self.percent("words_outdated")

    @property
    def percent_missing(self) -> float:
        return max(0.0, round(100 - self.percent_current - self.percent_outdated, 1))

    def for_page(self, page: str) -> list[FileStatus]:
        return [f for f in self.files if f.site_page == page]

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.lang,
            "files": {"translated": self.count("translated"), "outdated": self.count("outdated"),
                      "missing": self.count("missing"), "total": len(self.files)},
            "words": {"total": self.words, "translated_percent": self.percent_current,
                      "outdated_percent": self.percent_outdated, "missing_percent": self.percent_missing},
            "details": [{"file": f.label, "state": f.state, "outdated_sections": f.outdated, "words": f.words}
                        for f in self.files],
        }


def translation_status(course: Course, language: Language) -> TranslationStatus:
    english = course.source
    files: list[FileStatus] = []
    for original, mine in zip(english.workshops, language.workshops, strict=False):
        base = f"workshops/{original.folder}"
        files.append(_status(language, original.facts_origin.path, mine.facts_origin,
                             facts_sections(original), mine.facts.translated_from,
                             f"{original.folder}/workshop.yaml", f"{base}/index.md"))
        for part in ("notes", "guide"):
            doc, own = getattr(original, part), getattr(mine, part)
            if doc is not None:
                files.append(_status(language, doc.origin.path, own.origin, document_sections(doc),
                                     own.translated_from, f"{original.folder}/{part}.md", f"{base}/{part}.md"))
        mine_exercises = {e.id: e for e in mine.exercises}
        for exercise in original.exercises:
            own = mine_exercises.get(exercise.id, exercise)
            files.append(_status(language, exercise.origin.path, own.origin, exercise_sections(exercise),
                                 exercise_record(own), f"{original.folder}/exercises/{exercise.origin.path.name}",
                                 f"{base}/exercises.md"))
        mine_materials = {m.id: m for m in mine.materials}
        for material in original.materials:
            own = mine_materials.get(material.id, material)
            files.append(_status(language, material.origin.path, own.origin, material_sections(material),
                                 own.translated_from, f"{original.folder}/materials/{material.origin.path.name}",
                                 f"{base}/materials/{material.id}.md"))
    mine_pages = {p.path: p for p in language.pages}
    for page in english.pages:
        own = mine_pages.get(page.path, page)
        written = own.meta.get("translated_from")
        recorded: dict[str, str] = written if isinstance(written, dict) else {}
        files.append(_status(language, page.origin.path, own.origin, page_sections(page), recorded,
                             page.path, page.path))
    return TranslationStatus(language.code, files)


def _status(language: Language, english_path: Path, origin: Origin, sections: dict[str, str], recorded: dict[str, str],
            label: str, site_page: str) -> FileStatus:
    total = sum(words(t) for k, t in sections.items() if k not in NOT_WORDS)
    translation = _translation_path(english_path, language.code)
    if origin.lang == language.code:
        outdated = [key for key, text in sections.items() if recorded.get(key) != fingerprint(text)]
        stale_words = sum(words(sections[k]) for k in outdated if k not in NOT_WORDS)
        return FileStatus(english_path, translation, label, "outdated" if outdated else "translated", outdated,
                          total, total - stale_words, stale_words, site_page)
    return FileStatus(english_path, translation, label, "missing", [], total, 0, 0, site_page)


def _translation_path(english_path: Path, code: str) -> Path:
    parts = list(english_path.parts)
    for index in range(len(parts) - 1, 0, -1):
        if parts[index - 1] in ("workshops", "docs"):
            parts[index] = code
            break
    return Path(*parts)


def record_for(course: Course, english_path: Path) -> dict[str, str]:
    """The fingerprints to record in a translation of `english_path`."""
    return {k: fingerprint(v) for k, v in section_texts(course, english_path).items()}


def section_texts(course: Course, english_path: Path) -> dict[str, str]:
    """The English text of each trackable section of the file `english_path`."""
    english = course.source
    for workshop in english.workshops:
        if workshop.facts_origin.path == english_path:
            return facts_sections(workshop)
        for doc in (workshop.notes, workshop.guide):
            if doc is not None and doc.origin.path == english_path:
                return document_sections(doc)
        for exercise in workshop.exercises:
            if exercise.origin.path == english_path:
                return exercise_sections(exercise)
        for material in workshop.materials:
            if material.origin.path == english_path:
                return material_sections(material)
    for page in english.pages:
        if page.origin.path == english_path:
            return page_sections(page)
    raise KeyError(english_path)
