"""One log line per request, with a request id; JSON logs; request metrics.

The line names the route (the URL rule, such as /api/push/subscriptions/<sub_id>),
never the URL itself, and no client address or user agent: a log holds nothing
that says who used the app or for what.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, request
from werkzeug.wsgi import ClosingIterator

from . import metrics

log = logging.getLogger("wayfinder.request")

#: The environ key where the app leaves the matched URL rule.
ROUTE_KEY = "wayfinder.route"
#: The environ key holding the request id.
ID_KEY = "wayfinder.request_id"
#: A request id a trusted proxy may pass on (nginx's $request_id is 32 hex).
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
#: Fields of a log record copied into a JSON line when present.
FIELDS = ("request_id", "method", "route", "status", "ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and request fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render a record as JSON."""
        stamp = datetime.fromtimestamp(record.created, UTC)
        out: dict[str, Any] = {
            "time": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in FIELDS:
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for WAYFINDER_LOG_FORMAT."""
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter(logging.BASIC_FORMAT)


def configure_logging(level: str, log_format: str) -> None:
    """Log to stderr at this level, unless logging is already set up."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    root.setLevel(level)


class RequestLog:
    """WSGI middleware: a request id for every request, one line and metrics."""

    def __init__(self, app: Callable, trust_incoming_id: bool) -> None:
        """Wrap a WSGI app; take X-Request-Id from a trusted proxy only."""
        self.app = app
        self.trust_incoming_id = trust_incoming_id

    def request_id(self, environ: dict) -> str:
        """The proxy's id when trusted and well-formed, else a new one."""
        given = environ.get("HTTP_X_REQUEST_ID", "")
        if self.trust_incoming_id and _GOOD_ID.fullmatch(given):
            return given
        return secrets.token_hex(8)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Serve the request, logging it when its body has been sent."""
        started = time.perf_counter()
        rid = environ[ID_KEY] = self.request_id(environ)
        seen: dict[str, int] = {"status": 500}

        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            seen["status"] = int(status[:3])
            headers.append(("X-Request-Id", rid))
            return start_response(status, headers, exc_info)

        def done() -> None:
            self.finished(environ, seen["status"], time.perf_counter() - started)

        try:
            body = self.app(environ, start)
        except Exception:
            done()
            raise
        return ClosingIterator(body, [done])

    @staticmethod
    def finished(environ: dict, status: int, seconds: float) -> None:
        """Log the line and count the request."""
        path = environ.get("PATH_INFO", "")
        route = environ.get(ROUTE_KEY) or (
            "/static/" if path.startswith("/static/") else "unmatched"
        )
        method = environ.get("REQUEST_METHOD", "")
        ms = round(seconds * 1000, 1)
        log.info(
            "%s %s %s %d %.1fms",
            environ.get(ID_KEY),
            method,
            route,
            status,
            ms,
            extra={
                "request_id": environ.get(ID_KEY),
                "method": method,
                "route": route,
                "status": status,
                "ms": ms,
            },
        )
        metrics.request(route, method, status, seconds)


def _note_route() -> None:
    """Leave the matched URL rule where the middleware reads it."""
    if request.url_rule is not None:
        request.environ[ROUTE_KEY] = request.url_rule.rule


def init_app(app: Flask) -> None:
    """Wrap the whole app, static files included (call it last)."""
    # First of all before-request functions, so a 429 still names its route.
    app.before_request_funcs.setdefault(None, []).insert(0, _note_route)
    app.wsgi_app = RequestLog(app.wsgi_app, app.config.get("TRUSTED_PROXIES", 0) > 0)
