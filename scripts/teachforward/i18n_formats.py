"""The two exchange formats, PO (gettext, through polib) and XLIFF 1.2: writing one file's
units, and reading back what a translation tool made of them. Nothing here knows the sources."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from teachforward.content.units import FileUnits, Unit

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SOURCE_HEADER = "X-Teachforward-Source"      # the English file, relative to the repository
FILE_HEADER = "X-Teachforward-File"          # the translation file it writes back to
EXTENSIONS = {"po": ".po", "xliff": ".xlf"}


@dataclass
class Entry:
    """One unit as read back from an exchange file."""
    id: str
    source: str
    target: str
    fuzzy: bool
    line: int | None = None


@dataclass
class Exchange:
    path: Path
    english: str              # repository-relative English file
    translation: str          # repository-relative translation file
    entries: dict[str, Entry] = field(default_factory=dict)


# --- writing ---------------------------------------------------------------------------

def write_po(root: Path, code: str, item: FileUnits, stale: set[str], previous: dict[str, str]) -> bytes:
    import polib
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Teach Forward",
        "PO-Revision-Date": revision_date(root, item),
        "Last-Translator": "see the history of " + item.translation.relative_to(root).as_posix(),
        "Language-Team": code,
        "Language": code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        SOURCE_HEADER: item.english.relative_to(root).as_posix(),
        FILE_HEADER: item.translation.relative_to(root).as_posix(),
    }
    translation = item.translation.relative_to(root).as_posix()
    for unit in item.units:
        flags = []
        if unit.target is not None and unit.section in stale:
            flags.append("fuzzy")
        if item.kind == "strings" and "{" in unit.source:
            flags.append("python-brace-format")
        fuzzy = "fuzzy" in flags
        po.append(polib.POEntry(msgctxt=unit.id, msgid=unit.source, msgstr=unit.target or "", flags=flags,
                                comment=_note(unit), occurrences=[(translation, str(unit.line))],
                                previous_msgid=previous.get(unit.id) if fuzzy else None,
                                previous_msgctxt=unit.id if fuzzy and unit.id in previous else None))
    return str(po).encode("utf-8") + (b"" if str(po).endswith("\n") else b"\n")


def revision_date(root: Path, item: FileUnits) -> str:
    """When the translation last changed (from git), so that the same sources give the same file."""
    from teachforward.i18n_history import run_git
    path = item.translation if item.translated else item.english
    date = (run_git(root, "log", "-1", "--format=%cd", "--date=format:%Y-%m-%d %H:%M%z", "--",
                 path.relative_to(root).as_posix()) or "").strip()
    return date or "1970-01-01 00:00+0000"


def _note(unit: Unit) -> str:
    where = f"section {unit.section}" if unit.section and unit.section != unit.id else ""
    return f"{unit.note}" + (f", {where}" if where else "")


def write_xliff(root: Path, code: str, item: FileUnits, stale: set[str]) -> bytes:
    ET.register_namespace("", XLIFF_NS)
    def q(name: str) -> str:
        return f"{{{XLIFF_NS}}}{name}"
    document = ET.Element(q("xliff"), {"version": "1.2"})
    file = ET.SubElement(document, q("file"), {"original": item.translation.relative_to(root).as_posix(),
                                               "source-language": "en", "target-language": code,
                                               "datatype": "plaintext"})
    header = ET.SubElement(file, q("header"))
    ET.SubElement(header, q("note"), {"from": SOURCE_HEADER}).text = item.english.relative_to(root).as_posix()
    body = ET.SubElement(file, q("body"))
    for unit in item.units:
        element = ET.SubElement(body, q("trans-unit"), {"id": unit.id, f"{{{XML_NS}}}space": "preserve"})
        ET.SubElement(element, q("source")).text = unit.source
        if unit.target is not None:
            state = "needs-review-translation" if unit.section in stale else "translated"
            ET.SubElement(element, q("target"), {"state": state}).text = unit.target
        ET.SubElement(element, q("note"), {"from": "teachforward"}).text = f"{_note(unit)}; line {unit.line}"
    ET.indent(document, space="  ")
    return ET.tostring(document, encoding="utf-8", xml_declaration=True) + b"\n"


# --- reading ---------------------------------------------------------------------------

class ExchangeError(Exception):
    def __init__(self, path: Path, line: int | None, message: str, hint: str):
        super().__init__(message)
        self.path, self.line, self.message, self.hint = path, line, message, hint


def read_exchange(path: Path) -> Exchange:
    if path.suffix == ".po":
        return _read_po(path)
    if path.suffix in (".xlf", ".xliff"):
        return _read_xliff(path)
    raise ExchangeError(path, None, "not a PO (.po) or XLIFF (.xlf) file", "import the files that i18n export wrote")


def _read_po(path: Path) -> Exchange:
    import polib
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise ExchangeError(path, None, f"this PO file cannot be read ({error})",
                            "check it with msgfmt --check, or export it again") from None
    english, translation = po.metadata.get(SOURCE_HEADER), po.metadata.get(FILE_HEADER)
    if not english or not translation:
        raise ExchangeError(path, 1, f"the header has no {SOURCE_HEADER} / {FILE_HEADER} lines",
                            "import a file made by teachforward i18n export, with its header kept")
    exchange = Exchange(path, english, translation)
    for entry in po:
        if entry.obsolete or not entry.msgctxt:
            continue
        exchange.entries[entry.msgctxt] = Entry(entry.msgctxt, entry.msgid, entry.msgstr, entry.fuzzy, entry.linenum)
    return exchange


def _read_xliff(path: Path) -> Exchange:
    def q(name: str) -> str:
        return f"{{{XLIFF_NS}}}{name}"
    try:
        document = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        raise ExchangeError(path, getattr(error, "position", (None,))[0], f"this XLIFF file cannot be read ({error})",
                            "check that it is well-formed XML, or export it again") from None
    file = document.find(q("file"))
    source = file.find(f"{q('header')}/{q('note')}[@from='{SOURCE_HEADER}']") if file is not None else None
    original = file.get("original") if file is not None else None
    if file is None or source is None or not original:
        raise ExchangeError(path, None, f"the file has no <file original=...> or no {SOURCE_HEADER} note",
                            "import a file made by teachforward i18n export")
    exchange = Exchange(path, (source.text or "").strip(), original)
    for unit in file.iter(q("trans-unit")):
        target = unit.find(q("target"))
        text = "".join(target.itertext()) if target is not None else ""
        state = target.get("state", "") if target is not None else ""
        if state in ("new", "needs-translation"):
            text = ""      # some tools copy the English into a target they have not translated
        fuzzy = state in ("needs-review-translation", "needs-adaptation", "needs-l10n",
                          "needs-review-adaptation", "needs-review-l10n")
        english = unit.find(q("source"))
        source_text = "".join(english.itertext()) if english is not None else ""
        unit_id = unit.get("id")
        if unit_id is None:
            continue       # a unit without an id matches nothing in the course
        exchange.entries[unit_id] = Entry(unit_id, source_text, text, fuzzy)
    return exchange
