"""The tricky-Markdown corpus (tests/markdown_corpus/cases.yaml): each case is written into an
exercise as an author would, and the check, the website page and the slide deck must agree on it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

from conftest import REPO, copy_valid_course
from teachforward.build import build, load_and_check

CASES = yaml.safe_load((REPO / "tests" / "markdown_corpus" / "cases.yaml").read_text(encoding="utf-8"))
VALID = [case for case in CASES if not case.get("errors")]
INVALID = [case for case in CASES if case.get("errors")]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def title(case: dict) -> str:
    return f"Case {case['id']}"


def write_case(tree, number: int, case: dict) -> str:
    relative = f"workshops/en/01-basics/exercises/{number:02d}-{case['id']}.md"
    # In the task: the exercise's slide shows the task whole (the scenario only as a summary).
    tree.write(relative, f"---\ngroup_size: 3-5\nminutes: 10\n---\n# {title(case)}\n\n## Scenario {{#scenario}}\n\n"
                         f"A rep brings a question to the branch.\n\n## Task {{#task}}\n\n{case['markdown'].rstrip()}\n\n"
                         "## Possible responses {#responses}\n\nAny.\n")
    return relative


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One course holding every valid case, checked and built once (site and decks)."""
    base = tmp_path_factory.mktemp("corpus")
    tree = copy_valid_course(base / "course")
    files = {case["id"]: write_case(tree, number, case) for number, case in enumerate(VALID, 2)}
    course, problems = load_and_check(tree.root)
    out = base / "site"
    status = build(tree.root, out, jobs=1)
    return files, problems, status, out


def exercise_html(out: Path, case: dict) -> str:
    page = (out / "en" / "workshops" / "01-basics" / "exercises.html").read_text(encoding="utf-8")
    start = page.index(f'<h2 id="{case["id"]}">')
    end = page.find("<h2 ", start + 1)
    return page[start:end if end > 0 else len(page)]


def exercise_slides(out: Path, case: dict) -> list:
    deck = Presentation(str(out / "en" / "downloads" / "01-basics.pptx"))
    return [s for s in deck.slides if s.shapes.title.text_frame.text.startswith(f"Exercise: {title(case)}")]


def paragraphs(slide) -> list[str]:
    return [re.sub(r"\s+", " ", "".join(t.text or "" for t in p.iter(f"{A}t"))).strip()
            for p in slide._element.iter(f"{A}p")]


@pytest.mark.parametrize("case", VALID, ids=[c["id"] for c in VALID])
def test_the_check_accepts_the_case(built, case):
    files, problems, status, _ = built
    mine = [p for p in problems.items if p.path.endswith(files[case["id"]])]
    assert not [p.format() for p in mine if p.severity == "error"]
    warnings = [p.message for p in mine if p.severity == "warning"]
    for expected in case.get("warnings", []):
        assert any(expected in w for w in warnings), (expected, warnings)
    assert len(warnings) == len(case.get("warnings", [])), warnings
    assert status == 0


@pytest.mark.parametrize("case", VALID, ids=[c["id"] for c in VALID])
def test_the_site_page_shows_the_case(built, case):
    part = exercise_html(built[3], case)
    for expected in case.get("site", []):
        assert expected in part, (expected, part)
    for unexpected in case.get("site_not", []):
        assert unexpected not in part


@pytest.mark.parametrize("case", VALID, ids=[c["id"] for c in VALID])
def test_the_slides_show_the_case(built, case):
    slides = exercise_slides(built[3], case)
    assert slides, "the exercise has no slide"
    text = "\n".join(p for slide in slides for p in paragraphs(slide) if p)
    for expected in case.get("slide", []):
        assert expected in text.split("\n"), (expected, text)
    tables = [shape.table for slide in slides for shape in slide.shapes if shape.has_table]
    if "table" in case:
        assert len(tables) == 1
        cells = [[cell.text for cell in row.cells] for row in tables[0].rows]
        assert cells == case["table"]
    else:
        assert not tables


@pytest.mark.parametrize("case", INVALID, ids=[c["id"] for c in INVALID])
def test_the_check_refuses_the_case_and_nothing_is_built(tmp_path, case):
    tree = copy_valid_course(tmp_path / "course")
    relative = write_case(tree, 2, case)
    _, problems = load_and_check(tree.root)
    errors = [p for p in problems.errors]
    assert all(p.path.endswith(relative) for p in errors), [p.format() for p in errors]
    for expected in case["errors"]:
        assert any(expected in p.message and p.line for p in errors), (expected, [p.format() for p in errors])
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=1) != 0
    assert not (out / "en").exists()
