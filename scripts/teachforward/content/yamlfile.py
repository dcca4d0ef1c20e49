"""YAML with line numbers: every value's line is remembered, so that a problem found
later (by the schema or the validator) can name the line an author has to edit."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from teachforward.problems import Problems

DataPath = tuple[str | int, ...]   # a path into the data, e.g. ("agenda", 2, "minutes")
Source = Path | str
MAX_DEPTH = 40     # lists inside lists: our files need 4 levels at most
MAX_NODES = 100_000


class _RefusedYAML(yaml.YAMLError):
    """Something a safe YAML parser accepts but our sources must not use."""

    def __init__(self, message: str, hint: str, line: int | None):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (so no "billion laughs" expansion or self-reference)
    and nesting deeper than any course file needs (so no recursion overflow)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _RefusedYAML("YAML aliases (*name) are not allowed in course files",
                               "write the value out in full instead of referring to an anchor (&name)",
                               mark.line)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _RefusedYAML(f"the file has more than {MAX_NODES} values", "split it up or shorten it", mark.line)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _RefusedYAML(f"the values are nested more than {MAX_DEPTH} levels deep",
                                   "check the indentation and the brackets", mark.line)
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1


class LineMap(dict[DataPath, int]):
    """Maps a path into the data to the line it was written on."""

    def line(self, path: DataPath) -> int | None:
        path = tuple(path)
        while path not in self and path:
            path = path[:-1]
        return self.get(path)


def parse_yaml(text: str, source: Source, problems: Problems, first_line: int = 1) -> tuple[Any, LineMap] | None:
    """Parse YAML text; on a syntax error report it and return None."""
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), first_line):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                problems.add(source, number, "a tab is used to indent this line",
                             "YAML needs spaces for indentation: replace the tab with spaces")
                return None
    try:
        node = _compose(text)
    except _RefusedYAML as error:
        problems.add(source, error.line + first_line if error.line is not None else None, error.message, error.hint)
        return None
    except yaml.YAMLError as error:
        quote = _unclosed_quote(text)
        if quote is not None:
            problems.add(source, quote + first_line, "this is not valid YAML: the quote opened on this line is not closed",
                         'end the text with the same quote mark it starts with ("..." or \'...\')')
            return None
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        error_line = mark.line + first_line if mark else None
        what = getattr(error, "problem", None) or str(error)
        problems.add(source, error_line, f"this is not valid YAML: {what}",
                     "check the indentation (spaces only, same depth for items of one list), "
                     "and put text containing ': ' or starting with a quote inside quotes")
        return None
    lines = LineMap()
    if node is None:
        return None, lines
    constructor = yaml.SafeLoader("")
    try:
        data = _convert(node, (), lines, constructor, source, problems, first_line)
    except _ValueError as error:
        if error.plain:
            problems.add(source, error.line, error.message,
                         "remove the tag (the word starting with !) and write the value as plain text or a number")
        else:
            problems.add(source, error.line, f"this value cannot be read ({error.message})",
                         "check the value's spelling, and remove any YAML tag (a word starting with !) before it")
        return None
    return data, lines


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s"'#:][^:#]*:\s+)?(["'])""")


def _unclosed_quote(text: str) -> int | None:
    """The index of the first line whose value opens a quote that the line does not close."""
    for index, line in enumerate(text.split("\n")):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match.group(1), line[match.end():]
        if quote == '"':
            rest = re.sub(r'\\.', "", rest)
        else:
            rest = rest.replace("''", "")
        if quote not in rest:
            return index
    return None


# The kinds of value a course file may hold; an explicit tag asking for anything else (for
# example "!!python/object/apply:os.system") is refused, never constructed.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def _compose(text: str) -> Node | None:
    """The document's node tree. libyaml (C) composes ordinary files fast; a file with anchors or
    aliases, very deep nesting or a syntax error goes through the guarded Python composer, which
    refuses what must be refused and words errors as PyYAML does, with their line."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and not _needs_guard(text):
        loader = fast(text)
        try:
            node: Node | None = loader.get_single_node()
        except yaml.YAMLError:
            node, failed = None, True
        else:
            failed = False
        finally:
            loader.dispose()
        if not failed and (node is None or _is_tree(node)):
            return node
    guarded = _GuardedLoader(text)
    try:
        single: Node | None = guarded.get_single_node()
        return single
    finally:
        guarded.dispose()


def _needs_guard(text: str) -> bool:
    """Nesting so deep that composing it might exhaust the C stack."""
    depth = deepest = 0
    for character in text:
        if character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    if deepest > MAX_DEPTH:
        return True
    return any(len(line) - len(line.lstrip(" -")) > 2 * MAX_DEPTH for line in text.split("\n"))


def _is_tree(root: Node) -> bool:
    """False when a node appears twice (an alias: the guarded composer then refuses it with its
    line); raises when there are too many nodes."""
    count, stack, seen = 0, [root], set[int]()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        count += 1
        if count > MAX_NODES:
            raise _RefusedYAML(f"the file has more than {MAX_NODES} values", "split it up or shorten it",
                               node.start_mark.line)
        if isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return True


class _ValueError(Exception):
    def __init__(self, message: str, line: int, plain: bool = False):
        super().__init__(message)
        self.message, self.line, self.plain = message, line, plain


def _construct(constructor: yaml.SafeLoader, node: Node, first_line: int) -> Any:
    """One scalar's value, with any error (unknown tag, a number too long to read) made readable."""
    try:
        return constructor.construct_object(node)
    except Exception as error:   # PyYAML raises more than YAMLError on odd tags, e.g. "!!timestamp x"
        what = getattr(error, "problem", None) or str(error)
        return_line = node.start_mark.line + first_line
        raise _ValueError(what, return_line) from None


def _convert(node: Node, path: DataPath, lines: LineMap, constructor: yaml.SafeLoader, source: Source,
             problems: Problems, first_line: int) -> Any:
    lines[path] = node.start_mark.line + first_line
    if node.tag not in _PLAIN_TAGS:
        shown = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _ValueError(f'the YAML tag "{shown}" is not allowed', node.start_mark.line + first_line, plain=True)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.add(source, key_node.start_mark.line + first_line, "a field name must be plain text")
                continue
            key = _construct(constructor, key_node, first_line)
            if key == "<<":
                problems.add(source, key_node.start_mark.line + first_line, "YAML merge keys (<<) are not supported",
                             "write the fields out")
                continue
            key = str(key)
            if key in result:
                problems.add(source, key_node.start_mark.line + first_line, f'the field "{key}" is written twice',
                             "keep one of them")
            result[key] = _convert(value_node, path + (key,), lines, constructor, source, problems, first_line)
            lines[path + (key,)] = key_node.start_mark.line + first_line
        return result
    if isinstance(node, SequenceNode):
        return [_convert(item, path + (index,), lines, constructor, source, problems, first_line)
                for index, item in enumerate(node.value)]
    value = _construct(constructor, node, first_line)
    # Dates and timestamps have no place in our sources; keep what the author typed.
    if not isinstance(value, (str, int, float, bool, type(None))):
        value = node.value
    return value
