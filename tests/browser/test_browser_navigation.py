"""What a facilitator does on the site, in every language: search, switch language, meet a page
that is not translated yet, download the slide decks."""
from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urljoin

import pytest

from .conftest import found_pages, open_page, settled_results

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def search(page, word: str, phone: bool = False) -> list[str]:
    """Type word into Material's search (keystrokes: it does not react to fill()) and return the
    result links once the results have stopped changing."""
    if phone:
        page.click('label.md-header__button[for="__search"]')
    else:
        page.click("input.md-search__input")
    # Letters missing from a US keyboard (é, Arabic) come without key events, as from an input
    # method or a paste: the site must read them all the same (theme/.../teachforward.js).
    page.keyboard.type(word)
    return settled_results(page)


@pytest.mark.skip_allowed("a language whose every word is also another language's has no word of its own to search for")
def test_search_finds_a_word_of_the_language_in_its_own_pages_only(site, search_pages, lang):
    found = site.own_word(lang)
    if not found:
        pytest.skip(f"every word of the {lang} site also appears in every other language's site")
    word, lacking = found
    # found_pages fails on a result outside the searched site (another language's pages).
    page, base = search_pages.open(lang, "http")
    assert base == site.url(lang)
    assert found_pages(page, base, word), f"searching the {lang} site for {word!r}, a word it has, found nothing"
    # The other sites' indexes do not have it: their search must come back empty.
    for other in lacking[:1]:
        page, base = search_pages.open(other, "http")
        assert found_pages(page, base, word) == [], f"the {other} site found {word!r}, a word only the {lang} site has"


def test_search_of_a_shared_word_stays_in_the_language(site, desktop, phone, axe, lang):
    """A word every language has: one merged index would answer with every language's pages.
    The open results must also pass axe-core."""
    word = site.shared_word()
    if not word:
        pytest.skip("no word appears in every language's site")
    for context, is_phone in ((desktop, False), (phone, True)):
        page = context.new_page()
        open_page(page, site.url(lang, "glossary.html"))
        links = search(page, word, phone=is_phone)
        assert links, f"searching the {lang} site for {word!r} found nothing ({'phone' if is_phone else 'desktop'})"
        outside = [link for link in links if not link.startswith(site.url(lang))]
        assert not outside, f"searching the {lang} site for {word!r} returned other languages' pages: {outside}"
        if not is_phone:
            violations = [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                          for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            assert not violations, f"with search results open on the {lang} site, axe-core found: {violations}"
        page.close()


@pytest.mark.skip_allowed("a one-language site has no language menu")
def test_language_selector_keeps_the_page(site, desktop, lang):
    types = site.page_types(lang)
    path = types.get("exercises") or types["workshop"]
    others = [code for code in site.languages if code != lang]
    if not others:
        pytest.skip("the site has one language")
    page = desktop.new_page()
    page.goto(site.url(lang, path))
    page.click(".md-header__option .md-select > button")
    menu = {code: page.locator(f'a.md-select__link[hreflang="{code}"]') for code in site.languages}
    for other, link in menu.items():
        assert link.is_visible(), f"the {lang} language menu does not offer {other}"
    # Every entry leads to the same page in its language...
    for other, link in menu.items():
        target = urljoin(page.url, link.get_attribute("href"))
        assert target == site.url(other, path), f"the menu's {other} entry on {page.url} leads to {target}"
        assert desktop.request.get(target).ok, f"{target} does not exist"
    # ...and choosing one takes the visitor there (Material's scripts must not send them elsewhere).
    other = others[(site.languages.index(lang)) % len(others)]
    menu[other].click()
    page.wait_for_load_state("load")
    assert page.url == site.url(other, path), f"choosing {other} on {site.url(lang, path)} went to {page.url}"
    assert (page.locator("html").get_attribute("lang") or "").split("-")[0] == other.split("-")[0]
    assert page.locator("article h1").count() == 1


@pytest.mark.skip_allowed("the source language and complete translations have no fallback page")
def test_fallback_page_shows_its_notice(site, desktop, lang):
    pages = site.fallback_pages(lang)
    if not pages:
        pytest.skip(f"the {lang} site has no page shown in the source language (fully translated, or the source)")
    strings = site.strings(lang)
    page = desktop.new_page()
    path = pages[0]
    open_page(page, site.url(lang, path))
    notice = page.locator(".md-content .admonition.warning", has=page.locator('a[href*="writing-and-translating"]')).first
    assert notice.is_visible(), f"{site.url(lang, path)}: the not-translated notice is not visible"
    title = notice.locator(".admonition-title").inner_text().strip()
    assert title == strings["fallback_title"].strip(), f"the notice's title is {title!r}, not the {lang} one"
    # It comes first: under the title, before the page's first section.
    notice_top = notice.bounding_box()["y"]
    first_section = page.locator("article h2").first
    if first_section.count():
        assert notice_top < first_section.bounding_box()["y"], "the notice is not at the top of the page"
    notice.locator('a[href*="writing-and-translating"]').click()
    page.wait_for_load_state("load")
    assert page.url.startswith(site.url(lang, "writing-and-translating.html")), page.url


def test_every_deck_link_downloads_a_valid_pptx(site, desktop, lang):
    links = site.deck_links(lang)
    assert links, f"the {lang} site links to no slide deck"
    assert "downloads.html" in links, f"the {lang} downloads page links to no deck"
    workshops = site.workshops(lang)
    overviews = [p for p in links if p.startswith("workshops/")]
    assert len(overviews) == len(workshops), f"workshop overviews without a deck link: " \
        f"{sorted(set(f'workshops/{w}/index.html' for w in workshops) - set(overviews))}"
    checked = set()
    for page_path, hrefs in links.items():
        for href in hrefs:
            url = urljoin(site.url(lang, page_path), href)
            if url in checked:
                continue
            checked.add(url)
            response = desktop.request.get(url)
            assert response.ok, f"{url} (linked from {page_path}): HTTP {response.status}"
            assert_pptx(response.body(), url)
    # And through the browser, as a visitor clicks it.
    page = desktop.new_page()
    open_page(page, site.url(lang, "downloads.html"))
    with page.expect_download() as download:
        page.locator('.md-content a[href$=".pptx"]').first.click()
    assert_pptx(open(download.value.path(), "rb").read(), download.value.suggested_filename)
    assert download.value.suggested_filename.endswith(".pptx")


def assert_pptx(data: bytes, name: str) -> None:
    assert zipfile.is_zipfile(io.BytesIO(data)), f"{name} is not a zip file"
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        assert "ppt/presentation.xml" in deck.namelist(), f"{name} has no ppt/presentation.xml"
        assert deck.testzip() is None, f"{name} is damaged"
        assert any(re.fullmatch(r"ppt/slides/slide\d+\.xml", n) for n in deck.namelist()), f"{name} has no slide"
