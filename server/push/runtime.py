"""Push run-time state, shared by the API, the CLI and the dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from py_vapid import Vapid02
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

#: Where init_app keeps the state, in app.extensions.
EXTENSION = "wayfinder.push"


@dataclass
class PushState:
    """Everything push needs at run time, kept in app.extensions["wayfinder.push"]."""

    engine: Engine
    session: sessionmaker
    vapid: Vapid02
    public_key: str
    subject: str
    services: tuple[str, ...]
    batch_size: int
    concurrency: int
    lease: int
    poll: int


def state(app: Flask | None = None) -> PushState:
    """The push state of an app (the current one by default)."""
    return (app or current_app).extensions[EXTENSION]
