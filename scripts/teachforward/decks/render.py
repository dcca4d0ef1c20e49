"""One editable PowerPoint deck per workshop and language, from the loaded content model.

A language whose workshop is not translated (facts and notes) gets the English deck, under a
name that says so. Decks are planned every time (cheap, and it reports the problems) but
written only when the plan, the template or this generator changed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from pathlib import Path

import pptx

from teachforward.artifacts import Download
from teachforward.content.model import Course, Language, Workshop
from teachforward.decks.images import Pictures
from teachforward.decks.plan import Deck, Strings, plan_deck
from teachforward.decks.template import Design, DesignError, default_directory, load_design
from teachforward.decks.writer import write_deck
from teachforward.problems import Problems

GENERATOR_VERSION = "1"
MANIFEST = "manifest.json"
EARLIEST = 315532800          # 1980-01-01, the earliest date a zip file can hold
_fingerprint: str | None = None


def render_decks(course: Course, deck_dir: Path, problems: Problems,
                 design_dir: Path | None = None) -> tuple[list[Download], dict[str, Path]]:
    """Write the decks under deck_dir/<lang>/<NN-slug>.pptx. Returns a Download for every
    workshop of every language, and {"<site lang>/<file name>": the file to copy}."""
    try:
        design = load_design(design_dir or design_directory(course))
    except DesignError as error:
        problems.add(error.path, None, f"no slide decks were made: {error.message}", error.hint)
        return [], {}
    renderer = _Renderer(course, deck_dir, problems, design)
    return renderer.run()


def design_directory(course: Course) -> Path:
    own = course.root / "slides_src"
    return own if (own / "layouts.yaml").is_file() else default_directory()


def is_translated(workshop: Workshop, language: Language) -> bool:
    """Both the facts and the speaking notes are written in the language."""
    if not language.is_translated(workshop.facts_origin):
        return False
    return workshop.notes is None or language.is_translated(workshop.notes.origin)


def generator_fingerprint() -> str:
    """Changes whenever this package's code or python-pptx changes: old decks are then rewritten."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(f"{GENERATOR_VERSION}|{pptx.__version__}".encode())
        for path in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _plain(value):
    """JSON for the plan's dataclasses (field by field) and anything else as text."""
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return str(value)


class _Renderer:
    def __init__(self, course: Course, deck_dir: Path, problems: Problems, design: Design):
        self.course = course
        self.deck_dir = deck_dir
        self.problems = problems
        self.design = design
        self.languages = {language.code: language for language in course.languages}
        self.pictures = Pictures(deck_dir / ".pictures")
        self.manifest = self._read_manifest()
        self.written: dict[str, dict] = {}
        self.date_override = self._source_date_epoch()

    def run(self) -> tuple[list[Download], dict[str, Path]]:
        source = self.course.source
        originals = {w.folder: w for w in source.workshops}
        done: dict[tuple[str, str], tuple[Path, int, int] | None] = {}
        downloads, files = [], {}
        fallback_suffix = re.sub(r"[^a-z0-9]+", "-", source.english_name.lower()).strip("-") or source.code
        for language in self.course.languages:
            for workshop in language.workshops:
                translated = language.code == source.code or is_translated(workshop, language)
                deck_language = language if translated else source
                deck_workshop = workshop if translated else originals.get(workshop.folder)
                if deck_workshop is None:
                    continue
                key = (deck_language.code, deck_workshop.folder)
                if key not in done:
                    done[key] = self._deck(deck_workshop, deck_language)
                if done[key] is None:
                    continue
                path, slides, size = done[key]
                name = f"{workshop.folder}.pptx" if translated else f"{workshop.folder}-{fallback_suffix}.pptx"
                downloads.append(Download(workshop.folder, language.code, deck_language.code, name, slides, size))
                files[f"{language.code}/{name}"] = path
        self._finish()
        return downloads, files

    # --- one deck -----------------------------------------------------------------------------

    def _deck(self, workshop: Workshop, language: Language) -> tuple[Path, int, int] | None:
        relative = f"{language.code}/{workshop.folder}.pptx"
        target = self.deck_dir / language.code / f"{workshop.folder}.pptx"
        try:
            deck = self._plan(workshop, language)
            key = self._key(deck)
            entry = self.manifest.get(relative)
            if entry and entry.get("key") == key and target.is_file() and target.stat().st_size == entry.get("size"):
                self.written[relative] = entry
                return target, entry["slides"], entry["size"]
            data, slides = write_deck(deck, self.design)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
            self.written[relative] = {"key": key, "slides": slides, "size": len(data)}
            return target, slides, len(data)
        except Exception as error:   # a bug here must not stop the site; say what happened
            self.problems.add(workshop.facts_origin.path, None,
                              f"the slide deck {relative} could not be made ({type(error).__name__}: {error})",
                              "this is a fault in the deck generator, not in the text: please report it")
            return None

    def _plan(self, workshop: Workshop, language: Language) -> Deck:
        strings = Strings(language)
        font = self.design.fonts.get("cs") or "Arial"
        return plan_deck(workshop, language, self.languages, self.design, self.pictures, self.problems,
                         self._date(workshop), strings("course_name"), font, self.course.source_language)

    def _key(self, deck: Deck) -> str:
        data = json.dumps(deck, sort_keys=True, ensure_ascii=False, default=_plain)
        digest = hashlib.sha256(data.encode("utf-8"))
        digest.update(self.design.fingerprint.encode())
        digest.update(generator_fingerprint().encode())
        return digest.hexdigest()

    # --- dates --------------------------------------------------------------------------------

    def _source_date_epoch(self) -> int | None:
        value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not value:
            return None
        try:
            return max(EARLIEST, int(value))
        except ValueError:
            self.problems.warn("SOURCE_DATE_EPOCH", None, f'SOURCE_DATE_EPOCH="{value}" is not a number of seconds',
                               "set it to a whole number, e.g. $(git log -1 --format=%ct), or unset it")
            return None

    def _date(self, workshop: Workshop) -> int:
        """SOURCE_DATE_EPOCH when set; otherwise the time the workshop's newest file was changed."""
        if self.date_override is not None:
            return self.date_override
        paths = [origin.path for origin in workshop.origins()]
        for document in (workshop.notes, workshop.guide):
            if document:
                paths += [image.path for section in document.sections for image in section.images if image.path]
        times = []
        for path in paths:
            try:
                times.append(int(path.stat().st_mtime))
            except OSError:
                continue
        return max([EARLIEST, *times])

    # --- the cache ----------------------------------------------------------------------------

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.deck_dir / MANIFEST).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _finish(self) -> None:
        """Save the manifest and remove decks no longer made (a workshop renamed or removed)."""
        if not self.deck_dir.is_dir():
            return
        for path in self.deck_dir.glob("*/*.pptx"):
            relative = path.relative_to(self.deck_dir).as_posix()
            if relative not in self.written:
                path.unlink(missing_ok=True)
        text = json.dumps(self.written, sort_keys=True, indent=1) + "\n"
        manifest = self.deck_dir / MANIFEST
        if not manifest.is_file() or manifest.read_text(encoding="utf-8") != text:
            temporary = manifest.with_name(f".{MANIFEST}.{os.getpid()}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, manifest)
