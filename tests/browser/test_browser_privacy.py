"""Privacy, as the credits page promises it: every request a page makes stays on the machine
that serves the site (127.0.0.1 here), no cookie is set, nothing tracks the visitor."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .conftest import open_page
from .test_browser_navigation import search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRACKERS = re.compile(r"google-analytics|googletagmanager|gtag\(|_paq\.push|matomo|plausible\.io|umami|"
                      r"connect\.facebook|hotjar|segment\.com|mixpanel|posthog|clarity\.ms|cloudflareinsights",
                      re.I)


def stays_here(url: str, site) -> bool:
    parts, here = urlsplit(url), urlsplit(site.base)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port == here.port


def test_no_request_leaves_the_server(tours, site, desktop, lang):
    tour = tours.of(lang)
    requests = list(tour.requests)
    # The tour does not wait for search: one more visit that searches and opens a page with pictures.
    desktop.on("request", lambda request: requests.append(("search visit", request.url)))
    page = desktop.new_page()
    open_page(page, site.url(lang))
    search(page, site.shared_word() or "data")
    open_page(page, site.url(lang, site.page_types(lang).get("notes", "")))
    page.wait_for_load_state("networkidle")
    urls = [url for _, url in requests]
    assert any(url.endswith("/search/search_index.json") for url in urls), "the recorder missed the search index"
    assert len({p for p, _ in requests}) >= len(site.page_types(lang)), "the recorder missed pages"
    leaving = sorted({f"{url} (from {page})" for page, url in requests if not stays_here(url, site)})
    assert not leaving, f"{len(leaving)} request(s) left 127.0.0.1:\n" + "\n".join(leaving[:20])
    assert not [url for url in urls if TRACKERS.search(url)]


def test_no_cookie_and_no_analytics(tours, site, lang):
    tour = tours.of(lang)
    for width, cookies in tour.cookies.items():
        assert cookies == [], f"the {lang} pages set cookies ({width}): {cookies}"
    problems = [f"{v.kind} ({v.width}): document.cookie={v.facts['cookie']!r}" for v in tour.visits if v.facts["cookie"]]
    problems += [f"{v.kind} ({v.width}): tracking globals {v.facts['trackers']}" for v in tour.visits if v.facts["trackers"]]
    for page in sorted((site.root / lang).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        # What runs or loads: scripts, and the addresses of scripts, styles, pictures and frames
        # (a workshop may well name a tracker in its prose).
        code = re.findall(r"<script\b[^>]*>.*?</script>", text, re.S | re.I)
        code += re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text, re.I)
        found = [TRACKERS.search(piece).group(0) for piece in code if TRACKERS.search(piece)]
        if found:
            problems.append(f"{page.relative_to(site.root)}: {found}")
    assert not problems, "\n".join(problems)
