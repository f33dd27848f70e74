"""French counting modes (``law/counting.py``): worked examples from public sources, properties.

Every expected date below was computed by hand from a printed calendar (python's ``calendar``
module output of the months concerned, e.g. ``python3 -c "import calendar;
print(calendar.month(2025, 5))"``) and the holiday lists of Code du travail L3133-1 (and L3134-13
for Alsace-Moselle), never by running the code under test. Where the source gives its own example
the row uses it; where it states only the rule, the dates are ours ("constructed") and the source
is the rule's.

Sources (cited by key in the rows):

- F35697: service-public.fr, « Jour ouvrable, jour ouvré, jour franc, jour calendaire : quelles
  différences ? », https://www.service-public.fr/particuliers/vosdroits/F35697 (vérifié le
  09/06/2023; read through the copies at https://ville-tcv.fr/urbanisme/?xml=F35697 and
  https://thieux.fr/fr/pg/1977627/le-guide-des-demarches-administratives/part/F35697).
- JURITRAVAIL: https://www.juritravail.com/Actualite/convoquer-recevoir-le-salarie-et-notifier-le-licenciement/Id/285604
  (Code du travail L1232-2 and R1231-1: letter received Monday 11 June 2018, period ends
  Saturday 16 June, extended to Monday 18 June, interview not before Tuesday 19 June).
- OGC: http://ogc-avocats.com/?p=775 (Cass. soc., letter presented 12 January 2018, the period
  runs from 13 January).
- ICARD-2007: https://consultation.avocat.fr/barreau-poitiers/blog/andre-icard/article-15761-la-difference-entre-delai-franc-et-delai-non-franc.html
  (two-month délai franc, notified 1 October 2007, expires Sunday 2 December, recourse on Monday
  3 December 2007).
- ICARD-2024: https://consultation.avocat.fr/barreau-lyon/blog/andre-icard/article-2969194-comment-calculer-le-delai-de-recours-contentieux-de-2-mois-lorsque-le-mois-ou-il-expire-n-a-pas-31-jours.html
  (decision received 12 November 2024, recourse at the latest on 13 January; the page prints
  "2024", a slip for 2025: "2 mois + 1 jour").
- COMPTA: https://m.compta-online.com/les-jours-francs-bien-les-compter-pour-obtenir-son-echeance-ar2420
  (signed 23 March: one jour franc gives 25 March, seven jours francs give 31 March; no year is
  given, we take 2021, when both days are weekdays).
- HEXAPAGE: https://hexapage.fr/?p=15645 (Christmas 2021 leave, 20 December 2021 back on
  3 January 2022: 10 jours ouvrables, 25 December and 1 January being Saturdays).
- OBSERVATOIRE: https://www.observatoire-equilibre.com/jours-ouvres-et-ouvrables/ (3 jours ouvrés
  from a Thursday: the Tuesday after, no holiday between; dates constructed).
- CIBTP: https://www.cibtp-centre.fr/moulins/salarie and FTM-CGT:
  https://ftm-cgt.fr/jours-ouvres-jours-ouvrables/ (a week of leave is 6 jours ouvrables, 5 with
  a holiday in it; 5 jours ouvrés).
- AURORE: https://www.aurorepaysanne.fr/retractation-la-date-denvoi-fait-foi (rupture
  conventionnelle, Code du travail L1237-13: 15 jours calendaires from the day after signature,
  extended to the next working day; dates constructed).
- CT-L1232-6: Code du travail art. L1232-6 (the dismissal letter « ne peut être expédiée moins de
  deux jours ouvrables après la date prévue de l'entretien préalable »), R1231-1 extension;
  dates constructed.
- CT-L1237-14: Code du travail art. L1237-14 (the administration has « un délai d'instruction de
  quinze jours ouvrables, à compter de la réception de la demande »); dates constructed.
- CC-L221-18: Code de la consommation art. L221-18 (fourteen days to withdraw) and L221-19 (a
  period ending on a Saturday, Sunday or holiday « est prolongé jusqu'au premier jour ouvrable
  suivant »); constructed, on days where the next working day is not a Saturday.
- CJA-R421-1: Code de justice administrative art. R421-1 (two months, a délai franc in the
  Conseil d'État's reading, CE 19 September 2014 n° 362568), constructed.
- CPC-641: Code de procédure civile art. 641-642 (calendar days; the day of the event does not
  count), constructed or as in http://cabinetjogo.com/delais-franc-et-delais-non-franc-en-droit-procedural/
  (notified 10 March 2023, 15 days: 25 March 2023; the same page's délai franc, 27 March, counts
  one day more than the French rule and is not used).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convention_rules._errors import FactError
from convention_rules.law.calendars import holiday_set, is_working_day, next_working_day
from convention_rules.law.counting import (
    Counting,
    count_back,
    count_forward,
    days_in_span,
    franc_before,
    franc_deadline,
    is_counted_day,
    ouvrables_after,
    ouvrables_before,
    ouvres_after,
    ouvres_before,
)
from convention_rules.law.legaltime import Period, Unit, add_period, deadline

C, OA, OE, FR_ = Counting.CALENDAR, Counting.OUVRABLES, Counting.OUVRES, Counting.FRANC
AM = "FR-ALSACE-MOSELLE"


def d(text: str) -> date:
    return date.fromisoformat(text)


def p(text: str) -> Period:
    return Period.parse(text)


# (source, mode, event, period, extends, calendar, last day)
FORWARD = [
    ("JURITRAVAIL", OA, "2018-06-11", "5 days", False, "FR", "2018-06-16"),
    ("JURITRAVAIL", OA, "2018-06-11", "5 days", True, "FR", "2018-06-18"),
    ("OGC", OA, "2018-01-12", "5 days", False, "FR", "2018-01-18"),
    ("ICARD-2007", FR_, "2007-10-01", "2 months", False, "FR", "2007-12-02"),
    ("ICARD-2007", FR_, "2007-10-01", "2 months", True, "FR", "2007-12-03"),
    ("ICARD-2024", FR_, "2024-11-12", "2 months", True, "FR", "2025-01-13"),
    ("COMPTA", FR_, "2021-03-23", "1 day", False, "FR", "2021-03-25"),
    ("COMPTA", FR_, "2021-03-23", "7 days", False, "FR", "2021-03-31"),
    ("COMPTA", FR_, "2021-03-23", "7 days", True, "FR", "2021-03-31"),
    ("OBSERVATOIRE", OE, "2025-03-06", "3 days", False, "FR", "2025-03-11"),
    # Rupture conventionnelle: Mon 3 March + 15 = Tue 18 March; Fri 25 April + 15 = Sat 10 May
    # -> Mon 12 May; Wed 16 April + 15 = Thu 1 May (holiday) -> Fri 2 May.
    ("AURORE", C, "2025-03-03", "15 days", True, "FR", "2025-03-18"),
    ("AURORE", C, "2025-04-25", "15 days", True, "FR", "2025-05-12"),
    ("AURORE", C, "2025-04-25", "15 days", False, "FR", "2025-05-10"),
    ("AURORE", C, "2025-04-16", "15 days", True, "FR", "2025-05-02"),
    # Interview Fri 2 May 2025: Sat 3, Mon 5. Interview Wed 7 May: Thu 8 is a holiday, Fri 9,
    # Sat 10, extended to Mon 12.
    ("CT-L1232-6", OA, "2025-05-02", "2 days", False, "FR", "2025-05-05"),
    ("CT-L1232-6", OA, "2025-05-07", "2 days", False, "FR", "2025-05-10"),
    ("CT-L1232-6", OA, "2025-05-07", "2 days", True, "FR", "2025-05-12"),
    # Letter presented Tue 23 Dec 2025: 24, (25), 26, 27, 29, 30; Alsace-Moselle loses the 26th.
    ("JURITRAVAIL", OA, "2025-12-23", "5 days", False, "FR", "2025-12-30"),
    ("JURITRAVAIL", OA, "2025-12-23", "5 days", False, AM, "2025-12-31"),
    # Thu 17 April 2025, 2 jours ouvrés: Fri 18 (Good Friday in Alsace-Moselle), Mon 21 (Easter
    # Monday), Tue 22; in Alsace-Moselle Tue 22, Wed 23.
    ("F35697", OE, "2025-04-17", "2 days", False, "FR", "2025-04-22"),
    ("F35697", OE, "2025-04-17", "2 days", False, AM, "2025-04-23"),
    # Homologation, 15 jours ouvrables from Mon 5 May 2025 (8 May a holiday): Fri 23 May; from
    # Thu 10 July 2025 (14 July a holiday): Tue 29 July.
    ("CT-L1237-14", OA, "2025-05-05", "15 days", False, "FR", "2025-05-23"),
    ("CT-L1237-14", OA, "2025-07-10", "15 days", False, "FR", "2025-07-29"),
    # Withdrawal, 14 days: Mon 1 Dec 2025 -> Mon 15 Dec; Fri 11 April -> Fri 25 April;
    # Mon 7 April -> Easter Monday 21 April -> Tue 22 April.
    ("CC-L221-18", C, "2025-12-01", "14 days", True, "FR", "2025-12-15"),
    ("CC-L221-18", C, "2025-04-11", "14 days", True, "FR", "2025-04-25"),
    ("CC-L221-18", C, "2025-04-07", "14 days", True, "FR", "2025-04-22"),
    # Two months franc from Wed 15 Jan 2025: 15 March (Sat) + 1 = Sun 16 March -> Mon 17 March.
    ("CJA-R421-1", FR_, "2025-01-15", "2 months", False, "FR", "2025-03-16"),
    ("CJA-R421-1", FR_, "2025-01-15", "2 months", True, "FR", "2025-03-17"),
    ("CPC-641", C, "2023-03-10", "15 days", False, "FR", "2023-03-25"),
    # docs/deadlines.md: notified Sat 14 June 2025, one month, extends: Mon 14 July -> Tue 15.
    ("CPC-641", C, "2025-06-14", "1 month", True, "FR", "2025-07-15"),
    # Fri 25 April 2025, 5 jours ouvrés: 28, 29, 30, (1 May), 2, 5; the extension changes nothing.
    ("F35697", OE, "2025-04-25", "5 days", False, "FR", "2025-05-05"),
    ("F35697", OE, "2025-04-25", "5 days", True, "FR", "2025-05-05"),
    # Tue 23 Dec 2025, 3 jours ouvrés: 24, (25), 26, 29; Alsace-Moselle 24, 29, 30.
    ("F35697", OE, "2025-12-23", "3 days", False, "FR", "2025-12-29"),
    ("F35697", OE, "2025-12-23", "3 days", False, AM, "2025-12-30"),
    # Fri 2 May 2025, 10 jours ouvrés: 5, 6, 7, (8), 9, 12-16, 19.
    ("F35697", OE, "2025-05-02", "10 days", False, "FR", "2025-05-19"),
]

# (source, limit D, mode, period, extends, calendar, latest N)
BACKWARD = [
    # Interview on Tue 19 June 2018: the period must have ended by Mon 18 June. Presented Tue
    # 12: 13, 14, 15, 16, 18, in time; Wed 13: 14, 15, 16, 18, 19, too late.
    ("JURITRAVAIL", "2018-06-18", OA, "5 days", True, "FR", "2018-06-12"),
    # Au moins 3 jours ouvrés avant Mon 12 May 2025: 12, 9, (8), 7 -> the day before, Tue 6.
    ("F35697", "2025-05-12", OE, "3 days", False, "FR", "2025-05-06"),
    # A two-month délai franc ending by Mon 17 March 2025 (extended): notified 16 January
    # (16 March + 1 = 17 March); 17 January gives 18 March.
    ("CJA-R421-1", "2025-03-17", FR_, "2 months", True, "FR", "2025-01-16"),
    # Au moins 5 jours ouvrables avant Sat 10 May 2025: 10, 9, (8), 7, 6, 5 -> Sun 4 May.
    ("JURITRAVAIL", "2025-05-10", OA, "5 days", False, "FR", "2025-05-04"),
    # 2 jours ouvrés before Tue 22 April 2025: 22, (21), 18 -> Thu 17; Alsace-Moselle 22, (21),
    # (18), 17 -> Wed 16.
    ("F35697", "2025-04-22", OE, "2 days", False, "FR", "2025-04-17"),
    ("F35697", "2025-04-22", OE, "2 days", False, AM, "2025-04-16"),
    # A rupture conventionnelle period (15 days, extended) over by Mon 12 May 2025: signed Sat
    # 26 April, + 15 = Sun 11 May -> Mon 12 May; Sun 27 April + 15 = Mon 12 May, in time; Mon
    # 28 April + 15 = Tue 13 May, too late.
    ("AURORE", "2025-05-12", C, "15 days", True, "FR", "2025-04-27"),
]

# (source, first, last, mode, calendar, how many days)
SPANS = [
    ("F35697", "2023-08-14", "2023-08-19", OA, "FR", 5),
    ("F35697", "2023-12-25", "2023-12-30", OA, "FR", 5),
    ("F35697", "2023-08-14", "2023-08-18", OE, "FR", 4),
    ("F35697", "2023-12-25", "2023-12-29", OE, "FR", 4),
    ("HEXAPAGE", "2021-12-20", "2022-01-01", OA, "FR", 10),
    ("CIBTP", "2025-03-03", "2025-03-08", OA, "FR", 6),
    ("CIBTP", "2025-05-05", "2025-05-10", OA, "FR", 5),
    ("FTM-CGT", "2025-03-03", "2025-03-07", OE, "FR", 5),
    # May 2025: 31 days, 4 Sundays, 5 Saturdays, holidays Thu 1, Thu 8, Thu 29 (Ascension).
    ("F35697", "2025-05-01", "2025-05-31", OA, "FR", 24),
    ("F35697", "2025-05-01", "2025-05-31", OE, "FR", 19),
    ("F35697", "2025-05-01", "2025-05-31", C, "FR", 31),
    # December 2025 in Alsace-Moselle: 23 weekdays, less 25 and 26 (both holidays there).
    ("F35697", "2025-12-01", "2025-12-31", OE, AM, 21),
]


def test_there_are_forty_worked_examples_at_least() -> None:
    assert len(FORWARD) + len(BACKWARD) + len(SPANS) >= 40


@pytest.mark.parametrize("row", FORWARD, ids=lambda row: f"{row[0]}-{row[2]}-{row[3]}")
def test_forward_examples(row: tuple[str, Counting, str, str, bool, str, str]) -> None:
    _source, mode, event, period, extends, cal, last = row
    got = count_forward(d(event), p(period), mode, extends=extends, calendar=cal)
    assert got == d(last)


@pytest.mark.parametrize("row", BACKWARD, ids=lambda row: f"{row[0]}-{row[1]}-{row[3]}")
def test_backward_examples(row: tuple[str, str, Counting, str, bool, str, str]) -> None:
    _source, limit, mode, period, extends, cal, latest = row
    assert count_back(d(limit), p(period), mode, extends=extends, calendar=cal) == d(latest)


@pytest.mark.parametrize("row", SPANS, ids=lambda row: f"{row[0]}-{row[1]}-{row[3].value}")
def test_span_examples(row: tuple[str, str, str, Counting, str, int]) -> None:
    _source, first, last, mode, cal, count = row
    assert days_in_span(d(first), d(last), mode, cal) == count


def test_the_language_names_are_the_same_counts() -> None:
    assert ouvrables_after(d("2018-06-11"), 5) == d("2018-06-16")
    assert ouvrables_after(d("2018-06-11"), 5, True) == d("2018-06-18")
    assert ouvres_after(d("2025-12-23"), 3, False, AM) == d("2025-12-30")
    assert franc_deadline(d("2007-10-01"), p("2 months"), True) == d("2007-12-03")
    assert ouvrables_before(d("2025-05-10"), 5) == d("2025-05-04")
    assert ouvres_before(d("2025-04-22"), 2, False, AM) == d("2025-04-16")
    assert franc_before(d("2025-03-17"), p("2 months"), True) == d("2025-01-16")


# --------------------------------------------------------------------------- errors


def test_jours_ouvres_refuse_months() -> None:
    with pytest.raises(FactError, match="counted in days"):
        count_forward(d("2025-01-01"), p("1 month"), OE)
    with pytest.raises(FactError, match="counted in days"):
        count_back(d("2025-01-01"), p("2 weeks"), OA)


def test_unknown_calendar_and_bad_amounts_are_fact_errors() -> None:
    with pytest.raises(FactError, match="FR-ALSACE-MOSELLE"):
        ouvres_after(d("2025-01-01"), 3, False, "DE")
    with pytest.raises(FactError, match="negative"):
        ouvres_after(d("2025-01-01"), -3)
    with pytest.raises(FactError, match="before it starts"):
        days_in_span(d("2025-01-02"), d("2025-01-01"), OE)
    with pytest.raises(FactError, match="leaves the calendar"):
        ouvres_after(date(9999, 12, 30), 5)


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
calendars = st.sampled_from(["FR", AM])
day_counts = st.integers(min_value=0, max_value=400)
periods = st.builds(
    Period,
    st.integers(min_value=0, max_value=40),
    st.sampled_from([Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.YEARS]),
)
modes = st.sampled_from(list(Counting))


def _naive_nth(start: date, n: int, mode: Counting, cal: str) -> date:
    """The n-th counted day after start, one day at a time (the reference for the week jumps)."""
    current, left = start, n
    while left:
        current += timedelta(days=1)
        weekday = current.weekday()
        holiday = current in holiday_set(current.year, cal)
        counted = weekday < 5 if mode is OE else weekday != 6
        if counted and not holiday:
            left -= 1
    return current


def _period_for(mode: Counting, period: Period) -> Period:
    if mode in (OA, OE):
        return Period(period.amount if period.unit is Unit.DAYS else period.amount * 3, Unit.DAYS)
    return period


@given(dates, periods, st.booleans(), calendars)
def test_a_delai_franc_ends_one_day_after_the_cpc_count(
    start: date, period: Period, extends: bool, cal: str
) -> None:
    cpc = add_period(start, period)
    franc = count_forward(start, period, FR_, calendar=cal)
    assert franc == cpc + timedelta(days=1)
    if extends:
        assert count_forward(start, period, FR_, extends=True, calendar=cal) == next_working_day(
            franc, cal
        )


@given(dates, periods, st.booleans(), calendars)
def test_calendar_days_are_the_cpc_count(
    start: date, period: Period, extends: bool, cal: str
) -> None:
    got = count_forward(start, period, C, extends=extends, calendar=cal)
    assert got == deadline(start, period, extends, cal)


@given(dates, st.integers(min_value=1, max_value=400), st.booleans(), calendars)
def test_jours_ouvres_never_end_on_a_weekend_or_holiday(
    start: date, n: int, extends: bool, cal: str
) -> None:
    last = count_forward(start, Period(n, Unit.DAYS), OE, extends=extends, calendar=cal)
    assert is_working_day(last, cal)
    assert last == _naive_nth(start, n, OE, cal)
    assert days_in_span(start + timedelta(days=1), last, OE, cal) == n


@given(dates, st.integers(min_value=1, max_value=400), calendars)
def test_jours_ouvrables_never_end_on_a_sunday_or_holiday(start: date, n: int, cal: str) -> None:
    last = count_forward(start, Period(n, Unit.DAYS), OA, calendar=cal)
    assert last.weekday() != 6
    assert last not in holiday_set(last.year, cal)
    assert last == _naive_nth(start, n, OA, cal)
    assert days_in_span(start + timedelta(days=1), last, OA, cal) == n
    extended = count_forward(start, Period(n, Unit.DAYS), OA, extends=True, calendar=cal)
    assert extended == next_working_day(last, cal)


@given(dates, periods, modes, st.booleans(), calendars)
def test_backwards_is_the_latest_start_that_ends_in_time(
    limit: date, period: Period, mode: Counting, extends: bool, cal: str
) -> None:
    period = _period_for(mode, period)
    latest = count_back(limit, period, mode, extends=extends, calendar=cal)
    assert count_forward(latest, period, mode, extends=extends, calendar=cal) <= limit
    following = latest + timedelta(days=1)
    assert count_forward(following, period, mode, extends=extends, calendar=cal) > limit


@given(dates, periods, modes, st.booleans(), calendars)
def test_backwards_and_forwards_are_inverse_where_they_can_be(
    start: date, period: Period, mode: Counting, extends: bool, cal: str
) -> None:
    period = _period_for(mode, period)
    end = count_forward(start, period, mode, extends=extends, calendar=cal)
    back = count_back(end, period, mode, extends=extends, calendar=cal)
    # Each reachable end is reached again from the latest start, which is not before start;
    # where the forward count is one-to-one (calendar days in days) it is start itself.
    assert count_forward(back, period, mode, extends=extends, calendar=cal) == end
    assert back >= start
    if mode in (C, FR_) and period.unit in (Unit.DAYS, Unit.WEEKS) and not extends:
        assert back == start


@given(dates, modes, calendars)
def test_counted_days_match_their_definitions(day: date, mode: Counting, cal: str) -> None:
    holiday = day in holiday_set(day.year, cal)
    expected = {
        C: True,
        FR_: True,
        OA: day.weekday() != 6 and not holiday,
        OE: day.weekday() < 5 and not holiday,
    }[mode]
    assert is_counted_day(day, mode, cal) is expected


RULESET = """\
format: 1
id: synthetic-counting
title: Modes de décompte
source: synthetic.txt
facts:
  presented: {type: date}
  interview: {type: date}
  calendar: {type: enum, values: [FR, FR-ALSACE-MOSELLE], default: FR}
decisions:
  interview:
    title: L'entretien respecte-t-il le délai ?
    outcomes: [regular, irregular]
    values:
      period_ends: ouvrables_after(presented, 5, true, calendar)
      latest_presentation: ouvrables_before(interview - 1 days, 5, true, calendar)
      recourse_until: franc_deadline(presented, 2 months, true)
      reply_by: ouvres_after(presented, 3)
      reply_from: ouvres_before(interview, 3)
      franc_from: franc_before(interview, 1 day)
    rules:
      - {id: in-time, when: "interview > ouvrables_after(presented, 5, true, calendar)",
         outcome: regular, article: L1232-2, text: "moins de cinq jours ouvrables"}
      - {id: too-early, when: "interview <= ouvrables_after(presented, 5, true, calendar)",
         outcome: irregular, article: L1232-2, text: "moins de cinq jours ouvrables"}
"""


def test_the_functions_in_a_ruleset(tmp_path: Path) -> None:
    from convention_rules import load_ruleset

    path = tmp_path / "synthetic-counting.yaml"
    path.write_text(RULESET, encoding="utf-8")
    rs = load_ruleset(path)
    # JURITRAVAIL: received Mon 11 June 2018, interview not before Tue 19 June.
    early = rs.decide(
        "interview", {"presented": "2018-06-11", "interview": "2018-06-18"}, as_of=d("2018-06-01")
    )
    assert early.outcome == "irregular"
    ok = rs.decide(
        "interview", {"presented": "2018-06-11", "interview": "2018-06-19"}, as_of=d("2018-06-01")
    )
    assert ok.outcome == "regular"
    assert ok.values["period_ends"] == d("2018-06-18")
    # 18 June is the last day of the period: Tue 12 June presented gives Mon 18 June (above).
    assert ok.values["latest_presentation"] == d("2018-06-12")
    # 11 June + 2 months = 11 August 2018 (Sat) + 1 = Sun 12 -> Mon 13 August.
    assert ok.values["recourse_until"] == d("2018-08-13")
    # 3 jours ouvrés after Mon 11 June 2018: 12, 13, 14; 3 before Tue 19: 19, 18, 15 -> Thu 14.
    assert ok.values["reply_by"] == d("2018-06-14")
    assert ok.values["reply_from"] == d("2018-06-14")
    # One jour franc ending by Tue 19 June: the event on Sun 17 June (18 + 1 = 19).
    assert ok.values["franc_from"] == d("2018-06-17")
