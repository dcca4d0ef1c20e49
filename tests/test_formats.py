"""Delivery formats (workshops/formats.yaml): checked (every day fits its hours, every workshop
once, breaks between workshops, lunch on long days) and rendered as a programme page with a
run-sheet per day, in every language."""
from __future__ import annotations

import re

import pytest

from conftest import REPO
from teachforward.build import build
from test_kit_format import errors, has, problems_of

FORMATS = "workshops/formats.yaml"
# The fixture has one workshop of 90 minutes; a second one makes a day of two.
VALID = """formats:
  - id: evenings
    unit: week
    title:
      en: Weekly evenings
      fr: Le soir, chaque semaine
    days:
      - {start: "18:00", hours: 2, items: [workshop: 01-basics]}
      - {start: "18:00", hours: 2, items: [workshop: 02-more]}
  - id: one-day
    title:
      en: One day
    summary:
      en: Both workshops in a day.
    days:
      - start: "09:00"
        hours: 4
        items:
          - welcome: 15
          - workshop: 01-basics
          - break: 15
          - workshop: 02-more
          - closing: 15
  - id: alone
    unit: session
    title: {en: One workshop alone}
    days:
      - {start: "10:00", hours: 2, items: [workshop: any]}
"""


def second_workshop(tree) -> None:
    text = tree.read("workshops/en/01-basics/workshop.yaml").replace('title: "Basics: data at work"', "title: More basics")
    tree.write("workshops/en/02-more/workshop.yaml",
               text.replace("  - id: data\n    term: Data\n    definition: Recorded information.\n", "")
               .replace("key_terms:\n", "key_terms: []\n"))
    tree.write("workshops/en/02-more/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("](exercises/01-rota.md)", "](../01-basics/exercises/01-rota.md)").replace("![A recipe", "A recipe"))
    tree.replace("workshops/en/02-more/workshop.yaml", "    ref: rota\n", "")


@pytest.fixture
def course(tree):
    second_workshop(tree)
    tree.write(FORMATS, VALID)
    return tree


def test_valid_formats_load(course):
    loaded, found = problems_of(course)
    assert errors(found) == [], found
    assert [f.id for f in loaded.formats.formats] == ["evenings", "one-day", "alone"]
    day = loaded.formats.formats[1].days[0]
    assert (day.start, day.hours, day.items[2].break_minutes) == ("09:00", 4.0, 15)


def test_a_day_longer_than_its_hours(course):
    course.replace(FORMATS, "hours: 4", "hours: 3")
    has(problems_of(course)[1], f"{FORMATS}:17: error:", 'day 1 of the format "one-day" holds 225 minutes, more than its 3 hours',
        "make the day longer")


def test_every_workshop_once(course):
    course.replace(FORMATS, "items: [workshop: 02-more]", "items: [workshop: 01-basics]")
    found = problems_of(course)[1]
    has(found, f"{FORMATS}:9: error:", 'the workshop "01-basics" is already in week 1 of the format "evenings"', "once")
    has(found, f"{FORMATS}:7: error:", 'the format "evenings" leaves out 02-more', "every workshop")


def test_unknown_workshop_is_named_with_a_suggestion(course):
    course.replace(FORMATS, "workshop: 02-more]", "workshop: 02-mroe]")
    has(problems_of(course)[1], f"{FORMATS}:9: error:", 'there is no workshop "02-mroe"', 'did you mean "02-more"?')


def test_workshops_need_a_break_between_them(course):
    course.replace(FORMATS, "          - break: 15\n", "")
    has(problems_of(course)[1], f"{FORMATS}:21: error:",
        'the workshops "01-basics" and "02-more" follow each other without a break',
        "break: 15")


def test_a_long_day_needs_lunch(course):
    course.replace(FORMATS, "hours: 4", "hours: 8")
    course.replace(FORMATS, "          - closing: 15\n", "          - closing: 120\n")
    has(problems_of(course)[1], f"{FORMATS}:18: error:", "lasts 330 minutes without a lunch break", "lunch: 60")


def test_a_day_that_starts_with_a_break_is_a_warning(course):
    course.replace(FORMATS, "          - welcome: 15\n", "          - break: 15\n")
    found = problems_of(course)[1]
    assert errors(found) == [], found
    has(found, f"{FORMATS}:19: warning:", 'day 1 of the format "one-day" starts with a break')


def test_items_are_one_thing_each(course):
    course.replace(FORMATS, "          - welcome: 15\n", "          - welcome: 15\n            lunch: 30\n")
    has(problems_of(course)[1], f"{FORMATS}:19: error:",
        "item 1 of day 1 of the format \"one-day\" must be one thing, not lunch and welcome")


def test_titles_need_english_and_known_languages(course):
    course.replace(FORMATS, "      en: Weekly evenings\n      fr:", "      de:")
    found = problems_of(course)[1]
    has(found, f"{FORMATS}:4: error:", 'the format "evenings" has no title in en', 'add a line "en: ..." under title')
    has(found, f"{FORMATS}:5: error:", '"de" is not a language of the course', "en, fr")


def test_start_and_hours_are_checked(course):
    course.replace(FORMATS, 'start: "09:00"', 'start: "9h"')
    course.replace(FORMATS, "hours: 4", "hours: 14")
    found = problems_of(course)[1]
    has(found, f"{FORMATS}:16: error:", '"start" "9h" is not in the expected form')
    has(found, f"{FORMATS}:17: error:", "out of range")


def test_any_workshop_cannot_be_mixed_with_named_ones(course):
    course.replace(FORMATS, "items: [workshop: any]", "items: [workshop: any, break: 10, workshop: 01-basics]")
    has(problems_of(course)[1], f"{FORMATS}:27: error:", 'the format "alone" has "workshop: any" and named workshops')


def test_programme_page_and_day_run_sheets(course, tmp_path):
    course.write("docs/fr/strings.yaml", (REPO / "docs" / "fr" / "strings.yaml").read_text(encoding="utf-8"))
    course.replace("workshops/course.yaml", "  - glossary.md", "  - programme\n  - glossary.md")
    out = tmp_path / "site"
    assert build(course.root, out, jobs=1, with_decks=False) == 0
    html = (out / "en" / "programme.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert '<h2 id="one-day">One day' in article and "Both workshops in a day." in article
    assert re.search(r'<h3 id="one-day-1">Day 1 · 09:00 to 12:45 · <a href="programme/one-day-1.html">Run-sheet</a>', article)
    assert "Any one workshop (up to 90 minutes)" in article
    assert 'href="workshops/02-more/run-sheet.html"' in article
    assert not (out / "en" / "programme" / "alone-1.html").exists()     # any workshop: its own run-sheet
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("<article")]
    assert 'href="programme/one-day-1.html"' in nav and 'href="programme/evenings-2.html"' in nav
    day = (out / "en" / "programme" / "one-day-1.html").read_text(encoding="utf-8")
    day = day[day.index('class="tf-run-sheet"'):]
    times = re.findall(r'<span class="tf-clock" data-offset="(\d+)">(\d\d:\d\d)</span>', day)
    assert times[0] == ("0", "09:00") and times[1] == ("15", "09:15") and times[-1] == ("225", "12:45")
    assert ">Break</span>" in day and "Welcome and introductions" in day and "Closing and evaluation" in day
    assert day.count("Workshop 1: Basics: data at work") == 1 and day.count("Workshop 2: More basics") == 1
    french = (out / "fr" / "programme.html").read_text(encoding="utf-8")
    assert "Le soir, chaque semaine" in french and "Façons d'organiser la formation" in french
    assert '<span lang="en" dir="ltr">One day</span>' in french                 # no French title: the English, marked


def test_the_real_formats_file_is_valid():
    from teachforward.build import load_and_check
    course, problems = load_and_check(REPO)
    assert course.formats is not None and {f.id for f in course.formats.formats} == {"weekly", "two-days", "one-workshop"}
    assert not [p for p in problems.sorted() if "formats.yaml" in str(p.path)]
