"""The contract between decks/ooxml.py and python-pptx: the private names and behaviour the
adapter relies on. When python-pptx changes one of them, this fails before a deck comes out
wrong; then update ooxml.py (and the ~= pin in pyproject.toml) together."""
from __future__ import annotations

import datetime as dt
import inspect
import io
import re
import zipfile
from pathlib import Path

import pptx
from pptx import Presentation
from pptx.opc import oxml as opc_oxml
from pptx.opc import serialized
from pptx.opc.package import Part, _Relationship
from pptx.parts.slide import SlidePart

from teachforward.decks import ooxml

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "slides_src" / "template.pptx"


def test_the_pinned_python_pptx_is_the_one_installed():
    pin = re.search(r'"python-pptx~=([\d.]+)"', (REPO / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    assert pptx.__version__.split(".")[:2] == pin.split(".")[:2]


def test_the_private_names_the_adapter_uses_exist_with_the_expected_shape():
    assert list(inspect.signature(SlidePart).parameters)[:4] == ["partname", "content_type", "package", "element"]
    assert hasattr(serialized._ContentTypesItem, "xml_for")
    assert callable(opc_oxml.serialize_part_xml)
    assert "_blob" in inspect.getsource(Part.__init__)
    prs = Presentation(str(TEMPLATE))
    rel = next(iter(prs.part.rels.values()))
    assert isinstance(rel, _Relationship)
    assert isinstance(rel._base_uri, str) and rel.reltype and not rel.is_external and rel.target_partname
    assert prs.part._element.get_or_add_sldIdLst() is not None
    assert prs.part.package._rels is not None and prs.part._rels is not None
    layout = prs.slide_layouts[0]
    assert layout.placeholders[0]._element.ph is not None
    assert prs.slide_master.part.part_related_by is not None
    assert prs.core_properties._element is not None
    assert prs.part.notes_master_part is not None


def _png(folder: Path) -> Path:
    from PIL import Image
    path = folder / "square.png"
    Image.new("RGB", (4, 4), (200, 30, 30)).save(path)
    return path


def _one_slide_deck(image: Path) -> bytes:
    prs = Presentation(str(TEMPLATE))
    layout = next(item for item in prs.slide_layouts if item.name == "Teach Forward: Bullets and Picture")
    part = ooxml.new_slide(prs, 1, layout)
    props = ooxml.run_properties("ar-EG", True, "Noto Sans Arabic", bold=True)
    title = ooxml.text_placeholder(2, "Title 1", "title", None, ooxml.paragraph(ooxml.run("A & <B>", props)))
    body = ooxml.text_placeholder(3, "Body 2", "body", 10, ooxml.paragraph(
        ooxml.run('say "yes"', props), ooxml.paragraph_properties(True, "l", bullet="none")))
    shapes = [title, body, ooxml.picture(4, 11, ooxml.add_image(part, str(image)), "a drawing", (0, 0, 100000, 100000))]
    ooxml.set_slide_xml(part, ooxml.slide(shapes))
    placeholders = ooxml.notes_placeholders(prs)
    ooxml.add_notes(prs, part, 1, ooxml.notes([ooxml.paragraph(ooxml.run("spoken words", props))], placeholders))
    ooxml.set_presentation_rtl(prs)
    ooxml.core_properties(prs, "T", "S", "A", "ar-EG", dt.datetime(2020, 1, 2))
    ooxml.set_app_properties(prs, 1)
    return ooxml.package_bytes(prs, {})


def test_a_deck_written_through_the_adapter_reads_back_through_the_public_api(tmp_path):
    image = _png(tmp_path)
    data = _one_slide_deck(image)
    assert data == _one_slide_deck(image), "the same slide gives the same bytes"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ooxml.FIXED_ZIP_DATE}
        assert b"<Slides>1</Slides>" in archive.read("docProps/app.xml")
        assert b'rtl="1"' in archive.read("ppt/presentation.xml")
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 1
    slide = deck.slides[0]
    assert slide.slide_layout.name == "Teach Forward: Bullets and Picture"
    assert slide.shapes.title.text_frame.text == "A & <B>"
    assert [s.text_frame.text for s in slide.placeholders if s.placeholder_format.idx == 10] == ['say "yes"']
    pictures = [s for s in slide.shapes if s.shape_type == 13 or s.element.tag.endswith("}pic")]
    assert len(pictures) == 1 and pictures[0].image.blob == image.read_bytes()
    assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == "spoken words"
    assert deck.core_properties.title == "T" and deck.core_properties.language == "ar-EG"
    assert deck.core_properties.created == dt.datetime(2020, 1, 2)


def test_footer_and_notes_placeholders_are_found_in_the_template():
    prs = Presentation(str(TEMPLATE))
    layout = next(item for item in prs.slide_layouts if item.name == "Teach Forward: Bullets")
    assert {kind for kind, _ in ooxml.footer_placeholders(layout)} == {"ftr", "sldNum"}
    assert {"sldImg", "body"} <= set(ooxml.notes_placeholders(prs))


def test_one_escape_function_serves_text_and_attributes():
    assert ooxml.escape('a & <b> "c"') == "a &amp; &lt;b&gt; &quot;c&quot;"
    source = (REPO / "scripts" / "teachforward" / "decks").glob("*.py")
    for path in source:
        text = path.read_text(encoding="utf-8")
        assert "saxutils" not in text, f"{path.name}: use ooxml.escape"
        if path.name != "ooxml.py":
            private = re.search(r"\._(element|rels|blob|base_uri)\b", text)
            assert not private, f"{path.name} uses a private python-pptx name"
            internals = re.search(r"^from pptx\.(oxml|opc|parts)", text, re.MULTILINE)
            assert not internals, f"{path.name} imports pptx internals"
            assert "<a:" not in text and "<p:" not in text, f"{path.name} writes slide XML: use ooxml's builders"
