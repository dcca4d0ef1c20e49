"""The search index in pieces: a small manifest fetched with the page, and shards the search
worker fetches only when a query needs them.

Material's search fetches `search/search_index.json` (every section's whole text) on every page
and builds its index in the browser; at 100 workshops that is ~2 MB compressed per language.
After MkDocs has written the index, `write_search_shards` replaces it with:

- `search/search_index.json` (and, for file://, `search/search_index.js`): Material's settings
  with no documents, and in `config.teachforward` the manifest: how many documents there are,
  which documents each document shard holds and which words each word shard holds;
- `search/shards/w<N>.js`: for each word of the shard (a word as Material's tokenizer cuts and
  lower-cases it, before any stemming), the documents it appears in, how often in the title and
  in the text, and where first;
- `search/shards/d<N>.js`: whole documents (location, title, text), whole pages at a time, so
  that a section always comes with its page;
- `search/search_index.full.json`: the index as MkDocs wrote it, for the next dirty build and
  for tests (not fetched by the site, left out of the offline pack).

Shards are scripts (`__teachforwardShard(...)`) so that the worker loads them with
importScripts over http and, through the iframe-worker shim, from file:// alike.

The worker (theme/assets/javascripts/workers/teachforward-search.js) analyses the words of the
manifest with the language's own trimmer, stop words, stemmer and Arabic normalisation, expands
a query against them as lunr would and loads the word shards of the words that may match. From
them it writes, for each document they appear in, a stand-in holding just those words as often
as the document has them, in the same order, and lets Material's unchanged search rank the
stand-ins with the document count of the whole site: lunr's weights depend only on how often a
term occurs in a field, in how many documents, and the number of documents (Material sets
b = 0), so the ranking is the whole index's. Only the pages of the results shown first are
fetched whole (document shards) and searched again for their titles and highlights; the other
results get theirs when they are shown (theme/assets/javascripts/teachforward.js asks).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

FULL_INDEX = "search/search_index.full.json"
SHARDS = "search/shards"
WORD_KEY_LENGTH = 2            # words whose keys share their first characters share a shard
DOCUMENT_SHARD_CHARS = 24_000  # consecutive pages are put together up to about this much text

# JavaScript's \s (what Material's separator means in the browser), which Python's \s is not.
_JS_SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_ARABIC_ARTICLE = re.compile(r"^(?:[\u0648\u0628\u0643\u0641]?\u0627\u0644|\u0644\u0644)(?=.{2})", re.S)
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")


def separator_pattern(separator: str) -> re.Pattern[str]:
    """Material's search separator (a JavaScript regular expression) for Python's re."""
    pattern = separator.replace("\\s", _JS_SPACE)
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(f"the search separator {separator!r} is not a regular expression Python reads "
                         f"the same way: {error}") from error


def _sections(text: str) -> Iterator[str]:
    """The text between HTML tags, cut as Material's `extract` cuts it."""
    start = end = stack = 0
    while end < len(text):
        char = text[end]
        if char == "<" and end > start:
            yield text[start:end]
            start = end
        elif char == ">":
            if text[start + 1:start + 2] == "/":
                stack -= 1
            elif text[end - 1:end] != "/":
                stack += 1
            start = end + 1
        end += 1
    if end > start:
        yield text[start:end]


def words(text: str, separator: re.Pattern[str]) -> Iterator[str]:
    """The tokens Material's tokenizer gives lunr for a field (its `tokenize`), lower case."""
    for section in _sections(text):
        for token in separator.split(section):
            if token:
                yield token.lower()


def _word_key(word: str, arabic: bool) -> str:
    """Which shard a word goes into: a query word looks in the shards of its first characters."""
    if arabic:
        word = _ARABIC_ARTICLE.sub("", _ARABIC_MARKS.sub("", word))
    letters = "".join(ch for ch in word if ch.isalnum())
    return letters[:WORD_KEY_LENGTH]      # words with no letter or digit: one shard


def _pages(docs: list[dict]) -> list[list[int]]:
    """Document numbers grouped by page (a page's article first, then its sections)."""
    groups: dict[str, list[int]] = {}
    for number, doc in enumerate(docs):
        groups.setdefault(doc["location"].split("#", 1)[0], []).append(number)
    return sorted(groups.values())


def shard_index(index: dict, arabic: bool = False) -> tuple[dict, dict[str, object]]:
    """(manifest, {file name under search/shards/: the shard's data}) for one language's index."""
    docs = index["docs"]
    separator = separator_pattern(index["config"]["separator"])
    # Document shards: whole pages, consecutive, up to about DOCUMENT_SHARD_CHARS of text.
    document_shards: list[list[int]] = []
    size = 0
    for page in _pages(docs):
        chars = sum(len(docs[n]["text"]) + len(docs[n]["title"]) for n in page)
        if document_shards and size + chars <= DOCUMENT_SHARD_CHARS and document_shards[-1][-1] + 1 == page[0]:
            document_shards[-1].extend(page)
            size += chars
        else:
            document_shards.append(list(page))
            size = chars
    if [n for shard in document_shards for n in shard] != list(range(len(docs))):
        raise ValueError("the search index's sections do not follow their pages")
    # Word shards: every token of the title and the text, with, for each document it appears
    # in, how often in the title, how often in the text, and where first (the count of tokens
    # before it, title first): what lunr's weights and the order of its terms depend on.
    if any(doc.get("tags") for doc in docs):
        raise ValueError("the search shards do not support tags (Material's tags plugin): "
                         "leave the plugin out or extend site/search_shards.py")
    postings: dict[str, list[list[int]]] = {}
    for number, doc in enumerate(docs):
        for word, in_title, in_text, first in _document_words(doc.get("title") or "", doc.get("text") or "", separator):
            postings.setdefault(word, []).append([number, in_title, in_text, first])
    by_key: dict[str, list[str]] = {}
    for word in sorted(postings):
        by_key.setdefault(_word_key(word, arabic), []).append(word)
    keys = sorted(by_key)
    files: dict[str, object] = {}
    for n, key in enumerate(keys):
        files[f"w{n}.js"] = [_flat(postings[word]) for word in by_key[key]]
    for n, shard in enumerate(document_shards):
        files[f"d{n}.js"] = [docs[number] for number in shard]
    manifest = {
        "documents": len(docs),
        "documentShards": [shard[0] for shard in document_shards],
        "pages": [page[0] for page in _pages(docs)],
        "wordShards": [by_key[key] for key in keys],
    }
    return manifest, files


@lru_cache(maxsize=100_000)
def _document_words(title: str, text: str, separator: re.Pattern[str]) -> tuple[tuple[str, int, int, int], ...]:
    """Each word of a document, in the order of its first place: (word, how often in the title,
    how often in the text, first place). Kept for the texts seen last (a process that builds
    again and again, serve, tokenizes only the documents an edit changed)."""
    seen: dict[str, list[int]] = {}
    tokens = [list(words(title, separator)), list(words(text, separator))]
    for field, field_tokens in enumerate(tokens):
        for place, word in enumerate(field_tokens, start=field * len(tokens[0])):
            entry = seen.get(word)
            if entry is None:
                entry = seen[word] = [0, 0, place]
            entry[field] += 1
    return tuple((word, title, text, first) for word, (title, text, first) in seen.items())


def _flat(entries: list[list[int]]) -> list[int]:
    """[document, in title, in text, first place] entries as one list, each document as the
    difference from the one before (smaller once written out)."""
    flat, previous = [], -1
    for number, title, text, first in entries:
        flat += [number - previous, title, text, first]
        previous = number
    return flat


def _script(name: str, data: object) -> str:
    return f"__teachforwardShard({json.dumps(name)},{_json(data)})\n"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def write_search_shards(site_dir: Path, write: Callable[[bytes, str], None]) -> None:
    """Split site_dir/search/search_index.json (see the module docstring). `write(data: bytes,
    path: str)` writes a file (fsutil.write_changed in a build)."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return
    text = index_path.read_text(encoding="utf-8")
    index = json.loads(text)
    if not index.get("docs") and "teachforward" in index.get("config", {}):
        return                                   # already split (nothing was rebuilt)
    manifest, files = shard_index(index, arabic="ar" in index["config"].get("lang", []))
    shard_dir = site_dir / SHARDS
    if shard_dir.is_dir():
        for old in shard_dir.iterdir():
            if old.name not in files:
                old.unlink()
    for name, data in files.items():
        write(_script(name[:-3], data).encode("utf-8"), str(shard_dir / name))
    write(text.encode("utf-8"), str(site_dir / FULL_INDEX))
    small = {"config": {**index["config"], "teachforward": manifest}, "docs": []}
    write(_json(small).encode("utf-8"), str(index_path))
