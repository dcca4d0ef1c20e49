"""Unit tests of the page and slide renderers: each reads the parsed model and writes its
output without building a site or a deck: site Markdown (site/markdown_out.py, site/pages.py),
the kit's pages (site/kit.py), slide paragraphs and tables (decks/blocks.py) and the presenter
view (decks/present.py)."""
from __future__ import annotations

import dataclasses
import json
import re

import pytest

from helpers import copy_valid_course
from teachforward.artifacts import Download
from teachforward.content import prose
from teachforward.content.loader import load_course
from teachforward.decks.blocks import SlideTable, notes_text, runs, slide_content, slide_paras, tables
from teachforward.decks.plan import Deck, Slide, Step
from teachforward.decks.present import present_html
from teachforward.decks.text import Para, Run
from teachforward.site.markdown_out import blocks_markdown, inline_markdown
from teachforward.site.pages import PageWriter
from test_kit_format import with_kit


def parsed(source: str) -> prose.Prose:
    return prose.parse(source, 1, lambda raw: None, lambda raw: None)


@pytest.fixture
def english(tmp_path):
    tree = copy_valid_course(tmp_path / "course")
    course, problems = load_course(tree.root)
    assert course is not None, [p.format() for p in problems.items]
    return tree, course, PageWriter(course, course.source, {})


# --- site pages ------------------------------------------------------------------------------

def test_links_are_repointed_where_the_parser_found_them_and_nowhere_else(english):
    tree, _, _ = english
    tree.replace("workshops/en/01-basics/notes.md", "Speak about data.",
                 'Speak about data (`[not a link](exercises/01-rota.md)`), see [x](guide.md "The guide") '
                 "and [the rota][r].\n\n[r]: exercises/01-rota.md\n\n```\n[fenced](guide.md)\n```\n\nThen")
    course, problems = load_course(tree.root)
    page = PageWriter(course, course.source, {}).notes(course.source.workshops[0])
    assert '[x](guide.md "The guide")' in page                  # a generated page of the same name
    assert "[r]: exercises.md#rota" in page                      # the reference's definition, re-pointed
    assert "`[not a link](exercises/01-rota.md)`" in page        # code spans are not links
    assert "[fenced](guide.md)" in page and "```" in page
    assert "[the rota exercise](exercises.md#rota)" in page and "[wrap-up](#wrap-up)" in page


def test_pictures_point_at_the_copy_beside_the_page(english):
    _, course, writer = english
    page = writer.notes(course.source.workshops[0])
    assert "![A recipe with four ingredients](images/recipe.svg)" in page


def test_key_points_are_written_from_their_inlines(english):
    _, course, writer = english
    page = writer.notes(course.source.workshops[0])
    assert '!!! abstract "' in page and "    - Data is recorded information" in page


def test_inline_markdown_round_trips_what_it_writes():
    point = parsed("Use *care*, **not** `code` & [a link](https://example.org \"T\") \\*stars\\*").blocks[0]
    assert isinstance(point, prose.Paragraph)
    written = inline_markdown(point.inlines, lambda item: item.raw)
    assert written == 'Use *care*, **not** `code` &amp; [a link](https://example.org "T") \\*stars\\*'
    again = parsed(written).blocks[0]
    assert isinstance(again, prose.Paragraph) and prose.plain_text(again.inlines) == prose.plain_text(point.inlines)


def test_a_right_to_left_site_isolates_the_latin_words_of_a_download_label(english):
    _, course, writer = english
    french = next(language for language in course.languages if language.code == "fr")
    strings = {**french.strings, "download_slides": "الشرائح (PowerPoint، {slides} شريحة، {size} كيلوبايت)",
               "label_and_title": "{label} : {title}"}
    rtl = dataclasses.replace(french, direction="rtl", strings=strings)
    workshop = french.workshops[0]
    download = Download(workshop.folder, "fr", "fr", f"{workshop.folder}.pptx", 24, 200 * 1024)
    page = PageWriter(course, rtl, {workshop.folder: download}).overview(workshop)
    # Without the <bdi>, "24" joins "PowerPoint"'s left-to-right run and shows on its far side.
    assert "[الشرائح (<bdi>PowerPoint</bdi>، 24 شريحة، 200 كيلوبايت)](../../downloads/" in page
    # The download box and the parts' links are not what a search result should quote.
    assert '<div class="tf-download" markdown data-search-exclude>' in page
    assert '<nav class="tf-parts" markdown data-search-exclude' in page
    # The colon after a label is the language's own ("Durée :"), not always English's.
    assert "- **Duration :** " in page
    english_page = PageWriter(course, course.source, {workshop.folder: download}).overview(course.source.workshops[0])
    assert "- **Duration:** " in english_page and "<bdi>" not in english_page


def test_agenda_clock_times_come_from_the_shared_formatter(english):
    _, course, writer = english
    table = writer.agenda_table(course.source.workshops[0], "workshops/01-basics/index.md")
    assert "| 0:00 | 30 |" in table and "| 1:00 | 30 |" in table and "| 1:30 | **90** |" in table


BLOCKS = ("### Heading\n\n**All bold intro**\n\n- one\n    - two\n1. first\n1. second\n\n> quoted *words*\n\n"
          "```\ncode line\n```\n\n| a | b |\n|:-:|--:|\n| 1 | *2* |\n\n- [ ] Book a room\n- [x] Print sheets\n\n"
          "::: lines 2\n:::\n\nTerm\n:   Its definition\n")


def test_blocks_markdown_writes_each_kind_of_block_so_that_it_reads_back_the_same():
    blocks = parsed(BLOCKS).blocks
    written = blocks_markdown(blocks, lambda item: item.raw)
    for expected in ("### Heading", "**All bold intro**", "- one\n\n    - two", "1. first\n2. second",
                     "> quoted *words*", "```\ncode line\n```", "| a | b |\n|:---:|---:|\n| 1 | *2* |",
                     "- [ ] Book a room\n- [x] Print sheets", "Term\n:   Its definition"):
        assert expected in written, f"{expected!r} not in:\n{written}"
    # Writing space becomes the printed lines (HTML); everything else parses back as it was.
    assert written.count('<span class="tf-line"></span>') == 2
    again = parsed(written).blocks
    kinds = [type(b).__name__ for b in blocks]
    assert [type(b).__name__ for b in again] == [k if k != "WritingSpace" else "HtmlBlock" for k in kinds]
    assert notes_text(again) == notes_text(blocks)


@pytest.fixture
def kit(tmp_path):
    tree = copy_valid_course(tmp_path / "course")
    with_kit(tree)
    tree.replace("workshops/course.yaml", "source_language: en", "source_language: en\nstart_time: 13:30")
    course, problems = load_course(tree.root)
    assert course is not None, [p.format() for p in problems.items]
    return course, PageWriter(course, course.source, {})


def test_run_sheet_times_each_item_from_the_start_and_lists_the_cuts(kit):
    course, writer = kit
    workshop = course.source.workshops[0]
    sheet = writer.run_sheet(workshop)
    rows = [line for line in sheet.splitlines() if line.startswith('| <span class="tf-clock"')]
    clocks = [re.match(r'\| <span class="tf-clock" data-offset="(\d+)">([\d:]+)</span>', row).groups() for row in rows]
    assert clocks == [("0", "13:30"), ("30", "14:00"), ("60", "14:30"), ("90", "15:00")]
    assert "Lead facilitator" in rows[0] and "**90** | **End**" in rows[-1]
    assert "[The recipe card](materials/recipe-card.md) | **1.** Two report-backs only." in rows[1]
    assert "1. Exercise: the rota: Two report-backs only. *(saves 10 min)*" in sheet
    assert 'value="13:30" data-default="13:30"' in sheet


def test_kit_pages_are_the_run_sheet_and_a_page_per_material(kit):
    course, writer = kit
    workshop = course.source.workshops[0]
    pages = writer.kit_pages(workshop)
    assert sorted(pages) == ["workshops/01-basics/materials/feedback.md", "workshops/01-basics/materials/recipe-card.md",
                             "workshops/01-basics/run-sheet.md"]
    card = pages["workshops/01-basics/materials/recipe-card.md"]
    material = next(m for m in workshop.materials if m.id == "recipe-card")
    assert f"# {material.title}" in card and "tf-material--" + material.orientation in card
    assert all(f"{{#{section.id}" in card for section in material.document.sections)


# --- slides --------------------------------------------------------------------------------

def test_slide_paragraphs_follow_the_blocks():
    blocks = parsed("### Heading\n\n**All bold intro**\n\n- one\n    - two\n1. first\n1. second\n\n"
                    "> quoted *words*\n\n```\ncode line\n```\n\nTerm\n:   Its definition\n").blocks
    paras = slide_paras(blocks)
    assert [(p.style, p.level, p.number, p.text) for p in paras] == [
        ("heading", 0, None, "Heading"), ("plain", 0, None, "All bold intro"),
        ("bullet", 0, None, "one"), ("bullet", 1, None, "two"),
        ("number", 0, 1, "first"), ("number", 0, 2, "second"),
        ("plain", 0, None, "quoted words"), ("plain", 0, None, "code line"),
        ("plain", 0, None, "Term"), ("plain", 0, None, "Its definition")]
    assert paras[1].keep_with_next and paras[0].keep_with_next
    assert paras[6].runs == (Run("quoted "), Run("words", italic=True))


def test_runs_drop_link_targets_and_tags_and_decode_entities():
    block = parsed('A [link](https://x.org "t") <b>and</b> &amp; ![pic](p.svg) `c`').blocks[0]
    assert isinstance(block, prose.Paragraph)
    assert runs(block.inlines) == (Run("A link and & pic c"),)


def test_tables_stand_where_they_are_written():
    content = slide_content(parsed("Before.\n\n| a | b |\n|:-:|--:|\n| 1 | *2* |\n\nAfter.").blocks)
    assert [type(item) for item in content] == [Para, SlideTable, Para]
    table = content[1]
    assert isinstance(table, SlideTable)
    assert table.rows == (("a", "b"), ("1", "2")) and table.align == ("ctr", "r")
    assert tables(parsed("> | a |\n> |---|\n> | 1 |").blocks)[0].rows == (("a",), ("1",))


def test_notes_text_keeps_items_together_and_shows_tables_as_lines():
    text = notes_text(parsed("Intro.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n![Alt](p.svg)").blocks)
    assert text == "Intro.\n\n• a\n• b\n\nx | y\n\n1 | 2\n\n(Alt)"


def test_tick_boxes_and_writing_space_are_parsed():
    blocks = parsed("- [ ] Book a room\n- [x] Print sheets\n\n::: lines 4\n:::\n").blocks
    tick = blocks[0]
    assert isinstance(tick, prose.ListBlock) and [i.checked for i in tick.items] == [False, True]
    first = tick.items[0].blocks[0]
    assert isinstance(first, prose.Paragraph) and prose.plain_text(first.inlines) == "Book a room"
    assert blocks[1] == prose.WritingSpace(4, 4)


def test_a_link_in_a_tick_box_is_found_where_it_is_written():
    source = "- [ ] Print the [recipe card](01-recipe-card.md#data) twice"
    body = parsed(source)
    link = next(body.links())
    assert link.destination is not None
    assert source[link.destination.start:link.destination.end] == "01-recipe-card.md#data"
    assert body.rewritten({link.destination: "recipe-card.md#data"}) == \
        "- [ ] Print the [recipe card](recipe-card.md#data) twice"


def test_the_presenter_view_shows_every_slide_with_its_notes_and_loads_nothing():
    slides = (Slide("title", "Data & work", subtitle="A <course>"),
              Slide("section", "Points", body=(Para((Run("plain "), Run("bold", bold=True)), "bullet"),
                                               Para((Run("first"),), "number", number=1)), notes="Say this.\n\nThen that.",
                    item=1),
              Slide("table", "Hours", table=(("Data", "Hours"), ("Shifts", "38")), table_align=("l", "r"), item=1,
                    lang="ar"))
    deck = Deck("01-basics", "en", "en-GB", ("ar",), "Basics", "subject", "author", "Footer", 1700000000, slides,
                agenda=(Step(30, "Talk"), Step(10, "Coffee", is_break=True)))
    page = present_html(deck, _Strings())
    assert re.findall(r'<h2 class="title">(.*?)</h2>', page) == ["Data &amp; work", "Points", "Hours"]
    assert '<p class="subtitle">A &lt;course&gt;</p>' in page
    assert "<ul><li>plain <strong>bold</strong></li></ul><ol><li value=\"1\">first</li></ol>" in page
    assert '<template class="speaker-notes"><p>Say this.</p><p>Then that.</p></template>' in page
    assert '<th scope="col" class="right">Hours</th>' in page and '<td class="right">38</td>' in page
    assert 'lang="ar" dir="rtl" data-item="1"' in page and page.count('<p class="footer">') == 2
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1))
    assert data["total"] == 3 and data["rtl"] is False
    assert data["agenda"] == [{"minutes": 30, "activity": "Talk", "break": False},
                              {"minutes": 10, "activity": "Coffee", "break": True}]
    assert not re.search(r'(?:src|href)="(?!data:|#)', page), "the presenter view loads something"


class _Strings:
    """English without strings.yaml: the presenter view's own defaults."""
    strings: dict = {}


def test_a_list_items_text_is_read_as_written_on_one_line():
    """Key points are kept as written (translation status, exchange files): a point wrapped over
    lines is one line, its marker and indentation taken off, whatever marker it has."""
    body = parsed("Intro.\n\n- **Data** is recorded,\n  and kept.\n* Second\n+ Third wrapped\nlazily\n\n"
                  "1. Counted\n2.  also")
    bullets, stars, plus, numbered = (b for b in body.blocks if isinstance(b, prose.ListBlock))
    assert [prose.item_text(body, item) for item in bullets.items] == ["**Data** is recorded, and kept."]
    assert prose.item_text(body, stars.items[0]) == "Second"
    assert prose.item_text(body, plus.items[0]) == "Third wrapped lazily"
    assert [prose.item_text(body, item) for item in numbered.items] == ["Counted", "also"]
    cut = prose.excerpt(body, 1, len(body.blocks))        # a section's body starts on a later line
    assert prose.item_text(cut, next(b for b in cut.blocks if isinstance(b, prose.ListBlock)).items[0]) == \
        "**Data** is recorded, and kept."
