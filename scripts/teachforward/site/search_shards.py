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

After an edit (a dirty build), `ShardedIndex.updated` gives the files of the index with the
documents of the pages rendered again replaced, byte for byte the files of a split from scratch,
for the work of those pages: only the words of their documents, and the shards those fall in,
are written out again (a page that gains or loses a section renumbers the documents after it:
then every word's entries after it are moved). What keeps a split index from one build to the
next: site/plugins/incremental/search_memo.py.

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
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import accumulate
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
        groups.setdefault(_page_of(doc), []).append(number)
    return sorted(groups.values())


def _page_of(doc: dict) -> str:
    return doc["location"].split("#", 1)[0]


def shard_index(index: dict, arabic: bool = False) -> tuple[dict, dict[str, object]]:
    """(manifest, {file name under search/shards/: the shard's data}) for one language's index."""
    sharded = ShardedIndex.build(index, arabic)
    return sharded.manifest(), {name: json.loads(sharded.shard_data(name)) for name in sharded.file_names()}


class _Page:
    """One page's documents (its article, then its sections) as the files take them: written
    out for the document shards and for the whole index, and their length."""
    __slots__ = ("url", "count", "chars", "shard_json", "_index_json")

    def __init__(self, url: str, docs: list[dict], index_json: bool = True):
        self.url = url
        self.count = len(docs)
        self.chars = sum(len(doc["text"]) + len(doc["title"]) for doc in docs)
        self.shard_json = ",".join(_json(doc) for doc in docs)
        self._index_json = self._whole(docs) if index_json else None

    def docs(self) -> list[dict]:
        return json.loads(f"[{self.shard_json}]")

    @property
    def index_json(self) -> str:
        """The documents as search_index.full.json holds them (as Material writes them: ASCII)."""
        if self._index_json is None:
            self._index_json = self._whole(self.docs())
        return self._index_json

    def _whole(self, docs: list[dict]) -> str:
        text = ",".join(_index_entry(doc) for doc in docs)
        return self.shard_json if text == self.shard_json else text     # one copy when ASCII


def _index_entry(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), default=str)      # as Material writes its index


class ShardedIndex:
    """One language's index as its manifest and shards, made from scratch (`build`) or from the
    one before with some pages' documents replaced (`updated`): after an edit, the work is that
    of the pages that changed, and the files are byte for byte those `build` gives.

    What each file is made of is kept written out (each page's documents, each word's entries),
    so that a file is put together from pieces and only the pieces of the edited pages are
    written out again."""

    def __init__(self, config: dict, arabic: bool, pages: list[_Page], entries: dict[str, str],
                 by_key: dict[str, list[str]]):
        self.config = config
        self.arabic = arabic
        self.separator = separator_pattern(config["separator"])
        self.pages = pages
        self.entries = entries            # word -> its flat entries (ShardedIndex.build) as JSON
        self.by_key = by_key              # shard key -> its words, sorted
        self.keys = sorted(by_key)
        self.starts = list(accumulate((page.count for page in pages), initial=0))
        self.document_shards = _document_shards(pages)

    @classmethod
    def build(cls, index: dict, arabic: bool = False) -> ShardedIndex:
        docs = index["docs"]
        groups = _pages(docs)
        if [n for group in groups for n in group] != list(range(len(docs))):
            raise ValueError("the search index's sections do not follow their pages")
        _refuse_tags(docs)
        separator = separator_pattern(index["config"]["separator"])
        # Word shards: every token of the title and the text, with, for each document it appears
        # in, how often in the title, how often in the text, and where first (the count of tokens
        # before it, title first): what lunr's weights and the order of its terms depend on.
        # A word's entries are one flat list, four numbers a document, the document as the
        # difference from the one before (smaller once written out): a list for each entry was
        # 68 MB of a 100-workshop site's build.
        postings: dict[str, list[int]] = {}
        last: dict[str, int] = {}
        for number, doc in enumerate(docs):
            for word, in_title, in_text, first in _words_of(doc, separator):
                flat = postings.get(word)
                if flat is None:
                    flat = postings[word] = []
                flat += (number - last.get(word, -1), in_title, in_text, first)
                last[word] = number
        by_key: dict[str, list[str]] = {}
        for word in sorted(postings):
            by_key.setdefault(_word_key(word, arabic), []).append(word)
        pages = [_Page(_page_of(docs[group[0]]), [docs[n] for n in group], index_json=False) for group in groups]
        return cls(index["config"], arabic, pages, {word: _json(postings.pop(word)) for word in list(postings)},
                   by_key)

    @classmethod
    def from_files(cls, index: dict, word_shards: list[list[str]], scripts: list[str]) -> ShardedIndex | None:
        """The index split as `index` was, from the files it was split into: the manifest's
        words of each word shard and each word shard's file, w0.js first (None: they do not
        fit together). Only the documents are written out again, not the words' entries."""
        groups = _pages(index["docs"])
        if [n for group in groups for n in group] != list(range(len(index["docs"]))) or len(scripts) != len(word_shards):
            return None
        entries: dict[str, str] = {}
        for n, (shard_words, script) in enumerate(zip(word_shards, scripts, strict=True)):
            found = _entries_in(f"w{n}", script)
            if found is None or len(found) != len(shard_words):
                return None
            entries.update(zip(shard_words, found, strict=True))
        arabic = "ar" in index["config"].get("lang", [])
        by_key = {_word_key(shard_words[0], arabic): shard_words for shard_words in word_shards if shard_words}
        if len(by_key) != len(word_shards) or list(by_key) != sorted(by_key) or \
                len(entries) != sum(map(len, word_shards)):
            return None
        docs = index["docs"]
        pages = [_Page(_page_of(docs[group[0]]), [docs[n] for n in group], index_json=False) for group in groups]
        return cls(index["config"], arabic, pages, entries, by_key)

    def manifest(self) -> dict:
        return {
            "documents": self.starts[-1],
            "documentShards": [self.starts[shard[0]] for shard in self.document_shards],
            "pages": self.starts[:-1],
            "wordShards": [self.by_key[key] for key in self.keys],
        }

    def file_names(self) -> list[str]:
        return [f"w{n}.js" for n in range(len(self.keys))] + [f"d{n}.js" for n in range(len(self.document_shards))]

    def shard_data(self, name: str) -> str:
        """The JSON of file `name` (w<N>.js: each word's entries; d<N>.js: whole documents)."""
        n = int(name[1:-3])
        if name[0] == "w":
            return "[" + ",".join(self.entries[word] for word in self.by_key[self.keys[n]]) + "]"
        return "[" + ",".join(self.pages[p].shard_json for p in self.document_shards[n]) + "]"

    def shard_script(self, name: str) -> str:
        return _script_of(name[:-3], self.shard_data(name))

    def small_index(self) -> str:
        """search/search_index.json: Material's settings and the manifest, no documents."""
        return _json({"config": {**self.config, "teachforward": self.manifest()}, "docs": []})

    def whole_index(self) -> str:
        """search_index.full.json: the index as Material writes it for these documents."""
        return ('{"config":' + _index_entry(self.config) + ',"docs":['
                + ",".join(page.index_json for page in self.pages) + "]}")

    def updated(self, fresh: dict[str, list[dict]], order: list[str]) -> tuple[ShardedIndex, set[str]] | None:
        """This index with the documents of the pages in `fresh` (those rendered again; a page may
        have none) replaced, the pages in the site's `order`, and the names of the files whose
        bytes may differ from this index's file of the same name; None where the pages are not
        those of this index in this order (then build it from scratch)."""
        position = {url: n for n, url in enumerate(order)}
        if any(page.url not in position for page in self.pages) or \
                [position[page.url] for page in self.pages] != sorted(position[page.url] for page in self.pages):
            return None
        for docs in fresh.values():
            _refuse_tags(docs)
        kept = {page.url: page for page in self.pages}
        pages: list[_Page] = []
        for url in order:
            old = kept.get(url)
            if url not in fresh:
                if old is not None:
                    pages.append(old)
            elif fresh[url]:
                page = _Page(url, fresh[url])
                pages.append(old if old is not None and old.shard_json == page.shard_json else page)
        replaced = _replacements(self.pages, pages, position)
        if not replaced:
            return self, set()
        entries, touched = self._entries_after(replaced)
        by_key = dict(self.by_key)
        for word in touched:
            key = _word_key(word, self.arabic)
            words_of_key = by_key.get(key, [])
            if word in entries and word not in self.entries:
                by_key[key] = words_of_key = list(words_of_key)
                insort(words_of_key, word)
            elif word not in entries:
                by_key[key] = words_of_key = [w for w in words_of_key if w != word]
                if not words_of_key:
                    del by_key[key]
        updated = ShardedIndex(self.config, self.arabic, pages, entries, by_key)
        touched_keys = {_word_key(word, self.arabic) for word in touched}
        changed = {f"w{n}.js" for n, key in enumerate(updated.keys)
                   if key in touched_keys or n >= len(self.keys) or self.keys[n] != key}
        changed |= {f"d{n}.js" for n, shard in enumerate(updated.document_shards)
                    if n >= len(self.document_shards) or [self.pages[p] for p in self.document_shards[n]]
                    != [pages[p] for p in shard]}
        return updated, changed

    def _entries_after(self, replaced: list[_Replacement]) -> tuple[dict[str, str], set[str]]:
        """Each word's entries once the documents are replaced, and the words whose entries changed."""
        old_found: list[dict[str, list[tuple[int, int, int, int]]]] = []
        new_found: list[dict[str, list[tuple[int, int, int, int]]]] = []
        for replacement in replaced:
            old_found.append(self._found(replacement.old, replacement.old_start))
            new_found.append(self._found(replacement.new, replacement.new_start))
        renumbered = any(r.old_start != r.new_start or r.old_end != r.new_end for r in replaced)
        if renumbered:       # a page's number of documents changed: the numbers after it moved
            candidates = set(self.entries).union(*new_found)
        else:
            candidates = {word for old, new in zip(old_found, new_found, strict=True)
                          for word in old.keys() | new.keys() if old.get(word) != new.get(word)}
        entries = dict(self.entries)
        touched: set[str] = set()
        for word in candidates:
            before = self.entries.get(word)
            flat = _spliced(json.loads(before) if before else [],
                            [(r, found.get(word, ())) for r, found in zip(replaced, new_found, strict=True)])
            after = _json(flat) if flat else None
            if after == before:
                continue
            touched.add(word)
            if after is None:
                del entries[word]
            else:
                entries[word] = after
        return entries, touched

    def _found(self, pages: list[_Page], start: int) -> dict[str, list[tuple[int, int, int, int]]]:
        """Each word of these pages' documents, numbered from `start`: its entries."""
        found: dict[str, list[tuple[int, int, int, int]]] = {}
        number = start
        for page in pages:
            for doc in page.docs():
                for word, in_title, in_text, first in _words_of(doc, self.separator):
                    found.setdefault(word, []).append((number, in_title, in_text, first))
                number += 1
        return found


class _Replacement:
    """Consecutive pages whose documents changed: the old documents [old_start, old_end) are
    replaced by the new ones [new_start, new_end) (numbered as in the new index)."""
    __slots__ = ("old", "new", "old_start", "old_end", "new_start", "new_end")

    def __init__(self, old: list[_Page], new: list[_Page], old_start: int, new_start: int):
        self.old, self.new = old, new
        self.old_start, self.new_start = old_start, new_start
        self.old_end = old_start + sum(page.count for page in old)
        self.new_end = new_start + sum(page.count for page in new)


def _replacements(old: list[_Page], new: list[_Page], position: dict[str, int]) -> list[_Replacement]:
    """Where two lists of pages in the same order differ (a page kept as it was is the same object)."""
    found: list[_Replacement] = []
    i = j = old_start = new_start = 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and old[i] is new[j]:
            old_start += old[i].count
            new_start += new[j].count
            i, j = i + 1, j + 1
            continue
        old_run: list[_Page] = []
        new_run: list[_Page] = []
        run_old_start, run_new_start = old_start, new_start
        while (i < len(old) or j < len(new)) and not (i < len(old) and j < len(new) and old[i] is new[j]):
            at_old = position[old[i].url] if i < len(old) else len(position)
            at_new = position[new[j].url] if j < len(new) else len(position)
            if at_old <= at_new:
                old_run.append(old[i])
                old_start += old[i].count
                i += 1
            if at_new <= at_old:
                new_run.append(new[j])
                new_start += new[j].count
                j += 1
        found.append(_Replacement(old_run, new_run, run_old_start, run_new_start))
    return found


def _spliced(flat: list[int], replaced: list[tuple[_Replacement, object]]) -> list[int]:
    """A word's flat entries (ShardedIndex.build) with, for each replacement, its entries among the old
    documents taken out and its entries among the new ones (numbered anew) put in; the entries
    between are moved by how many documents came or went before them. The entries in between
    keep their differences from the one before: only the first of each run is written anew."""
    numbers = list(accumulate(flat[0::4], initial=-1))[1:]       # the document of each entry
    out: list[int] = []
    last = -1
    done = moved = 0

    def copy(lo: int, hi: int) -> None:
        nonlocal last
        if lo < hi:
            out.append(numbers[lo] + moved - last)
            out.extend(flat[4 * lo + 1:4 * hi])
            last = numbers[hi - 1] + moved

    for replacement, entries in replaced:
        lo = bisect_left(numbers, replacement.old_start, done)
        hi = bisect_left(numbers, replacement.old_end, lo)
        copy(done, lo)
        for number, in_title, in_text, first in entries:      # type: ignore[attr-defined]
            out += (number - last, in_title, in_text, first)
            last = number
        done, moved = hi, replacement.new_end - replacement.old_end
    copy(done, len(numbers))
    return out


def _document_shards(pages: list[_Page]) -> list[list[int]]:
    """Page numbers grouped into document shards: consecutive pages, up to about
    DOCUMENT_SHARD_CHARS of text."""
    shards: list[list[int]] = []
    size = 0
    for number, page in enumerate(pages):
        if shards and size + page.chars <= DOCUMENT_SHARD_CHARS:
            shards[-1].append(number)
            size += page.chars
        else:
            shards.append([number])
            size = page.chars
    return shards


def _refuse_tags(docs: list[dict]) -> None:
    if any(doc.get("tags") for doc in docs):
        raise ValueError("the search shards do not support tags (Material's tags plugin): "
                         "leave the plugin out or extend site/search_shards.py")


def _words_of(doc: dict, separator: re.Pattern[str]) -> tuple[tuple[str, int, int, int], ...]:
    return _document_words(doc.get("title") or "", doc.get("text") or "", separator)


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


def _script_of(name: str, data: str) -> str:
    """A shard's file: `data` (its JSON) handed to the search worker."""
    return f"__teachforwardShard({json.dumps(name)},{data})\n"


def _entries_in(name: str, script: str) -> list[str] | None:
    """Each word's entries, as JSON, from a word shard's file (_script_of)."""
    start, end = f"__teachforwardShard({json.dumps(name)},[", "])\n"
    if not (script.startswith(start) and script.endswith(end)):
        return None
    inner = script[len(start):-len(end)]
    if not inner:
        return []
    if not (inner.startswith("[") and inner.endswith("]")):
        return None
    return [f"[{flat}]" for flat in inner[1:-1].split("],[")]      # entries are numbers only


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def write_search_shards(site_dir: Path, write: Callable[[bytes, str], None]) -> ShardedIndex | None:
    """Split site_dir/search/search_index.json (see the module docstring). `write(data: bytes,
    path: str)` writes a file (fsutil.write_changed in a build). Returns the index split (None:
    there was none, or it was split already)."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return None
    text = index_path.read_text(encoding="utf-8")
    index = json.loads(text)
    if not index.get("docs") and "teachforward" in index.get("config", {}):
        return None                              # already split (nothing was rebuilt)
    sharded = ShardedIndex.build(index, arabic="ar" in index["config"].get("lang", []))
    names = sharded.file_names()
    shard_dir = site_dir / SHARDS
    if shard_dir.is_dir():
        wanted = set(names)
        for old in shard_dir.iterdir():
            if old.name not in wanted:
                old.unlink()
    for name in names:
        write(sharded.shard_script(name).encode("utf-8"), str(shard_dir / name))
    write(text.encode("utf-8"), str(site_dir / FULL_INDEX))
    write(sharded.small_index().encode("utf-8"), str(index_path))
    return sharded
