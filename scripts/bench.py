"""Benchmark: the whole build on a synthetic course, against plain MkDocs and pandoc.

    .venv/bin/python scripts/bench.py [--workshops 6] [--languages 4] [--repeat 3]
                                      [--output bench-results.json] [--keep DIR] [--against OTHER.json]
    .venv/bin/python scripts/bench.py --serve-only COURSE      # (h) alone, on a course built before
    make bench

Makes a synthetic course of N workshops in M languages from the real one (scripts/synthetic_course.py),
then measures in one run, each repetition interleaved (full, no-change, edit, plain):
  (a) a full cold build, site and decks: `teachforward --root R build` after deleting build/ and site/;
  (b) the same build again at once, nothing changed;
  (c) a build after changing one sentence of one English section (two versions, alternately);
  (d) the baseline: plain `mkdocs build` of the same rendered Markdown (build/<lang>/docs), one
      language after the other, stock Material, no hooks, no macros, no decks;
  (e) deck generation against pandoc (scripts/bench_decks.py's measure());
  (f) the peak memory of the whole build process tree during the full builds;
  (g) the size of each language's search index;
  (h) `teachforward serve`: from writing the edited file to the edited page being served with the
      change (the page asked for over HTTP on 127.0.0.1 every RELOAD_POLL_S, for at most RELOAD_WAIT_S).
Prints medians (and minimums), the ratios with their targets, and writes everything to --output.

`--against OTHER.json` then compares the time per page with another results file (the target:
the larger course within 1.2x of the smaller one's per-page time); with `--compare-only` nothing
is run and the --output file is compared with OTHER.json.
"""
from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from synthetic_course import languages_for, make_course  # noqa: E402

BIN = Path(sys.executable).parent          # the venv's bin/: teachforward and mkdocs live beside python
SOURCE_DATE_EPOCH = "1700000000"
SAMPLE_SECONDS = 0.02
MB = 1024 * 1024

TARGETS = {   # key: (label, comparison, limit)
    "full_over_plain": ("(a)/(d) full/plain", "<=", 0.8),
    "noop_over_full": ("(b)/(a) noop/full", "<=", 0.2),
    "edit_over_full": ("(c)/(a) edit/full", "<=", 0.5),
    "peak_rss_mb": ("peak memory (RSS sum), MB", "<", 1024.0),
    "peak_pss_mb": ("peak memory (PSS sum), MB", "<", 1024.0),
    "decks_over_pandoc": ("decks/s ours/pandoc", ">=", 5.0),
    "serve_reload_s": ("(h) serve: save to reload, s", "<=", 0.5),
    "first_search_kb": ("page + first search, kB gz", "<", 500.0),
}
# For 100 workshops x 10 languages and larger courses, these limits instead of those above.
LARGE_COURSE, LARGE_COURSE_LIMITS = 100 * 10, {"edit_over_full": 0.15, "serve_reload_s": 1.5}
RELOAD_POLL_S = 0.02           # how often the edited page is asked for while serve rebuilds
RELOAD_WAIT_S = 120.0          # a reload that takes longer than this is a failure, not a figure
SERVE_START_WAIT_S = 1800.0    # the first build of serve (cold) may take this long
PER_PAGE_TARGET = 1.2          # per-page time of the larger course / the smaller one's


class BenchError(Exception):
    """A step failed: the message says which and what it printed."""


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["NO_MKDOCS_2_WARNING"] = "1"    # Material's notice, printed by the `mkdocs` command only (plain baseline)
    return env


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        raise BenchError(f"{path} does not exist: run this script with the virtual environment's python "
                         f"(.venv/bin/python scripts/bench.py, or make bench)")
    return str(path)


# --- memory: the resident set of a whole process tree -----------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return found


def _children_by_scan(pid: int) -> list[int]:
    """For kernels without /proc/<pid>/task/<tid>/children: every process whose parent is pid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found


HAS_CHILDREN_FILE = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


def tree_memory(pid: int, with_pss: bool = True) -> tuple[int, int]:
    """(sum of RSS, sum of PSS or 0), in bytes, of pid and all its descendants. RSS counts the
    memory that forked workers share with their parent once in every process; PSS divides each
    shared page among the processes sharing it, so its sum is the memory the build really holds.
    PSS costs the kernel a walk of the page tables: `with_pss` asks for it."""
    rss = pss = 0
    todo, seen = [pid], set()
    list_children = _children if HAS_CHILDREN_FILE else _children_by_scan
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as handle:
                rss += next((int(line.split()[1]) * 1024 for line in handle if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
        if with_pss:
            try:
                with open(f"/proc/{current}/smaps_rollup") as handle:
                    pss += next((int(line.split()[1]) * 1024 for line in handle if line.startswith("Pss:")), 0)
            except OSError:
                pass
        todo += list_children(current)
    return rss, pss


PSS_EVERY = 10      # samples: PSS every 200 ms, RSS every 20 ms


class PeakSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.samples = pid, 0, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss, pss = tree_memory(self.pid, with_pss=self.samples % PSS_EVERY == 0)
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            self.samples += 1
            self.done.wait(SAMPLE_SECONDS)


def run_timed(command: list[str], cwd: Path | None = None, sample: bool = False) -> tuple[float, tuple, str, int]:
    """Run a command; return (seconds, (peak RSS, peak PSS) of its process tree in bytes or zeros,
    output, exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    sampler = PeakSampler(process.pid) if sample else None
    if sampler:
        sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    if sampler:
        sampler.done.set()
        sampler.join()
    return seconds, (sampler.peak, sampler.peak_pss) if sampler else (0, 0), output, process.returncode


# --- the steps ---------------------------------------------------------------------------------

def build(course: Path, step: str) -> tuple[float, tuple]:
    seconds, peak, output, status = run_timed([tool("teachforward"), "--root", str(course), "build"],
                                              cwd=course, sample=True)
    if status != 0:
        raise BenchError(f"the {step} build failed (exit status {status}):\n{output.strip()}")
    return seconds, peak


class Edit:
    """One sentence of the body of one section of the first English workshop's notes, in two versions."""

    ADDED = " Ask the room whether anyone has seen this happen."

    def __init__(self, course: Path):
        workshops = sorted(p for p in (course / "workshops" / "en").iterdir() if p.is_dir())
        self.path = workshops[0] / "notes.md"
        self.original = self.path.read_text(encoding="utf-8")
        lines = self.original.split("\n")
        self.line = self._body_line(lines)
        if self.line is None:
            raise BenchError(f"{self.path}: found no body text to edit under a ## section")
        self.section = next(line for line in reversed(lines[:self.line]) if line.startswith("## "))
        self.count = 0

    @staticmethod
    def _body_line(lines: list[str]) -> int | None:
        in_section = fenced = False
        for number, line in enumerate(lines):
            if line.startswith("```"):
                fenced = not fenced
            if fenced:
                continue
            if line.startswith("## "):
                in_section = True
                continue
            text = line.strip()
            if in_section and text.endswith(".") and not text.startswith(("-", "*", "#", "!", "|", ">", "<", "[")) \
                    and not text[0].isdigit():
                return number
        return None

    def toggle(self) -> None:
        """Write the other version: every call is a real change of the English text."""
        self.count += 1
        lines = self.original.split("\n")
        if self.count % 2 == 1:
            lines[self.line] += self.ADDED
        self.path.write_text("\n".join(lines), encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def _free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> bytes | None:
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read()
    except (urllib.error.URLError, OSError):
        return None


def _poll(url: str, done, limit_s: float, step: str) -> float:
    """Ask for url every RELOAD_POLL_S until done(body); the seconds it took. Bounded in time
    (limit_s) and so in count."""
    start = time.perf_counter()
    for _ in range(int(limit_s / RELOAD_POLL_S) + 1):
        body = _fetch(url)
        if body is not None and done(body):
            return time.perf_counter() - start
        time.sleep(RELOAD_POLL_S)
    raise BenchError(f"{step}: {url} did not show the change within {limit_s:.0f} s")


def serve_reloads(course: Path, edit: Edit, repeat: int) -> list[float]:
    """(h) `teachforward serve`: from writing the edited file to the edited page being served
    with the change, measured over HTTP as a browser's reload would see it."""
    port = _free_port()
    page = f"http://127.0.0.1:{port}/en/workshops/{edit.path.parent.name}/notes.html"
    process = subprocess.Popen([tool("teachforward"), "--root", str(course), "serve", "--port", str(port)],
                               cwd=course, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _poll(page, lambda body: True, SERVE_START_WAIT_S, "serve's first build")
        time.sleep(1.0)          # serve takes its first look at the sources after its first build
        added = Edit.ADDED.strip()
        first = _fetch(page) or b""
        shown = first.decode("utf-8").count(added)    # the sentence may be on the page already
        times = []
        for _ in range(repeat):
            expected = shown + (1 if edit.count % 2 == 0 else -1)    # the next toggle adds it, or takes it out
            start = time.perf_counter()
            edit.toggle()
            _poll(page, lambda body, expected=expected: body.decode("utf-8").count(added) == expected,
                  RELOAD_WAIT_S, "serve after an edit")
            shown = expected
            times.append(time.perf_counter() - start)
            print(f"serve: save to reload {times[-1]:.2f} s", flush=True)
            time.sleep(0.5)
        return times
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _markdown_extensions_text(config: Path) -> str:
    """The markdown_extensions section of a config, as written (it holds !!python/name tags)."""
    lines = config.read_text(encoding="utf-8").split("\n")
    out, inside = [], False
    for line in lines:
        if inside and line and not line[0].isspace() and not line.startswith(("-", "#")):
            break
        if line.startswith("markdown_extensions:"):
            inside = True
        if inside:
            out.append(line)
    return "\n".join(out).rstrip() + "\n"


def write_plain_configs(course: Path, plain: Path) -> list[tuple[str, Path]]:
    """One stock mkdocs-material configuration per language, over build/<lang>/docs."""
    from mkdocs.utils import yaml_load

    with open(course / "mkdocs.yml", encoding="utf-8") as handle:
        base = yaml_load(handle)
    base_theme = base.get("theme") or {}
    extensions = _markdown_extensions_text(course / "mkdocs.yml")
    configs = []
    for generated_path in sorted((course / "build").glob("*/mkdocs.yml")):
        lang = generated_path.parent.name
        generated = yaml.safe_load(generated_path.read_text(encoding="utf-8"))
        plugins = generated.get("plugins") or {}
        if isinstance(plugins, list):
            plugins = next((p for p in plugins if isinstance(p, dict) and "search" in p), {})
        search = plugins.get("search") or {}
        theme = {"name": "material", "language": (generated.get("theme") or {}).get("language", "en")}
        for key in ("features", "font"):
            if key in base_theme:
                theme[key] = base_theme[key]
        config = {
            "site_name": generated.get("site_name") or base.get("site_name") or "Teach Forward",
            "docs_dir": str(Path(generated.get("docs_dir") or generated_path.parent / "docs")),
            "site_dir": str(plain / "site" / lang),
            "nav": generated.get("nav"),
            "theme": theme,
            "plugins": [{"search": {"lang": search["lang"]}} if search.get("lang") else "search"],
        }
        if config["nav"] is None:
            del config["nav"]
        path = plain / f"mkdocs-{lang}.yml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False) + extensions, encoding="utf-8")
        configs.append((lang, path))
    if not configs:
        raise BenchError(f"no {course}/build/<lang>/mkdocs.yml after a build: cannot set up the plain MkDocs baseline")
    return configs


def plain_build(configs: list[tuple[str, Path]]) -> float:
    """Plain `mkdocs build` of every language, one after the other: the total time."""
    total = 0.0
    for lang, config in configs:
        seconds, _, output, status = run_timed([tool("mkdocs"), "build", "-q", "-f", str(config)])
        if status != 0:
            raise BenchError(f"the plain mkdocs build of {lang} failed (exit status {status}, config {config}):\n"
                             f"{output.strip()}")
        total += seconds
    return total


def count_pages(course: Path) -> int:
    return sum(1 for _ in (course / "build").glob("*/docs/**/*.md"))


def count_decks(course: Path) -> int:
    return sum(1 for _ in (course / "site").rglob("*.pptx"))


def search_indexes(course: Path, codes: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    sizes, files = {}, {}
    for code in codes:
        # The whole index (site/search_shards.py keeps it beside the manifest the page fetches).
        path = course / "site" / code / "search" / "search_index.full.json"
        if not path.is_file():
            path = course / "site" / code / "search" / "search_index.json"
        if not path.is_file():
            found = sorted((course / "site" / code / "search").glob("*.json"))
            if not found:
                continue
            path = found[0]
        sizes[code] = path.stat().st_size
        files[code] = str(path.relative_to(course))
    return sizes, files


FIRST_SEARCH_PAGE = "workshops/*/notes.html"
SEARCH_BOX = "input[data-md-component=search-query]"
RESULTS_SHOWN = """() => document.querySelectorAll(".md-search-result__item").length > 0"""
SEARCH_WAIT_MS = 120_000


def first_queries(site: Path) -> dict[str, str]:
    """The queries measured: the word in most of the site's documents (the heaviest first search
    a reader is likely to make: "data", "données") and a word of median spread."""
    index = json.loads((site / "search" / "search_index.full.json").read_text(encoding="utf-8"))
    spread: dict[str, int] = {}
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}").lower()
        for word in set(re.findall(r"[^\W\d_]{5,}", text)):
            spread[word] = spread.get(word, 0) + 1
    ranked = sorted(spread, key=lambda w: (-spread[w], w))
    return {"common": ranked[0], "typical": ranked[len(ranked) // 2]} if ranked else {}


def first_search_weight(course: Path, codes: list[str]) -> tuple[dict[str, int], dict[str, dict]]:
    """(g) What a workshop page's first load and its first search fetch, gzip-compressed (-9), per
    language, measured in Chromium (Playwright): the first workshop's notes page opened in a
    fresh browser over http, a query typed in its search box, and every response counted until
    the results show and the network is idle (page, styles, scripts, pictures, the search
    worker, lunr's language support, the search manifest and the shards the query needed).
    Measured for the common and the typical query (first_queries); the figure is the common one."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise BenchError(f"measuring the first search needs Playwright (pip install -e '.[test]'): {error}") from None
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise BenchError("measuring the first search needs Chromium (bash scripts/install-system-deps.sh)")
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(course / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    weights, details = {}, {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            try:
                for code in codes:
                    site = course / "site" / code
                    pages = sorted(site.glob(FIRST_SEARCH_PAGE))
                    if not pages or not (site / "search" / "search_index.full.json").is_file():
                        continue
                    url = f"http://127.0.0.1:{server.server_port}/{code}/{pages[0].relative_to(site).as_posix()}"
                    details[code] = {}
                    for kind, query in first_queries(site).items():
                        details[code][kind] = _weigh_search(browser, url, query)
                    weights[code] = details[code]["common"]["gzip_bytes"]
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return weights, details


def _weigh_search(browser, url: str, query: str) -> dict:
    context = browser.new_context()           # nothing cached
    bodies: dict[str, bytes] = {}
    context.on("response", lambda response: bodies.update({response.url: response.body()})
               if response.status == 200 else None)
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.fill(SEARCH_BOX, query)
        page.wait_for_function(RESULTS_SHOWN, polling=50, timeout=SEARCH_WAIT_MS)
        page.wait_for_load_state("networkidle")
        results = page.locator(".md-search-result__item").count()
    finally:
        context.close()
    shards = [u for u in bodies if "/search/" in u]
    return {"query": query, "gzip_bytes": sum(len(gzip.compress(b, 9)) for b in bodies.values()),
            "responses": len(bodies), "search_files": len(shards),
            "search_gzip_bytes": sum(len(gzip.compress(bodies[u], 9)) for u in shards), "results_shown": results}


# --- the run ----------------------------------------------------------------------------------

def summary(times: list[float]) -> dict:
    return {"median": statistics.median(times), "min": min(times), "runs": times}


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name, package in (("mkdocs", "mkdocs"), ("material", "mkdocs-material"), ("python_pptx", "python-pptx")):
        try:
            found[name] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def run_search_only(args: argparse.Namespace, work: Path) -> dict:
    """--search-only: one cold build of the synthetic course, then only (g)."""
    codes = languages_for(args.languages)
    course = work / "course"
    print(f"Making a synthetic course of {args.workshops} workshops in {len(codes)} languages ...", flush=True)
    make_course(course, args.workshops, args.languages)
    seconds, _ = build(course, "full")
    print(f"full build {seconds:.2f} s; measuring the first search in Chromium ...", flush=True)
    sizes, index_files = search_indexes(course, codes)
    weights, details = first_search_weight(course, codes)
    label, op, limit = TARGETS["first_search_kb"]
    value = max(weights.values()) / 1024 if weights else None
    return {"workshops": args.workshops, "languages": args.languages, "language_codes": codes, "search_only": True,
            "pages": count_pages(course), "search_index_bytes": sizes, "search_index_files": index_files,
            "first_search_kb": value, "first_search_bytes": weights, "first_search": details,
            "targets": {"first_search_kb": {"target": f"{op} {limit:g}", "value": value,
                                            "met": None if value is None else _meets(value, op, limit)}},
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "command": [sys.executable, *sys.argv]}


def run_serve_only(args: argparse.Namespace) -> dict:
    """--serve-only COURSE: only (h), on a course built before (e.g. one kept with --keep): the
    save-to-reload figure of a large course without its cold builds."""
    course = args.serve_only.resolve()
    codes = sorted(p.name for p in (course / "workshops").iterdir() if p.is_dir())
    workshops = sum(p.is_dir() for p in (course / "workshops" / "en").iterdir())
    print(f"Serve on {course} ({workshops} workshops x {len(codes)} languages): {max(args.repeat, 5)} edits ...",
          flush=True)
    edit = Edit(course)
    try:
        reloads = serve_reloads(course, edit, max(args.repeat, 5))
    finally:
        edit.restore()
    large = workshops * len(codes) >= LARGE_COURSE
    label, op, limit = TARGETS["serve_reload_s"]
    limit = LARGE_COURSE_LIMITS["serve_reload_s"] if large else limit
    value = statistics.median(reloads)
    return {"workshops": workshops, "languages": len(codes), "language_codes": codes, "serve_only": True,
            "serve_reload_s": value, "times": {"serve_reload": summary(reloads)},
            "targets": {"serve_reload_s": {"target": f"{op} {limit:g}", "value": value, "met": _meets(value, op, limit)}},
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "command": [sys.executable, *sys.argv]}


def print_search_report(r: dict) -> None:
    print()
    print(f"Teach Forward search weight: {r['workshops']} workshops x {r['languages']} languages, {r['pages']} pages")
    sizes = ", ".join(f"{code} {size / 1024:.0f} kB" for code, size in r["search_index_bytes"].items())
    print(f"{'whole search index (raw)':<30}{sizes}")
    print_first_search(r["first_search"])
    target = r["targets"]["first_search_kb"]
    label = TARGETS["first_search_kb"][0]
    value = "n/a" if target["value"] is None else f"{target['value']:8.2f}"
    print(f"{label:<24}{value}  target {target['target']}  {'met' if target['met'] else 'NOT met'}")


def run(args: argparse.Namespace, work: Path) -> dict:
    codes = languages_for(args.languages)
    course, plain = work / "course", work / "plain"
    plain.mkdir(parents=True)
    print(f"Making a synthetic course of {args.workshops} workshops in {len(codes)} languages "
          f"({', '.join(codes)}) in {course} ...", flush=True)
    start = time.perf_counter()
    make_course(course, args.workshops, args.languages)
    generation = time.perf_counter() - start
    edit = Edit(course)

    full, noop, edited, plain_times, peaks = [], [], [], [], {"full": [], "noop": [], "edit": []}
    configs = None
    pages = decks = 0
    sizes, index_files, weights, weight_details = {}, {}, {}, {}
    for repetition in range(args.repeat):
        label = f"[{repetition + 1}/{args.repeat}]"
        for folder in ("build", "site"):
            shutil.rmtree(course / folder, ignore_errors=True)
        seconds, peak = build(course, "full")
        full.append(seconds)
        peaks["full"].append(peak)
        pages, decks = count_pages(course), count_decks(course)
        sizes, index_files = search_indexes(course, codes)
        if repetition == 0:
            weights, weight_details = first_search_weight(course, codes)
        print(f"{label} full build {seconds:.2f} s (peak {peak[0] / MB:.0f} MB RSS, {peak[1] / MB:.0f} MB PSS)", flush=True)

        seconds, peak = build(course, "no-change")
        noop.append(seconds)
        peaks["noop"].append(peak)
        print(f"{label} no-change rebuild {seconds:.2f} s", flush=True)

        edit.toggle()
        seconds, peak = build(course, "edit")
        edited.append(seconds)
        peaks["edit"].append(peak)
        print(f"{label} rebuild after one edit {seconds:.2f} s", flush=True)

        if configs is None:
            configs = write_plain_configs(course, plain)
        seconds = plain_build(configs)
        plain_times.append(seconds)
        print(f"{label} plain mkdocs, {len(configs)} languages one after another {seconds:.2f} s", flush=True)
    print(f"Serve: {max(args.repeat, 5)} edits, each from the file's write to the page served ...", flush=True)
    reloads = serve_reloads(course, edit, max(args.repeat, 5))
    edit.restore()

    print(f"Decks: ours against pandoc, {args.repeat} run(s) each ...", flush=True)
    from bench_decks import measure
    decks_result = measure(course, args.repeat, work)

    full_s, noop_s, edit_s, plain_s = (statistics.median(t) for t in (full, noop, edited, plain_times))
    peak_bytes = max(p[0] for p in peaks["full"])
    peak_pss_bytes = max(p[1] for p in peaks["full"])
    missing_index = sorted(set(codes) - set(sizes))
    results = {
        "workshops": args.workshops,
        "languages": args.languages,
        "language_codes": codes,
        "repeat": args.repeat,
        "full_s": full_s,
        "noop_s": noop_s,
        "edit_s": edit_s,
        "plain_mkdocs_s": plain_s,
        "full_over_plain": full_s / plain_s,
        "noop_over_full": noop_s / full_s,
        "edit_over_full": edit_s / full_s,
        "decks_over_pandoc": decks_result["ratio_median"],
        "serve_reload_s": statistics.median(reloads),
        "peak_rss_mb": peak_bytes / MB,
        "peak_pss_mb": peak_pss_bytes / MB,
        "per_page_ms": full_s * 1000 / pages if pages else None,
        "search_index_bytes": sizes,
        "search_index_files": index_files,
        "first_search_kb": max(weights.values()) / 1024 if weights else None,
        "first_search_bytes": weights,
        "first_search": weight_details,
        "search_index_missing": missing_index,
        "pages": pages,
        "decks": decks,
        "times": {"full": summary(full), "noop": summary(noop), "edit": summary(edited), "plain_mkdocs": summary(plain_times),
                  "serve_reload": summary(reloads)},
        "peak_rss_mb_by_step": {step: [p[0] / MB for p in values] for step, values in peaks.items()},
        "peak_pss_mb_by_step": {step: [p[1] / MB for p in values] for step, values in peaks.items()},
        "memory_sampling": {"interval_s": SAMPLE_SECONDS,
                            "children_from": "/proc/<pid>/task/*/children" if HAS_CHILDREN_FILE else "/proc/*/stat"},
        "edited": {"file": str(edit.path.relative_to(course)), "section": edit.section, "line": edit.line + 1},
        "plain_mkdocs": {"languages": [lang for lang, _ in configs], "configs": "plain/mkdocs-<lang>.yml"},
        "decks_vs_pandoc": decks_result,
        "generation_s": generation,
        "versions": {**versions(), "pandoc": decks_result["pandoc"]},
        "cpu_count": os.cpu_count(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": [sys.executable, *sys.argv],
        "source_date_epoch": SOURCE_DATE_EPOCH,
    }
    large = args.workshops * args.languages >= LARGE_COURSE
    limits = {key: LARGE_COURSE_LIMITS.get(key, limit) if large else limit for key, (_, _, limit) in TARGETS.items()}
    results["targets"] = {key: {"target": f"{op} {limits[key]:g}", "value": results[key],
                                "met": None if results[key] is None else _meets(results[key], op, limits[key])}
                          for key, (_, op, _) in TARGETS.items()}
    return results


def _meets(value: float, op: str, limit: float) -> bool:
    return {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]


def print_report(r: dict) -> None:
    n = r["repeat"]
    times = r["times"]
    print()
    print(f"Teach Forward build benchmark: {r['workshops']} workshops x {r['languages']} languages "
          f"({', '.join(r['language_codes'])}), {n} repetition(s), {r['cpu_count']} CPU(s), {r['date']}")
    print(f"  {r['pages']} pages (Markdown files under build/*/docs), {r['decks']} decks (.pptx under site/)")
    rows = [("full build (site + decks)", times["full"]), ("no-change rebuild", times["noop"]),
            ("rebuild after one edit", times["edit"]),
            (f"plain mkdocs ({len(r['plain_mkdocs']['languages'])} langs)", times["plain_mkdocs"]),
            ("serve: save to reload", times["serve_reload"])]
    for label, t in rows:
        print(f"{label:<30}{t['median']:8.2f} s   (median of {len(t['runs'])}; min {t['min']:.2f} s)")
    if r["per_page_ms"] is not None:
        print(f"{'per page (full build)':<30}{r['per_page_ms']:8.1f} ms")
    print(f"{'peak memory (full build)':<30}{r['peak_rss_mb']:8.0f} MB  (sum of the RSS of the process tree, sampled "
          f"every {SAMPLE_SECONDS * 1000:.0f} ms; memory shared by forked workers counts once per process)")
    print(f"{'':<30}{r['peak_pss_mb']:8.0f} MB  (sum of the PSS, sampled every {SAMPLE_SECONDS * PSS_EVERY * 1000:.0f} ms: "
          "shared memory counted once)")
    d = r["decks_vs_pandoc"]
    if d["pandoc"] is None:
        print(f"{'decks vs pandoc':<30}     n/a   pandoc is not installed (apt-get install pandoc): "
              f"ours {d['ours_decks_per_s_median']:.1f} decks/s")
    else:
        print(f"{'decks vs pandoc':<30}{d['ratio_median']:8.1f} x  (ours {d['ours_decks_per_s_median']:.1f} decks/s, "
              f"pandoc {d['pandoc_decks_per_s_median']:.1f} decks/s, {d['decks']} decks, medians)")
    sizes = ", ".join(f"{code} {size / 1024:.0f} kB" for code, size in r["search_index_bytes"].items())
    print(f"{'search index per language':<30}{sizes}")
    print_first_search(r["first_search"])
    for code, file in r["search_index_files"].items():
        if not file.endswith(("search/search_index.full.json", "search/search_index.json")):
            print(f"  ({code}: no search/search_index.json, measured {file})")
    if r["search_index_missing"]:
        print(f"  no search index found for: {', '.join(r['search_index_missing'])}")
    print()
    for key, (label, _, _) in TARGETS.items():
        target = r["targets"][key]
        value = target["value"]
        if value is None:
            print(f"{label:<24}{'n/a':>8}  target {target['target']}  not measured")
            continue
        print(f"{label:<24}{value:8.2f}  target {target['target']}  {'met' if target['met'] else 'NOT met'}")


def print_first_search(details: dict) -> None:
    for code, kinds in details.items():
        line = "; ".join(f"{kind} \"{d['query']}\" {d['gzip_bytes'] / 1024:.0f} kB "
                         f"(search files {d['search_gzip_bytes'] / 1024:.0f} kB in {d['search_files']})"
                         for kind, d in kinds.items())
        print(f"{'page + first search ' + code:<30}{line}")


def compare(mine: dict, other: dict, mine_name: str, other_name: str) -> dict:
    """Per-page time of the larger course against the smaller one's."""
    entries = sorted([(mine, mine_name), (other, other_name)], key=lambda e: (e[0].get("pages") or 0))
    (small, small_name), (big, big_name) = entries
    for results, name in entries:
        print(f"{name}: {results['workshops']} x {results['languages']}, {results.get('pages')} pages, "
              f"per page {results['per_page_ms']:.1f} ms")
    ratio = big["per_page_ms"] / small["per_page_ms"]
    met = ratio <= PER_PAGE_TARGET
    print(f"{'per page large/small':<24}{ratio:8.2f}  target <= {PER_PAGE_TARGET:g}  {'met' if met else 'NOT met'}")
    return {"small": small_name, "big": big_name, "small_per_page_ms": small["per_page_ms"],
            "big_per_page_ms": big["per_page_ms"], "ratio": ratio, "target": f"<= {PER_PAGE_TARGET:g}", "met": met}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workshops", type=int, default=6)
    parser.add_argument("--languages", type=int, default=4, help="1 to 10, English first")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every measurement (medians count)")
    parser.add_argument("--output", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="work in DIR (new or empty) and keep the synthetic course and sites there")
    parser.add_argument("--against", type=Path, default=None, metavar="OTHER.json",
                        help="compare the per-page time with another results file")
    parser.add_argument("--search-only", action="store_true",
                        help="build once and measure only the page + first search weight (g)")
    parser.add_argument("--serve-only", type=Path, default=None, metavar="COURSE",
                        help="measure only serve's save to reload (h), on a course built before (see --keep)")
    parser.add_argument("--compare-only", action="store_true",
                        help="run nothing: compare the --output file with --against")
    args = parser.parse_args(argv)
    if args.compare_only:
        if args.against is None:
            parser.error("--compare-only needs --against OTHER.json")
        mine = json.loads(args.output.read_text(encoding="utf-8"))
        other = json.loads(args.against.read_text(encoding="utf-8"))
        result = compare(mine, other, str(args.output), str(args.against))
        return 0 if result["met"] else 1
    if args.workshops < 1 or args.repeat < 1:
        parser.error("--workshops and --repeat must be at least 1")
    try:
        languages_for(args.languages)
    except ValueError as error:
        parser.error(str(error))
    other = json.loads(args.against.read_text(encoding="utf-8")) if args.against else None
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    if args.serve_only:
        try:
            results = run_serve_only(args)
        except BenchError as error:
            print(f"\nbench: {error}", file=sys.stderr)
            return 1
        target = results["targets"]["serve_reload_s"]
        print(f"\n{TARGETS['serve_reload_s'][0]:<34}{target['value']:8.2f}  target {target['target']}  "
              f"{'met' if target['met'] else 'NOT met'} (min {results['times']['serve_reload']['min']:.2f} s)")
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nWrote {args.output}")
        return 0

    try:
        if args.keep:
            if args.keep.exists() and any(args.keep.iterdir()):
                parser.error(f"--keep {args.keep}: the folder is not empty")
            args.keep.mkdir(parents=True, exist_ok=True)
            results = (run_search_only if args.search_only else run)(args, args.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="teachforward-bench-") as temporary:
                results = (run_search_only if args.search_only else run)(args, Path(temporary))
    except BenchError as error:
        print(f"\nbench: {error}", file=sys.stderr)
        return 1
    if args.search_only:
        print_search_report(results)
        args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nWrote {args.output}")
        return 0
    print_report(results)
    if other is not None:
        print()
        results["against"] = compare(results, other, str(args.output), str(args.against))
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
