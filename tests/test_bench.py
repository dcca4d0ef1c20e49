"""The build benchmark (scripts/bench.py) and the synthetic course it builds (scripts/synthetic_course.py)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from teachforward.build import load_and_check
from teachforward.content.tracking import translation_status

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import synthetic_course  # noqa: E402
from helpers import require_tool  # noqa: E402

KEYS = ("workshops", "languages", "full_s", "noop_s", "edit_s", "plain_mkdocs_s", "full_over_plain",
        "noop_over_full", "edit_over_full", "decks_over_pandoc", "serve_reload_s", "first_search_kb", "peak_rss_mb",
        "peak_pss_mb",
        "per_page_ms", "search_index_bytes")


def test_synthetic_course_loads_without_errors(tmp_path):
    root = synthetic_course.make_course(tmp_path / "course", workshops=1, languages=2)
    course, problems = load_and_check(root)
    assert course is not None
    assert [p.format() for p in problems.errors] == []
    assert [lang.code for lang in course.languages] == ["en", "fr"]
    english, french = course.languages
    assert [w.folder for w in english.workshops] == ["01-fundamentals-1"]
    assert english.workshops[0].facts.title.endswith(" (part 1)")
    assert all(t.id.endswith("-1") for t in english.workshops[0].facts.key_terms)
    # A full, current translation: nothing missing, nothing outdated.
    status = translation_status(course, french)
    assert status.count("missing") == 0 and status.count("outdated") == 0
    # Links to workshops that are not part of a one-workshop course became plain text.
    notes = (root / "workshops" / "en" / "01-fundamentals-1" / "notes.md").read_text(encoding="utf-8")
    assert "](../" not in notes


def test_synthetic_course_names_and_languages(tmp_path):
    assert synthetic_course.languages_for(4) == ["en", "fr", "es", "de"]
    assert synthetic_course.languages_for(10)[-1] == "ar"
    assert synthetic_course.folder_name(100, "05-bargaining") == "100-bargaining-100"
    assert re.match(r"^\d{2,3}-[a-z0-9-]+$", synthetic_course.folder_name(7, "01-fundamentals"))


@pytest.mark.slow
def test_benchmark_writes_every_result(tmp_path):
    """A smoke run (one workshop in one language, each step once): every result is written.
    The benchmark itself (make bench) is not part of make test."""
    require_tool("pandoc", "pandoc")
    require_tool("chromium", "chromium")         # the first search is measured in the browser
    output = tmp_path / "results.json"
    kept = tmp_path / "kept"
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "--workshops", "1",
                           "--languages", "1", "--repeat", "1", "--output", str(output), "--keep", str(kept)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(output.read_text(encoding="utf-8"))
    assert sorted(set(KEYS) - set(results)) == []
    assert results["workshops"] == 1 and results["languages"] == 1
    for key in ("full_s", "noop_s", "edit_s", "plain_mkdocs_s", "full_over_plain", "noop_over_full",
                "edit_over_full", "peak_rss_mb", "per_page_ms", "decks_over_pandoc", "serve_reload_s", "first_search_kb"):
        assert isinstance(results[key], (int, float)) and results[key] > 0, key
    assert results["noop_s"] < results["full_s"]        # a rebuild with nothing to do does not build again
    assert 10 < results["peak_rss_mb"] < 4096
    assert 10 < results["peak_pss_mb"] <= results["peak_rss_mb"]     # shared memory counted once
    assert results["pages"] >= 5                 # at least five pages per workshop and language
    assert results["decks"] == 1                 # one per workshop and language
    assert set(results["search_index_bytes"]) == {"en"}
    assert results["search_index_bytes"]["en"] > 1000
    assert results["first_search"]["en"]["common"]["search_files"] >= 2     # the manifest and shards
    assert results["decks_vs_pandoc"]["pandoc"] is not None
    assert "target <= 0.8" in done.stdout and "full build (site + decks)" in done.stdout

    # (h) alone, on the course just built: the figure for a large course without its cold builds.
    served = tmp_path / "serve.json"
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "--serve-only", str(kept / "course"),
                           "--repeat", "1", "--output", str(served)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    again = json.loads(served.read_text(encoding="utf-8"))
    assert (again["workshops"], again["languages"]) == (1, 1)
    assert len(again["times"]["serve_reload"]["runs"]) == 5 and again["serve_reload_s"] > 0
    assert again["targets"]["serve_reload_s"]["target"] == "<= 0.5"
    assert "(h) serve: save to reload, s" in done.stdout
