"""Every real deck of every language is valid Office Open XML (openxml-audit, the Open XML SDK's
schema and semantic checks in Python, finds no error) and made for a room: no slide body over
60 words (the agenda, key terms and reading list excepted), two slides at most per exercise. LibreOffice's
render is in test_decks.py."""
from __future__ import annotations

import re
import zipfile

import pytest
from openxml_audit import validate_pptx
from pptx import Presentation

from teachforward.content.loader import load_course
from test_decks import add_deck_strings, body_words, build


@pytest.fixture(scope="module")
def real_decks(real_course):
    """The decks of the session's build of the real course (tests/conftest.py), by the language
    they are written in."""
    course, _ = load_course(real_course.root)
    assert course is not None
    decks = sorted((real_course.root / "build" / "decks").glob("*/*.pptx"))
    offered = {path.parent.parent.name for path in real_course.site.glob("*/downloads/*.pptx")}
    assert offered == {language.code for language in course.languages}, "every language offers decks"
    assert {path.parent.name for path in decks} >= {"en", "fr", "es", "ar"}
    return decks


@pytest.mark.slow
def test_no_real_deck_falls_back_or_warns_in_any_language(real_course):
    """A facilitator never gets an exercise slide whose summary gave way to the scenario's first
    words, a title too long for its slide, or a picture without its description: the session's
    build of the real course printed no warning."""
    lines = real_course.log.splitlines()
    fallbacks = [line for line in lines if "leaves the task no room" in line]
    assert not fallbacks, "exercise slides fell back:\n" + "\n".join(fallbacks)
    warnings = [line for line in lines if ": warning: " in line or line.startswith("::warning ")]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings)


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
    # The agenda, the key terms and the closing's reading list (break slides share its layout:
    # one short sentence each).
    dense = {"Teach Forward: Table", "Teach Forward: Text", "Teach Forward: Closing"}
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
