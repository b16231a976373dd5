"""How long a 4-week roster for 250 agents at 3 sites takes, and how close it gets.

Run ``python bench/schedule.py`` (add ``--json`` for machines). Builds the example
scenario (:func:`frontline.wfm.schedule.example.example_problem`: 250 agents, three sites,
28 days of 30-minute intervals, 16,000 calls on the busiest day, 90% answered in 20 s),
schedules it with a 100-second limit and prints the wall time, the under-staffing
against the LP-relaxation lower bound, and whether the independent roster check passed.
The target is a gap of at most 3% in under 120 s.
"""

from __future__ import annotations

import argparse
import json
import time

from frontline.wfm.schedule import schedule
from frontline.wfm.schedule.example import example_problem

AGENTS, WEEKS = 250, 4
TIME_LIMIT_SECONDS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--time-limit", type=float, default=TIME_LIMIT_SECONDS, help="search seconds"
    )
    arguments = parser.parse_args()
    problem = example_problem(agents=AGENTS, weeks=WEEKS)
    started = time.perf_counter()
    result = schedule(problem, time_limit_seconds=arguments.time_limit)
    seconds = time.perf_counter() - started
    gap = result.gap_to_lp
    figures = {
        "agents": AGENTS,
        "weeks": WEEKS,
        "sites": len(problem.sites),
        "seconds": round(seconds, 1),
        "under_staffing": result.under_staffing,
        "lp_lower_bound": None
        if result.lp_lower_bound is None
        else round(result.lp_lower_bound, 1),
        "gap_to_lp_percent": None if gap is None else round(100 * gap, 2),
        "rules_verified": result.publishable,
        "requests_honoured": sum(d.honoured for d in result.requests),
        "requests": len(result.requests),
    }
    if arguments.json:
        print(json.dumps(figures))
        return 0
    shown = "n/a" if gap is None else f"{100 * gap:.1f}"
    verified = "yes" if result.publishable else "no"
    print(f"schedule: {seconds:.1f} s, gap to LP bound {shown} %, rules verified: {verified}")
    print(
        f"under-staffing: {result.under_staffing:,} agent-intervals, "
        f"LP bound {figures['lp_lower_bound']}"
    )
    print(f"requests honoured: {figures['requests_honoured']} of {figures['requests']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
