"""The loader and validator on tiny source trees: what the cases of tests/bad_inputs (one defect
each, through the command line) do not show: the model a valid tree loads into, fallbacks, a
site page's anchors, accepted encodings, every problem in one run, exit status and annotations."""
from __future__ import annotations

import pytest

from teachforward.build import load_and_check
from teachforward.cli import main

WS = "workshops/en/01-basics"


def problems_of(tree):
    course, problems = load_and_check(tree.root)
    return course, [p.format() for p in problems.sorted()]


def only_error(tree, fragment: str) -> str:
    _, found = problems_of(tree)
    matching = [p for p in found if fragment in p]
    assert matching, f"expected a problem containing {fragment!r}, got {found}"
    return matching[0]


def test_valid_fixture_loads_without_problems(tree):
    course, found = problems_of(tree)
    # The fixture's French translates only a few interface strings: that is reported, not an error.
    assert [p.split(":")[0] for p in found] == ["docs/fr/strings.yaml"] and ": warning:" in found[0]
    english = course.source
    workshop = english.workshops[0]
    assert (workshop.number, workshop.slug, workshop.facts.duration) == (1, "basics", 90)
    assert [s.id for s in workshop.notes.sections] == ["what-is-data", "wrap-up"]
    assert workshop.notes.sections[0].key_points == ("Data is recorded information", "Phones record where you are")
    assert workshop.notes.intro == "An introduction for the facilitator."
    exercise = workshop.exercises[0]
    assert (exercise.id, exercise.group_size, exercise.minutes) == ("rota", "3–5", 30)
    assert "secret-answer-text" in exercise.responses.body
    assert [item.minutes for item in workshop.facts.agenda] == [30, 30, 30]


def test_translation_falls_back_to_english_per_file(tree):
    course, _ = problems_of(tree)
    french = course.language("fr")
    workshop = french.workshops[0]
    assert workshop.facts.title.startswith("Les bases")
    assert french.is_translated(workshop.facts_origin)
    assert not french.is_translated(workshop.notes.origin)
    assert workshop.notes.origin.path.parts[-3:] == ("en", "01-basics", "notes.md")
    assert french.name == "Français" and french.direction == "ltr"
    assert french.strings["workshop_label"] == "Atelier {number}"      # translated
    assert french.strings["agenda_title"] == "Agenda"                  # English fallback


def test_link_from_site_page_to_missing_anchor(tree):
    tree.replace("docs/en/index.md", "notes.md#what-is-data", "notes.md#what-is-it")
    assert only_error(tree, "#what-is-it").startswith("docs/en/index.md:7:")


def test_bom_and_crlf_are_accepted(tree):
    text = tree.read(f"{WS}/workshop.yaml")
    tree.path(f"{WS}/workshop.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    course, found = problems_of(tree)
    assert not [p for p in found if ": error:" in p] and course.source.workshops[0].facts.duration == 90


def test_every_problem_is_reported_in_one_run(tree):
    tree.replace(f"{WS}/workshop.yaml", "duration: 90", "durration: 90")
    tree.replace(f"{WS}/notes.md", "[wrap-up](#wrap-up)", "[wrap-up](#nowhere)")
    tree.write(f"{WS}/images/recipe.svg", "not a picture")
    _, found = problems_of(tree)
    assert len([p for p in found if ": error:" in p]) >= 3


@pytest.mark.parametrize("ci", ["", "true"])
def test_check_command_exit_status_and_annotations(tree, capsys, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["--root", str(tree.root), "check"]) == 0
    tree.replace(f"{WS}/workshop.yaml", "duration: 90", "durration: 90")
    assert main(["--root", str(tree.root), "check"]) == 1
    out = capsys.readouterr().out
    assert f"{WS}/workshop.yaml:3: error: unknown field" in out
    annotation = f"::error file={WS}/workshop.yaml,line=3::unknown field"
    assert (annotation in out) == (ci == "true")


def test_translated_string_with_unknown_placeholder_is_an_error(tree):
    tree.write("docs/fr/strings.yaml", tree.read("docs/fr/strings.yaml").replace("Atelier {number}", "Atelier {numero}"))
    problem = only_error(tree, "placeholder")
    assert problem.startswith("docs/fr/strings.yaml:2: error:") and "{number}" not in problem.split("hint")[0]
    assert "(number)" in problem


def test_untranslated_interface_strings_are_reported(tree):
    _, found = problems_of(tree)
    assert len(found) == 1 and "docs/fr/strings.yaml: warning:" in found[0]
    assert "are not translated and are shown in English: course_name, course_tagline" in found[0]
    tree.write("docs/fr/strings.yaml", tree.read("docs/en/strings.yaml"))
    assert problems_of(tree)[1] == []
