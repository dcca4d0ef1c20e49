"""What python-pptx has no API for, in one place: the language of the text, right-to-left
paragraphs, the complex-script font, bullets switched off, and deterministic
document properties and zip entries."""
from __future__ import annotations

import datetime as dt
import posixpath
from functools import lru_cache
from xml.sax.saxutils import escape

from pptx.oxml.ns import qn

from teachforward.zipfiles import Entry, compress, zip_bytes

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
        inner += f'<a:latin typeface="{escape(font, {chr(34): "&quot;"})}"/>'
    if rtl and cs_font:
        inner += f'<a:cs typeface="{escape(cs_font, {chr(34): "&quot;"})}"/>'
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


def package_bytes(package, cache: dict | None = None) -> bytes:
    """Serialise a python-pptx package as a zip whose entries carry a fixed date and no
    host-specific attributes, so that the same content always gives the same bytes.
    `cache` keeps the serialised template parts between decks of the same template."""
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from pptx.opc.serialized import _ContentTypesItem

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
        out.append(f'<Relationship Id="{_attr(rId)}" Type="{_attr(rel.reltype)}" Target="{_attr(target)}"{mode}/>')
    out.append("</Relationships>")
    return "".join(out).encode("utf-8")


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def set_app_properties(package, slides: int) -> None:
    """docProps/app.xml without the template's stale counts and application name."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    for rel in package._rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_properties(slides)
