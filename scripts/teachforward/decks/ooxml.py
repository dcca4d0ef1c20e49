"""The python-pptx adapter: every use of python-pptx's private API and all hand-written
PresentationML/DrawingML is here, as small builder functions with one XML escape function.
The rest of decks/ uses python-pptx's public API and these functions only.

What python-pptx has no API for: slides written as XML directly (about ten times faster than
its shape objects, which look placeholders up with XPath on every access), the language of the
text, right-to-left paragraphs, the complex-script font, bullets switched off, and
deterministic document properties and zip entries. tests/test_ooxml_contract.py fails when a
private name used here changes; python-pptx is pinned with ~= for the same reason.
"""
from __future__ import annotations

import datetime as dt
import posixpath
from functools import lru_cache

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from pptx.opc.serialized import _ContentTypesItem
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart, SlidePart

from teachforward.zipfiles import Entry, compress, zip_bytes

NSDECL = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
P_PH = "{http://schemas.openxmlformats.org/presentationml/2006/main}ph"
GROUP = ('<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
         '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>')
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"          # Office's "Medium Style 2 - Accent 1"
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(value: str) -> str:
    """Text for XML, safe both as element text and inside a double-quoted attribute."""
    return value.translate(_XML_ESCAPES)


FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def run_properties(lang: str, rtl: bool, cs_font: str = "", bold: bool | None = None, italic: bool | None = None,
                   size: float | None = None, colour: str | None = None, font: str | None = None) -> str:
    """<a:rPr>: every run says its language; right-to-left text also names its complex-script font."""
    attrs = f' lang="{lang}"'
    if size:
        attrs += f' sz="{int(round(size * 100))}"'
    if bold is not None:
        attrs += f' b="{1 if bold else 0}"'
    if italic is not None:
        attrs += f' i="{1 if italic else 0}"'
    inner = f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>' if colour else ""
    if font:
        inner += f'<a:latin typeface="{escape(font)}"/>'
    if rtl and cs_font:
        inner += f'<a:cs typeface="{escape(cs_font)}"/>'
    return f"<a:rPr{attrs}>{inner}</a:rPr>" if inner else f"<a:rPr{attrs}/>"


def paragraph_properties(rtl: bool, align: str = "l", level: int = 0, margin: int | None = None,
                         indent: int | None = None, space_before: float | None = None,
                         bullet: str | None = None) -> str:
    """<a:pPr>. bullet: None keeps the layout's bullet, "none" switches it off.
    Right-to-left paragraphs get rtl="1" and, unless centred, are aligned to the right."""
    attrs = ""
    if margin is not None:
        attrs += f' marL="{int(margin)}"'
    if level:
        attrs += f' lvl="{level}"'
    if indent is not None:
        attrs += f' indent="{int(indent)}"'
    if rtl:
        attrs += ' algn="ctr"' if align == "ctr" else ' algn="r"'
        attrs += ' rtl="1"'
    elif align not in ("l", None):
        attrs += f' algn="{align}"'
    inner = ""
    if space_before is not None:
        inner += f'<a:spcBef><a:spcPts val="{int(round(space_before * 100))}"/></a:spcBef>'
    if bullet == "none":
        inner += "<a:buNone/>"
    if not attrs and not inner:
        return ""
    return f"<a:pPr{attrs}>{inner}</a:pPr>" if inner else f"<a:pPr{attrs}/>"


def set_presentation_rtl(prs) -> None:
    prs.part._element.set("rtl", "1")


def core_properties(prs, title: str, subject: str, author: str, language: str, date: dt.datetime) -> None:
    """Fixed document properties: nothing from the template, the machine or the clock."""
    props = prs.core_properties
    props.title, props.subject, props.author = title[:255], subject[:255], author[:255]
    props.last_modified_by, props.language = author[:255], language
    props.keywords, props.category, props.comments, props.content_status = "", "", "", ""
    props.identifier, props.version = "", ""
    props.revision = 1
    props.created = props.modified = date
    printed = props._element.find(qn("cp:lastPrinted"))
    if printed is not None:
        props._element.remove(printed)


def app_properties(slides: int) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<Application>Teach Forward</Application><PresentationFormat>Widescreen</PresentationFormat>'
            f'<Slides>{slides}</Slides></Properties>').encode()


STORED = (".png", ".jpg", ".jpeg", ".gif")      # already compressed


# Parts of the template that no deck changes: serialised once per template, not per deck.
UNCHANGED = ("/ppt/slideLayouts/", "/ppt/slideMasters/", "/ppt/theme/", "/ppt/notesMasters/",
             "/ppt/presProps.xml", "/ppt/viewProps.xml", "/ppt/tableStyles.xml")


def package_bytes(prs, cache: dict | None = None) -> bytes:
    """Serialise a python-pptx package as a zip whose entries carry a fixed date and no
    host-specific attributes, so that the same content always gives the same bytes.
    `cache` keeps the serialised template parts between decks of the same template."""
    package = prs.part.package
    parts = list(package.iter_parts())
    entries = [_entry(CONTENT_TYPES_URI.membername, serialize_part_xml(_ContentTypesItem.xml_for(parts))),
               _entry(PACKAGE_URI.rels_uri.membername, _rels_xml(package._rels))]
    for part in parts:
        name = str(part.partname)
        if cache is not None and name.startswith(UNCHANGED):
            if name not in cache:      # serialised and compressed once
                cache[name] = [_entry(part.partname.membername, part.blob)]
                if part._rels:
                    cache[name].append(_entry(part.partname.rels_uri.membername, _rels_xml(part.rels)))
            entries.extend(cache[name])
            continue
        entries.append(_entry(part.partname.membername, part.blob))
        if part._rels:
            entries.append(_entry(part.partname.rels_uri.membername, _rels_xml(part.rels)))
    return zip_bytes(entries, FIXED_ZIP_DATE)


def _entry(name: str, blob: bytes) -> Entry:
    return compress(name, blob, store=name.lower().endswith(STORED))


@lru_cache(maxsize=4096)
def _relative(base: str, target: str) -> str:
    return posixpath.relpath(target, base)


def _rels_xml(rels) -> bytes:
    """A part's relationships as XML, in the order of their numbers (as python-pptx writes
    them, without its per-relationship path arithmetic, which dominated saving)."""
    def number(rId: str):
        return (int(rId[3:]) if rId.startswith("rId") and rId[3:].isdigit() else 0, rId)
    out = ['<?xml version=\'1.0\' encoding=\'UTF-8\' standalone=\'yes\'?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for rId in sorted(rels.keys(), key=number):
        rel = rels[rId]
        if rel.is_external:
            target, mode = rel.target_ref, ' TargetMode="External"'
        else:
            target, mode = _relative(rel._base_uri, str(rel.target_partname)), ""
        out.append(f'<Relationship Id="{escape(rId)}" Type="{escape(rel.reltype)}" Target="{escape(target)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def set_app_properties(prs, slides: int) -> None:
    """docProps/app.xml without the template's stale counts and application name."""
    for rel in prs.part.package._rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_properties(slides)


# --- reading the template -----------------------------------------------------------------------

def element(obj):
    """The lxml element behind a python-pptx object (layout, master, placeholder, part)."""
    return obj._element


def theme_xml(master) -> bytes:
    return master.part.part_related_by(RT.THEME).blob


def footer_placeholders(layout) -> list[tuple[str, int]]:
    """(type, idx) of the layout's footer and slide-number placeholders, which a slide must
    repeat to show them."""
    found = []
    for shape in layout.placeholders:
        ph = shape._element.ph
        if ph is not None and ph.get("type") in ("ftr", "sldNum"):
            found.append((ph.get("type"), int(ph.get("idx", "0"))))
    return found


def notes_placeholders(prs) -> dict[str, int]:
    """{type: idx} of the notes master's placeholders."""
    return {ph.get("type", "body"): int(ph.get("idx", "0")) for ph in prs.part.notes_master_part._element.iter(P_PH)}


# --- adding slides to the package ---------------------------------------------------------------

def new_slide(prs, number: int, layout):
    """An empty slide part /ppt/slides/slide<number>.xml on `layout`, listed in the presentation."""
    part = SlidePart(PackURI(f"/ppt/slides/slide{number}.xml"), CT.PML_SLIDE, prs.part.package,
                     parse_xml(f"<p:sld {NSDECL}><p:cSld><p:spTree/></p:cSld></p:sld>"))
    part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    prs.part._element.get_or_add_sldIdLst().add_sldId(prs.part.relate_to(part, RT.SLIDE))
    return part


def set_slide_xml(part, xml: str) -> None:
    part._element = parse_xml(xml)


def add_image(part, path: str) -> str:
    """The relationship id of the picture file in the slide part (added once per file)."""
    _, rId = part.get_or_add_image_part(path)
    return rId


def slide_number(part) -> str:
    return str(part.partname.idx) if part.partname.idx else "‹#›"


def add_notes(prs, part, number: int, xml: str) -> None:
    notes = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{number}.xml"), CT.PML_NOTES_SLIDE,
                           prs.part.package, parse_xml(xml))
    notes.relate_to(prs.part.notes_master_part, RT.NOTES_MASTER)
    notes.relate_to(part, RT.SLIDE)
    part.relate_to(notes, RT.NOTES_SLIDE)


# --- slide XML ----------------------------------------------------------------------------------

def run(text: str, props: str) -> str:
    return f"<a:r>{props}<a:t>{escape(text)}</a:t></a:r>"


def paragraph(runs_xml: str, props: str = "") -> str:
    return f"<a:p>{props}{runs_xml}</a:p>"


def empty_paragraph(props: str, lang: str) -> str:
    return f'<a:p>{props}<a:endParaRPr lang="{escape(lang)}"/></a:p>'


def xfrm(box: tuple[int, int, int, int]) -> str:
    x, y, width, height = (int(v) for v in box)
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'


def text_placeholder(shape_id: int, name: str, ph_type: str, idx: int | None, paragraphs: str,
                     box: tuple[int, int, int, int] | None = None, size: str = "") -> str:
    """<p:sp> filling a layout placeholder (idx None: the title, found by type)."""
    ph = f'type="{ph_type}"' + (f' sz="{size}"' if size else "") + ("" if idx is None else f' idx="{idx}"')
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)}"/><p:cNvSpPr>'
            f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>'
            f'<p:spPr>{xfrm(box) if box else ""}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>')


def slide_number_paragraph(props: str, number: str) -> str:
    return f'<a:p><a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum">{props}<a:t>{escape(number)}</a:t></a:fld></a:p>'


def picture(shape_id: int, idx: int, rId: str, alt: str, box: tuple[int, int, int, int]) -> str:
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="Picture {shape_id - 1}" descr="{escape(alt)}"/>'
            f'<p:cNvPicPr><a:picLocks noGrp="1" noChangeAspect="1"/></p:cNvPicPr><p:nvPr><p:ph type="pic" idx="{idx}"/>'
            f'</p:nvPr></p:nvPicPr><p:blipFill><a:blip r:embed="{escape(rId)}"/><a:stretch><a:fillRect/></a:stretch>'
            f'</p:blipFill><p:spPr>{xfrm(box)}</p:spPr></p:pic>')


def table_cell(paragraph_xml: str, margin_y: int, fill: str) -> str:
    return (f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraph_xml}</a:txBody>'
            f'<a:tcPr marT="{margin_y}" marB="{margin_y}" anchor="ctr"><a:solidFill><a:schemeClr val="{fill}"/>'
            f'</a:solidFill></a:tcPr></a:tc>')


def table_row(height: int, cells: list[str]) -> str:
    return f'<a:tr h="{height}">{"".join(cells)}</a:tr>'


def table(shape_id: int, idx: int, box: tuple[int, int, int, int], widths: list[int], rows: list[str],
          rtl: bool) -> str:
    x, y, width, height = box
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    direction = ' rtl="1"' if rtl else ""
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Table {shape_id - 1}"/>'
            f'<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr>'
            f'<p:ph type="tbl" idx="{idx}"/></p:nvPr></p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/>'
            f'<a:ext cx="{width}" cy="{height}"/></p:xfrm><a:graphic>'
            f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>'
            f'<a:tblPr firstRow="1"{direction}><a:tableStyleId>{TABLE_STYLE}</a:tableStyleId>'
            f'</a:tblPr><a:tblGrid>{grid}</a:tblGrid>{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')


def slide(shapes: list[str]) -> str:
    return (f'<p:sld {NSDECL}><p:cSld><p:spTree>{GROUP}{"".join(shapes)}</p:spTree></p:cSld>'
            f'<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>')


def notes(paragraphs: list[str], placeholders: dict[str, int]) -> str:
    """A notes page: the slide's image and the notes text, in the notes master's placeholders."""
    image = placeholders.get("sldImg", 2)
    body = placeholders.get("body", 3)
    return (f'<p:notes {NSDECL}><p:cSld><p:spTree>{GROUP}'
            f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" '
            f'noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg" idx="{image}"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
            f'<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr><p:ph type="body" sz="quarter" idx="{body}"/></p:nvPr></p:nvSpPr><p:spPr/>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/>{"".join(paragraphs)}</p:txBody></p:sp>'
            f'</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>')
