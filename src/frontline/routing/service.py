"""The router service: the pure engine, fed from the command inbox, its decisions persisted.

Requests on any node commit their change (a contact, a state change) together with a
:class:`RoutingCommand` in one transaction and answer from that — so a contact is
committed before anyone acknowledges it. The active router (see ``leadership.py``)
applies commands in id order; each batch of commands, the decisions they caused and the
rows those decisions change commit together. The database is the truth and the engine a
cache of it: after any failure, a restart or a take-over, the router rebuilds the engine
from the rows (``Engine.restore``), so waiting contacts keep their original order and
agents their states.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine as DbEngine
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontline.contacts.models import Contact, ContactEvent, ContactStatus
from frontline.core.clock import utcnow
from frontline.core.db import create_session_factory
from frontline.org.models import Queue, QueueOverflowStep
from frontline.routing.engine import Engine
from frontline.routing.leadership import Leadership, leadership_for
from frontline.routing.model import (
    AgentState,
    AgentStateChanged,
    Decision,
    EscalationMode,
    NotReadyReason,
    Offer,
    OfferTimedOut,
    Overflowed,
    Phase,
    Requeued,
    RoutingArgumentError,
    Snapshot,
    WrapUpEnded,
    WrapUpStarted,
)
from frontline.routing.model import (
    Contact as RoutedContact,
)
from frontline.routing.models import AgentPresence, AgentStateSpan, RoutingCommand
from frontline.routing.state import (
    agent_config,
    agent_from_json,
    agent_to_json,
    contact_from_json,
    contact_to_json,
    queue_configs,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 500


class CommandKind(StrEnum):
    ENQUEUE = "enqueue"
    LOGIN = "login"
    READY = "ready"
    NOT_READY = "not_ready"
    LOGOUT = "logout"
    ACCEPT = "accept"
    REJECT = "reject"
    END = "end"
    WRAP_UP_DONE = "wrap_up_done"
    TRANSFER_TO_QUEUE = "transfer_to_queue"
    TRANSFER_TO_AGENT = "transfer_to_agent"
    ESCALATE = "escalate"
    RELOAD = "reload"  # queues or skills changed: rebuild with the new configuration


def submit(session: Session, kind: CommandKind, **payload: Any) -> RoutingCommand:
    """Add a command to the caller's transaction; the router applies it after commit."""
    command = RoutingCommand(kind=kind.value, payload=payload, created_at=utcnow())
    session.add(command)
    session.flush()
    return command


@dataclass(frozen=True)
class Outcome:
    """What the router made of one command: its result, or why it refused."""

    result: dict[str, Any] | None
    error: dict[str, Any] | None


def moment(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


@dataclass
class Changes:
    """What one batch touched, written to the rows before it commits."""

    contacts: dict[int, list[tuple[str, float, dict[str, Any]]]] = field(default_factory=dict)
    agents: set[int] = field(default_factory=set)

    def contact(self, contact_id: int, kind: str, at: float, **detail: Any) -> None:
        self.contacts.setdefault(contact_id, []).append((kind, at, detail))

    def decisions(self, decisions: Iterable[Decision]) -> list[Decision]:
        out = list(decisions)
        for d in out:
            match d:
                case Offer():
                    self.contact(
                        d.contact_id, "offered", d.at, agent_id=d.agent_id, offer=d.kind.value
                    )
                    self.agents.add(d.agent_id)
                case OfferTimedOut():
                    self.contact(d.contact_id, "offer_timed_out", d.at, agent_id=d.agent_id)
                    self.agents.add(d.agent_id)
                case Requeued():
                    self.contact(d.contact_id, "requeued", d.at, queue_id=d.queue_id)
                case Overflowed():
                    self.contact(d.contact_id, "overflowed", d.at, step=d.step)
                case WrapUpStarted():
                    self.contact(d.contact_id, "wrap_up_started", d.at, agent_id=d.agent_id)
                    self.agents.add(d.agent_id)
                case WrapUpEnded():
                    self.contact(
                        d.contact_id, "wrap_up_ended", d.at, agent_id=d.agent_id, forced=d.forced
                    )
                    self.agents.add(d.agent_id)
                case AgentStateChanged():
                    self.agents.add(d.agent_id)
        return out


class Router:
    """Runs the engine on the node that holds leadership; a standby waits to take over.

    ``start`` runs the loop in a thread; ``wake`` makes it look at the inbox at once and
    ``wait`` lets a request on this node wait for its command's outcome.
    """

    def __init__(
        self,
        db_engine: DbEngine,
        *,
        clock: Callable[[], float] = time.time,
        poll_seconds: float = 0.5,
        leadership: Leadership | None = None,
    ) -> None:
        self.db_engine = db_engine
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.leadership = leadership or leadership_for(db_engine)
        self.reader = create_session_factory(db_engine)
        self.engine: Engine | None = None
        self.config_version: tuple[Any, ...] = ()
        self.leading = False
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Condition()
        self._outcomes: dict[int, Outcome] = {}
        self._thread: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="frontline-router", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.leadership.release()
        self.leading = False

    def wake(self) -> None:
        self._wakeup.set()

    def wait(self, command_id: int, timeout: float) -> Outcome | None:
        """The command's outcome once applied; None if not applied within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            with self._done:
                outcome = self._outcomes.pop(command_id, None)
                if outcome is not None:
                    return outcome
                if self.leading:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return None
                    self._done.wait(min(left, self.poll_seconds))
                    continue
            # Another node leads: its outcome is only in the table.
            outcome = self._stored_outcome(command_id)
            if outcome is not None or time.monotonic() >= deadline:
                return outcome
            time.sleep(0.02)

    def _stored_outcome(self, command_id: int) -> Outcome | None:
        with self.reader() as session:
            command = session.get(RoutingCommand, command_id)
            if command is None or command.processed_at is None:
                return None
            return Outcome(command.result, command.error)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:
                log.exception("router step failed; rebuilding from the database")
                self.engine = None
            due = self.engine.next_due() if self.engine is not None else None
            pause = (
                self.poll_seconds
                if due is None
                else max(0.0, min(self.poll_seconds, due - self.clock()))
            )
            self._wakeup.wait(pause)
            self._wakeup.clear()

    # --- one step ---------------------------------------------------------------------

    def step(self) -> int:
        """Lead if possible, then apply pending commands and due timers; returns how many
        commands were applied. Public so tests can drive a router without its thread."""
        self.leading = self.leadership.acquire()
        if not self.leading:
            self.engine = None
            return 0
        sessions = self.leadership.sessions()
        applied, first = 0, True
        while True:
            with sessions() as session, session.begin():
                if first:
                    version = config_version(session)
                    if self.engine is None or version != self.config_version:
                        # Queues changed (or first start): the engine takes configuration
                        # only when built, and rebuilding from committed rows is exact
                        # between batches.
                        self.engine, self.config_version = self.rebuild(session), version
                assert self.engine is not None
                outcomes, count = self._apply_batch(session, self.engine)
            self._publish(outcomes)
            applied, first = applied + count, False
            if count < BATCH_SIZE:
                return applied

    def rebuild(self, session: Session) -> Engine:
        """An engine in the state the rows describe."""
        agents = []
        for presence in session.scalars(
            select(AgentPresence).where(AgentPresence.routing_state.is_not(None))
        ):
            assert presence.routing_state is not None
            config = agent_config(session, presence.agent_id)
            agents.append(agent_from_json(config, presence.routing_state))
        rows = session.execute(
            select(Contact.id, Contact.routing_state)
            .where(Contact.routing_state.is_not(None))
            .order_by(Contact.route_seq)
        ).all()
        contacts = tuple(contact_from_json(row.id, row.routing_state) for row in rows)
        next_seq = max((contact.seq for contact in contacts), default=0) + 1
        log.info(
            "router rebuilt: %d agents logged in, %d contacts open", len(agents), len(contacts)
        )
        return Engine.restore(queue_configs(session), Snapshot(tuple(agents), contacts, next_seq))

    def _apply_batch(self, session: Session, engine: Engine) -> tuple[dict[int, Outcome], int]:
        commands = session.scalars(
            select(RoutingCommand)
            .where(RoutingCommand.processed_at.is_(None))
            .order_by(RoutingCommand.id)
            .limit(BATCH_SIZE)
        ).all()
        changes = Changes()
        outcomes: dict[int, Outcome] = {}
        stamp = utcnow()
        for command in commands:
            now = self.clock()
            if command.kind == CommandKind.RELOAD:
                # Apply what came before, then rebuild with the new configuration.
                self._write(session, engine, changes)
                changes = Changes()
                session.flush()
                engine = self.engine = self.rebuild(session)
                result: dict[str, Any] | None = {}
                error = None
            else:
                try:
                    result, error = self._apply(session, engine, command, now, changes), None
                except RoutingArgumentError as refusal:
                    result = None
                    error = {"field": refusal.argument, "message": str(refusal)}
            command.processed_at, command.result, command.error = stamp, result, error
            outcomes[command.id] = Outcome(result, error)
        now = self.clock()
        due = engine.next_due()
        if due is not None and due <= now:
            changes.decisions(engine.tick(now))
        self._write(session, engine, changes)
        return outcomes, len(commands)

    def _publish(self, outcomes: dict[int, Outcome]) -> None:
        if not outcomes:
            return
        with self._done:
            self._outcomes.update(outcomes)
            # Outcomes nobody waits for would pile up; a waiter arrives within seconds.
            if len(self._outcomes) > 10_000:
                for command_id in sorted(self._outcomes)[: len(self._outcomes) - 5_000]:
                    del self._outcomes[command_id]
            self._done.notify_all()

    # --- applying one command ---------------------------------------------------------

    def _apply(
        self,
        session: Session,
        engine: Engine,
        command: RoutingCommand,
        now: float,
        changes: Changes,
    ) -> dict[str, Any]:
        step = Step(session, engine, command.payload, now, changes)
        decisions = HANDLERS[CommandKind(command.kind)](step)
        return {"decisions": _describe(changes.decisions(decisions))}

    # --- writing the rows -------------------------------------------------------------

    def _write(self, session: Session, engine: Engine, changes: Changes) -> None:
        if changes.contacts:
            rows = session.scalars(select(Contact).where(Contact.id.in_(changes.contacts)))
            for contact in rows:
                self._write_contact(session, engine, contact, changes.contacts[contact.id])
        for agent_id in sorted(changes.agents):
            self._write_agent(session, engine, agent_id)

    def _write_contact(
        self,
        session: Session,
        engine: Engine,
        contact: Contact,
        steps: list[tuple[str, float, dict[str, Any]]],
    ) -> None:
        for kind, at, detail in steps:
            when = moment(at)
            agent_id = detail.get("agent_id")
            _record_step(engine, contact, kind, when, detail)
            session.add(
                ContactEvent(
                    contact_id=contact.id,
                    at=when,
                    kind=kind,
                    agent_id=agent_id,
                    queue_id=detail.get("queue_id"),
                    detail={k: v for k, v in detail.items() if k not in {"agent_id", "queue_id"}},
                )
            )
        snapshot = engine.contact_snapshot(contact.id)
        if snapshot is not None:
            contact.routing_state = contact_to_json(snapshot)
            contact.route_seq = snapshot.seq
            if snapshot.handler_id is not None:
                contact.status = ContactStatus.ACTIVE
            elif snapshot.offered_to is not None:
                contact.status = ContactStatus.OFFERED
            else:
                contact.status = ContactStatus.WAITING
            return
        contact.routing_state = None
        if contact.status is ContactStatus.ABANDONED:
            return
        in_wrap_up = contact.agent_id is not None and _wrapping_up(
            engine, contact.agent_id, contact.id
        )
        contact.status = ContactStatus.WRAP_UP if in_wrap_up else ContactStatus.DONE

    def _write_agent(self, session: Session, engine: Engine, agent_id: int) -> None:
        snapshot = engine.agent_snapshot(agent_id)
        state = engine.agent_state(agent_id).value
        reason = snapshot.reason.value if snapshot is not None and snapshot.reason else None
        now = utcnow()
        presence = session.get(AgentPresence, agent_id)
        if presence is None:
            presence = AgentPresence(agent_id=agent_id, state=state, reason=reason, since=now)
            session.add(presence)
            changed = True
        else:
            changed = (presence.state, presence.reason) != (state, reason)
        presence.routing_state = None if snapshot is None else agent_to_json(snapshot)
        if changed:
            presence.state, presence.reason, presence.since = state, reason, now
            open_span = session.scalars(
                select(AgentStateSpan).where(
                    AgentStateSpan.agent_id == agent_id, AgentStateSpan.ended_at.is_(None)
                )
            ).first()
            if open_span is not None:
                open_span.ended_at = now
            if state != AgentState.LOGGED_OUT:
                session.add(
                    AgentStateSpan(agent_id=agent_id, state=state, reason=reason, started_at=now)
                )


@dataclass(frozen=True)
class Step:
    """What a command handler works with."""

    session: Session
    engine: Engine
    payload: dict[str, Any]
    now: float
    changes: Changes

    @property
    def contact_id(self) -> int:
        return int(self.payload["contact_id"])

    def note(self, kind: str, **detail: Any) -> None:
        self.changes.contact(self.contact_id, kind, self.now, **detail)


def _enqueue(step: Step) -> list[Decision]:
    contact = step.session.get_one(Contact, step.contact_id)
    step.note("queued", queue_id=contact.queue_id)
    routed = RoutedContact(contact.id, contact.queue_id, contact.priority)
    return step.engine.enqueue(routed, step.now)


def _accept(step: Step) -> list[Decision]:
    decisions = step.engine.offer_accepted(step.contact_id, step.now)
    snapshot = step.engine.contact_snapshot(step.contact_id)
    agent_id = snapshot.handler_id if snapshot else None
    step.note("answered", agent_id=agent_id)
    if agent_id is not None:
        step.changes.agents.add(agent_id)
    return decisions


def _reject(step: Step) -> list[Decision]:
    snapshot = step.engine.contact_snapshot(step.contact_id)
    decisions = step.engine.offer_rejected(step.contact_id, step.now)
    if snapshot is not None and snapshot.offered_to is not None:
        step.note("offer_rejected", agent_id=snapshot.offered_to)
        step.changes.agents.add(snapshot.offered_to)
    return decisions


def _end(step: Step) -> list[Decision]:
    snapshot = step.engine.contact_snapshot(step.contact_id)
    decisions = step.engine.contact_ended(step.contact_id, step.now)
    abandoned = snapshot is not None and snapshot.handler_id is None
    step.note("abandoned" if abandoned else "ended")
    if snapshot is not None and snapshot.offered_to is not None:
        step.changes.agents.add(snapshot.offered_to)
    return decisions


def _wrap_up_done(step: Step) -> list[Decision]:
    return step.engine.wrap_up_done(int(step.payload["agent_id"]), step.contact_id, step.now)


def _transfer_to_queue(step: Step) -> list[Decision]:
    queue_id = int(step.payload["queue_id"])
    decisions = step.engine.transfer_to_queue(step.contact_id, queue_id, step.now)
    step.note("transferred", queue_id=queue_id)
    return decisions


def _transfer_to_agent(step: Step) -> list[Decision]:
    target = int(step.payload["agent_id"])
    decisions = step.engine.transfer_to_agent(step.contact_id, target, step.now)
    step.note("transferred", agent_id=target)
    return decisions


def _escalate(step: Step) -> list[Decision]:
    target = int(step.payload["agent_id"])
    mode = EscalationMode(step.payload["mode"])
    decisions = step.engine.escalate(step.contact_id, target, mode, step.now)
    step.note("escalated", agent_id=target, mode=mode.value)
    return decisions


def _agent_state(kind: CommandKind) -> Callable[[Step], list[Decision]]:
    """Ready, not ready and log-out; the first two log the agent in when needed."""

    def handle(step: Step) -> list[Decision]:
        agent_id = int(step.payload["agent_id"])
        engine, now = step.engine, step.now
        step.changes.agents.add(agent_id)
        logged_in = engine.agent_state(agent_id) is not AgentState.LOGGED_OUT
        if kind is CommandKind.LOGOUT:
            return engine.agent_logout(agent_id, now) if logged_in else []
        decisions = (
            [] if logged_in else engine.agent_login(agent_config(step.session, agent_id), now)
        )
        if kind is CommandKind.READY:
            decisions += engine.agent_ready(agent_id, now)
        elif kind is CommandKind.NOT_READY:
            reason = NotReadyReason(step.payload.get("reason") or NotReadyReason.BREAK)
            decisions += engine.agent_not_ready(agent_id, reason, now)
        return decisions

    return handle


HANDLERS: dict[CommandKind, Callable[[Step], list[Decision]]] = {
    CommandKind.ENQUEUE: _enqueue,
    CommandKind.ACCEPT: _accept,
    CommandKind.REJECT: _reject,
    CommandKind.END: _end,
    CommandKind.WRAP_UP_DONE: _wrap_up_done,
    CommandKind.TRANSFER_TO_QUEUE: _transfer_to_queue,
    CommandKind.TRANSFER_TO_AGENT: _transfer_to_agent,
    CommandKind.ESCALATE: _escalate,
    CommandKind.LOGIN: _agent_state(CommandKind.LOGIN),
    CommandKind.READY: _agent_state(CommandKind.READY),
    CommandKind.NOT_READY: _agent_state(CommandKind.NOT_READY),
    CommandKind.LOGOUT: _agent_state(CommandKind.LOGOUT),
}


def _record_step(
    engine: Engine, contact: Contact, kind: str, when: datetime, detail: dict[str, Any]
) -> None:
    """The contact's step times, from one step of its history."""
    match kind:
        case "queued":
            contact.queued_at = contact.queued_at or when
        case "offered":
            contact.offered_at = when
        case "answered":
            contact.answered_at = contact.answered_at or when
            contact.agent_id = detail.get("agent_id")
        case "abandoned":
            contact.abandoned_at = contact.ended_at = when
            contact.status = ContactStatus.ABANDONED
        case "ended":
            contact.ended_at = contact.ended_at or when
        case "transferred" if "queue_id" in detail:
            contact.queue_id = detail["queue_id"]
        case "wrap_up_ended" if detail.get("agent_id") == contact.agent_id:
            # A transferred contact goes on with another agent: not finished yet.
            if engine.contact_snapshot(contact.id) is None:
                contact.wrap_up_ended_at = contact.wrap_up_ended_at or when


def config_version(session: Session) -> tuple[Any, ...]:
    """Changes whenever a queue or an overflow step is added, edited or removed."""
    # One round trip of scalar subqueries: the router asks at every step.
    columns = [
        select(aggregate).select_from(table).scalar_subquery()
        for table, updated in (
            (Queue, Queue.updated_at),
            (QueueOverflowStep, QueueOverflowStep.updated_at),
        )
        for aggregate in (func.count(), func.max(updated))
    ]
    return tuple(session.execute(select(*columns)).one())


def _wrapping_up(engine: Engine, agent_id: int, contact_id: int) -> bool:
    snapshot = engine.agent_snapshot(agent_id)
    return snapshot is not None and any(
        item.contact_id == contact_id and item.phase is Phase.WRAP_UP for item in snapshot.work
    )


def _describe(decisions: Iterable[Decision]) -> list[dict[str, Any]]:
    """Decisions as JSON for the command's result (the API returns them)."""
    out = []
    for d in decisions:
        item: dict[str, Any] = {"type": type(d).__name__}
        for name in ("contact_id", "agent_id", "queue_id", "step", "forced"):
            if hasattr(d, name):
                item[name] = getattr(d, name)
        out.append(item)
    return out
