"""The English moves on without breaking anything: a link, picture, section or exercise added to
the English, or minutes changed, after a translation was marked current makes the translation
outdated (a warning, the page and section notices, the status page), never an error. What a
translator breaks in a translation marked current stays an error.

Each case edits a copy of the fixture course (tests/fixtures/valid) whose French notes and
exercise are translated and marked current with the real command (i18n mark-current)."""
from __future__ import annotations

import json
import re

import pytest

from teachforward.build import build
from teachforward.cli import main

NOTES = "workshops/{}/01-basics/notes.md"
EXERCISE = "workshops/{}/01-basics/exercises/01-rota.md"
FACTS = "workshops/{}/01-basics/workshop.yaml"
MOVED = "(the English has changed since this file was translated)"


def run(tree, capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["--root", str(tree.root), *args])
    return status, capsys.readouterr().out


def french_current(tree, capsys) -> None:
    """French notes and exercise: the English with some words translated, marked current."""
    tree.write(NOTES.format("fr"), tree.read(NOTES.format("en")).replace("Speak about data.", "Parlez des données."))
    # "données" where the English says "data": the termbase wants the agreed key term.
    tree.write(EXERCISE.format("fr"), tree.read(EXERCISE.format("en")).replace("Who decides the rota?",
                                                                               "Qui décide du planning ?")
               .replace("the data", "les données").replace("Which data", "Quelles données"))
    for path in (NOTES, EXERCISE):
        status, out = run(tree, capsys, "i18n", "mark-current", "fr", str(tree.path(path.format("fr"))))
        assert status == 0, out
    status, out = run(tree, capsys, "check")
    assert status == 0 and not workshop_warnings(out), f"the fixture's French is not clean once marked current:\n{out}"


def problem_lines(out: str) -> list[str]:
    """The check's own lines, without the GitHub annotations it repeats them as in CI."""
    return [line for line in out.splitlines() if not line.startswith("::")]


def workshop_warnings(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("workshops/") and ": warning: " in line]


def outdated(tree, capsys) -> dict[str, list[str]]:
    status, out = run(tree, capsys, "i18n", "status", "--format", "json", "fr")
    assert status == 0, out
    return {d["file"]: d["outdated_sections"] for d in json.loads(out)[0]["details"] if d["state"] == "outdated"}


# (what the author does, the English edit, the warning printed, the file and sections outdated)
ENGLISH_EDITS = [
    ("adds a link to a section",
     [(NOTES, "Speak about data.", "Speak about data, as [the guide](guide.md) says.")],
     'the English section "what-is-data" has the link "guide.md", which is missing here',
     {"01-basics/notes.md": ["what-is-data"]}),
    ("adds a picture to a section",
     [(NOTES, "Closing words", "![A recipe, once more](images/recipe.svg)\n\nClosing words")],
     'the English section "wrap-up" has the picture "images/recipe.svg", which is missing here',
     {"01-basics/notes.md": ["wrap-up"]}),
    ("adds a section",
     [(NOTES, "## Wrap-up {#wrap-up}", "## Homework {#homework}\n\n- Look around\n- Bring one\n\nText.\n\n"
                                       "## Wrap-up {#wrap-up}")],
     'the English section "homework" is missing here',
     {"01-basics/notes.md": ["homework"]}),
    ("adds a link to an exercise",
     [(EXERCISE, "List the data the app needs.", "List the data the app needs ([notes](../notes.md)).")],
     'the English "task" section has the link "../notes.md", which is missing here',
     {"01-basics/exercises/01-rota.md": ["task"]}),
    ("changes an exercise's minutes",
     [(EXERCISE, "minutes: 30", "minutes: 35")],
     "the exercise lasts 30 minutes here but 35 in English",
     {"01-basics/exercises/01-rota.md": ["settings"]}),
    ("changes an exercise's group size",
     [(EXERCISE, "group_size: 3-5", "group_size: 2-4")],
     "the group size is 3–5 here but 2–4 in English",
     {"01-basics/exercises/01-rota.md": ["settings"]}),
    ("changes the agenda's minutes",
     [(FACTS, "  - minutes: 30\n    activity: What counts as data?", "  - minutes: 40\n    activity: What counts as data?"),
      (FACTS, "  - minutes: 30\n    activity: Wrap-up", "  - minutes: 20\n    activity: Wrap-up")],
     "agenda item 1 lasts 30 minutes here but 40 in English",
     {"01-basics/workshop.yaml": ["agenda"]}),
]


@pytest.mark.parametrize("case", ENGLISH_EDITS, ids=[c[0] for c in ENGLISH_EDITS])
def test_the_english_moving_on_outdates_the_translation_and_is_no_error(tree, capsys, case):
    _, edits, warning, expected = case
    french_current(tree, capsys)
    for path, old, new in edits:
        tree.replace(path.format("en"), old, new)
    status, out = run(tree, capsys, "check")
    assert status == 0, f"the English moving on broke the check:\n{out}"
    assert "error" not in out, out
    lines = [line for line in problem_lines(out) if warning in line]
    assert lines and all(line.startswith("workshops/fr/") and ": warning: " in line and MOVED in line for line in lines), \
        f"expected a warning {warning!r} on the French file, saying the English moved:\n{out}"
    found = outdated(tree, capsys)
    for file, sections in expected.items():
        assert set(sections) <= set(found.get(file, [])), f"{file} should be outdated in {sections}: {found}"


def test_an_exercise_added_to_the_english_is_missing_from_the_translation_not_an_error(tree, capsys):
    french_current(tree, capsys)
    tree.write("workshops/en/01-basics/exercises/02-extra.md", tree.read(EXERCISE.format("en"))
               .replace("Who decides the rota?", "One more task").replace("minutes: 30", "minutes: 10"))
    status, out = run(tree, capsys, "check")
    assert status == 0 and "error" not in out, out
    status, out = run(tree, capsys, "i18n", "status", "--format", "json", "fr")
    states = {d["file"]: d["state"] for d in json.loads(out)[0]["details"]}
    assert states["01-basics/exercises/02-extra.md"] == "missing"
    assert states["01-basics/exercises/01-rota.md"] == "translated"


def test_the_site_shows_what_the_english_changed(tree, capsys, tmp_path):
    """The link case end to end: the build goes on, the French notes page says so at the page
    and at the section, and the status page lists the section."""
    french_current(tree, capsys)
    tree.replace(NOTES.format("en"), "Speak about data.", "Speak about data, as [the guide](guide.md) says.")
    tree.replace(EXERCISE.format("en"), "minutes: 30", "minutes: 35")
    assert build(tree.root, tmp_path / "site", jobs=1, with_decks=False) == 0
    notes = (tmp_path / "site" / "fr" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    section = notes[notes.index('id="what-is-data"'):notes.index('id="wrap-up"')]
    assert "The English version of this section has changed since it was translated" in section
    exercises = (tmp_path / "site" / "fr" / "workshops" / "01-basics" / "exercises.html").read_text(encoding="utf-8")
    assert "The English version has changed" in exercises
    status_page = (tmp_path / "site" / "fr" / "translation-status.html").read_text(encoding="utf-8")
    assert re.search(r"notes\.md.*what-is-data", status_page, re.S) and "settings" in status_page


# (what the translator breaks in a file marked current, the edit, the error printed)
TRANSLATOR_BREAKS = [
    ("drops a link", (NOTES, " See [the rota exercise](exercises/01-rota.md)", ""),
     'the English section "what-is-data" has the link "exercises/01-rota.md", which is missing here'),
    ("changes a link's target", (NOTES, "(exercises/01-rota.md)", "(guide.md)"),
     'the link "guide.md" is not in the English section "what-is-data"'),
    ("drops a picture", (NOTES, "![A recipe with four ingredients](images/recipe.svg)", ""),
     'the English section "what-is-data" has the picture "images/recipe.svg", which is missing here'),
    ("changes an exercise's minutes", (EXERCISE, "minutes: 30", "minutes: 20"),
     "the exercise lasts 20 minutes here but 30 in English"),
    ("changes an exercise's group size", (EXERCISE, "group_size: 3-5", "group_size: 4-6"),
     "the group size is 4–6 here but 3–5 in English"),
]


@pytest.mark.parametrize("case", TRANSLATOR_BREAKS, ids=[c[0] for c in TRANSLATOR_BREAKS])
def test_what_a_translator_breaks_in_a_current_translation_stays_an_error(tree, capsys, case):
    _, (path, old, new), error = case
    french_current(tree, capsys)
    tree.replace(path.format("fr"), old, new)
    status, out = run(tree, capsys, "check")
    assert status == 1, f"a broken translation passed the check:\n{out}"
    lines = [line for line in problem_lines(out) if error in line]
    assert lines and all(": error: " in line and MOVED not in line and line.startswith(path.format("fr")) for line in lines), out


def _record_without_settings(tree) -> None:
    """The exercise's record as mark-current wrote it before exercise settings were tracked."""
    path = EXERCISE.format("fr")
    text = tree.read(path)
    assert re.search(r'\n  settings: "[0-9a-f]+"\n', text), "mark-current did not record the settings"
    tree.write(path, re.sub(r'\n  settings: "[0-9a-f]+"\n', "\n", text))


def test_an_older_record_without_settings_stands_for_the_translations_own(tree, capsys):
    french_current(tree, capsys)
    _record_without_settings(tree)
    assert outdated(tree, capsys) == {}, "an older record outdated an exercise whose settings match the English"
    status, out = run(tree, capsys, "check")
    assert status == 0 and not workshop_warnings(out), out
    tree.replace(EXERCISE.format("en"), "minutes: 30", "minutes: 35")
    status, out = run(tree, capsys, "check")
    assert status == 0 and f"the exercise lasts 30 minutes here but 35 in English {MOVED}" in out, out
    assert outdated(tree, capsys) == {"01-basics/exercises/01-rota.md": ["settings"]}
