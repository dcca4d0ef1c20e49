"""Whatever an author types, the loader and the validator never crash: they give either a
valid course or a list of problems, each with a file. Hypothesis writes the inputs: random
text and bytes, YAML built from the course's own field names, and Markdown built from the
pieces authors use (headings with ids, key points, links, pictures, HTML, template code).
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import VALID
from teachforward.build import load_and_check
from teachforward.content.html_policy import markdown_findings, svg_findings
from teachforward.content.template_policy import template_findings
from teachforward.content.yamlfile import parse_yaml
from teachforward.problems import Problems

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WS = "workshops/en/01-basics"
FIELDS = ["title", "summary", "duration", "audience", "objectives", "agenda", "minutes", "activity", "ref",
          "key_terms", "id", "term", "definition", "further_reading", "year", "url", "note", "author",
          "group_size", "source_language", "pages", "min", "max", "key_points", "translated_from", "durration"]


@pytest.fixture(scope="module")
def course_root(tmp_path_factory) -> Path:
    """One copy of the valid fixture for the whole module; each example rewrites one file and puts it back."""
    root = tmp_path_factory.mktemp("prop") / "course"
    shutil.copytree(VALID, root)
    return root


def check_with(root: Path, relative: str, data: bytes) -> None:
    path = root / relative
    original = path.read_bytes() if path.exists() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        course, problems = load_and_check(root)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)
    assert course is not None or problems.errors, "nothing loaded, yet no problem said why"
    for problem in problems.items:
        assert problem.path and problem.message
        assert problem.line is None or problem.line >= 1
        assert problem.severity in ("error", "warning")


# --- the inputs ---------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["90", "3-5", "what-is-data", "https://x.org", "", " "]))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), inner, max_size=5)), max_leaves=25)
yaml_documents = yaml_values.map(lambda value: yaml.safe_dump(value, allow_unicode=True, sort_keys=False))

ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True) | st.text(max_size=8)
targets = st.one_of(st.sampled_from(["#wrap-up", "exercises/01-rota.md", "../01-basics/notes.md#what-is-data",
                                     "images/recipe.svg", "https://example.org/", "javascript:alert(1)", "/etc/passwd",
                                     "../../../../etc/passwd", "data:text/html,x", "glossary.md", ""]),
                    st.text(max_size=20))
markdown_lines = st.one_of(
    st.builds(lambda level, title, id_: f"{'#' * level} {title} {{#{id_}}}", st.integers(1, 4), st.text(max_size=20), ids),
    st.builds(lambda text: f"- {text}", st.text(max_size=30)),
    st.builds(lambda text, target: f"See [{text}]({target}).", st.text(max_size=10), targets),
    st.builds(lambda text, target: f"![{text}]({target})", st.text(max_size=10), targets),
    st.sampled_from(["```", "~~~", "---", "", "<script>alert(1)</script>", "<div markdown>", "</div>",
                     '<img src=x onerror="alert(1)">', "{{ config }}", "{% include 'x' %}", "{{", "}}", "{#",
                     "{: onclick=x }", "<!--", "-->", "group_size: 3-5", "minutes: 20", "\t- tab", "\ufeff"]),
    st.text(max_size=40),
)
markdown_documents = st.lists(markdown_lines, max_size=25).map("\n".join)
line_endings = st.sampled_from(["\n", "\r\n", "\r"])


def encoded(text: str, ending: str, bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", ending).encode("utf-8", "surrogatepass")


# --- the properties --------------------------------------------------------------------------------

@SETTINGS
@given(st.text())
def test_yaml_parser_never_crashes_on_any_text(text):
    problems = Problems(Path("/nowhere"))
    result = parse_yaml(text, Path("/nowhere/x.yaml"), problems)
    assert result is not None or problems.items


@SETTINGS
@given(yaml_documents, line_endings, st.booleans())
def test_any_workshop_yaml(course_root, document, ending, bom):
    check_with(course_root, f"{WS}/workshop.yaml", encoded(document, ending, bom))


@SETTINGS
@given(yaml_documents)
def test_any_translated_workshop_yaml(course_root, document):
    check_with(course_root, "workshops/fr/01-basics/workshop.yaml", document.encode("utf-8"))


@SETTINGS
@given(yaml_documents)
def test_any_course_settings(course_root, document):
    check_with(course_root, "workshops/course.yaml", document.encode("utf-8"))


@SETTINGS
@given(yaml_documents)
def test_any_interface_strings(course_root, document):
    check_with(course_root, "docs/fr/strings.yaml", document.encode("utf-8"))


@SETTINGS
@given(markdown_documents, line_endings, st.booleans())
def test_any_notes(course_root, document, ending, bom):
    check_with(course_root, f"{WS}/notes.md", encoded(document, ending, bom))


@SETTINGS
@given(markdown_documents)
def test_any_translated_notes(course_root, document):
    check_with(course_root, "workshops/fr/01-basics/notes.md", document.encode("utf-8"))


@SETTINGS
@given(yaml_documents, markdown_documents)
def test_any_exercise(course_root, front, body):
    check_with(course_root, f"{WS}/exercises/01-rota.md", f"---\n{front}---\n{body}".encode())


@SETTINGS
@given(markdown_documents)
def test_any_site_page(course_root, document):
    check_with(course_root, "docs/en/index.md", document.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(course_root, data):
    check_with(course_root, f"{WS}/guide.md", data)


@SETTINGS
@given(st.text(), st.text())
def test_the_content_policies_never_crash(markdown, svg):
    markdown_findings(markdown)
    template_findings(markdown)
    svg_findings(svg)


def test_a_billion_laughs_is_refused_at_once():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    problems = Problems(Path("/nowhere"))
    started = time.monotonic()
    assert parse_yaml("\n".join(levels), Path("/nowhere/bomb.yaml"), problems) is None
    assert time.monotonic() - started < 2
    assert "aliases" in problems.items[0].message and problems.items[0].line == 2


def test_a_self_referencing_alias_is_refused():
    problems = Problems(Path("/nowhere"))
    assert parse_yaml("a: &a [*a]\n", Path("/nowhere/x.yaml"), problems) is None
    assert problems.items
