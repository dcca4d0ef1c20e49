"""End to end: build real sites (the fixture course, then the real course) and read the output."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import copy_valid_course
from teachforward.build import build, load_and_check
from teachforward.content.tracking import translation_status
from teachforward.site.sources import search_language

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the fixture course, shared by the tests that only read it."""
    base = tmp_path_factory.mktemp("fixture")
    tree = copy_valid_course(base / "course")
    out = base / "site"
    assert build(tree.root, out, jobs=2) == 0
    return out


def search_index(site: Path, lang: str) -> dict:
    """The whole index MkDocs wrote (the page fetches a manifest and shards cut from it)."""
    return json.loads((site / lang / "search" / "search_index.full.json").read_text(encoding="utf-8"))


def test_each_language_has_its_own_search_index(built):
    english, french = search_index(built, "en"), search_index(built, "fr")
    assert english["config"]["lang"] == ["en"] and french["config"]["lang"] == ["fr"]
    def hits(index, word):
        return [d["location"] for d in index["docs"] if word in d["text"]]
    # "ornithorynque" is written only in the French overview: English search must not find it.
    assert hits(french, "ornithorynque") and not hits(english, "ornithorynque")
    assert not any(d["location"].startswith(("../", "/")) for d in french["docs"])


def test_fallback_page_has_notice_in_the_visitor_language(built):
    page = (built / "fr" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert "Pas encore traduit" in page and "pas encore été traduite en Français" in page
    assert 'href="../../writing-and-translating.html"' in page
    translated = (built / "fr" / "workshops" / "01-basics" / "index.html").read_text(encoding="utf-8")
    assert "Pas encore traduit" not in translated and "Les bases" in translated


def test_language_selector_stays_on_the_page(built):
    page = (built / "fr" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    links = {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="([a-z-]+)"', page)}
    assert links["en"] == "../../../en/workshops/01-basics/notes.html"
    assert links["fr"] == "../../../fr/workshops/01-basics/notes.html"
    assert (built / "fr" / "workshops" / "01-basics" / links["en"]).resolve().is_file()
    assert '<html lang="fr"' in page and 'rel="alternate"' not in page


def test_workshop_prose_is_never_a_template(built):
    page = (built / "en" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert "{{ config.site_name }}" in page and "{% raw %}" in page


def test_macros_fill_hand_written_pages(built):
    home = (built / "en" / "index.html").read_text(encoding="utf-8")
    assert "Basics: data at work" in home and "90 minutes" in home
    glossary = (built / "fr" / "glossary.html").read_text(encoding="utf-8")
    assert "Données" in glossary and "Atelier 1" in glossary


def test_agenda_is_a_table_with_running_clock(built):
    page = (built / "en" / "workshops" / "01-basics" / "index.html").read_text(encoding="utf-8")
    table = page[page.index("<table>"): page.index("</table>")]
    assert "<th" in table and "Start" in table
    assert [c for c in re.findall(r"<td[^>]*>(\d+:\d\d)</td>", table)] == ["0:00", "0:30", "1:00", "1:30"]


def test_responses_folded_on_exercises_and_absent_from_handout(built):
    exercises = (built / "en" / "workshops" / "01-basics" / "exercises.html").read_text(encoding="utf-8")
    assert re.search(r"<details class=\"tip\">\s*<summary>Possible responses</summary>", exercises)
    assert "secret-answer-text" in exercises
    handout = (built / "en" / "workshops" / "01-basics" / "handout.html").read_text(encoding="utf-8")
    assert "A council introduces a scheduling app" in handout and "secret-answer-text" not in handout


def test_links_between_sources_point_at_generated_pages(built):
    page = (built / "en" / "workshops" / "01-basics" / "notes.html").read_text(encoding="utf-8")
    assert 'href="exercises.html#rota"' in page and 'href="#wrap-up"' in page
    assert (built / "en" / "workshops" / "01-basics" / "images" / "recipe.svg").is_file()


def test_landing_page_lists_languages_with_relative_links(built):
    landing = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="en/"' in landing and 'href="fr/"' in landing and "Français" in landing


def test_no_external_requests_in_pages(built):
    for html in built.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', text), html


def test_failed_build_leaves_site_as_it_was(tree, tmp_path):
    out = tmp_path / "site"
    assert build(tree.root, out) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    tree.replace("workshops/en/01-basics/workshop.yaml", "duration: 90", "duration: 91")
    assert build(tree.root, out) == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


@pytest.fixture(scope="module")
def real_site(real_course):
    return real_course.site


def test_real_course_has_one_search_index_per_language(real_site, real_course):
    course, _ = load_and_check(real_course.root)
    for language in course.languages:
        index = search_index(real_site, language.code)
        assert index["config"]["lang"] == [search_language(language.code)]
        assert search_language(language.code) == language.code.split("-")[0]   # all our languages have stemmers
        titles = {d["title"] for d in index["docs"] if "#" not in d["location"]}
        assert language.workshops[0].title in " ".join(titles) or any(
            language.workshops[0].title.startswith(t) for t in titles)


def test_real_course_marks_every_untranslated_page(real_site, real_course):
    course, _ = load_and_check(real_course.root)
    notices = {"missing": "admonition warning", "outdated": "admonition info"}
    checked = 0
    for language in course.languages[1:]:
        for item in translation_status(course, language).files:
            page = (real_site / language.code / (item.site_page[:-3] + ".html")).read_text(encoding="utf-8")
            if item.state in notices:
                assert notices[item.state] in page, (language.code, item.label)
            elif item.site_page.endswith(("notes.md", "guide.md", "index.md")) and "exercises" not in item.label:
                assert "admonition warning" not in page, (language.code, item.label)
            checked += 1
    assert checked > 0


def test_downloads_page_links_every_deck_and_the_offline_pack(real_site, real_course):
    course, _ = load_and_check(real_course.root)
    for language in course.languages:
        folder = real_site / language.code
        page = (folder / "downloads.html").read_text(encoding="utf-8")
        targets = re.findall(r'href="([^"]+\.(?:pptx|zip))"', page)
        assert f"downloads/teach-forward-{language.code}.zip" in targets
        assert len([t for t in targets if t.endswith(".pptx")]) == len(language.workshops)
        for target in targets:
            assert (folder / target).resolve().is_file(), (language.code, target)
