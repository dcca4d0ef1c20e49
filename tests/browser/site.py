"""What the browser tests know about the built site: its languages, its page types, the words of
each language's search index. Everything is read from the built site itself; only the languages
to parametrize tests with come from the source folders (read before anything is built)."""
from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

# The page types every language's site has, with the folder of each (relative to site/<lang>/).
REQUIRED_TYPES = ("home", "workshop", "handout", "glossary", "translation-status")
WORKSHOP_PARTS = ("notes", "guide", "exercises", "handout", "run-sheet")


def source_languages() -> list[str]:
    """The languages the sources have, as the loader sees them (a folder under workshops/ or docs/)."""
    codes = set()
    for top in ("workshops", "docs"):
        base = REPO / top
        if base.is_dir():
            codes |= {p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    return sorted(codes)


def normalise(text: str) -> str:
    """Text as compared between the page and a printed PDF: ligatures undone, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class BuiltSite:
    root: Path
    base: str                      # http://127.0.0.1:<port>/
    build_seconds: float = 0.0
    _words: dict = field(default_factory=dict)

    # --- what is there -------------------------------------------------------------------

    @cached_property
    def languages(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir()
                      if (p / "index.html").is_file() and (p / "search" / "search_index.json").is_file())

    def url(self, lang: str, path: str = "") -> str:
        return f"{self.base}{lang}/{path}"

    def workshops(self, lang: str) -> list[str]:
        base = self.root / lang / "workshops"
        return sorted(p.name for p in base.iterdir() if (p / "index.html").is_file()) if base.is_dir() else []

    def page_types(self, lang: str) -> dict[str, str]:
        """Page type -> path under site/<lang>/: the home page, every part of the first workshop and
        every other top-level page (glossary, translation status, downloads, credits...)."""
        types = {"home": ""}
        workshops = self.workshops(lang)
        if workshops:
            first = workshops[0]
            types["workshop"] = f"workshops/{first}/index.html"
            for part in WORKSHOP_PARTS:
                if (self.root / lang / "workshops" / first / f"{part}.html").is_file():
                    types[part] = f"workshops/{first}/{part}.html"
        for file in sorted(self.root.joinpath(lang).glob("*.html")):
            if file.name not in ("index.html", "404.html"):
                types[file.stem] = file.name
        return types

    def html(self, lang: str, path: str) -> str:
        file = self.root / lang / (path or "index.html")
        return file.read_text(encoding="utf-8")

    # --- search --------------------------------------------------------------------------

    def words(self, lang: str) -> Counter:
        """How many search-index entries of the language each word (6+ letters) appears in."""
        if lang not in self._words:
            index = json.loads((self.root / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
            counts: Counter = Counter()
            for doc in index["docs"]:
                text = html.unescape(re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}"))
                # Runs of letters: what the search's trimmer leaves of "{#before}" or "(data)" too.
                tokens = {t.casefold() for t in re.findall(r"[^\W\d_]+", text)}
                counts.update(t for t in tokens if len(t) >= 6)
            self._words[lang] = counts
        return self._words[lang]

    def own_word(self, lang: str) -> tuple[str, list[str]] | None:
        """A word of this language's index that as many other languages as possible lack (no word
        of theirs even starts like it, so stemming cannot match it either): (word, languages
        lacking it). None when every word is shared with every other language."""
        others = [code for code in self.languages if code != lang]
        prefixes = {code: {w[:5] for w in self.words(code)} for code in others}
        best = None
        for word, count in self.words(lang).items():
            lacking = [code for code in others if word[:5] not in prefixes[code]]
            if lacking:
                key = (len(lacking), count, word)
                if best is None or key > best[0]:
                    best = (key, word, lacking)
        return (best[1], best[2]) if best else None

    def shared_word(self) -> str | None:
        """A word every language's index has, the most frequent one."""
        common = None
        for lang in self.languages:
            words = set(self.words(lang))
            common = words if common is None else common & words
        if not common:
            return None
        return max(sorted(common), key=lambda w: min(self.words(code)[w] for code in self.languages))

    # --- pages with something particular ---------------------------------------------------

    def fallback_pages(self, lang: str) -> list[str]:
        """Pages of the language that show the "not translated yet" notice (a warning that links
        to the translators' page), as paths under site/<lang>/."""
        found = []
        for file in sorted((self.root / lang).rglob("*.html")):
            text = file.read_text(encoding="utf-8")
            for block in re.findall(r'<div class="admonition warning">(.*?)</div>', text, re.S):
                if "writing-and-translating.html" in block:
                    found.append(file.relative_to(self.root / lang).as_posix())
                    break
        return [p if p != "index.html" else "" for p in found]

    def deck_links(self, lang: str) -> dict[str, list[str]]:
        """Page path -> the .pptx links it has, for the downloads page and every workshop overview."""
        pages = [f"workshops/{w}/index.html" for w in self.workshops(lang)]
        if (self.root / lang / "downloads.html").is_file():
            pages.append("downloads.html")
        links = {}
        for page in pages:
            hrefs = re.findall(r'href="([^"]+\.pptx)"', self.html(lang, page))
            if hrefs:
                links[page] = sorted(set(hrefs))
        return links

    def strings(self, lang: str) -> dict:
        """The words the generator writes in this language (English where not translated)."""
        def read(code):
            path = REPO / "docs" / code / "strings.yaml"
            return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
        course = yaml.safe_load((REPO / "workshops" / "course.yaml").read_text(encoding="utf-8"))
        return {**read(course.get("source_language", "en")), **read(lang)}
