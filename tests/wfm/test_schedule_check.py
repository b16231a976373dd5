"""The independent roster check catches every kind of broken rule in hand-built rosters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from frontline.wfm.roster_check import check_roster
from frontline.wfm.schedule import (
    Agent,
    BreakRule,
    DayOffRequest,
    OffPhoneBlock,
    RequestDecision,
    ScheduleProblem,
    Shift,
    ShiftTemplate,
)

START = date(2026, 12, 7)  # a Monday
DAY = 1440
BREAK = (BreakRule(30, 180, 300),)
TEMPLATES = (
    ShiftTemplate("D8", 8 * 60, 480, breaks=BREAK),
    ShiftTemplate("E8", 16 * 60, 480, breaks=BREAK),
    ShiftTemplate("N12", 20 * 60, 720, night=True, breaks=BREAK),
    ShiftTemplate("EARLY", 4 * 60, 480, breaks=BREAK),
)
PROBLEM = ScheduleProblem(
    start=START,
    weeks=1,
    agents=(
        Agent("A", "north", 40.0),
        Agent("B", "north", 56.0),
        Agent("P", "north", 40.0, on_probation=True, mentor_id="A"),
    ),
    templates=TEMPLATES,
    requirement={"north": [1] * (7 * 48)},
    requests=(DayOffRequest("R1", "A", date(2026, 12, 12), date(2026, 11, 20)),),
)
START_MINUTE = {t.name: t.start_minute for t in TEMPLATES}
LENGTH = {t.name: t.length_minutes for t in TEMPLATES}


def shift(agent: str, template: str, day: int, break_offset: int = 240) -> Shift:
    start = day * DAY + START_MINUTE[template]
    return Shift(
        agent,
        template,
        start,
        start + LENGTH[template],
        ((start + break_offset, start + break_offset + 30),),
        (),
    )


def week(agent: str, template: str, days: range) -> list[Shift]:
    return [shift(agent, template, day) for day in days]


def test_a_sound_roster_has_no_violations() -> None:
    roster = week("A", "D8", range(5)) + week("P", "D8", range(5))
    assert check_roster(PROBLEM, roster) == []


def rules_broken(roster: list[Shift], **kwargs: object) -> set[str]:
    return {v.rule for v in check_roster(PROBLEM, roster, **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("roster", "rule"),
    [
        # Evening shift Monday, day shift Tuesday: 8 h rest, 11 h needed.
        ([shift("A", "E8", 0), *week("A", "D8", range(1, 5))], "min_rest"),
        # A night from Monday 20:00 runs to 08:00; a 04:00 start on Tuesday overlaps it.
        ([shift("A", "N12", 0), shift("A", "EARLY", 1), *week("A", "D8", range(3, 5))], "overlap"),
        # Seven days in a row (56 h is within B's contract).
        (week("B", "D8", range(7)), "max_consecutive_days"),
        # 32 h against a 40 ± 4 h contract.
        (week("A", "D8", range(4)), "weekly_hours"),
        # A probationer on a Saturday, and on a night.
        ([*week("P", "D8", range(4)), shift("P", "D8", 5)], "probation"),
        ([*week("P", "D8", range(3)), shift("P", "N12", 3)], "probation"),
        # A break 1 h into the shift; its window opens at 3 h.
        ([*week("A", "D8", range(4)), shift("A", "D8", 4, break_offset=60)], "breaks"),
        # A shift that does not start at its template's time.
        (
            [
                *week("A", "D8", range(4)),
                replace(
                    shift("A", "D8", 4),
                    start_minute=4 * DAY + 9 * 60,
                    end_minute=4 * DAY + 17 * 60,
                    breaks=((4 * DAY + 13 * 60, 4 * DAY + 13 * 60 + 30),),
                ),
            ],
            "template",
        ),
        # Training outside the shift.
        (
            [
                *week("A", "D8", range(4)),
                replace(
                    shift("A", "D8", 4),
                    off_phone=(OffPhoneBlock("training", 4 * DAY, 4 * DAY + 30),),
                ),
            ],
            "off_phone",
        ),
        # Working Saturday, asked off on time (R1).
        ([*week("A", "D8", range(3)), *week("A", "D8", range(4, 6))], "day_off_request"),
    ],
)
def test_each_broken_rule_is_caught(roster: list[Shift], rule: str) -> None:
    assert rules_broken(roster) == {rule}


def test_a_late_request_claimed_honoured_must_be_kept() -> None:
    late = replace(
        PROBLEM, requests=(DayOffRequest("R2", "A", date(2026, 12, 8), date(2026, 12, 5)),)
    )
    roster = week("A", "D8", range(5))
    assert check_roster(late, roster) == []  # late and refused: may be worked
    claimed = [RequestDecision("R2", True, "honoured")]
    assert {v.rule for v in check_roster(late, roster, claimed)} == {"day_off_request"}


def test_a_timely_request_refused_with_a_reason_is_not_a_violation() -> None:
    roster = [*week("A", "D8", range(3)), *week("A", "D8", range(4, 6))]
    refused = [RequestDecision("R1", False, "refused: weekly hours")]
    assert check_roster(PROBLEM, roster, refused) == []


def test_reported_coverage_must_match_the_roster() -> None:
    roster = week("A", "D8", range(5))
    truth = [0] * (7 * 48)
    for s in roster:
        for interval in range(s.start_minute // 30, s.end_minute // 30):
            truth[interval] += 1
        truth[s.breaks[0][0] // 30] -= 1
    assert check_roster(PROBLEM, roster, on_phone={"north": truth}) == []
    wrong = [*truth[:-1], truth[-1] + 1]
    assert {v.rule for v in check_roster(PROBLEM, roster, on_phone={"north": wrong})} == {
        "coverage"
    }
