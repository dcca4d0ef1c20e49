"""Fixtures of the browser suite: the real course built once per session into a temporary folder,
served on 127.0.0.1 by a threaded http.server; one Chromium for the tests, and the "tours" (every
page type of every language at both widths, with axe-core) taken in two background threads; one
page with the search ready per language and mode (http, file), shared by the tests that search.

Every browser test needs Debian's chromium (driven by Playwright): without it every browser test
fails under `make test` and is skipped elsewhere, naming the package (tests/conftest.py).
"""
from __future__ import annotations

import functools
import http.server
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import pytest

from helpers import require_tool

from .site import BuiltSite, UnzippedPacks, source_languages

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

# Numbers worth seeing in every run, printed at the end of the session.
REPORT: dict[str, str] = {}


def pytest_generate_tests(metafunc):
    """A test that takes `lang` runs once per language of the sources; the `site` fixture then
    checks the built site has exactly those languages (test_site_has_every_language). The scope
    is the module's: a module's tests come grouped by language, so what a module sets up for a
    language (an opened search, a tour) is used by all its tests of that language in a row."""
    if "lang" in metafunc.fixturenames:
        metafunc.parametrize("lang", source_languages(), scope="module")


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("browser suite")
        for key, value in REPORT.items():
            terminalreporter.write_line(f"{key}: {value}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(real_course) -> BuiltSite:
    """The real course, built once per test run (tests/conftest.py), served on 127.0.0.1."""
    out = real_course.site
    REPORT["site build (decks, sites, offline packs)"] = f"{real_course.seconds:.1f} s"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield BuiltSite(out, f"http://127.0.0.1:{server.server_port}/", real_course.seconds)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def packs(site, tmp_path_factory) -> UnzippedPacks:
    """packs[lang]: the folder of the language's offline pack, unzipped once per test run."""
    return UnzippedPacks(site, tmp_path_factory.mktemp("packs"))


_SESSION = {"tours wanted": False}


def pytest_collection_finish(session):
    _SESSION["tours wanted"] = any("tours" in getattr(item, "fixturenames", ()) for item in session.items)


@pytest.fixture(scope="session")
def browser(request):
    chromium_path = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright
    if _SESSION["tours wanted"]:
        # The tours run in the background from the first browser test on, while the other tests
        # mostly wait (for search, for downloads): by the time theirs come, most are done.
        request.getfixturevalue("tours").start()
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.fixture
def desktop(browser):
    """A fresh desktop-width browser context (its own cookies and cache)."""
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()


# --- the tour: every page type of a language, at both widths, looked at once ------------------

PAGE_FACTS = """(width) => {
  const article = document.querySelector("article.md-content__inner");
  const skip = document.querySelector("a.md-skip");
  const href = skip ? skip.getAttribute("href") : null;
  const target = href && href.startsWith("#") ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  const wide = [];
  if (document.documentElement.scrollWidth > width) {
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (!box.width || box.right <= width + 1) continue;
      let clipped = false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
      }
      if (!clipped) wide.push(el.tagName.toLowerCase() + (typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " (right edge " + Math.round(box.right) + "px)");
    }
  }
  let agenda = null;
  const heading = document.getElementById("agenda");
  for (let el = heading && heading.nextElementSibling; el && !/^H[12]$/.test(el.tagName); el = el.nextElementSibling) {
    const table = el.tagName === "TABLE" ? el : el.querySelector("table");
    if (table) {
      agenda = {
        headers: [...table.querySelectorAll("thead th")].map(th => th.textContent.trim()),
        rows: [...table.querySelectorAll("tbody tr")].map(tr => [...tr.children].map(c => [c.tagName, c.textContent.trim()])),
      };
      break;
    }
  }
  return {
    title: document.title,
    lang: document.documentElement.getAttribute("lang"),
    bodyDir: document.body.getAttribute("dir"),
    direction: getComputedStyle(document.body).direction,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: wide.slice(0, 5),
    headings: article ? [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]
      .map(h => [Number(h.tagName[1]), h.textContent.trim()]) : [],
    skipHref: href,
    skipTargetExists: !!target,
    agenda,
    cookie: document.cookie,
    trackers: ["ga", "gtag", "dataLayer", "_gaq", "_paq", "plausible", "umami", "fbq", "mixpanel", "posthog", "_hsq"]
      .filter(name => name in window),
  };
}"""

SKIP_LINK_FOCUSED = """() => {
  document.getAnimations().forEach(animation => animation.finish());
  const el = document.activeElement;
  if (!el || !el.matches("a.md-skip")) return false;
  const box = el.getBoundingClientRect(), style = getComputedStyle(el);
  return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight && style.opacity === "1";
}"""

# Material's search box says it is ready (its placeholder replaces "Initializing search") once
# the search worker has loaded the language's index: the page has then made all its requests.
SEARCH_READY = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  const config = JSON.parse(document.getElementById("__config").textContent);
  return !!meta && meta.textContent.trim() === config.translations["search.result.placeholder"];
}"""


def open_page(page, url: str):
    """Go to url and wait until the page, its scripts and its search index have loaded."""
    response = page.goto(url)
    page.wait_for_function(SEARCH_READY, polling=50)
    return response


# --- searching ----------------------------------------------------------------------------

def settled_results(page, timeout: float = 15.0) -> list[str]:
    """The result links once the results have stopped changing."""
    read = """() => {
      const config = JSON.parse(document.getElementById("__config").textContent).translations;
      const meta = document.querySelector(".md-search-result__meta").textContent.trim();
      const links = [...document.querySelectorAll("a.md-search-result__link")].map(a => a.href);
      // With the index in shards, the list says which query it answers (teachforward.js).
      const answered = document.querySelector(".md-search-result").getAttribute("data-tf-answered");
      const typed = document.querySelector("input[data-md-component=search-query]").value;
      const waiting = meta === config["search.result.initializer"] || meta === config["search.result.placeholder"]
        || (answered !== null && answered !== typed);
      return {meta, links, waiting};
    }"""
    last, stable_since, deadline = None, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.evaluate(read)
        if state != last:
            last, stable_since = state, time.monotonic()
        elif not state["waiting"] and time.monotonic() - stable_since > 0.4:
            return state["links"]
        time.sleep(0.1)
    raise AssertionError(f"search results never settled: {last}")


MODES = ["http", "file"]       # the site from its web server, the unzipped offline pack from file://


def where(site, lang, mode, packs) -> str:
    return site.url(lang) if mode == "http" else packs[lang].as_uri() + "/"


def open_search(page, base: str, mode: str):
    if mode == "http":
        open_page(page, base + "index.html")
    else:
        page.goto(base + "index.html")
        page.click("input.md-search__input")    # from file:// Material loads the index when search opens
        page.wait_for_function(SEARCH_READY, polling=100)


def found_pages(page, base: str, query: str) -> list[str]:
    """Type query into an emptied search box, with no key after it; the pages of the results
    (a result outside base, another site's page, fails)."""
    page.click("input.md-search__input")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(query)
    links = settled_results(page)
    pages = []
    for link in links:
        assert link.startswith(base), f"searching {query!r} returned a page of another site: {link}"
        path = unquote(urlsplit(link[len(base):]).path) or "index.html"
        if path not in pages:
            pages.append(path)
    return pages


class SearchPages:
    """The search of each language's site, over http or from its unzipped pack, opened once per
    test run for every test that searches it (opening it loads and indexes the whole language),
    each in a desktop-width context of its own. found_pages() empties the box before each query."""

    def __init__(self, browser, site, packs):
        self.browser, self.site, self.packs = browser, site, packs
        self._open: dict[tuple[str, str], tuple] = {}      # (lang, mode) -> (context, page, base URL)

    def open(self, lang: str, mode: str) -> tuple:
        """(page, base URL) with the search box ready."""
        if (lang, mode) not in self._open:
            base = where(self.site, lang, mode, self.packs)
            context = self.browser.new_context(**DESKTOP)
            context.set_default_timeout(15_000)
            page = context.new_page()
            open_search(page, base, mode)
            self._open[lang, mode] = (context, page, base)
        _, page, base = self._open[lang, mode]
        return page, base

    def close(self) -> None:
        for context, _, _ in self._open.values():
            context.close()
        self._open.clear()


@pytest.fixture(scope="session")
def search_pages(browser, site, packs):
    pages = SearchPages(browser, site, packs)
    yield pages
    pages.close()


# Colours do not change with the width: contrast, axe-core's slowest rule, is checked at desktop width.
AXE_OPTIONS = {"desktop": {"resultTypes": ["violations"]},
               "phone": {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}}}


@dataclass
class Visit:
    lang: str
    kind: str            # page type: home, workshop, notes, ..., glossary, translation-status
    width: str           # desktop or phone
    url: str
    status: int
    errors: list[str]
    facts: dict
    violations: list[dict]
    skip_link: dict | None = None


@dataclass
class Tour:
    lang: str
    visits: list[Visit] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)   # (page, requested URL)
    cookies: dict[str, list] = field(default_factory=dict)          # width -> context.cookies()
    seconds: float = 0.0


class Tours:
    """Each language's tour, taken in two background threads (each with its own Playwright and
    Chromium), started by the first browser test of a session that has tours to take; a test
    then waits for the language it needs."""

    THREADS = 2

    def __init__(self, site: BuiltSite, axe, chromium: str):
        self.site, self.axe, self.chromium = site, axe, chromium
        self._futures: dict = {}
        self._pool = None
        self._stopping = False

    def of(self, lang: str) -> Tour:
        if lang not in self.site.languages:
            pytest.fail(f"the built site has no {lang!r} site (it has {', '.join(self.site.languages)})")
        self.start()
        return self._futures[lang].result(timeout=900)

    def close(self) -> None:
        self._stopping = True            # languages not started yet are left out
        if self._pool:
            self._pool.shutdown(wait=True)

    def start(self) -> None:
        if self._futures:
            return
        import queue
        from concurrent.futures import Future, ThreadPoolExecutor

        todo: queue.Queue = queue.Queue()
        for lang in self.site.languages:
            self._futures[lang] = Future()
            todo.put(lang)

        def next_language():
            if self._stopping:
                return None
            try:
                return todo.get_nowait()
            except queue.Empty:
                return None

        def worker():
            from playwright.sync_api import sync_playwright
            try:
                with sync_playwright() as playwright:
                    chromium = playwright.chromium.launch(executable_path=self.chromium, args=LAUNCH_ARGS)
                    try:
                        while (lang := next_language()) is not None:
                            future = self._futures[lang]
                            if future.set_running_or_notify_cancel():
                                try:
                                    future.set_result(self._take(chromium, lang))
                                except Exception as error:   # the test that asks for it reports it
                                    future.set_exception(error)
                    finally:
                        chromium.close()
            except Exception as error:   # Chromium did not start: every language left fails with why
                while (lang := next_language()) is not None:
                    if self._futures[lang].set_running_or_notify_cancel():
                        self._futures[lang].set_exception(error)

        self._pool = ThreadPoolExecutor(max_workers=self.THREADS, thread_name_prefix="tour")
        for _ in range(self.THREADS):
            self._pool.submit(worker)

    def _take(self, chromium, lang: str) -> Tour:
        tour, started = Tour(lang), time.monotonic()
        for width, options in WIDTHS.items():
            context = chromium.new_context(**options)
            context.set_default_timeout(15_000)
            current = {"url": ""}
            context.on("request", lambda request, current=current: tour.requests.append((current["url"], request.url)))
            # The search worker indexes the whole language on every page load: half the CPU of a
            # visit, and nothing the tour looks at (the search tests wait for it instead).
            context.route("**/assets/javascripts/workers/**", lambda route: route.abort())
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            for kind, path in self.site.page_types(lang).items():
                url = current["url"] = self.site.url(lang, path)
                errors.clear()
                response = page.goto(url)
                facts = page.evaluate(PAGE_FACTS, options["viewport"]["width"])
                skip = None
                if width == "desktop":
                    page.keyboard.press("Tab")
                    focused = page.evaluate(SKIP_LINK_FOCUSED)
                    page.keyboard.press("Enter")
                    skip = {"focused_and_visible": focused, "hash_after_enter": page.evaluate("location.hash")}
                # Folded content (possible responses) is checked too.
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                results = self.axe.run(page, options=AXE_OPTIONS[width]).response
                violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                               "targets": [n["target"] for n in v["nodes"]][:5]} for v in results["violations"]]
                tour.visits.append(Visit(lang, kind, width, url, response.status if response else 0,
                                         list(errors), facts, violations, skip))
            tour.cookies[width] = context.cookies()
            context.close()
        tour.seconds = time.monotonic() - started
        REPORT[f"tour of the {lang} site ({len(tour.visits)} page loads, axe-core on each)"] = f"{tour.seconds:.1f} s"
        return tour


@pytest.fixture(scope="session")
def tours(site, axe) -> Tours:
    tours = Tours(site, axe, require_tool("chromium", "chromium"))
    yield tours
    tours.close()
