"""How times, durations and reading-list entries are written, for every renderer."""
from __future__ import annotations

from collections.abc import Iterator

from teachforward.content.model import AgendaItem, Reading


def elapsed(minutes: int) -> str:
    """Minutes since the start, as the agenda writes them: 75 -> "1:15"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def time_of_day(start: str, minutes: int) -> str:
    """A wall-clock time on a run-sheet: "09:30" + 95 minutes -> "11:05" (past midnight it goes round)."""
    hours, mins = map(int, start.split(":"))
    total = (hours * 60 + mins + minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def agenda_times(agenda: list[AgendaItem]) -> Iterator[tuple[str, AgendaItem]]:
    """Each agenda item with the clock time it starts at."""
    passed = 0
    for item in agenda:
        yield elapsed(passed), item
        passed += item.minutes


def total_minutes(agenda: list[AgendaItem]) -> int:
    return sum(item.minutes for item in agenda)


def reading_names(reading: Reading) -> list[str]:
    """Author and publisher of a reading-list entry, the ones given, in that order."""
    return [part for part in (reading.author, reading.publisher) if part]
