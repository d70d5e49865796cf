"""PTV service hours in plain Finnish: "ma–pe klo 9–15, la klo 10–14"."""

from __future__ import annotations

from bot.catalog.ptv import OpeningHours

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_ABBR = ("ma", "ti", "ke", "to", "pe", "la", "su")
REGULAR_KINDS = frozenset({"DaysOfTheWeek", "Standard", "OverMidnight", ""})


def _clock(value: str) -> str:
    """'09:00:00' -> '9', '09:30' -> '9.30'."""
    parts = value.split(":")
    if not parts or not parts[0].isdigit():
        return value
    hour = str(int(parts[0]))
    minute = parts[1] if len(parts) > 1 and parts[1].isdigit() else "00"
    return hour if minute == "00" else f"{hour}.{minute}"


def _day_index(name: str) -> int | None:
    return DAYS.index(name) if name in DAYS else None


def weekly_times(hours: list[OpeningHours]) -> dict[int, str]:
    """Weekday (0 = Monday) -> 'klo 9–15' for the regular hours that are valid."""
    days: dict[int, str] = {}
    for block in hours:
        if block.kind not in REGULAR_KINDS or block.is_closed:
            continue
        for day_from, day_to, start, end in block.periods:
            first = _day_index(day_from)
            last = _day_index(day_to) if day_to else first
            if first is None or last is None:
                continue
            span = f"klo {_clock(start)}–{_clock(end)}" if start and end else "avoinna"
            for day in range(first, (last if last >= first else first) + 1):
                days[day] = f"{days[day]}, {span}" if day in days and span not in days[day] else span
    return days


def format_hours(hours: list[OpeningHours]) -> str:
    """Regular opening hours as one Finnish line; empty when the record has none."""
    days = weekly_times(hours)
    groups: list[tuple[int, int, str]] = []
    for day in sorted(days):
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == days[day]:
            groups[-1] = (groups[-1][0], day, days[day])
        else:
            groups.append((day, day, days[day]))
    parts = []
    for first, last, span in groups:
        label = DAY_ABBR[first] if first == last else f"{DAY_ABBR[first]}–{DAY_ABBR[last]}"
        parts.append(f"{label} {span}")
    text = ", ".join(parts)
    notes = [b.info for b in hours if b.info and b.kind in REGULAR_KINDS]
    if notes:
        text = f"{text} ({notes[0]})" if text else notes[0]
    return text
