"""Checks of the facilitator's kit: agenda plans (breaks, materials, cuts), law check boxes,
printable materials, and the delivery formats of workshops/formats.yaml."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from teachforward.content.model import Course, DeliveryFormat, FormatDay, Material, Workshop
from teachforward.content.yamlfile import DataPath
from teachforward.problems import Problems, did_you_mean

BREAK_NEEDED_AFTER = 100      # minutes: a longer workshop without a break gets a warning
SUMMARY_WORDS = 40
LINES_BLOCK = re.compile(r"^:::\s*lines\b(.*)$")
MAX_RULED_LINES = 40


def check_workshop_kit(workshop: Workshop, source_language: str, problems: Problems) -> None:
    _check_agenda_plan(workshop, source_language, problems)
    _check_law_check(workshop, problems)
    _check_materials(workshop, problems)


ANY_WORKSHOP = "any"          # in formats.yaml: whichever workshop is chosen (the "one workshop alone" format)
LUNCH_NEEDED_AFTER = 300      # minutes of a day without a lunch break


def check_formats(course: Course, problems: Problems) -> None:
    """workshops/formats.yaml: every day fits its hours, every workshop comes once, breaks are placed."""
    if course.formats is None:
        return
    path, line = course.root / "workshops" / "formats.yaml", course.formats_lines.line
    workshops = {w.folder: w for w in course.source.workshops}
    codes = [lang.code for lang in course.languages]
    ids: set[str] = set()
    for f_index, fmt in enumerate(course.formats.formats):
        at = ("formats", f_index)
        if fmt.id in ids:
            problems.add(path, line(at + ("id",)), f'the format id "{fmt.id}" is used twice', "give each format its own id")
        ids.add(fmt.id)
        if course.source_language not in fmt.title:
            problems.add(path, line(at + ("title",)), f'the format "{fmt.id}" has no title in {course.source_language}',
                         f'add a line "{course.source_language}: ..." under title')
        for name in ("title", "summary"):
            for code in getattr(fmt, name):
                if code not in codes:
                    problems.add(path, line(at + (name, code)), f'"{code}" is not a language of the course',
                                 did_you_mean(code, codes) or "use one of: " + ", ".join(codes))
        used: dict[str, int] = {}
        for d_index, day in enumerate(fmt.days):
            _check_format_day(fmt, d_index, day, at + ("days", d_index), workshops, used, path, line, problems)
        if ANY_WORKSHOP in used:
            if len(used) > 1:
                problems.add(path, line(at + ("days",)), f'the format "{fmt.id}" has "workshop: any" and named workshops',
                             'a format is either one workshop of the facilitator\'s choice ("any") or the whole course')
            continue
        missing = [folder for folder in workshops if folder not in used]
        if missing:
            problems.add(path, line(at + ("days",)), f'the format "{fmt.id}" leaves out ' + ", ".join(missing),
                         "put every workshop in one of its days, once")


def _check_format_day(fmt: DeliveryFormat, index: int, day: FormatDay, at: DataPath, workshops: dict[str, Workshop],
                      used: dict[str, int], path: Path, line: Callable[[DataPath], int | None], problems: Problems) -> None:
    label = f'{fmt.unit} {index + 1} of the format "{fmt.id}"'
    total, lunch, previous = 0, False, None
    longest = max((w.facts.duration for w in workshops.values()), default=0)
    for i_index, item in enumerate(day.items):
        item_at = at + ("items", i_index)
        given = item.given()
        if len(given) != 1:
            problems.add(path, line(item_at), f"item {i_index + 1} of {label} must be one thing, not "
                         + (" and ".join(kind for kind, _ in given) or "nothing"),
                         "write one of: workshop: 01-fundamentals, break: 15, lunch: 60, welcome: 15, closing: 15")
            continue
        kind, value = given[0]
        if kind != "workshop":
            total += int(value)
            lunch = lunch or kind == "lunch"
            previous = None
            continue
        folder = str(value)
        if folder != ANY_WORKSHOP and folder not in workshops:
            problems.add(path, line(item_at + ("workshop",)), f'there is no workshop "{folder}"',
                         did_you_mean(folder, workshops) or "use a folder name of workshops/en/, or any")
            continue
        if folder in used:
            problems.add(path, line(item_at + ("workshop",)),
                         f'the workshop "{folder}" is already in {fmt.unit} {used[folder] + 1} of the format "{fmt.id}"',
                         "put each workshop in the format once")
        used.setdefault(folder, index)
        if previous is not None:
            problems.add(path, line(item_at + ("workshop",)),
                         f'the workshops "{previous}" and "{folder}" follow each other without a break',
                         "put a break (break: 15) or lunch between them")
        previous = folder
        total += longest if folder == ANY_WORKSHOP else workshops[folder].facts.duration
    if total > day.hours * 60:
        problems.add(path, line(at + ("hours",)),
                     f"{label} holds {total} minutes, more than its {day.hours:g} hours ({day.hours * 60:g} minutes)",
                     "make the day longer, shorten the breaks, or move a workshop to another day")
    if total > LUNCH_NEEDED_AFTER and not lunch:
        problems.add(path, line(at + ("items",)), f"{label} lasts {total} minutes without a lunch break",
                     "add a lunch (lunch: 60) between two workshops")
    for i_index in (0, len(day.items) - 1):
        item = day.items[i_index]
        if [kind for kind, _ in item.given()] in (["break"], ["lunch"]):
            problems.warn(path, line(at + ("items", i_index)), f"{label} {'starts' if i_index == 0 else 'ends'} with a break",
                          "put breaks between the parts of the day")


def _check_agenda_plan(workshop: Workshop, source_language: str, problems: Problems) -> None:
    """Breaks, materials and what to cut when late (FORMAT: agenda items)."""
    facts, path = workshop.facts, workshop.facts_origin.path
    materials = [m.id for m in workshop.materials]
    cuts: dict[int, int] = {}
    for index, item in enumerate(facts.agenda):
        if item.is_break and item.ref is not None:
            problems.add(path, workshop.line_of("agenda", index, "ref"),
                         f'agenda item {index + 1} is a break but refers to "{item.ref}"',
                         "remove the ref from the break, or remove break: true if this is not a break")
        if item.is_break and item.cut is not None:
            problems.add(path, workshop.line_of("agenda", index, "cut"), f"agenda item {index + 1} is a break and cannot be cut",
                         "remove the cut from the break: keep breaks even when running late")
        for position, id_ in enumerate(item.materials):
            if id_ not in materials:
                problems.add(path, workshop.line_of("agenda", index, "materials", position),
                             f'agenda item {index + 1} uses the material "{id_}", which is not in materials/',
                             material_hint(id_, materials))
        if item.cut is None:
            continue
        if item.cut.saves > item.minutes:
            problems.add(path, workshop.line_of("agenda", index, "cut", "saves"),
                         f"cutting agenda item {index + 1} saves {item.cut.saves} minutes, more than the {item.minutes} it lasts",
                         f"write saves: {item.minutes} or fewer")
        if item.cut.order in cuts:
            problems.add(path, workshop.line_of("agenda", index, "cut", "order"),
                         f"the cut order {item.cut.order} is already used by agenda item {cuts[item.cut.order] + 1}",
                         "number the cuts 1, 2, 3... in the order to drop them, each number once")
        else:
            cuts[item.cut.order] = index
    if cuts and sorted(cuts) != list(range(1, len(cuts) + 1)):
        problems.warn(path, workshop.line_of("agenda"), "the cut orders are " + ", ".join(map(str, sorted(cuts)))
                      + ", not 1, 2, 3...", "number the cuts from 1 without gaps")
    # Translations follow the English agenda (parity): the break is added there, so warn there only.
    if workshop.facts_origin.lang == workshop.lang == source_language and facts.duration > BREAK_NEEDED_AFTER \
            and not any(item.is_break for item in facts.agenda):
        problems.warn(path, workshop.line_of("duration"),
                      f"the workshop lasts {facts.duration} minutes and has no break",
                      "add a 10-minute break to the agenda (an item with break: true)")


def _check_law_check(workshop: Workshop, problems: Problems) -> None:
    law = workshop.facts.law_check
    if law is None:
        return
    dates: list[tuple[DataPath, str]] = [(("law_check", "checked"), law.checked)]
    dates += [(("law_check", "items", index, "since"), item.since) for index, item in enumerate(law.items) if item.since]
    for where, value in dates:
        try:
            date.fromisoformat(value)
        except ValueError:
            problems.add(workshop.facts_origin.path, workshop.line_of(*where), f'"{value}" is not a date in the calendar',
                         "write a real date as year-month-day, e.g. 2026-12-01")


def _check_materials(workshop: Workshop, problems: Problems) -> None:
    materials = [m.id for m in workshop.materials]
    for exercise in workshop.exercises:
        for id_ in exercise.materials:
            if id_ not in materials:
                problems.add(exercise.origin.path, exercise.settings_line.get("materials"),
                             f'the exercise uses the material "{id_}", which is not in materials/',
                             material_hint(id_, materials))
        if exercise.summary and len(exercise.summary.split()) > SUMMARY_WORDS:
            problems.warn(exercise.origin.path, exercise.settings_line.get("summary"),
                          f"the summary has {len(exercise.summary.split())} words; a slide has room for {SUMMARY_WORDS}",
                          "shorten it to one or two short sentences")
    numbers: dict[int, str] = {}
    for material in workshop.materials:
        if material.number in numbers:
            problems.add(material.origin.path, None, f"the number {material.number:02d} is already used by the material "
                         f'"{numbers[material.number]}"', "give each material file its own number")
        numbers.setdefault(material.number, material.id)
        seen: set[str] = set()
        for section in material.document.sections:
            if section.id in seen:
                problems.add(material.origin.path, section.line, f'the section id "{section.id}" is used twice in this file',
                             "give each section its own id")
            seen.add(section.id)
        _check_ruled_lines(material, problems)


def _check_ruled_lines(material: Material, problems: Problems) -> None:
    """`::: lines N` ... `:::` (writing space): N is a number and the block is closed."""
    document = material.document
    blocks = [(document.intro, document.intro_line)] + [(s.body, s.body_line) for s in document.sections]
    for text, first in blocks:
        open_line = None
        for offset, line in enumerate(text.split("\n")):
            stripped = line.strip()
            match = LINES_BLOCK.match(stripped)
            if match:
                if open_line is not None:
                    break
                open_line = first + offset
                count = match.group(1).strip()
                if not count.isdigit() or not 1 <= int(count) <= MAX_RULED_LINES:
                    problems.add(document.origin.path, open_line, f'"{stripped}" does not say how many lines to draw',
                                 f"write ::: lines and a number from 1 to {MAX_RULED_LINES}, e.g. ::: lines 4")
            elif stripped == ":::" and open_line is not None:
                open_line = None
            elif stripped and open_line is not None:
                problems.add(document.origin.path, first + offset, "a ::: lines block is space to write in and holds no text",
                             'put the text before "::: lines", and close the block with a line ":::" right after it')
                open_line = None
        if open_line is not None:
            problems.add(document.origin.path, open_line, "this ::: lines block is not closed",
                         'put a line with only ":::" after it')


def material_hint(id_: str, materials: list[str]) -> str:
    return did_you_mean(id_, materials) or ("the materials of this workshop are: " + ", ".join(materials) if materials
                                            else "add the file materials/NN-" + id_ + ".md, or remove the id")
