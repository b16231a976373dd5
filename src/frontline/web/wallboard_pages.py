"""The supervisor's wallboard: queues, totals, agents and the day's chart, live.

Every figure comes from ``contacts.wallboard`` (and so from ``frontline.metrics``); this
module only lays them out. The chart is inline SVG drawn here on the server: a bar chart
and one line need no script. The stream (``live.py``) recomputes the board every two
seconds and tells the page when anything on it changed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from frontline.auth.access import can_read_wallboard, can_supervise, require
from frontline.auth.models import User
from frontline.contacts import actions
from frontline.contacts.wallboard import ChartPoint, Wallboard, wallboard
from frontline.core.clock import utcnow
from frontline.core.fields import Id
from frontline.web.dependencies import DbSession
from frontline.web.live import event_stream, stream_user, version
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import render, viewer_for
from frontline.web.workspace_pages import CHOSEN_REASONS, routed, state_change

router = APIRouter(prefix="/wallboard", route_class=PageRoute, include_in_schema=False)

POLL_SECONDS = 2.0
BAR_WIDTH, SLOT_WIDTH, CHART_HEIGHT, AXIS_HEIGHT = 3, 11, 200, 18
LABEL_EVERY_HOURS = 3
BAR_KINDS = ("offered", "answered", "abandoned")
# A supervisor moves an agent to one of these; "not ready" takes a reason from the list.
STATE_CHOICES = ("ready", "not_ready", "logged_out")


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    height: float
    kind: str  # offered, answered, abandoned
    value: int


@dataclass(frozen=True)
class Chart:
    """The day's chart as SVG coordinates: bars per quarter hour, service level as a line."""

    width: int
    height: int
    bars: list[Bar]
    lines: list[str]  # "x,y x,y ..." polylines; a quarter hour with no service level breaks one
    labels: list[tuple[int, str]]
    peak: int


def draw_chart(points: list[ChartPoint], zone: ZoneInfo) -> Chart:
    peak = max((p.offered for p in points), default=0) or 1
    bars: list[Bar] = []
    lines: list[str] = []
    run: list[str] = []
    labels: list[tuple[int, str]] = []
    for index, point in enumerate(points):
        left = index * SLOT_WIDTH
        for offset, (kind, value) in enumerate(
            (
                ("offered", point.offered),
                ("answered", point.answered),
                ("abandoned", point.abandoned),
            )
        ):
            height = CHART_HEIGHT * value / peak
            bars.append(Bar(left + offset * BAR_WIDTH, CHART_HEIGHT - height, height, kind, value))
        if point.service_level is None:
            if run:
                lines.append(" ".join(run))
            run = []
        else:
            y = CHART_HEIGHT * (1 - point.service_level)
            run.append(f"{left + SLOT_WIDTH / 2:.1f},{y:.1f}")
        local = point.start.astimezone(zone)
        if local.minute == 0 and local.hour % LABEL_EVERY_HOURS == 0:
            labels.append((left, f"{local.hour:02d}:00"))
    if run:
        lines.append(" ".join(run))
    return Chart(len(points) * SLOT_WIDTH, CHART_HEIGHT + AXIS_HEIGHT, bars, lines, labels, peak)


def board_version(board: Wallboard) -> str:
    """Everything the page shows but the clock."""
    return version(board.queues, board.total, board.agents, board.chart)


def _context(session: Session, user: User, zone: ZoneInfo) -> dict[str, Any]:
    board = wallboard(session, now=utcnow(), zone=zone)
    return {
        "board": board,
        "chart": draw_chart(board.chart, zone),
        "version": board_version(board),
        "can_supervise": can_supervise(user),
        "state_choices": STATE_CHOICES,
        "reasons": CHOSEN_REASONS,
    }


@router.get("")
def wallboard_page(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_read_wallboard, user)
    viewer = viewer_for(request, user)
    context = _context(session, user, viewer.time_zone)
    return render(request, "wallboard/page.html", context, user=user, viewer=viewer)


@router.get("/parts/board")
def wallboard_part(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_read_wallboard, user)
    viewer = viewer_for(request, user)
    context = _context(session, user, viewer.time_zone)
    return render(request, "wallboard/_board.html", context, user=user, viewer=viewer)


class SharedVersions:
    """The board's version per time zone, computed at most once per poll period however
    many wall screens are open: a busy day's board takes the better part of a second."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[float, str]] = {}

    def get(self, session: Session, zone: ZoneInfo) -> str:
        with self._lock:  # one computation at a time; the others reuse it
            computed = self._latest.get(zone.key)
            if computed is not None and time.monotonic() - computed[0] < POLL_SECONDS:
                return computed[1]
            latest = board_version(wallboard(session, now=utcnow(), zone=zone))
            self._latest[zone.key] = (time.monotonic(), latest)
            return latest


@router.get("/events")
def wallboard_events(request: Request) -> Response:
    user = stream_user(request)
    if user is None or not can_read_wallboard(user):
        return Response(status_code=403)
    zone = viewer_for(request, user).time_zone
    state = request.app.state
    if not hasattr(state, "wallboard_versions"):
        state.wallboard_versions = SharedVersions()
    shared: SharedVersions = state.wallboard_versions
    return event_stream(request, lambda session: {"board": shared.get(session, zone)}, POLL_SECONDS)


@router.post("/agents/{agent_id}/state")
def change_agent_state(
    agent_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    def run() -> int:
        return actions.change_agent_state(session, user, agent_id, state_change(form))

    return routed(request, run, "/wallboard")
