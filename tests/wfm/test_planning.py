"""The planner page's pure core: a day's forecast, what-if sizing, agents on the phones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from frontline.wfm.adherence import shift_activities
from frontline.wfm.planning import WhatIf, day_forecast, scheduled_on_phones, what_if_plan

DAY = date(2026, 11, 3)  # inside the example history
LATER = date(2026, 12, 1)  # after it


def test_a_past_day_has_its_actual_and_a_later_day_only_a_forecast() -> None:
    past, later = day_forecast("general", DAY), day_forecast("general", LATER)
    assert len(past.starts) == len(later.starts) == 48
    # Moscow midnight is 21:00 UTC the day before.
    assert past.starts[0] == datetime(2026, 11, 2, 21, tzinfo=UTC)
    assert past.example_actual is not None and past.example_actual.sum() > 0
    assert later.example_actual is None
    assert later.volume.sum() > 0


def test_what_if_follows_the_target_the_aht_and_the_shrinkage() -> None:
    forecasts = {"general": day_forecast("general", DAY)}
    base = what_if_plan(forecasts, WhatIf()).queues[0]
    stricter = what_if_plan(forecasts, WhatIf(service_level_target=0.95)).queues[0]
    longer = what_if_plan(forecasts, WhatIf(aht_seconds=600)).queues[0]
    no_shrinkage = what_if_plan(forecasts, WhatIf(shrinkage=0.0)).queues[0]
    assert np.all(stricter.agents >= base.agents) and stricter.agents.sum() > base.agents.sum()
    assert np.all(longer.demand.aht_seconds == 600)
    assert np.array_equal(no_shrinkage.scheduled_agents, no_shrinkage.agents)
    # 30 % shrinkage: ceil(agents / 0.7) scheduled.
    assert np.array_equal(base.scheduled_agents, np.ceil(base.agents / 0.7 - 1e-9).astype(int))


def test_agents_on_the_phones_leave_out_breaks_and_training() -> None:
    def at(hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, 7, hour, minute, tzinfo=UTC)

    starts = [at(8) + timedelta(minutes=30 * n) for n in range(6)]  # 08:00 .. 10:30
    first = shift_activities(at(8), at(11), [(at(9), at(9, 30))], [])
    second = shift_activities(at(8, 30), at(11), [], [("training", at(10), at(11))])
    assert scheduled_on_phones([first, second], starts, 1800) == [1, 2, 1, 2, 1, 1]


@pytest.mark.parametrize("queue", ["billing", "tax-reporting"])
def test_every_example_queue_is_forecast(queue: str) -> None:
    assert day_forecast(queue, DAY).aht_seconds.min() > 0
