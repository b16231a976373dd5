"""time off requests, schedule runs and scheduled shifts

Chained after the contacts revision on this branch; the merge re-chains revisions.

Revision ID: d39619e27e7f
Revises: 6b1f0c3a9d42
Create Date: 2026-11-23 13:40:00.609826
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontline.core.db

revision = "d39619e27e7f"
down_revision = "6b1f0c3a9d42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=False),
        sa.Column("calls_per_day", sa.Integer(), nullable=False),
        sa.Column("time_limit_seconds", sa.Double(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="runstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("phase", sa.String(length=64), nullable=False),
        sa.Column("under_staffing", sa.Integer(), nullable=True),
        sa.Column("elapsed_seconds", sa.Double(), nullable=True),
        sa.Column("objective", sa.Double(), nullable=True),
        sa.Column("bound", sa.Double(), nullable=True),
        sa.Column("gap", sa.Double(), nullable=True),
        sa.Column("lp_bound", sa.Double(), nullable=True),
        sa.Column("failure", sa.String(length=2000), nullable=False),
        sa.Column("request_decisions", sa.JSON(), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("weeks BETWEEN 1 AND 8", name=op.f("ck_schedule_runs_weeks")),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["users.id"], name=op.f("fk_schedule_runs_started_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_runs")),
    )
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_runs_started_by_id"), ["started_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_schedule_runs_status"), ["status"], unique=False)

    op.create_table(
        "scheduled_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("work", "day_off", name="shiftkind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("starts_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("breaks", sa.JSON(), nullable=False),
        sa.Column("off_phone", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_scheduled_shifts_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["schedule_runs.id"], name=op.f("fk_scheduled_shifts_run_id_schedule_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_shifts")),
    )
    with op.batch_alter_table("scheduled_shifts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scheduled_shifts_agent_id"), ["agent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scheduled_shifts_run_id"), ["run_id"], unique=False)

    op.create_table(
        "time_off_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("filed_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "approved",
                "declined",
                name="requeststatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_time_off_requests_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_time_off_requests_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_off_requests")),
    )
    with op.batch_alter_table("time_off_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_time_off_requests_agent_id"), ["agent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_time_off_requests_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_time_off_requests_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("time_off_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_time_off_requests_status"))
        batch_op.drop_index(batch_op.f("ix_time_off_requests_day"))
        batch_op.drop_index(batch_op.f("ix_time_off_requests_agent_id"))

    op.drop_table("time_off_requests")
    with op.batch_alter_table("scheduled_shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_shifts_run_id"))
        batch_op.drop_index(batch_op.f("ix_scheduled_shifts_agent_id"))

    op.drop_table("scheduled_shifts")
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_runs_status"))
        batch_op.drop_index(batch_op.f("ix_schedule_runs_started_by_id"))

    op.drop_table("schedule_runs")
