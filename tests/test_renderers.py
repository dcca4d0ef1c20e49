"""Unit tests of the page and slide renderers: each reads the parsed model and writes its
output (site Markdown, slide paragraphs and tables) without building a site or a deck."""
from __future__ import annotations

import pytest

from conftest import copy_valid_course
from teachforward.content import prose
from teachforward.content.loader import load_course
from teachforward.decks.blocks import SlideTable, notes_text, runs, slide_content, slide_paras, tables
from teachforward.decks.text import Para, Run
from teachforward.site.markdown_out import inline_markdown
from teachforward.site.pages import PageWriter


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


def test_agenda_clock_times_come_from_the_shared_formatter(english):
    _, course, writer = english
    table = writer.agenda_table(course.source.workshops[0], "workshops/01-basics/index.md")
    assert "| 0:00 | 30 |" in table and "| 1:00 | 30 |" in table and "| 1:30 | **90** |" in table


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
