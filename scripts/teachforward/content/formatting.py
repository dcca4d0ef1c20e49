"""How times, durations and reading-list entries are written, for every renderer."""
from __future__ import annotations

from collections.abc import Iterator

from teachforward.content.model import AgendaItem, Reading


def clock(minutes: int) -> str:
    """Minutes since the start as a clock time on a run-sheet: 75 -> "1:15"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def agenda_times(agenda: list[AgendaItem]) -> Iterator[tuple[str, AgendaItem]]:
    """Each agenda item with the clock time it starts at."""
    elapsed = 0
    for item in agenda:
        yield clock(elapsed), item
        elapsed += item.minutes


def total_minutes(agenda: list[AgendaItem]) -> int:
    return sum(item.minutes for item in agenda)


def reading_names(reading: Reading) -> list[str]:
    """Author and publisher of a reading-list entry, the ones given, in that order."""
    return [part for part in (reading.author, reading.publisher) if part]
