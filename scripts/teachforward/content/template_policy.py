"""Template code in hand-written site pages is limited to three known variables.

The pages under docs/<lang>/ go through the macros plugin's template engine so that they
can show facts taken from the workshops: {{ workshop_cards }}, {{ workshop_table }} and
{{ glossary }}. Anything else a template could do ({{ config }}, {{ environment }},
{% include %}, attribute tricks such as {{ ''.__class__ }}) could read the build machine's
settings or files, so it is refused here, with the file and line, before anything is built.
(The site renderer also runs these pages in a sandbox; this check is the first line.)

Workshop prose is never a template: it is shown exactly as written.
"""
from __future__ import annotations

from collections.abc import Iterator

from jinja2 import Environment, TemplateSyntaxError

from teachforward.content.model import Course, Page
from teachforward.problems import Problems

ALLOWED_VARIABLES = ("workshop_cards", "workshop_table", "glossary")
# The same markers as the macros plugin in mkdocs.yml: "{#id}" stays a Markdown heading id.
MARKERS = {"comment_start_string": "{##", "comment_end_string": "##}"}
_LEXER = Environment(comment_start_string=MARKERS["comment_start_string"],
                     comment_end_string=MARKERS["comment_end_string"])
_HINT = ("a site page may only use {{ workshop_cards }}, {{ workshop_table }} and {{ glossary }}; "
         'to show curly brackets as text, write {{ "{{" }} and {{ "}}" }}')


def template_findings(text: str) -> list[tuple[int, str, str]]:
    """(line, message, hint) for each piece of template code that is not allowed."""
    findings = []
    try:
        tokens = list(_LEXER.lex(text))
    except TemplateSyntaxError as error:
        return [(error.lineno or 1, f"the template code cannot be read: {error.message}",
                 'close every "{{" with "}}" and every "{%" with "%}"; ' + _HINT)]
    inside: list[tuple[int, str, str]] | None = None
    kind = ""
    for line, token, value in tokens:
        if token in ("variable_begin", "block_begin"):
            inside, kind = [(line, token, value)], token
        elif token in ("variable_end", "block_end") and inside is not None:
            inside.append((line, token, value))
            if not _allowed(kind, [(t, v) for _, t, v in inside[1:-1] if t != "whitespace"]):
                shown = "".join(v for _, _, v in inside)
                shown = shown if len(shown) <= 60 else shown[:57] + "..."
                findings.append((inside[0][0], f'the template code "{shown}" is not allowed in a site page', _HINT))
            inside = None
        elif inside is not None:
            inside.append((line, token, value))
    if inside is not None:
        findings.append((inside[0][0], f'"{inside[0][2]}" is not closed',
                         'close "{{" with "}}" and "{%" with "%}"; ' + _HINT))
    return findings


def _allowed(kind: str, tokens: list[tuple[str, str]]) -> bool:
    if kind != "variable_begin" or len(tokens) != 1:
        return False
    token, value = tokens[0]
    return (token == "name" and value in ALLOWED_VARIABLES) or token == "string"


def check_templates(course: Course, problems: Problems) -> None:
    for language in course.languages:
        for page in language.pages:
            if page.origin.lang == language.code:
                _check_page(page, problems)


def _check_page(page: Page, problems: Problems) -> None:
    for line, message, hint in template_findings(page.text):
        problems.add(page.origin.path, page.body_line + line - 1, message, hint)
    # Values in the settings block at the top become template variables, and the title is
    # rendered too: they may not hold template code at all.
    for value in _texts(page.meta):
        if any(marker in value for marker in ("{{", "{%", "{##")):
            problems.add(page.origin.path, 1, "template code is not allowed in the settings at the top of a page",
                         "remove the curly brackets from the settings block between the --- lines")
            break


def _texts(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value)
    elif isinstance(data, str):
        yield data
