"""Checks that need more than one file: sums, ids, links and pictures.

Every problem is added to the same list as the loader's, so a single run reports them all.
"""
from __future__ import annotations

import os
import re
import time
from functools import partial
from pathlib import Path

from teachforward.content.design import check_design
from teachforward.content.html_policy import check_html, svg_findings
from teachforward.content.kit_checks import check_formats, check_workshop_kit, material_hint
from teachforward.content.load_memo import RACY_NS
from teachforward.content.model import Course, Image, Language, Link, Workshop
from teachforward.content.parity import check_parity
from teachforward.content.parts import BY_NAME
from teachforward.content.pictures import damage
from teachforward.content.prose_rules import check_prose
from teachforward.content.template_policy import check_templates
from teachforward.content.termbase import check_terms
from teachforward.content.textfile import outside_root
from teachforward.problems import FindingsMemo, Problems, did_you_mean, remembered

OVERVIEW_ANCHORS = set(BY_NAME["overview"].anchors)
WORKSHOP_PARTS = set(BY_NAME)
MAX_PICTURE_BYTES = 10_000_000


def validate(course: Course, problems: Problems, memo: FindingsMemo | None = None) -> None:
    """`memo`: what the checks of each text, workshop and picture found in an earlier check
    (serve): reused where the check would read the same (problems.FindingsMemo)."""
    settings = (repr(course.settings.duration), course.source_language)
    for language in course.languages:
        targets = _Targets(course, language)
        for workshop in language.workshops:
            remembered(memo, problems, ("workshop", *settings), (workshop,), partial(_check_workshop, course, workshop))
            _check_links(course, targets, workshop, problems, memo)
        _check_key_terms(language, problems)
        _check_pages(course, targets, problems, memo)
    check_formats(course, problems)
    check_parity(course, problems, memo)
    check_terms(course, problems, memo)
    check_html(course, problems, memo)
    check_templates(course, problems)
    check_design(course.root, problems)
    check_prose(course, problems, memo)


class _Targets:
    """What the links of one language may point at."""

    def __init__(self, course: Course, language: Language):
        self.language = language
        self.workshops = {w.folder: w for w in language.workshops}
        self.pages = {p.path for p in language.pages} | {f"{name}.md" for name in course.settings.pages
                                                           if not name.endswith(".md")}
        # What a link to a missing workshop or to a page is checked against, for FindingsMemo keys.
        self.folders_key = "\n".join(self.workshops)
        self.pages_key = "\n".join(sorted(self.pages))


def _check_workshop(course: Course, workshop: Workshop, problems: Problems) -> None:
    facts, path = workshop.facts, workshop.facts_origin.path
    low, high = course.settings.duration.min, course.settings.duration.max
    if not low <= facts.duration <= high:
        problems.add(path, workshop.line_of("duration"),
                     f"the duration is {facts.duration} minutes, outside the {low}–{high} minutes a workshop may last",
                     f"plan the workshop for {low} to {high} minutes, or split it in two")
    total = sum(item.minutes for item in facts.agenda)
    if total != facts.duration:
        difference = facts.duration - total
        problems.add(path, workshop.line_of("agenda"),
                     f"the agenda adds up to {total} minutes but the duration is {facts.duration}",
                     f"{'add' if difference > 0 else 'remove'} {abs(difference)} minutes in the agenda, or change the duration")
    ids = workshop.ids()
    exercises = {e.id: e for e in workshop.exercises}
    for index, item in enumerate(facts.agenda):
        if item.ref is None:
            continue
        line = workshop.line_of("agenda", index, "ref")
        if item.ref not in ids:
            problems.add(path, line, f'the agenda refers to "{item.ref}", which is neither a section nor an exercise',
                         did_you_mean(item.ref, ids)
                         or "use the id of a section of notes.md or guide.md, or an exercise's file name without its number")
        elif item.ref in exercises and exercises[item.ref].minutes != item.minutes:
            problems.warn(path, line,
                          f'the agenda gives "{item.ref}" {item.minutes} minutes,'
                          f' the exercise itself says {exercises[item.ref].minutes}',
                          "make the two numbers agree")
    seen: dict[str, tuple[Path, int]] = {}
    for document in (workshop.notes, workshop.guide):
        if document is None:
            continue
        for section in document.sections:
            _claim(seen, section.id, document.origin.path, section.line, problems)
    for exercise in workshop.exercises:
        _claim(seen, exercise.id, exercise.origin.path, 1, problems)
    check_workshop_kit(workshop, course.source_language, problems)


def _claim(seen: dict[str, tuple[Path, int]], id_: str, path: Path, line: int, problems: Problems) -> None:
    if id_ in seen:
        first_path, first_line = seen[id_]
        problems.add(path, line, f'the id "{id_}" is already used in {problems.show(first_path)}:{first_line}',
                     "give each section and exercise of a workshop its own id")
    else:
        seen[id_] = (path, line)


def _check_key_terms(language: Language, problems: Problems) -> None:
    seen: dict[str, tuple[Workshop, int | None]] = {}
    for workshop in language.workshops:
        for index, term in enumerate(workshop.facts.key_terms):
            line = workshop.line_of("key_terms", index, "id")
            if term.id in seen:
                other, other_line = seen[term.id]
                problems.add(workshop.facts_origin.path, line,
                             f'the key term id "{term.id}" is already used in'
                             f' {problems.show(other.facts_origin.path)}:{other_line}',
                             "each key term appears once in the glossary: define it in one workshop only, or choose another id")
            else:
                seen[term.id] = (workshop, line)


def _check_links(course: Course, targets: _Targets, workshop: Workshop, problems: Problems,
                 memo: FindingsMemo | None) -> None:
    """The workshop's links, then its pictures. With a memo, the links' problems are kept by the
    names of the workshop and of each workshop its links reach (or, for one missing, whether
    it failed to load and which workshops there are), and the pages when it links to one."""
    name = memo.name(workshop) if memo is not None else None
    if memo is None or name is None:
        _check_workshop_links(course, targets, workshop, problems)
        for origin, image in workshop.pictures():
            _check_picture(course, origin.path, image, problems, memo)
        return
    folders, to_pages = memo.remember(("links reach", name), lambda: _reached(workshop))
    key: list[str] = ["links", name, targets.language.code]
    for folder in folders:
        target = targets.workshops.get(folder)
        key += [folder, memo.name(target) or "?" if target is not None else f"missing {_failed_to_load(course, folder)}"]
    if "?" in key:        # a workshop not named by the load: nothing to key its findings by
        _check_workshop_links(course, targets, workshop, problems)
    else:
        if any(part.startswith("missing") for part in key[4::2]):
            key.append(targets.folders_key)
        if to_pages:
            key.append(targets.pages_key)
        memo.check(problems, tuple(key), partial(_check_workshop_links, course, targets, workshop))
    for path, image in memo.remember(("pictures of", name), lambda: tuple((str(o.path), i) for o, i in workshop.pictures())):
        _check_picture(course, Path(path), image, problems, memo)


def _reached(workshop: Workshop) -> tuple[tuple[str, ...], bool]:
    """The workshops the workshop's links point into, and whether one points to a site page."""
    targets = [link.target for _, link in workshop.links() if link.target is not None and not link.target.url]
    return tuple(sorted({t.workshop for t in targets if t.workshop is not None})), any(t.workshop is None for t in targets)


def _check_workshop_links(course: Course, targets: _Targets, workshop: Workshop, problems: Problems) -> None:
    for origin, link in workshop.links():
        _check_link(course, targets, origin.path, link, problems)


def _check_pages(course: Course, targets: _Targets, problems: Problems, memo: FindingsMemo | None) -> None:
    for page in targets.language.pages:
        for link in page.links:
            _check_link(course, targets, page.origin.path, link, problems)
        for image in page.images:
            _check_picture(course, page.origin.path, image, problems, memo)


def _check_link(course: Course, targets: _Targets, path: Path, link: Link, problems: Problems) -> None:
    found = _link_problem(course, targets, link)
    if found:
        problems.add(path, link.line, found[0], found[1])


def _check_picture(course: Course, path: Path, image: Image, problems: Problems, memo: FindingsMemo | None) -> None:
    """With a memo, what was found is kept by the picture's file signature (size, mtime_ns,
    ctime_ns, inode, device), unless the file was written too recently for its time to tell."""
    if image.path is None:
        message, hint = _missing_picture(course, path, image.raw)
        problems.add(path, image.line, message, hint)
        return
    try:
        info = os.stat(image.path)
    except OSError:
        info = None
    if memo is None or info is None or info.st_mtime_ns > time.time_ns() - RACY_NS:
        _check_picture_file(path, image, problems)
        return
    memo.check(problems, ("picture", str(path), image.line, image.raw, image.alt, str(image.path), info.st_size,
                          info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev),
               partial(_check_picture_file, path, image))


def _check_picture_file(path: Path, image: Image, problems: Problems) -> None:
    assert image.path is not None      # a missing picture is _missing_picture's
    if not image.alt.strip():
        problems.add(path, image.line, f'the picture "{image.raw}" has no description',
                     "write a sentence describing it between the square brackets: ![description](images/name.svg)")
    size = image.path.stat().st_size
    if size > MAX_PICTURE_BYTES:
        problems.add(path, image.line, f'the picture "{image.raw}" is {size / 1e6:.1f} MB, more than the '
                     f"{MAX_PICTURE_BYTES // 1_000_000} MB a page or slide can carry",
                     "save it smaller (about 1920 pixels wide is plenty), or as a compressed PNG or JPEG")
        return
    kind = _image_kind(image.path)
    if kind == "svg":
        for line, message, hint in _svg_problems(image.path):
            problems.add(image.path, line, message, hint)
    broken = _picture_damage(image.path, kind) if kind else None
    if broken:
        problems.add(path, image.line, f'the picture "{image.raw}" ({problems.show(image.path)}) is damaged: {broken}',
                     "open it in a drawing or photo program and save it again")
    if kind is None:
        problems.add(path, image.line, f'"{image.raw}" is not a picture this site can show',
                     "use an SVG, PNG, JPEG, GIF or WebP file")
    elif kind != image.path.suffix.lower().lstrip(".").replace("jpeg", "jpg"):
        problems.add(path, image.line, f'"{image.raw}" does not contain a {image.path.suffix} picture',
                     f"the file holds {kind.upper()} data: save it again in the right format, or rename it")


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def _missing_picture(course: Course, path: Path, raw: str) -> tuple[str, str]:
    """Why a picture could not be used: it is on the web, outside the course, a link, or simply absent."""
    if _SCHEME.match(raw):
        return (f'the picture "{raw[:60]}" is not a file of the course',
                "save the picture in the images/ folder beside this file and write ![description](images/name.svg)")
    if raw.startswith(("/", "\\")):
        return (f'the picture "{raw}" is written as an absolute path',
                "write the path from this file's folder, e.g. images/name.svg")
    relative = path.relative_to(course.root).parts
    depth = len(relative) - 3          # folders between workshops/<lang>/ (or docs/<lang>/) and the file
    level = 0
    for part in raw.replace("\\", "/").split("/"):
        level += -1 if part == ".." else 0 if part in ("", ".") else 1
        if level < -depth:
            return (f'the picture path "{raw}" leads outside the language\'s folder',
                    "keep pictures in the images/ folder of the workshop, e.g. images/name.svg")
    candidate = path.parent / raw
    if os.path.lexists(candidate) and (candidate.is_symlink() or outside_root(candidate, course.root)):
        return (f'the picture "{raw}" is a link to another file, which is not allowed',
                "copy the picture itself into the images/ folder instead of linking to it")
    return (f'the picture "{raw}" was not found',
            "put the file in the images/ folder beside this file and write its path as images/name.svg")


def _link_problem(course: Course, targets: _Targets, link: Link) -> tuple[str, str] | None:
    target = link.target
    if target is None:
        return (f'the link "{link.raw}" cannot be used',
                "link to a web page with https://..., or to another course file with a relative path"
                " such as ../02-data-lifecycle/notes.md")
    if target.url:
        return None
    if target.workshop is not None:
        workshops = targets.workshops
        workshop = workshops.get(target.workshop)
        if workshop is None and _failed_to_load(course, target.workshop):
            return (f'the link "{link.raw}" points to a workshop that could not be read',
                    f"fix the problems reported for workshops/{course.source_language}/{target.workshop}/ first")
        if workshop is None:
            return (f'the link "{link.raw}" points to a workshop that does not exist',
                    did_you_mean(target.workshop, workshops) or "check the folder name")
        part = target.part or ""
        if part.startswith("materials/"):
            material = workshop.material(part.split("/", 1)[1])
            if material is None:
                return (f'the link "{link.raw}" points to a material that does not exist',
                        material_hint(part.split("/", 1)[1], [m.id for m in workshop.materials]))
            anchors = {s.id for s in material.document.sections}
            if target.anchor is not None and target.anchor not in anchors:
                return (f'the link "{link.raw}" points to "#{target.anchor}", which does not exist there',
                        did_you_mean(target.anchor, anchors)
                        or "use the id of a section: the part in curly brackets after its heading")
            return None
        if target.part not in WORKSHOP_PARTS:
            return (f'the link "{link.raw}" points to a file that does not exist',
                    "link to notes.md, guide.md, workshop.yaml or a file in exercises/")
        if target.anchor is None:
            return None
        anchors = _anchors(workshop, target.part)
        if target.anchor not in anchors:
            return (f'the link "{link.raw}" points to "#{target.anchor}", which does not exist there',
                    did_you_mean(target.anchor, anchors)
                    or "use the id of a section: the part in curly brackets after its heading")
        return None
    pages = targets.pages
    if target.part not in pages:
        return (f'the link "{link.raw}" points to a page that does not exist',
                did_you_mean(target.part or "", pages) or "check the file name")
    return None


def _failed_to_load(course: Course, folder: str) -> bool:
    """True for a workshop folder of the source language that exists but could not be loaded."""
    return bool(folder) and "/" not in folder and folder not in ("..", ".") \
        and (course.root / "workshops" / course.source_language / folder / "workshop.yaml").is_file()


def _anchors(workshop: Workshop, part: str) -> set[str]:
    if part == "overview":
        return OVERVIEW_ANCHORS
    if part in ("exercises", "handout"):
        return {e.id for e in workshop.exercises}
    if part not in ("notes", "guide"):
        return set()
    document = workshop.notes if part == "notes" else workshop.guide
    return {s.id for s in document.sections} if document else set()


def _svg_problems(path: Path) -> list[tuple[int, str, str]]:
    """What makes a drawing unsafe to publish (html_policy.svg_findings)."""
    return svg_findings(path.read_bytes().decode("utf-8", "replace"))


def _picture_damage(path: Path, kind: str) -> str | None:
    return damage(path.read_bytes(), kind)


def _image_kind(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            start = handle.read(4096)
    except OSError:
        return None
    head = start[:512]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in start:
        return "svg"
    return None
