"""call scripts, greetings and assistant conversations

Revision ID: b1198cc77012
Revises: c4a9e2d7f1b3
Create Date: 2026-11-23 15:49:30.732048
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import frontline.core.db

revision = "b1198cc77012"
down_revision = "c4a9e2d7f1b3"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "call_scripts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("queue_id", sa.Integer(), nullable=True),
        sa.Column("campaign", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_call_scripts_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_scripts")),
        sa.UniqueConstraint("campaign", name=op.f("uq_call_scripts_campaign")),
        sa.UniqueConstraint("queue_id", name=op.f("uq_call_scripts_queue_id")),
    )
    with op.batch_alter_table("call_scripts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_scripts_active"), ["active"], unique=False)

    op.create_table(
        "assistant_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("started_at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("handed_off_contact_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handed_off_contact_id"],
            ["contacts.id"],
            name=op.f("fk_assistant_conversations_handed_off_contact_id_contacts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_conversations")),
        sa.UniqueConstraint("public_id", name=op.f("uq_assistant_conversations_public_id")),
    )
    op.create_table(
        "contact_greetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("script_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_contact_greetings_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_contact_greetings_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["script_id"],
            ["call_scripts.id"],
            name=op.f("fk_contact_greetings_script_id_call_scripts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_greetings")),
        sa.UniqueConstraint("contact_id", name=op.f("uq_contact_greetings_contact_id")),
    )
    with op.batch_alter_table("contact_greetings", schema=None) as batch_op:
        batch_op.create_index("ix_contact_greetings_address_at", ["address", "at"], unique=False)
        batch_op.create_index(
            "ix_contact_greetings_customer_at", ["customer_id", "at"], unique=False
        )

    op.create_table(
        "assistant_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("at", frontline.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=32), nullable=False),
        sa.Column("previous_intent", sa.String(length=32), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_assistant_turns_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["assistant_conversations.id"],
            name=op.f("fk_assistant_turns_conversation_id_assistant_conversations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_turns")),
    )
    with op.batch_alter_table("assistant_turns", schema=None) as batch_op:
        batch_op.create_index("ix_assistant_turns_at", ["at"], unique=False)
        batch_op.create_index(
            "ix_assistant_turns_contact_intent_at", ["contact_id", "intent", "at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assistant_turns_conversation_id"), ["conversation_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("assistant_turns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistant_turns_conversation_id"))
        batch_op.drop_index("ix_assistant_turns_contact_intent_at")
        batch_op.drop_index("ix_assistant_turns_at")

    op.drop_table("assistant_turns")
    with op.batch_alter_table("contact_greetings", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_greetings_customer_at")
        batch_op.drop_index("ix_contact_greetings_address_at")

    op.drop_table("contact_greetings")
    op.drop_table("assistant_conversations")
    with op.batch_alter_table("call_scripts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_scripts_active"))

    op.drop_table("call_scripts")
