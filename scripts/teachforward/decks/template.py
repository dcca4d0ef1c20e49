"""The design: slides_src/layouts.yaml (which layout and placeholders each kind of slide
uses) and slides_src/template.pptx, checked before any deck is made and measured for the
text-fitting estimate."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from teachforward.content.design import KINDS, ROLES, default_directory, read_layouts
from teachforward.decks import ooxml
from teachforward.decks.fit import Box, Level
from teachforward.problems import Problems

__all__ = ["KINDS", "ROLES", "default_directory"]

EMU_PER_PT = 12700
TEXT_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.TITLE,
              PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_BODY}
ROLE_TYPES = {
    "title": {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE},
    "picture": {PP_PLACEHOLDER.PICTURE},
    "table": {PP_PLACEHOLDER.TABLE},
}
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


class DesignError(Exception):
    """The design files cannot be used; the message says why and what to do."""

    def __init__(self, path: Path, message: str, hint: str = ""):
        super().__init__(message)
        self.path, self.message, self.hint = path, message, hint


@dataclass(frozen=True)
class Kind:
    name: str
    layout: str
    placeholders: dict          # role -> idx
    options: dict = field(default_factory=dict)     # other settings, e.g. font_size


@dataclass
class Design:
    directory: Path
    template_path: Path
    template_bytes: bytes
    kinds: dict[str, Kind]
    boxes: dict[tuple[str, str], Box]               # (kind, role) -> measured box
    geometry: dict[tuple[str, str], tuple[int, int, int, int]]   # (kind, role) -> EMU box
    slide_size: tuple[int, int]
    fingerprint: str
    fonts: dict = field(default_factory=dict)

    def box(self, kind: str, role: str) -> Box:
        return self.boxes[(kind, role)]


def load_design(directory: Path) -> Design:
    """Read and check the design; raise DesignError with a message for people."""
    layouts_path = directory / "layouts.yaml"
    found = Problems(directory)
    settings = read_layouts(directory, found)
    if settings is None:
        first = found.items[0] if found.items else None
        where = f" (line {first.line})" if first and first.line else ""
        raise DesignError(layouts_path, (first.message if first else "layouts.yaml cannot be used") + where,
                          first.hint if first else "")
    kinds = {name: Kind(name, entry.layout, entry.placeholders(name), entry.options())
             for name, entry in settings.kinds.items()}
    template_path = directory / settings.template
    template_bytes = template_path.read_bytes()
    try:
        prs = Presentation(io.BytesIO(template_bytes))
    except Exception as error:   # any unreadable file: zip, XML or package errors
        raise DesignError(template_path, f"the slide template cannot be opened ({type(error).__name__}: {error})",
                          "make it again with: .venv/bin/python scripts/make_template.py") from error
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    wanted = sorted({k.layout for k in kinds.values()})
    missing = [name for name in wanted if name not in layouts]
    if missing:
        raise DesignError(template_path, "the slide template lacks the layouts: " + ", ".join(f'"{m}"' for m in missing),
                          "its layouts are: " + ", ".join(f'"{n}"' for n in layouts)
                          + "; make it again with scripts/make_template.py or fix the names in slides_src/layouts.yaml")
    master = prs.slide_master
    boxes, geometry, problems = {}, {}, []
    for kind in kinds.values():
        layout = layouts[kind.layout]
        # python-pptx's stubs declare the placeholders' __iter__ as a plain attribute.
        by_idx = {ph.placeholder_format.idx: ph for ph in layout.placeholders}  # type: ignore[misc]
        for role, idx in kind.placeholders.items():
            ph = by_idx.get(idx)
            if ph is None:
                problems.append(f'"{kind.layout}" has no placeholder {idx} (for the {role} of {kind.name} slides)')
                continue
            ph_type = ph.placeholder_format.type
            expected = ROLE_TYPES.get(role, TEXT_TYPES - {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE})
            if ph_type not in expected:
                problems.append(f'placeholder {idx} of "{kind.layout}" is a {ph_type} placeholder; the {role} needs '
                                + " or ".join(str(t) for t in expected))
                continue
            x, y, w, h = _geometry(ph, master)
            geometry[(kind.name, role)] = (x, y, w, h)
            if ph_type in TEXT_TYPES:
                boxes[(kind.name, role)] = _measure(ph, master, w, h)
    if problems:
        raise DesignError(template_path, "the slide template does not match layouts.yaml: " + "; ".join(problems),
                          "make it again with scripts/make_template.py or fix slides_src/layouts.yaml")
    fingerprint = hashlib.sha256(template_bytes + b"\0" + layouts_path.read_bytes()).hexdigest()
    fonts = _theme_fonts(master)
    width, height = prs.slide_width, prs.slide_height
    if width is None or height is None:
        raise DesignError(template_path, "the slide template has no slide size",
                          "make it again with scripts/make_template.py")
    return Design(directory, template_path, template_bytes, kinds, boxes, geometry, (width, height), fingerprint, fonts)


def _geometry(ph, master) -> tuple[int, int, int, int]:
    if ph.left is not None and ph.width is not None:
        return ph.left, ph.top, ph.width, ph.height
    for inherited in master.placeholders:          # fall back on the master's placeholder
        if inherited.placeholder_format.type == ph.placeholder_format.type:
            return inherited.left, inherited.top, inherited.width, inherited.height
    return 0, 0, 0, 0


def _level_styles(element, master, is_title: bool) -> list[dict]:
    """Effective size, margins and spacing per level: the layout's lstStyle over the master's."""
    styles = ooxml.element(master).find(f"{P}txStyles")
    base = styles.find(f"{P}titleStyle" if is_title else f"{P}bodyStyle") if styles is not None else None
    out = []
    for number in range(1, 4):
        style = {"size": 18.0, "margin": 0.0, "indent": 0.0, "space_before": 0.0, "line_spacing": 1.0, "bold": False,
                 "align": "l"}
        sources = [base, element.find(f"{P}txBody/{A}lstStyle")]
        for source in sources:
            if source is None:
                continue
            level = source.find(f"{A}lvl{number}pPr")
            if level is None:
                continue
            if level.get("algn") is not None:
                style["align"] = level.get("algn")
            if level.get("marL") is not None:
                style["margin"] = int(level.get("marL")) / EMU_PER_PT
            if level.get("indent") is not None:
                style["indent"] = int(level.get("indent")) / EMU_PER_PT
            spacing = level.find(f"{A}spcBef/{A}spcPts")
            if spacing is not None:
                style["space_before"] = int(spacing.get("val")) / 100
            line = level.find(f"{A}lnSpc/{A}spcPct")
            if line is not None:
                style["line_spacing"] = int(line.get("val")) / 100000
            run = level.find(f"{A}defRPr")
            if run is not None and run.get("sz"):
                style["size"] = int(run.get("sz")) / 100
            if run is not None and run.get("b") is not None:
                style["bold"] = run.get("b") in ("1", "true")
        out.append(style)
    return out


def _measure(ph, master, width: int, height: int) -> Box:
    element = ooxml.element(ph)
    body = element.find(f"{P}txBody/{A}bodyPr")
    insets = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
    if body is not None:
        for key in insets:
            if body.get(key) is not None:
                insets[key] = int(body.get(key))
    is_title = ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    styles = _level_styles(element, master, is_title)
    levels = tuple(Level(s["size"], s["margin"], s["indent"], s["space_before"], s["line_spacing"]) for s in styles)
    inner_w = (width - insets["lIns"] - insets["rIns"]) / EMU_PER_PT
    inner_h = (height - insets["tIns"] - insets["bIns"]) / EMU_PER_PT
    return Box(inner_w, inner_h, levels, bold=styles[0]["bold"], align=styles[0]["align"])


def _theme_fonts(master) -> dict:
    try:
        theme = etree.fromstring(ooxml.theme_xml(master))
    except Exception:
        return {}
    minor = theme.find(f".//{A}minorFont")
    if minor is None:
        return {}
    latin, cs = minor.find(f"{A}latin"), minor.find(f"{A}cs")
    return {"latin": latin.get("typeface") if latin is not None else "",
            "cs": cs.get("typeface") if cs is not None else ""}
