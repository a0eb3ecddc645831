"""Alembic environment: migrations run on a connection the app hands over."""

from __future__ import annotations

from alembic import context

from server.push.models import Base


def run() -> None:
    """Run migrations on the connection passed in config.attributes."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
