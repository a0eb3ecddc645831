"""The `wayfinder` command: serve, worker, migrate, status, vapid, check."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from flask import Flask

from . import create_app, metrics
from .config import ConfigError, from_environ
from .content import ContentError

#: Addresses that only this machine can reach.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def load_app(**overrides: Any) -> Flask:
    """Create the app, turning a configuration or content problem into one line."""
    try:
        return create_app(overrides or None)
    except (ConfigError, ContentError) as exc:
        click.echo(f"wayfinder: {exc}", err=True)
        sys.exit(2)


def require_public_url(host: str) -> None:
    """Refuse, in one line and before any start-up work, to leave loopback unnamed."""
    try:
        public_url = from_environ()["PUBLIC_URL"]
    except ConfigError as exc:
        click.echo(f"wayfinder: {exc}", err=True)
        sys.exit(2)
    if host not in LOOPBACK and not public_url:
        click.echo(
            f"wayfinder: WAYFINDER_PUBLIC_URL is required to listen on {host} "
            "(set it to the origin people use, such as https://wayfinder.example)",
            err=True,
        )
        sys.exit(2)


@click.group()
def main() -> None:
    """Wayfinder: a calm companion app for treatment-resistant depression."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--dev", is_flag=True, help="Run Flask's reloading development server.")
def serve(host: str, port: int, dev: bool) -> None:
    """Run the app on gunicorn (or the development server with --dev)."""
    require_public_url(host)
    folder = None
    if not dev and os.environ.get("WAYFINDER_METRICS_ADDRESS"):
        # Before the app exists: every process it starts writes metrics here.
        folder = metrics.start_multiprocess_folder()
        metrics.enable(multiprocess=True)
    try:
        app = load_app()
    except SystemExit:
        if folder is not None:
            metrics.remove_folder(folder)
        raise
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    from .wsgi_server import run

    run(app, host=host, port=port, metrics_folder=folder)


@main.command()
def check() -> None:
    """Load all content and configuration; exit non-zero on any problem."""
    app = load_app()
    lib = app.extensions["wayfinder.content"]
    click.echo(f"ok: {len(lib.guide)} articles, {len(lib.help.countries)} countries")


def _add_push_commands() -> None:
    """Add `wayfinder vapid` and `wayfinder worker` (server/push/cli.py)."""
    from .push.cli import commands

    for command in commands(load_app):
        main.add_command(command)


_add_push_commands()
