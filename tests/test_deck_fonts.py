"""The fonts belong to the project: slide pictures are drawn with fonts/ only, so the decks'
bytes do not depend on the fonts a machine has installed. That the bytes are the same with no
font on the host is checked by test_reproducible.py: its second build of the real course runs
with a fontconfig that sees no font."""
from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree

from teachforward.decks import fonts

REPO = Path(__file__).resolve().parent.parent


def test_the_project_fonts_are_noto_sans_with_their_licence():
    for name in fonts.LATIN.values():
        assert TTFont(fonts.path(name))["name"].getDebugName(1) == fonts.LATIN_FAMILY
    for name in fonts.ARABIC.values():
        assert TTFont(fonts.path(name))["name"].getDebugName(1) == fonts.ARABIC_FAMILY
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts.DIRECTORY / "OFL.txt").read_text(encoding="utf-8")


def test_the_fontconfig_file_lists_the_project_folder_and_nothing_else():
    config = etree.parse(str(fonts.FONTCONFIG_FILE)).getroot()
    assert [(d.text, d.get("prefix")) for d in config.iter("dir")] == [(".", "relative")]
    assert not list(config.iter("include")), "an <include> would bring the system's configuration back"


def test_the_template_names_the_project_fonts():
    theme = (REPO / "slides_src" / "theme.yaml").read_text(encoding="utf-8")
    assert f"body: {fonts.LATIN_FAMILY}" in theme and f"complex_script: {fonts.ARABIC_FAMILY}" in theme
