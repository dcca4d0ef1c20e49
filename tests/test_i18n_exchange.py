"""PO and XLIFF export and import: units, gettext tools, round trips, records and backups."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from teachforward.build import build, load_and_check
from teachforward.cli import main
from teachforward.content.loader import load_course
from teachforward.content.units import language_files

REPO = Path(__file__).resolve().parent.parent
XSD = REPO / "tests" / "schemas" / "xliff-1.2-subset.xsd"
SOURCES = ("workshops", "docs")


@pytest.fixture
def gettext():
    """gettext's command-line tools (Debian package gettext, installed by scripts/install-system-deps.sh)."""
    if not all(shutil.which(tool) for tool in ("msgfmt", "msgen", "msgfilter", "msgattrib")):
        pytest.skip("gettext's tools (msgfmt, msgen, msgfilter, msgattrib) are not installed: "
                    "run scripts/install-system-deps.sh")


def run(tree, *args) -> int:
    return main(["--root", str(tree.root), *args])


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for top in SOURCES for p in sorted((root / top).rglob("*")) if p.is_file()}


def exported(root: Path, lang: str, suffix: str) -> list[Path]:
    return sorted(p for p in (root / "build" / "i18n" / lang).rglob(f"*{suffix}") if "backup" not in p.parts)


def test_units_are_the_parsed_blocks_with_their_lines_as_written(tree):
    """A unit is a block of the parsed model: a fenced code block with a blank line in it is one
    unit, a ### heading is a heading, a wrapped key point is one point spanning its lines."""
    tree.replace("workshops/en/01-basics/notes.md", "- Thank everyone\n",
                 "- Thank everyone and say\n  goodbye\n\n### Next time\n\n```\ncode\n\nmore code\n```\n")
    course, problems = load_course(tree.root)
    assert not problems.errors, problems.sorted()
    notes = next(f for f in language_files(course, course.language("fr")) if f.english.name == "notes.md")
    by_id = {u.id: u for u in notes.units if u.section == "wrap-up"}
    assert list(by_id) == ["wrap-up/title", "wrap-up/point-1", "wrap-up/point-2", "wrap-up/block-1",
                           "wrap-up/block-2", "wrap-up/block-3"]
    point = by_id["wrap-up/point-2"]
    assert point.source == "Thank everyone and say goodbye"
    assert notes.text[point.span.start:point.span.end] == "Thank everyone and say\n  goodbye"
    assert (by_id["wrap-up/block-1"].kind, by_id["wrap-up/block-1"].source) == ("heading", "Next time")
    assert by_id["wrap-up/block-2"].source == "```\ncode\n\nmore code\n```"
    assert by_id["wrap-up/block-3"].source == "Closing words with the unique word zebrafish."
    title = by_id["wrap-up/title"]
    assert notes.text[title.span.start:title.span.end] == "Wrap-up"


def test_units_of_the_fixture_notes(tree):
    course, _ = load_course(tree.root)
    files = {f.english.relative_to(tree.root).as_posix(): f for f in language_files(course, course.language("fr"))}
    notes = files["workshops/en/01-basics/notes.md"]
    assert [u.id for u in notes.units] == [
        "intro/block-1", "what-is-data/title", "what-is-data/point-1", "what-is-data/point-2",
        "what-is-data/block-1", "what-is-data/block-2", "wrap-up/title", "wrap-up/point-1", "wrap-up/point-2",
        "wrap-up/block-1"]
    by_id = {u.id: u for u in notes.units}
    assert by_id["what-is-data/title"].source == "What counts as data?"
    assert by_id["what-is-data/block-2"].source == "![A recipe with four ingredients](images/recipe.svg)"
    assert by_id["what-is-data/block-1"].source.count("\n") == 1       # two lines, one paragraph
    assert not notes.translated and all(u.target is None for u in notes.units)
    facts = files["workshops/en/01-basics/workshop.yaml"]
    by_id = {u.id: u for u in facts.units}
    assert by_id["key_terms/data/term"].target == "Données"            # a key term is named by its id
    assert by_id["agenda/1/activity"].target == "Exercice : le planning"
    assert facts.text[by_id["title"].span.start:by_id["title"].span.end] == '"Les bases : les données au travail"'
    assert "further_reading/0/title" in by_id and not any(u.id.endswith("/url") for u in facts.units)


def test_po_files_pass_msgfmt_and_xliff_files_the_schema(tree, capsys, gettext):
    import xmlschema
    assert run(tree, "i18n", "export", "fr") == 0
    assert run(tree, "i18n", "export", "fr", "--format", "xliff") == 0
    pos, xlfs = exported(tree.root, "fr", ".po"), exported(tree.root, "fr", ".xlf")
    assert len(pos) == len(xlfs) == 8        # 4 workshop files, 3 pages, interface strings
    for po in pos:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stderr, (po, result.stderr)
    schema = xmlschema.XMLSchema(str(XSD))
    for xlf in xlfs:
        schema.validate(str(xlf))
    # A broken file is refused by the schema: the validation can fail.
    broken = xlfs[0].read_text(encoding="utf-8").replace("<source>", "<sauce>", 1).replace("</source>", "</sauce>", 1)
    assert not schema.is_valid(broken)


@pytest.mark.parametrize("format, suffix", [("po", ".po"), ("xliff", ".xlf")])
def test_export_then_import_of_an_unchanged_language_changes_no_byte(tree, capsys, format, suffix):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Speak about data.", "Parlez des données."))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/notes.md"))) == 0
    before = snapshot(tree.root)
    assert run(tree, "i18n", "export", "fr", "--format", format) == 0
    assert run(tree, "i18n", "import", "fr", *map(str, exported(tree.root, "fr", suffix))) == 0
    assert snapshot(tree.root) == before
    assert not (tree.root / "build" / "i18n" / "fr" / "backup").exists()


def test_gettext_tools_translate_a_new_file_that_then_builds(tree, capsys, tmp_path, gettext):
    """A translator takes the exported notes, translates them with gettext tools, imports, builds."""
    assert run(tree, "i18n", "export", "fr", str(tree.path("workshops/en/01-basics/notes.md"))) == 0
    po = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "notes.md.po"
    assert polib.pofile(str(po)).percent_translated() == 0
    english = tmp_path / "english.po"
    subprocess.run(["msgen", "-o", str(english), str(po)], check=True)           # every msgstr = its msgid
    subprocess.run(["msgfilter", "-i", str(english), "-o", str(po), "sed", "-e", "s/Speak about/Parlez de/;"
                    "s/Closing words/Mots de la fin/;s/Summarise the session/Résumer la séance/"], check=True)
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(po)) == 0
    said = capsys.readouterr().out
    assert "recorded current: intro, what-is-data, wrap-up" in said
    notes = tree.read("workshops/fr/01-basics/notes.md")
    assert "Parlez de data. See [the rota exercise](exercises/01-rota.md)" in notes
    assert "- Résumer la séance\n" in notes and "## Wrap-up {#wrap-up}" in notes
    assert notes.startswith("---\ntranslated_from:")
    course, problems = load_and_check(tree.root)
    assert not problems.errors, problems.sorted()
    status = {f.label: f.state for f in __import__("teachforward.content.tracking", fromlist=["x"])
              .translation_status(course, course.language("fr")).files}
    assert status["01-basics/notes.md"] == "translated"
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    page = (out / "fr" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert "Mots de la fin" in page and "Parlez de data" in page


def test_fuzzy_entries_and_what_import_records(tree, capsys, gettext):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Closing words", "Mots de la fin"))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/notes.md"))) == 0
    tree.replace("workshops/en/01-basics/notes.md", "Closing words", "Final words")
    assert run(tree, "i18n", "export", "fr", "workshops/fr/01-basics/notes.md") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "notes.md.po"
    po = polib.pofile(str(path))
    assert {e.msgctxt for e in po.fuzzy_entries()} == {"wrap-up/title", "wrap-up/point-1", "wrap-up/point-2",
                                                       "wrap-up/block-1"}
    before = tree.read("workshops/fr/01-basics/notes.md")
    # Imported as it is, still fuzzy: nothing is recorded, the file is not touched.
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    assert tree.read("workshops/fr/01-basics/notes.md") == before
    # The translator updates the paragraph and clears the fuzzy flags (gettext's msgattrib).
    entry = po.find("wrap-up/block-1", by="msgctxt")
    entry.msgstr = entry.msgstr.replace("Mots de la fin", "Derniers mots")
    po.save(str(path))
    subprocess.run(["msgattrib", "--clear-fuzzy", "-o", str(path), str(path)], check=True)
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    assert "recorded current: wrap-up" in capsys.readouterr().out
    after = tree.read("workshops/fr/01-basics/notes.md")
    assert "Derniers mots with the unique word zebrafish." in after
    assert after.replace("Derniers mots", "Mots de la fin").split("---", 2)[2] == before.split("---", 2)[2]
    backups = list((tree.root / "build" / "i18n" / "fr" / "backup").rglob("notes.md"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == before
    course, problems = load_and_check(tree.root)
    from teachforward.content.tracking import translation_status
    assert {f.label: f.state for f in translation_status(course, course.language("fr")).files}[
        "01-basics/notes.md"] == "translated"


def test_import_refuses_what_would_break_a_file_and_writes_nothing(tree, capsys):
    assert run(tree, "i18n", "export", "fr", "workshops/fr/01-basics/workshop.yaml") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "workshop.yaml.po"
    po = polib.pofile(str(path))
    po.find("title", by="msgctxt").msgstr = 'Les bases: "données"\net: travail'   # quotes, colon, newline
    po.find("key_terms/data/term", by="msgctxt").msgstr = "Donnée"
    po.save(str(path))
    before = snapshot(tree.root)
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    course, problems = load_and_check(tree.root)
    assert not problems.errors
    workshop = course.language("fr").workshops[0]
    assert workshop.facts.title == 'Les bases: "données"\net: travail' and workshop.facts.key_terms[0].term == "Donnée"
    changed = {k for k, v in snapshot(tree.root).items() if before.get(k) != v}
    assert changed == {"workshops/fr/01-basics/workshop.yaml"}
    # A heading with a line break cannot be written back: nothing is written at all.
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md"))
    assert run(tree, "i18n", "export", "fr", "workshops/fr/01-basics/notes.md") == 0
    notes_po = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "notes.md.po"
    po = polib.pofile(str(notes_po))
    po.find("wrap-up/title", by="msgctxt").msgstr = "Pour\nconclure"
    po.save(str(notes_po))
    before = snapshot(tree.root)
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(notes_po)) == 1
    said = capsys.readouterr().out
    assert "notes.md.po:" in said and "wrap-up/title" in said and "nothing was written" in said
    assert snapshot(tree.root) == before


def test_export_never_writes_into_the_sources(tree, capsys):
    assert run(tree, "i18n", "export", "fr", "--out", "workshops/fr/exchange") == 2
    assert not tree.path("workshops/fr/exchange").exists()
    assert run(tree, "i18n", "export", "en") == 2


def test_interface_strings_of_a_new_language(tree, capsys):
    assert run(tree, "i18n", "add", "de") == 0
    assert run(tree, "i18n", "export", "de", "docs/de/strings.yaml") == 0
    path = tree.root / "build" / "i18n" / "de" / "docs" / "strings.yaml.po"
    po = polib.pofile(str(path))
    label = po.find("workshop_label", by="msgctxt")
    assert "python-brace-format" in label.flags and label.msgstr == ""
    label.msgstr = "Workshop {number} (Deutsch)"
    po.save(str(path))
    assert run(tree, "i18n", "import", "de", str(path)) == 0
    course, problems = load_and_check(tree.root)
    assert course.language("de").strings["workshop_label"] == "Workshop {number} (Deutsch)"
    assert "# " in tree.read("docs/de/strings.yaml")        # the commented template is kept


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_round_trip_of_the_real_course_is_byte_identical(tmp_path, capsys, lang, gettext):
    import xmlschema
    root = tmp_path / "course"
    for name in SOURCES:
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    before = snapshot(root)
    schema = xmlschema.XMLSchema(str(XSD))
    for format, suffix in (("po", ".po"), ("xliff", ".xlf")):
        assert main(["--root", str(root), "i18n", "export", lang, "--format", format]) == 0
        files = exported(root, lang, suffix)
        assert len(files) >= 40
        if format == "po":
            for po in files:
                subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
            assert sum(len(polib.pofile(str(p)).translated_entries()) for p in files) > 1000
        else:
            for xlf in files[:10]:
                schema.validate(str(xlf))
        assert main(["--root", str(root), "i18n", "import", lang, *map(str, files)]) == 0
        assert snapshot(root) == before


def test_a_section_new_in_english_is_written_into_the_translation_in_its_place(tree, capsys):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Speak about data.", "Parlez des données."))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path("workshops/fr/01-basics/notes.md"))) == 0
    tree.replace("workshops/en/01-basics/notes.md", "## Wrap-up {#wrap-up}",
                 "## Who holds the data? {#who-holds}\n\n- Employers hold data\n- Vendors hold data too\n\n"
                 "Ask who keeps the records.\n\nAnd for how long.\n\n## Wrap-up {#wrap-up}")
    assert run(tree, "i18n", "export", "fr", "workshops/fr/01-basics/notes.md") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "notes.md.po"
    po = polib.pofile(str(path))
    assert [e.msgctxt for e in po.untranslated_entries()] == [
        "who-holds/title", "who-holds/point-1", "who-holds/point-2", "who-holds/block-1", "who-holds/block-2"]
    for msgctxt, msgstr in (("who-holds/title", "Qui détient les données ?"),
                            ("who-holds/point-1", "Les employeurs détiennent des données"),
                            ("who-holds/point-2", "Les fournisseurs aussi"),
                            ("who-holds/block-1", "Demandez qui garde les dossiers.")):
        po.find(msgctxt, by="msgctxt").msgstr = msgstr
    po.save(str(path))
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    notes = tree.read("workshops/fr/01-basics/notes.md")
    assert ("![A recipe with four ingredients](images/recipe.svg)\n\n## Qui détient les données ? {#who-holds}\n\n"
            "- Les employeurs détiennent des données\n- Les fournisseurs aussi\n\nDemandez qui garde les dossiers.\n\n"
            "And for how long.\n\n## Wrap-up {#wrap-up}") in notes
    course, problems = load_and_check(tree.root)
    assert not problems.errors, problems.sorted()
    from teachforward.content.tracking import translation_status
    notes_status = next(f for f in translation_status(course, course.language("fr")).files
                        if f.label == "01-basics/notes.md")
    assert notes_status.outdated == ["who-holds"]     # one paragraph is still in English


def test_a_section_paragraphed_differently_is_one_unit_and_is_written_back_whole(tree, capsys):
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Closing words", "Premier.\n\nSecond paragraphe. Closing words"))
    course, _ = load_course(tree.root)
    notes = next(f for f in language_files(course, course.language("fr")) if f.english.name == "notes.md")
    body = next(u for u in notes.units if u.section == "wrap-up" and u.kind == "block")
    assert body.id == "wrap-up/body" and body.source == "Closing words with the unique word zebrafish."
    assert body.target.startswith("Premier.\n\nSecond paragraphe.")
    assert [u.id for u in notes.units if u.section == "what-is-data"][-1] == "what-is-data/block-2"  # others paired
    assert run(tree, "i18n", "export", "fr", "workshops/fr/01-basics/notes.md") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "notes.md.po"
    po = polib.pofile(str(path))
    po.find("wrap-up/body", by="msgctxt").msgstr = "Un seul paragraphe, mot unique zebrafish."
    po.save(str(path))
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    text = tree.read("workshops/fr/01-basics/notes.md")
    assert text.endswith("- Thank everyone\n\nUn seul paragraphe, mot unique zebrafish.\n") and "Premier." not in text


def test_xliff_edited_by_a_tool_is_imported(tree, capsys):
    import xml.etree.ElementTree as ET
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    assert run(tree, "i18n", "export", "fr", "--format", "xliff", "workshops/fr/01-basics/workshop.yaml") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "workshop.yaml.xlf"
    ET.register_namespace("", ns["x"])
    document = ET.parse(path)
    units = {u.get("id"): u for u in document.getroot().iterfind(".//x:trans-unit", ns)}
    units["summary"].find("x:target", ns).text = "Un tout petit atelier pour les tests."
    audience = units["audience"].find("x:target", ns)
    audience.text, audience.attrib["state"] = "Test readers.", "new"     # a tool's copy of the English
    document.write(path, encoding="utf-8", xml_declaration=True)
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    text = tree.read("workshops/fr/01-basics/workshop.yaml")
    assert 'summary: "Un tout petit atelier pour les tests."\n' in text
    assert "audience: Les lecteurs des tests.\n" in text


MATERIAL = """---
kind: worksheet
audience: participants
---
# The recipe card

Fill it in with your group.

## Purpose {#purpose}

What is the system for?

::: lines 3
:::

## Data {#data}

| What data goes in? | Where from? |
|---|---|
|  |  |

- [ ] Print one card per group
"""


def test_a_material_is_exported_translated_and_imported(tree, capsys):
    tree.write("workshops/en/01-basics/materials/01-recipe-card.md", MATERIAL)
    course, problems = load_course(tree.root)
    assert not problems.errors, problems.sorted()
    material = next(f for f in language_files(course, course.language("fr")) if f.kind == "material")
    assert [(u.id, u.kind) for u in material.units] == [
        ("title", "heading"), ("intro/block-1", "block"), ("purpose/title", "heading"), ("purpose/block-1", "block"),
        ("purpose/block-2", "block"), ("data/title", "heading"), ("data/block-1", "block"), ("data/block-2", "block")]
    assert {u.id: u.source for u in material.units}["purpose/block-2"] == "::: lines 3\n:::"
    assert run(tree, "i18n", "export", "fr", "workshops/en/01-basics/materials/01-recipe-card.md") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "materials" / "01-recipe-card.md.po"
    po = polib.pofile(str(path))
    assert po.percent_translated() == 0 and len(po) == 8
    for entry in po:
        entry.msgstr = entry.msgid     # a copy of the English, then the words translators change
    for msgctxt, msgstr in (("title", "La fiche recette"), ("intro/block-1", "Remplissez-la en groupe."),
                            ("purpose/title", "But"), ("data/block-2", "- [ ] Imprimer une fiche par groupe")):
        po.find(msgctxt, by="msgctxt").msgstr = msgstr
    po.save(str(path))
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    assert "recorded current: title, intro, purpose, data" in capsys.readouterr().out
    text = tree.read("workshops/fr/01-basics/materials/01-recipe-card.md")
    assert "kind: worksheet\naudience: participants\n" in text and "translated_from:" in text
    assert text.split("---\n", 2)[2] == (MATERIAL.split("---\n", 2)[2]
                                         .replace("# The recipe card", "# La fiche recette")
                                         .replace("Fill it in with your group.", "Remplissez-la en groupe.")
                                         .replace("## Purpose {#purpose}", "## But {#purpose}")
                                         .replace("Print one card per group", "Imprimer une fiche par groupe"))
    course, problems = load_and_check(tree.root)
    assert not problems.errors, problems.sorted()
    french = course.language("fr").workshops[0].material("recipe-card")
    assert french.title == "La fiche recette" and french.origin.lang == "fr"
    from teachforward.content.tracking import translation_status
    status = {f.label: f.state for f in translation_status(course, course.language("fr")).files}
    assert status["01-basics/materials/01-recipe-card.md"] == "translated"
    # Exported again and imported unchanged, the translated material keeps every byte.
    before = snapshot(tree.root)
    assert run(tree, "i18n", "export", "fr", "workshops/fr/01-basics/materials/01-recipe-card.md") == 0
    assert polib.pofile(str(path)).percent_translated() == 100
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    assert snapshot(tree.root) == before


def test_an_exercise_summary_is_a_unit_of_its_own(tree, capsys):
    tree.replace("workshops/en/01-basics/exercises/01-rota.md", "minutes: 30\n",
                 "minutes: 30\nsummary: A council's app sets the rota.\n")
    assert run(tree, "i18n", "export", "fr", "workshops/en/01-basics/exercises/01-rota.md") == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "exercises" / "01-rota.md.po"
    po = polib.pofile(str(path))
    assert [e.msgctxt for e in po][:2] == ["title", "summary"]
    for entry in po:
        entry.msgstr = entry.msgid
    po.find("summary", by="msgctxt").msgstr = "L'appli d'une mairie fait le planning: \"vite\"."
    po.save(str(path))
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(path)) == 0
    assert "summary" in capsys.readouterr().out.split("recorded current:")[1]
    text = tree.read("workshops/fr/01-basics/exercises/01-rota.md")
    assert "summary: \"L'appli d'une mairie fait le planning: \\\"vite\\\".\"\n" in text
    course, problems = load_and_check(tree.root)
    assert not problems.errors, problems.sorted()
    exercise = course.language("fr").workshops[0].exercises[0]
    assert exercise.summary == "L'appli d'une mairie fait le planning: \"vite\"." and exercise.origin.lang == "fr"
    # A French exercise without the summary English has: import says where to add it, writes nothing.
    tree.replace("workshops/fr/01-basics/exercises/01-rota.md", text.split("\n")[3] + "\n", "")
    before = snapshot(tree.root)
    capsys.readouterr()
    assert run(tree, "i18n", "import", "fr", str(path)) == 1
    said = capsys.readouterr().out
    assert "summary has no place" in said and "nothing was written" in said
    assert snapshot(tree.root) == before
