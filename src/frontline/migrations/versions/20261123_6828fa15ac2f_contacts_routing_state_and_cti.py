"""contacts, wrap-up catalogue, routing state, overflow steps and CTI

New queue columns get server defaults while they are added, so existing queues keep
working, and lose them afterwards.

Revision ID: 6828fa15ac2f
Revises: 2221dbb7953b
Create Date: 2026-11-23 13:22:25.034229
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontline.core.db

revision = "6828fa15ac2f"
down_revision = "2221dbb7953b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cti_integrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_integrations")),
        sa.UniqueConstraint("code", name=op.f("uq_cti_integrations_code")),
    )
    with op.batch_alter_table("cti_integrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_integrations_active"), ["active"], unique=False)

    op.create_table(
        "routing_commands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_commands")),
    )
    with op.batch_alter_table("routing_commands", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_routing_commands_processed_at"), ["processed_at"], unique=False
        )

    op.create_table(
        "cti_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("call_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["cti_integrations.id"],
            name=op.f("fk_cti_events_integration_id_cti_integrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_events")),
        sa.UniqueConstraint(
            "integration_id", "event_id", name=op.f("uq_cti_events_integration_id_event_id")
        ),
    )
    with op.batch_alter_table("cti_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_events_call_id"), ["call_id"], unique=False)

    op.create_table(
        "wrap_up_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_wrap_up_topics_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wrap_up_topics")),
        sa.UniqueConstraint("product_id", "name", name=op.f("uq_wrap_up_topics_product_id_name")),
    )
    with op.batch_alter_table("wrap_up_topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wrap_up_topics_active"), ["active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_wrap_up_topics_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "wrap_up_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["wrap_up_topics.id"],
            name=op.f("fk_wrap_up_reasons_topic_id_wrap_up_topics"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wrap_up_reasons")),
        sa.UniqueConstraint("topic_id", "name", name=op.f("uq_wrap_up_reasons_topic_id_name")),
    )
    with op.batch_alter_table("wrap_up_reasons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wrap_up_reasons_active"), ["active"], unique=False)
        batch_op.create_index(batch_op.f("ix_wrap_up_reasons_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "agent_presence",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("since", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("routing_state", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_agent_presence_agent_id_agents")
        ),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_agent_presence")),
    )
    op.create_table(
        "agent_state_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("started_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_agent_state_spans_agent_id_agents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_state_spans")),
    )
    with op.batch_alter_table("agent_state_spans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agent_state_spans_agent_started", ["agent_id", "started_at"], unique=False
        )

    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "voice",
                "email",
                "chat",
                "web",
                "fax",
                name="channel",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "direction",
            sa.Enum("in", "out", name="direction", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "offered",
                "active",
                "wrap_up",
                "done",
                "abandoned",
                name="contactstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("queue_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Double(), nullable=False),
        sa.Column("callback_number", sa.String(length=16), nullable=True),
        sa.Column("arrived_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("queued_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("offered_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("abandoned_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("wrap_up_ended_at", frontline.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "resolved",
                "escalated",
                "callback",
                "order_taken",
                "complaint",
                name="outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.String(length=4000), nullable=False),
        sa.Column("wrapped_up_by", sa.Integer(), nullable=True),
        sa.Column("routing_state", sa.JSON(), nullable=True),
        sa.Column("route_seq", sa.Integer(), nullable=True),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_contacts_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_contacts_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_contacts_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_contacts_queue_id_queues")
        ),
        sa.ForeignKeyConstraint(
            ["reason_id"],
            ["wrap_up_reasons.id"],
            name=op.f("fk_contacts_reason_id_wrap_up_reasons"),
        ),
        sa.ForeignKeyConstraint(
            ["wrapped_up_by"], ["users.id"], name=op.f("fk_contacts_wrapped_up_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            "ix_contacts_customer_arrived", ["customer_id", "arrived_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contacts_product_id"), ["product_id"], unique=False)
        batch_op.create_index("ix_contacts_queue_arrived", ["queue_id", "arrived_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_status"), ["status"], unique=False)

    op.create_table(
        "dial_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialled", sa.String(length=32), nullable=False),
        sa.Column("ivr_choice", sa.String(length=32), nullable=False),
        sa.Column("queue_id", sa.Integer(), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_dial_plan_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dial_plan")),
        sa.UniqueConstraint("dialled", "ivr_choice", name=op.f("uq_dial_plan_dialled_ivr_choice")),
    )
    with op.batch_alter_table("dial_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dial_plan_active"), ["active"], unique=False)
        batch_op.create_index(batch_op.f("ix_dial_plan_queue_id"), ["queue_id"], unique=False)

    op.create_table(
        "queue_overflow_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.Integer(), nullable=False),
        sa.Column("after_seconds", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=True),
        sa.Column("min_proficiency", sa.Integer(), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "after_seconds >= 0", name=op.f("ck_queue_overflow_steps_after_seconds")
        ),
        sa.CheckConstraint(
            "min_proficiency BETWEEN 1 AND 5", name=op.f("ck_queue_overflow_steps_min_proficiency")
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_queue_overflow_steps_queue_id_queues")
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_queue_overflow_steps_skill_id_skills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_overflow_steps")),
        sa.UniqueConstraint(
            "queue_id", "after_seconds", name=op.f("uq_queue_overflow_steps_queue_id_after_seconds")
        ),
    )
    with op.batch_alter_table("queue_overflow_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_queue_overflow_steps_active"), ["active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_queue_overflow_steps_queue_id"), ["queue_id"], unique=False
        )

    op.create_table(
        "contact_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("queue_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_contact_events_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_contact_events_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_contact_events_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_events")),
    )
    with op.batch_alter_table("contact_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_events_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "cti_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("integration_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=128), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_cti_calls_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["cti_integrations.id"],
            name=op.f("fk_cti_calls_integration_id_cti_integrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_calls")),
        sa.UniqueConstraint("contact_id", name=op.f("uq_cti_calls_contact_id")),
        sa.UniqueConstraint(
            "integration_id", "call_id", name=op.f("uq_cti_calls_integration_id_call_id")
        ),
    )
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extension", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_agents_extension"), ["extension"])

    with op.batch_alter_table("queues", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "service_level_policy",
                sa.Enum(
                    "abandoned_count_against",
                    "abandoned_excluded",
                    "short_abandons_ignored",
                    name="abandontreatment",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=False,
                server_default="short_abandons_ignored",
            )
        )
        batch_op.add_column(
            sa.Column("short_abandon_seconds", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(sa.Column("priority", sa.Double(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("aging_per_second", sa.Double(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("offer_timeout_seconds", sa.Integer(), nullable=False, server_default="20")
        )
    # The defaults only filled the existing rows; new rows get theirs from the models.
    with op.batch_alter_table("queues", schema=None) as batch_op:
        for column in NEW_QUEUE_COLUMNS:
            batch_op.alter_column(column, server_default=None)


NEW_QUEUE_COLUMNS = (
    "service_level_policy",
    "short_abandon_seconds",
    "priority",
    "aging_per_second",
    "offer_timeout_seconds",
)


def downgrade() -> None:
    with op.batch_alter_table("queues", schema=None) as batch_op:
        batch_op.drop_column("offer_timeout_seconds")
        batch_op.drop_column("aging_per_second")
        batch_op.drop_column("priority")
        batch_op.drop_column("short_abandon_seconds")
        batch_op.drop_column("service_level_policy")

    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_agents_extension"), type_="unique")
        batch_op.drop_column("extension")

    op.drop_table("cti_calls")
    with op.batch_alter_table("contact_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_events_contact_id"))

    op.drop_table("contact_events")
    with op.batch_alter_table("queue_overflow_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_overflow_steps_queue_id"))
        batch_op.drop_index(batch_op.f("ix_queue_overflow_steps_active"))

    op.drop_table("queue_overflow_steps")
    with op.batch_alter_table("dial_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dial_plan_queue_id"))
        batch_op.drop_index(batch_op.f("ix_dial_plan_active"))

    op.drop_table("dial_plan")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_status"))
        batch_op.drop_index("ix_contacts_queue_arrived")
        batch_op.drop_index(batch_op.f("ix_contacts_product_id"))
        batch_op.drop_index("ix_contacts_customer_arrived")
        batch_op.drop_index(batch_op.f("ix_contacts_agent_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("agent_state_spans", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_state_spans_agent_started")

    op.drop_table("agent_state_spans")
    op.drop_table("agent_presence")
    with op.batch_alter_table("wrap_up_reasons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wrap_up_reasons_topic_id"))
        batch_op.drop_index(batch_op.f("ix_wrap_up_reasons_active"))

    op.drop_table("wrap_up_reasons")
    with op.batch_alter_table("wrap_up_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wrap_up_topics_product_id"))
        batch_op.drop_index(batch_op.f("ix_wrap_up_topics_active"))

    op.drop_table("wrap_up_topics")
    with op.batch_alter_table("cti_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_events_call_id"))

    op.drop_table("cti_events")
    with op.batch_alter_table("routing_commands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_commands_processed_at"))

    op.drop_table("routing_commands")
    with op.batch_alter_table("cti_integrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_integrations_active"))

    op.drop_table("cti_integrations")
