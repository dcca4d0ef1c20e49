"""Search in every language of the site, over http and from the unzipped offline pack, typed
without any extra key (Material reads the query on key events; letters a US keyboard lacks come
without them).

What each search must find is worked out here from the built search index and from the
language's own lunr stemmer (the site's copy, run in a blank page), never written down:
- a word with the language's own letters (accents, Arabic script) finds exactly the pages with a
  word it begins, or a word with its stem;
- an inflected form that appears nowhere in the text finds exactly the pages with its stem;
- Arabic: a word typed with other alef or hamza forms, ى for ي, ه for ة, with tashkeel or
  tatweel, with or without the article, finds what the word as written finds;
- the same query typed twice gives the same results, in the same order.
"""
from __future__ import annotations

import bisect
import html
import json
import re

import pytest

from .conftest import MODES, found_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_PAGES = 8            # Material shows the first ten pages of results before any scrolling

# --- the words of the index, as the search worker cuts them -----------------------------------

TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
ARTICLE = re.compile(r"^(?:[وبكف]?ال|لل)(?=..)")


def arabic_for_stemmer(word: str) -> str:
    """The documented Arabic normalisation (docs/en/writing-and-translating.md), before stemming."""
    word = TASHKEEL.sub("", word).replace("\u0640", "")
    return re.sub("[\u0622\u0623\u0625\u0671]", "\u0627", word).replace("\u0649", "\u064a")


def surface(lang: str, word: str) -> str:
    """A word as the index keeps it besides its stem: for Arabic also ة → ه and no article."""
    if lang != "ar":
        return word
    return ARTICLE.sub("", arabic_for_stemmer(word).replace("\u0629", "\u0647"))


def tokens(text: str) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    words = (re.sub(r"^\W+|\W+$", "", t.lower()) for t in re.split(r"[\s\-]+", text))
    return [w for w in words if w]


class Index:
    """One language's search index: each page's words."""

    def __init__(self, site, lang: str):
        data = json.loads((site.root / lang / "search" / "search_index.full.json").read_text(encoding="utf-8"))
        self.lang = lang
        self.pages: dict[str, set[str]] = {}
        for doc in data["docs"]:
            page = doc["location"].split("#")[0] or "index.html"
            self.pages.setdefault(page, set()).update(tokens(f"{doc['title']} {doc.get('text', '')}"))
        self.words = sorted(set().union(*self.pages.values()))
        self.text = " ".join(self.words)
        self.pages_of: dict[str, set[str]] = {}          # word -> the pages that have it
        for page, words in self.pages.items():
            for word in words:
                self.pages_of.setdefault(word, set()).add(page)
        self.surface = {word: surface(lang, word) for word in self.words}     # as the index keeps it
        self._surfaces = sorted((kept, word) for word, kept in self.surface.items())
        self._by_stem: dict[str, set[str]] | None = None

    def words_beginning(self, prefix: str) -> set[str]:
        """The words whose surface (as the index keeps them) begins with prefix."""
        found, at = set(), bisect.bisect_left(self._surfaces, (prefix,))
        while at < len(self._surfaces) and self._surfaces[at][0].startswith(prefix):
            found.add(self._surfaces[at][1])
            at += 1
        return found

    def words_of_stem(self, analysis, stem: str) -> set[str]:
        """The words of that stem: {w for w in self.words if analysis.stem.get(w) == stem}."""
        if self._by_stem is None:
            self._by_stem = {}
            for word in self.words:
                self._by_stem.setdefault(analysis.stem.get(word), set()).add(word)
        return self._by_stem.get(stem, set())

    def pages_with(self, words) -> set[str]:
        return set().union(*(self.pages_of[word] for word in words))


# --- the language's stemmer and stop words, from the site's own lunr files ------------------

ANALYSE = """async ({scripts, lang, words}) => {
  for (const src of scripts) {
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.charset = "utf-8"; script.src = src; script.onload = resolve;
      script.onerror = () => reject(new Error("cannot load " + src));
      document.head.appendChild(script);
    });
  }
  const support = lang === "en" ? lunr : lunr[lang];
  return words.map(([word, forStemmer]) => {
    const stem = support.stemmer(new lunr.Token(forStemmer, {}));
    return [stem ? stem.toString() : "", !support.stopWordFilter(new lunr.Token(word, {}))];
  });
}"""


class Analysis:
    def __init__(self, site, browser, lang: str, words: list[str]):
        js = site.url(lang, "assets/javascripts/")
        worker = next((site.root / lang / "assets/javascripts/workers").glob("search.*.min.js")).name
        scripts = [js + "workers/" + worker]      # Material's worker bundle holds lunr itself
        if lang != "en":
            scripts += [js + "lunr/min/lunr.stemmer.support.min.js", js + f"lunr/min/lunr.{lang}.min.js"]
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(js + "lunr/tinyseg.js")    # a plain page of the site's origin, no search of its own
            pairs = [[w, arabic_for_stemmer(w) if lang == "ar" else w] for w in words]
            answers = page.evaluate(ANALYSE, {"scripts": scripts, "lang": lang, "words": pairs})
        finally:
            context.close()
        self.stem = {w: a[0] for w, a in zip(words, answers, strict=True)}
        self.stop = {w for w, a in zip(words, answers, strict=True) if a[1]}

    def stems(self, site, browser, lang: str, words: list[str]) -> dict[str, str]:
        missing = [w for w in words if w not in self.stem]
        if missing:
            self.stem.update(Analysis(site, browser, lang, missing).stem)
        return {w: self.stem[w] for w in words}


_cache: dict = {}


def language(site, browser, lang: str) -> tuple[Index, Analysis]:
    if lang not in _cache:
        index = Index(site, lang)
        _cache[lang] = (index, Analysis(site, browser, lang, index.words))
    return _cache[lang]


def expected_pages(index: Index, analysis: Analysis, typed_surface: str, stem: str) -> set[str]:
    """What the worker promises for a typed word: pages with a word that begins like it (as the
    index keeps words) or that has its stem."""
    words = index.words_beginning(typed_surface) | (index.words_of_stem(analysis, stem) if stem else set())
    return index.pages_with(w for w in words if w not in analysis.stop)


# --- choosing the words -----------------------------------------------------------------------

def own_letters(lang: str, word: str) -> bool:
    """A word in the language's own script: Arabic letters for Arabic, a letter outside ASCII
    (an accent) for the other languages but English."""
    if lang == "ar":
        return all("\u0621" <= c <= "\u064a" for c in word)
    if lang == "en":
        return word.isascii() and word.isalpha()
    return word.isalpha() and not word.isascii()


def inflect(lang: str, word: str) -> str | None:
    """A regular inflection of a word of the text that the stemmer should bring back to it."""
    if lang == "ar":
        if not (word.startswith("ال") and len(word) >= 6 and own_letters(lang, word)):
            return None
        base = word[2:]
        return (base[:-1] + "ت" if base.endswith("ة") else base) + "هم"     # "their ..."
    if not word.isalpha() or len(word) < 5 or word.endswith("s"):
        return None
    return word + ("s" if lang in ("en", "fr") or word[-1] in "aeiouáéíóú" else "es")


def begins(words: list[str], prefix: str) -> bool:
    """Whether a word of the sorted list begins with prefix."""
    at = bisect.bisect_left(words, prefix)
    return at < len(words) and words[at].startswith(prefix)


def pick(candidates, index: Index, analysis: Analysis, lang: str, what: str):
    """The first candidate (typed, surface, stem) whose expected pages are between 1 and MAX_PAGES."""
    for typed in candidates:
        stem = analysis.stem.get(typed, "")
        expected = expected_pages(index, analysis, surface(lang, typed), stem)
        if 1 <= len(expected) <= MAX_PAGES:
            return typed, expected
    pytest.fail(f"the {lang} index has no {what} to test with")


@pytest.mark.parametrize("mode", MODES, scope="module")
def test_a_word_in_the_languages_own_letters_finds_its_pages(site, browser, search_pages, lang, mode):
    index, analysis = language(site, browser, lang)
    words = sorted((w for w in index.words if own_letters(lang, w) and len(w) >= 6 and w not in analysis.stop),
                   key=lambda w: (-len(index.pages_of[w]), w))
    word, expected = pick(words, index, analysis, lang, "word of its own letters")
    page, base = search_pages.open(lang, mode)
    first = found_pages(page, base, word)
    assert set(first) == expected, (f"{mode}: searching the {lang} site for {word!r} found {sorted(first)}, "
                                    f"the index says {sorted(expected)}")
    again = found_pages(page, base, word)
    assert again == first, f"{mode}: the same query {word!r} twice gave {first} then {again}"


@pytest.mark.parametrize("mode", MODES, scope="module")
def test_an_inflected_form_absent_from_the_text_finds_the_pages_with_its_stem(site, browser, search_pages, lang, mode):
    index, analysis = language(site, browser, lang)
    forms = {w: inflect(lang, w) for w in index.words if w not in analysis.stop}
    # Absent: no word of the text contains it or, as the index keeps words, begins with it, so
    # as a prefix it matches nothing.
    surfaces = sorted(index.surface.values())
    forms = {w: f for w, f in forms.items() if f and f not in index.text and not begins(surfaces, surface(lang, f))}
    stems = analysis.stems(site, browser, lang, sorted(set(forms.values())))
    same = sorted((f for w, f in forms.items() if stems[f] and stems[f] == analysis.stem[w]),
                  key=lambda f: (-len(index.pages_with(index.words_of_stem(analysis, stems[f]))), f))
    inflected, expected = pick(same, index, analysis, lang, "inflected form its stemmer brings back")
    assert not index.words_beginning(surface(lang, inflected)), \
        f"{inflected!r} begins a word of the {lang} text: a prefix would find it without the stemmer"
    page, base = search_pages.open(lang, mode)
    first = found_pages(page, base, inflected)
    assert set(first) == expected, (f"{mode}: searching the {lang} site for {inflected!r} (stem {stems[inflected]!r}) "
                                    f"found {sorted(first)}, the pages with that stem are {sorted(expected)}")
    assert found_pages(page, base, inflected) == first, f"{mode}: the same query {inflected!r} twice gave different results"
    # Followed by another word, the inflected form is a finished word and still finds its stem
    # (the other word's pages and its own fit on the first screen of results).
    def pages_of(word):
        return expected_pages(index, analysis, surface(lang, word), analysis.stem.get(word, ""))
    other = next((w for w in index.words if w.isalpha() and len(w) >= 6 and w not in analysis.stop
                  and 1 <= len(pages_of(w)) <= 10 - len(expected) and not pages_of(w) & expected), None)
    assert other, f"the {lang} index has no word to follow {inflected!r} with"
    both = set(found_pages(page, base, f"{inflected} {other}"))
    assert both == expected | pages_of(other), \
        f"{mode}: {inflected!r} followed by {other!r} found {sorted(both)}, not {sorted(expected | pages_of(other))}"


def arabic_variants(word: str) -> dict[str, str]:
    """How else a reader may type an Arabic word with the article: what each variant changes."""
    base = word[2:]
    variants = {
        "without the article": base,
        "with tashkeel": "".join(c + ("\u064e" if "\u0621" <= c <= "\u064a" else "") for c in word),
        "with tatweel": word[:3] + "\u0640" + word[3:],
        "ه for ة": word[:-1] + "ه" if word.endswith("ة") else None,
        "bare alef for hamza": re.sub("[أإآ]", "ا", word) if re.search("[أإآ]", word) else None,
        "hamza for bare alef": word[:2] + re.sub("ا", "أ", base, count=1) if "ا" in base else None,
        "ى for final ي": word[:-1] + "ى" if word.endswith("ي") else None,
    }
    return {how: v for how, v in variants.items() if v and v != word}


# Changes the stemmer itself reads differently (it knows ة and strips the article its own way):
# the word as written still matches, its stem may not.
UNSTEMMED = ("without the article", "ه for ة")


@pytest.mark.parametrize("mode", MODES, scope="module")
def test_arabic_matches_across_spellings(site, browser, search_pages, mode):
    if "ar" not in site.languages:
        pytest.skip("the site has no Arabic")
    index, analysis = language(site, browser, "ar")

    def spellings(word):
        return len(arabic_variants(word))
    words = sorted((w for w in index.words if w.startswith("ال") and len(w) >= 6 and own_letters("ar", w)
                    and w not in analysis.stop and re.search("[أإآة]", w)),
                   key=lambda w: (-spellings(w), -len(index.pages_of[w]), w))
    word, expected = pick(words, index, analysis, "ar", "word with the article and a hamza or ة")
    page, base = search_pages.open("ar", mode)
    written = found_pages(page, base, word)
    assert set(written) == expected, f"{mode}: {word!r} found {sorted(written)}, the index says {sorted(expected)}"
    # بيانات finds البيانات: the bare word finds the pages where it has the article.
    with_article = index.pages_of[word]
    for how, variant in arabic_variants(word).items():
        pages = found_pages(page, base, variant)
        assert with_article <= set(pages), (f"{mode}: {variant!r} ({word!r} {how}) missed pages with {word!r}: "
                                            f"{sorted(with_article - set(pages))}")
        if how not in UNSTEMMED:
            assert pages == written, f"{mode}: {variant!r} ({word!r} {how}) found {pages}, {word!r} found {written}"
