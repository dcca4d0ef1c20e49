"""Every real deck of every language is valid Office Open XML (openxml-audit, the Open XML SDK's
schema and semantic checks in Python, finds no error) and made for a room: no slide body over
60 words (the agenda and key terms excepted), two slides at most per exercise. LibreOffice's
render is in test_decks.py."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openxml_audit import validate_pptx
from pptx import Presentation

from teachforward.content.loader import load_course
from teachforward.content.validate import validate
from teachforward.decks import render_decks
from test_decks import add_deck_strings, body_words, build

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real_decks(tmp_path_factory):
    course, problems = load_course(REPO)
    assert course is not None, [p.format() for p in problems.items]
    validate(course, problems)
    before = len(problems.items)
    downloads, files = render_decks(course, tmp_path_factory.mktemp("decks"), problems)
    assert not [p.format() for p in problems.items[before:] if p.severity == "error"]
    offered = {download.site_lang for download in downloads}
    assert offered == {language.code for language in course.languages}, "every language offers decks"
    decks = sorted({path for path in files.values() if path.suffix == ".pptx"})
    assert {path.parent.name for path in decks} >= {"en", "fr", "es", "ar"}
    return decks


@pytest.mark.slow
def test_every_real_deck_passes_openxml_audit_with_no_error(real_decks):
    found = {}
    for path in real_decks:
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


@pytest.mark.slow
def test_every_real_slide_is_readable_from_the_back_of_the_room(real_decks):
    dense = {"Teach Forward: Table", "Teach Forward: Text"}          # the agenda and the key terms
    too_many, exercises = [], {}
    for path in real_decks:
        for number, slide in enumerate(Presentation(str(path)).slides, 1):
            layout = slide.slide_layout.name
            if layout not in dense and body_words(slide) > 60:
                too_many.append(f"{path.parent.name}/{path.name} slide {number}: {body_words(slide)} words")
            if layout == "Teach Forward: Exercise":
                title = re.sub(r"\s*\(\S+\s*\S+\s*\S+\)$", "", slide.shapes.title.text_frame.text)
                exercises.setdefault((path, title), []).append(number)
    assert not too_many, too_many
    assert len(exercises) >= 40
    assert max(len(slides) for slides in exercises.values()) <= 2
