"""Every real deck of every language is valid Office Open XML: openxml-audit (the Open XML SDK's
schema and semantic checks, in Python) finds no error in it. LibreOffice's render is in
test_decks.py."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openxml_audit import validate_pptx

from teachforward.content.loader import load_course
from teachforward.content.validate import validate
from teachforward.decks import render_decks
from test_decks import add_deck_strings, build

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_every_real_deck_passes_openxml_audit_with_no_error(tmp_path):
    course, problems = load_course(REPO)
    assert course is not None, [p.format() for p in problems.items]
    validate(course, problems)
    before = len(problems.items)
    downloads, files = render_decks(course, tmp_path / "decks", problems)
    assert not [p.format() for p in problems.items[before:] if p.severity == "error"]
    offered = {download.site_lang for download in downloads}
    assert offered == {language.code for language in course.languages}, "every language offers decks"
    decks = sorted(set(files.values()))
    assert {path.parent.name for path in decks} >= {"en", "fr", "es", "ar"}
    found = {}
    for path in decks:
        result = validate_pptx(path)
        if result.error_count:
            found[f"{path.parent.name}/{path.name}"] = [str(error) for error in result.errors[:5]]
    assert not found, found


def test_openxml_audit_finds_an_attribute_the_schema_does_not_allow(tree, tmp_path):
    """The check above can fail: one undeclared attribute in a slide is an error."""
    add_deck_strings(tree)
    _, files, _ = build(tree.root, tmp_path / "decks")
    good = files["en/01-basics.pptx"]
    assert validate_pptx(good).error_count == 0
    bad = tmp_path / "bad.pptx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "ppt/slides/slide2.xml":
                data = data.replace(b'<a:rPr lang="en-US"', b'<a:rPr lang="en-US" undeclared="1"', 1)
            target.writestr(item, data)
    assert validate_pptx(bad).error_count == 1
