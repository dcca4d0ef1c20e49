"""Make slides_src/template.pptx, the 16:9 template of the slide decks, from slides_src/theme.yaml.

    .venv/bin/python scripts/make_template.py [--theme slides_src/theme.yaml] [--out slides_src/template.pptx]

The template is python-pptx's default package with everything that matters replaced: the slide
size, the theme's colours and fonts, the master's text styles and placeholder positions, and
the layouts, each one named so that the deck renderer finds it by name (slides_src/layouts.yaml).
The output is byte-identical for the same theme.yaml.
"""
from __future__ import annotations

import argparse
import copy
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

ROOT = Path(__file__).resolve().parent.parent
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
EMU_PER_INCH = 914400
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
SCHEME = {"text": "dk1", "background": "lt1", "title": "dk2", "panel": "lt2",
          "accent1": "accent1", "accent2": "accent2", "accent3": "accent3", "accent4": "accent4",
          "accent5": "accent5", "accent6": "accent6", "hyperlink": "hlink", "followed_hyperlink": "folHlink"}
PROMPTS = {"title": "Slide title", "ctrTitle": "Workshop title", "subTitle": "Course name",
           "body": "Text", "pic": "Picture", "tbl": "Table", "ftr": "", "sldNum": ""}


def emu(inches: float) -> int:
    return int(round(inches * EMU_PER_INCH))


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def colour(value) -> str:
    """A theme colour name (tx2, accent2, ...) or an RGB hex value, as DrawingML."""
    value = str(value)
    if len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return f'<a:solidFill><a:srgbClr val="{value.upper()}"/></a:solidFill>'
    return f'<a:solidFill><a:schemeClr val="{value}"/></a:solidFill>'


def xfrm(box) -> str:
    x, y, w, h = (emu(v) for v in box)
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


# --- the theme part -------------------------------------------------------------------------

def write_theme(blob: bytes, theme: dict) -> bytes:
    root = etree.fromstring(blob)
    root.set("name", theme["name"])
    scheme = root.find(".//a:clrScheme", NS)
    scheme.set("name", theme["name"])
    for child in list(scheme):
        scheme.remove(child)
    for key, element in SCHEME.items():
        value = theme["colours"][key]
        item = etree.SubElement(scheme, q(f"a:{element}"))
        etree.SubElement(item, q("a:srgbClr")).set("val", value.upper())
    fonts = root.find(".//a:fontScheme", NS)
    fonts.set("name", theme["name"])
    for tag, face in (("a:majorFont", theme["fonts"]["heading"]), ("a:minorFont", theme["fonts"]["body"])):
        font = fonts.find(tag, NS)
        for child in list(font):
            font.remove(child)
        etree.SubElement(font, q("a:latin")).set("typeface", face)
        etree.SubElement(font, q("a:ea")).set("typeface", "")
        etree.SubElement(font, q("a:cs")).set("typeface", theme["fonts"]["complex_script"])
    root.find(".//a:fmtScheme", NS).set("name", theme["name"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- text styles ----------------------------------------------------------------------------

def level_xml(level: int, style: dict, bullet_colour: str | None, default_bullets: bool = True) -> str:
    size = int(round(style["size"] * 100))
    attrs = f'marL="{emu(style.get("margin", 0))}" indent="{emu(style.get("indent", 0))}"'
    if style.get("align"):
        attrs += f' algn="{style["align"]}"'
    inner = ""
    if style.get("line_spacing"):
        inner += f'<a:lnSpc><a:spcPct val="{int(style["line_spacing"] * 100000)}"/></a:lnSpc>'
    inner += f'<a:spcBef><a:spcPts val="{int(style.get("space_before", 0) * 100)}"/></a:spcBef>'
    if style.get("bullet") and default_bullets:
        if bullet_colour:
            inner += f'<a:buClr>{colour(bullet_colour)[len("<a:solidFill>"):-len("</a:solidFill>")]}</a:buClr>'
        inner += f'<a:buFont typeface="Arial"/><a:buChar char="{escape(style["bullet"])}"/>'
    else:
        inner += "<a:buNone/>"
    run = f'sz="{size}"' + (' b="1"' if style.get("bold") else ' b="0"') + (' i="1"' if style.get("italic") else "")
    fill = colour(style["colour"]) if style.get("colour") else ""
    fonts = '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/>' if style.get("heading") \
        else '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>'
    if style.get("font"):       # footers: LibreOffice does not resolve theme fonts there
        fonts = f'<a:latin typeface="{escape(style["font"])}"/><a:cs typeface="{escape(style["font"])}"/>'
    return f'<a:lvl{level}pPr {attrs}>{inner}<a:defRPr {run}>{fill}{fonts}</a:defRPr></a:lvl{level}pPr>'


def master_styles(theme: dict) -> str:
    text = theme["text"]
    title = dict(text["title"], heading=True)
    title_xml = f'<p:titleStyle>{level_xml(1, title, None, default_bullets=False)}</p:titleStyle>'
    levels = text["body"] + [text["body"][-1]] * (9 - len(text["body"]))
    body = "".join(level_xml(i + 1, dict(style, colour="tx1"), text["bullet_colour"]) for i, style in enumerate(levels))
    other = "".join(level_xml(i + 1, {"size": 18, "colour": "tx1", "margin": 0.5 * i}, None) for i in range(9))
    return (f'<p:txStyles xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}">{title_xml}<p:bodyStyle>{body}</p:bodyStyle>'
            f'<p:otherStyle>{other}</p:otherStyle></p:txStyles>')


def placeholder_style(spec: dict, theme: dict) -> str:
    """The lstStyle of a layout placeholder: what it changes against the master."""
    body_levels = theme["text"]["body"]
    if spec["type"] in ("title", "ctrTitle"):
        style = dict(theme["text"]["title"], heading=True)
        for key in ("size", "colour", "bold", "align"):
            if key in spec:
                style[key] = spec[key]
        return level_xml(1, style, None, default_bullets=False)
    if spec["type"] in ("pic", "tbl", "ftr", "sldNum"):
        return ""
    sizes = spec.get("levels") or ([spec["size"]] if "size" in spec else [])
    out = []
    for level, base in enumerate(body_levels[:3]):
        style = dict(base, colour=spec.get("colour", "tx1"))
        if level < len(sizes):
            style["size"] = sizes[level]
        elif sizes:
            style["size"] = min(sizes[-1], base["size"])
        for key in ("bold", "italic", "align"):
            if key in spec:
                style[key] = spec[key]
        bullets = spec.get("bullets", True)
        if not bullets:
            style.update(margin=0, indent=0)
            if level:
                style["margin"] = 0.4 * level
        if spec["type"] == "subTitle":
            style.update(margin=0, indent=0, space_before=0)
            bullets = False
        out.append(level_xml(level + 1, style, theme["text"]["bullet_colour"], default_bullets=bullets))
    return "".join(out)


# --- shapes of a layout ---------------------------------------------------------------------

def placeholder_xml(shape_id: int, spec: dict, theme: dict) -> str:
    kind = spec["type"]
    idx = spec.get("idx", 0)
    ph = f'type="{kind}"' + (f' idx="{idx}"' if kind not in ("title", "ctrTitle") else "")
    if kind in ("ftr", "sldNum"):
        ph += ' sz="quarter"'
    anchor = spec.get("anchor", "b" if kind in ("title", "ctrTitle") else "t")
    name = {"title": "Title", "ctrTitle": "Title", "subTitle": "Subtitle", "pic": "Picture", "tbl": "Table",
            "ftr": "Footer", "sldNum": "Slide Number"}.get(kind, spec.get("role", "Text").capitalize())
    body_pr = (f'<a:bodyPr vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" '
               f'rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr>')
    prompt = PROMPTS.get(kind, "Text")
    if kind == "sldNum":
        paragraph = ('<a:p><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
                     '<a:rPr lang="en-US"/><a:t>‹#›</a:t></a:fld><a:endParaRPr lang="en-US"/></a:p>')
    elif prompt:
        paragraph = f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{escape(prompt)}</a:t></a:r></a:p>'
    else:
        paragraph = '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)} {shape_id - 1}"/>'
            f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>'
            f'<p:spPr>{xfrm(spec["box"])}</p:spPr>'
            f'<p:txBody>{body_pr}<a:lstStyle>{placeholder_style(spec, theme)}</a:lstStyle>{paragraph}</p:txBody></p:sp>')


def rectangle_xml(shape_id: int, spec: dict) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Decoration {shape_id - 1}"/><p:cNvSpPr/>'
            f'<p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{xfrm(spec["box"])}<a:prstGeom prst="rect"><a:avLst/>'
            f'</a:prstGeom>{colour(spec["fill"])}<a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>')


def layout_xml(spec: dict, theme: dict) -> str:
    common = theme["common"]
    shapes, shape_id = [], 2
    if spec.get("background") is None:
        shapes.append(rectangle_xml(shape_id, {"box": common["rule"], "fill": theme["text"]["bullet_colour"]}))
        shape_id += 1
    for shape in spec.get("shapes", []):
        shapes.append(rectangle_xml(shape_id, shape))
        shape_id += 1
    for placeholder in spec["placeholders"]:
        placeholder = dict(placeholder)
        if placeholder["type"] == "title" and "box" not in placeholder:
            placeholder["box"] = common["title_box"]
        shapes.append(placeholder_xml(shape_id, placeholder, theme))
        shape_id += 1
    if spec.get("footer", True):
        footer = theme["text"]["footer"]
        small = {"size": footer["size"], "colour": footer["colour"], "bullets": False, "anchor": "ctr",
                 "font": theme["fonts"]["body"]}
        shapes.append(placeholder_xml(shape_id, dict(small, type="ftr", idx=20, box=common["footer_box"]), theme)
                      .replace("<a:lstStyle></a:lstStyle>",
                               f"<a:lstStyle>{level_xml(1, dict(small, margin=0), None, False)}</a:lstStyle>"))
        shape_id += 1
        shapes.append(placeholder_xml(shape_id, dict(small, type="sldNum", idx=21, box=common["number_box"]), theme)
                      .replace("<a:lstStyle></a:lstStyle>",
                               f"<a:lstStyle>{level_xml(1, dict(small, margin=0, align='r'), None, False)}</a:lstStyle>"))
    background = ""
    if spec.get("background"):
        background = f'<p:bg><p:bgPr>{colour(spec["background"])}<a:effectLst/></p:bgPr></p:bg>'
    kind = "title" if any(p["type"] == "ctrTitle" for p in spec["placeholders"]) else "cust"
    return (f'<p:sldLayout xmlns:a="{NS["a"]}" xmlns:r="{NS["r"]}" xmlns:p="{NS["p"]}" type="{kind}" preserve="1">'
            f'<p:cSld name="{escape(spec["name"])}">{background}<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/>'
            f'<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
            f'<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{"".join(shapes)}</p:spTree></p:cSld>'
            f'<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')


def replace_children(target, source) -> None:
    """Make `target` (an lxml element inside a python-pptx part) a copy of `source`."""
    for child in list(target):
        target.remove(child)
    for key in list(target.attrib):
        del target.attrib[key]
    for key, value in source.attrib.items():
        target.set(key, value)
    for child in source:
        target.append(copy.deepcopy(child))


# --- the master ------------------------------------------------------------------------------

def fix_master(master, theme: dict) -> None:
    element = master._element
    common = theme["common"]
    boxes = {"title": common["title_box"], "body": [0.6, 1.7, 12.13, 5.15], "dt": [0.6, 6.98, 2.5, 0.4],
             "ftr": common["footer_box"], "sldNum": common["number_box"]}
    for sp in element.findall(".//p:cSld/p:spTree/p:sp", NS):
        ph = sp.find(".//p:nvPr/p:ph", NS)
        kind = ph.get("type", "body") if ph is not None else None
        if kind in boxes:
            old = sp.find("p:spPr/a:xfrm", NS)
            new = etree.fromstring(f'<root xmlns:a="{NS["a"]}">{xfrm(boxes[kind])}</root>')[0]
            old.getparent().replace(old, new)
        body_pr = sp.find("p:txBody/a:bodyPr", NS)
        if body_pr is not None:
            for fit in list(body_pr):
                body_pr.remove(fit)
            etree.SubElement(body_pr, q("a:noAutofit"))
    styles = element.find("p:txStyles", NS)
    new_styles = etree.fromstring(master_styles(theme))
    replace_children(styles, new_styles)


def minimal_app_xml(theme: dict) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b'<Application>Teach Forward</Application><PresentationFormat>Widescreen</PresentationFormat>'
            b'<Slides>0</Slides><Notes>0</Notes></Properties>')


def build(theme: dict) -> bytes:
    prs = Presentation()
    width, height = theme["slide_size"]
    prs.slide_width, prs.slide_height = Emu(emu(width)), Emu(emu(height))
    size = prs.part._element.find("p:sldSz", NS)
    size.attrib.pop("type", None)
    master = prs.slide_master
    theme_part = master.part.part_related_by(RT.THEME)
    theme_part._blob = write_theme(theme_part.blob, theme)
    fix_master(master, theme)
    specs = theme["layouts"]
    layouts = list(prs.slide_layouts)
    if len(specs) > len(layouts):
        raise SystemExit(f"theme.yaml defines {len(specs)} layouts; at most {len(layouts)} are supported")
    for layout, spec in zip(layouts, specs, strict=False):   # specs may be fewer
        new = etree.fromstring(layout_xml(spec, theme))
        replace_children(layout._element, new)
    for layout in layouts[len(specs):]:
        prs.slide_layouts.remove(layout)
    # Drop what the default package carries but a template should not: a 4:3 thumbnail and
    # printer settings.
    for rId, rel in list(prs.part.rels.items()):
        if rel.reltype.endswith("/printerSettings"):
            prs.part.drop_rel(rId)
    package = prs.part.package
    for rId, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(rId)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = minimal_app_xml(theme)
    # The notes master, made once here rather than in every deck.
    notes_master = prs.notes_master
    for sp in notes_master._element.findall(".//p:sp", NS):   # a 16:9 picture of the slide
        ph = sp.find(".//p:ph", NS)
        if ph is not None and ph.get("type") == "sldImg":
            old = sp.find("p:spPr/a:xfrm", NS)
            new = etree.fromstring(f'<root xmlns:a="{NS["a"]}">{xfrm([0.4166667, 0.75, 6.6666667, 3.75])}</root>')[0]
            old.getparent().replace(old, new)
    notes_theme = notes_master.part.part_related_by(RT.THEME)
    notes_theme._blob = write_theme(notes_theme.blob, theme)
    props = prs.core_properties
    props.title, props.subject, props.author = f"{theme['name']} slide template", "", theme["name"]
    props.last_modified_by, props.comments, props.keywords, props.category = theme["name"], "", "", ""
    props.revision = 1
    import datetime as dt
    props.created = props.modified = dt.datetime(2020, 1, 1)
    buffer = io.BytesIO()
    prs.save(buffer)
    return fixed_zip(buffer.getvalue())


def fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", type=Path, default=ROOT / "slides_src" / "theme.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "slides_src" / "template.pptx")
    args = parser.parse_args(argv)
    theme = yaml.safe_load(args.theme.read_text(encoding="utf-8"))
    data = build(theme)
    args.out.write_bytes(data)
    names = ", ".join(spec["name"] for spec in theme["layouts"])
    print(f"Wrote {args.out} ({len(data)} bytes) with the layouts: {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
