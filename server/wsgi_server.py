"""Run the app on gunicorn, the production WSGI server."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    """A gunicorn application serving an already created Flask app."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        """Keep the app and the gunicorn settings."""
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply our settings to gunicorn's config."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Return the WSGI app."""
        return self.application


def run(app: Flask, host: str, port: int) -> None:
    """Serve the app until interrupted."""
    options = {
        "bind": f"{host}:{port}",
        "workers": app.config["WEB_WORKERS"],
        "worker_class": "gthread",
        "threads": 4,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": app.config["LOG_LEVEL"].lower(),
        "timeout": 30,
        "graceful_timeout": 10,
        "forwarded_allow_ips": "127.0.0.1",
    }
    hooks = app.extensions.get("wayfinder.serve_hooks", {})
    options.update(hooks)
    _Gunicorn(app, options).run()
