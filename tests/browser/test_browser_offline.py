"""The offline pack: site/<lang>/downloads/teach-forward-<lang>.zip holds the language's whole
site, decks and handouts included, and works from file:// with search and without a network."""
from __future__ import annotations

import os
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from teachforward.site.offline import SHIM, pack_name, zip_tree

from .conftest import SEARCH_READY
from .site import pack_path
from .test_browser_navigation import assert_pptx, search


class _Links(HTMLParser):
    """Every <a href> of a page: (href, classes, inside a .tf-online-only element)."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []       # (tag, online only) of the open elements
        self.links: list[tuple[str, list[str], bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        online_only = "tf-online-only" in classes or any(hidden for _, hidden in self.open)
        if tag == "a" and attrs.get("href") is not None:
            self.links.append((attrs["href"], classes, online_only))
        if tag not in self.VOID:
            self.open.append((tag, online_only))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break


def links_of(page: str) -> list[tuple[str, list[str], bool]]:
    parser = _Links()
    parser.feed(page)
    parser.close()
    return parser.links


def test_zip_is_the_same_bytes_whatever_the_files_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    folder = tmp_path / "tree"
    for name, text in {"index.html": "home", "b/page.html": "b", "a/z.txt": "z", "a/x.js.map": "map"}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    zip_tree(folder, tmp_path / "one.zip", prefix="pack")
    for i, file in enumerate(sorted(folder.rglob("*.*"))):
        os.utime(file, (1_000_000 + i, 1_000_000 + i))
    zip_tree(folder, tmp_path / "two.zip", prefix="pack")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as pack:
        assert pack.namelist() == ["pack/a/z.txt", "pack/b/page.html", "pack/index.html"]
        assert {i.date_time for i in pack.infolist()} == {time.gmtime(1700000000)[:6]}, \
            "an odd epoch rounds down to an even second"


@pytest.mark.slow
def test_pack_holds_the_whole_language(site, real_course, lang):
    path = pack_path(site, lang)
    assert path.is_file(), f"no offline pack at {path.relative_to(site.root)}"
    prefix = pack_name(lang) + "/"
    epoch = max(int(real_course.epoch), 315532800)
    epoch -= epoch % 2      # zip stores times in two-second steps
    with zipfile.ZipFile(path) as pack:
        names = pack.namelist()
        assert pack.testzip() is None
        assert names == sorted(names), "entries are not sorted"
        assert all(n.startswith(prefix) for n in names), "entries outside the pack's folder"
        assert {i.date_time for i in pack.infolist()} == {time.gmtime(epoch)[:6]}, "timestamps not from SOURCE_DATE_EPOCH"
        files = {n[len(prefix):] for n in names}
        for needed in ("index.html", "search/search_index.js", SHIM, "glossary.html", "translation-status.html"):
            assert needed in files, f"the pack has no {needed}"
        for workshop in site.workshops(lang):
            for part in ("index", "notes", "guide", "exercises", "handout"):
                assert f"workshops/{workshop}/{part}.html" in files, f"the pack has no {workshop} {part}"
        for deck in sorted((site.root / lang / "downloads").glob("*.pptx")):
            assert pack.read(f"{prefix}downloads/{deck.name}") == deck.read_bytes(), f"{deck.name} differs or is missing"
        # The participant packs' zips are downloads like the PDFs; no offline pack (itself) is in it.
        assert not any(n.endswith(".zip") and not n.endswith("-participant-pack.zip") for n in files), \
            "the pack holds a zip (itself?)"
        for name in [n for n in names if n.endswith(".html")]:
            page = pack.read(name).decode("utf-8")
            assert "unpkg.com" not in page, f"{name} loads the shim from the network"
            assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', page), f"{name} loads from outside"
            # The pack holds one language and not itself: the language selector and the link to
            # the pack are online-only (hidden under file://, see test_online_only_parts_...).
            leaving = [href for href, classes, online_only in links_of(page)
                       if ("md-select__link" in classes or href.endswith(f"{pack_name(lang)}.zip")) and not online_only]
            assert not leaving, f"{name} shows links to languages or to the pack, which the pack does not hold: {leaving}"
        home = pack.read(prefix + "index.html").decode("utf-8")
        assert f'src="{SHIM}"' in home, "the home page does not load the iframe-worker shim"
        assert re.search(r'href="workshops/[^"/]+/index\.html"', home), "links are not to .html files"


@pytest.mark.slow
@pytest.mark.browser
def test_pack_works_from_file_with_search_and_decks(site, desktop, packs, lang):
    root = packs[lang]
    base = root.as_uri() + "/"
    requests: list[str] = []
    desktop.on("request", lambda request: requests.append(request.url))
    page = desktop.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "index.html")
    page.click("input.md-search__input")   # under file:// Material loads the index when search is opened
    page.wait_for_function(SEARCH_READY, polling=100)
    assert page.locator(".md-select").count() == 1 and not page.locator(".md-select").is_visible(), \
        "the pack shows a language selector"
    word = (site.own_word(lang) or (site.shared_word(), None))[0] or site.words(lang).most_common(1)[0][0]
    links = search(page, word)
    assert links, f"offline search for {word!r} found nothing"
    assert all(link.startswith(base) and ".html" in link for link in links), f"offline results outside the pack: {links[:5]}"
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(base) and page.locator("article h1").count() == 1, page.url
    # A handout of every workshop, and the decks the online site offers.
    for workshop in site.workshops(lang):
        page.goto(base + f"workshops/{workshop}/handout.html")
        assert page.locator("article h1").is_visible()
    decks = sorted((site.root / lang / "downloads").glob("*.pptx"))
    if decks:
        page.goto(base + "downloads.html")
        hrefs = page.eval_on_selector_all('.md-content a[href$=".pptx"]', "links => links.map(a => a.href)")
        assert len(hrefs) == len(decks), f"the pack's downloads page links to {len(hrefs)} decks, not {len(decks)}"
        for href in hrefs:
            file = Path(unquote(urlsplit(href).path))
            assert file.is_file() and root in file.parents, f"{href} is not a file of the pack"
            assert_pptx(file.read_bytes(), href)
    leaving = [url for url in requests if urlsplit(url).scheme not in ("file", "data", "blob", "about")]
    assert not leaving, f"the offline pack made requests: {leaving}"
    assert not errors, f"script errors in the offline pack: {errors}"


@pytest.mark.slow
@pytest.mark.browser
def test_online_only_parts_are_hidden_in_the_pack_and_shown_online(site, desktop, packs, lang):
    """The pack holds one language and not itself: opened from the unzipped pack (file://), the
    language selector and the downloads page's offline-pack section are not visible; on the
    site (http) both are. The same pages, with the same markup: only the page's script differs."""
    title = site.strings(lang)["offline_pack_title"].strip()
    root = packs[lang]
    page = desktop.new_page()
    for where, base in (("online", site.url(lang)), ("offline", root.as_uri() + "/")):
        for path in ("index.html", "downloads.html"):
            page.goto(base + path)
            url, online = page.url, where == "online"
            parts = {"the language selector": page.locator(".md-header__option .md-select > button")}
            if path == "downloads.html":
                section = page.locator(".md-content .tf-online-only")
                parts["the offline-pack section's heading"] = section.locator("h2", has_text=title)
                parts["the offline-pack link"] = section.locator(f'a[href$="{pack_name(lang)}.zip"]')
            for name, part in parts.items():
                # There either way: hidden offline, not missing.
                assert part.count() == 1, f"{url}: {name} is in the page {part.count()} times, not once"
                assert part.is_visible() == online, \
                    f"{url}: {name} is {'not ' if online else ''}visible {'online' if online else 'from the pack (file://)'}"
            offline_class = page.evaluate("document.documentElement.classList.contains('tf-offline')")
            assert offline_class != online, f"{url}: <html> class tf-offline is {'set' if offline_class else 'missing'}"
