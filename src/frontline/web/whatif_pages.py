"""The what-if page: a day, a change to it, both simulated, compared side by side.

Planners and supervisors pick a shipped example day or upload a scenario file, say what
changes (more calls, longer calls, fewer agents, a new overflow rule) and get the
baseline and the changed day from the same seed — the same callers — with per-interval
charts and a summary table with confidence intervals. The runs go in the background
(``whatif_runs.py``); the run page polls for progress and shows the answer when done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile

from frontline.auth.access import can_run_what_if, require
from frontline.core.errors import NotFound
from frontline.sim import Estimate, QueueResult, Scenario, ScenarioError, SimulationResult
from frontline.sim.loading import load_scenario, parse_scenario
from frontline.sim.scenario import clock_text
from frontline.sim.whatif import WhatIf, apply_what_if, example_days
from frontline.web.charts import Series, chart
from frontline.web.form_errors import validation_errors
from frontline.web.forms import FormState
from frontline.web.i18n import N_, Viewer
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import is_htmx, render, viewer_for
from frontline.web.whatif_runs import WhatIfRun, runner

router = APIRouter(prefix="/what-if", route_class=PageRoute, include_in_schema=False)

UPLOAD = "scenario_file"
MAX_UPLOAD_BYTES = 1_000_000
FIELDS = (
    "day",
    "volume_percent",
    "aht_seconds",
    "fewer_agents",
    "overflow_queue",
    "overflow_after_seconds",
    "overflow_skill",
    "replications",
)
DEFAULTS = {
    "volume_percent": "0",
    "aht_seconds": "0",
    "fewer_agents": "0",
    "overflow_after_seconds": "30",
    "replications": "5",
}
# The core names the field at fault in English; people read these.
CHANGE_MESSAGES = {
    "fewer_agents": N_("More agents than the day has"),
    "aht_seconds": N_("This would make a handle time negative"),
    "overflow_queue": N_("The day has no queue of this name"),
    "overflow_skill": N_("No agent of the day has this skill"),
}
MESSAGES = (
    N_("Choose a day or upload a scenario file"),
    N_("Not a valid scenario file: %(reason)s"),
    N_("Give the skill to overflow to"),
    N_("What-if run not found"),
)


class WhatIfForm(BaseModel):
    """What the form asks; blank inputs take the defaults."""

    model_config = ConfigDict(extra="forbid")

    day: str = ""
    volume_percent: Annotated[float, Field(ge=-100, le=1000)] = 0.0
    aht_seconds: Annotated[float, Field(ge=-3600, le=3600)] = 0.0
    fewer_agents: Annotated[int, Field(ge=0, le=10_000)] = 0
    overflow_queue: str | None = None
    overflow_after_seconds: Annotated[float, Field(ge=0, le=3600)] = 30.0
    overflow_skill: str | None = None
    replications: Annotated[int, Field(ge=2, le=30)] = 5

    def change(self) -> WhatIf:
        return WhatIf(
            volume_percent=self.volume_percent,
            aht_seconds=self.aht_seconds,
            fewer_agents=self.fewer_agents,
            overflow_queue=self.overflow_queue,
            overflow_after_seconds=self.overflow_after_seconds,
            overflow_skill=self.overflow_skill,
        )


class FormRefused(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _text(form: FormFields, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _index(
    request: Request, user: PageUser, viewer: Viewer, state: FormState, status_code: int = 200
) -> Response:
    days = {name: load_scenario(path) for name, path in example_days().items()}
    context = {
        "form": state,
        "days": days,
        "queues": sorted({queue.name for day in days.values() for queue in day.queues}),
        "skills": sorted({s for day in days.values() for g in day.agents for s in g.skills}),
        "runs": runner.recent(),
    }
    return render(
        request, "whatif/index.html", context, user=user, viewer=viewer, status_code=status_code
    )


@router.get("")
def what_if_page(request: Request, user: PageUser) -> Response:
    require(can_run_what_if, user)
    viewer = viewer_for(request, user)
    values = DEFAULTS | {"day": next(iter(example_days()), "")}
    return _index(request, user, viewer, FormState(values=values))


def _upload(form: FormFields) -> tuple[str, bytes]:
    """The uploaded scenario file's name and bytes (no name: none came). A browser sends
    the empty file input too; its temporary file is closed either way."""
    upload = form.get(UPLOAD)
    if not isinstance(upload, UploadFile):
        return "", b""
    with upload.file:
        if not upload.filename:
            return "", b""
        return upload.filename, upload.file.read(MAX_UPLOAD_BYTES + 1)


def _baseline(upload: tuple[str, bytes], day: str, viewer: Viewer) -> tuple[str, Scenario]:
    """The uploaded scenario if one came, else the chosen example day."""
    name, data = upload
    if name:
        try:
            if len(data) > MAX_UPLOAD_BYTES:
                raise ScenarioError("larger than 1 MB")
            return name, parse_scenario(data.decode("utf-8"))
        except (ScenarioError, UnicodeDecodeError) as exc:
            message = viewer.gettext("Not a valid scenario file: %(reason)s")
            raise FormRefused({UPLOAD: message % {"reason": exc}}) from None
    path = example_days().get(day)
    if path is None:
        raise FormRefused({"day": viewer.gettext("Choose a day or upload a scenario file")})
    return day, load_scenario(path)


def _start(form: FormFields, viewer: Viewer) -> WhatIfRun:
    upload = _upload(form)
    values = {name: _text(form, name) for name in FIELDS}
    try:
        parsed = WhatIfForm.model_validate({k: v for k, v in values.items() if v})
    except ValidationError as exc:
        raise FormRefused(validation_errors(exc, viewer)) from None
    if parsed.overflow_queue and not parsed.overflow_skill:
        raise FormRefused({"overflow_skill": viewer.gettext("Give the skill to overflow to")})
    name, baseline = _baseline(upload, parsed.day, viewer)
    try:
        variant = apply_what_if(baseline, parsed.change())
    except ScenarioError as exc:
        field = exc.key if exc.key in CHANGE_MESSAGES else FIELDS[1]
        raise FormRefused({field: viewer.gettext(CHANGE_MESSAGES.get(field, str(exc)))}) from None
    return runner.start(name, parsed.change(), baseline, variant, parsed.replications)


@router.post("")
def start_what_if(request: Request, user: PageUser, form: FormFields) -> Response:
    require(can_run_what_if, user)
    viewer = viewer_for(request, user)
    try:
        run = _start(form, viewer)
    except FormRefused as refused:
        values = {name: _text(form, name) for name in FIELDS}
        state = FormState(values, refused.errors)
        return _index(request, user, viewer, state, status_code=422)
    return RedirectResponse(f"/what-if/runs/{run.id}", status_code=303)


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a figure of a queue (or of all agents) in both runs."""

    queue: str
    figure: str  # a message id
    unit: str  # "%" or "s" or ""
    baseline: Estimate
    variant: Estimate
    scale: float

    @property
    def difference(self) -> float | None:
        if self.baseline.mean is None or self.variant.mean is None:
            return None
        return (self.variant.mean - self.baseline.mean) * self.scale


FIGURES = (
    ("offered", N_("Offered"), "", 1.0),
    ("service_level", N_("Service level"), "%", 100.0),
    ("asa_seconds", N_("ASA"), "s", 1.0),
    ("abandonment_rate", N_("Abandoned"), "%", 100.0),
)


def _rows(baseline: SimulationResult, variant: SimulationResult) -> list[Row]:
    rows = [
        Row(before.name, label, unit, getattr(before.day, key), getattr(after.day, key), scale)
        for before, after in zip(baseline.queues, variant.queues, strict=True)
        for key, label, unit, scale in FIGURES
    ]
    rows.append(Row("", N_("Occupancy"), "%", baseline.day_occupancy, variant.day_occupancy, 100.0))
    return rows


def _scaled(values: list[Estimate], scale: float) -> list[float | None]:
    return [None if v.mean is None else round(v.mean * scale, 2) for v in values]


def _queue_series(
    runs: tuple[SimulationResult, SimulationResult],
    key: str,
    scale: float,
    viewer: Viewer,
) -> list[Series]:
    series = []
    names = (viewer.gettext("baseline"), viewer.gettext("what-if"))
    for queue_index, queue in enumerate(runs[0].queues):
        for name, result, dashed in zip(names, runs, (True, False), strict=True):
            figures: QueueResult = result.queues[queue_index]
            values = [getattr(i.contacts, key) for i in figures.intervals]
            series.append(Series(f"{queue.name} · {name}", _scaled(values, scale), dashed=dashed))
    return series


def _charts(
    baseline: SimulationResult, variant: SimulationResult, viewer: Viewer
) -> list[tuple[str, dict[str, Any]]]:
    labels = [clock_text(i.start) for i in baseline.queues[0].intervals]
    runs = (baseline, variant)
    charts = [
        (
            title,
            chart(labels, _queue_series(runs, key, scale, viewer), y_title=viewer.gettext(unit)),
        )
        for key, title, unit, scale in (
            ("service_level", N_("Service level per interval"), N_("per cent"), 100.0),
            ("asa_seconds", N_("ASA per interval"), N_("seconds"), 1.0),
            ("abandonment_rate", N_("Abandoned per interval"), N_("per cent"), 100.0),
        )
    ]
    occupancy = [
        Series(viewer.gettext("baseline"), _scaled(list(baseline.occupancy), 100), dashed=True),
        Series(viewer.gettext("what-if"), _scaled(list(variant.occupancy), 100)),
    ]
    charts.append(
        (
            N_("Occupancy per interval"),
            chart(labels, occupancy, y_title=viewer.gettext("per cent")),
        )
    )
    return charts


@router.get("/runs/{run_id}")
def what_if_run(run_id: str, request: Request, user: PageUser) -> Response:
    require(can_run_what_if, user)
    run = runner.get(run_id)
    if run is None:
        raise NotFound("What-if run not found")
    viewer = viewer_for(request, user)
    context: dict[str, object] = {"run": run, "rows": [], "charts": []}
    if run.baseline is not None and run.variant is not None:
        context |= {
            "rows": _rows(run.baseline, run.variant),
            "charts": _charts(run.baseline, run.variant, viewer),
        }
    template = "whatif/_progress.html" if is_htmx(request) else "whatif/run.html"
    response = render(request, template, context, user=user, viewer=viewer)
    if is_htmx(request) and run.finished:
        # The whole page holds the charts and their scripts: load it once, at the end.
        response.headers["HX-Refresh"] = "true"
    return response
