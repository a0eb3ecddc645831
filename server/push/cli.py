"""`wayfinder vapid` and `wayfinder worker`."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable

import click
from flask import Flask

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
        dispatcher = Dispatcher(state(load_app()))
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

    return [vapid, worker]
