"""Raw HTML in the sources is limited to a short safe list.

Workshops and translations come from many hands, so everything under workshops/ and docs/
is treated as untrusted: Markdown may carry HTML, and that HTML ends up in every reader's
browser. Simple formatting elements (<abbr>, <kbd>, <sup>, <details>, tables...) are
allowed; anything that can run a script, load something from elsewhere or change the page
around it (<script>, <iframe>, <object>, <style>, <form>, event handlers such as onerror=,
javascript: and data: addresses) is refused with the file and line to fix.

Only the sources are checked: the markup the site renderer writes itself is not.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from teachforward.content import markdown
from teachforward.content.model import Course, Document, Exercise, Language, Section, Workshop
from teachforward.problems import FindingsMemo, Problems, remembered

SAFE_TAGS = frozenset("""
    a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i ins kbd li mark ol p pre q rp rt ruby s samp small span
    strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr
""".split())

# Why the usual suspects are refused, in words an author can act on.
DANGEROUS_TAGS = {
    "script": "a script would run in every reader's browser",
    "noscript": "it only matters to pages that run scripts",
    "style": "a style sheet can hide or disguise any part of the page",
    "iframe": "it shows another web site inside the page",
    "frame": "it shows another web site inside the page",
    "frameset": "it shows other web sites inside the page",
    "object": "it embeds an external program or document",
    "embed": "it embeds an external program or document",
    "applet": "it embeds an external program",
    "param": "it configures an embedded program",
    "form": "a form could send what readers type to another site",
    "input": "a form field could collect what readers type",
    "button": "a button only works with a script or a form",
    "textarea": "a form field could collect what readers type",
    "select": "a form field could collect what readers type",
    "base": "it changes where every link of the page leads",
    "meta": "it can redirect the reader to another site",
    "link": "it loads a file from elsewhere into the page",
    "svg": "inline SVG can carry scripts: put the picture in images/ and show it with ![description](images/name.svg)",
    "math": "it can carry active content",
    "template": "it only matters to pages that run scripts",
    "img": "pictures are written ![description](images/name.svg), so that they are checked and copied with the site",
    "picture": "pictures are written ![description](images/name.svg)",
    "video": "it loads a media file the site does not check",
    "audio": "it loads a media file the site does not check",
    "source": "it loads a media file the site does not check",
    "canvas": "it only works with a script",
    "portal": "it shows another web site inside the page",
}

SAFE_ATTRIBUTES = frozenset("""
    id class title lang dir markdown align colspan rowspan scope headers abbr datetime cite open
    start reversed type href role translate
""".split())
URL_ATTRIBUTES = frozenset("href src cite action formaction poster background srcset data xlink:href".split())
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_AUTOLINK = re.compile(r"<(?:https?|ftp)://[^<>\s]*>|<(?:mailto:)?[^<>\s!@]+@[^<>\s@]+>", re.IGNORECASE)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_ATTR_LIST = re.compile(r"(?<!\{)\{:?[ \t]*([^{}\n]*=[^{}\n]*)\}(?!\})")
_ATTR_PAIR = re.compile(r"([^\s=#.{}]+)[ \t]*=[ \t]*(\"[^\"]*\"|'[^']*'|[^\s}]+)")

Finding = tuple[int, str, str]    # (line in the text, counting from 1; message; hint)


def refused_url(value: str) -> str | None:
    """The scheme of an address that must not be used (javascript:, data:...), or None if it is fine."""
    cleaned = _INVISIBLE.sub("", value).lower()
    match = _SCHEME.match(cleaned)
    if match and match.group(1) not in SAFE_SCHEMES:
        return match.group(1)
    return None


def markdown_findings(text: str) -> list[Finding]:
    """Problems with the HTML, addresses and attribute lists written in a Markdown text."""
    lines = text.split("\n")
    mask = markdown.code_mask(lines)
    visible = []
    for line, in_code in zip(lines, mask, strict=True):
        if in_code:
            visible.append("")
            continue
        line = markdown.INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        visible.append(_AUTOLINK.sub(lambda m: " " * len(m.group(0)), line))
    findings = html_findings("\n".join(visible))
    for number, line in enumerate(visible, 1):
        for match in markdown.LINK.finditer(line):
            findings += _address(number, match.group(3), "picture" if match.group(1) else "link")
        reference = _REFERENCE.match(line)
        if reference:
            findings += _address(number, reference.group(1), "link")
        for block in _ATTR_LIST.finditer(line):
            for pair in _ATTR_PAIR.finditer(block.group(1)):
                findings += _attribute(number, "", pair.group(1).lower(), pair.group(2).strip("\"'"))
    return findings


def html_findings(text: str) -> list[Finding]:
    """Problems with the HTML elements and attributes of a text."""
    checker = _Checker()
    try:
        checker.feed(text)
        checker.close()
    except Exception as error:  # HTMLParser is forgiving; this is only a safety net
        checker.findings.append((1, f"the HTML in this text cannot be read ({error})",
                                 "check that every < starts a complete element, or write &lt; for a < sign"))
    return checker.findings


def _address(line: int, target: str, kind: str) -> list[Finding]:
    scheme = refused_url(target)
    if scheme is None:
        return []
    shown = target if len(target) <= 60 else target[:57] + "..."
    return [(line, f'the {kind} address "{shown}" uses "{scheme}:", which is not allowed',
             "link to web pages with https://, and to course files with a relative path such as images/name.svg")]


def _attribute(line: int, tag: str, name: str, value: str | None) -> list[Finding]:
    where = f" on <{tag}>" if tag else ""
    if name.startswith("on"):
        return [(line, f'the event handler attribute "{name}"{where} is not allowed',
                 "remove it: course pages cannot run scripts")]
    if name in URL_ATTRIBUTES:
        scheme = refused_url(value or "")
        if scheme:
            return [(line, f'the address in {name}="..."{where} uses "{scheme}:", which is not allowed',
                     "link to web pages with https://, or to course pages with a relative path")]
        if name != "href" and name != "cite":
            return [(line, f'the attribute "{name}"{where} is not allowed',
                     "pictures are written ![description](images/name.svg)")]
        return []
    if name == "style":
        return [(line, f'the attribute "style"{where} is not allowed',
                 "remove it: the site's own styles keep every page readable")]
    if name in SAFE_ATTRIBUTES or name.startswith("aria-"):
        return []
    return [(line, f'the attribute "{name}"{where} is not allowed',
             "remove it; allowed attributes include id, class, title, lang, dir and href")]


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in DANGEROUS_TAGS:
            self.findings.append((line, f"the HTML element <{tag}> is not allowed", f"remove it: {DANGEROUS_TAGS[tag]}"))
        elif tag not in SAFE_TAGS:
            self.findings.append((line, f"the HTML element <{tag}> is not on the list of allowed elements",
                                  'remove it; if "<" is meant as text, write it as &lt;'))
        allowed = tag in SAFE_TAGS
        for name, value in attrs:
            # On an element that goes anyway, only say what else would have been dangerous.
            if allowed or name.startswith("on") or refused_url(value or ""):
                self.findings += _attribute(line, tag, name, value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


# --- the whole course ---------------------------------------------------------------------

def check_html(course: Course, problems: Problems, memo: FindingsMemo | None = None) -> None:
    """Check every text that authors and translators write, once per file. `memo`: the findings
    of each text kept from an earlier check (serve)."""
    check = _CourseCheck(problems, memo)
    for language in course.languages:
        for workshop in language.workshops:
            remembered(memo, problems, ("html of a workshop", language.code), (workshop,),
                       partial(_check_workshop, memo, language, workshop))
        for page in language.pages:
            if page.origin.lang == language.code:
                _report(problems, page.origin.path, page.body_line, check.markdown(page.text))
                for value in _strings(page.meta):
                    _report(problems, page.origin.path, None, check.html(value), fixed_line=True)
        strings_path = course.root / "docs" / language.code / "strings.yaml"
        for key in sorted(language.translated_strings):
            findings = check.markdown(language.strings.get(key, ""))
            _report(problems, strings_path, None, [(n, f'"{key}": {m}', h) for n, m, h in findings], fixed_line=True)


def _check_workshop(memo: FindingsMemo | None, language: Language, workshop: Workshop, problems: Problems) -> None:
    _CourseCheck(problems, memo).workshop(language, workshop)


class _CourseCheck:
    def __init__(self, problems: Problems, memo: FindingsMemo | None):
        self.problems, self.memo = problems, memo

    def markdown(self, text: str) -> list[Finding]:
        if self.memo is None:
            return markdown_findings(text)
        return self.memo.remember(("markdown", text), lambda: markdown_findings(text))

    def html(self, text: str) -> list[Finding]:
        if self.memo is None:
            return html_findings(text)
        return self.memo.remember(("html", text), lambda: html_findings(text))

    def workshop(self, language: Language, workshop: Workshop) -> None:
        problems = self.problems
        if workshop.facts_origin.lang == language.code:
            path = workshop.facts_origin.path
            for location, value in _fields(workshop.facts.model_dump()):
                line = workshop.line_of(*location)
                _report(problems, path, line, self.html(value), fixed_line=True)
        for document in (workshop.notes, workshop.guide):
            if document is not None and document.origin.lang == language.code:
                self.document(document)
        for exercise in workshop.exercises:
            if exercise.origin.lang == language.code:
                self.exercise(exercise)
        for material in workshop.materials:
            if material.origin.lang == language.code:
                _report(problems, material.origin.path, material.title_line, self.markdown(material.title))
                self.document(material.document)

    def document(self, document: Document) -> None:
        path = document.origin.path
        if document.intro:
            _report(self.problems, path, document.intro_line, self.markdown(document.intro))
        for section in document.sections:
            self.section(section, path)

    def exercise(self, exercise: Exercise) -> None:
        path = exercise.origin.path
        _report(self.problems, path, None, self.html(exercise.title), fixed_line=True)
        if exercise.summary:
            _report(self.problems, path, exercise.settings_line.get("summary"), self.html(exercise.summary),
                    fixed_line=True)
        for section in exercise.parts:
            self.section(section, path)

    def section(self, section: Section, path: Path) -> None:
        _report(self.problems, path, section.line, self.markdown(section.title))
        for index, point in enumerate(section.key_points):
            line = section.point_lines[index] if index < len(section.point_lines) else section.line
            _report(self.problems, path, line, self.markdown(point))
        if section.body:
            _report(self.problems, path, section.body_line or section.line, self.markdown(section.body))


def _report(problems: Problems, path: Path, first_line: int | None, findings: Iterable[Finding],
            fixed_line: bool = False) -> None:
    """Add findings; their lines count from `first_line` unless the text has no lines of its own."""
    for line, message, hint in findings:
        if fixed_line or not first_line:
            where = first_line
        else:
            where = first_line + line - 1
        problems.add(path, where, message, hint)


def _fields(data: object, location: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, text) for every piece of text in a YAML file's data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _fields(value, location + (key,))
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            yield from _fields(value, location + (index,))
    elif isinstance(data, str):
        yield location, data


def _strings(data: object) -> Iterator[str]:
    for _, value in _fields(data):
        yield value


# --- SVG drawings -----------------------------------------------------------------------------
# A drawing is shown with <img> (where it cannot run anything), but anyone can open its own
# address, and the slide renderer (librsvg) follows what it refers to. So a drawing must be
# self-contained: no scripts, no event handlers, no references to other files or sites.

SVG_REFUSED = {
    "script": "a script would run when the drawing is opened on its own",
    "foreignobject": "it can hold HTML, scripts included",
    "iframe": "it shows another web site", "embed": "it embeds another file", "object": "it embeds another file",
    "xi:include": "it copies another file into the drawing", "handler": "it runs a script",
    "listener": "it runs a script",
}
_SVG_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def svg_findings(text: str) -> list[Finding]:
    """Problems that make a drawing unsafe to publish: scripts, handlers, outside references."""
    checker = _SvgChecker()
    try:
        checker.feed(text)
        checker.close()
    except Exception as error:
        checker.findings.append((1, f"the drawing cannot be read ({error})", "save it again from your drawing program"))
    return checker.findings


def _svg_reference(value: str) -> bool:
    """True when an address inside a drawing stays inside it (#id, or an embedded raster picture)."""
    value = _INVISIBLE.sub("", value)
    return value.startswith("#") or bool(_SVG_DATA_IMAGE.match(value))


class _SvgChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in SVG_REFUSED:
            self.findings.append((line, f"the drawing contains a <{tag}> element, which is not allowed",
                                  f"remove it ({SVG_REFUSED[tag]}), or export the drawing again as plain SVG"))
        self._in_style = tag == "style"
        values = dict(attrs)
        animated = (values.get("attributename") or "").lower().lstrip()
        if tag in ("set", "animate") and animated.startswith(("on", "href", "xlink:href")):
            self.findings.append((line, f"the drawing animates a link or an event handler with <{tag}>",
                                  "remove the animation"))
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append((line, f'the drawing has an event handler attribute "{name}"',
                                      "remove it: a drawing cannot run scripts"))
            elif name in ("href", "xlink:href", "src") and not _svg_reference(value or ""):
                shown = (value or "")[:50]
                self.findings.append((line, f'the drawing refers to "{shown}", outside itself',
                                      "embed everything in the drawing (a drawing may only refer to its own #ids)"))
            elif name == "style" or "url(" in (value or "").lower():
                self._css(line, value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(self.getpos()[0], data)

    def unknown_decl(self, data: str) -> None:
        if data.upper().startswith("CDATA[") and self._in_style:
            self._css(self.getpos()[0], data[6:])

    def handle_decl(self, decl: str) -> None:
        if "<!ENTITY" in decl.upper() or "ENTITY" in decl.upper():
            self.findings.append((self.getpos()[0], "the drawing declares XML entities, which are not allowed",
                                  "export the drawing again as plain SVG"))

    def _css(self, line: int, css: str) -> None:
        if "@import" in css.lower():
            self.findings.append((line, "the drawing's styles import another file", "remove the @import"))
        for match in _CSS_URL.finditer(css):
            if not _svg_reference(match.group(1)):
                self.findings.append((line, f'the drawing\'s styles refer to "{match.group(1)[:50]}", outside itself',
                                      "use only url(#id) references to the drawing's own elements"))
