"""Weight: a workshop page's first load, with everything it fetches (styles, scripts, pictures,
the search worker and the language's search index), stays under 500 KB compressed."""
from __future__ import annotations

import gzip

import pytest

from .conftest import DESKTOP, REPORT, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUDGET = 500 * 1024


def test_workshop_page_first_load_stays_under_500_kb(site, browser, lang):
    context = browser.new_context(**DESKTOP)     # a new context: nothing cached
    responses = []
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    try:
        open_page(page, site.url(lang, site.page_types(lang)["workshop"]))
        page.wait_for_load_state("networkidle")
        sizes = {}
        for response in responses:
            if response.status == 200:
                body = response.body()
                sizes[response.url] = (len(body), len(gzip.compress(body)))
    finally:
        context.close()
    raw, compressed = sum(s[0] for s in sizes.values()), sum(s[1] for s in sizes.values())
    heaviest = sorted(sizes.items(), key=lambda item: -item[1][1])[:3]
    line = (f"{compressed / 1024:.0f} KB gzip ({raw / 1024:.0f} KB as served) in {len(sizes)} responses; heaviest: "
            + ", ".join(f"{url.rsplit('/', 1)[-1] or url} {gz / 1024:.0f} KB" for url, (_, gz) in heaviest))
    REPORT[f"first load of a {lang} workshop page"] = line
    print(line)
    assert any(url.endswith("search_index.json") for url in sizes), "the search index was not counted"
    assert compressed < BUDGET, f"a {lang} workshop page weighs {line}"
