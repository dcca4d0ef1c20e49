"""The search index split into a manifest and shards (site/search_shards.py). That the browser
answers from them exactly as from the whole index: tests/browser/test_browser_search_shards.py."""
from __future__ import annotations

import json
import random
import re
import zipfile
from pathlib import Path

import pytest

from teachforward.site import search_shards
from teachforward.site.offline import zip_tree
from teachforward.site.search_shards import (
    FULL_INDEX,
    SHARDS,
    ShardedIndex,
    separator_pattern,
    shard_index,
    words,
    write_search_shards,
)

CONFIG = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": ["trimmer", "stopWordFilter", "stemmer"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}


def index(docs: list[dict], config: dict = CONFIG) -> dict:
    return {"config": config, "docs": docs}


def doc(location: str, title: str, text: str) -> dict:
    return {"location": location, "title": title, "text": text}


DOCS = [
    doc("index.html", "Home", "<p>Data at <em>work</em></p>"),
    doc("index.html#why", "Why", "<p>Workers' data-rights, and the DATA\u00a0law.</p>"),
    doc("notes.html", "Notes", "<ul><li>algorithms</li></ul>"),
    doc("notes.html#more", "More on data", "<p>a > b</p><p>\ufeffbom</p>"),
]


def decode(flat: list[int]) -> list[tuple[int, int, int, int]]:
    """(document, in title, in text, first place) from a word's flat entry."""
    entries, number = [], -1
    for i in range(0, len(flat), 4):
        number += flat[i]
        entries.append((number, flat[i + 1], flat[i + 2], flat[i + 3]))
    return entries


def postings(manifest: dict, files: dict) -> dict[str, list[tuple[int, int, int, int]]]:
    found = {}
    for n, shard_words in enumerate(manifest["wordShards"]):
        for word, flat in zip(shard_words, files[f"w{n}.js"], strict=True):
            assert word not in found, f"{word!r} is in two shards"
            found[word] = decode(flat)
    return found


def test_words_are_cut_as_materials_tokenizer_cuts_them():
    separator = separator_pattern(CONFIG["separator"])
    assert list(words("<p>Data at <em>work</em></p>", separator)) == ["data", "at", "work"]
    # JavaScript's \s: a no-break space and a byte-order mark separate words (Python's \s
    # would keep "\ufeffbom" in one piece).
    assert list(words("DATA\u00a0law \ufeffbom", separator)) == ["data", "law", "bom"]
    assert list(words("data-rights", separator)) == ["data", "rights"]
    # Material's extract drops the text before a ">" that closes no tag, as the browser does.
    assert list(words("<p>a > b</p>", separator)) == ["b"]


def test_a_separator_python_cannot_read_is_a_clear_error():
    with pytest.raises(ValueError, match="separator"):
        separator_pattern("[\\s")


def test_every_word_lists_its_documents_with_its_counts_and_first_place():
    manifest, files = shard_index(index(DOCS))
    assert manifest["documents"] == len(DOCS)
    assert manifest["pages"] == [0, 2]
    found = postings(manifest, files)
    separator = separator_pattern(CONFIG["separator"])
    expected: dict[str, list[tuple[int, int, int, int]]] = {}
    for number, entry in enumerate(DOCS):
        title, text = list(words(entry["title"], separator)), list(words(entry["text"], separator))
        both = title + text
        for word in dict.fromkeys(both):
            expected.setdefault(word, []).append((number, title.count(word), text.count(word), both.index(word)))
    assert found == expected
    # "data": in the text of 0 (first token after the title's one), twice in 1, in 3's title.
    assert found["data"] == [(0, 0, 1, 1), (1, 0, 2, 2), (3, 1, 0, 2)]


def test_tags_are_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="tags"):
        shard_index(index([{**DOCS[0], "tags": ["x"]}]))


def test_document_shards_hold_whole_pages_in_order():
    many = [doc(f"p{n}.html", f"Page {n}", "<p>" + "word " * 3000 + "</p>") for n in range(3)]
    many.insert(1, doc("p0.html#part", "Part", "<p>section</p>"))
    manifest, files = shard_index(index(many))
    shards = [files[f"d{n}.js"] for n in range(len(manifest["documentShards"]))]
    assert [entry for shard in shards for entry in shard] == many
    assert manifest["documentShards"] == [0, 2, 3]           # p0 with its section, then one page each
    for shard in shards:
        assert shard[0]["location"].count("#") == 0, "a shard starts with a page, not a section"


def test_sections_away_from_their_page_are_refused():
    scattered = [doc("a.html", "A", ""), doc("b.html", "B", ""), doc("a.html#x", "X", "")]
    with pytest.raises(ValueError, match="follow their pages"):
        shard_index(index(scattered))


def test_arabic_words_with_and_without_the_article_share_a_shard():
    arabic = [doc("index.html", "ب", "<p>البيانات بيانات والبيانات بَيانات</p>")]
    manifest, _ = shard_index(index(arabic, {**CONFIG, "lang": ["ar"]}), arabic=True)
    together = [ws for ws in manifest["wordShards"] if "بيانات" in ws][0]
    assert {"البيانات", "والبيانات", "بَيانات"} <= set(together)


def write(data: bytes, path: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data)


def test_the_site_gets_a_manifest_shards_and_the_whole_index_aside(tmp_path):
    site = tmp_path / "site"
    whole = json.dumps(index(DOCS))
    write(whole.encode(), str(site / "search" / "search_index.json"))
    write(b"stale", str(site / SHARDS / "w999.js"))
    write_search_shards(site, write)
    small = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert small["docs"] == [] and small["config"]["lang"] == ["en"]
    assert small["config"]["teachforward"]["documents"] == len(DOCS)
    assert (site / FULL_INDEX).read_text(encoding="utf-8") == whole
    names = sorted(p.name for p in (site / SHARDS).iterdir())
    assert "w999.js" not in names
    for name in names:
        text = (site / SHARDS / name).read_text(encoding="utf-8")
        match = re.fullmatch(r'__teachforwardShard\("(\w+)",(.*)\)\n', text, re.S)
        assert match and match.group(1) == name[:-3]
        json.loads(match.group(2))
    before = {p.name: p.read_bytes() for p in (site / SHARDS).iterdir()}
    write_search_shards(site, write)                 # already split: nothing changes
    assert {p.name: p.read_bytes() for p in (site / SHARDS).iterdir()} == before
    assert json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8")) == small


def test_the_same_index_gives_the_same_shards():
    assert shard_index(index(DOCS)) == shard_index(json.loads(json.dumps(index(DOCS))))


def test_the_offline_pack_leaves_the_whole_index_out(tmp_path):
    site = tmp_path / "site"
    write(b"{}", str(site / "search" / "search_index.json"))
    write(b"{}", str(site / FULL_INDEX))
    write(b"x", str(site / SHARDS / "w0.js"))
    target = tmp_path / "pack.zip"
    zip_tree(site, target, prefix="p")
    names = zipfile.ZipFile(target).namelist()
    assert "p/search/search_index.json" in names and "p/search/shards/w0.js" in names
    assert "p/" + FULL_INDEX not in names


# An index updated page by page (ShardedIndex.updated, as a dirty build does in the process that
# built the site last) gives the files of one split from scratch.

VOCABULARY = ["data", "work", "worker", "rights", "union", "law", "algorithm", "zebra", "zulu", "Ärger",
              "ölig", "x-ray", "2024", "quiet", "queue", "البيانات", "بيانات", "والبيانات", "بَيانات"]


def random_page(rng: random.Random, url: str) -> list[dict]:
    def text() -> str:
        return "<p>" + " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(0, 8))) + "</p>"
    docs = [doc(url, rng.choice(VOCABULARY).title(), text())]
    docs += [doc(f"{url}#s{n}", rng.choice(VOCABULARY), text()) for n in range(rng.randint(0, 3))]
    return docs


def edited(rng: random.Random, docs: list[dict]) -> list[dict]:
    """A page's documents after an edit: a section's words changed, a section added or taken out."""
    docs = [dict(d) for d in docs]
    choice = rng.randrange(4)
    if choice == 0 or len(docs) == 1:
        target = rng.randrange(len(docs))
        docs[target]["text"] = docs[target]["text"].replace("</p>", f" {rng.choice(VOCABULARY)}</p>")
    elif choice == 1:
        docs.append(doc(f"{docs[0]['location']}#new{rng.randrange(99)}", "New", f"<p>{rng.choice(VOCABULARY)}</p>"))
    elif choice == 2:
        docs.pop(rng.randrange(1, len(docs)))
    else:
        docs[0]["text"] = "<p>" + docs[0]["text"][3:]           # the same words: nothing changes
    return docs


def files_of(sharded) -> dict[str, str]:
    return {name: sharded.shard_script(name) for name in sharded.file_names()}


@pytest.mark.parametrize(("seed", "lang"), [(seed, lang) for seed in range(4) for lang in ("en", "ar")])
def test_an_index_updated_page_by_page_gives_what_splitting_it_from_scratch_gives(seed, lang, monkeypatch):
    monkeypatch.setattr(search_shards, "DOCUMENT_SHARD_CHARS", 90)    # several pages a shard, regrouped by edits
    rng = random.Random(seed)
    config = {**CONFIG, "lang": [lang]}
    order = [f"p{n}.html" for n in range(12)]
    pages = {url: random_page(rng, url) for url in order}
    pages["p3.html"] = []                                              # a page with nothing to index
    sharded = ShardedIndex.build(index([d for url in order for d in pages[url]], config), arabic=lang == "ar")
    for _ in range(25):
        fresh = {}
        for url in rng.sample(order, rng.randint(1, 3)):
            roll = rng.random()
            fresh[url] = [] if roll < 0.1 else random_page(rng, url) if roll < 0.25 or not pages[url] \
                else edited(rng, pages[url])
        pages.update(fresh)
        docs = [d for url in order for d in pages[url]]
        found = sharded.updated(fresh, order)
        assert found is not None
        updated, changed = found
        expected = ShardedIndex.build(json.loads(json.dumps(index(docs, config))), arabic=lang == "ar")
        assert updated.manifest() == expected.manifest()
        assert files_of(updated) == files_of(expected)
        assert updated.whole_index() == json.dumps(index(docs, config), separators=(",", ":"))
        assert updated.small_index() == expected.small_index()
        before = files_of(sharded)
        assert {name for name, text in files_of(updated).items() if before.get(name) != text} <= changed, \
            "a file whose bytes changed is not among those to write"
        sharded = updated


def test_an_edit_of_one_section_changes_only_the_shards_of_its_words():
    docs = [doc(f"p{n}.html", f"Page {n}", f"<p>common words and {'abcdefghij'[n]}{n}special</p>") for n in range(10)]
    sharded = ShardedIndex.build(index(docs))
    updated, changed = sharded.updated({"p4.html": [doc("p4.html", "Page 4", "<p>common words and e4special wordy</p>")]},
                                       [f"p{n}.html" for n in range(10)])
    keys = updated.manifest()["wordShards"]
    assert keys == [[*shard_words, "wordy"] if "words" in shard_words else shard_words
                    for shard_words in sharded.manifest()["wordShards"]]
    assert changed == {f"w{n}.js" for n, shard_words in enumerate(keys) if "wordy" in shard_words} | {"d0.js"}
    unchanged = sharded.updated({"p4.html": docs[4:5]}, [f"p{n}.html" for n in range(10)])
    assert unchanged == (sharded, set())


def test_pages_not_in_the_sites_order_are_left_to_a_split_from_scratch():
    sharded = ShardedIndex.build(index(DOCS))
    assert sharded.updated({"notes.html": DOCS[2:]}, ["notes.html"]) is None            # index.html is gone
    assert sharded.updated({"notes.html": DOCS[2:]}, ["notes.html", "index.html"]) is None   # reordered
