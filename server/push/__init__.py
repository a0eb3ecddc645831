"""Reminders by Web Push: storage, the JSON API, scheduling and the dispatcher."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from ..config import ConfigError
from . import api, db, serve, transport, vapid
from .runtime import EXTENSION, PushState, state
from .vocabulary import VOCABULARY

__all__ = ["PushState", "init_app", "state"]


def prepare_schema(engine: Engine) -> None:
    """SQLite (one machine) migrates on start; PostgreSQL must be migrated first,
    by `wayfinder migrate`, so that many machines never race to do it."""
    if engine.dialect.name == "sqlite":
        db.migrate(engine)
    else:
        db.check_schema(engine)


def init_app(app: Flask) -> None:
    """Prepare the schema, load the VAPID key, register the API and serve hooks."""
    config = app.config
    if config["DISPATCH_LEASE_SECONDS"] < transport.MIN_LEASE:
        raise ConfigError(
            f"WAYFINDER_DISPATCH_LEASE_SECONDS: must be at least {transport.MIN_LEASE} "
            f"s, twice the longest send ({transport.TIMEOUT[0]} s to connect plus "
            f"{transport.TIMEOUT[1]} s to answer), so no claim runs out mid-send"
        )
    url = db.database_url(config["DATABASE_URL"], app.instance_path)
    engine = db.make_engine(url)
    try:
        prepare_schema(engine)
    except db.SchemaNotCurrent as exc:
        raise ConfigError(f"WAYFINDER_DATABASE_URL: {exc}") from None
    except OperationalError as exc:
        reason = " ".join(str(exc.orig).split())  # one line, for the CLI
        raise ConfigError(
            f"WAYFINDER_DATABASE_URL: cannot use the database: {reason}"
        ) from None
    finally:
        engine.dispose()  # no connection crosses a fork into the web workers
    try:
        signer = vapid.load_key(config["VAPID_PRIVATE_KEY"], app.instance_path)
    except vapid.VapidKeyError as exc:
        raise ConfigError(f"WAYFINDER_VAPID_PRIVATE_KEY: {exc}") from None
    app.extensions[EXTENSION] = PushState(
        engine=engine,
        session=sessionmaker(engine, expire_on_commit=False),
        vapid=signer,
        public_key=vapid.public_key(signer),
        subject=config["VAPID_SUBJECT"],
        services=tuple(config["PUSH_SERVICES"]),
        batch_size=config["DISPATCH_BATCH_SIZE"],
        concurrency=config["DISPATCH_CONCURRENCY"],
        lease=config["DISPATCH_LEASE_SECONDS"],
        poll=config["DISPATCH_POLL_SECONDS"],
    )
    app.add_template_global(VOCABULARY, "reminder_vocabulary")
    api.init_app(app)
    serve.init_app(app)
