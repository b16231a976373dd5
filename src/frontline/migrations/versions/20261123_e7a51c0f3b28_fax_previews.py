"""fax previews: the first page of a fax attachment as a PNG

Revision ID: e7a51c0f3b28
Revises: 9749206eb7b2
Create Date: 2026-11-23 16:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e7a51c0f3b28"
down_revision = "9749206eb7b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mail_attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preview_png", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mail_attachments", schema=None) as batch_op:
        batch_op.drop_column("preview_png")
