"""Run the app on gunicorn, the production WSGI server.

Web workers are gunicorn's gevent workers: each connection is a greenlet, so
a client that sends its headers slowly (or never) holds only a greenlet, not
one of a few threads; gunicorn gives every request's headers at most
``keepalive`` seconds (HEADER_SECONDS) to arrive and then closes the
connection; a worker takes at most WORKER_CONNECTIONS at once. A request
line over gunicorn's limit gets the site's own 414 page, rendered by the app.
"""

from __future__ import annotations

import warnings
from typing import Any

from flask import Flask, render_template, request
from gevent.monkey import MonkeyPatchWarning
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.test import EnvironBuilder, run_wsgi_app

from . import metrics
from .observe import JsonFormatter

#: Seconds a client has to send a request's line and headers.
HEADER_SECONDS = 5
#: Connections one web worker holds open at most.
WORKER_CONNECTIONS = 1000
#: The environ key that asks the app for a server-level error page.
ERROR_KEY = "wayfinder.server_error"


class Worker(GeventWorker):
    """gunicorn's gevent worker, answering an over-long URL with the app's page."""

    def patch(self) -> None:
        """Patch as gunicorn does, without gevent's warning that ssl was imported
        first: web workers make no outbound TLS (the dispatcher, which does, is
        a separate process that is never patched)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MonkeyPatchWarning)
            super().patch()

    def handle_error(self, req: Any, client: Any, addr: Any, exc: Exception) -> None:
        """Render 414 through the app; leave every other error to gunicorn."""
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("Request line too long from %s", (addr or ("",))[0])
        try:
            client.sendall(_render(self.wsgi, 414))
        except OSError:
            self.log.debug("Failed to send the 414 page.")


class JsonLogger(Logger):
    """gunicorn's logger, writing JSON lines like the app (WAYFINDER_LOG_FORMAT)."""

    def setup(self, cfg: Any) -> None:
        """Set up as gunicorn does, then give every handler the JSON formatter."""
        super().setup(cfg)
        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.setFormatter(JsonFormatter())


def _render(app: Any, status: int) -> bytes:
    """A whole HTTP/1.1 response for a server-level error, rendered by the app."""
    host = (app.config.get("TRUSTED_HOSTS") or ["localhost"])[0]
    environ = EnvironBuilder(path="/", base_url=f"http://{host}/").get_environ()
    environ[ERROR_KEY] = status
    body_iter, status_line, headers = run_wsgi_app(app, environ, buffered=True)
    body = b"".join(body_iter)
    headers["Content-Length"] = str(len(body))
    headers["Connection"] = "close"
    lines = [f"HTTP/1.1 {status_line}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _server_error_page() -> tuple[str, int] | None:
    """Answer a request gunicorn could not pass on (see Worker) with error.html."""
    status = request.environ.get(ERROR_KEY)
    if status is None:
        return None
    return render_template("error.html", code=status), status


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


def options(app: Flask, host: str, port: int) -> dict[str, Any]:
    """gunicorn's settings for `wayfinder serve`."""
    json_logs = app.config.get("LOG_FORMAT") == "json"
    return {
        "bind": f"{host}:{port}",
        "workers": app.config["WEB_WORKERS"],
        "worker_class": Worker,
        "worker_connections": WORKER_CONNECTIONS,
        "keepalive": HEADER_SECONDS,
        # One line per request comes from the app (server/observe.py).
        "accesslog": None,
        "errorlog": "-",
        "logger_class": JsonLogger if json_logs else Logger,
        "loglevel": app.config["LOG_LEVEL"].lower(),
        "timeout": 30,
        "graceful_timeout": 10,
        # X-Forwarded-* are read by the app (WAYFINDER_TRUSTED_PROXIES), not here.
        "forwarded_allow_ips": "",
        # No control socket: it would be shared by every instance on the machine.
        "control_socket_disable": True,
    }


def metrics_hooks(address: tuple[str, int], folder: str) -> dict[str, Any]:
    """gunicorn hooks serving every process's metrics from the master."""

    def when_ready(_server: Any) -> None:
        """Serve the metrics once gunicorn is listening."""
        metrics.serve(*address, multiprocess=True)

    def child_exit(_server: Any, worker: Any) -> None:
        """A web worker ended: drop its live gauges."""
        metrics.process_ended(worker.pid)

    def on_exit(_server: Any) -> None:
        """Delete the metric files."""
        metrics.remove_folder(folder)

    return {"when_ready": when_ready, "child_exit": child_exit, "on_exit": on_exit}


def run(app: Flask, host: str, port: int, metrics_folder: str | None = None) -> None:
    """Serve the app until interrupted."""
    app.before_request(_server_error_page)
    settings = options(app, host, port)
    hooks = app.extensions.get("wayfinder.serve_hooks", {})
    if metrics_folder is not None:
        from .push.serve import chain_hook

        for name, hook in metrics_hooks(
            app.config["METRICS_ADDRESS"], metrics_folder
        ).items():
            chain_hook(hooks, name, hook)
    settings.update(hooks)
    _Gunicorn(app, settings).run()
