"""An agreement's calendar as an iCalendar file (RFC 5545), for a partnership office's agenda.

Each event is an all-day ``VEVENT`` (``DTEND`` is the day after its last day, as
RFC 5545 counts all-day events) whose description quotes its clause. The ``UID``
is stable (ruleset, origin, first day), so importing a newer file updates the
events instead of duplicating them. Uses the ``icalendar`` package, an optional
extra: ``pip install 'convention-rules[calendar]'``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from convention_rules._errors import ConventionRulesError
from convention_rules.agenda.events import Calendar, Event

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")


def _description(event: Event) -> str:
    cite = event.citation
    if cite is None:
        return event.origin
    return f"{cite.source}, art. {cite.article}: « {cite.text} » ({event.origin})"


def to_ical(calendar: Calendar, *, stamp: datetime | None = None) -> bytes:
    """The calendar as iCalendar bytes; ``stamp`` is the ``DTSTAMP`` (default: now, UTC)."""
    try:
        import icalendar  # noqa: PLC0415 (an optional extra, imported only when asked for)
    except ImportError:
        raise ConventionRulesError(
            "writing an iCalendar file needs the 'icalendar' package: "
            "pip install 'convention-rules[calendar]'"
        ) from None
    stamp = stamp or datetime.now(UTC)
    out: Any = icalendar.Calendar()
    out.add("prodid", "-//convention_rules//agreement calendar//FR")
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("x-wr-calname", f"{calendar.title} ({calendar.ruleset})")
    for event in calendar.events:
        entry: Any = icalendar.Event()
        entry.add("uid", _UNSAFE.sub("-", f"{calendar.ruleset}.{event.key}") + "@convention-rules")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.first)
        entry.add("dtend", event.last + timedelta(days=1))
        entry.add("summary", event.label)
        entry.add("description", _description(event))
        entry.add("categories", [calendar.ruleset])
        entry.add("transp", "TRANSPARENT")
        out.add_component(entry)
    data: bytes = out.to_ical()
    return data
