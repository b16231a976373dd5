"""Runs the scheduler in a background thread, one run at a time per process.

The page starts a run and returns; the thread writes its progress to the run's row
(at most once a second), so any node can show it, then the roster's rows, the solver's
figures and the verifier's findings.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from frontline.core.clock import as_utc, utcnow
from frontline.schedules.models import RunStatus, ScheduledShift, ScheduleRun
from frontline.schedules.problem import build_problem, shift_rows
from frontline.wfm.schedule import (
    Progress,
    ScheduleInfeasibleError,
    ScheduleInputError,
    ScheduleResult,
    schedule,
)

log = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 1.0
INTERNAL_FAILURE = "internal error; see the server log"


class ScheduleRunner:
    """A single worker thread: CP-SAT already uses every core, two runs would only fight."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="schedule-run")

    def submit(self, run: ScheduleRun) -> Future[None]:
        return self._executor.submit(self.execute, Job(run.id, as_utc(run.created_at)))

    def execute(self, job: Job) -> None:
        try:
            self._execute(job)
        except Exception:  # a thread has nobody to raise to: record the failure
            log.exception("schedule.run_crashed", extra={"run_id": job.run_id})
            self._fail(job, INTERNAL_FAILURE)

    def _execute(self, job: Job) -> None:
        with self._factory() as session:
            run = job.row(session)
            if run is None:
                return
            run.status = RunStatus.RUNNING
            run.phase = "building the problem"
            session.commit()
            try:
                given = build_problem(session, run)
                result = schedule(
                    given.problem,
                    time_limit_seconds=run.time_limit_seconds,
                    progress=_ProgressWriter(self._factory, job),
                )
            except (ScheduleInfeasibleError, ScheduleInputError) as exc:
                session.rollback()
                self._fail(job, str(exc))
                return
            session.expire_all()
            run = job.row(session)
            if run is None:
                return
            _store(session, run, result, shift_rows(run, given, result.shifts, result.requests))
            session.commit()
            log.info(
                "schedule.run_done",
                extra={"run_id": job.run_id, "under_staffing": result.under_staffing},
            )

    def _fail(self, job: Job, reason: str) -> None:
        with self._factory() as session:
            run = job.row(session)
            if run is None:
                return
            run.status = RunStatus.FAILED
            run.failure = reason[:2000]
            run.finished_at = utcnow()
            session.commit()


@dataclass(frozen=True)
class Job:
    """A run as it was handed over: the id, and its creation time to know it again.

    Ids can come back after rows are deleted (SQLite reuses them), so a thread that
    outlived its run must not write into a newer one that took its id.
    """

    run_id: int
    created_at: datetime

    def row(self, session: Session) -> ScheduleRun | None:
        run = session.get(ScheduleRun, self.run_id)
        if run is None or as_utc(run.created_at) != self.created_at:
            return None
        return run


def _store(
    session: Session, run: ScheduleRun, result: ScheduleResult, rows: list[ScheduledShift]
) -> None:
    run.status = RunStatus.DONE
    run.phase = "verified"
    run.under_staffing = result.under_staffing
    run.elapsed_seconds = round(result.elapsed_seconds, 2)
    run.objective = result.solver_objective
    run.bound = result.solver_bound
    run.gap = result.solver_gap
    run.lp_bound = result.lp_lower_bound
    run.request_decisions = [
        {"request_id": int(d.request_id), "honoured": d.honoured, "reason": d.reason}
        for d in result.requests
    ]
    run.violations = [violation.message for violation in result.violations]
    run.finished_at = utcnow()
    session.add_all(rows)


class _ProgressWriter:
    """The solver's progress callback: the row's phase and figures, throttled."""

    def __init__(self, factory: sessionmaker[Session], job: Job) -> None:
        self._factory = factory
        self._job = job
        self._written = 0.0
        self._phase = ""

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if progress.phase == self._phase and now - self._written < PROGRESS_EVERY_SECONDS:
            return
        self._written, self._phase = now, progress.phase
        with self._factory() as session:
            run = self._job.row(session)
            if run is None:
                return
            run.phase = progress.phase[:64]
            run.under_staffing = progress.under_staffing
            run.lp_bound = progress.lower_bound
            run.elapsed_seconds = round(progress.elapsed_seconds, 2)
            session.commit()


_lock = threading.Lock()


def runner_for(app: FastAPI) -> ScheduleRunner:
    """The app's runner, made on first use (the app factory needs no change for it)."""
    with _lock:
        runner: ScheduleRunner | None = getattr(app.state, "schedule_runner", None)
        if runner is None:
            runner = ScheduleRunner(app.state.session_factory)
            app.state.schedule_runner = runner
        return runner
