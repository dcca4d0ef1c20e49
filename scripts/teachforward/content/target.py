"""What a link in the prose points at, independent of any renderer's URLs."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    workshop: str | None = None          # folder name, e.g. "02-data-lifecycle"
    part: str | None = None              # a workshop part (parts.PARTS) or, for a site page, its path
    anchor: str | None = None
    url: str | None = None               # an outside address
