"""The presenter view's page (decks/present.py), without a browser: one page per deck, made
from the same plan, beside the .pptx; every slide and its notes in it; nothing it could load
from elsewhere; right to left in Arabic. The browser tests drive it (tests/browser)."""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

from pptx import Presentation

from test_decks import ARABIC, add_deck_strings, build, notes, titles


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_data = ""
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._in_data = tag == "script" and attrs.get("id") == "data"

    def handle_data(self, data):
        if self._in_data:
            self.script_data += data

    def handle_endtag(self, tag):
        self._in_data = False


def parsed(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_every_deck_has_a_presenter_page_with_its_slides_notes_and_agenda(tree, tmp_path):
    add_deck_strings(tree)
    downloads, files, _ = build(tree.root, tmp_path / "decks")
    download = next(d for d in downloads if d.site_lang == "en")
    assert download.presenter == "01-basics.present.html"
    page_path = files[f"en/{download.presenter}"]
    assert page_path == files["en/01-basics.pptx"].with_suffix(".present.html")
    text = page_path.read_text(encoding="utf-8")
    page = parsed(text)
    deck = files["en/01-basics.pptx"]
    slide_titles = [t for t in re.findall(r'<h2 class="title">(.*?)</h2>', text)]
    assert slide_titles == titles(deck), "the same slides, in the same order, as the .pptx"
    spoken = notes(Presentation(str(deck)).slides[4])
    assert "secret-answer-text" in spoken and "secret-answer-text" in text
    data = json.loads(page.script_data)
    assert [step["minutes"] for step in data["agenda"]] == [30, 30, 30] and data["total"] == len(slide_titles)
    items = [int(a["data-item"]) for tag, a in page.tags if tag == "section" and "slide" in a.get("class", "")]
    assert items[0] == 0 and items[-1] == 2 and items == sorted(items), "slides follow the agenda"


def test_the_presenter_page_loads_nothing_from_anywhere(tree, tmp_path):
    add_deck_strings(tree)
    _, files, _ = build(tree.root, tmp_path / "decks")
    page = parsed(files["en/01-basics.present.html"].read_text(encoding="utf-8"))
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "poster", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:") or value.startswith("#"), (tag, name, value[:60])
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    policy = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "img-src data:" in policy


def test_the_arabic_presenter_page_runs_right_to_left(tree, tmp_path):
    add_deck_strings(tree)
    shutil.copytree(ARABIC, tree.root, dirs_exist_ok=True)
    _, files, _ = build(tree.root, tmp_path / "decks")
    page = parsed(files["ar/01-basics.present.html"].read_text(encoding="utf-8"))
    html = next(a for t, a in page.tags if t == "html")
    assert (html["lang"], html["dir"]) == ("ar-EG", "rtl")
    assert json.loads(page.script_data)["rtl"] is True
    slides = [a for t, a in page.tags if t == "section" and "slide" in a.get("class", "")]
    assert slides and all(a["dir"] == "rtl" and a["lang"] == "ar" for a in slides)


def test_a_table_of_the_prose_is_a_table_on_the_presenter_page_aligned_as_written(tree, tmp_path):
    add_deck_strings(tree)
    tree.replace("workshops/en/01-basics/exercises/01-rota.md", "List the data the app needs.",
                 "List the data the app needs.\n\n| Data | Hours |\n|---|---:|\n| Shifts | 38 |")
    _, files, _ = build(tree.root, tmp_path / "decks")
    text = files["en/01-basics.present.html"].read_text(encoding="utf-8")
    assert '<tr><th scope="col">Data</th><th scope="col" class="right">Hours</th></tr>' in text
    assert '<tr><td>Shifts</td><td class="right">38</td></tr>' in text
