"""The text of a slide as plain data: paragraphs of runs (bold, italic). The prose's blocks
become these in decks/blocks.py; this module holds no Markdown grammar."""
from __future__ import annotations

import re
from dataclasses import dataclass

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box."""
    runs: tuple[Run, ...]
    style: str = "bullet"       # bullet | plain | heading | number
    level: int = 0
    number: int | None = None
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def clean(text: str) -> str:
    """Text python-pptx accepts: no XML-invalid control characters, tabs as spaces."""
    return CONTROL.sub("", text.replace("\t", " "))


def plain_text(text: str) -> str:
    """A field from YAML or strings.yaml (plain text, never Markdown) as one line for a slide."""
    return re.sub(r"[ \t]+", " ", clean(text).strip())


def text_run(text: str, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """A plain-text field as the runs of a paragraph."""
    text = clean(text).strip()
    return (Run(text, bold, italic),) if text else ()
