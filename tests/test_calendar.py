"""An agreement's calendar: events derived from the rulesets, as a table and an .ics file.

Generic semantics (yearly events, spans, the term's end, markers checked at load time) run
on a small synthetic ruleset; the bundled agreements give the expected dates computed by hand
from their texts (each test says how). The .ics files are read back with ``icalendar``.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from convention_rules import FactError, RulesetError, load_ruleset
from convention_rules.agenda.ical import to_ical
from convention_rules.cli.main import run
from convention_rules.deciding.ruleset import Ruleset
from convention_rules.reading.loader import read_ruleset

D = date

# Signed on 29 February 2020 for three years; a report due 30 days after a given start.
TINY = """
format: 1
id: tiny
title: Tiny
source: tiny.txt
term: {first_day: 2020-02-29, last_day: 2023-02-28, article: "9", text: Conclue pour trois ans.}
facts:
  start: {type: date}
constants:
  signing:
    {value: 2020-02-29, event: {label: Anniversary, yearly: true}, article: "1", text: Signée.}
  fair_first:
    {value: 2020-06-01, event: {label: Fair, until: fair_last}, article: "2", text: Foire.}
  fair_last: {value: 2020-06-03, article: "2", text: Foire.}
decisions:
  report:
    title: When is the report due?
    outcomes: [due]
    calendar: {due: Report due}
    rules:
      - {id: thirty-days, when: known(start), outcome: due, values: {due: start + 30 days},
         article: "3", text: Rapport sous trente jours.}
"""


def _tiny(text: str = TINY) -> Ruleset:
    return Ruleset(read_ruleset(text, "tiny.yaml"))


def _days(calendar: object) -> list[tuple[date, date, str]]:
    return [(e.first, e.last, e.label) for e in calendar.events]  # type: ignore[attr-defined]


def test_yearly_events_follow_cpc_641_and_stop_at_the_term_end() -> None:
    got = _days(_tiny().calendar((D(2020, 1, 1), D(2024, 12, 31))))
    anniversaries = [first for first, _, label in got if label == "Anniversary"]
    # 29 February 2020 + k years: 28 February in 2021, 2022, 2023 (common years); 2024 is
    # after the term's last day (2023-02-28), so it is not listed.
    assert anniversaries == [D(2020, 2, 29), D(2021, 2, 28), D(2022, 2, 28), D(2023, 2, 28)]
    assert (D(2020, 2, 29), D(2020, 2, 29), "First day in force") in got
    assert (D(2023, 2, 28), D(2023, 2, 28), "Last day in force") in got
    assert (D(2020, 6, 1), D(2020, 6, 3), "Fair") in got


def test_a_period_keeps_the_events_that_overlap_it() -> None:
    assert _days(_tiny().calendar((D(2020, 6, 3), D(2020, 6, 3)))) == [
        (D(2020, 6, 1), D(2020, 6, 3), "Fair")
    ]
    assert _days(_tiny().calendar(2021)) == [(D(2021, 2, 28), D(2021, 2, 28), "Anniversary")]


def test_a_decision_value_is_an_event_given_its_facts_else_pending() -> None:
    with_start = _tiny().calendar(2020, {"start": "2020-03-01"})
    # 2020-03-01 + 30 days = 2020-03-31
    assert (D(2020, 3, 31), D(2020, 3, 31), "Report due") in _days(with_start)
    event = next(e for e in with_start.events if e.label == "Report due")
    assert event.citation is not None and event.citation.article == "3"
    without = _tiny().calendar(2020)
    assert "Report due" not in [label for _, _, label in _days(without)]
    assert [(p.decision, p.value, p.missing) for p in without.pending] == [
        ("report", "due", ("start",))
    ]
    assert "needs facts: report.due (Report due): start" in without.table()


@pytest.mark.parametrize(
    ("period", "facts", "field"),
    [
        ((D(2020, 2, 1), D(2020, 1, 1)), None, "to"),
        (("2020-13-01", "2020-12-31"), None, "from"),
        (0, None, "period"),
        ((D(2020, 1, 1),), None, "period"),
        (True, None, "period"),
        (2020, {"stat": "2020-01-01"}, "stat"),
        (2020, {"start": "March"}, "start"),
    ],
)
def test_bad_input_names_its_field(period: object, facts: object, field: str) -> None:
    with pytest.raises(FactError) as caught:
        _tiny().calendar(period, facts)  # type: ignore[arg-type]
    assert caught.value.fact == field


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("calendar: {due: Report due}", "calendar: {dew: Report due}", "calendar names 'dew'"),
        ("until: fair_last}", "until: fare_last}", "event until 'fare_last'"),
        (
            "{value: 2020-02-29,",
            "{value: 12,",
            "is an event but holds int",
        ),
        ("yearly: true}", "yearly: often}", "yearly is true or false"),
    ],
)
def test_markers_are_checked_when_the_ruleset_loads(old: str, new: str, message: str) -> None:
    with pytest.raises(RulesetError, match=message) as caught:
        _tiny(TINY.replace(old, new))
    assert "tiny.yaml:" in str(caught.value)


def test_forpro_sup_notice_and_term_end_in_2026() -> None:
    calendar = load_ruleset("occitanie-forpro-sup").calendar(
        2026, {"ground": "notice", "notice_date": "2026-01-15"}
    )
    # art. 10: 2026-01-15 + 6 months = 2026-07-15; art. 8: last day 2026-08-31
    assert _days(calendar) == [
        (D(2026, 7, 15), D(2026, 7, 15), "The termination takes effect"),
        (D(2026, 8, 31), D(2026, 8, 31), "Last day in force"),
    ]
    assert [e.citation.article for e in calendar.events if e.citation] == ["10", "8"]


def test_a_termination_that_the_term_overtakes_is_not_an_event() -> None:
    calendar = load_ruleset("occitanie-forpro-sup").calendar(
        2026, {"ground": "notice", "notice_date": "2026-05-01"}
    )
    # 2026-05-01 + 6 months = 2026-11-01, after 2026-08-31: expires_first, no termination date
    assert _days(calendar) == [(D(2026, 8, 31), D(2026, 8, 31), "Last day in force")]


def test_forpro_sup_follow_up_survey() -> None:
    calendar = load_ruleset("occitanie-forpro-sup").calendar(2025, {"training_exit": "2024-08-31"})
    # art. 3-8: 2024-08-31 + 6 months = 2025-02-28 (no 31 February)
    assert _days(calendar) == [
        (
            D(2025, 2, 28),
            D(2025, 2, 28),
            "Follow-up survey of the trainee (six months after the training exit)",
        )
    ]


def test_cress_paca_whole_term_by_default_from_the_cli(tmp_path: Path) -> None:
    ics = tmp_path / "cress.ics"
    out, err = io.StringIO(), io.StringIO()
    assert run(["calendar", "cress-paca", "--ics", str(ics)], out, err) == 0, err.getvalue()
    parsed = icalendar.Calendar.from_ical(ics.read_bytes())
    events = sorted(
        (e.decoded("dtstart"), e.decoded("dtend"), str(e.get("summary")))
        for e in parsed.walk("VEVENT")
    )
    ess = "Month of the social and solidarity economy (joint actions with schools)"
    first = "First meeting (review of past actions, partnership plan for the year ahead)"
    # 3.9: 2010-05-17 to 2010-05-17 + 3 years = 2013-05-17; 3.2: first meeting at signature;
    # 2.8: each November (1 to 30, DTEND the day after) while in force: 2010, 2011, 2012.
    assert events == [
        (D(2010, 5, 17), D(2010, 5, 18), "First day in force"),
        (D(2010, 5, 17), D(2010, 5, 18), first),
        (D(2010, 11, 1), D(2010, 12, 1), ess),
        (D(2011, 11, 1), D(2011, 12, 1), ess),
        (D(2012, 11, 1), D(2012, 12, 1), ess),
        (D(2013, 5, 17), D(2013, 5, 18), "Last day in force"),
    ]
    assert "wrote 6 events" in out.getvalue()
    description = str(next(iter(parsed.walk("VEVENT"))).get("description"))
    assert "003_4c8bd30e01765ea9.txt, art. 3.9" in description


def test_gsot_payments_and_anniversaries_as_ics() -> None:
    facts = {"amount": "8500.00", "first_semester_end": "2025-01-31", "jury_date": "2025-06-20"}
    calendar = load_ruleset("gsot-master").calendar((D(2024, 1, 1), D(2025, 12, 31)), facts)
    parsed = icalendar.Calendar.from_ical(to_ical(calendar))
    got = [(e.decoded("dtstart"), str(e.get("summary"))[:25]) for e in parsed.walk("VEVENT")]
    # art. 7: anniversaries each 9 June from 2024; art. 4: 40 % on 2025-01-31, 60 % by
    # 2025-06-20 + 3 months = 2025-09-20
    assert got == [
        (D(2024, 6, 9), "Anniversary date of the c"),
        (D(2025, 1, 31), "First instalment (40 %) d"),
        (D(2025, 6, 9), "Anniversary date of the c"),
        (D(2025, 9, 20), "Balance (60 %) due at the"),
    ]
    uids = [str(e.get("uid")) for e in parsed.walk("VEVENT")]
    assert len(set(uids)) == 4
    assert all(
        e.decoded("dtend") - e.decoded("dtstart") == timedelta(days=1)
        for e in parsed.walk("VEVENT")
    )


def test_departement_2025_with_the_committee_date() -> None:
    calendar = load_ruleset("departement-askoria").calendar(
        2025, {"steering_committee_date": "2025-12-15"}
    )
    # preamble: 2025; 1 (3-3): seminar 6 May; art. 3: Q4, due by min(2025-12-31, the latest day
    # at least one month before 2025-12-15 = 2025-11-15); art. 2: synthesis by 1 December
    assert [(first, last) for first, last, _ in _days(calendar)] == [
        (D(2025, 1, 1), D(2025, 1, 1)),
        (D(2025, 5, 6), D(2025, 5, 6)),
        (D(2025, 10, 1), D(2025, 12, 31)),
        (D(2025, 11, 15), D(2025, 11, 15)),
        (D(2025, 12, 1), D(2025, 12, 1)),
        (D(2025, 12, 31), D(2025, 12, 31)),
    ]


def test_the_cli_refuses_a_period_it_cannot_bound() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["calendar", "gsot-master"], out, err) == 2
    assert "--to" in err.getvalue()
    assert run(["calendar", "gsot-master", "--year", "2024", "--to", "2024-02-01"], out, err) == 2
