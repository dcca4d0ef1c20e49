"""The facilitator's-kit additions to the format: breaks, leads, materials and cuts in the
agenda, exercise summaries, the law check box and printable materials (FORMAT-NEXT §1-4)."""
from __future__ import annotations

import json

from teachforward.build import load_and_check
from teachforward.cli import main

WS = "workshops/en/01-basics"
FR = "workshops/fr/01-basics"

AGENDA = """agenda:
  - minutes: 30
    activity: What counts as data?
    ref: what-is-data
    lead: Lead facilitator
  - minutes: 30
    activity: "Exercise: the rota"
    ref: rota
    materials: [recipe-card]
    cut:
      order: 1
      saves: 10
      how: Two report-backs only.
  - minutes: 30
    activity: Wrap-up
    ref: wrap-up
"""
LAW = """law_check:
  checked: 2026-12-01
  note: Laws change.
  items:
    - law: EU General Data Protection Regulation (GDPR)
      provision: Art. 9(1)
      since: 2018-05-25
      where: European Union
      says: Union membership is special-category data.
      source: https://eur-lex.europa.eu/eli/reg/2016/679/oj
"""
MATERIAL = """---
kind: worksheet
audience: participants
orientation: landscape
---
# The recipe card

Fill it in with your group.

## Purpose {#purpose}

What is the system for?

::: lines 4
:::

## Data {#data}

| What data goes in? | Where from? |
|---|---|
| *past routes* | *old rota* |
|  |  |

- [ ] Checked with the group
"""
FEEDBACK = """---
kind: form
audience: participants
---
# Feedback

How was it?

::: lines 3
:::
"""


def run(tree, *args) -> int:
    return main(["--root", str(tree.root), *args])


def problems_of(tree):
    course, problems = load_and_check(tree.root)
    return course, [p.format() for p in problems.sorted()]


def with_kit(tree, agenda: str = AGENDA, law: str = LAW) -> None:
    """The fixture course using every new field once."""
    text = tree.read(f"{WS}/workshop.yaml")
    start, end = text.index("agenda:"), text.index("key_terms:")
    tree.write(f"{WS}/workshop.yaml", text[:start] + agenda + law + text[end:])
    tree.write(f"{WS}/materials/01-recipe-card.md", MATERIAL)
    tree.write(f"{WS}/materials/02-feedback.md", FEEDBACK)
    tree.replace(f"{WS}/exercises/01-rota.md", "minutes: 30\n",
                 "minutes: 30\nsummary: A council's app plans carers' visits.\nmaterials: [recipe-card]\n")


def errors(found: list[str]) -> list[str]:
    return [p for p in found if ": error: " in p]


def has(found: list[str], where: str, fragment: str, hint: str = "") -> None:
    matching = [p for p in found if p.startswith(where) and fragment in p and hint in p]
    assert matching, f"expected {where} ... {fragment!r} ... {hint!r} in:\n" + "\n".join(found)


# --- loading ----------------------------------------------------------------------------------

def test_the_new_fields_are_loaded(tree):
    with_kit(tree)
    course, found = problems_of(tree)
    assert errors(found) == [], found
    workshop = course.source.workshops[0]
    first, exercise_item, _ = workshop.facts.agenda
    assert first.lead == "Lead facilitator" and not first.is_break and first.cut is None
    assert exercise_item.materials == ["recipe-card"]
    assert (exercise_item.cut.order, exercise_item.cut.saves, exercise_item.cut.how) == (1, 10, "Two report-backs only.")
    law = workshop.facts.law_check
    assert (law.checked, law.items[0].provision, law.items[0].since) == ("2026-12-01", "Art. 9(1)", "2018-05-25")
    exercise = workshop.exercises[0]
    assert exercise.summary == "A council's app plans carers' visits." and exercise.materials == ("recipe-card",)
    assert [m.id for m in workshop.materials] == ["recipe-card", "feedback"]
    card = workshop.material("recipe-card")
    assert (card.number, card.title, card.kind, card.audience, card.orientation) == (
        1, "The recipe card", "worksheet", "participants", "landscape")
    assert card.document.intro == "Fill it in with your group."
    assert [s.id for s in card.document.sections] == ["purpose", "data"]
    assert "::: lines 4" in card.document.sections[0].body
    assert workshop.material("feedback").orientation == "portrait"
    assert card.origin in workshop.origins()


def test_a_break_is_counted_in_the_duration(tree):
    with_kit(tree, agenda=AGENDA.replace("  - minutes: 30\n    activity: Wrap-up",
                                         "  - minutes: 10\n    activity: Break\n    break: true\n"
                                         "  - minutes: 20\n    activity: Wrap-up"))
    course, found = problems_of(tree)
    assert errors(found) == [], found
    assert [i.is_break for i in course.source.workshops[0].facts.agenda] == [False, False, True, False]


def test_translation_falls_back_to_english_per_material(tree):
    with_kit(tree)
    tree.write(f"{FR}/materials/02-feedback.md", FEEDBACK.replace("# Feedback", "# Votre avis").replace("How was it?", "Alors ?"))
    course, found = problems_of(tree)
    assert errors(found) == [], found
    french = course.language("fr").workshops[0]
    card, feedback = french.materials
    assert card.origin.lang == "en" and feedback.origin.lang == "fr" and feedback.title == "Votre avis"


# --- the rules the check enforces -----------------------------------------------------------------

def test_a_break_has_no_ref_and_no_cut(tree):
    with_kit(tree, agenda=AGENDA.replace("    ref: wrap-up\n", "    ref: wrap-up\n    break: true\n"
                                         "    cut:\n      order: 2\n      saves: 5\n      how: Skip it.\n"))
    found = problems_of(tree)[1]
    has(found, f"{WS}/workshop.yaml:22: error:", 'agenda item 3 is a break but refers to "wrap-up"', "remove the ref")
    has(found, f"{WS}/workshop.yaml:24: error:", "agenda item 3 is a break and cannot be cut")


def test_materials_must_exist(tree):
    with_kit(tree, agenda=AGENDA.replace("[recipe-card]", "[recipe-cards]"))
    tree.replace(f"{WS}/exercises/01-rota.md", "materials: [recipe-card]", "materials: [worksheet]")
    found = problems_of(tree)[1]
    has(found, f"{WS}/workshop.yaml:15: error:", 'uses the material "recipe-cards", which is not in materials/',
        'did you mean "recipe-card"?')
    has(found, f"{WS}/exercises/01-rota.md:5: error:", 'the exercise uses the material "worksheet"',
        "the materials of this workshop are: recipe-card, feedback")


def test_material_ids_are_ids(tree):
    with_kit(tree, agenda=AGENDA.replace("[recipe-card]", "[Recipe Card]"))
    has(problems_of(tree)[1], f"{WS}/workshop.yaml:15: error:", 'is not in the expected form', "materials/ folder")


def test_cut_orders_are_unique_and_saves_fit_the_minutes(tree):
    with_kit(tree, agenda=AGENDA.replace("saves: 10", "saves: 35").replace(
        "    ref: wrap-up\n", "    ref: wrap-up\n    cut:\n      order: 1\n      saves: 5\n      how: Skip it.\n"))
    found = problems_of(tree)[1]
    has(found, f"{WS}/workshop.yaml:18: error:", "cutting agenda item 2 saves 35 minutes, more than the 30", "saves: 30 or fewer")
    has(found, f"{WS}/workshop.yaml:24: error:", "the cut order 1 is already used by agenda item 2", "each number once")


def test_gaps_in_the_cut_order_are_a_warning(tree):
    with_kit(tree, agenda=AGENDA.replace("order: 1", "order: 2"))
    found = problems_of(tree)[1]
    assert errors(found) == [], found
    has(found, f"{WS}/workshop.yaml:7: warning:", "the cut orders are 2, not 1, 2, 3...")


def test_cut_needs_how(tree):
    with_kit(tree, agenda=AGENDA.replace("      how: Two report-backs only.\n", ""))
    has(problems_of(tree)[1], f"{WS}/workshop.yaml:16: error:", 'the required field "how" is missing')


def test_a_long_workshop_without_a_break_gets_a_warning(tree):
    with_kit(tree, agenda=AGENDA.replace("  - minutes: 30\n    activity: Wrap-up", "  - minutes: 45\n    activity: Wrap-up"))
    tree.replace(f"{WS}/workshop.yaml", "duration: 90", "duration: 105")
    found = problems_of(tree)[1]
    has(found, f"{WS}/workshop.yaml:3: warning:", "the workshop lasts 105 minutes and has no break", "add a 10-minute break")
    assert not [p for p in found if p.startswith(f"{FR}/") and "no break" in p]   # said once, on the English
    with_kit(tree, agenda=AGENDA.replace("  - minutes: 30\n    activity: Wrap-up",
                                         "  - minutes: 10\n    activity: Break\n    break: true\n"
                                         "  - minutes: 35\n    activity: Wrap-up"))
    assert not [p for p in problems_of(tree)[1] if "no break" in p]


def test_law_check_dates_are_in_the_calendar(tree):
    with_kit(tree, law=LAW.replace("checked: 2026-12-01", "checked: 2026-02-30").replace("2018-05-25", "2018-13-25"))
    found = problems_of(tree)[1]
    has(found, f"{WS}/workshop.yaml:24: error:", '"2026-02-30" is not a date in the calendar', "e.g. 2026-12-01")
    has(found, f"{WS}/workshop.yaml:29: error:", '"2018-13-25" is not a date in the calendar')


def test_law_check_dates_and_sources_have_their_form(tree):
    with_kit(tree, law=LAW.replace("since: 2018-05-25", "since: 25 May 2018")
             .replace("source: https://eur-lex", "source: eur-lex"))
    found = problems_of(tree)[1]
    has(found, f"{WS}/workshop.yaml:29: error:", '"since" "25 May 2018" is not in the expected form', "year-month-day")
    has(found, f"{WS}/workshop.yaml:32: error:", '"source"', "a web address starts with https://")


def test_law_check_items_need_law_provision_says_and_source(tree):
    with_kit(tree, law=LAW.replace("      provision: Art. 9(1)\n", ""))
    has(problems_of(tree)[1], f"{WS}/workshop.yaml:27: error:", 'the required field "provision" is missing')


def test_material_settings_are_checked(tree):
    with_kit(tree)
    tree.replace(f"{WS}/materials/01-recipe-card.md", "kind: worksheet", "kind: worksheeet")
    tree.replace(f"{WS}/materials/02-feedback.md", "audience: participants\n", "")
    found = problems_of(tree)[1]
    has(found, f"{WS}/materials/01-recipe-card.md:2: error:", '"kind" is "worksheeet", which is not one of: worksheet, template',
        'did you mean "worksheet"?')
    has(found, f"{WS}/materials/02-feedback.md:2: error:", 'the required field "audience" is missing')


def test_material_needs_settings_title_and_section_ids(tree):
    with_kit(tree)
    tree.write(f"{WS}/materials/03-plain.md", "# Plain\n\nNo settings.\n")
    tree.replace(f"{WS}/materials/01-recipe-card.md", "# The recipe card\n", "")
    tree.replace(f"{WS}/materials/02-feedback.md", "How was it?", "## Questions\n\nHow was it?")
    found = problems_of(tree)[1]
    has(found, f"{WS}/materials/03-plain.md:1: error:", "the material has no settings block", 'kind: worksheet')
    has(found, f"{WS}/materials/01-recipe-card.md:6: error:", "the material has no title", '"# Title"')
    has(found, f"{WS}/materials/02-feedback.md:7: error:", 'the section "Questions" has no id', "{#questions}")


def test_material_file_names(tree):
    with_kit(tree)
    tree.write(f"{WS}/materials/recipe.md", FEEDBACK)
    tree.write(f"{WS}/materials/01-again.md", FEEDBACK)
    found = problems_of(tree)[1]
    has(found, f"{WS}/materials/recipe.md: error:", "is not a material file", "01-recipe-card.md")
    has(found, f"{WS}/materials/01-recipe-card.md: error:", 'the number 01 is already used by the material "again"')


def test_ruled_lines_need_a_number_and_an_end(tree):
    with_kit(tree)
    tree.replace(f"{WS}/materials/01-recipe-card.md", "::: lines 4", "::: lines four")
    tree.replace(f"{WS}/materials/02-feedback.md", "::: lines 3\n:::\n", "::: lines 3\n")
    found = problems_of(tree)[1]
    has(found, f"{WS}/materials/01-recipe-card.md:14: error:", '"::: lines four" does not say how many lines', "::: lines 4")
    has(found, f"{WS}/materials/02-feedback.md:9: error:", "this ::: lines block is not closed", '":::"')
    tree.replace(f"{WS}/materials/02-feedback.md", "::: lines 3\n", "::: lines 3\nWrite here\n:::\n")
    has(problems_of(tree)[1], f"{WS}/materials/02-feedback.md:10: error:", "holds no text")


def test_links_to_and_from_materials_are_checked(tree):
    with_kit(tree)
    tree.replace(f"{WS}/guide.md", "- Print handouts.", "- Print [the card](materials/01-recipe-card.md#data), "
                 "[the form](materials/02-feedback.md#nothing) and [a sheet](materials/03-sheet.md).")
    tree.replace(f"{WS}/materials/01-recipe-card.md", "Fill it in", "See [the notes](../notes.md#wrap-upp). Fill it in")
    found = problems_of(tree)[1]
    has(found, f"{WS}/guide.md:3: error:", '"materials/02-feedback.md#nothing" points to "#nothing"')
    has(found, f"{WS}/guide.md:3: error:", '"materials/03-sheet.md" points to a material that does not exist')
    has(found, f"{WS}/materials/01-recipe-card.md:8: error:", '"../notes.md#wrap-upp" points to "#wrap-upp"')
    assert not [p for p in found if "01-recipe-card.md#data" in p]


def test_a_long_summary_is_a_warning(tree):
    with_kit(tree)
    tree.replace(f"{WS}/exercises/01-rota.md", "summary: A council's app plans carers' visits.",
                 "summary: " + " ".join(["word"] * 45))
    has(problems_of(tree)[1], f"{WS}/exercises/01-rota.md:4: warning:", "the summary has 45 words")


def test_the_check_warns_at_the_summary_length_the_slides_use(tree):
    """One number (content.model.SUMMARY_WORDS) for the check and the deck planner."""
    from teachforward.content.model import SUMMARY_WORDS
    from teachforward.decks import plan
    assert plan.SUMMARY_WORDS is SUMMARY_WORDS
    with_kit(tree)
    path = f"{WS}/exercises/01-rota.md"
    tree.replace(path, "summary: A council's app plans carers' visits.", "summary: " + " ".join(["word"] * SUMMARY_WORDS))
    assert not [p for p in problems_of(tree)[1] if "the summary has" in p]
    tree.replace(path, "summary: word", "summary: word word")
    has(problems_of(tree)[1], f"{path}:4: warning:", f"the summary has {SUMMARY_WORDS + 1} words")


# --- translations: the same non-text values as in English ------------------------------------------

def french_kit(tree) -> None:
    """A French workshop.yaml, exercise and material that follow the English kit, marked current."""
    with_kit(tree)
    english = tree.read(f"{WS}/workshop.yaml")
    french = tree.read(f"{FR}/workshop.yaml").split("translated_from:")[0]
    start, end = french.index("agenda:"), french.index("key_terms:")
    english_plan = english[english.index("agenda:"):english.index("key_terms:")]
    tree.write(f"{FR}/workshop.yaml", french[:start] + english_plan.replace("Laws change.", "Les lois changent.") + french[end:])
    tree.write(f"{FR}/materials/01-recipe-card.md", MATERIAL.replace("# The recipe card", "# La fiche recette"))
    for path in (f"{FR}/workshop.yaml", f"{FR}/materials/01-recipe-card.md"):
        assert run(tree, "i18n", "mark-current", "fr", str(tree.path(path))) == 0


def test_translation_keeps_breaks_cuts_and_materials(tree):
    french_kit(tree)
    assert errors(problems_of(tree)[1]) == []
    tree.replace(f"{FR}/workshop.yaml", "order: 1", "order: 2")
    tree.replace(f"{FR}/workshop.yaml", "saves: 10", "saves: 5")
    tree.replace(f"{FR}/workshop.yaml", "[recipe-card]", "[feedback]")
    tree.replace(f"{FR}/workshop.yaml", "    ref: wrap-up\n", "    ref: wrap-up\n    break: true\n")
    found = problems_of(tree)[1]
    has(found, f"{FR}/workshop.yaml:17: error:", "the cut of agenda item 2 has order 2 here but 1 in English", "order: 1")
    has(found, f"{FR}/workshop.yaml:18: error:", "has saves 5 here but 10 in English")
    has(found, f"{FR}/workshop.yaml:15: error:", "uses the materials [feedback] here but [recipe-card] in English")
    has(found, f"{FR}/workshop.yaml:23: error:", "agenda item 3 is a break here but is not one in English", "remove break: true")


def test_translation_keeps_law_check_dates_and_sources(tree):
    french_kit(tree)
    tree.replace(f"{FR}/workshop.yaml", "checked: 2026-12-01", "checked: 2026-11-01")
    tree.replace(f"{FR}/workshop.yaml", "source: https://eur-lex.europa.eu/eli/reg/2016/679/oj",
                 "source: https://eur-lex.europa.eu/eli/reg/2016/679/oj?locale=fr")
    found = problems_of(tree)[1]
    has(found, f"{FR}/workshop.yaml:", "the law check is dated 2026-11-01 here but 2026-12-01 in English", "checked: 2026-12-01")
    has(found, f"{FR}/workshop.yaml:", "law check item 1 has source https://eur-lex.europa.eu/eli/reg/2016/679/oj?locale=fr here")


def test_translated_material_keeps_settings_and_sections(tree):
    french_kit(tree)
    tree.replace(f"{FR}/materials/01-recipe-card.md", "orientation: landscape", "orientation: portrait")
    tree.replace(f"{FR}/materials/01-recipe-card.md", "{#data}", "{#donnees}")
    tree.write(f"{FR}/materials/05-extra.md", FEEDBACK)
    found = problems_of(tree)[1]
    has(found, f"{FR}/materials/01-recipe-card.md: error:", "orientation is portrait here but landscape in English")
    has(found, f"{FR}/materials/01-recipe-card.md:", 'the section id "donnees" is not in the English 01-recipe-card.md')
    has(found, f"{FR}/materials/05-extra.md: error:", 'there is no English material "extra" to translate')


def test_a_later_english_change_makes_a_difference_a_warning(tree):
    french_kit(tree)
    tree.replace(f"{WS}/workshop.yaml", "saves: 10", "saves: 15")
    tree.replace(f"{WS}/workshop.yaml", "checked: 2026-12-01", "checked: 2027-01-15")
    found = problems_of(tree)[1]
    assert errors(found) == [], found
    has(found, f"{FR}/workshop.yaml:18: warning:", "has saves 10 here but 15 in English (the English has changed since")
    has(found, f"{FR}/workshop.yaml:", "dated 2026-12-01 here but 2027-01-15 in English (the English has changed since")


def test_exercise_materials_follow_english(tree):
    french_kit(tree)
    tree.write(f"{FR}/exercises/01-rota.md", tree.read(f"{WS}/exercises/01-rota.md").replace("[recipe-card]", "[feedback]"))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path(f"{FR}/exercises/01-rota.md"))) == 0
    has(problems_of(tree)[1], f"{FR}/exercises/01-rota.md:5: error:", "uses the materials [feedback] here but [recipe-card]")
    tree.replace(f"{WS}/exercises/01-rota.md", "materials: [recipe-card]", "materials: [recipe-card, feedback]")
    found = problems_of(tree)[1]
    has(found, f"{FR}/exercises/01-rota.md:5: warning:", "(the English has changed since")


# --- translation tracking --------------------------------------------------------------------------

def status(tree, capsys) -> dict:
    capsys.readouterr()
    assert run(tree, "i18n", "status", "--format", "json", "fr") == 0
    return {d["file"]: d for d in json.loads(capsys.readouterr().out)[0]["details"]}


def test_materials_are_tracked_for_translation(tree, capsys):
    french_kit(tree)
    details = status(tree, capsys)
    assert details["01-basics/materials/01-recipe-card.md"]["state"] == "translated"
    assert details["01-basics/materials/02-feedback.md"]["state"] == "missing"
    assert details["01-basics/materials/02-feedback.md"]["words"] == 6     # the title, "How was it?" and "lines 3"
    assert "kind: worksheet" in tree.read(f"{FR}/materials/01-recipe-card.md")   # the settings are kept
    tree.replace(f"{WS}/materials/01-recipe-card.md", "What is the system for?", "What is the system for, and who decided?")
    details = status(tree, capsys)
    assert details["01-basics/materials/01-recipe-card.md"]["state"] == "outdated"
    assert details["01-basics/materials/01-recipe-card.md"]["outdated_sections"] == ["purpose"]


def test_new_agenda_fields_outdate_the_agenda_only_when_used(tree, capsys):
    assert status(tree, capsys)["01-basics/workshop.yaml"]["state"] == "translated"
    tree.replace(f"{WS}/workshop.yaml", "    ref: wrap-up\n", "    ref: wrap-up\n    lead: Co-facilitator\n")
    details = status(tree, capsys)["01-basics/workshop.yaml"]
    assert details["state"] == "outdated" and details["outdated_sections"] == ["agenda"]


def test_course_start_time(tree):
    tree.replace("workshops/course.yaml", "source_language: en", "source_language: en\nstart_time: 13:30")
    course, found = problems_of(tree)
    assert errors(found) == [] and course.settings.start_time == "13:30"     # unquoted, not read as base 60
    tree.replace("workshops/course.yaml", "start_time: 13:30", "start_time: 1.30pm")
    has(problems_of(tree)[1], "workshops/course.yaml:4: error:", '"start_time" "1.30pm" is not in the expected form',
        "e.g. 09:30 or 13:30")
