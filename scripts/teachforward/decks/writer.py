"""Write a planned deck: python-pptx holds the package (template, parts, relationships,
pictures, saving); each slide's shapes are written as DrawingML directly, placeholders that
inherit position and style from their layout, which is found by name.

Writing the XML here, rather than through python-pptx's shape objects, makes a deck about
ten times faster (python-pptx looks placeholders up with XPath on every access).
"""
from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.parts.slide import NotesSlidePart, SlidePart

from teachforward.decks import fit, xml_tweaks
from teachforward.decks.plan import Deck, Slide, language_tag
from teachforward.decks.template import Design
from teachforward.decks.text import Para

EMU_PER_PT = 12700
NSDECL = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
GROUP = ('<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
         '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>')
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_PLACEHOLDERS: dict[str, tuple[dict, dict]] = {}
_TEMPLATE_PARTS: dict[str, dict] = {}


def attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def write_deck(deck: Deck, design: Design) -> tuple[bytes, int]:
    """The deck as .pptx bytes, and its number of slides."""
    prs = Presentation(io.BytesIO(design.template_bytes))
    package = prs.part.package
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    notes_master = prs.part.notes_master_part
    if design.fingerprint not in _PLACEHOLDERS:          # the same for every deck of a design
        _PLACEHOLDERS[design.fingerprint] = (
            {name: _footer_placeholders(layout) for name, layout in layouts.items()},
            _notes_placeholders(notes_master))
    footers, notes_ph = _PLACEHOLDERS[design.fingerprint]
    slide_ids = prs.part._element.get_or_add_sldIdLst()
    for number, spec in enumerate(deck.slides, 1):
        layout = layouts[design.kinds[spec.kind].layout]
        part = SlidePart(PackURI(f"/ppt/slides/slide{number}.xml"), CT.PML_SLIDE, package,
                         parse_xml(f"<p:sld {NSDECL}><p:cSld><p:spTree/></p:cSld></p:sld>"))
        part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        writer = _SlideWriter(deck, design, spec, part, footers[layout.name], prs.slide_width)
        part._element = parse_xml(writer.xml())
        slide_ids.add_sldId(prs.part.relate_to(part, RT.SLIDE))
        if spec.notes:
            notes = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{number}.xml"), CT.PML_NOTES_SLIDE, package,
                                   parse_xml(_notes_xml(spec, deck, notes_ph)))
            notes.relate_to(notes_master, RT.NOTES_MASTER)
            notes.relate_to(part, RT.SLIDE)
            part.relate_to(notes, RT.NOTES_SLIDE)
    if deck.lang in deck.rtl_languages:
        xml_tweaks.set_presentation_rtl(prs)
    date = dt.datetime.fromtimestamp(deck.date, dt.UTC).replace(tzinfo=None)
    xml_tweaks.core_properties(prs, deck.title, deck.subject, deck.author, deck.language_tag, date)
    xml_tweaks.set_app_properties(package, len(deck.slides))
    cache = _TEMPLATE_PARTS.setdefault(design.fingerprint, {})
    return xml_tweaks.package_bytes(package, cache), len(deck.slides)


def _footer_placeholders(layout) -> list[tuple[str, int]]:
    found = []
    for sp in layout.placeholders:
        ph = sp._element.ph
        if ph is not None and ph.get("type") in ("ftr", "sldNum"):
            found.append((ph.get("type"), int(ph.get("idx", "0"))))
    return found


def _notes_placeholders(notes_master) -> dict[str, int]:
    found = {}
    for ph in notes_master._element.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}ph"):
        found[ph.get("type", "body")] = int(ph.get("idx", "0"))
    return found


class _SlideWriter:
    def __init__(self, deck: Deck, design: Design, spec: Slide, part, footers, slide_width: int):
        self.deck, self.design, self.spec, self.part = deck, design, spec, part
        self.footers, self.slide_width = footers, slide_width
        self.kind = design.kinds[spec.kind]
        self.rtl = spec.lang in deck.rtl_languages
        self.lang = language_tag(spec.lang)
        self.shapes: list[str] = []
        self.next_id = 2

    # --- pieces ------------------------------------------------------------------------------

    def run(self, text: str, bold=None, italic=None, size=None, colour=None) -> str:
        props = xml_tweaks.run_properties(self.lang, self.rtl, self.deck.complex_script_font, bold, italic, size, colour)
        return f"<a:r>{props}<a:t>{escape(text)}</a:t></a:r>"

    def paragraph(self, runs_xml: str, align: str = "l", **format) -> str:
        return f"<a:p>{xml_tweaks.paragraph_properties(self.rtl, align, **format)}{runs_xml}</a:p>"

    def placeholder(self, role: str, paragraphs: str, xfrm: tuple[int, int, int, int] | None = None) -> None:
        idx = self.kind.placeholders[role]
        ph_type = "title" if role == "title" else "body"
        if role == "title" and self.spec.kind == "title":
            ph_type = "ctrTitle"
        if role == "subtitle":
            ph_type = "subTitle"
        ph = f'type="{ph_type}"' + ("" if role == "title" else f' idx="{idx}"')
        shape_id = self._id()
        self.shapes.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{role.capitalize()} {shape_id - 1}"/><p:cNvSpPr>'
            f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>'
            f'<p:spPr>{_xfrm(xfrm) if xfrm else ""}</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>')

    def _id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def align(self, role: str) -> str:
        box = self.design.boxes.get((self.spec.kind, role))
        return box.align if box else "l"

    def mirrored(self, role: str) -> tuple[int, int, int, int] | None:
        """Right-to-left slides with a picture put the text on the right, the picture on the left."""
        if not (self.rtl and self.spec.kind == "section_picture"):
            return None
        x, y, width, height = self.design.geometry[(self.spec.kind, role)]
        return self.slide_width - x - width, y, width, height

    # --- the slide ---------------------------------------------------------------------------

    def xml(self) -> str:
        spec = self.spec
        title_run = self.run(spec.title, size=spec.title_size)
        self.placeholder("title", self.paragraph(title_run, self.align("title")))
        if spec.subtitle and "subtitle" in self.kind.placeholders:
            self.placeholder("subtitle", self.paragraph(self.run(spec.subtitle), self.align("subtitle")))
        if spec.meta and "meta" in self.kind.placeholders:
            self.placeholder("meta", self.paragraph(self.run(spec.meta), self.align("meta")))
        if spec.body and "body" in self.kind.placeholders:
            self.placeholder("body", self.body(spec.body), self.mirrored("body"))
        if spec.picture and "picture" in self.kind.placeholders:
            self.picture()
        if spec.caption and "caption" in self.kind.placeholders:
            caption = self.run(spec.caption, size=spec.caption_size)
            self.placeholder("caption", self.paragraph(caption, self.align("caption")), self.mirrored("caption"))
        if spec.table and "table" in self.kind.placeholders:
            self.table()
        for ph_type, idx in self.footers:
            self.footer(ph_type, idx)
        return (f'<p:sld {NSDECL}><p:cSld><p:spTree>{GROUP}{"".join(self.shapes)}</p:spTree></p:cSld>'
                f'<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>')

    def body(self, paras: tuple[Para, ...]) -> str:
        box = self.design.box(self.spec.kind, "body")
        size = self.spec.body_size
        if size:
            box = fit.with_size(box, size)
        colour = "tx2" if self.spec.kind == "exercise" else None
        out = []
        for index, para in enumerate(paras):
            fmt = fit.paragraph_format(para, box, index)
            heading = para.style == "heading"
            runs = "".join(self.run(r.text, True if r.bold else None, True if r.italic else None,
                                    size=size if para.level == 0 else None,
                                    colour=colour if heading else None) for r in para.runs)
            if para.style == "number":
                # The number is text, not an automatic number: LibreOffice carries automatic
                # numbering on across the paragraphs between two lists (questions would start at 4).
                level = box.level(para.level)
                # A tab lines the text up with the hanging indent; LibreOffice ignores it in
                # right-to-left paragraphs, where a space keeps the number apart.
                gap = " " if self.rtl else "\t"
                number = self.run(f"{para.number}.{gap}", size=size if para.level == 0 else None, colour="accent2")
                out.append(self.paragraph(number + runs, box.align, level=para.level,
                                          margin=int(level.margin * EMU_PER_PT), indent=int(level.indent * EMU_PER_PT),
                                          bullet="none"))
            elif para.style == "bullet":
                out.append(self.paragraph(runs, box.align, level=para.level))
            else:
                out.append(self.paragraph(runs, box.align, level=para.level, margin=int(fmt.margin * EMU_PER_PT), indent=0,
                                          space_before=fmt.space_before if heading and index else None, bullet="none"))
        return "".join(out)

    def picture(self) -> None:
        picture = self.spec.picture
        assert picture is not None        # only picture slides are drawn with one
        _, rId = self.part.get_or_add_image_part(picture.png)
        x, y, width, height = self.mirrored("picture") or self.design.geometry[(self.spec.kind, "picture")]
        scale = min(width / picture.width, height / picture.height)
        fitted_w, fitted_h = int(picture.width * scale), int(picture.height * scale)
        box = (x + (width - fitted_w) // 2, y + (height - fitted_h) // 2, fitted_w, fitted_h)
        shape_id = self._id()
        idx = self.kind.placeholders["picture"]
        self.shapes.append(
            f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="Picture {shape_id - 1}" descr="{attr(picture.alt)}"/>'
            f'<p:cNvPicPr><a:picLocks noGrp="1" noChangeAspect="1"/></p:cNvPicPr><p:nvPr><p:ph type="pic" idx="{idx}"/>'
            f'</p:nvPr></p:nvPicPr><p:blipFill><a:blip r:embed="{rId}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{_xfrm(box)}</p:spPr></p:pic>')

    def table(self) -> None:
        spec = self.spec
        x, y, width, _ = self.design.geometry[(spec.kind, "table")]
        widths = [int(w * EMU_PER_PT) for w in spec.table_widths]
        widths[-1] = width - sum(widths[:-1])
        rows, total = [], 0
        last = len(spec.table) - 1
        margin_y = int(fit.CELL_MARGIN_Y * EMU_PER_PT)
        for r, row in enumerate(spec.table):
            header = r == 0
            bold = header or (spec.table_bold_last and r == last)
            height = int(fit.table_row_height(list(row), list(spec.table_widths), spec.table_size, bold) * EMU_PER_PT)
            total += height
            fill = "accent1" if header else ("bg2" if r % 2 == 0 else "bg1")
            colour = "bg1" if header else "tx1"
            cells = []
            for c, text in enumerate(row):
                align = spec.table_align[c] if c < len(spec.table_align) else "ctr" if c < len(row) - 1 else "l"
                run = self.run(text, bold=True if bold else None, size=spec.table_size, colour=colour)
                cells.append(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{self.paragraph(run, align)}</a:txBody>'
                             f'<a:tcPr marT="{margin_y}" marB="{margin_y}" anchor="ctr">'
                             f'<a:solidFill><a:schemeClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>')
            rows.append(f'<a:tr h="{height}">{"".join(cells)}</a:tr>')
        grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
        shape_id = self._id()
        idx = self.kind.placeholders["table"]
        rtl = ' rtl="1"' if self.rtl else ""
        self.shapes.append(
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Table {shape_id - 1}"/>'
            f'<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr><p:ph type="tbl" idx="{idx}"/>'
            f'</p:nvPr></p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{width}" cy="{total}"/></p:xfrm>'
            f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>'
            f'<a:tblPr firstRow="1"{rtl}><a:tableStyleId>{TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>'
            f'{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')

    def footer(self, ph_type: str, idx: int) -> None:
        shape_id = self._id()
        # LibreOffice shows footers in its default serif font unless the run names a font.
        props = xml_tweaks.run_properties(self.lang, self.rtl, self.deck.complex_script_font, font="+mn-lt")
        if ph_type == "sldNum":
            content = (f'<a:p><a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum">{props}<a:t>{self.spec_number()}</a:t>'
                       f'</a:fld></a:p>')
            name = "Slide Number"
        else:
            run = f"<a:r>{props}<a:t>{escape(self.deck.footer)}</a:t></a:r>"
            content = f'<a:p>{xml_tweaks.paragraph_properties(self.rtl, "l")}{run}</a:p>'
            name = "Footer"
        self.shapes.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name} {shape_id - 1}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f'</p:cNvSpPr><p:nvPr><p:ph type="{ph_type}" sz="quarter" idx="{idx}"/></p:nvPr></p:nvSpPr><p:spPr/>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/>{content}</p:txBody></p:sp>')

    def spec_number(self) -> str:
        return self.part.partname.idx and str(self.part.partname.idx) or "‹#›"


def _xfrm(box: tuple[int, int, int, int]) -> str:
    x, y, width, height = (int(v) for v in box)
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'


def _notes_xml(spec: Slide, deck: Deck, placeholders: dict[str, int]) -> str:
    rtl = spec.lang in deck.rtl_languages
    lang = language_tag(spec.lang)
    paragraphs = []
    for line in spec.notes.split("\n"):
        p_pr = xml_tweaks.paragraph_properties(rtl, "l")
        if line.strip():
            props = xml_tweaks.run_properties(lang, rtl, deck.complex_script_font)
            paragraphs.append(f"<a:p>{p_pr}<a:r>{props}<a:t>{escape(line)}</a:t></a:r></a:p>")
        else:
            paragraphs.append(f'<a:p>{p_pr}<a:endParaRPr lang="{lang}"/></a:p>')
    image = placeholders.get("sldImg", 2)
    body = placeholders.get("body", 3)
    return (f'<p:notes {NSDECL}><p:cSld><p:spTree>{GROUP}'
            f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" '
            f'noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg" idx="{image}"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
            f'<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr><p:ph type="body" sz="quarter" idx="{body}"/></p:nvPr></p:nvSpPr><p:spPr/>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/>{"".join(paragraphs)}</p:txBody></p:sp>'
            f'</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>')
