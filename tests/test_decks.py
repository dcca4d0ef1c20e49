"""The slide decks: what a deck holds, English fallback, right-to-left, splitting, reproducible
and incremental builds, the template check, and (slow) every real deck opened by LibreOffice."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from helpers import require_tool
from teachforward.content.design import read_layouts
from teachforward.content.loader import load_course
from teachforward.content.prose import parse
from teachforward.content.validate import validate
from teachforward.decks import fit, render_decks
from teachforward.decks.blocks import notes_text, slide_paras
from teachforward.decks.plan import as_items, pack_items, without_orphan
from teachforward.decks.text import Para, Run
from teachforward.problems import Problems

REPO = Path(__file__).resolve().parent.parent
DESIGN = REPO / "slides_src"
ARABIC = REPO / "tests" / "fixtures" / "decks_ar"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


# --- helpers -------------------------------------------------------------------------------

def add_deck_strings(tree) -> None:
    """Give the fixture's English strings the deck's keys, as the real strings.yaml has them."""
    path = tree.path("docs/en/strings.yaml")
    have = {line.split(":")[0] for line in path.read_text(encoding="utf-8").splitlines()}
    lines = [line for line in (REPO / "docs/en/strings.yaml").read_text(encoding="utf-8").splitlines()
             if line.startswith("deck_") and line.split(":")[0] not in have]
    if lines:
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def build(root: Path, out: Path, design: Path | None = None):
    course, problems = load_course(root)
    assert course is not None, [p.format() for p in problems.items]
    validate(course, problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    before = len(problems.items)
    downloads, files = render_decks(course, out, problems, design)
    return downloads, files, problems.items[before:]


def titles(path: Path) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in Presentation(str(path)).slides]


def slide_text(slide) -> str:
    """The slide's text, paragraph by paragraph."""
    return " ".join("".join(t.text or "" for t in p.iter(f"{A}t")) for p in slide._element.iter(f"{A}p"))


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def by_title(path: Path) -> dict:
    return {slide.shapes.title.text_frame.text: slide for slide in Presentation(str(path)).slides}


@pytest.fixture
def english(tree, tmp_path):
    add_deck_strings(tree)
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    return tree, downloads, files, problems, tmp_path / "decks"


# --- what a deck holds ---------------------------------------------------------------------

def test_a_deck_holds_every_part_of_the_workshop_in_order(english):
    _, downloads, files, problems, _ = english
    assert problems == []
    deck = files["en/01-basics.pptx"]
    assert deck.is_file() and deck.parent.name == "en"
    assert titles(deck) == [
        "Basics: data at work", "Agenda", "Learning objectives", "What counts as data?",
        "Exercise: Who decides the rota?", "Wrap-up", "Key terms", "Closing"]
    slides = list(Presentation(str(deck)).slides)
    title = slide_text(slides[0])
    assert "Teach Forward" in title and "90 minutes" in title and "Workshop 1" in title
    agenda = slides[1].shapes
    table = next(shape.table for shape in agenda if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Start", "Minutes", "Activity"]
    assert rows[1:] == [["0:00", "30", "What counts as data?"], ["0:30", "30", "Exercise: the rota"],
                        ["1:00", "30", "Wrap-up"], ["1:30", "90", "Total"]]
    assert "explain what a fixture is" in slide_text(slides[2])
    assert "Data: Recorded information." in slide_text(slides[6])
    assert "A book" in slide_text(slides[7])
    download = next(d for d in downloads if d.site_lang == "en")
    assert (download.workshop, download.lang, download.filename) == ("01-basics", "en", "01-basics.pptx")
    assert download.slides == 8 and download.size_bytes == deck.stat().st_size


def test_key_points_go_on_the_slide_and_the_full_notes_in_the_speaker_notes(english):
    _, _, files, _, _ = english
    slides = by_title(files["en/01-basics.pptx"])
    section = slides["What counts as data?"]
    assert "Data is recorded information" in slide_text(section)
    assert "Phones record where you are" in slide_text(section)
    assert "Speak about data" not in slide_text(section)
    spoken = notes(section)
    # Markdown is gone: link text stays, targets and markers do not.
    assert "Speak about data. See the rota exercise and wrap-up." in spoken
    assert "](" not in spoken and "exercises/01-rota.md" not in spoken
    assert "{{ config.site_name }}" in spoken
    assert "zebrafish" in notes(slides["Wrap-up"])


def test_exercise_shows_scenario_task_group_and_time_and_keeps_responses_in_the_notes(english):
    _, _, files, _, _ = english
    deck = Presentation(str(files["en/01-basics.pptx"]))
    exercise = by_title(files["en/01-basics.pptx"])["Exercise: Who decides the rota?"]
    text = slide_text(exercise)
    for expected in ("A council introduces a scheduling app.", "List the data the app needs.",
                     "Group size: 3–5 people", "Time: 30 minutes", "Which data could harm a worker?"):
        assert expected in text
    assert "secret-answer-text" in notes(exercise)
    assert "Possible responses" in notes(exercise)
    for slide in deck.slides:
        assert "secret-answer-text" not in slide_text(slide)


def test_every_slide_has_a_unique_title_a_language_and_pictures_have_alt_text(english):
    _, _, files, _, _ = english
    path = files["en/01-basics.pptx"]
    deck = Presentation(str(path))
    names = titles(path)
    assert all(name.strip() for name in names) and len(set(names)) == len(names)
    assert deck.core_properties.language == "en-US"
    for slide in deck.slides:
        for run in slide._element.iter(f"{A}rPr"):
            assert run.get("lang") == "en-US"
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13 or
                shape._element.tag == f"{P}pic"]
    assert pictures, "the section's picture is on a slide"
    for picture in pictures:
        assert picture._element.find(f".//{P}cNvPr").get("descr") == "A recipe with four ingredients"
    # The caption under the picture is its description too.
    assert "A recipe with four ingredients" in slide_text(by_title(path)["What counts as data?"])


def test_no_autofit_shrinking_in_the_template_or_the_decks(english):
    _, _, files, _, _ = english
    with zipfile.ZipFile(files["en/01-basics.pptx"]) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                assert b"normAutofit" not in package.read(name), name


# --- languages -------------------------------------------------------------------------------

def test_an_untranslated_workshop_gets_the_english_deck_under_an_english_name(english):
    _, downloads, files, _, _ = english
    french = next(d for d in downloads if d.site_lang == "fr")
    # fr/01-basics has its workshop.yaml translated but not its notes: not a translated deck.
    assert french.lang == "en" and french.filename == "01-basics-english.pptx"
    assert files["fr/01-basics-english.pptx"] == files["en/01-basics.pptx"]
    assert "fr/01-basics.pptx" not in files


def test_a_translated_workshop_gets_its_own_deck(tree, tmp_path):
    add_deck_strings(tree)
    tree.write("workshops/fr/01-basics/notes.md", tree.read("workshops/en/01-basics/notes.md")
               .replace("Speak about data.", "Parlez des données.")
               .replace("## Wrap-up {#wrap-up}", "## Conclusion {#wrap-up}"))
    downloads, files, _ = build(tree.root, tmp_path / "decks")
    french = next(d for d in downloads if d.site_lang == "fr")
    assert (french.lang, french.filename) == ("fr", "01-basics.pptx")
    deck = Presentation(str(files["fr/01-basics.pptx"]))
    assert deck.core_properties.language == "fr-FR"
    assert titles(files["fr/01-basics.pptx"])[0] == "Les bases : les données au travail"
    assert "Conclusion" in titles(files["fr/01-basics.pptx"])
    assert "Parlez des données." in notes(by_title(files["fr/01-basics.pptx"])["What counts as data?"])


def test_arabic_decks_run_right_to_left(tree, tmp_path):
    add_deck_strings(tree)
    shutil.copytree(ARABIC, tree.root, dirs_exist_ok=True)
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    arabic = next(d for d in downloads if d.site_lang == "ar")
    assert (arabic.lang, arabic.filename) == ("ar", "01-basics.pptx")
    path = files["ar/01-basics.pptx"]
    deck = Presentation(str(path))
    assert deck.core_properties.language == "ar-EG"
    assert deck.part._element.get("rtl") == "1"
    names = titles(path)
    assert names[0] == "الأساسيات: البيانات في العمل"
    assert "تمرين: من يقرّر جدول المناوبات؟" in names and "أهداف التعلّم" in names
    for slide in deck.slides:
        for paragraph in slide._element.iter(f"{A}p"):
            if paragraph.find(f"{A}r") is None:         # the slide number field, empty paragraphs
                continue
            props = paragraph.find(f"{A}pPr")
            assert props is not None and props.get("rtl") == "1", etree.tostring(paragraph)[:200]
            assert props.get("algn") in ("r", "ctr")
        for run in slide._element.iter(f"{A}rPr"):
            assert run.get("lang") == "ar-EG"
            assert run.find(f"{A}cs") is not None and run.find(f"{A}cs").get("typeface")
    # A table's first column is on the right: LibreOffice ignores a:tblPr rtl, so the columns are
    # written mirrored, without it (PowerPoint would mirror them back).
    assert not any(t.get("rtl") for s in deck.slides for t in s._element.iter(f"{A}tblPr"))
    assert agenda_cells(deck)[1][-1] == "0:00" and agenda_cells(deck)[1][-2] == "30"
    widths = [int(c.get("w")) for c in next(deck.slides[1]._element.iter(f"{A}tbl")).iter(f"{A}gridCol")]
    assert widths[0] == max(widths), "the activity, read last, is the widest column, on the left"
    # The picture is on the left and the key points on the right.
    section = by_title(path)["ما الذي يُعدّ بيانات؟"]
    picture = next(shape for shape in section.shapes if shape._element.tag == f"{P}pic")
    body = next(shape for shape in section.shapes if shape.is_placeholder and shape.placeholder_format.idx == 10)
    assert picture.left + picture.width <= body.left
    assert picture._element.find(f".//{P}cNvPr").get("descr") == "وصفة من أربعة مكوّنات"
    assert "نص-الإجابة-السري" in notes(by_title(path)["تمرين: من يقرّر جدول المناوبات؟"])
    # The English deck of the same course stays left to right.
    english = Presentation(str(files["en/01-basics.pptx"]))
    assert english.part._element.get("rtl") is None
    assert not any(p.get("rtl") == "1" for s in english.slides for p in s._element.iter(f"{A}pPr"))
    assert agenda_cells(english)[1][:2] == ["0:00", "30"], "a left-to-right table keeps its order"


def agenda_cells(deck) -> list[list[str]]:
    """The agenda table's cells, row by row, in the order they are written (left to right)."""
    table = next(deck.slides[1]._element.iter(f"{A}tbl"))
    return [["".join(t.text or "" for t in cell.iter(f"{A}t")) for cell in row.iter(f"{A}tc")]
            for row in table.iter(f"{A}tr")]


# --- fitting -------------------------------------------------------------------------------

LONG_POINT = ("A key point that goes on and on about data, inferences, algorithms and the rota, "
              "far longer than anyone should ever write on a slide, about who collects what, who "
              "decides, who checks the data and who can correct it when it is wrong, number {n}")


def test_a_long_section_is_split_over_numbered_slides(tree, tmp_path):
    add_deck_strings(tree)
    points = "\n".join(f"- {LONG_POINT.format(n=n)}" for n in range(1, 6))
    tree.replace("workshops/en/01-basics/notes.md",
                 "- Summarise the session\n- Thank everyone", points)
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    names = titles(files["en/01-basics.pptx"])
    parts = [n for n in names if n.startswith("Wrap-up")]
    assert len(parts) >= 2 and parts == [f"Wrap-up ({i}/{len(parts)})" for i in range(1, len(parts) + 1)]
    slides = by_title(files["en/01-basics.pptx"])
    shown = " ".join(slide_text(slides[name]) for name in parts)
    for n in range(1, 6):
        assert LONG_POINT.format(n=n) in shown
    # The full notes are on the first part; the others say where they are.
    assert "zebrafish" in notes(slides[parts[0]])
    first = names.index(parts[0]) + 1
    assert f"slide {first}" in notes(slides[parts[1]])
    assert not [p for p in problems if "too long" in p.message]


def body_words(slide) -> int:
    """Words in the slide's body: every placeholder but the title, the exercise's time line and the footers."""
    texts = [shape.text_frame.text for shape in slide.placeholders
             if shape.placeholder_format.idx not in (0, 14) and shape.has_text_frame
             and shape.placeholder_format.type not in (13, 15)]       # slide number, footer
    return len(" ".join(texts).split())


LONG_TASK = " ".join(f"Step {n}: the group writes down one more thing the app needs to know about carers." for n in range(30))
MANY_QUESTIONS = "\n".join(f"{n}. Question {n}: which data about the carers could harm a worker this week?"
                            for n in range(1, 13))


def test_a_long_exercise_takes_two_slides_at_most_and_the_notes_hold_all_of_it(tree, tmp_path):
    add_deck_strings(tree)
    scenario = " ".join(f"Sentence {n} of a long scenario about the council's new scheduling app." for n in range(80))
    path = "workshops/en/01-basics/exercises/01-rota.md"
    tree.replace(path, "A council introduces a scheduling app.", scenario)
    tree.replace(path, "List the data the app needs.", LONG_TASK)
    tree.replace(path, "1. Which data could harm a worker?", MANY_QUESTIONS)
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    names = [n for n in titles(files["en/01-basics.pptx"]) if n.startswith("Exercise:")]
    assert names == ["Exercise: Who decides the rota? (1/2)", "Exercise: Who decides the rota? (2/2)"]
    slides = by_title(files["en/01-basics.pptx"])
    first, second = (slides[name] for name in names)
    for slide in (first, second):
        assert "Group size: 3–5 people" in slide_text(slide) and "Time: 30 minutes" in slide_text(slide)
        assert body_words(slide) <= 60
        assert "More in the participant handout." in slide_text(slide)
        assert "secret-answer-text" not in slide_text(slide)
    # The summary is the scenario's first two sentences (short enough), then the pointer.
    assert "Sentence 1 of a long scenario" in slide_text(first) and "Sentence 2 of" not in slide_text(first)
    assert "Full scenario: participant handout." in slide_text(first)
    assert "Step 0:" in slide_text(first) and "Questions" not in slide_text(first)
    assert "Question 1:" in slide_text(second) and "Step" not in slide_text(second)
    # Cut between items: every step and question shown is whole.
    for n in range(30):
        step = f"Step {n}: the group writes down one more thing the app needs to know about carers."
        assert (f"Step {n}:" in slide_text(first)) == (step in slide_text(first))
    spoken = notes(first)
    for n in range(80):
        assert f"Sentence {n} of a long scenario" in spoken
    assert "Step 29:" in spoken and "Question 12:" in spoken and "secret-answer-text" in spoken
    assert spoken.index("Question 12:") < spoken.index("Possible responses") < spoken.index("secret-answer-text")
    assert notes(second) == spoken, "the questions' slide has the possible responses too"


def test_a_short_exercise_is_one_slide_with_its_summary(tree, tmp_path):
    add_deck_strings(tree)
    path = "workshops/en/01-basics/exercises/01-rota.md"
    tree.replace(path, "minutes: 30\n", "minutes: 30\nsummary: The app now sets every carer's rota.\n")
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    names = [n for n in titles(files["en/01-basics.pptx"]) if n.startswith("Exercise:")]
    assert names == ["Exercise: Who decides the rota?"]
    text = slide_text(by_title(files["en/01-basics.pptx"])[names[0]])
    assert "The app now sets every carer's rota." in text
    assert "A council introduces a scheduling app." not in text, "the summary stands for the scenario"
    assert "List the data the app needs." in text and "Which data could harm a worker?" in text
    assert "More in the participant handout." not in text


def test_a_summary_that_leaves_the_task_no_room_gives_way_with_a_warning(tree, tmp_path):
    add_deck_strings(tree)
    path = "workshops/en/01-basics/exercises/01-rota.md"
    summary = " ".join(["The council's app sets rotas, and the carers say it is unfair to them."] * 3)
    tree.replace(path, "minutes: 30\n", f"minutes: 30\nsummary: {summary}\n")
    tree.replace(path, "List the data the app needs.", "List every piece of data the app needs, where it comes from, "
                 "who enters it, who can see it, how long it is kept and who checks that it is right.")
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    first = next(slide for name, slide in by_title(files["en/01-basics.pptx"]).items() if name.startswith("Exercise:"))
    assert "List every piece of data the app needs" in slide_text(first), "the task is on the first slide"
    assert "A council introduces a scheduling app." in slide_text(first)
    warned = [p for p in problems if "leaves the task no room" in p.message]
    assert len(warned) == 1 and warned[0].path.endswith(path) and warned[0].line == 4


LONG_ITEM = ("a clause that limits how the tracking, timing and location data of the app is used, who may see it, "
             "how long it is kept, who checks that it is right, and what the union is told before the employer "
             "changes any of it;")


def test_a_slide_never_ends_on_a_lead_in_and_the_tasks_first_item_comes_with_it(tree, tmp_path):
    add_deck_strings(tree)
    path = "workshops/en/01-basics/exercises/01-rota.md"
    assert len(LONG_ITEM.split()) + 1 == 45      # with the pointer the item is over MOST_WORDS, without it under
    tree.replace(path, "List the data the app needs.", f"Look for:\n\n1. {LONG_ITEM}\n2. {LONG_ITEM}")
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    first = next(slide for name, slide in by_title(files["en/01-basics.pptx"]).items() if name.startswith("Exercise:"))
    body = [shape for shape in first.placeholders if shape.placeholder_format.idx == 10][0]
    paras = [p.text for p in body.text_frame.paragraphs]
    assert paras[-1] == "More in the participant handout."
    assert not paras[-2].endswith(":"), "the slide ends on a lead-in"
    assert "Look for:" in paras and paras[paras.index("Look for:") + 1].endswith(LONG_ITEM), paras
    assert "A council introduces a scheduling app." in paras
    assert body_words(first) <= 60


def test_a_short_sentence_of_a_long_instruction_is_never_an_item_alone():
    text = ("This is a jigsaw. The facilitator gives your group two themes, or one if there are many groups, "
            "so that every theme is covered. Read them. Then write the one best question for the meeting.")
    items = [p.text for p in as_items([Para((Run(text),), "plain")])]
    assert items == ["This is a jigsaw. The facilitator gives your group two themes, or one if there are many "
                     "groups, so that every theme is covered.",
                     "Read them. Then write the one best question for the meeting."]


def test_a_lead_in_is_kept_with_what_it_introduces():
    source = "Before the list. Look for:\n\n1. one thing\n2. another\n\nSay it with a colon at the end:"
    paras = slide_paras(parse(source, 1, lambda raw: None, lambda raw: None).blocks)
    assert [p.keep_with_next for p in paras] == [True, False, False, False], "the last has nothing to keep with"
    box = fit.Box(600.0, 100.0, (fit.Level(20, 25, -20, 10),))
    items = [Para((Run(f"Point {n} of a few words."),), "plain") for n in range(3)]
    pages, _ = pack_items([*items[:2], paras[0], *paras[1:3], items[2]], box, None)
    assert len(pages) > 1
    assert all(not page[-1].text.endswith(":") for page in pages), pages


def test_an_agenda_break_becomes_a_break_slide_in_its_place(tree, tmp_path):
    add_deck_strings(tree)
    tree.replace("workshops/en/01-basics/workshop.yaml", "  - minutes: 30\n    activity: Wrap-up\n",
                 "  - minutes: 10\n    activity: Tea break\n    break: true\n  - minutes: 20\n    activity: Wrap-up\n")
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    names = titles(files["en/01-basics.pptx"])
    assert names.index("Exercise: Who decides the rota?") + 1 == names.index("Tea break") == names.index("Wrap-up") - 1
    assert "We start again in 10 minutes." in slide_text(by_title(files["en/01-basics.pptx"])["Tea break"])
    agenda = next(shape.table for shape in by_title(files["en/01-basics.pptx"])["Agenda"].shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in agenda.rows]
    assert rows[3] == ["1:00", "10", "Tea break"] and rows[1][0] == "0:00", "the agenda counts from 0:00"


def test_a_split_agenda_never_leaves_its_total_alone_on_a_slide(tree, tmp_path):
    add_deck_strings(tree)
    parts = [3] * 8 + [2] * 3                   # 13 items: the total no longer fits beside them
    wrap_up = "".join(f"  - minutes: {m}\n    activity: Wrap-up part {n}\n" + ("    ref: wrap-up\n" if n == 1 else "")
                      for n, m in enumerate(parts, 1))
    tree.replace("workshops/en/01-basics/workshop.yaml", "  - minutes: 30\n    activity: Wrap-up\n    ref: wrap-up\n",
                 wrap_up)
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    deck = files["en/01-basics.pptx"]
    agendas = [slide for name, slide in by_title(deck).items() if name.startswith("Agenda")]
    rows = [[[cell.text for cell in row.cells] for row in next(s.table for s in slide.shapes if s.has_table).rows][1:]
            for slide in agendas]
    assert len(agendas) == 2, [len(r) for r in rows]
    assert len(rows[-1]) >= 3 and rows[-1][-1] == ["1:30", "90", "Total"], rows[-1]
    activities = [row[2] for page in rows for row in page]
    assert activities == ["What counts as data?", "Exercise: the rota", *[f"Wrap-up part {n}" for n in range(1, 12)],
                          "Total"]


def test_an_exercise_table_has_slides_of_its_own_after_the_text_it_belongs_with(tree, tmp_path):
    add_deck_strings(tree)
    path = "workshops/en/01-basics/exercises/01-rota.md"
    tree.replace(path, "List the data the app needs.",
                 "List the data the app needs.\n\n| Data | Who sees it |\n|---|---|\n| Shifts | The manager |")
    tree.replace(path, "1. Which data could harm a worker?",
                 "1. Which data could harm a worker?\n\n| Risk | Level |\n|---|---:|\n| Travel | High |")
    downloads, files, problems = build(tree.root, tmp_path / "decks")
    deck = Presentation(str(files["en/01-basics.pptx"]))
    shown = [(slide.shapes.title.text_frame.text, next((shape.table for shape in slide.shapes if shape.has_table), None))
             for slide in deck.slides if slide.shapes.title.text_frame.text.startswith("Exercise:")]
    cells = [[[cell.text for cell in row.cells] for row in table.rows] if table else None for _, table in shown]
    # One slide for the text (it all fits), then the task's table, then the questions' table.
    assert cells == [None, [["Data", "Who sees it"], ["Shifts", "The manager"]], [["Risk", "Level"], ["Travel", "High"]]]
    assert [name for name, _ in shown] == [f"Exercise: Who decides the rota? ({n}/3)" for n in (1, 2, 3)]
    assert not [p for p in problems if p.severity == "error"]


def test_a_layouts_file_without_the_break_kind_lays_breaks_out_like_the_closing(english, tmp_path):
    tree, _, _, _, _ = english
    tree.replace("workshops/en/01-basics/workshop.yaml", "  - minutes: 30\n    activity: Wrap-up\n",
                 "  - minutes: 10\n    activity: Tea break\n    break: true\n  - minutes: 20\n    activity: Wrap-up\n")
    design = copy_design(tmp_path)
    layouts = design / "layouts.yaml"
    older = "".join(line for line in layouts.read_text(encoding="utf-8").splitlines(keepends=True)
                    if not line.lstrip().startswith("break:"))
    layouts.write_text(older, encoding="utf-8")
    found = Problems(design)
    read = read_layouts(design, found)
    assert read is not None and not found.items
    assert read.kinds["break"] == read.kinds["closing"]
    downloads, files, problems = build(tree.root, tmp_path / "decks", design)
    assert not [p for p in problems if p.severity == "error"]
    slides = by_title(files["en/01-basics.pptx"])
    assert slides["Tea break"].slide_layout.name == "Teach Forward: Closing"


def test_a_key_point_too_long_for_any_slide_is_reported_with_its_line(tree, tmp_path):
    add_deck_strings(tree)
    huge = " ".join(["Workers deserve to know what is recorded about them."] * 60)
    tree.replace("workshops/en/01-basics/notes.md", "- Thank everyone", f"- {huge}")
    notes_path = tree.path("workshops/en/01-basics/notes.md")
    line = notes_path.read_text(encoding="utf-8").splitlines().index("## Wrap-up {#wrap-up}") + 1
    _, _, problems = build(tree.root, tmp_path / "decks")
    found = [p for p in problems if "too long for any slide" in p.message]
    assert found and found[0].path == "workshops/en/01-basics/notes.md" and found[0].line == line
    assert found[0].severity == "warning"
    again = build(tree.root, tmp_path / "decks")      # from the cache: not planned again, still told
    assert [p for p in again[2] if "too long for any slide" in p.message] == found


def test_a_deck_whose_sources_did_not_change_is_not_planned_again(tree, tmp_path, monkeypatch):
    build(tree.root, tmp_path / "decks")
    import teachforward.decks.render as render
    planned = []
    real = render._Renderer._plan
    monkeypatch.setattr(render._Renderer, "_plan",
                        lambda self, w, lang: planned.append((lang.code, w.folder)) or real(self, w, lang))
    build(tree.root, tmp_path / "decks")
    assert planned == []
    tree.replace("workshops/en/01-basics/notes.md", "- Thank everyone", "- Thank everyone warmly")
    downloads, _, _ = build(tree.root, tmp_path / "decks")
    assert ("en", "01-basics") in planned and downloads


def test_packed_pages_fit_their_box_keep_headings_with_their_text_and_cut_between_items():
    box = fit.Box(600.0, 200.0, (fit.Level(20, 25, -20, 10),))
    paras = []
    for n in range(12):
        paras.append(Para((Run(f"Heading {n}"),), "heading", keep_with_next=True))
        paras.append(Para((Run(("Some words that wrap. " * (n + 1)).strip()),), "plain"))
    pages, too_big = pack_items(paras, box, 60)
    assert len(pages) > 3 and not too_big
    for page in pages:
        height = sum(fit.paragraph_height(p, box, i) for i, p in enumerate(page))
        assert height <= box.height * fit.FILL
        assert sum(len(p.text.split()) for p in page) <= 60
        assert page[-1].style != "heading"
    assert [p for page in pages for p in page] == paras, "every item whole, in order"


def test_a_lone_item_on_the_last_page_takes_the_last_item_of_the_page_before():
    box = fit.Box(600.0, 200.0, (fit.Level(20, 25, -20, 10),))
    terms = [Para((Run(f"Term {n}: a definition of a few words."),), "plain") for n in range(6)]
    pages, _ = pack_items(terms, box, None)
    assert [len(page) for page in pages] == [5, 1], "the case this is about"
    balanced = without_orphan(pages, box, None)
    assert [len(page) for page in balanced] == [4, 2] and [p for page in balanced for p in page] == terms
    # A heading is never left at the end of a page without its item.
    heading = Para((Run("Further reading"),), "heading", keep_with_next=True)
    balanced = without_orphan([[*terms[:3], heading, terms[3]], [terms[4]]], box, None)
    assert balanced == [terms[:3], [heading, terms[3], terms[4]]]
    # Nothing moves when the last page holds more than one item, or when moving would not fit.
    assert without_orphan([terms[:4], terms[4:]], box, None) == [terms[:4], terms[4:]]
    assert without_orphan([terms[:3], terms[3:4]], box, 8) == [terms[:3], terms[3:4]]


def test_notes_text_is_plain():
    source = ("**Bold** and _stressed_ [a link](https://example.org/x) `code`\n\n"
              "- one\n- two\n\n1. first\n\n### Heading {#h}\n\n![A picture](images/a.svg)")
    text = notes_text(parse(source, 1, lambda raw: None, lambda raw: None).blocks)
    assert text == "Bold and stressed a link code\n\n• one\n• two\n1. first\n\nHeading\n\n(A picture)"


# --- reproducible and incremental -----------------------------------------------------------

def test_rebuilds_are_byte_identical_and_dated_from_the_sources(tree, tmp_path, monkeypatch):
    add_deck_strings(tree)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, first, _ = build(tree.root, tmp_path / "one")
    _, second, _ = build(tree.root, tmp_path / "two")
    data = first["en/01-basics.pptx"].read_bytes()
    assert data == second["en/01-basics.pptx"].read_bytes()
    with zipfile.ZipFile(first["en/01-basics.pptx"]) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = Presentation(str(first["en/01-basics.pptx"])).core_properties
    assert props.created.isoformat() == "2023-11-14T22:13:20" == props.modified.isoformat()
    assert (props.title, props.author, props.subject) == ("Basics: data at work", "Teach Forward",
                                                          "A tiny workshop used by the tests.")
    assert props.revision == 1 and props.last_modified_by == "Teach Forward"
    # Without SOURCE_DATE_EPOCH the date is when the workshop's newest file changed, never now.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    stamp = 1600000000
    for path in tree.root.joinpath("workshops").rglob("*"):
        os.utime(path, (stamp, stamp))
    _, third, _ = build(tree.root, tmp_path / "three")
    assert Presentation(str(third["en/01-basics.pptx"])).core_properties.created.isoformat() == "2020-09-13T12:26:40"


def test_unchanged_decks_are_not_written_again(tree, tmp_path, monkeypatch):
    add_deck_strings(tree)
    shutil.copytree(ARABIC, tree.root, dirs_exist_ok=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    from teachforward.decks import render as render_module
    written = []
    real = render_module.write_deck

    def counting(deck, design):
        written.append(deck.lang)
        return real(deck, design)

    monkeypatch.setattr(render_module, "write_deck", counting)
    out = tmp_path / "decks"
    build(tree.root, out)
    assert sorted(written) == ["ar", "en"]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pptx")}
    written.clear()
    downloads, files, _ = build(tree.root, out)
    assert written == [] and len(downloads) == 3
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pptx")} == before
    # A change to the Arabic notes rewrites the Arabic deck only.
    tree.replace("workshops/ar/01-basics/notes.md", "اشكر الجميع", "اشكر الجميع كثيرًا")
    build(tree.root, out)
    assert written == ["ar"]
    # A deck deleted or damaged on disk is written again.
    files["en/01-basics.pptx"].write_bytes(b"damaged")
    written.clear()
    build(tree.root, out)
    assert written == ["en"]


# --- the design ------------------------------------------------------------------------------

def copy_design(tmp_path: Path) -> Path:
    design = tmp_path / "design"
    shutil.copytree(DESIGN, design)
    return design


def test_a_template_missing_a_layout_is_refused_with_the_layouts_named(english, tmp_path):
    tree, _, _, _, _ = english
    design = copy_design(tmp_path)
    layouts = design / "layouts.yaml"
    layouts.write_text(layouts.read_text(encoding="utf-8")
                       .replace('"Teach Forward: Closing"', '"Teach Forward: Goodbye"')
                       .replace('key_terms:       {layout: "Teach Forward: Text"', 'key_terms:       {layout: "Words"'),
                       encoding="utf-8")
    downloads, files, problems = build(tree.root, tmp_path / "decks", design)
    assert downloads == [] and files == {}
    assert len(problems) == 1 and problems[0].severity == "error"
    assert '"Teach Forward: Goodbye"' in problems[0].message and '"Words"' in problems[0].message
    assert "layouts" in problems[0].message


def test_a_layout_without_the_placeholder_is_refused(english, tmp_path):
    tree, _, _, _, _ = english
    design = copy_design(tmp_path)
    layouts = design / "layouts.yaml"
    layouts.write_text(layouts.read_text(encoding="utf-8").replace("meta: 14", "meta: 99"), encoding="utf-8")
    downloads, _, problems = build(tree.root, tmp_path / "decks", design)
    assert downloads == [] and "placeholder 99" in problems[0].message


def test_a_broken_template_is_reported_not_raised(english, tmp_path):
    tree, _, _, _, _ = english
    design = copy_design(tmp_path)
    (design / "template.pptx").write_bytes(b"not a zip")
    downloads, _, problems = build(tree.root, tmp_path / "decks", design)
    assert downloads == [] and "cannot be opened" in problems[0].message
    assert "make_template.py" in problems[0].hint


def test_the_template_is_made_from_theme_yaml_reproducibly(tmp_path):
    one, two = tmp_path / "one.pptx", tmp_path / "two.pptx"
    for out in (one, two):
        subprocess.run([sys.executable, str(REPO / "scripts/make_template.py"), "--out", str(out)],
                       check=True, capture_output=True)
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes() == (DESIGN / "template.pptx").read_bytes(), \
        "slides_src/template.pptx is out of date: run scripts/make_template.py"
    deck = Presentation(str(one))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    for layout in deck.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height


def test_only_the_deck_renderer_imports_python_pptx():
    for path in (REPO / "scripts" / "teachforward").rglob("*.py"):
        if "decks" in path.relative_to(REPO / "scripts" / "teachforward").parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import pptx|from pptx)", text, re.MULTILINE), path


# --- the real course, opened by LibreOffice -----------------------------------------------------

@pytest.mark.slow
def test_every_real_deck_opens_in_libreoffice_with_its_slides(real_course, tmp_path):
    soffice = require_tool("soffice", "libreoffice-impress")
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    decks = sorted(real_course.site.glob("*/downloads/*.pptx"))
    course, _ = load_course(real_course.root)
    assert len(decks) == sum(len(language.workshops) for language in course.languages)
    out = tmp_path / "pdf"
    out.mkdir()
    # One LibreOffice run for all decks, with its own profile so that it runs beside any other.
    copies = []
    for number, path in enumerate(decks):
        copy = out / f"{number:03d}-{path.parent.parent.name}-{path.name}"
        shutil.copyfile(path, copy)
        copies.append((copy, len(Presentation(str(path)).slides)))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *[str(c) for c, _ in copies]],
                   check=True, capture_output=True, timeout=600)
    for copy, slides in copies:
        pdf = copy.with_suffix(".pdf")
        assert pdf.is_file(), f"LibreOffice could not open {copy.name}"
        pages = _pdf_pages(pdf)
        assert pages == slides, f"{copy.name}: {pages} pages for {slides} slides"
    first = copies[0][0].with_suffix(".pdf")
    subprocess.run([pdftoppm, "-png", "-r", "20", str(first), str(out / "page")], check=True)
    assert len(list(out.glob("page-*.png"))) == copies[0][1]


@pytest.mark.slow
def test_libreoffice_draws_an_arabic_table_with_its_first_column_on_the_right(tree, tmp_path):
    soffice = require_tool("soffice", "libreoffice-impress")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    add_deck_strings(tree)
    shutil.copytree(ARABIC, tree.root, dirs_exist_ok=True)
    _, files, _ = build(tree.root, tmp_path / "decks")
    out = tmp_path / "pdf"
    out.mkdir()
    copies = {lang: shutil.copyfile(files[f"{lang}/01-basics.pptx"], out / f"{lang}-01-basics.pptx") for lang in ("ar", "en")}
    # One LibreOffice run for both decks (most of its time is starting).
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, copies.values())],
                   check=True, capture_output=True, timeout=300)
    lefts = {}
    for lang, copy in copies.items():
        page = subprocess.run([pdftotext, "-bbox", "-f", "2", "-l", "2", str(copy.with_suffix(".pdf")), "-"],
                              check=True, capture_output=True, text=True).stdout
        words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', page)
        # The first row of the agenda: its start (0:00) and its minutes (30).
        lefts[lang] = {word: float(x) for x, word in reversed(words) if word in ("0:00", "30")}
    assert lefts["ar"]["0:00"] > lefts["ar"]["30"], "in Arabic the start column is right of the minutes"
    assert lefts["en"]["0:00"] < lefts["en"]["30"]


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run([require_tool("pdfinfo", "poppler-utils"), str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert pages, info
    return int(pages.group(1))
