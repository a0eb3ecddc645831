"""`wayfinder vapid` and `wayfinder worker`."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

import click
from flask import Flask

from .dispatch import Dispatcher
from .runtime import state


def commands(load_app: Callable[[], Flask]) -> list[click.Command]:
    """The push commands, bound to the CLI's app loader."""

    @click.command()
    def vapid() -> None:
        """Print the VAPID public key (the browser's applicationServerKey)."""
        click.echo(state(load_app()).public_key)

    @click.command()
    @click.option("--once", is_flag=True, help="Send what is due now, then exit.")
    def worker(once: bool) -> None:
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
        dispatcher.run_forever(stop)

    return [vapid, worker]
