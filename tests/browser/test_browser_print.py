"""Printing: a workshop page prints as the facilitator's script (no header, navigation or search;
the folded possible responses printed open); a handout prints without any possible response.
Chromium prints each to PDF; pdftotext (poppler-utils) reads the text back."""
from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from helpers import require_tool

from .conftest import open_page
from .site import normalise

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Text of the page's furniture, and of its content, read on screen before printing.
SCREEN_TEXTS = """() => {
  const text = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(link => link.remove());
    return (copy.textContent || "").replace(/\\s+/g, " ").trim();
  };
  const article = document.querySelector("article.md-content__inner");
  const parts = article.querySelector(".tf-parts");
  const clone = article.cloneNode(true);
  clone.querySelectorAll(".tf-parts, .headerlink").forEach(el => el.remove());
  const body = text(clone);
  const chrome = [
    ...[...document.querySelectorAll(".md-skip, .md-header__topic, .md-nav--primary .md-nav__link, "
                                     + ".md-footer__title, .md-search__input")]
      .map(el => el.matches("input") ? el.placeholder : text(el)),
    ...(parts ? [...parts.querySelectorAll("a")].map(text) : []),
  ].filter(t => t.length >= 4);
  const first = (el, n) => text(el).split(" ").slice(0, n).join(" ");
  const responses = [...article.querySelectorAll("details")].map(d => {
    const p = d.querySelector(":scope > p, :scope > ul li, :scope > ol li");
    return p ? first(p, 8) : "";
  }).filter(Boolean);
  const exercises = [...article.querySelectorAll("h2")].map(text);
  const firstParagraphs = [...article.querySelectorAll("h3 + p")].map(p => first(p, 8));
  return {h1: text(article.querySelector("h1")), body, chrome: [...new Set(chrome)], responses, exercises, firstParagraphs};
}"""


# Letters a PDF's text layer cannot give back in order: pdftotext returns Arabic lam-alef
# ligatures reversed and splits some words, and adds direction marks.
_UNORDERED = re.compile("[\u0627\u0623\u0625\u0622\u0671\u0644\u200e\u200f\u202a-\u202e\u2066-\u2069\\s]")


def fingerprint(text: str) -> str:
    """Text reduced to what survives printing and reading back: no spaces, no combining marks,
    no case, ligatures undone."""
    text = unicodedata.normalize("NFKC", normalise(text)).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _UNORDERED.sub("", text)


def pdf_text(page, path) -> str:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    page.pdf(path=str(path), format="A4")
    result = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return fingerprint(result.stdout)


def on_screen(site, desktop, lang, part):
    types = site.page_types(lang)
    assert part in types, f"the {lang} site has no {part} page"
    page = desktop.new_page()
    open_page(page, site.url(lang, types[part]))
    texts = page.evaluate(SCREEN_TEXTS)
    # Furniture to look for in the print: what the content itself does not also say.
    body = fingerprint(texts["body"])
    texts["chrome"] = [t for t in texts["chrome"] if fingerprint(t) not in body]
    return page, texts


def printed_texts(site, desktop, lang, part, tmp_path):
    page, texts = on_screen(site, desktop, lang, part)
    return texts, pdf_text(page, tmp_path / f"{lang}-{part}.pdf")


def missing(wanted: list[str], printed: str) -> list[str]:
    return [t for t in wanted if fingerprint(t) not in printed]


def present(unwanted: list[str], printed: str) -> list[str]:
    return [t for t in unwanted if fingerprint(t) in printed]


def test_workshop_page_prints_as_the_facilitators_script(site, desktop, lang, tmp_path):
    screen, printed = printed_texts(site, desktop, lang, "exercises", tmp_path)
    assert screen["responses"], "the exercises page has no folded possible responses to print"
    assert screen["chrome"], "found no navigation text to look for"
    assert not missing([screen["h1"], *screen["exercises"]], printed), \
        f"titles missing from the printed page: {missing([screen['h1'], *screen['exercises']], printed)}"
    assert not missing(screen["responses"], printed), \
        f"folded possible responses not printed: {missing(screen['responses'], printed)}"
    assert not present(screen["chrome"], printed), \
        f"navigation, header or search printed: {present(screen['chrome'], printed)}"


def test_handout_prints_without_possible_responses(site, desktop, lang, tmp_path):
    _, exercises = on_screen(site, desktop, lang, "exercises")
    screen, printed = printed_texts(site, desktop, lang, "handout", tmp_path)
    assert screen["firstParagraphs"], "the handout has no exercise text"
    assert not missing([screen["h1"], *screen["firstParagraphs"]], printed), \
        f"handout text missing from the print: {missing([screen['h1'], *screen['firstParagraphs']], printed)}"
    assert exercises["responses"]
    assert not present(exercises["responses"], printed), \
        f"possible responses printed on the handout: {present(exercises['responses'], printed)}"
    assert not present(screen["chrome"], printed), f"navigation printed: {present(screen['chrome'], printed)}"
