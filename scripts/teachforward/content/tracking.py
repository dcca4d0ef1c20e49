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
from pathlib import Path
from typing import Any

from teachforward.content.markdown import split_sections
from teachforward.content.model import Course, Document, Exercise, Language, Origin, Page, Workshop

WORD = re.compile(r"\w+", re.UNICODE)
TRACKED_FIELDS = ("title", "summary", "audience", "objectives", "agenda", "key_terms", "further_reading")


def fingerprint(text: str) -> str:
    normal = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def words(text: str) -> int:
    return len(WORD.findall(text))


# --- the English text of each trackable section of a file -------------------------------

def document_sections(document: Document) -> dict[str, str]:
    texts = {"intro": document.intro} if document.intro else {}
    for section in document.sections:
        texts[section.id] = "\n".join([section.title, *section.key_points, section.body])
    return texts


def exercise_sections(exercise: Exercise) -> dict[str, str]:
    texts = {"title": exercise.title}
    for part in exercise.parts:
        texts[part.id] = f"{part.title}\n{part.body}"
    return texts


def facts_sections(workshop: Workshop) -> dict[str, str]:
    data = workshop.facts.model_dump(mode="json")
    texts = {}
    for name in TRACKED_FIELDS:
        value = data.get(name)
        if value:
            texts[name] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return texts


def page_sections(page: Page) -> dict[str, str]:
    intro, sections = split_sections(page.text, page.body_line, level=2, exact=True)
    texts = {"intro": "\n".join(intro)}
    for number, raw in enumerate(sections, 1):
        texts[f"section-{number}"] = raw.title + "\n" + "\n".join(raw.lines)
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
                                 own.translated_from, f"{original.folder}/exercises/{exercise.origin.path.name}",
                                 f"{base}/exercises.md"))
    mine_pages = {p.path: p for p in language.pages}
    for page in english.pages:
        own = mine_pages.get(page.path, page)
        recorded = own.meta.get("translated_from")
        if not isinstance(recorded, dict):
            recorded = {}
        files.append(_status(language, page.origin.path, own.origin, page_sections(page), recorded,
                             page.path, page.path))
    return TranslationStatus(language.code, files)


def _status(language: Language, english_path: Path, origin: Origin, sections: dict[str, str], recorded: dict[str, str],
            label: str, site_page: str) -> FileStatus:
    total = sum(words(t) for t in sections.values())
    translation = _translation_path(english_path, language.code)
    if origin.lang == language.code:
        outdated = [key for key, text in sections.items() if recorded.get(key) != fingerprint(text)]
        stale_words = sum(words(sections[k]) for k in outdated)
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
    english = course.source
    for workshop in english.workshops:
        if workshop.facts_origin.path == english_path:
            return {k: fingerprint(v) for k, v in facts_sections(workshop).items()}
        for doc in (workshop.notes, workshop.guide):
            if doc is not None and doc.origin.path == english_path:
                return {k: fingerprint(v) for k, v in document_sections(doc).items()}
        for exercise in workshop.exercises:
            if exercise.origin.path == english_path:
                return {k: fingerprint(v) for k, v in exercise_sections(exercise).items()}
    for page in english.pages:
        if page.origin.path == english_path:
            return {k: fingerprint(v) for k, v in page_sections(page).items()}
    raise KeyError(english_path)
