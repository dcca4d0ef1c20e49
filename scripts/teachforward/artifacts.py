"""What one renderer hands to another through the build, without either importing the
other: the decks that were written, described as plain data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Download:
    workshop: str        # workshop folder, e.g. "01-fundamentals"
    site_lang: str       # the site the deck is offered on
    lang: str            # the language the deck is written in (English when not translated)
    filename: str        # under site/<site_lang>/downloads/
    slides: int
    size_bytes: int
    presenter: str = ""  # the deck's presenter view, a file beside it (shown as workshops/<workshop>/present.html)


@dataclass(frozen=True)
class PrintFile:
    """A PDF (or the participant pack's zip) made by the print renderer, offered on a site."""
    kind: str            # "materials", "pack", "worksheets", "pack-zip" or "book"
    workshop: str        # workshop folder; "" for the course book
    lang: str
    filename: str        # under build/<lang>/print/ and site/<lang>/downloads/
    size: str            # paper: "a4" or "letter"
    size_bytes: int
