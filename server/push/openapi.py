"""The OpenAPI 3.1 document for the push API, built from the pydantic models."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic.json_schema import models_json_schema

from ..config import DEFAULT_PUSH_SERVICES
from .validation import (
    MAX_BODY_BYTES,
    Created,
    Error,
    PublicKey,
    Queued,
    SnoozeIn,
    SubscriptionCreate,
    SubscriptionUpdate,
    SubscriptionView,
    endpoint_pattern,
    timezones,
)

REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": REF.format(model=name)}


def _json(name: str, description: str) -> dict[str, Any]:
    """A JSON response whose body is a component schema."""
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(name)}},
    }


def _body(name: str) -> dict[str, Any]:
    """A required JSON request body."""
    return {
        "required": True,
        "content": {"application/json": {"schema": _ref(name)}},
    }


#: Rules a JSON Schema cannot say; the server enforces them (400 naming the
#: field) and this text is part of the document's description.
UNEXPRESSED = (
    "Rules the schemas cannot express, which the server enforces with a 400 "
    "naming the field: subscription.keys.p256dh must be a point on the P-256 "
    "curve (the pattern only checks its length and first byte); "
    "quiet_hours.start and quiet_hours.end must differ; the body must be "
    "UTF-8 (a Content-Type charset other than utf-8 is refused). "
    "The same endpoint can only be stored once: sending an endpoint that "
    "another subscription holds is treated as the same browser re-subscribing "
    "only when its keys (p256dh and auth) match too, and then replaces that "
    "older subscription; with other keys it is refused with 409 and nothing "
    "changes."
)


def _errors(*statuses: int) -> dict[str, Any]:
    """Error responses, all with the Error body (503 and 429 with Retry-After)."""
    words = {
        400: "The request is malformed or a value is wrong; nothing was stored.",
        401: (
            "No bearer token was sent, or no subscription with this id has this "
            "token (the same answer for both, so it reveals nothing)."
        ),
        409: (
            "The endpoint is held by another subscription with other keys, or "
            "the same browser subscription was saved twice at once."
        ),
        413: f"The body is over {MAX_BODY_BYTES} bytes.",
        415: "The body is not sent as application/json.",
        429: "Too many requests from this client (or too many queued notifications).",
        503: "The database is unavailable just now; try again after Retry-After.",
    }
    answers = {str(s): _json("Error", words[s]) for s in statuses}
    for status in ("429", "503"):
        if status in answers:
            answers[status]["headers"] = {
                "Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}}
            }
    return answers


def _links() -> dict[str, Any]:
    """From a new subscription to its operations (for stateful API testing)."""
    auth = "Bearer {$response.body#/token}"
    ops = {
        "GetSubscription": "getSubscription",
        "ReplaceSubscription": "replaceSubscription",
        "DeleteSubscription": "deleteSubscription",
        "SendTest": "sendTest",
        "Snooze": "snooze",
    }
    return {
        name: {
            "operationId": op,
            "parameters": {
                "path.id": "$response.body#/id",
                "header.Authorization": auth,
            },
        }
        for name, op in ops.items()
    }


def _tighten(schemas: dict[str, Any], services: tuple[str, ...]) -> None:
    """Say in the schemas what the models check in code: the endpoint's
    allow-list and the IANA zone names."""
    endpoint = schemas["PushSubscriptionJSON"]["properties"]["endpoint"]
    endpoint["pattern"] = endpoint_pattern(services)
    endpoint["description"] = (
        "The push service URL for this browser, on one of the push services "
        "this server sends to."
    )
    for name in ("SubscriptionCreate", "SubscriptionUpdate"):
        schemas[name]["properties"]["timezone"]["enum"] = sorted(timezones())


@lru_cache(maxsize=8)
def document(services: tuple[str, ...] = DEFAULT_PUSH_SERVICES) -> dict[str, Any]:
    """Build the document once for a push-service allow-list."""
    models = [
        (SubscriptionCreate, "validation"),
        (SubscriptionUpdate, "validation"),
        (SnoozeIn, "validation"),
        (PublicKey, "serialization"),
        (Created, "serialization"),
        (SubscriptionView, "serialization"),
        (Queued, "serialization"),
        (Error, "serialization"),
    ]
    _, defs = models_json_schema(models, ref_template=REF)
    _tighten(defs["$defs"], services)
    bearer = [{"bearer": []}]
    sub_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "maxLength": 32},
    }
    owned = (401, 429, 503)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wayfinder reminders API",
            "version": "1",
            "description": (
                "Opt in to reminders by Web Push. Create a subscription to get "
                "an id and a token; keep the token on the device and send it as "
                "'Authorization: Bearer <token>' to read, change, test, snooze or "
                "delete that subscription. Every error under /api/ is JSON: "
                "{error, message, problems}, including 404, 405 and 500; 503 "
                "(with Retry-After) means the database is unavailable for a "
                "moment and nothing was changed. " + UNEXPRESSED
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/push/public-key": {
                "get": {
                    "operationId": "getPublicKey",
                    "summary": "The VAPID public key (applicationServerKey).",
                    "responses": {
                        "200": _json("PublicKey", "The key."),
                        **_errors(429),
                    },
                }
            },
            "/api/push/subscriptions": {
                "post": {
                    "operationId": "createSubscription",
                    "summary": "Store a push subscription and its reminders.",
                    "requestBody": _body("SubscriptionCreate"),
                    "responses": {
                        "201": {
                            **_json("Created", "Stored. Keep the token."),
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "links": _links(),
                        },
                        **_errors(400, 409, 413, 415, 429, 503),
                    },
                }
            },
            "/api/push/subscriptions/{id}": {
                "parameters": [sub_id],
                "get": {
                    "operationId": "getSubscription",
                    "summary": "Read this subscription's settings.",
                    "security": bearer,
                    "responses": {
                        "200": _json("SubscriptionView", "The settings."),
                        **_errors(*owned),
                    },
                },
                "put": {
                    "operationId": "replaceSubscription",
                    "summary": (
                        "Replace all settings; send 'subscription' only when the "
                        "browser's push subscription changed."
                    ),
                    "security": bearer,
                    "requestBody": _body("SubscriptionUpdate"),
                    "responses": {
                        "200": _json("SubscriptionView", "The new settings."),
                        **_errors(400, *owned, 409, 413, 415),
                    },
                },
                "delete": {
                    "operationId": "deleteSubscription",
                    "summary": "Forget this subscription and all its reminders.",
                    "security": bearer,
                    "responses": {
                        "204": {"description": "Deleted."},
                        **_errors(*owned),
                    },
                },
            },
            "/api/push/subscriptions/{id}/test": {
                "parameters": [sub_id],
                "post": {
                    "operationId": "sendTest",
                    "summary": "Send a test notification now.",
                    "security": bearer,
                    "responses": {
                        "202": _json("Queued", "Queued for sending now."),
                        **_errors(*owned),
                    },
                },
            },
            "/api/push/subscriptions/{id}/snooze": {
                "parameters": [sub_id],
                "post": {
                    "operationId": "snooze",
                    "summary": (
                        "Send the notification with this tag again in 15 minutes "
                        "(after quiet hours, if they fall in between)."
                    ),
                    "security": bearer,
                    "requestBody": _body("SnoozeIn"),
                    "responses": {
                        "202": _json("Queued", "Queued."),
                        **_errors(400, *owned, 413, 415),
                    },
                },
            },
        },
        "components": {
            "schemas": defs["$defs"],
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The token returned when the subscription was made.",
                }
            },
        },
    }
