"""Prose parsed once: every Markdown body of the course becomes typed blocks and inlines here,
and no renderer parses Markdown again.

The parser is markdown-it-py (CommonMark) with the extensions the site's MkDocs setup has:
tables, definition lists, admonitions (`!!!`, `???`), `{#id}` on headings, attributes after
links and pictures; and the two the printable materials add: `::: lines N` (space to write)
and `- [ ]` tick boxes. Each link and picture keeps the exact place of its destination in the
file, so the site can re-point it without a grammar of its own, and is resolved (by the
loader's callbacks) to what it points at.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from teachforward.content.target import Target

# attr_list's heading id: "## Title {#id}" (MkDocs reads it, CommonMark keeps it as text).
HEADING_ATTRIBUTES = re.compile(r"\s*\{:?[ \t]*([^}]*)\}\s*$")
WRITING_SPACE = re.compile(r"^lines[ \t]+(\d{1,2})[ \t]*$")


# --- where things are ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one line of a source file: line (from 1) and columns [start, end)."""
    line: int
    start: int
    end: int


# --- inlines ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Text:
    text: str                 # entities decoded, escapes removed


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    hard: bool                # False: the text simply goes on on the next line


@dataclass(frozen=True, slots=True)
class Html:
    raw: str                  # an inline tag as written (the HTML policy decides what is allowed)


@dataclass(frozen=True, slots=True)
class Link:
    line: int
    text: str                 # the label as plain text
    raw: str                  # the destination exactly as written
    target: Target | None     # None when it cannot be resolved (the validator reports it)
    is_image: bool = False
    children: tuple[Inline, ...] = ()
    title: str = ""
    destination: Span | None = None   # where `raw` is written (for a reference link: in its definition)
    autolink: bool = False    # <https://...>


@dataclass(frozen=True, slots=True)
class Image:
    """A picture in the prose."""
    line: int
    alt: str
    raw: str
    path: Path | None         # resolved file, possibly the English one
    title: str = ""
    destination: Span | None = None


Inline = Text | Emphasis | Strong | Code | LineBreak | Html | Link | Image


# --- blocks -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Paragraph:
    line: int
    inlines: tuple[Inline, ...]
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    inlines: tuple[Inline, ...]
    id: str | None
    source: str = ""          # the heading's text as written, without its {#id}
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file
    text_at: Span | None = field(default=None, compare=False)   # where `source` is written in the file


@dataclass(frozen=True, slots=True)
class ListItem:
    line: int
    blocks: tuple[Block, ...]
    checked: bool | None = None       # a tick box: False for "- [ ]", True for "- [x]"


@dataclass(frozen=True, slots=True)
class ListBlock:
    line: int
    ordered: bool
    start: int                # the first item's number (1 for a bullet list)
    items: tuple[ListItem, ...]
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


Cell = tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Table:
    line: int
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]    # "left" | "right" | "center" | "" per column
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class Quote:
    line: int
    blocks: tuple[Block, ...]
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class Admonition:
    """`!!! kind "title"` (always open) or `??? kind "title"` (details, closed unless `???+`)."""
    line: int
    kind: str
    title: str
    blocks: tuple[Block, ...]
    collapsible: bool = False
    open: bool = True
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class PictureBlock:
    """A paragraph that is only a picture."""
    line: int
    image: Image
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class CodeBlock:
    line: int
    text: str
    info: str = ""
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class Definition:
    line: int
    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class DefinitionList:
    line: int
    items: tuple[Definition, ...]
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class WritingSpace:
    """`::: lines N` + `:::`: N ruled lines to write on (printable materials)."""
    line: int
    lines: int
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class Rule:
    line: int
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    line: int
    raw: str
    last_line: int = field(default=0, compare=False)   # its last non-blank line in the file


Block = (Paragraph | Heading | ListBlock | Table | Quote | Admonition | PictureBlock | CodeBlock
         | DefinitionList | WritingSpace | Rule | HtmlBlock)


@dataclass(frozen=True, slots=True)
class Prose:
    """A Markdown body as written (its lines in the file) and as parsed."""
    source: str
    line: int                 # the file line of the source's first line
    blocks: tuple[Block, ...]

    def links(self) -> Iterator[Link]:
        for inline in inlines_of(self.blocks):
            if isinstance(inline, Link):
                yield inline

    def images(self) -> Iterator[Image]:
        for inline in inlines_of(self.blocks):
            if isinstance(inline, Image):
                yield inline

    def rewritten(self, replacements: dict[Span, str]) -> str:
        """The source with each span replaced (spans are file positions inside this body)."""
        lines = self.source.split("\n")
        by_line: dict[int, list[tuple[Span, str]]] = {}
        for span, text in replacements.items():
            by_line.setdefault(span.line - self.line, []).append((span, text))
        for index, edits in by_line.items():
            if not 0 <= index < len(lines):
                continue
            line = lines[index]
            for span, text in sorted(edits, key=lambda e: -e[0].start):
                line = line[:span.start] + text + line[span.end:]
            lines[index] = line
        return "\n".join(lines)


EMPTY = Prose("", 0, ())


# --- traversals -----------------------------------------------------------------------------

def children_of(block: Block) -> Iterator[tuple[Inline, ...] | Block]:
    """The inline runs and the blocks directly inside a block."""
    if isinstance(block, (Paragraph, Heading)):
        yield block.inlines
    elif isinstance(block, ListBlock):
        for item in block.items:
            yield from item.blocks
    elif isinstance(block, (Quote, Admonition)):
        yield from block.blocks
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row
    elif isinstance(block, PictureBlock):
        yield (block.image,)
    elif isinstance(block, DefinitionList):
        for entry in block.items:
            yield entry.term
            for definition in entry.definitions:
                yield from definition


def inlines_of(blocks: tuple[Block, ...] | list[Block]) -> Iterator[Inline]:
    """Every inline of the blocks, in reading order, descending into links and emphasis."""
    for block in blocks:
        for child in children_of(block):
            if isinstance(child, tuple):
                yield from inlines_in(child)
            else:
                yield from inlines_of((child,))


def inlines_in(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    """The inlines and everything inside them (emphasis, link labels), in reading order."""
    for inline in inlines:
        yield inline
        if isinstance(inline, (Emphasis, Strong, Link)):
            yield from inlines_in(inline.children)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """Inlines as the text a reader sees (a picture by its description)."""
    out: list[str] = []
    for inline in inlines:
        if isinstance(inline, (Text, Code)):
            out.append(inline.text)
        elif isinstance(inline, (Emphasis, Strong, Link)):
            out.append(plain_text(inline.children) if inline.children or not isinstance(inline, Link)
                       else inline.text)
        elif isinstance(inline, Image):
            out.append(inline.alt)
        elif isinstance(inline, LineBreak):
            out.append(" ")
    return "".join(out)


# --- the parser -------------------------------------------------------------------------------

LinkResolver = Callable[[str], Target | None]
PictureResolver = Callable[[str], Path | None]


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    admon_plugin(md)
    deflist_plugin(md)
    tasklists_plugin(md)
    attrs_plugin(md, after=("image", "link_close"))
    container_plugin(md, "lines", validate=lambda params, *_: bool(WRITING_SPACE.match(params.strip())))
    lines_rule = next(r.fn for r in md.block.ruler.__rules__ if r.name == "container_lines")
    md.block.ruler.at("container_lines", _closing_line_mapped(lines_rule),
                      {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for name in ("link", "image"):
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _positions_recorded(rule))
    reference = next(r.fn for r in md.block.ruler.__rules__ if r.name == "reference")
    md.block.ruler.at("reference", _definitions_recorded(reference),
                      {"alt": ["paragraph", "reference"]})
    return md


def _positions_recorded(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """The link or image rule, also noting where the destination is written in the inline text."""
    def recorded(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if silent:
            return True
        token = next((t for t in state.tokens[count:] if t.type in ("link_open", "image")), None)
        if token is None:
            return True
        # The text the offsets count in: a later rule (tick boxes) may shorten the token's content.
        token.meta = {**(token.meta or {}), **_destination(state, start + (token.type == "image")),
                      "inline_source": state.src}
        return True
    return recorded


def _destination(state: StateInline, label_start: int) -> dict[str, Any]:
    """{"dest": (start, end)} for [text](dest ...), {"ref": key} for [text][ref] and [ref]."""
    helpers, src = state.md.helpers, state.src
    old = state.pos
    label_end = helpers.parseLinkLabel(state, label_start, True)
    state.pos = old
    if label_end < 0:
        return {}
    pos = label_end + 1
    if pos < state.posMax and src[pos] == "(":
        pos += 1
        while pos < state.posMax and src[pos] in " \t\n":
            pos += 1
        result = helpers.parseLinkDestination(src, pos, state.posMax)
        return {"dest": (pos, result.pos)} if result.ok else {}
    label = ""
    if pos < state.posMax and src[pos] == "[":
        end = helpers.parseLinkLabel(state, pos)
        state.pos = old
        if end >= 0:
            label = src[pos + 1:end]
    if not label:
        label = src[label_start + 1:label_end]
    return {"ref": normalizeReference(label)}


BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _closing_line_mapped(rule: BlockRule) -> BlockRule:
    """The container rule, whose token's map leaves out the closing `:::` line: it is mapped too,
    so that a writing space's lines are all the block's."""
    def mapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not rule(state, start_line, end_line, silent):
            return False
        if not silent and count < len(state.tokens) and state.tokens[count].map:
            state.tokens[count].map = [start_line, state.line]
        return True
    return mapped


def _definitions_recorded(rule: BlockRule) -> BlockRule:
    """The reference-definition rule, also noting where each definition's destination is."""
    def recorded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        before = set(state.env.get("references", {}))
        if not rule(state, start_line, end_line, silent):
            return False
        if silent:
            return True
        added = set(state.env.get("references", {})) - before
        src = state.src
        pos = state.bMarks[start_line] + state.tShift[start_line]
        end = state.eMarks[state.line - 1] if state.line > start_line else len(src)
        close = pos + 1
        while close < end and not (src[close] == "]" and src[close - 1] != "\\"):
            close += 1
        pos = close + 2           # past "]:"
        while pos < end and src[pos] in " \t\n":
            pos += 1
        result = state.md.helpers.parseLinkDestination(src, pos, end)
        if result.ok:
            places = state.env.setdefault("reference_places", {})
            for key in added:
                places[key] = (pos, result.pos)
        return True
    return recorded


_MD: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = _markdown()
    return _MD


def parse(source: str, first_line: int, resolve_link: LinkResolver, resolve_picture: PictureResolver) -> Prose:
    """Parse a Markdown body whose first line is line `first_line` of its file."""
    if not source.strip():
        return Prose(source, first_line, ())
    env: dict[str, Any] = {}
    tokens = parser().parse(source, env)
    builder = _Builder(source, first_line, env, resolve_link, resolve_picture)
    blocks, _ = builder.blocks(tokens, 0, None)
    return Prose(source, first_line, tuple(blocks))


class ParseMemo:
    """Parsed bodies kept from one load of a course to the next (serve): a body is parsed again
    only when its text or its place changed, or one of its pictures resolves to another file
    now. What a link resolves to depends only on the body's place (part of the key); a picture
    depends on which files exist, so each recorded picture is resolved again and compared."""

    def __init__(self) -> None:
        self._kept: dict[tuple[Any, ...], tuple[Prose, tuple[tuple[str, Any], ...]]] = {}
        self._used: set[tuple[Any, ...]] = set()
        self.reused = 0
        self.parsed = 0           # bodies parsed (not reused) during the current load
        self.last_parsed = 0      # ... during the last finished load
        self.last_reused = 0
        self._yaml: dict[tuple[str, str, int], Any] = {}    # (text, file, first line) -> parse_yaml's answer
        self._yaml_used: set[tuple[str, str, int]] = set()
        self._trail: tuple[list[Any], list[Any]] = ([], [])    # the keys of bodies and of YAML asked for, in order

    def mark(self) -> tuple[int, int]:
        """Where the record of what is asked for stands now (for since())."""
        return len(self._trail[0]), len(self._trail[1])

    def since(self, mark: tuple[int, int]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """What was asked for since mark() gave `mark` (to keep())."""
        return tuple(self._trail[0][mark[0]:]), tuple(self._trail[1][mark[1]:])

    def keep(self, asked: tuple[Iterable[Any], Iterable[Any]]) -> None:
        """Keep for the next load what an earlier load asked for (since()), as if it were asked
        for again: a workshop that load_memo kept whole asks for nothing."""
        self._used.update(asked[0])
        self._yaml_used.update(asked[1])
        self._trail[0].extend(asked[0])
        self._trail[1].extend(asked[1])

    def yaml(self, text: str, source: Path, first_line: int, problems: Any) -> Any:
        """parse_yaml(text, source, problems, first_line), kept from the last load when it found
        nothing wrong (the data it gives is read, never changed, by the loader)."""
        from teachforward.content.yamlfile import parse_yaml
        key = (text, str(source), first_line)
        self._yaml_used.add(key)
        self._trail[1].append(key)
        if key in self._yaml:
            return self._yaml[key]
        found = len(problems.items)
        parsed = parse_yaml(text, source, problems, first_line)
        if len(problems.items) == found:
            self._yaml[key] = parsed
        return parsed

    def parse(self, key: tuple[Any, ...], source: str, first_line: int, resolve_link: LinkResolver,
              resolve_picture: PictureResolver) -> Prose:
        full_key = (source, first_line, *key)
        self._used.add(full_key)
        self._trail[0].append(full_key)
        kept = self._kept.get(full_key)
        if kept is not None and all(resolve_picture(raw) == path for raw, path in kept[1]):
            self.reused += 1
            return kept[0]
        pictures: list[tuple[str, Any]] = []

        def recording(raw: str) -> Any:
            path = resolve_picture(raw)
            pictures.append((raw, path))
            return path

        result = parse(source, first_line, resolve_link, recording)
        self._kept[full_key] = (result, tuple(pictures))
        self.parsed += 1
        return result

    def forget_unused(self) -> None:
        """Drop what the last load did not ask for (old versions of edited files)."""
        for kept, used in ((self._kept, self._used), (self._yaml, self._yaml_used)):
            for key in kept.keys() - used:
                del kept[key]
        self._used, self._yaml_used = set(), set()
        self._trail = ([], [])
        self.last_parsed, self.last_reused = self.parsed, self.reused
        self.parsed = self.reused = 0


def _without_leading_space(blocks: list[Block]) -> list[Block]:
    """A tick box's text, which the task-list rule leaves with the space after "[ ]"."""
    first = blocks[0] if blocks else None
    lead = first.inlines[0] if isinstance(first, Paragraph) and first.inlines else None
    if isinstance(first, Paragraph) and isinstance(lead, Text):
        text = lead.text.lstrip()
        inlines = ((Text(text),) if text else ()) + first.inlines[1:]
        return [replace(first, inlines=inlines), *blocks[1:]]
    return blocks


class _Builder:
    def __init__(self, source: str, first_line: int, env: dict[str, Any],
                 resolve_link: LinkResolver, resolve_picture: PictureResolver):
        self.lines = source.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.first_line = first_line
        self.env = env
        self.resolve_link = resolve_link
        self.resolve_picture = resolve_picture

    def file_line(self, token: Token) -> int:
        return self.first_line + (token.map[0] if token.map else 0)

    # --- blocks ---

    def blocks(self, tokens: list[Token], index: int, closing: str | None) -> tuple[list[Block], int]:
        out: list[Block] = []
        while index < len(tokens):
            token = tokens[index]
            if closing is not None and token.type == closing:
                return out, index + 1
            block, index = self.block(tokens, index)
            if block is not None:
                out.append(replace(block, last_line=self.last_line(token)))
        return out, index

    def last_line(self, token: Token) -> int:
        """The file line a block ends on: markdown-it's map ends after it, blank lines included."""
        if not token.map:
            return 0
        last = token.map[1] - 1
        while last > token.map[0] and last < len(self.lines) and not self.lines[last].strip():
            last -= 1
        return self.first_line + min(last, len(self.lines) - 1)

    def block(self, tokens: list[Token], index: int) -> tuple[Block | None, int]:
        token = tokens[index]
        line = self.file_line(token)
        kind = token.type
        if kind == "paragraph_open":
            inlines = self.inlines(tokens[index + 1])
            only = [i for i in inlines if not (isinstance(i, Text) and not i.text.strip())]
            if len(only) == 1 and isinstance(only[0], Image):
                return PictureBlock(line, only[0]), index + 3
            return Paragraph(line, inlines), index + 3
        if kind == "heading_open":
            inlines, id_ = self.heading(tokens[index + 1])
            written = tokens[index + 1].content
            match = HEADING_ATTRIBUTES.search(written)
            source = written[:match.start()].strip() if match and id_ is not None else written.strip()
            start = self.locator(tokens[index + 1])(len(written) - len(written.lstrip()))
            text_at = Span(start.line, start.start, start.start + len(source)) if start and source else None
            return Heading(line, int(token.tag[1:]), inlines, id_, source, text_at=text_at), index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            items: list[ListItem] = []
            index += 1
            while tokens[index].type == "list_item_open":
                item_token = tokens[index]
                checked = self.tick_box(tokens, index)
                children, index = self.blocks(tokens, index + 1, "list_item_close")
                if checked is not None:
                    children = _without_leading_space(children)
                items.append(ListItem(self.file_line(item_token), tuple(children), checked))
            first_number = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            return ListBlock(line, kind == "ordered_list_open", first_number, tuple(items)), index + 1
        if kind == "blockquote_open":
            children, index = self.blocks(tokens, index + 1, "blockquote_close")
            return Quote(line, tuple(children)), index
        if kind == "admonition_open":
            title = ""
            index += 1
            if tokens[index].type == "admonition_title_open":
                title = tokens[index + 1].content
                index += 3
            classes = str(token.attrGet("class") or "")
            children, index = self.blocks(tokens, index, "admonition_close")
            return Admonition(line, str(token.meta.get("tag", "note")), title, tuple(children),
                              collapsible="is-collapsible" in classes,
                              open="collapsible-closed" not in classes), index
        if kind in ("fence", "code_block"):
            return CodeBlock(line, token.content, token.info.strip()), index + 1
        if kind == "table_open":
            return self.table(tokens, index)
        if kind == "dl_open":
            return self.definitions(tokens, index)
        if kind == "container_lines_open":
            match = WRITING_SPACE.match(token.info.strip())
            _, index = self.blocks(tokens, index + 1, "container_lines_close")
            return WritingSpace(line, int(match.group(1)) if match else 1), index
        if kind == "hr":
            return Rule(line), index + 1
        if kind == "html_block":
            return HtmlBlock(line, token.content), index + 1
        return None, index + 1     # a closing token of an unknown container: nothing to keep

    def tick_box(self, tokens: list[Token], index: int) -> bool | None:
        if "task-list-item" not in str(tokens[index].attrGet("class") or ""):
            return None
        inline = tokens[index + 2] if tokens[index + 1].type == "paragraph_open" else None
        box = inline.children[0] if inline is not None and inline.children else None
        return box is not None and box.type == "html_inline" and "checked" in box.content

    def heading(self, token: Token) -> tuple[tuple[Inline, ...], str | None]:
        inlines = list(self.inlines(token))
        id_ = None
        if inlines and isinstance(inlines[-1], Text):
            match = HEADING_ATTRIBUTES.search(inlines[-1].text)
            if match:
                for part in match.group(1).split():
                    if part.startswith("#"):
                        id_ = part[1:]
                rest = inlines[-1].text[:match.start()]
                inlines[-1:] = [Text(rest)] if rest else []
        return tuple(inlines), id_

    def table(self, tokens: list[Token], index: int) -> tuple[Block, int]:
        line = self.file_line(tokens[index])
        rows: list[tuple[Cell, ...]] = []
        align: list[str] = []
        row: list[Cell] = []
        index += 1
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type in ("th_open", "td_open"):
                if len(rows) == 0:
                    style = str(token.attrGet("style") or "")
                    align.append(style.replace("text-align:", "").strip())
                row.append(self.inlines(tokens[index + 1]))
                index += 3
                continue
            if token.type == "tr_close":
                rows.append(tuple(row))
                row = []
            index += 1
        header = rows[0] if rows else ()
        return Table(line, header, tuple(rows[1:]), tuple(align)), index + 1

    def definitions(self, tokens: list[Token], index: int) -> tuple[Block, int]:
        line = self.file_line(tokens[index])
        items: list[Definition] = []
        index += 1
        while tokens[index].type == "dt_open":
            term_line = self.file_line(tokens[index])
            term = self.inlines(tokens[index + 1])
            index += 3
            definitions: list[tuple[Block, ...]] = []
            while tokens[index].type == "dd_open":
                children, index = self.blocks(tokens, index + 1, "dd_close")
                definitions.append(tuple(children))
            items.append(Definition(term_line, term, tuple(definitions)))
        return DefinitionList(line, tuple(items)), index + 1

    # --- inlines ---

    def inlines(self, token: Token) -> tuple[Inline, ...]:
        locate = self.locator(token)
        line = self.file_line(token)
        result, _ = self.inline_run(token.children or [], 0, None, locate, line, token.content)
        return tuple(result)

    def inline_run(self, tokens: list[Token], index: int, closing: str | None,
                   locate: Callable[[int], Span | None], line: int, content: str) -> tuple[list[Inline], int]:
        out: list[Inline] = []
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if closing is not None and kind == closing:
                return out, index + 1
            index += 1
            if kind == "text":
                if not token.content:
                    continue
                if out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text + token.content)
                else:
                    out.append(Text(token.content))
            elif kind == "softbreak":
                out.append(LineBreak(False))
                line += 1
            elif kind == "hardbreak":
                out.append(LineBreak(True))
                line += 1
            elif kind == "code_inline":
                out.append(Code(token.content))
            elif kind == "html_inline":
                if not (token.content.startswith("<input") and 'class="task-list-item-checkbox"' in token.content):
                    out.append(Html(token.content))
            elif kind == "em_open":
                children, index = self.inline_run(tokens, index, "em_close", locate, line, content)
                out.append(Emphasis(tuple(children)))
            elif kind == "strong_open":
                children, index = self.inline_run(tokens, index, "strong_close", locate, line, content)
                out.append(Strong(tuple(children)))
            elif kind == "link_open":
                children, index = self.inline_run(tokens, index, "link_close", locate, line, content)
                out.append(self.link(token, tuple(children), locate, line))
            elif kind == "image":
                out.append(self.image(token, locate, line))
        return out, index

    def raw_destination(self, token: Token, locate: Callable[[int], Span | None]) -> tuple[str, Span | None]:
        meta = token.meta or {}
        if "dest" in meta:
            start, end = meta["dest"]
            span = locate(start)
            if span is not None:
                span = Span(span.line, span.start, span.start + (end - start))
                return self.lines[span.line - self.first_line][span.start:span.end].strip("<>"), span
        if "ref" in meta:
            place = self.env.get("reference_places", {}).get(meta["ref"])
            if place is not None:
                span = self.offset_span(*place)
                return self.lines[span.line - self.first_line][span.start:span.end].strip("<>"), span
        return str(token.attrGet("href") or token.attrGet("src") or ""), None

    def link(self, token: Token, children: tuple[Inline, ...], locate: Callable[[int], Span | None], line: int) -> Link:
        autolink = token.markup == "autolink"
        raw, span = (str(token.attrGet("href") or ""), None) if autolink else self.raw_destination(token, locate)
        return Link(line=line, text=plain_text(children), raw=raw,
                    target=self.resolve_link(raw), children=children,
                    title=str(token.attrGet("title") or ""), destination=span, autolink=autolink)

    def image(self, token: Token, locate: Callable[[int], Span | None], line: int) -> Image:
        raw, span = self.raw_destination(token, locate)
        alt = plain_text(tuple(self.inline_run(token.children or [], 0, None, locate, line, "")[0]))
        return Image(line=line, alt=alt, raw=raw, path=self.resolve_picture(raw),
                     title=str(token.attrGet("title") or ""), destination=span)

    # --- positions ---

    def offset_span(self, start: int, end: int) -> Span:
        """A span given as offsets into the whole source."""
        index = 0
        while index + 1 < len(self.starts) and self.starts[index + 1] <= start:
            index += 1
        column = start - self.starts[index]
        return Span(self.first_line + index, column, column + (end - start))

    def locator(self, token: Token) -> Callable[[int], Span | None]:
        """A function from an offset in the inline token's text to its place in the file.

        Each line of a block's inline text is the end of its source line (indentation, quote
        and list markers taken off); a table cell is found along its row."""
        if not token.map:
            return lambda offset: None
        first = token.map[0]
        written = next((c.meta["inline_source"] for c in token.children or [] if c.meta and "inline_source" in c.meta),
                       token.content)
        content_lines = written.split("\n")
        columns: list[int | None] = []
        for number, text in enumerate(content_lines):
            at = first + number
            if at >= len(self.lines):
                columns.append(None)
                continue
            source = self.lines[at]
            column = len(source.rstrip()) - len(text.rstrip())
            if column < 0 or source[column:].rstrip() != text.rstrip():
                found = source.find(text)
                column = found if found >= 0 and text else -1
            columns.append(column if column >= 0 else None)
        line_starts = [0]
        for text in content_lines:
            line_starts.append(line_starts[-1] + len(text) + 1)

        def locate(offset: int) -> Span | None:
            number = 0
            while number + 1 < len(content_lines) and line_starts[number + 1] <= offset:
                number += 1
            column = columns[number]
            if column is None:
                return None
            position = column + offset - line_starts[number]
            return Span(self.first_line + first + number, position, position)
        return locate


# --- cutting a document into its sections -----------------------------------------------------

def item_text(prose: Prose, item: ListItem) -> str:
    """The text of a list item's first paragraph as written, on one line (a paragraph wrapped
    over two lines is one line of Markdown): its lines in `prose`, without the item's marker."""
    lead = item.blocks[0] if item.blocks else None
    if not isinstance(lead, Paragraph):
        return ""
    lines = prose.source.split("\n")[lead.line - prose.line:lead.last_line - prose.line + 1]
    if lines and lead.line == item.line:
        lines[0] = _LIST_MARKER.sub("", lines[0], count=1)
    return " ".join(line.strip() for line in lines)


_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def excerpt(prose: Prose, start: int, end: int) -> Prose:
    """The blocks [start, end) of a parsed body, with the source lines they are written on
    (blank lines at either edge left out)."""
    blocks = prose.blocks[start:end]
    if not blocks:
        return Prose("", 0, ())
    lines = prose.source.split("\n")
    first = blocks[0].line - prose.line
    last = (prose.blocks[end].line - prose.line) if end < len(prose.blocks) else len(lines)
    chosen = lines[first:last]
    while chosen and not chosen[-1].strip():
        chosen.pop()
    return Prose("\n".join(chosen), blocks[0].line, tuple(blocks))


@dataclass(frozen=True, slots=True)
class Cut:
    """A section of a document: its heading and the parsed body under it."""
    heading: Heading
    body: Prose


def cut_at_headings(prose: Prose, level: int, exact: bool = False) -> tuple[Prose, list[Cut]]:
    """The intro (before the first heading of `level`) and the sections, cut at the document's
    own headings of `level` (or higher, unless `exact`): never at a heading inside a list or quote."""
    cuts = [i for i, b in enumerate(prose.blocks)
            if isinstance(b, Heading) and (b.level == level if exact else b.level <= level)]
    intro = excerpt(prose, 0, cuts[0] if cuts else len(prose.blocks))
    sections = []
    for n, index in enumerate(cuts):
        end = cuts[n + 1] if n + 1 < len(cuts) else len(prose.blocks)
        heading = prose.blocks[index]
        assert isinstance(heading, Heading)
        sections.append(Cut(heading, excerpt(prose, index + 1, end)))
    return intro, sections
