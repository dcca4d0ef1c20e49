"""Translators' tools: starting a language, status, staleness, and what the site shows."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from teachforward.build import build, load_and_check
from teachforward.cli import main
from teachforward.content.tracking import translation_status


def run(tree, *args) -> int:
    return main(["--root", str(tree.root), *args])


def status_json(tree, capsys, lang="fr") -> dict:
    capsys.readouterr()
    assert run(tree, "i18n", "status", "--format", "json", lang) == 0
    return json.loads(capsys.readouterr().out)[0]


def test_status_numbers_of_the_fixture(tree, capsys):
    # The fixture's French translates workshop.yaml and index.md, both marked current.
    # English words per file, counted by hand: workshop.yaml 68, index.md 18, notes.md 64,
    # exercise 35, glossary.md 2, writing-and-translating.md 6, guide.md 3: total 196.
    result = status_json(tree, capsys)
    assert result["files"] == {"translated": 2, "outdated": 0, "missing": 5, "total": 7}
    assert result["words"] == {"total": 196, "translated_percent": round(100 * 86 / 196, 1),
                               "outdated_percent": 0.0, "missing_percent": round(100 * 110 / 196, 1)}


def test_changing_one_english_section_outdates_exactly_that_section(tree, capsys, tmp_path):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Speak about data.", "Parlez des données."))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/notes.md"))) == 0
    assert "notes.md" not in [d["file"] for d in status_json(tree, capsys)["details"] if d["state"] != "translated"
                              and d["file"].endswith("notes.md")]
    tree.replace("workshops/en/01-basics/notes.md", "Closing words", "Final words")
    details = {d["file"]: d for d in status_json(tree, capsys)["details"]}
    assert details["01-basics/notes.md"]["state"] == "outdated"
    assert details["01-basics/notes.md"]["outdated_sections"] == ["wrap-up"]
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    page = (out / "fr" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert page.count("The English version of this section has changed since it was translated") == 1
    assert 'href="../../../en/workshops/01-basics/notes.html#wrap-up"' in page
    section = page[page.index('id="wrap-up"'):]
    assert "has changed since" in section
    status_page = (out / "fr" / "translation-status.html").read_text(encoding="utf-8")
    assert "wrap-up" in status_page


def test_mark_current_keeps_the_translators_text(tree):
    before = tree.read("workshops/fr/01-basics/workshop.yaml").split("translated_from:")[0]
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/workshop.yaml"))) == 0
    after = tree.read("workshops/fr/01-basics/workshop.yaml")
    assert after.startswith(before) and after.count("translated_from:") == 1


def test_fail_under(tree, capsys):
    assert run(tree, "i18n", "status", "--fail-under", "40", "fr") == 0
    assert run(tree, "i18n", "status", "--fail-under", "50", "fr") == 1


def test_add_language_scaffolds_and_never_overwrites(tree, capsys, tmp_path):
    assert run(tree, "i18n", "add", "de") == 0
    strings = tree.path("docs/de/strings.yaml")
    assert strings.is_file() and tree.path("workshops/de").is_dir()
    capsys.readouterr()
    assert run(tree, "check") == 0     # a freshly scaffolded language is valid as it is
    assert "docs/de/strings.yaml: warning:" in capsys.readouterr().out
    strings.write_text('workshop_label: "Workshop {number} (de)"\n', encoding="utf-8")
    assert run(tree, "i18n", "add", "de") == 0
    assert strings.read_text(encoding="utf-8") == 'workshop_label: "Workshop {number} (de)"\n'
    course, problems = load_and_check(tree.root)
    assert not problems.errors
    german = course.language("de")
    assert german.name == "Deutsch" and german.strings["agenda_title"] == "Agenda"
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    page = (out / "de" / "workshops" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page and "noch nicht" not in page and "Not translated yet" in page
    assert translation_status(course, german).count("missing") == 7


@pytest.mark.parametrize("code", ["french", "EN", "fr_FR", "xx", "../en"])
def test_add_refuses_invalid_codes(tree, capsys, code):
    assert run(tree, "i18n", "add", code) == 2
    assert "not a language" in capsys.readouterr().out
    assert not tree.path(f"workshops/{code}").exists()


def test_right_to_left_language_site(tree, tmp_path):
    tree.write("docs/ar/index.md", "# الصفحة الرئيسية\n\nمرحبا بكم في Teach Forward.\n")
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    page = (out / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar"' in page and 'dir="rtl"' in page


def test_recorded_fingerprints_stay_text_even_when_all_digits():
    import yaml

    from teachforward.i18n import write_record_markdown, write_record_yaml
    record = {"responses": "707886368816", "task": "0e12"}
    assert yaml.safe_load(write_record_yaml("title: x\n", record))["translated_from"] == record
    front = write_record_markdown("## A {#a}\n", record).split("---")[1]
    assert yaml.safe_load(front)["translated_from"] == record


def test_mark_current_keeps_file_permissions(tree):
    path = tree.path("workshops/fr/01-basics/workshop.yaml")
    path.chmod(0o644)
    assert run(tree, "i18n", "mark-current", "fr", str(path)) == 0
    assert path.stat().st_mode & 0o777 == 0o644


def test_new_english_section_outdates_translation_without_breaking_the_build(tree, capsys, tmp_path):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Speak about data.", "Parlez des données."))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/notes.md"))) == 0
    tree.write("workshops/en/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               + "\n## Homework {#homework}\n\n- Look around\n- Bring one example\n\nA new section.\n")
    capsys.readouterr()
    assert run(tree, "check") == 0
    out = capsys.readouterr().out
    assert 'warning: the English section "homework" is missing here (the English has changed' in out
    details = {d["file"]: d for d in status_json(tree, capsys)["details"]}
    assert details["01-basics/notes.md"]["outdated_sections"] == ["homework"]
    assert build(tree.root, tmp_path / "site", jobs=1, with_decks=False) == 0


def test_translation_that_drops_a_section_it_claims_is_current_is_an_error(tree, capsys):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md"))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/notes.md"))) == 0
    text = tree.read("workshops/fr/01-basics/notes.md")
    tree.write("workshops/fr/01-basics/notes.md", text[:text.index("## Wrap-up")])
    capsys.readouterr()
    assert run(tree, "check") == 1
    assert 'error: the English section "wrap-up" is missing here' in capsys.readouterr().out


def test_status_into_a_closed_pipe_ends_quietly(tree):
    """`teachforward i18n status | head`: the reader goes away; no error message, no word about a site."""
    reading, writing = os.pipe()
    os.close(reading)                  # closed before the first line is written: every write fails
    try:
        done = subprocess.run([sys.executable, "-m", "teachforward", "--root", str(tree.root), "i18n", "status"],
                              stdout=writing, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(writing)
    assert done.stderr == ""
    assert done.returncode == 141      # as a command stopped by SIGPIPE
