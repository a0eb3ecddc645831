"""`wayfinder vapid`, `worker`, `migrate` and `status`."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

import click
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .. import config, metrics
from . import db, health
from .dispatch import Dispatcher
from .runtime import state

log = logging.getLogger(__name__)


def _stop_when_closed(fd: int, stop: threading.Event) -> None:
    """Set ``stop`` when the pipe's other end closes (the parent has ended)."""
    while os.read(fd, 64):
        pass
    log.warning("the server that started this dispatcher has ended; stopping")
    stop.set()


def commands(load_app: Callable[[], Flask]) -> list[click.Command]:
    """The push commands, bound to the CLI's app loader."""

    @click.command()
    def vapid() -> None:
        """Print the VAPID public key (the browser's applicationServerKey)."""
        click.echo(state(load_app()).public_key)

    @click.command()
    @click.option("--once", is_flag=True, help="Send what is due now, then exit.")
    @click.option(
        "--parent-fd",
        type=int,
        hidden=True,
        help="Stop when this pipe closes (`wayfinder serve` passes it).",
    )
    def worker(once: bool, parent_fd: int | None) -> None:
        """Run a reminder dispatcher (any number on PostgreSQL, one on SQLite)."""
        app = load_app()
        address = app.config["METRICS_ADDRESS"]
        if address is not None:
            embedded = parent_fd is not None  # `wayfinder serve` serves them
            metrics.enable(multiprocess=embedded)
            if not embedded:
                metrics.serve(*address, multiprocess=False)
        dispatcher = Dispatcher(state(app))
        if once:
            stats = dispatcher.run_once()
            dispatcher.sender.close()
            click.echo(f"sent {stats.sent}, retry {stats.retried}, gone {stats.gone}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        if parent_fd is not None:
            threading.Thread(
                target=_stop_when_closed, args=(parent_fd, stop), daemon=True
            ).start()
        dispatcher.run_forever(stop)

    return [vapid, worker, migrate, status]


def _engine() -> Engine:
    """An engine for the configured database, from the settings alone."""
    try:
        settings = config.from_environ()
    except config.ConfigError as exc:
        click.echo(f"wayfinder: {exc}", err=True)
        sys.exit(2)
    instance = settings["INSTANCE_PATH"] or Flask("server").instance_path
    return db.make_engine(db.database_url(settings["DATABASE_URL"], instance))


def _unreachable(exc: OperationalError) -> None:
    """Say the database cannot be used, in one line, and exit 2."""
    reason = " ".join(str(exc.orig).split())
    click.echo(
        f"wayfinder: WAYFINDER_DATABASE_URL: cannot use the database: {reason}",
        err=True,
    )
    sys.exit(2)


@click.command()
def migrate() -> None:
    """Upgrade the database schema (safe to run on several machines at once)."""
    engine = _engine()
    try:
        before, after = db.migrate(engine)
    except OperationalError as exc:
        _unreachable(exc)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"database schema is current ({after})")
    else:
        click.echo(f"database migrated from {before or 'empty'} to {after}")


@click.command()
def status() -> None:
    """Print the queue, the dispatchers and the last hour's sends."""
    engine = _engine()
    try:
        db.check_schema(engine)
        with engine.connect() as conn, Session(bind=conn) as session:
            found = health.status(session, time.time())
    except db.SchemaNotCurrent as exc:
        click.echo(f"wayfinder: {exc}", err=True)
        sys.exit(2)
    except OperationalError as exc:
        _unreachable(exc)
    finally:
        engine.dispose()
    for line in health.report(found):
        click.echo(line)
