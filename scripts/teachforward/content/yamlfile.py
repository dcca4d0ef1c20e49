"""YAML with line numbers: every value's line is remembered, so that a problem found
later (by the schema or the validator) can name the line an author has to edit."""
from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from teachforward.problems import Problems

Path_ = tuple  # a path into the data, e.g. ("agenda", 2, "minutes")


class LineMap(dict):
    """Maps a path into the data to the line it was written on."""

    def line(self, path: tuple) -> int | None:
        path = tuple(path)
        while path not in self and path:
            path = path[:-1]
        return self.get(path)


def parse_yaml(text: str, source, problems: Problems, first_line: int = 1) -> tuple[Any, LineMap] | None:
    """Parse YAML text; on a syntax error report it and return None."""
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), first_line):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                problems.add(source, number, "a tab is used to indent this line",
                             "YAML needs spaces for indentation: replace the tab with spaces")
                return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + first_line if mark else None
        what = getattr(error, "problem", None) or str(error)
        problems.add(source, line, f"this is not valid YAML: {what}",
                     "check the indentation (spaces only, same depth for items of one list), "
                     "and put text containing ': ' or starting with a quote inside quotes")
        return None
    lines = LineMap()
    if node is None:
        return None, lines
    constructor = yaml.SafeLoader("")
    try:
        data = _convert(node, (), lines, constructor, source, problems, first_line)
    except yaml.YAMLError as error:
        problems.add(source, first_line, f"this is not valid YAML: {error}", "check the value's spelling")
        return None
    return data, lines


def _convert(node, path, lines, constructor, source, problems, first_line):
    lines[path] = node.start_mark.line + first_line
    if isinstance(node, MappingNode):
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.add(source, key_node.start_mark.line + first_line, "a field name must be plain text")
                continue
            key = constructor.construct_object(key_node)
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
    value = constructor.construct_object(node)
    # Dates and timestamps have no place in our sources; keep what the author typed.
    if not isinstance(value, (str, int, float, bool, type(None))):
        value = node.value
    return value
