"""Shift scheduling for a 24/7 center with OR-Tools CP-SAT: a pure core.

Start with :func:`schedule` and the input shapes in :mod:`.inputs`; ``docs/scheduling.md``
describes the model, the rules and how to read the gap.
"""

from frontline.wfm.schedule.diagnose import ScheduleInfeasibleError
from frontline.wfm.schedule.inputs import (
    Agent,
    BreakRule,
    DayOffRequest,
    OffPhoneNeed,
    Rules,
    ScheduleInputError,
    ScheduleProblem,
    ShiftTemplate,
)
from frontline.wfm.schedule.model import Weights
from frontline.wfm.schedule.roster import OffPhoneBlock, RequestDecision, Shift
from frontline.wfm.schedule.solve import FairShare, Progress, ScheduleResult, schedule

__all__ = [
    "Agent",
    "BreakRule",
    "DayOffRequest",
    "FairShare",
    "OffPhoneBlock",
    "OffPhoneNeed",
    "Progress",
    "RequestDecision",
    "Rules",
    "ScheduleInfeasibleError",
    "ScheduleInputError",
    "ScheduleProblem",
    "ScheduleResult",
    "Shift",
    "ShiftTemplate",
    "Weights",
    "schedule",
]
