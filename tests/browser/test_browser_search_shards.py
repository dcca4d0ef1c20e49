"""The search in shards answers exactly as the whole index does.

In a page of each language's site, two copies of the site's own search worker are started: one
given the whole index (search/search_index.full.json, as Material's search would have it), one
given what the page gives it (search/search_index.json: the manifest, then shards on demand).
Both are asked the same queries (words of the index chosen by rank, prefixes, inflected forms,
two-word queries, the language's own word and the word all languages share and, for Arabic,
the spelling variants the browser tests type) and must answer the same results: the same
documents, in the same order, with the same scores, highlights and missing-word notes.
"""
from __future__ import annotations

import json

import pytest

from .conftest import DESKTOP, MODES, found_pages, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMPARE = """async ({queries}) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base, location.href);
  const full = await (await fetch(new URL("search/search_index.full.json", base))).json();
  const small = await (await fetch(new URL("search/search_index.json", base))).json();
  const fetched = [];
  function start(index) {
    const worker = new Worker(new URL(config.search, location.href));
    const waiting = [];
    worker.onmessage = (event) => waiting.shift()(event.data);
    const ask = (message) => new Promise((resolve) => { waiting.push(resolve); worker.postMessage(message); });
    const ready = ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
    return {ask, ready, worker};
  }
  const whole = start(full), parts = start(small);
  await whole.ready; await parts.ready;
  const answers = [];
  for (const query of queries) {
    const a = await whole.ask({type: 2, data: query});
    const b = await parts.ask({type: 2, data: query});
    // Results past the first ten pages come as stand-ins; the page asks for them when shown.
    const waiting = [];
    for (const group of b.data.items) for (const item of group) {
      const match = /data-tf-doc="(\\d+)"/.exec(item.title);
      if (match) waiting.push([item, Number(match[1])]);
    }
    const stood = waiting.length;
    if (stood) {
      const filled = await parts.ask({type: 100, data: waiting.map(([, n]) => n)});
      const by = {};
      for (const found of filled.data) by[found.number] = found;
      for (const [item, n] of waiting) {
        const {number, ...found} = by[n];
        delete item.parent;
        Object.assign(item, found);
      }
    }
    answers.push([query, a, b, stood]);
  }
  whole.worker.terminate(); parts.worker.terminate();
  return {answers, documents: full.docs.length, manifest: !small.docs.length && !!small.config.teachforward};
}"""

VARIANTS = (("\u0627", "\u0623"), ("\u064a", "\u0649"), ("\u0629", "\u0647"))


def queries_for(site, lang: str) -> list[str]:
    counts = site.words(lang)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    picked = ranked[:6] + ranked[len(ranked) // 2:len(ranked) // 2 + 4] + ranked[-4:]
    queries = list(picked)
    queries += [w[:3] for w in picked[:4]] + [w[:5] for w in picked[4:8]]
    queries += [w + "s" for w in picked[:3]] + [w[:-1] for w in picked[3:6]]
    queries += [f"{a} {b}" for a, b in zip(picked[:3], picked[-3:], strict=True)]
    own = site.own_word(lang)
    if own:
        queries.append(own[0])
    shared = site.shared_word()
    if shared:
        queries.append(shared)
    if lang == "ar":
        for word in picked[:5]:
            queries.append("\u0627\u0644" + word)
            queries.append(word[0] + "\u064e" + word[1:])            # with a fatha
            queries.append(word[0] + "\u0640" + word[1:])            # with a tatweel
            for plain, other in VARIANTS:
                if plain in word:
                    queries.append(word.replace(plain, other, 1))
    queries += ["", "zzzzqx", ranked[0] + " " + ranked[0]]
    return list(dict.fromkeys(queries))


def test_shards_answer_as_the_whole_index(site, search_pages, lang):
    queries = queries_for(site, lang)
    page, _ = search_pages.open(lang, "http")       # any page of the site: COMPARE starts workers of its own
    found = page.evaluate(COMPARE, {"queries": queries})
    assert found["manifest"], "the page's search_index.json should hold the manifest and no document"
    differing, hits = [], 0
    for query, whole, parts, _stood in found["answers"]:
        assert whole["type"] == 3 and parts["type"] == 3, f"{query!r}: no result message"
        assert parts.get("query") == query, f"{query!r}: the answer does not say which query it answers"
        if json.dumps(whole["data"], sort_keys=True) != json.dumps(parts["data"], sort_keys=True):
            differing.append(query)
        hits += bool(whole["data"]["items"])
    assert not differing, f"{lang}: the shards answer otherwise than the whole index for {differing}"
    assert hits >= len(queries) // 2, f"{lang}: only {hits} of {len(queries)} queries found anything"


SCROLLED = """async () => {
  const box = document.querySelector(".md-search__scrollwrap");
  for (let i = 0; i < 200; i++) {
    const before = document.querySelectorAll(".md-search-result__item").length;
    box.scrollTop = box.scrollHeight;
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (document.querySelectorAll(".md-search-result__item").length === before && i > 5) break;
  }
  return document.querySelectorAll(".md-search-result__item").length;
}"""

FILLED = """() => ({
  waiting: document.querySelectorAll(".md-search-result__list [data-tf-doc]").length,
  standIns: [...document.querySelectorAll("a.md-search-result__link")].filter(a => /\\/tf-\\d+\\.html/.test(a.href)).length,
  items: document.querySelectorAll(".md-search-result__item").length,
  titles: [...document.querySelectorAll(".md-search-result__article h1, .md-search-result__article h2")]
    .filter(h => !h.textContent.trim()).length,
})"""


@pytest.mark.parametrize("mode", MODES)
def test_results_shown_on_scrolling_get_their_titles_texts_and_addresses(site, search_pages, lang, mode):
    counts = site.words(lang)
    word = max(sorted(counts), key=lambda w: counts[w])         # in most documents: many pages of results
    page, base = search_pages.open(lang, mode)
    first = found_pages(page, base, word)
    assert len(first) >= 10, f"{mode}: {word!r} should find more pages than Material shows at first"
    shown = page.evaluate(SCROLLED)
    assert shown > 10, f"{mode}: scrolling showed no more results for {word!r}"
    page.wait_for_function("() => !document.querySelector('.md-search-result__list [data-tf-doc]')",
                           polling=100, timeout=15000)
    state = page.evaluate(FILLED)
    assert state == {"waiting": 0, "standIns": 0, "items": shown, "titles": 0}, f"{mode}: after scrolling: {state}"


TYPED = """async ({queries}) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base, location.href);
  const small = await (await fetch(new URL("search/search_index.json", base))).json();
  const worker = new Worker(new URL(config.search, location.href));
  const answers = [];
  let ready;
  const isReady = new Promise((resolve) => { ready = resolve; });
  worker.onmessage = (event) => event.data.type === 1 ? ready() : answers.push(event.data.query);
  worker.postMessage({type: 0, data: {config: small.config, docs: small.docs, options: {suggest: false}}});
  await isReady;
  for (const query of queries) worker.postMessage({type: 2, data: query});   // as fast as keys come
  for (let i = 0; i < 300 && answers[answers.length - 1] !== queries[queries.length - 1]; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  worker.terminate();
  return answers;
}"""


def test_a_word_typed_letter_by_letter_is_answered_once_not_prefix_by_prefix(site, browser, lang):
    """Each keystroke is a query. A query's steps are promises, which run before the next message
    reaches the worker: without a pause for waiting messages, every prefix was searched in turn
    and an Arabic word typed quickly was answered after 6 to 14 seconds."""
    counts = site.words(lang)
    word = max((w for w in counts if len(w) >= 8), key=lambda w: (counts[w], w))
    queries = [word[:n] for n in range(1, len(word) + 1)]
    context = browser.new_context(**DESKTOP)
    try:
        page = context.new_page()
        open_page(page, site.url(lang, site.page_types(lang)["workshop"]))
        answers = page.evaluate(TYPED, {"queries": queries})
    finally:
        context.close()
    assert answers and answers[-1] == word, f"{lang}: the last answer is not the word typed: {answers}"
    assert len(answers) < len(queries) // 2, f"{lang}: the prefixes overtaken were searched all the same: {answers}"
