"""Markdown that CommonMark (our parser) and Python-Markdown (what MkDocs renders the site
with) read differently is refused or flagged here, so that the check, the site and the decks
agree on what every body says."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from teachforward.content import prose
from teachforward.content.model import Course, Workshop
from teachforward.problems import FindingsMemo, Problem, Problems

NESTED_INDENT = 4     # Python-Markdown nests a list only when it is indented by four spaces


def check_prose(course: Course, problems: Problems, memo: FindingsMemo | None = None) -> None:
    """Each body once (a translation's English parts are the English workshop's). `memo`: what
    the bodies of each workshop gave before, by the workshop's name (serve)."""
    seen: set[tuple[str, int]] = set()      # (file, first line) of each body checked
    for language in course.languages:
        for workshop in language.workshops:
            name = memo.name(workshop) if memo is not None else None
            if memo is None or name is None:
                for origin, body in workshop.proses():
                    if (str(origin.path), body.line) not in seen:
                        seen.add((str(origin.path), body.line))
                        _check_body(origin.path, body, problems)
                continue
            places, found, distinct = memo.remember(("prose of a workshop", name),
                                                    partial(_findings, workshop, problems.root))
            if distinct and seen.isdisjoint(places):      # the usual case: none is found twice
                seen.update(places)
                problems.items.extend(problem for each in found for problem in each)
                continue
            for place, each in zip(places, found, strict=True):
                if place not in seen:
                    seen.add(place)
                    problems.items.extend(each)
        for page in language.pages:
            if (str(page.origin.path), page.prose.line) not in seen:
                seen.add((str(page.origin.path), page.prose.line))
                _check_body(page.origin.path, page.prose, problems)


def _findings(workshop: Workshop, root: Path) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[Problem, ...], ...], bool]:
    """The place (file, first line) of each body of the workshop, what each gives, and whether
    the places are all different."""
    places, found = [], []
    for origin, body in workshop.proses():
        fresh = Problems(root)
        _check_body(origin.path, body, fresh)
        places.append((str(origin.path), body.line))
        found.append(tuple(fresh.items))
    return tuple(places), tuple(found), len(set(places)) == len(places)


def _check_body(path: Path, body: prose.Prose, problems: Problems) -> None:
    lines = body.source.split("\n")
    for block, depth in _lists(body.blocks, 0):
        if depth and _indent(lines, block.line - body.line) < NESTED_INDENT * depth:
            problems.add(path, block.line, "this list inside a list is indented by fewer than "
                         f"{NESTED_INDENT * depth} spaces, so the website would show it as part of the outer list",
                         f"indent the inner list's lines by {NESTED_INDENT} spaces for each level")
        if block.ordered and block.start != 1:
            problems.warn(path, block.line, f"this numbered list starts at {block.start}; the website and the "
                          "slides number every list from 1", "start the list at 1, or write the numbers in the text")


def _lists(blocks: tuple[prose.Block, ...], depth: int | None) -> Iterator[tuple[prose.ListBlock, int | None]]:
    """Every list with how deep it is nested in other lists (None inside a quote or an
    admonition, where the indentation is not the list's own)."""
    for block in blocks:
        if isinstance(block, prose.ListBlock):
            yield block, depth
            for item in block.items:
                yield from _lists(item.blocks, depth + 1 if depth is not None else None)
        elif isinstance(block, (prose.Quote, prose.Admonition)):
            yield from _lists(block.blocks, None)


def _indent(lines: list[str], index: int) -> int:
    if not 0 <= index < len(lines):
        return NESTED_INDENT
    line = lines[index].expandtabs(4)
    return len(line) - len(line.lstrip(" "))
