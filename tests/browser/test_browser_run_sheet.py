"""The run-sheet's start field, in Chromium: the clock times follow it, the page address keeps it
(?start=13:30), and both work from a web server and from file:// with nothing loaded from
outside. The run-sheet and a landscape material print on one page of A4 and of Letter."""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TESTS = Path(__file__).resolve().parents[1]
SHEET = "en/workshops/01-basics/run-sheet.html"
CLOCKS = "() => [...document.querySelectorAll('.tf-run-sheet tbody .tf-clock')].map(s => s.textContent)"
HEADER = "() => [...document.querySelectorAll('article > p .tf-clock')].map(s => s.textContent)"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def kit_site(tmp_path_factory):
    """The small fixture course with a break, leads, cuts and materials; its sessions start at 13:30."""
    sys.path.insert(0, str(TESTS))
    from conftest import copy_valid_course
    from teachforward.build import build
    from test_kit_format import with_kit
    from test_kit_site import BREAK

    root = tmp_path_factory.mktemp("run-sheet")
    tree = copy_valid_course(root / "course")
    with_kit(tree, agenda=BREAK)
    tree.replace("workshops/course.yaml", "source_language: en", "source_language: en\nstart_time: 13:30")
    out = root / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield out, f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def opened(context, url: str, outside: list[str]):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "file://", "data:", "blob:")) else None)
    page.goto(url)
    page.wait_for_load_state("load")
    page.errors = errors
    return page


@pytest.mark.parametrize("where", ["server", "file"])
def test_start_field_moves_every_time_and_stays_in_the_address(kit_site, desktop, where):
    out, base = kit_site
    url = (base + SHEET) if where == "server" else (out / SHEET).as_uri()
    outside: list[str] = []
    page = opened(desktop, url, outside)
    assert page.eval_on_selector("#tf-start", "e => e.value") == "13:30"
    assert page.evaluate(CLOCKS) == ["13:30", "14:00", "14:30", "14:40", "15:00"]
    page.fill("#tf-start", "08:05")
    assert page.evaluate(CLOCKS) == ["08:05", "08:35", "09:05", "09:15", "09:35"]
    assert page.evaluate(HEADER) == ["08:05", "09:35"]
    assert page.url.endswith("run-sheet.html?start=08:05"), page.url
    page.reload()
    page.wait_for_load_state("load")
    assert page.eval_on_selector("#tf-start", "e => e.value") == "08:05"
    assert page.evaluate(CLOCKS) == ["08:05", "08:35", "09:05", "09:15", "09:35"]
    page.fill("#tf-start", "13:30")                 # back to the course's start: a plain address again
    assert "start=" not in page.url
    page.goto(url + "?start=23:50")
    assert page.evaluate(CLOCKS) == ["23:50", "00:20", "00:50", "01:00", "01:20"]
    page.goto(url + "?start=25:99")                 # not a time: the course's start is kept
    assert page.evaluate(CLOCKS)[0] == "13:30"
    assert not page.errors and not outside, (page.errors, outside)


def pdf_pages(page, tmp_path: Path, name: str, paper: str) -> list[tuple[float, float]]:
    path = tmp_path / f"{name}-{paper}.pdf"
    page.pdf(path=str(path), format=paper, prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, text=True, check=True).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            width, height = line.split("size:")[1].split("pts")[0].split(" x ")
            sizes.append((float(width), float(height)))
    return sizes


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_run_sheet_and_landscape_material_print_on_one_page(kit_site, browser, tmp_path, paper):
    out, base = kit_site
    context = browser.new_context(**DESKTOP)
    try:
        outside: list[str] = []
        sheet = opened(context, base + SHEET, outside)
        sizes = pdf_pages(sheet, tmp_path, "run-sheet", paper)
        assert len(sizes) == 1 and sizes[0][0] < sizes[0][1], sizes            # one portrait page
        card = opened(context, base + "en/workshops/01-basics/materials/recipe-card.html", outside)
        sizes = pdf_pages(card, tmp_path, "recipe-card", paper)
        assert len(sizes) == 1 and sizes[0][0] > sizes[0][1], sizes            # one landscape page
        wanted = {"A4": (842, 595), "Letter": (792, 612)}[paper]
        assert abs(sizes[0][0] - wanted[0]) < 2 and abs(sizes[0][1] - wanted[1]) < 2, sizes   # the paper, turned
        assert not outside, outside
    finally:
        context.close()
