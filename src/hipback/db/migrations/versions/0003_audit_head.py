"""audit head: one locked row holding the newest audit hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # continue an existing chain (databases created before this revision)
    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
    count = conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar() or 0
    op.bulk_insert(head, [{"id": 1, "seq": int(count), "hash": last or GENESIS}])


def downgrade() -> None:
    op.drop_table("audit_head")
