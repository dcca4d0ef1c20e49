"""One editable PowerPoint deck per workshop and language, from the loaded content model, and
beside each its presenter view (present.html), made from the same plan.

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
from teachforward.content.design import design_directory as _design_directory
from teachforward.content.model import Course, Language, Workshop
from teachforward.decks import fonts
from teachforward.decks.images import Pictures
from teachforward.decks.plan import Deck, Strings, plan_deck
from teachforward.decks.present import present_html
from teachforward.decks.template import Design, DesignError, load_design
from teachforward.decks.writer import write_deck
from teachforward.fsutil import write_atomic
from teachforward.problems import Problem, Problems

MANIFEST = "manifest.json"
EARLIEST = 315532800          # 1980-01-01, the earliest date a zip file can hold


def render_decks(course: Course, deck_dir: Path, problems: Problems,
                 design_dir: Path | None = None) -> tuple[list[Download], dict[str, Path]]:
    """Write the decks under deck_dir/<lang>/<NN-slug>.pptx. Returns a Download for every
    workshop of every language, and {"<site lang>/<file name>": the file to copy}."""
    made: dict[tuple[str, str], DeckFile] = {}
    for code in deck_groups(course):
        made.update(render_deck_group(course, code, deck_dir, problems, design_dir))
    downloads, files = [], {}
    for language in course.languages:
        mine, my_files = offered_decks(course, language, made)
        downloads += mine
        files.update(my_files)
    return downloads, files


def deck_groups(course: Course) -> list[str]:
    """The languages decks are written in: English first (every other language may fall back on it)."""
    source = course.source
    return [source.code] + [lang.code for lang in course.languages
                            if lang.code != source.code and any(is_translated(w, lang) for w in lang.workshops)]


def render_deck_group(course: Course, code: str, deck_dir: Path, problems: Problems,
                      design_dir: Path | None = None) -> dict[tuple[str, str], DeckFile]:
    """Write the decks written in one language (those of its translated workshops) under
    deck_dir/<code>/; returns {(code, workshop folder): DeckFile}."""
    try:
        design = load_design(design_dir or design_directory(course))
    except DesignError as error:
        problems.add(error.path, None, f"no slide decks were made: {error.message}", error.hint)
        return {}
    return _Renderer(course, deck_dir, problems, design).group(code)


def offered_decks(course: Course, language: Language, made: dict[tuple[str, str], DeckFile]
                  ) -> tuple[list[Download], dict[str, Path]]:
    """The deck offered with each workshop on a language's site: its own, or the English one."""
    source = course.source
    fallback_suffix = re.sub(r"[^a-z0-9]+", "-", source.english_name.lower()).strip("-") or source.code
    downloads, files = [], {}
    for workshop in language.workshops:
        translated = language.code == source.code or is_translated(workshop, language)
        deck = made.get((language.code if translated else source.code, workshop.folder))
        if deck is None:
            continue
        name = f"{workshop.folder}.pptx" if translated else f"{workshop.folder}-{fallback_suffix}.pptx"
        presenter = presenter_path(deck.path).name
        downloads.append(Download(workshop.folder, language.code, deck.lang, name, deck.slides, deck.size, presenter))
        files[f"{language.code}/{name}"] = deck.path
        files[f"{language.code}/{presenter}"] = presenter_path(deck.path)
    return downloads, files


@dataclasses.dataclass(frozen=True)
class DeckFile:
    lang: str
    path: Path
    slides: int
    size: int
    written: bool      # False when the deck made by an earlier build was still right


def presenter_path(deck: Path) -> Path:
    """The presenter view written beside a deck: 01-fundamentals.pptx -> 01-fundamentals.present.html."""
    return deck.with_suffix(".present.html")


def design_directory(course: Course) -> Path:
    return _design_directory(course.root)


def is_translated(workshop: Workshop, language: Language) -> bool:
    """Both the facts and the speaking notes are written in the language."""
    if not language.is_translated(workshop.facts_origin):
        return False
    return workshop.notes is None or language.is_translated(workshop.notes.origin)


def generator_fingerprint() -> str:
    """Changes whenever this package's code, the project's fonts or python-pptx change: old decks
    are then rewritten. Read again by every group of decks (a process may live through edits to
    the code: serve)."""
    digest = hashlib.sha256(pptx.__version__.encode())
    package = Path(__file__).parent
    project_fonts = sorted(fonts.DIRECTORY.glob("*.tt[fc]")) + [fonts.FONTCONFIG_FILE]
    for path in sorted(package.glob("*.py")) + [package.parent / "zipfiles.py", package.parent / "fsutil.py"] \
            + project_fonts:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
        emu_per_inch = 914400
        boxes = tuple((w / emu_per_inch, h / emu_per_inch) for (kind, role), (_, _, w, h) in design.geometry.items()
                      if role == "picture")
        self.pictures = Pictures(deck_dir / ".pictures", boxes)
        self.manifest: dict[str, dict] = {}
        self.written: dict[str, dict] = {}
        self.date_override = self._source_date_epoch()
        self.generator = generator_fingerprint()

    def group(self, code: str) -> dict[tuple[str, str], DeckFile]:
        language = self.languages[code]
        self.manifest = self._read_manifest(code)
        made = {}
        for workshop in language.workshops:
            if code != self.course.source.code and not is_translated(workshop, language):
                continue
            deck = self._deck(workshop, language)
            if deck is not None:
                made[(code, workshop.folder)] = DeckFile(code, *deck)
        self._finish(code)
        return made

    # --- one deck -----------------------------------------------------------------------------

    def _deck(self, workshop: Workshop, language: Language) -> tuple[Path, int, int, bool] | None:
        relative = f"{workshop.folder}.pptx"
        target = self.deck_dir / language.code / relative
        try:
            entry = self.manifest.get(relative)
            sources = self._sources_key(workshop, language)
            presenter = presenter_path(target)
            if entry and entry.get("sources") == sources and target.is_file() and target.stat().st_size == entry.get("size") \
                    and presenter.is_file():
                # Nothing the deck is made from changed: not even planned again. Its problems are told again.
                self.problems.items.extend(Problem(**found) for found in entry.get("problems", []))
                self.written[relative] = entry
                return target, entry["slides"], entry["size"], False
            before = len(self.problems.items)
            deck = self._plan(workshop, language)
            found = [dataclasses.asdict(p) for p in self.problems.items[before:]]
            key = self._key(deck)
            if entry and entry.get("key") == key and target.is_file() and target.stat().st_size == entry.get("size") \
                    and presenter.is_file():
                self.written[relative] = {**entry, "sources": sources, "problems": found}
                return target, entry["slides"], entry["size"], False
            data, slides = write_deck(deck, self.design)
            page = present_html(deck, Strings(language, self.course.source,
                                              is_source=language.code == self.course.source_language))
            # The presenter view first: a deck on disk always has its page beside it.
            write_atomic(presenter, page)
            write_atomic(target, data)
            self.written[relative] = {"key": key, "sources": sources, "problems": found, "slides": slides, "size": len(data)}
            return target, slides, len(data), True
        except Exception as error:   # a bug here must not stop the site; say what happened
            self.problems.add(workshop.facts_origin.path, None,
                              f"the slide deck {relative} could not be made ({type(error).__name__}: {error})",
                              "this is a fault in the deck generator, not in the text: please report it")
            return None

    def _plan(self, workshop: Workshop, language: Language) -> Deck:
        strings = Strings(language, self.course.source)
        font = self.design.fonts.get("cs") or "Arial"
        return plan_deck(workshop, language, self.languages, self.design, self.pictures, self.problems,
                         self._date(workshop), strings("course_name"), font, self.course.source_language)

    def _sources_key(self, workshop: Workshop, language: Language) -> str:
        """A digest of everything a deck's plan is made from: the workshop's files and pictures,
        the interface strings, the languages' directions, the design, this generator and the date."""
        digest = hashlib.sha256()
        directions = sorted((code, lang.direction) for code, lang in self.languages.items())
        for part in (self.generator, self.design.fingerprint, str(self._date(workshop)), language.code,
                     self.course.source_language, json.dumps(directions), json.dumps(language.strings, sort_keys=True),
                     json.dumps(self.course.source.strings, sort_keys=True)):
            digest.update(part.encode("utf-8") + b"\0")
        for path in [origin.path for origin in workshop.origins()] + self._picture_paths(workshop) \
                + [self.course.root / "workshops" / "course.yaml"]:
            digest.update(str(path).encode("utf-8") + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"(missing)")
        return digest.hexdigest()

    @staticmethod
    def _picture_paths(workshop: Workshop) -> list[Path]:
        return sorted({image.path for _, image in workshop.pictures() if image.path})

    def _key(self, deck: Deck) -> str:
        data = json.dumps(deck, sort_keys=True, ensure_ascii=False, default=_plain)
        digest = hashlib.sha256(data.encode("utf-8"))
        digest.update(self.design.fingerprint.encode())
        digest.update(self.generator.encode())
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
        paths = [origin.path for origin in workshop.origins()] + self._picture_paths(workshop)
        times = []
        for path in paths:
            try:
                times.append(int(path.stat().st_mtime))
            except OSError:
                continue
        return max([EARLIEST, *times])

    # --- the cache ----------------------------------------------------------------------------

    def _read_manifest(self, code: str) -> dict:
        try:
            data = json.loads((self.deck_dir / code / MANIFEST).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _finish(self, code: str) -> None:
        """Save the group's manifest and remove its decks no longer made (a workshop renamed or removed)."""
        folder = self.deck_dir / code
        if not folder.is_dir():
            return
        for path in folder.glob("*.pptx"):
            if path.name not in self.written:
                path.unlink(missing_ok=True)
                presenter_path(path).unlink(missing_ok=True)
        text = json.dumps(self.written, sort_keys=True, indent=1) + "\n"
        manifest = folder / MANIFEST
        if not manifest.is_file() or manifest.read_text(encoding="utf-8") != text:
            write_atomic(manifest, text)
