"""The push database: engine set-up for SQLite or PostgreSQL, and migrations."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Any constant: serialises migrations between processes on PostgreSQL.
_PG_MIGRATION_LOCK = 7_301_552_019


def database_url(configured: str | None, instance_path: str | Path) -> str:
    """Return the configured URL, or SQLite in the instance folder."""
    if configured:
        return configured
    return f"sqlite:///{Path(instance_path) / 'wayfinder.sqlite3'}"


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    """Make each SQLite connection safe for several processes and threads."""
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


#: Execution option for a transaction that only reads (see read_only()).
READ_ONLY = "wayfinder_read_only"


def _sqlite_on_begin(connection) -> None:
    """Take the write lock at BEGIN, so a transaction never fails to upgrade;
    a read-only transaction takes none, so reads work while writes cannot."""
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def read_only(session) -> None:
    """Mark a session's transaction, before its first statement, as reads only."""
    session.connection(execution_options={READ_ONLY: True})


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL mode, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_size=5, max_overflow=5, pool_pre_ping=True)


def alembic_config() -> Config:
    """An Alembic config pointing at the migrations shipped in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Hold a lock so that only one process migrates at a time."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        lock_path = Path(database + ".migrate-lock") if database else None
        if lock_path is None or database == ":memory:":
            yield
            return
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(
                text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK}
            )
            conn.commit()


class SchemaNotCurrent(Exception):
    """The database's schema is older than this code needs."""


@functools.cache
def _scripts() -> tuple[str, frozenset[str]]:
    """This code's newest revision and every revision it knows (read once)."""
    scripts = ScriptDirectory.from_config(alembic_config())
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return scripts.get_current_head() or "", known


def head_revision() -> str:
    """The newest migration this code ships."""
    return _scripts()[0]


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_state(engine: Engine) -> str:
    """Say "current", "newer" (a later release migrated it) or "behind"."""
    revision = current_revision(engine)
    head, known = _scripts()
    if revision == head:
        return "current"
    if revision is not None and revision not in known:
        return "newer"
    return "behind"


def check_schema(engine: Engine) -> None:
    """Raise SchemaNotCurrent, saying what to do, unless the schema is usable."""
    found = schema_state(engine)
    if found == "newer":
        log.warning(
            "the database schema (%s) is newer than this release's (%s): "
            "finish the upgrade of every process",
            current_revision(engine),
            head_revision(),
        )
    if found != "behind":
        return
    raise SchemaNotCurrent(
        f"the database schema is at {current_revision(engine) or 'nothing (empty)'}, "
        f"this release needs {head_revision()}: run `wayfinder migrate` first"
    )


def migrate(engine: Engine) -> tuple[str | None, str | None]:
    """Upgrade the schema to the latest revision; return (before, after).

    Safe to run from many machines at once: on PostgreSQL an advisory lock
    lets one run migrate while the others wait, then find nothing to do.
    """
    config = alembic_config()
    quiet = logging.getLogger("alembic")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.WARNING)  # one line of our own is enough
    with _migration_lock(engine), engine.begin() as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        after = MigrationContext.configure(conn).get_current_revision()
    if before != after:
        log.info("push database migrated from %s to %s", before or "empty", after)
    return before, after
