"""A translation says the same thing as the English: the same agenda (minutes and ids), the
same sections, exercises, pictures and link targets. Only the words change.

Each difference is reported on the translated file, at the line to fix, so that the slides
and pages of every language stay in step with the English ones. A difference in a part of the
English that has changed since the translation was marked current (a link, picture, section or
exercise added, minutes changed) only makes the translation outdated: a warning, and notices on
the site and the status page. What a translator broke in a current translation is an error.
Files a language has not translated yet are taken from English and have nothing to compare.
External links (https://...) that differ are only warnings: a translation may point to the
same document in its own language.
"""
from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

from teachforward.content.model import (
    AgendaItem,
    Course,
    Document,
    Exercise,
    Image,
    Language,
    Link,
    Material,
    Origin,
    Workshop,
)
from teachforward.content.tracking import (
    document_sections,
    exercise_record,
    exercise_sections,
    facts_sections,
    fingerprint,
    material_sections,
)
from teachforward.problems import FindingsMemo, Problems, did_you_mean, remembered


class _EnglishMoved:
    """Reports a difference as an error, unless the English part it concerns has changed since
    the translator last marked the file current: then the translation is merely out of date
    (a warning, and a notice on the site), and the build goes on."""

    def __init__(self, problems: Problems, recorded: dict[str, str], english: dict[str, str]):
        self.problems, self.recorded, self.english = problems, recorded, english

    def add(self, key: str, path: Path, line: int | None, message: str, hint: str) -> None:
        known = key in self.recorded or key in self.english     # a part neither side has did not move
        moved = bool(self.recorded) and known and self.recorded.get(key) != fingerprint(self.english.get(key, ""))
        if moved:
            self.problems.warn(path, line, message + " (the English has changed since this file was translated)",
                               hint + ", then run teachforward i18n mark-current")
        else:
            self.problems.add(path, line, message, hint)


def check_parity(course: Course, problems: Problems, memo: FindingsMemo | None = None) -> None:
    """`memo`: what was found for the same translated and English workshops before (serve)."""
    english = course.source
    for language in course.languages:
        if language.code == english.code:
            continue
        originals = {w.folder: w for w in english.workshops}
        for workshop in language.workshops:
            original = originals.get(workshop.folder)
            if original is not None:
                remembered(memo, problems, ("parity", language.code), (workshop, original),
                           partial(_workshop, language, workshop, original))
        # Hand-written site pages (docs/<lang>/) may be adapted to their readers, so they are
        # not compared; their links are still checked like any other.


def _translated(language: Language, origin: Origin | None) -> bool:
    return origin is not None and origin.lang == language.code


def _workshop(language: Language, workshop: Workshop, original: Workshop, problems: Problems) -> None:
    if _translated(language, workshop.facts_origin):
        _facts(workshop, original, problems)
    for name in ("notes", "guide"):
        mine, theirs = getattr(workshop, name), getattr(original, name)
        if mine is not None and theirs is not None and _translated(language, mine.origin):
            _document(mine, theirs, problems, f"{name}.md")
    theirs = {e.id: e for e in original.exercises}
    for exercise in workshop.exercises:
        if _translated(language, exercise.origin) and exercise.id in theirs:
            _exercise(exercise, theirs[exercise.id], problems)
    english_materials = {m.id: m for m in original.materials}
    for material in workshop.materials:
        if _translated(language, material.origin) and material.id in english_materials:
            _material(material, english_materials[material.id], problems)


def _facts(workshop: Workshop, original: Workshop, problems: Problems) -> None:
    path, facts, english = workshop.facts_origin.path, workshop.facts, original.facts
    report = _EnglishMoved(problems, facts.translated_from, facts_sections(original))
    if facts.duration != english.duration:
        report.add("agenda", path, workshop.line_of("duration"),
                     f"the duration is {facts.duration} minutes here but {english.duration} in English",
                     f"write duration: {english.duration}, as in English")
    mine, theirs = facts.agenda, english.agenda
    if len(mine) != len(theirs):
        report.add("agenda", path, workshop.line_of("agenda"),
                     f"the agenda has {len(mine)} items here but {len(theirs)} in English",
                     "translate each English agenda item, keeping their order, minutes and refs")
    for index, (item, other) in enumerate(zip(mine, theirs, strict=False)):
        if item.minutes != other.minutes:
            report.add("agenda", path, workshop.line_of("agenda", index, "minutes"),
                         f"agenda item {index + 1} lasts {item.minutes} minutes here but {other.minutes} in English",
                         f"write minutes: {other.minutes}, as in English")
        if item.ref != other.ref:
            line = workshop.line_of("agenda", index, "ref") if item.ref else workshop.line_of("agenda", index)
            shown = f'"{item.ref}"' if item.ref else "nothing"
            wanted = f'write ref: {other.ref}, as in English' if other.ref else "remove the ref: the English item has none"
            english_ref = f'"{other.ref}"' if other.ref else "nothing"
            report.add("agenda", path, line, f"agenda item {index + 1} refers to {shown} here but to {english_ref} in English",
                         wanted)
        _agenda_plan(workshop, index, item, other, report)
    _law_check(workshop, original, report)
    mine_ids = [t.id for t in facts.key_terms]
    theirs_ids = [t.id for t in english.key_terms]
    for index, id_ in enumerate(mine_ids):
        if id_ not in theirs_ids:
            report.add("key_terms", path, workshop.line_of("key_terms", index, "id"),
                         f'the key term id "{id_}" is not in the English workshop',
                         did_you_mean(id_, theirs_ids) or "keep the English ids: " + ", ".join(theirs_ids))
    missing = [id_ for id_ in theirs_ids if id_ not in mine_ids]
    if missing:
        report.add("key_terms", path, workshop.line_of("key_terms") or None,
                     "the English key terms " + ", ".join(f'"{m}"' for m in missing) + " are missing here",
                     "translate every key term, keeping its id")


def _agenda_plan(workshop: Workshop, index: int, item: AgendaItem, other: AgendaItem, report: _EnglishMoved) -> None:
    """Breaks, materials and cuts are not words: they stay as in English."""
    path, number = workshop.facts_origin.path, index + 1
    if item.is_break != other.is_break:
        report.add("agenda", path, workshop.line_of("agenda", index, "break") or workshop.line_of("agenda", index),
                   f"agenda item {number} is {'' if item.is_break else 'not '}a break here"
                   f" but is {'' if other.is_break else 'not '}one in English",
                   "write break: true, as in English" if other.is_break else "remove break: true, as in English")
    if item.materials != other.materials:
        report.add("agenda", path, workshop.line_of("agenda", index, "materials") or workshop.line_of("agenda", index),
                   f"agenda item {number} uses the materials [{', '.join(item.materials)}] here"
                   f" but [{', '.join(other.materials)}] in English",
                   f"write materials: [{', '.join(other.materials)}], as in English" if other.materials
                   else "remove materials, as in English")
    mine, theirs = item.cut, other.cut
    if (mine is None) != (theirs is None):
        report.add("agenda", path, workshop.line_of("agenda", index, "cut") or workshop.line_of("agenda", index),
                   f"agenda item {number} {'has a' if mine else 'has no'} cut here, unlike in English",
                   "translate the English cut, keeping its order and saves" if theirs else "remove the cut, as in English")
    elif mine is not None:
        for name in ("order", "saves"):
            if getattr(mine, name) != getattr(theirs, name):
                report.add("agenda", path, workshop.line_of("agenda", index, "cut", name),
                           f"the cut of agenda item {number} has {name} {getattr(mine, name)} here"
                           f" but {getattr(theirs, name)} in English",
                           f"write {name}: {getattr(theirs, name)}, as in English")


def _law_check(workshop: Workshop, original: Workshop, report: _EnglishMoved) -> None:
    path, mine, theirs = workshop.facts_origin.path, workshop.facts.law_check, original.facts.law_check
    if mine is None and theirs is None:
        return
    if mine is None or theirs is None:      # one of the two: both missing returned above
        report.add("law_check", path, workshop.line_of("law_check") or None,
                   "the law check box is " + ("here but not in English" if mine else "in English but missing here"),
                   "translate the English law_check" if theirs else "remove law_check, as in English")
        return
    if mine.checked != theirs.checked:
        report.add("law_check", path, workshop.line_of("law_check", "checked"),
                   f"the law check is dated {mine.checked} here but {theirs.checked} in English",
                   f"write checked: {theirs.checked}, as in English")
    if len(mine.items) != len(theirs.items):
        report.add("law_check", path, workshop.line_of("law_check", "items"),
                   f"the law check has {len(mine.items)} items here but {len(theirs.items)} in English",
                   "translate each English item, in the same order")
    for index, (item, other) in enumerate(zip(mine.items, theirs.items, strict=False)):
        for name in ("since", "source"):
            if getattr(item, name) != getattr(other, name):
                report.add("law_check", path, workshop.line_of("law_check", "items", index, name)
                           or workshop.line_of("law_check", "items", index),
                           f"law check item {index + 1} has {name} {getattr(item, name) or 'nothing'} here but "
                           f"{getattr(other, name) or 'nothing'} in English",
                           f"write {name}: {getattr(other, name)}, as in English" if getattr(other, name)
                           else f"remove {name}, as in English")


def _material(mine: Material, theirs: Material, problems: Problems) -> None:
    path = mine.origin.path
    report = _EnglishMoved(problems, mine.translated_from, material_sections(theirs))
    if mine.number != theirs.number:
        problems.add(path, None, f"the material file is numbered {mine.number:02d} here but {theirs.number:02d} in English",
                     f"name the file {theirs.number:02d}-{theirs.id}.md, as in English")
    for name in ("kind", "audience", "orientation"):
        if getattr(mine, name) != getattr(theirs, name):
            problems.add(path, None,
                         f"the material's {name} is {getattr(mine, name)} here but {getattr(theirs, name)} in English",
                         f"write {name}: {getattr(theirs, name)} at the top, as in English")
    _document(mine.document, theirs.document, problems, theirs.origin.path.name, report)


def _document(mine: Document, theirs: Document, problems: Problems, name: str,
              report: _EnglishMoved | None = None) -> None:
    path = mine.origin.path
    english = {s.id: s for s in theirs.sections}
    mine_ids = [s.id for s in mine.sections]
    report = report or _EnglishMoved(problems, mine.translated_from, document_sections(theirs))
    for section in mine.sections:
        if section.id not in english:
            report.add(section.id, path, section.line, f'the section id "{section.id}" is not in the English {name}',
                         did_you_mean(section.id, english) or "keep the English ids: " + ", ".join(english))
    for id_ in [id_ for id_ in english if id_ not in mine_ids]:
        report.add(id_, path, None, f'the English section "{id_}" is missing here',
                   "translate every section, keeping the id in curly brackets")
    shared = [id_ for id_ in mine_ids if id_ in english]
    english_order = [id_ for id_ in english if id_ in shared]
    if shared != english_order:
        first = next(a for a, b in zip(shared, english_order, strict=False) if a != b)
        section = next(s for s in mine.sections if s.id == first)
        problems.add(path, section.line, f'the sections are not in the English order (here "{first}" comes too early)',
                     "put the sections in the same order as in English: " + ", ".join(english_order))
    _items(report, "intro", path, mine.intro_line, mine.links, mine.images, theirs.links, theirs.images,
           "the English introduction")
    for section in mine.sections:
        other = english.get(section.id)
        if other is not None:
            _items(report, section.id, path, section.line, section.links, section.images, other.links,
                   other.images, f'the English section "{section.id}"')


def _exercise(mine: Exercise, theirs: Exercise, problems: Problems) -> None:
    path = mine.origin.path
    report = _EnglishMoved(problems, exercise_record(mine), exercise_sections(theirs))
    if mine.number != theirs.number:
        report.add("settings", path, None,
                   f"the exercise file is numbered {mine.number:02d} here but {theirs.number:02d} in English",
                   f"name the file {theirs.number:02d}-{theirs.id}.md, as in English")
    if mine.minutes != theirs.minutes:
        report.add("settings", path, None,
                   f"the exercise lasts {mine.minutes} minutes here but {theirs.minutes} in English",
                   f"write minutes: {theirs.minutes} at the top, as in English")
    if mine.group_size != theirs.group_size:
        report.add("settings", path, None, f"the group size is {mine.group_size} here but {theirs.group_size} in English",
                   f"write group_size: {theirs.group_size.replace('–', '-')} at the top, as in English")
    if mine.materials != theirs.materials:
        report.add("materials", path, mine.settings_line.get("materials"),
                   f"the exercise uses the materials [{', '.join(mine.materials)}] here"
                   f" but [{', '.join(theirs.materials)}] in English",
                   f"write materials: [{', '.join(theirs.materials)}] at the top, as in English" if theirs.materials
                   else "remove materials, as in English")
    if (mine.questions is None) != (theirs.questions is None):
        report.add("questions", path, None, "the exercise " + ("has" if mine.questions else "has no") +
                   ' "questions" section, unlike the English one',
                   "keep the same sections as in English")
    english = {s.id: s for s in theirs.parts}
    for part in mine.parts:
        other = english.get(part.id)
        if other is not None:
            _items(report, part.id, path, part.line, part.links, part.images, other.links, other.images,
                   f'the English "{part.id}" section')


def _items(report: _EnglishMoved, key: str, path: Path, line: int | None, links: tuple[Link, ...],
           images: tuple[Image, ...], english_links: tuple[Link, ...], english_images: tuple[Image, ...],
           where: str) -> None:
    """Pictures and link targets must be the same as in English (the words around them change);
    key names the tracked part of the English they belong to."""
    problems = report.problems
    for kind, mine, theirs in (("picture", images, english_images), ("link", links, english_links)):
        mine_raw = Counter(i.raw for i in mine)
        theirs_raw = Counter(i.raw for i in theirs)
        extra = mine_raw - theirs_raw
        missing = theirs_raw - mine_raw
        for item in mine:
            if extra[item.raw] > 0:
                extra[item.raw] -= 1
                external = kind == "link" and item.raw.lower().startswith(("http://", "https://", "mailto:"))
                suggestion = did_you_mean(item.raw, list(missing)) if missing else ""
                hint = suggestion or (f"use the same {kind}s as {where}" + (
                    ": " + ", ".join(sorted(theirs_raw)) if theirs_raw else f", which has no {kind}s"))
                message = f'the {kind} "{item.raw}" is not in {where}'
                if external:
                    problems.warn(path, item.line, message, hint + " (a translated web page is fine if it says the same)")
                else:
                    report.add(key, path, item.line, message, hint)
        for raw in sorted(missing):
            external = kind == "link" and raw.lower().startswith(("http://", "https://", "mailto:"))
            message = f'{where} has the {kind} "{raw}", which is missing here'
            hint = f"keep the {kind} and its target as in English"
            if external:
                problems.warn(path, line or None, message, hint)
            else:
                report.add(key, path, line or None, message, hint)
