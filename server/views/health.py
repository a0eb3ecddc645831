"""/healthz and /readyz for load balancers: cheap, nothing personal, never limited."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy.exc import DBAPIError

from ..push import db, state
from . import online_only

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


def _plain(body: str, status: int) -> Response:
    """A short text answer that no cache keeps."""
    response = Response(body, status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive and answering."""
    return _plain("ok\n", 200)


def _checks() -> dict[str, str]:
    """Database answers, schema current, VAPID key loaded: "ok" or what is wrong."""
    push = state()
    checks = {"database": "ok", "schema": "ok", "vapid": "ok"}
    try:
        found = db.schema_state(push.engine)
    except DBAPIError as exc:
        log.warning("readyz: the database does not answer: %s", exc.orig)
        checks["database"] = checks["schema"] = "unavailable"
    else:
        if found == "behind":
            checks["schema"] = "behind: run `wayfinder migrate`"
    if push.vapid is None or not push.public_key:
        checks["vapid"] = "not loaded"
    return checks


@bp.get("/readyz")
def readyz() -> Response:
    """Ready for traffic: 200 when every check passes, else 503 saying which."""
    checks = _checks()
    ready = all(v == "ok" for v in checks.values())
    response = jsonify({"ready": ready, "checks": checks})
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


#: The probes' paths: answered whatever Host a load balancer sends.
PROBES = ("/healthz", "/readyz")


class ProbeHost:
    """WSGI middleware: a probe's Host is taken to be this site's own.

    Only this site's Host is accepted (server/http.py), but a load balancer
    checks each machine by its address. The probes' answers do not depend on
    the Host, so for those two paths it is replaced before the check.
    """

    def __init__(self, app: Callable, host: str) -> None:
        """Wrap a WSGI app."""
        self.app = app
        self.host = host

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Pass the request on, with this site's Host for a probe."""
        if environ.get("PATH_INFO") in PROBES:
            environ["HTTP_HOST"] = self.host
            environ.pop("HTTP_X_FORWARDED_HOST", None)
        return self.app(environ, start_response)


def accept_any_host(app: Flask) -> None:
    """Let the probes answer whatever Host is sent (after http.init_app)."""
    hosts = app.config.get("TRUSTED_HOSTS") or ["localhost"]
    app.wsgi_app = ProbeHost(app.wsgi_app, hosts[0])


def init_app(app: Flask) -> None:
    """Register the probes: not precached, not rate-limited."""
    app.register_blueprint(bp)
    online_only(app, "health.healthz")
    online_only(app, "health.readyz")
    limiter = app.extensions.get("wayfinder.limiter")
    if limiter is not None:
        limiter.exempt(bp)
