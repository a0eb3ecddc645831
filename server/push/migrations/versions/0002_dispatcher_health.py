"""Dispatcher heartbeats and per-minute send counts, for `wayfinder status`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the heartbeat and send-count tables (new tables only: old
    releases keep working during a rolling upgrade)."""
    op.create_table(
        "push_dispatcher",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("beat_at", sa.BigInteger(), nullable=False),
        sa.Column("last_sent_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_push_dispatcher"),
    )
    op.create_table(
        "push_send_count",
        sa.Column("push_origin", sa.String(300), nullable=False),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "push_origin", "minute", "result", name="pk_push_send_count"
        ),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("push_send_count")
    op.drop_table("push_dispatcher")
