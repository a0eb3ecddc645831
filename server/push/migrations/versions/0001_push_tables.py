"""Push subscriptions, reminders and the delivery queue.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three push tables."""
    op.create_table(
        "push_subscription",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("endpoint", sa.String(2048), nullable=False),
        sa.Column("endpoint_hash", sa.String(64), nullable=False),
        sa.Column("push_origin", sa.String(300), nullable=False),
        sa.Column("p256dh", sa.String(100), nullable=False),
        sa.Column("auth", sa.String(32), nullable=False),
        sa.Column("app_origin", sa.String(300), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("quiet_start", sa.SmallInteger(), nullable=True),
        sa.Column("quiet_end", sa.SmallInteger(), nullable=True),
        sa.Column("discreet", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_push_subscription"),
        sa.UniqueConstraint("endpoint_hash", name="uq_push_subscription_endpoint_hash"),
    )
    op.create_table(
        "push_reminder",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(32), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("minute", sa.SmallInteger(), nullable=False),
        sa.Column("days", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.String(120), nullable=True),
        sa.Column("next_due_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_push_reminder"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscription.id"],
            name="fk_push_reminder_subscription_id_push_subscription",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_push_reminder_subscription_id", "push_reminder", ["subscription_id"]
    )
    op.create_index("ix_push_reminder_next_due_at", "push_reminder", ["next_due_at"])
    op.create_table(
        "push_delivery",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(32), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        sa.Column("due_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("claimed_by", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_push_delivery"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["push_subscription.id"],
            name="fk_push_delivery_subscription_id_push_subscription",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["push_reminder.id"],
            name="fk_push_delivery_reminder_id_push_reminder",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "reminder_id", "slot", name="uq_push_delivery_reminder_id_slot"
        ),
    )
    op.create_index(
        "ix_push_delivery_subscription_id", "push_delivery", ["subscription_id"]
    )
    op.create_index("ix_push_delivery_due_at", "push_delivery", ["due_at"])


def downgrade() -> None:
    """Drop the push tables."""
    op.drop_table("push_delivery")
    op.drop_table("push_reminder")
    op.drop_table("push_subscription")
