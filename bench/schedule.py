"""How long a 4-week roster for 250 agents at 3 sites takes, and how close it gets.

Run ``python bench/schedule.py`` (add ``--json`` for machines). Builds the example
scenario (:func:`frontline.wfm.schedule.example.example_problem`: 250 agents, three sites,
28 days of 30-minute intervals, 16,000 calls on the busiest day, 90% answered in 20 s),
schedules it with a 100-second limit and prints the wall time, the under-staffing
against the LP-relaxation lower bound, and whether the independent roster check passed.
The target is a gap of at most 3% in under 120 s.

Then, outside the timed run, the covering plan of whole shifts with the agents' rules as
totals (:mod:`frontline.wfm.schedule.cover`, SCIP) splits the gap: plan minus LP bound
is what whole shifts cost, roster minus plan what each agent's own rules and the search
cost.
"""

from __future__ import annotations

import argparse
import json
import time

from frontline.wfm.schedule import ScheduleProblem, Weights, schedule
from frontline.wfm.schedule.cover import plan_shifts
from frontline.wfm.schedule.diagnose import check_agents
from frontline.wfm.schedule.example import example_problem
from frontline.wfm.schedule.model import Geometry
from frontline.wfm.schedule.solve import WORKERS, site_problem

AGENTS, WEEKS = 250, 4
TIME_LIMIT_SECONDS = 100.0
PLAN_SECONDS_PER_SITE = 30.0


def covering_plan(problem: ScheduleProblem) -> tuple[int, bool] | None:
    """The plans' under-staffing summed over the sites, and whether SCIP proved each."""
    geometry = Geometry(problem)
    checks = check_agents(problem, geometry, WORKERS)
    closed = {agent_id: set(check.closed) for agent_id, check in checks.items()}
    total, proved = 0, True
    for site in problem.sites:
        sub = site_problem(problem, site)
        plan = plan_shifts(
            sub, Geometry(sub), closed, weights=Weights(), time_limit_seconds=PLAN_SECONDS_PER_SITE
        )
        if plan is None:
            return None
        total += plan.under_staffing
        proved = proved and plan.optimal
    return total, proved


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
    plan = covering_plan(problem)
    on_time = {r.id for r in problem.requests if problem.is_timely(r)}
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
        "covering_plan_under_staffing": None if plan is None else plan[0],
        "covering_plan_proved_optimal": None if plan is None else plan[1],
        "rules_verified": result.publishable,
        "requests_honoured": sum(d.honoured for d in result.requests),
        "on_time_requests_honoured": sum(
            d.honoured for d in result.requests if d.request_id in on_time
        ),
        "on_time_requests": len(on_time),
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
    if plan is not None:
        proved = "proved optimal" if plan[1] else "not proved optimal in time"
        print(f"covering plan of whole shifts, rules as totals: {plan[0]:,} ({proved})")
    print(
        f"requests honoured: {figures['requests_honoured']} of {figures['requests']}, "
        f"filed by the deadline: {figures['on_time_requests_honoured']} of {len(on_time)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
