"""Load every source file once into the content model, collecting problems on the way.

The loader never raises on bad input: each problem is recorded with its file and line,
and loading goes on so that one run reports them all.
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from teachforward.content import markdown, prose
from teachforward.content.languages import describe
from teachforward.content.load_memo import Loaded, LoadMemo, Signature, file_signature
from teachforward.content.model import (
    GROUP_SIZE,
    ID_PATTERN,
    Course,
    CourseFile,
    Document,
    Exercise,
    ExerciseFrontMatter,
    FormatsFile,
    Image,
    Language,
    Link,
    Material,
    MaterialFrontMatter,
    Origin,
    Page,
    Section,
    Target,
    Workshop,
    WorkshopFile,
)
from teachforward.content.parts import BY_PAGE, BY_SOURCE, SOURCE_FOLDERS, material_part
from teachforward.content.schema import schema_problems
from teachforward.content.textfile import RealPlaces, read_text
from teachforward.content.yamlfile import LineMap, parse_yaml
from teachforward.problems import Problems, did_you_mean

WORKSHOP_FOLDER = re.compile(r"^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
EXERCISE_FILE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
EXERCISE_PARTS = ("scenario", "task", "questions", "responses")
PART_FILES = {name: part.name for name, part in BY_SOURCE.items() if name not in SOURCE_FOLDERS}
EXTERNAL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
STRINGS_FILE = "strings.yaml"
Model = TypeVar("Model", bound=BaseModel)
_Numbered = TypeVar("_Numbered", Exercise, Material)   # the files numbered NN-id.md
_Made = TypeVar("_Made")     # what _kept() keeps: a Workshop or a Page (or None)


def load_course(root: Path, memo: prose.ParseMemo | None = None,
                loaded: LoadMemo | None = None) -> tuple[Course | None, Problems]:
    """`memo`: bodies parsed by an earlier load of the same course, reused where unchanged (serve);
    `loaded`: the workshops and pages earlier loads made, reused where nothing they were made
    from changed (content/load_memo.py)."""
    root = root.resolve()
    problems = Problems(root)
    if loaded is not None:
        loaded.start()
    settings = _load_settings(root, problems)
    if settings is None:
        return None, problems
    loader = _Loader(root, settings, problems, memo, loaded)
    course = loader.course()
    if memo is not None:
        memo.forget_unused()
    if loaded is not None:
        loaded.forget_unused()
    return course, problems


def _load_settings(root: Path, problems: Problems) -> CourseFile | None:
    path = root / "workshops" / "course.yaml"
    if not path.is_file():
        problems.add(path, None, "the course settings file is missing",
                     "create workshops/course.yaml (see the page 'Writing and translating workshops')")
        return None
    data = _read_yaml(path, problems)
    if data is None:
        return None
    return _validated(CourseFile, data[0], data[1], path, problems)


def _numbered(path: Path) -> tuple[int, str]:
    """Workshop 100 comes after workshop 99, not after 10."""
    number = path.name.split("-", 1)[0]
    return (int(number) if number.isdigit() else -1, path.name)


def _read_yaml(path: Path, problems: Problems, text: str | None = None, first_line: int = 1,
               memo: prose.ParseMemo | None = None) -> tuple[dict[str, Any], LineMap] | None:
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    if not text.strip():
        problems.add(path, None, "the file is empty", "fill it in, or delete it")
        return None
    parsed = parse_yaml(text, path, problems, first_line) if memo is None else memo.yaml(text, path, first_line, problems)
    if parsed is None:
        return None
    data, lines = parsed
    if not isinstance(data, dict):
        problems.add(path, first_line, "expected a list of fields (name: value), one per line",
                     "start each line with a field name followed by a colon")
        return None
    return data, lines


def _validated(schema: type[Model], data: dict[str, Any], lines: LineMap, path: Path, problems: Problems) -> Model | None:
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        for line, message, hint in schema_problems(schema, error, lines):
            problems.add(path, line, message, hint)
        return None


class _Loader:
    def __init__(self, root: Path, settings: CourseFile, problems: Problems, memo: prose.ParseMemo | None = None,
                 loaded: LoadMemo | None = None):
        self.root = root
        self.memo = memo
        self.kept = loaded
        self.pictures: list[tuple[tuple[str, ...], Path | None]] | None = None   # recorded for self.kept
        self.places = RealPlaces(str(root))
        self.settings = settings
        self.problems = problems
        self.source = settings.source_language

    # --- languages -------------------------------------------------------------------

    def course(self) -> Course | None:
        codes = self._language_codes()
        if self.source not in codes:
            self.problems.add(self.root / "workshops", None,
                              f'there is no folder for the source language "{self.source}"',
                              f"create workshops/{self.source}/ and docs/{self.source}/")
            return None
        english = self._language(self.source, None)
        languages = [english] + [self._language(code, english) for code in sorted(codes - {self.source})]
        formats, lines = self._formats()
        return Course(self.root, self.settings, self.source, tuple(lang for lang in languages if lang), formats, lines)

    def _formats(self) -> tuple[FormatsFile | None, LineMap]:
        path = self.root / "workshops" / "formats.yaml"
        loaded = _read_yaml(path, self.problems, memo=self.memo) if path.is_file() else None
        if loaded is None:
            return None, LineMap()
        return _validated(FormatsFile, loaded[0], loaded[1], path, self.problems), loaded[1]

    def _language_codes(self) -> set[str]:
        codes = set()
        for top in ("workshops", "docs"):
            base = self.root / top
            if not base.is_dir():
                self.problems.add(base, None, f"the {top}/ folder is missing", f"create {top}/{self.source}/")
                continue
            for entry in sorted(base.iterdir()):
                if not entry.is_dir() or entry.name.startswith((".", "_")):
                    continue
                if self._escapes(entry):
                    continue
                try:
                    describe(entry.name)
                except ValueError as error:
                    self.problems.add(entry, None, f"{error}", "rename the folder to the language's code")
                    continue
                codes.add(entry.name)
        return codes

    def _language(self, code: str, english: Language | None) -> Language | None:
        info = describe(code)
        workshops = self._workshops(code, english)
        pages = self._pages(code, english)
        strings, translated = self._strings(code, english)
        return Language(code, info.name, info.english_name, info.direction, tuple(workshops), tuple(pages),
                        strings, frozenset(translated))

    # --- workshops -------------------------------------------------------------------

    def _workshops(self, code: str, english: Language | None) -> list[Workshop]:
        base = self.root / "workshops" / code
        folders: dict[str, Path] = {}
        if base.is_dir():
            for entry in sorted(base.iterdir(), key=_numbered):
                if entry.name.startswith(".") or self._escapes(entry):
                    continue
                if not entry.is_dir() or not WORKSHOP_FOLDER.match(entry.name):
                    self.problems.add(entry, None, f'"{entry.name}" is not a workshop folder',
                                      'name workshop folders with two (or three) digits, a dash and a short name, '
                                      'e.g. "01-fundamentals"')
                    continue
                folders[entry.name] = entry
        if english is None:
            return [w for name, path in folders.items() if (w := self._kept_workshop(path, code, None))]
        known = {w.folder: w for w in english.workshops}
        for name, path in folders.items():
            if name not in known and not (self.root / "workshops" / self.source / name).is_dir():
                self.problems.add(path, None, f'there is no English workshop "{name}" to translate',
                                  f"use the same folder name as in workshops/{self.source}/: "
                                  + (did_you_mean(name, known) or ", ".join(known)))
        result: list[Workshop | None] = []
        for name, original in known.items():
            found = folders.get(name)
            result.append(self._kept_workshop(found, code, original) if found else original)
        return [w for w in result if w]

    def _kept_workshop(self, folder: Path, code: str, original: Workshop | None) -> Workshop | None:
        """_workshop(), or what it gave in an earlier load when nothing it reads changed (load_memo)."""
        if self.kept is None:
            return self._workshop(folder, code, original)
        files = self.kept.folder_files(folder, partial(self.places.folder, str(folder)))
        return self._kept(folder, files, original, partial(self._workshop, folder, code, original))

    def _kept(self, key: Path, files: Signature, original: Workshop | None, make: Callable[[], _Made]) -> _Made:
        """make(), or what it gave in an earlier load with the same files, original and settings
        and the same pictures (load_memo); its problems are added as make() adds them."""
        assert self.kept is not None
        kept = self.kept.find(key, files, original, self.settings, self._first_picture)
        if kept is not None:
            self.problems.items.extend(kept.problems)
            if self.memo is not None:
                self.memo.keep(kept.parsed)
            made: _Made = kept.made
            return made
        found, mark = len(self.problems.items), self.memo.mark() if self.memo is not None else (0, 0)
        self.pictures = []
        try:
            made = make()
            parsed = self.memo.since(mark) if self.memo is not None else ((), ())
            self.kept.keep(key, Loaded(files, original, self.settings, made, tuple(self.problems.items[found:]),
                                       tuple(self.pictures), parsed))
        finally:
            self.pictures = None
        return made

    def _workshop(self, folder: Path, code: str, original: Workshop | None) -> Workshop | None:
        named = WORKSHOP_FOLDER.match(folder.name)
        assert named is not None          # _workshops only passes workshop folders
        number, slug = named.groups()
        facts_path = folder / "workshop.yaml"
        facts: WorkshopFile | None = None
        lines, facts_origin = LineMap(), Origin(facts_path, code)
        if facts_path.is_file():
            loaded = _read_yaml(facts_path, self.problems, memo=self.memo)
            if loaded:
                facts = _validated(WorkshopFile, loaded[0], loaded[1], facts_path, self.problems)
                lines = loaded[1]
                facts_origin = Origin(facts_path, code)
        elif original is None:
            self.problems.add(folder, None, "this workshop folder has no workshop.yaml",
                              "add workshop.yaml with the title, duration, audience, objectives and agenda")
        if facts is None:
            if original is None:
                return None
            facts, lines, facts_origin = original.facts, original.lines, original.facts_origin
        self._unexpected_files(folder)
        notes = self._document(folder / "notes.md", code, folder.name, key_points=True)
        guide = self._document(folder / "guide.md", code, folder.name, key_points=False)
        exercises = self._exercises(folder, code, original)
        materials = self._materials(folder, code, original)
        if original is not None:
            notes = notes or original.notes
            guide = guide or original.guide
        return Workshop(folder.name, int(number), slug, code, facts, facts_origin, notes, guide,
                        tuple(exercises), lines, tuple(materials))

    def _unexpected_files(self, folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name in PART_FILES or entry.name in SOURCE_FOLDERS:
                continue
            suggestion = did_you_mean(entry.name, PART_FILES)
            self.problems.add(entry, None, f'unexpected file "{entry.name}" in a workshop folder',
                              "a workshop folder holds workshop.yaml, notes.md, guide.md, exercises/, materials/ and images/"
                              + (f" ({suggestion})" if suggestion else ""))

    def _exercises(self, folder: Path, code: str, original: Workshop | None) -> list[Exercise]:
        return self._numbered_files(folder, "exercises", "exercise", "01-rota-check.md", self._exercise, code,
                                    original.exercises if original else None)

    def _numbered_files(self, folder: Path, subfolder: str, noun: str, example: str,
                        read: Callable[[Path, str, str, int, str], _Numbered | None], code: str,
                        originals: tuple[_Numbered, ...] | None) -> list[_Numbered]:
        """The NN-id.md files of exercises/ or materials/; in a translation, each English file
        stands in for one not translated yet, in the English order."""
        base = folder / subfolder
        found: dict[str, _Numbered] = {}
        if base.is_dir():
            for path in sorted(base.iterdir()):
                if path.name.startswith(".") or self._escapes(path):
                    continue
                match = EXERCISE_FILE.match(path.name)
                if not match or not path.is_file():
                    self.problems.add(path, None, f'"{path.name}" is not an {noun} file' if noun[0] in "aeiou"
                                      else f'"{path.name}" is not a {noun} file',
                                      f'name {noun} files with two digits, a dash, a short name and ".md", '
                                      f'e.g. "{example}"')
                    continue
                item = read(path, code, folder.name, int(match.group(1)), match.group(2))
                if item:
                    found[item.id] = item
        if originals is None:
            return list(found.values())
        english = {item.id: item for item in originals}
        for id_, item in found.items():
            if id_ not in english:
                self.problems.add(item.origin.path, None, f'there is no English {noun} "{id_}" to translate',
                                  did_you_mean(id_, english) or "keep the English file name: " + (", ".join(
                                      f"{e.number:02d}-{e.id}.md" for e in originals) or "there are none"))
        return [found.get(id_, item) for id_, item in english.items()]

    def _exercise(self, path: Path, code: str, folder: str, number: int, id_: str) -> Exercise | None:
        text = read_text(path, self.problems)
        if text is None:
            return None
        front, front_line, body, body_line = markdown.split_front_matter(text)
        if front is None:
            self.problems.add(path, 1, "the exercise has no settings block at the top",
                              'start the file with "---", then "group_size: 3-5" and "minutes: 20", then "---"')
            return None
        loaded = _read_yaml(path, self.problems, front or " ", front_line, memo=self.memo)
        settings = _validated(ExerciseFrontMatter, loaded[0], loaded[1], path, self.problems) if loaded else None
        parsed = self._parse(body, body_line, path, folder)
        intro, cuts = prose.cut_at_headings(parsed, level=2, exact=True)
        top = next((b for b in intro.blocks if isinstance(b, prose.Heading) and b.level == 1), None)
        title = top.source if top else None
        if title is None:
            self.problems.add(path, body_line, "the exercise has no title", 'write the title on its own line as "# Title"')
        parts: dict[str, Section] = {}
        for cut in cuts:
            section = self._section(cut, path, key_points=False)
            if section is None:
                continue
            if section.id not in EXERCISE_PARTS:
                self.problems.add(path, cut.heading.line, f'unknown exercise section id "{section.id}"',
                                  did_you_mean(section.id, EXERCISE_PARTS)
                                  or "an exercise has the sections {#scenario}, {#task}, {#questions} and {#responses}")
                continue
            if section.id in parts:
                self.problems.add(path, cut.heading.line, f'the section "{section.id}" appears twice', "keep one of them")
            parts[section.id] = section
        for required in ("scenario", "task", "responses"):
            if required not in parts:
                self.problems.add(path, None, f'the exercise has no "{required}" section',
                                  f"add a section whose heading ends with {{#{required}}}")
        group = None
        if settings is not None:
            group = GROUP_SIZE.match(str(settings.group_size))
            if not group:
                self.problems.add(path, loaded[1].line(("group_size",)) if loaded else None,
                                  f'group_size "{settings.group_size}" is not a number of people',
                                  "write a number such as 4, or a range such as 3-5")
        if settings is None or title is None or group is None or not all(p in parts for p in ("scenario", "task", "responses")):
            return None
        low, high = group.groups()
        size = f"{low}–{high}" if high else low
        return Exercise(id_, number, Origin(path, code), title, size, settings.minutes,
                        parts["scenario"], parts["task"], parts.get("questions"), parts["responses"],
                        dict(settings.translated_from), heading=top.inlines if top else (),
                        summary=settings.summary, materials=tuple(settings.materials),
                        settings_line={key: line for key in ("summary", "materials")
                                       if loaded and (line := loaded[1].line((key,)))})

    # --- printable materials -----------------------------------------------------------

    def _materials(self, folder: Path, code: str, original: Workshop | None) -> list[Material]:
        """materials/NN-id.md, each falling back to English on its own, like exercises."""
        return self._numbered_files(folder, "materials", "material", "01-recipe-card.md", self._material, code,
                                    original.materials if original else None)

    def _material(self, path: Path, code: str, folder: str, number: int, id_: str) -> Material | None:
        text = read_text(path, self.problems)
        if text is None:
            return None
        front, front_line, body, body_line = markdown.split_front_matter(text)
        if front is None:
            self.problems.add(path, 1, "the material has no settings block at the top",
                              'start the file with "---", then "kind: worksheet" and "audience: participants", then "---"')
            return None
        loaded = _read_yaml(path, self.problems, front or " ", front_line, memo=self.memo)
        settings = _validated(MaterialFrontMatter, loaded[0], loaded[1], path, self.problems) if loaded else None
        parsed = self._parse(body, body_line, path, folder)
        intro, cuts = prose.cut_at_headings(parsed, level=2, exact=True)
        index = next((i for i, b in enumerate(intro.blocks) if isinstance(b, prose.Heading) and b.level == 1), None)
        if index is None:
            self.problems.add(path, body_line, "the material has no title", 'write the title on its own line as "# Title"')
            return None
        title = intro.blocks[index]
        assert isinstance(title, prose.Heading)
        intro = prose.excerpt(intro, index + 1, len(intro.blocks))
        sections = [s for cut in cuts if (s := self._section(cut, path, key_points=False))]
        if len(sections) != len(cuts) or settings is None:
            return None
        document = Document(Origin(path, code), intro.source, tuple(sections), tuple(intro.links()), tuple(intro.images()),
                            dict(settings.translated_from), intro_line=intro.line or title.line + 1, intro_prose=intro)
        return Material(id_, number, title.source, title.line, settings.kind, settings.audience, settings.orientation,
                        document)

    # --- Markdown documents ---------------------------------------------------------

    def _document(self, path: Path, code: str, folder: str, key_points: bool) -> Document | None:
        if not path.is_file():
            return None
        text = read_text(path, self.problems)
        if text is None:
            return None
        front, front_line, body, body_line = markdown.split_front_matter(text)
        recorded = self._translated_from(path, front, front_line)
        parsed = self._parse(body, body_line, path, folder)
        intro, cuts = prose.cut_at_headings(parsed, level=2)
        for block in intro.blocks:
            if isinstance(block, prose.Heading) and block.level == 1:
                self.problems.add(path, block.line, "a title (#) is not needed here: the page's title is added for you",
                                  "remove this line, or make it a section with ## and an id")
        sections = [s for cut in cuts if (s := self._section(cut, path, key_points))]
        if not sections:
            self.problems.add(path, None, "the file has no sections",
                              'start each section with a heading such as "## What counts as data? {#what-is-data}"')
        return Document(Origin(path, code), intro.source, tuple(sections), tuple(intro.links()), tuple(intro.images()),
                        recorded, intro_line=intro.line or body_line, intro_prose=intro)

    def _section(self, cut: prose.Cut, path: Path, key_points: bool) -> Section | None:
        heading = cut.heading
        if heading.level != 2:
            self.problems.add(path, heading.line, "sections start with ## (two hashes)",
                              "use ## for a section and ### for a heading inside it")
            return None
        if not heading.id:
            self.problems.add(path, heading.line, f'the section "{heading.source}" has no id',
                              f"end the heading with an id in curly brackets, e.g. {{#{_suggest_id(heading.source)}}}")
            return None
        if not re.match(ID_PATTERN, heading.id):
            self.problems.add(path, heading.line, f'"{heading.id}" is not a valid id',
                              f"use lower-case letters, digits and dashes, e.g. {{#{_suggest_id(heading.id)}}}")
            return None
        body = cut.body
        points: list[tuple[prose.Inline, ...]] = []
        written: list[str] = []
        point_lines: list[int] = []
        first = body.blocks[0] if body.blocks else None
        if key_points:
            if isinstance(first, prose.ListBlock) and not first.ordered:
                for item in first.items:
                    lead = item.blocks[0] if item.blocks else None
                    points.append(lead.inlines if isinstance(lead, prose.Paragraph) else ())
                    written.append(prose.item_text(body, item))
                    point_lines.append(item.line)
                body = prose.excerpt(body, 1, len(body.blocks))
            low, high = self.settings.key_points.min, self.settings.key_points.max
            if not low <= len(points) <= high:
                self.problems.add(path, heading.line,
                                  f'the section "{heading.source}" has {len(points)} key points; it needs {low} to {high}',
                                  "put the key points as a bullet list (lines starting with '- ') directly under the heading")
        point_links = tuple(i for p in points for i in prose.inlines_in(p) if isinstance(i, Link))
        point_images = tuple(i for p in points for i in prose.inlines_in(p) if isinstance(i, Image))
        return Section(heading.id, heading.source, heading.line, tuple(written), body.source,
                       tuple(body.links()) + point_links, tuple(body.images()) + point_images,
                       body_line=body.line or heading.line + 1, point_lines=tuple(point_lines),
                       prose=body, heading=heading.inlines, points=tuple(points))

    def _translated_from(self, path: Path, front: str | None, front_line: int) -> dict[str, str]:
        """The record of which English a translated Markdown file matches (its only setting)."""
        if front is None or not front.strip():
            return {}
        loaded = _read_yaml(path, self.problems, front, front_line, memo=self.memo)
        if loaded is None:
            return {}
        data, lines = loaded
        for key in data:
            if key != "translated_from":
                self.problems.add(path, lines.line((key,)), f'unknown setting "{key}" at the top of the file',
                                  "only translated_from (written by teachforward i18n mark-current) belongs here")
        recorded = data.get("translated_from") or {}
        if not isinstance(recorded, dict) or not all(isinstance(v, str) for v in recorded.values()):
            self.problems.add(path, lines.line(("translated_from",)), "translated_from is damaged",
                              "delete the translated_from block and run teachforward i18n mark-current again")
            return {}
        return {str(k): v for k, v in recorded.items()}

    # --- links and pictures ---------------------------------------------------------

    def _parse(self, text: str, first_line: int, path: Path, folder: str | None) -> prose.Prose:
        """The body parsed, each link and picture resolved from this file's place."""
        def link(raw: str) -> Target | None:
            return self._target(raw, path, folder)

        def picture(raw: str) -> Path | None:
            return self._image(raw, path)

        if self.memo is not None:
            return self.memo.parse((path, folder), text, first_line, link, picture)
        return prose.parse(text, first_line, link, picture)

    def _target(self, raw: str, path: Path, folder: str | None) -> Target | None:
        if EXTERNAL.match(raw):
            return Target(url=raw)
        where, _, fragment = raw.partition("#")
        anchor = fragment or None
        if not where:
            return Target(folder, self._part_of(path), anchor) if folder else Target(part=self._page_path(path), anchor=anchor)
        if ":" in where or where.startswith(("/", "\\")):
            return None
        lang_root = self._language_root(path)
        resolved = _normalise(PurePosixPath(path.relative_to(lang_root).parent.as_posix()) / where)
        if resolved is None:
            return None
        parts = resolved.parts
        if folder is not None:
            # A workshop file: paths are relative to workshops/<lang>/.
            return _workshop_target(parts, anchor)
        # A site page: docs/<lang>/..., where workshops appear under workshops/<folder>/.
        if len(parts) >= 2 and parts[0] == "workshops":
            return _workshop_target(parts[1:], anchor)
        return Target(part=resolved.as_posix(), anchor=anchor)

    def _image(self, raw: str, path: Path) -> Path | None:
        """The picture's file: in the language's folder if translated, else the English one."""
        if EXTERNAL.match(raw) or ":" in raw or raw.startswith(("/", "\\")):
            return None
        lang_root = self._language_root(path)
        relative = _normalise(PurePosixPath(path.relative_to(lang_root).parent.as_posix()) / raw)
        if relative is None:
            return None
        english_root = lang_root.parent / self.source
        candidates = (str(lang_root / relative), str(english_root / relative))
        found = self._first_picture(candidates)
        if self.pictures is not None:
            self.pictures.append((candidates, found))
        return found

    def _first_picture(self, candidates: tuple[str, ...]) -> Path | None:
        """The first of the files that is a file, not a link, inside the repository."""
        for candidate in candidates:
            try:
                plain = stat.S_ISREG(os.lstat(candidate).st_mode)
            except (OSError, ValueError):
                plain = False
            if plain and self.places.inside(candidate):
                return Path(candidate)
        return None

    def _outside(self, path: Path) -> bool:
        return not self.places.inside(str(path))

    def _escapes(self, entry: Path) -> bool:
        """Report and skip a file or folder that is a link leading outside the repository."""
        if not self._outside(entry):
            return False
        self.problems.add(entry, None, "this is a link to a place outside the repository, which is not allowed",
                          "copy the files into the repository instead of linking to them")
        return True

    def _markdown_files(self, base: Path) -> list[Path]:
        """Every .md file under `base`, following links only while they stay inside the repository."""
        found: list[Path] = []
        seen: set[Path] = set()

        def visit(folder: Path) -> None:
            real = folder.resolve()
            if real in seen:        # a link back to a folder already read
                return
            seen.add(real)
            for entry in sorted(folder.iterdir()):
                if self._escapes(entry):
                    continue
                if entry.is_dir():
                    visit(entry)
                elif entry.suffix == ".md" and entry.is_file():
                    found.append(entry)

        visit(base)
        return sorted(found)

    def _language_root(self, path: Path) -> Path:
        relative = path.relative_to(self.root)
        return self.root / relative.parts[0] / relative.parts[1]

    def _part_of(self, path: Path) -> str:
        return PART_FILES.get(path.name, "exercises")

    def _page_path(self, path: Path) -> str:
        return path.relative_to(self._language_root(path)).as_posix()

    # --- site pages and interface strings -------------------------------------------

    def _pages(self, code: str, english: Language | None) -> list[Page]:
        base = self.root / "docs" / code
        found = {}
        if base.is_dir():
            for path in self._markdown_files(base):
                page = self._page(path, base, code) if self.kept is None else \
                    self._kept(path, file_signature(path, self.places), None, partial(self._page, path, base, code))
                if page:
                    found[page.path] = page
        if english is None:
            return list(found.values())
        originals = {p.path: p for p in english.pages}
        for name, page in found.items():
            if name not in originals:
                self.problems.add(page.origin.path, None, f'there is no English page "{name}" to translate',
                                  did_you_mean(name, originals) or "use the English file name")
        return [found.get(name, page) for name, page in originals.items()]

    def _page(self, path: Path, base: Path, code: str) -> Page | None:
        text = read_text(path, self.problems)
        if text is None:
            return None
        front, front_line, body, body_line = markdown.split_front_matter(text)
        meta: dict[str, Any] = {}
        if front is not None and front.strip():
            loaded = _read_yaml(path, self.problems, front, front_line, memo=self.memo)
            meta = loaded[0] if loaded else {}
        parsed = self._parse(body, body_line, path, None)
        title = next((b.source for b in parsed.blocks if isinstance(b, prose.Heading) and b.level == 1), None)
        if title is None:
            self.problems.add(path, body_line, "the page has no title", 'start the page with its title as "# Title"')
            return None
        return Page(path.relative_to(base).as_posix(), Origin(path, code), title, body, meta, body_line,
                    tuple(parsed.links()), tuple(parsed.images()), parsed)

    def _strings(self, code: str, english: Language | None) -> tuple[dict[str, str], set[str]]:
        path = self.root / "docs" / code / STRINGS_FILE
        own: dict[str, str] = {}
        text = read_text(path, self.problems) if path.is_file() else None
        # A new language's file starts with every line commented out: nothing translated yet.
        only_comments = text is not None and not any(
            line.strip() and not line.lstrip().startswith("#") for line in text.split("\n"))
        if text is not None and not (only_comments and english is not None):
            loaded = _read_yaml(path, self.problems, text, memo=self.memo)
            if loaded:
                data, lines = loaded
                for key, value in data.items():
                    if not isinstance(value, str) or not value.strip():
                        self.problems.add(path, lines.line((key,)), f'"{key}" must be a piece of text', 'write it as key: "text"')
                    elif english is not None and key not in english.strings:
                        self.problems.warn(path, lines.line((key,)), f'unknown interface string "{key}"',
                                           did_you_mean(key, english.strings) or "remove it")
                    elif english is not None and _placeholders(value) - _placeholders(english.strings[key]):
                        wrong = ", ".join(sorted(_placeholders(value) - _placeholders(english.strings[key])))
                        expected = ", ".join(sorted(_placeholders(english.strings[key]))) or "none"
                        self.problems.add(path, lines.line((key,)), f'"{key}" uses the unknown placeholder(s) {wrong}',
                                          f"keep the English placeholders in curly brackets as they are ({expected})")
                    else:
                        own[key] = value
        elif english is None and not path.is_file():
            self.problems.add(path, None, "the interface strings of the source language are missing",
                              f"create docs/{code}/{STRINGS_FILE}")
        if english is None:
            return own, set(own)
        missing = [key for key in english.strings if key not in own]
        if missing:
            shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
            self.problems.warn(path, None,
                               f"{len(missing)} interface string(s) are not translated and are shown in English: {shown}",
                               f"copy them from docs/{self.source}/{STRINGS_FILE} and translate them")
        return {**english.strings, **own}, set(own)


def _placeholders(text: str) -> set[str]:
    """The {names} a string is filled with; a "{{" is a literal brace."""
    import string
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _workshop_target(parts: tuple[str, ...], anchor: str | None) -> Target | None:
    if len(parts) == 1 and WORKSHOP_FOLDER.match(parts[0]):
        return Target(parts[0], "overview", anchor)
    if len(parts) == 2 and WORKSHOP_FOLDER.match(parts[0]):
        name = parts[1]
        if name in PART_FILES:
            return Target(parts[0], PART_FILES[name], anchor)
        if name in BY_PAGE:         # a link written to the generated page
            return Target(parts[0], BY_PAGE[name].name, anchor)
    if len(parts) == 3 and WORKSHOP_FOLDER.match(parts[0]) and parts[1] == "materials":
        match = EXERCISE_FILE.match(parts[2])
        if match:
            return Target(parts[0], material_part(match.group(2)), anchor)
    if len(parts) == 3 and WORKSHOP_FOLDER.match(parts[0]) and parts[1] == "exercises":
        match = EXERCISE_FILE.match(parts[2])
        if match:
            return Target(parts[0], "exercises", match.group(2))
    # Not a page of a workshop: the validator names what is wrong with it.
    return Target(parts[0] if parts else "", "/".join(parts[1:]) or "overview", anchor)


def _normalise(path: PurePosixPath) -> PurePosixPath | None:
    """Resolve "." and ".." without touching the disk; None if the path leaves its root."""
    parts: list[str] = []
    for part in path.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return PurePosixPath(*parts) if parts else None


def _leading_blank_lines(lines: list[str]) -> int:
    count = 0
    for line in lines:
        if line.strip():
            break
        count += 1
    return count


def _suggest_id(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:40].strip("-") or "section-id"
