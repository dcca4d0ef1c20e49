"""The fonts belong to the project: slide pictures are drawn with fonts/ only, so the decks'
bytes do not depend on the fonts a machine has installed."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from teachforward.decks import fonts

REPO = Path(__file__).resolve().parent.parent
BUILD = """
import sys
from pathlib import Path
from teachforward.content.loader import load_course
from teachforward.content.validate import validate
from teachforward.decks import render_decks
course, problems = load_course(Path(sys.argv[2]))
validate(course, problems)
render_decks(course, Path(sys.argv[1]), problems)
"""


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


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.suffix in (".pptx", ".png")}


@pytest.mark.slow
def test_decks_are_byte_identical_whether_or_not_the_host_has_fonts(tmp_path):
    """One build with the machine's fonts, one with a fontconfig that sees no font at all."""
    no_fonts = tmp_path / "no-fonts.conf"
    no_fonts.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    builds = {}
    for name, extra in (("host", {}), ("none", {"FONTCONFIG_FILE": str(no_fonts), "HOME": str(tmp_path)})):
        out = tmp_path / name
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **extra}
        subprocess.run([sys.executable, "-c", BUILD, str(out), str(REPO)], check=True, env=env, timeout=600)
        builds[name] = _digests(out)
    assert any(path.endswith(".png") for path in builds["host"]), "the course has drawings"
    assert len([p for p in builds["host"] if p.endswith(".pptx")]) >= 6
    assert builds["host"] == builds["none"]
