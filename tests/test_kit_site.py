"""The facilitator's kit on the built site: breaks and plans in the agenda, the law check box,
a printable page per material and a run-sheet with clock times (site/kit.py)."""
from __future__ import annotations

import re

import pytest

from conftest import REPO, copy_valid_course
from teachforward.build import build
from teachforward.content.prose import parse
from teachforward.site.kit import clock
from teachforward.site.markdown_out import blocks_markdown
from test_kit_format import AGENDA, LAW, with_kit

WS = "workshops/en/01-basics"
BREAK = AGENDA.replace("  - minutes: 30\n    activity: Wrap-up",
                       "  - minutes: 10\n    activity: Coffee\n    break: true\n  - minutes: 20\n    activity: Wrap-up")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("kit")
    tree = copy_valid_course(root / "course")
    with_kit(tree, agenda=BREAK)
    tree.replace("workshops/course.yaml", "source_language: en", "source_language: en\nstart_time: 13:30")
    tree.write(f"{WS}/materials/03-plan.md", "---\nkind: checklist\naudience: facilitators\n---\n# Before the session\n\n"
               "- [ ] Book a room\n- [ ] Print the [recipe card](01-recipe-card.md#data)\n")
    tree.replace("workshops/fr/01-basics/workshop.yaml", "\n\ntranslated_from:",
                 "\n" + LAW.replace("Laws change.", "Les lois changent.") + "\ntranslated_from:")
    # The real French interface strings, kit included.
    tree.write("docs/fr/strings.yaml", (REPO / "docs" / "fr" / "strings.yaml").read_text(encoding="utf-8"))
    out = root / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    return out


def page(out, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def rows(html: str, table: int = 0) -> list[list[str]]:
    body = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)[table]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_agenda_shows_breaks_leads_and_materials(built):
    html = article(page(built, "en/workshops/01-basics/index.html"))
    assert re.findall(r"<th[^>]*>(.*?)</th>", html)[:5] == ["Start", "Minutes", "Activity", "Who leads", "Materials"]
    table = rows(html)
    assert [text(r[2]) for r in table] == ["What counts as data?", "Exercise: the rota", "Coffee", "Wrap-up", "Total"]
    coffee = table[2][2]
    assert 'class="tf-break"' in coffee and "<a " not in coffee       # marked as a break, links nowhere
    assert text(table[0][3]) == "Lead facilitator"
    assert '<a href="materials/recipe-card.html">The recipe card</a>' in table[1][4]
    assert [text(r[0]) for r in table] == ["0:00", "0:30", "1:00", "1:10", "1:30"]


def test_overview_has_a_dated_law_check_box(built):
    html = article(page(built, "en/workshops/01-basics/index.html"))
    box = html[html.index('<div class="admonition info">'):]
    box = box[:box.index("</div>")]
    assert "Law check (last checked December 1, 2026)" in box
    assert "Art. 9(1)" in box and "since May 25, 2018" in box and "European Union" in box
    assert '<a href="https://eur-lex.europa.eu/eli/reg/2016/679/oj">Source</a>' in box
    french = article(page(built, "fr/workshops/01-basics/index.html"))
    assert "vérifié le 1 décembre 2026" in french and "depuis le 25 mai 2018" in french


def test_overview_and_menu_link_every_material(built):
    html = page(built, "en/workshops/01-basics/index.html")
    listing = article(html)[article(html).index('id="materials"'):]
    assert '<a href="materials/recipe-card.html">The recipe card</a>: Worksheet, for participants, landscape' in listing
    assert '<a href="materials/plan.html">Before the session</a>: Checklist, for facilitators' in listing
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("<article")]
    for target in ("materials/recipe-card.html", "materials/feedback.html", "materials/plan.html", "run-sheet.html"):
        assert f'href="{target}"' in nav, target


def test_material_page_is_printable(built):
    html = page(built, "en/workshops/01-basics/materials/recipe-card.html")
    assert "<style>@page { size: landscape; }</style>" in html
    body = article(html)
    material = body[body.index('<div class="tf-material tf-material--landscape">'):]
    assert material.count('<span class="tf-line"></span>') == 4                # ::: lines 4
    assert ":::" not in body
    assert rows(material)[1] == ["", ""]                                          # a row to write in
    assert 'class="task-list-item"' in material and 'type="checkbox"' in material
    assert '<p><a href="../index.html">Workshop 1: Basics: data at work</a> · Worksheet, for participants, landscape</p>' in body
    assert "size: landscape" not in page(built, "en/workshops/01-basics/materials/feedback.html")
    plan = article(page(built, "en/workshops/01-basics/materials/plan.html"))
    assert '<a href="recipe-card.html#data">recipe card</a>' in plan            # links between materials re-pointed


def test_untranslated_material_falls_back_to_english_with_a_notice(built):
    html = article(page(built, "fr/workshops/01-basics/materials/recipe-card.html"))
    assert "Not translated yet" in html or "pas encore" in html
    assert '<h1 dir="ltr" id="the-recipe-card" lang="en">' in html and "Fill it in with your group." in html


def test_run_sheet_has_clock_times_leads_materials_and_cuts(built):
    html = article(page(built, "en/workshops/01-basics/run-sheet.html"))
    assert '<input type="time" id="tf-start" name="start" value="13:30" data-default="13:30"' in html
    assert '<label for="tf-start">Start time</label>' in html
    sheet = html[html.index('class="tf-run-sheet"'):]
    table = rows(sheet)
    assert [text(r[0]) for r in table] == ["13:30", "14:00", "14:30", "14:40", "15:00"]
    assert re.findall(r'data-offset="(\d+)"', sheet)[:5] == ["0", "30", "60", "70", "90"]
    assert [text(r[1]) for r in table] == ["30", "30", "10", "20", "90"]
    assert text(table[0][3]) == "Lead facilitator" and "materials/recipe-card.html" in table[1][4]
    assert text(table[1][5]) == "1. Two report-backs only. (saves 10 min)" and text(table[0][5]) == ""
    assert 'class="tf-break"' in table[2][2]
    assert "If you run late, cut in this order:" in sheet and "Together these save 10 minutes." in sheet
    assert "<a " not in table[0][2]          # a printed sheet: activities are plain text


def test_run_sheet_in_french(built):
    html = article(page(built, "fr/workshops/01-basics/run-sheet.html"))
    assert "Feuille de route" in html and "En cas de retard, couper ceci" in html and "Heure de début" in html


def writing_space(markdown: str) -> str:
    """The site's Markdown for a body, written from its parsed blocks."""
    return blocks_markdown(parse(markdown, 1, lambda raw: None, lambda raw: None).blocks, lambda item: item.raw)


def test_clock_and_writing_space_helpers():
    assert clock("09:30", 95) == "11:05" and clock("23:30", 45) == "00:15"
    assert writing_space("a\n\n::: lines 2\n:::\n\nb").count('class="tf-line"') == 2
    assert writing_space("::: lines 3\n\n:::").count('class="tf-line"') == 3
    assert 'tf-line' not in writing_space("::: note\n:::")
