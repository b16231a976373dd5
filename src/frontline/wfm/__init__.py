"""Workforce management math: Erlang B, C and A and the staffing search built on them.

A pure core (STYLE.md point 4): plain numbers or NumPy arrays in, frozen dataclasses of
arrays out; no clock, database or settings. The formulas and their sources are in
``docs/wfm-math.md``.
"""

from frontline.wfm.erlang import QueueMetrics, erlang_a, erlang_b, erlang_c, offered_load_erlangs
from frontline.wfm.errors import QueueingArgumentError
from frontline.wfm.staffing import StaffingResult, required_agents

__all__ = [
    "QueueMetrics",
    "QueueingArgumentError",
    "StaffingResult",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "offered_load_erlangs",
    "required_agents",
]
