"""Overflow at its due time exactly, whatever the float rounding of arrival + delay."""

from __future__ import annotations

from frontline.routing import Contact, Engine, Overflowed, OverflowStep, QueueConfig


def test_a_tick_at_next_due_reaches_the_overflow_step_despite_rounding() -> None:
    # 502.0124013506841 + 10 - 502.0124013506841 is a hair under 10 in binary floating
    # point: a tick at next_due() must still take the step, or a caller ticking at
    # next_due() would be told the same time again forever.
    engine = Engine([QueueConfig(1, "voice", overflow=(OverflowStep(10.0),))])
    arrived = 502.0124013506841
    assert (arrived + 10.0) - arrived < 10.0
    engine.enqueue(Contact(contact_id=1, queue_id=1), now=arrived)
    due = engine.next_due()
    assert due is not None
    assert engine.tick(due) == [Overflowed(contact_id=1, queue_id=1, step=1, at=due)]
    assert engine.next_due() is None
