"""A working center for the demo: callers and agents played in scaled real time against
a running server, through its public API only.

Callers are Poisson arrivals on the PBX's lines; each call is an ``offered`` CTI event
(signed, as a PBX signs it), an ``answered`` one when the agent the server offered it to
picks up, ``ended`` after the handle time, or ``abandoned`` when the caller's patience
runs out first. The simulated agents go ready and wrap up with their own API tokens. The
server routes — the driver never chooses an agent — so the wallboard and the workspace
show what the real router does. Times are drawn as the simulator draws them
(:func:`frontline.sim.sampling.draw_durations`) and run ``speed`` times faster than the
wall clock. The demo's human agent is never one of the simulated agents.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.actions import create_token
from frontline.auth.models import ApiToken, User
from frontline.contacts.models import WrapUpReason, WrapUpTopic
from frontline.cti.actions import INTEGRATION_HEADER, SIGNATURE_HEADER, signature
from frontline.cti.models import CtiIntegration, DialPlanEntry
from frontline.demo.catalog import AGENT_LOGIN
from frontline.org.models import Channel, Queue, Skill
from frontline.people.models import Agent, AgentSkill
from frontline.sim.sampling import draw_durations
from frontline.sim.scenario import Distribution

__all__ = ["Line", "LiveAgent", "LiveDriver", "LiveError", "LiveStats", "prepare_live"]

EVENTS_PATH = "/api/v1/cti/events"
TOKEN_NAME = "live demo"  # noqa: S105 - the name of the tokens, not a secret


class LiveError(RuntimeError):
    """The server refused the driver or cannot be reached; the message says which."""


@dataclass(frozen=True, slots=True)
class LiveAgent:
    agent_id: int
    extension: str
    token: str


@dataclass(frozen=True, slots=True)
class Line:
    """Where a simulated caller dials: a queue code, or a number and an IVR choice."""

    reason_id: int  # the wrap-up reason the agents record for its calls
    queue: str | None = None
    dialled: str | None = None
    ivr_choice: str = ""


@dataclass
class LiveStats:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    wrapped_up: int = 0
    refused: list[str] = field(default_factory=list)  # what the server said no to


@dataclass
class _Call:
    call_id: str
    line: Line
    contact_id: int | None = None
    agent: LiveAgent | None = None
    state: str = "waiting"  # waiting, talking, wrapping, done, abandoned


def prepare_live(
    session: Session, agents: int, integration: str
) -> tuple[list[LiveAgent], list[Line], str]:
    """Pick ``agents`` demo agents (never the human demo agent) who serve the PBX's lines
    with the most agents, give each an API token, and return them, their lines and the
    PBX's key. Tokens are named ``live demo``; :func:`revoke_live_tokens` removes them."""
    pbx = session.scalar(select(CtiIntegration).where(CtiIntegration.code == integration))
    if pbx is None:
        raise LiveError(f"no CTI integration {integration!r}: load the demo first")
    entries = session.execute(
        select(DialPlanEntry, Queue, Skill)
        .join(Queue, DialPlanEntry.queue_id == Queue.id)
        .join(Skill, Queue.skill_id == Skill.id)
        .where(DialPlanEntry.active, Skill.channel == Channel.VOICE)
        .order_by(DialPlanEntry.dialled, DialPlanEntry.ivr_choice)
    ).all()
    candidates = session.execute(
        select(Agent, User, AgentSkill)
        .join(User, Agent.user_id == User.id)
        .join(AgentSkill, AgentSkill.agent_id == Agent.id)
        .where(Agent.active, User.active, User.email != AGENT_LOGIN, Agent.extension.is_not(None))
        .order_by(Agent.id)
    ).all()
    serving: dict[int, list[tuple[Agent, User]]] = {}
    for entry, queue, _ in entries:
        serving[entry.id] = [
            (agent, user)
            for agent, user, held in candidates
            if held.skill_id == queue.skill_id and held.proficiency >= queue.min_proficiency
        ]
    busiest = max(entries, key=lambda row: len(serving[row[0].id]), default=None)
    if busiest is None or not serving[busiest[0].id]:
        raise LiveError("no demo agent serves a voice line of the dial plan")
    chosen = serving[busiest[0].id][:agents]
    chosen_ids = {agent.id for agent, _ in chosen}
    live_agents = []
    for agent, user in chosen:
        _, secret = create_token(session, user, TOKEN_NAME)
        live_agents.append(LiveAgent(agent.id, agent.extension or "", secret))
    lines = []
    for entry, _, skill in entries:
        if not chosen_ids & {agent.id for agent, _ in serving[entry.id]}:
            continue
        reason_id = session.scalar(
            select(WrapUpReason.id)
            .join(WrapUpTopic, WrapUpReason.topic_id == WrapUpTopic.id)
            .where(WrapUpTopic.product_id == skill.product_id, WrapUpReason.active)
            .order_by(WrapUpReason.id)
        )
        if reason_id is not None:
            lines.append(Line(reason_id, dialled=entry.dialled, ivr_choice=entry.ivr_choice))
    session.commit()
    return live_agents, lines, pbx.secret


def revoke_live_tokens(session: Session) -> int:
    """Delete the tokens :func:`prepare_live` made; returns how many."""
    tokens = session.scalars(select(ApiToken).where(ApiToken.name == TOKEN_NAME)).all()
    for token in tokens:
        session.delete(token)
    session.commit()
    return len(tokens)


class LiveDriver:
    """Plays callers and agents against the server at ``url``; see the module's description.

    ``calls_per_hour`` arrive (simulated hours) spread over ``lines``; talk times follow
    ``handle``, patience ``patience``, and every call is wrapped up ``wrap_up_seconds``
    after it ends.
    """

    def __init__(
        self,
        url: str,
        integration: str,
        secret: str,
        agents: list[LiveAgent],
        lines: list[Line],
        *,
        calls_per_hour: float,
        handle: Distribution,
        patience: Distribution,
        wrap_up_seconds: float = 20.0,
        speed: float = 60.0,
        seed: int = 0,
        poll_seconds: float = 0.3,
    ) -> None:
        if not agents or not lines:
            raise LiveError("the driver needs at least one agent and one line")
        self.url, self.integration, self.secret = url.rstrip("/"), integration, secret
        self.agents, self.lines = agents, lines
        self.calls_per_hour, self.handle, self.patience = calls_per_hour, handle, patience
        self.wrap_up_seconds, self.speed, self.poll_seconds = wrap_up_seconds, speed, poll_seconds
        self.rng = np.random.default_rng(seed)
        self.stats = LiveStats()
        self._events: list[tuple[float, int, str, _Call | None]] = []
        self._order = itertools.count()
        self._calls: dict[int, _Call] = {}  # by contact id
        self._busy: set[int] = set()  # agent ids talking or wrapping up
        self._by_extension = {agent.extension: agent for agent in agents}
        self._prefix = f"live-{seed}-{int(time.time() * 1000)}"
        self._started = 0.0

    # --- the clock -------------------------------------------------------------------

    def now(self) -> float:
        """Simulated seconds since the start."""
        return (time.monotonic() - self._started) * self.speed

    def _at(self, when: float, kind: str, call: _Call | None = None) -> None:
        heapq.heappush(self._events, (when, next(self._order), kind, call))

    # --- HTTP ------------------------------------------------------------------------

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        if data is not None and path == EVENTS_PATH:
            headers = {
                INTEGRATION_HEADER: self.integration,
                SIGNATURE_HEADER: signature(self.secret, data),
                **headers,
            }
        request = urllib.request.Request(  # noqa: S310 - the operator's own server
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")
        except urllib.error.URLError as exc:
            raise LiveError(f"cannot reach {self.url}: {exc.reason}") from exc

    def _as(self, agent: LiveAgent, method: str, path: str, body: Any = None) -> Any:
        status, answer = self._request(
            method, "/api/v1" + path, body, {"Authorization": f"Bearer {agent.token}"}
        )
        if status >= 400:
            self.stats.refused.append(f"{method} {path}: {status} {answer}")
            if status in {401, 403}:
                raise LiveError(f"{method} {path}: the server refused agent {agent.agent_id}")
        return answer

    def _cti(self, call: _Call, kind: str, **fields: Any) -> Any:
        event = {"event_id": f"{call.call_id}-{kind}", "call_id": call.call_id, "type": kind}
        status, answer = self._request("POST", EVENTS_PATH, event | fields, {})
        if status == 401:
            raise LiveError("the server refused the PBX's signature: check the key")
        if status >= 400:
            self.stats.refused.append(f"CTI {kind}: {status} {answer}")
        return answer

    # --- what callers and agents do --------------------------------------------------

    def _arrive(self, number: int) -> None:
        line = self.lines[int(self.rng.integers(len(self.lines)))]
        call = _Call(f"{self._prefix}-{number}", line)
        where = {"queue": line.queue} if line.queue else {"dialled": line.dialled}
        answer = self._cti(
            call,
            "offered",
            caller=f"+7912{int(self.rng.integers(10**7)):07d}",
            ivr_choice=line.ivr_choice,
            **where,
        )
        if not isinstance(answer, dict) or answer.get("contact_id") is None:
            return
        call.contact_id = int(answer["contact_id"])
        self._calls[call.contact_id] = call
        self.stats.offered += 1
        patience = draw_durations(self.patience, 1, self.rng)[0]
        self._at(self.now() + patience, "abandon", call)
        # The server may ring an agent at once; the PBX would ring that extension now.
        ringing = self._by_extension.get(str(answer.get("extension")))
        if answer.get("action") == "ring" and ringing and ringing.agent_id not in self._busy:
            self._answer(call, ringing)

    def _answer(self, call: _Call, agent: LiveAgent) -> None:
        self._cti(call, "answered", extension=agent.extension)
        call.state, call.agent = "talking", agent
        self._busy.add(agent.agent_id)
        self.stats.answered += 1
        talk = draw_durations(self.handle, 1, self.rng)[0]
        self._at(self.now() + talk, "end", call)

    def _pick_up(self) -> None:
        """Agents answer the calls the server offered them later (a queued caller's turn)."""
        if not any(call.state == "waiting" for call in self._calls.values()):
            return
        for agent in self.agents:
            if agent.agent_id in self._busy:
                continue
            work = self._as(agent, "GET", "/workspace")
            for contact in (work or {}).get("contacts", []):
                call = self._calls.get(contact["id"])
                if call is not None and call.state == "waiting" and contact["status"] == "offered":
                    self._answer(call, agent)
                    break

    def _end(self, call: _Call) -> None:
        self._cti(call, "ended")
        call.state = "wrapping"
        self._at(self.now() + self.wrap_up_seconds, "wrap_up", call)

    def _wrap_up(self, call: _Call) -> None:
        assert call.agent is not None and call.contact_id is not None
        body = {"reason_id": call.line.reason_id, "outcome": "resolved", "notes": "live demo"}
        answer = self._as(call.agent, "POST", f"/contacts/{call.contact_id}/wrap-up", body)
        if isinstance(answer, dict) and answer.get("outcome"):
            self.stats.wrapped_up += 1
        call.state = "done"
        self._busy.discard(call.agent.agent_id)

    def _abandon(self, call: _Call) -> None:
        if call.state == "waiting":
            self._cti(call, "abandoned")
            call.state = "abandoned"
            self.stats.abandoned += 1

    # --- the run ---------------------------------------------------------------------

    def run(
        self,
        minutes: float | None,
        progress: Callable[[float, LiveStats], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> LiveStats:
        """Run ``minutes`` simulated minutes (None: until stopped), then finish cleanly:
        calls in progress end and are wrapped up, waiting callers hang up, agents log out.
        A KeyboardInterrupt (Ctrl-C) stops the same way."""
        for agent in self.agents:
            self._as(agent, "POST", "/workspace/state", {"state": "ready"})
        self._started = time.monotonic()
        rate = self.calls_per_hour / 3600.0
        self._at(float(self.rng.exponential(1 / rate)), "arrive")
        arrivals = itertools.count(1)
        next_poll = next_report = 0.0
        try:
            while not should_stop():
                now = self.now()
                if minutes is not None and now >= minutes * 60:
                    break
                while self._events and self._events[0][0] <= now:
                    when, _, kind, call = heapq.heappop(self._events)
                    if kind == "arrive":
                        self._arrive(next(arrivals))
                        # From the arrival's own time: a slow answer from the server delays
                        # calls, it does not thin them out.
                        self._at(when + float(self.rng.exponential(1 / rate)), "arrive")
                    elif call is not None:
                        {"end": self._end, "wrap_up": self._wrap_up, "abandon": self._abandon}[
                            kind
                        ](call)
                wall = time.monotonic()
                if wall >= next_poll:
                    self._pick_up()
                    next_poll = wall + self.poll_seconds
                if progress is not None and now >= next_report:
                    progress(now, self.stats)
                    next_report = now + 60.0
                due = (self._events[0][0] - self.now()) / self.speed if self._events else 0.1
                time.sleep(min(max(due, 0.01), self.poll_seconds))
        except KeyboardInterrupt:
            pass
        except LiveError:
            # Leave the center as found as far as the server still lets us, then say why.
            with contextlib.suppress(LiveError):
                self._finish()
            raise
        self._finish()
        return self.stats

    def _finish(self) -> None:
        for call in list(self._calls.values()):
            if call.state == "talking":
                self._end(call)
            if call.state == "wrapping":
                self._wrap_up(call)
            elif call.state == "waiting":
                self._abandon(call)
        for agent in self.agents:
            self._as(agent, "POST", "/workspace/state", {"state": "logged_out"})
