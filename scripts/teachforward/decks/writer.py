"""Write a planned deck: python-pptx holds the package (template, parts, relationships,
pictures, saving); each slide's shapes are written as DrawingML directly (decks/ooxml.py),
placeholders that inherit position and style from their layout, which is found by name.
"""
from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation

from teachforward.decks import fit, ooxml
from teachforward.decks.plan import Deck, Slide, language_tag
from teachforward.decks.template import Design
from teachforward.decks.text import Para

EMU_PER_PT = 12700
_PLACEHOLDERS: dict[str, tuple[dict, dict]] = {}
_TEMPLATE_PARTS: dict[str, dict] = {}


def write_deck(deck: Deck, design: Design) -> tuple[bytes, int]:
    """The deck as .pptx bytes, and its number of slides."""
    prs = Presentation(io.BytesIO(design.template_bytes))
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    if design.fingerprint not in _PLACEHOLDERS:          # the same for every deck of a design
        _PLACEHOLDERS[design.fingerprint] = (
            {name: ooxml.footer_placeholders(layout) for name, layout in layouts.items()},
            ooxml.notes_placeholders(prs))
    footers, notes_ph = _PLACEHOLDERS[design.fingerprint]
    for number, spec in enumerate(deck.slides, 1):
        layout = layouts[design.kinds[spec.kind].layout]
        part = ooxml.new_slide(prs, number, layout)
        writer = _SlideWriter(deck, design, spec, part, footers[layout.name], prs.slide_width)
        ooxml.set_slide_xml(part, writer.xml())
        if spec.notes:
            ooxml.add_notes(prs, part, number, _notes_xml(spec, deck, notes_ph))
    if deck.lang in deck.rtl_languages:
        ooxml.set_presentation_rtl(prs)
    date = dt.datetime.fromtimestamp(deck.date, dt.UTC).replace(tzinfo=None)
    ooxml.core_properties(prs, deck.title, deck.subject, deck.author, deck.language_tag, date)
    ooxml.set_app_properties(prs, len(deck.slides))
    cache = _TEMPLATE_PARTS.setdefault(design.fingerprint, {})
    return ooxml.package_bytes(prs, cache), len(deck.slides)


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
        props = ooxml.run_properties(self.lang, self.rtl, self.deck.complex_script_font, bold, italic, size, colour)
        return ooxml.run(text, props)

    def paragraph(self, runs_xml: str, align: str = "l", **format) -> str:
        return ooxml.paragraph(runs_xml, ooxml.paragraph_properties(self.rtl, align, **format))

    def placeholder(self, role: str, paragraphs: str, xfrm: tuple[int, int, int, int] | None = None) -> None:
        idx = self.kind.placeholders[role]
        ph_type = "title" if role == "title" else "body"
        if role == "title" and self.spec.kind == "title":
            ph_type = "ctrTitle"
        if role == "subtitle":
            ph_type = "subTitle"
        shape_id = self._id()
        self.shapes.append(ooxml.text_placeholder(shape_id, f"{role.capitalize()} {shape_id - 1}", ph_type,
                                                  None if role == "title" else idx, paragraphs, xfrm))

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
        return ooxml.slide(self.shapes)

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
        rId = ooxml.add_image(self.part, picture.png)
        x, y, width, height = self.mirrored("picture") or self.design.geometry[(self.spec.kind, "picture")]
        scale = min(width / picture.width, height / picture.height)
        fitted_w, fitted_h = int(picture.width * scale), int(picture.height * scale)
        box = (x + (width - fitted_w) // 2, y + (height - fitted_h) // 2, fitted_w, fitted_h)
        self.shapes.append(ooxml.picture(self._id(), self.kind.placeholders["picture"], rId, picture.alt, box))

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
                cells.append(ooxml.table_cell(self.paragraph(run, align), margin_y, fill))
            rows.append(ooxml.table_row(height, cells))
        self.shapes.append(ooxml.table(self._id(), self.kind.placeholders["table"], (x, y, width, total), widths,
                                       rows, self.rtl))

    def footer(self, ph_type: str, idx: int) -> None:
        shape_id = self._id()
        # LibreOffice shows footers in its default serif font unless the run names a font.
        props = ooxml.run_properties(self.lang, self.rtl, self.deck.complex_script_font, font="+mn-lt")
        if ph_type == "sldNum":
            content = ooxml.slide_number_paragraph(props, ooxml.slide_number(self.part))
            name = "Slide Number"
        else:
            content = ooxml.paragraph(ooxml.run(self.deck.footer, props), ooxml.paragraph_properties(self.rtl, "l"))
            name = "Footer"
        self.shapes.append(ooxml.text_placeholder(shape_id, f"{name} {shape_id - 1}", ph_type, idx, content,
                                                  size="quarter"))


def _notes_xml(spec: Slide, deck: Deck, placeholders: dict[str, int]) -> str:
    rtl = spec.lang in deck.rtl_languages
    lang = language_tag(spec.lang)
    paragraphs = []
    for line in spec.notes.split("\n"):
        p_pr = ooxml.paragraph_properties(rtl, "l")
        if line.strip():
            paragraphs.append(ooxml.paragraph(ooxml.run(line, ooxml.run_properties(lang, rtl, deck.complex_script_font)),
                                              p_pr))
        else:
            paragraphs.append(ooxml.empty_paragraph(p_pr, lang))
    return ooxml.notes(paragraphs, placeholders)
