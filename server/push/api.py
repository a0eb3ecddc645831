"""The push JSON API under /api/push, and the OpenAPI document at /api/openapi.json."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, default_exceptions

from . import db, openapi, ratelimit, store
from .runtime import state
from .validation import (
    MAX_BODY_BYTES,
    Created,
    Error,
    Problem,
    PublicKey,
    Queued,
    SnoozeIn,
    SubscriptionCreate,
    SubscriptionUpdate,
    problems,
)

log = logging.getLogger(__name__)

bp = Blueprint("push", __name__, url_prefix="/api/push")
docs = Blueprint("api_docs", __name__)

#: Short codes for the error field, by status.
CODES = {
    400: "invalid_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}
#: Seconds a client is asked to wait after a 503 (the database is unavailable).
RETRY_AFTER_UNAVAILABLE = 30

#: The 409 when an endpoint is stored with other keys (see store.EndpointTaken).
TAKEN = (
    "This push endpoint belongs to another subscription with different keys; "
    "nothing was changed."
)

MESSAGES: dict[int | str, str] = {
    401: "Send this subscription's token as 'Authorization: Bearer <token>'.",
    404: "There is nothing at this address.",
    "invalid_token": "There is no subscription here for that token.",
    405: "This address does not accept that method.",
    409: "This browser's subscription was being saved twice at once; try again.",
    413: f"The request body is over {MAX_BODY_BYTES // 1024} KB.",
    415: "Send JSON with 'Content-Type: application/json'.",
    429: "Too many requests. Please wait a little and try again.",
    500: "Something went wrong on our side.",
    503: "Reminders cannot be saved just now. Please try again in a minute.",
}


def error(
    status: int,
    message: str | None = None,
    found: list[Problem] | None = None,
    invalid: bool = False,
) -> Response:
    """A JSON error response (``invalid``: a 401 for a token that is not valid)."""
    body = Error(
        error=CODES.get(status, "error"),
        message=message or MESSAGES.get(status, "That did not work."),
        problems=found or [],
    )
    response = jsonify(body.model_dump())
    response.status_code = status
    if status == 401:
        challenge = 'Bearer realm="wayfinder"'
        if invalid:  # RFC 6750 section 3.1
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    return response


def reply(model: BaseModel, status: int = 200) -> Response:
    """A JSON response from a response model."""
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    return response


@bp.before_request
def _limit_body() -> None:
    """Cap request bodies at 16 KB (413 beyond).

    One byte more is let through so that a streamed (chunked) body, which
    werkzeug silently cuts at the limit, can be seen to be too long.
    """
    request.max_content_length = MAX_BODY_BYTES + 1


@bp.after_request
def _no_store(response: Response) -> Response:
    """API answers carry private settings: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    """Every HTTP error under /api/ is JSON (405 keeps its Allow header)."""
    status = exc.code or 500
    response = error(status, MESSAGES.get(status) if status != 400 else None)
    allow = dict(exc.get_headers()).get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response


def database_problem(exc: DBAPIError) -> str:
    """Say in a few words what is wrong with the database."""
    text = " ".join(str(exc.orig).split())
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database is read-only ({text})"
    if "disk i/o" in lowered:
        return f"the database files cannot be written: permissions or disk ({text})"
    if "full" in lowered:
        return f"the disk is full ({text})"
    if "locked" in lowered or "busy" in lowered:
        return f"the database is locked by another process ({text})"
    if exc.connection_invalidated or "connect" in lowered or "server" in lowered:
        return f"the database server is unreachable ({text[:200]})"
    return text[:300]


@bp.errorhandler(DBAPIError)
def _database_error(exc: DBAPIError) -> Response:
    """A database failure: one log line saying what failed, and a JSON 503."""
    if isinstance(exc, IntegrityError):
        return error(409)
    log.error(
        "DATABASE UNAVAILABLE: %s; answered 503 to %s %s",
        database_problem(exc),
        request.method,
        request.path,
    )
    return error(503)


def parse(model: type[BaseModel]) -> BaseModel:
    """Validate the JSON body against a model, or abort with a 400 that explains."""
    raw = request.get_data(cache=True)  # raises 413 over the cap
    if len(raw) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge()
    if raw.strip() and request.mimetype != "application/json":
        raise _Abort(error(415))
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in {"utf-8", "utf8"}:
        found = [Problem(field="Content-Type", message="charset must be utf-8")]
        raise _Abort(error(400, "Please check: JSON is sent as utf-8.", found))
    try:
        return model.model_validate_json(
            raw or b"", strict=True, context={"push_services": state().services}
        )
    except ValidationError as exc:
        found = problems(exc)
        summary = "; ".join(f"{p.field} {p.message}" for p in found[:3])
        raise _Abort(error(400, f"Please check: {summary}.", found)) from None


class _Abort(Exception):
    """Stop a view with a ready response."""

    def __init__(self, response: Response) -> None:
        """Keep the response."""
        self.response = response


@bp.errorhandler(_Abort)
def _abort(exc: _Abort) -> Response:
    """Return the prepared response."""
    return exc.response


def owner_only(view: Callable[..., Response]) -> Callable[..., Response]:
    """Require the subscription's bearer token; 401 without one or if wrong.

    A wrong token, someone else's, or an id that does not exist all get the
    same 401 (RFC 6750 invalid_token), so the answer reveals nothing.
    """

    @wraps(view)
    def wrapper(sub_id: str, **kwargs: Any) -> Response:
        """Authenticate, then run the view inside one transaction."""
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return error(401)
        with state().session() as session, session.begin():
            if request.method == "GET":
                db.read_only(session)
            sub = store.authenticate(session, sub_id, token)
            if sub is None:
                return error(401, MESSAGES["invalid_token"], invalid=True)
            g.push_session = session
            return view(sub, **kwargs)

    return wrapper


def _app_origin() -> str:
    """This site's origin for notification links: WAYFINDER_PUBLIC_URL when set.

    Without it the app only accepts loopback Host names (server/http.py), so
    the origin the browser reached is one of those.
    """
    origin = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
    if len(origin) > 300:
        raise _Abort(error(400, "Please check: the Host header is too long."))
    return origin


@bp.get("/public-key")
def public_key() -> Response:
    """The VAPID public key for PushManager.subscribe()."""
    return reply(PublicKey(publicKey=state().public_key))


@bp.post("/subscriptions")
def create() -> Response:
    """Store a subscription and its reminders; return its id and token."""
    body = parse(SubscriptionCreate)
    try:
        with state().session() as session, session.begin():
            sub_id, token = store.create(session, body, _app_origin(), time.time())
    except store.EndpointTaken:
        return error(409, TAKEN)
    except IntegrityError:
        return error(409)
    response = reply(Created(id=sub_id, token=token), 201)
    response.headers["Location"] = f"/api/push/subscriptions/{sub_id}"
    return response


@bp.get("/subscriptions/<sub_id>")
@owner_only
def read(sub) -> Response:
    """The subscription's settings."""
    return reply(store.view(g.push_session, sub))


@bp.put("/subscriptions/<sub_id>")
@owner_only
def replace(sub) -> Response:
    """Replace the settings (and the browser subscription, if sent)."""
    body = parse(SubscriptionUpdate)
    try:
        with g.push_session.begin_nested():
            store.replace(g.push_session, sub, body, time.time())
    except store.EndpointTaken:
        return error(409, TAKEN)
    except IntegrityError:
        return error(409)
    return reply(store.view(g.push_session, sub))


@bp.delete("/subscriptions/<sub_id>")
@owner_only
def remove(sub) -> Response:
    """Forget the subscription and everything it had."""
    store.remove(g.push_session, sub)
    return Response(status=204)


@bp.post("/subscriptions/<sub_id>/test")
@owner_only
def test(sub) -> Response:
    """Queue a test notification for right now."""
    try:
        due = store.queue_test(g.push_session, sub, time.time())
    except store.TooManyPending:
        return error(429, "Several notifications are already waiting; try later.")
    return reply(Queued(due_at=store.iso(due)), 202)


@bp.post("/subscriptions/<sub_id>/snooze")
@owner_only
def snooze(sub) -> Response:
    """Send the tagged reminder again in 15 minutes."""
    body = parse(SnoozeIn)
    try:
        due = store.queue_snooze(g.push_session, sub, body.tag, time.time())
    except store.TooManyPending:
        return error(429, "Several notifications are already waiting; try later.")
    return reply(Queued(due_at=store.iso(due)), 202)


@docs.get("/api/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API."""
    response = jsonify(openapi.document(state().services))
    response.headers["Cache-Control"] = "no-cache"
    return response


def _json_under_api(previous: Callable[[Exception], Any] | None) -> Callable:
    """An app-wide error handler: JSON under /api/, else the previous handler."""

    def handle(exc: Exception) -> Any:
        """Answer JSON for the API, the site's own page (or werkzeug's) elsewhere."""
        if request.path.startswith("/api/"):
            if isinstance(exc, HTTPException):
                return _http_error(exc)
            return error(500)
        return previous(exc) if previous is not None else exc

    return handle


def _retry_after_only_when_waiting(response: Response) -> Response:
    """Retry-After belongs on 429 and 503 only (the limiter adds it to every answer)."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response


def init_app(app: Flask) -> None:
    """Register the API, its documentation, JSON errors and per-client rate limits.

    The limit is keyed on the client's address (after server/http.py's
    ProxyFix for trusted proxies) and counted where WAYFINDER_RATE_LIMIT_STORAGE
    says (server/push/ratelimit.py): Redis for many machines.
    """
    for code in (404, 500):
        existing = app.error_handler_spec[None][code].get(default_exceptions[code])
        app.register_error_handler(code, _json_under_api(existing))
    app.register_error_handler(HTTPException, _json_under_api(None))
    app.after_request(_retry_after_only_when_waiting)  # runs after the limiter's
    storage = ratelimit.storage_uri(
        app.config.get("RATE_LIMIT_STORAGE"), app.instance_path
    )
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=storage,
        storage_options=ratelimit.storage_options(storage),
        headers_enabled=True,
        key_prefix="push",
        swallow_errors=True,
        in_memory_fallback_enabled=ratelimit.is_shared(storage),
    )
    limiter.limit(lambda: current_app.config["RATE_LIMIT"])(bp)
    app.register_blueprint(bp)
    app.register_blueprint(docs)
    app.extensions["wayfinder.limiter"] = limiter
