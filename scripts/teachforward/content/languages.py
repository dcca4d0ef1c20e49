"""What a language code means: its name and writing direction, from Babel's locale data
(CLDR), so that adding a language never needs a hand-written table."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from babel import Locale, UnknownLocaleError

# BCP 47 as used for folder names: a language, then optional script, region or variant.
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})*$")


@dataclass(frozen=True)
class LanguageInfo:
    code: str
    name: str             # in the language itself
    english_name: str
    direction: Literal["ltr", "rtl"]


def describe(code: str) -> LanguageInfo:
    """Raise ValueError with an explanation when `code` is not a usable BCP 47 language code."""
    if not BCP47.match(code):
        raise ValueError(f'"{code}" is not a language code: use a BCP 47 code such as "fr", "pt-BR" or "ar"')
    try:
        locale = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        raise ValueError(f'"{code}" is not a language Babel knows: use a BCP 47 code such as "fr", "pt-BR" or "ar"') from None
    name = locale.get_display_name(locale) or code
    english = locale.get_display_name(Locale("en")) or code
    direction: Literal["ltr", "rtl"] = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return LanguageInfo(code, name[:1].upper() + name[1:], english, direction)
