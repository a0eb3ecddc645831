"""Fixtures for the push server: a fake push service, an app that trusts it,
an API client that checks every response against the OpenAPI document, a
controllable clock, and a PostgreSQL server for the scale-out tests."""

from __future__ import annotations

import copy
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from werkzeug.test import TestResponse

from server import http, push
from server.config import DEFAULT_PUSH_SERVICES, defaults, parse_database_url
from server.push import db
from server.push.openapi import document

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import pg_cluster
from push_fake import FakePushService

# --- The fake push service and the app -------------------------------------


@pytest.fixture()
def push_service() -> Iterator[FakePushService]:
    """A verifying fake push service on a free loopback port."""
    service = FakePushService().start()
    yield service
    service.stop()


def app_config(instance: Path, push_origin: str, **extra: Any) -> dict[str, Any]:
    """Test settings: the fake push service allowed, generous rate limits."""
    return {
        "TESTING": True,
        "INSTANCE_PATH": instance,
        "PUSH_SERVICES": (*DEFAULT_PUSH_SERVICES, push_origin),
        "RATE_LIMIT": "10000 per minute",
        "DISPATCHER": False,
        **extra,
    }


def push_only_app(instance: Path, push_origin: str, **extra: Any) -> Flask:
    """A Flask app with only the push area, configured as create_app would.

    create_app also builds content and assets (seconds); the push tests need
    none of that, so they use this, and test_push_integration.py checks the
    real factory.
    """
    app = Flask("wayfinder_push_test", instance_path=str(instance))
    app.config.update(defaults())
    app.config.update(app_config(instance, push_origin, **extra))
    push.init_app(app)
    http.trust_requests(app)
    return app


@pytest.fixture(scope="session")
def migrated_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance folder with a migrated SQLite database and a VAPID key."""
    instance = tmp_path_factory.mktemp("push-template")
    app = push_only_app(instance, "http://127.0.0.1:9")
    push.state(app).engine.dispose()
    return instance


@pytest.fixture()
def instance(tmp_path: Path, migrated_instance: Path) -> Path:
    """A fresh copy of the migrated instance folder."""
    target = tmp_path / "instance"
    shutil.copytree(migrated_instance, target)
    return target


@pytest.fixture()
def make_app(instance: Path) -> Iterator[Any]:
    """Build push apps on the test's instance folder; their pools close after."""
    made: list[Flask] = []

    def build(push_origin: str, **extra: Any) -> Flask:
        """A push app with these settings."""
        app = push_only_app(instance, push_origin, **extra)
        made.append(app)
        return app

    yield build
    for app in made:
        push.state(app).engine.dispose()


@pytest.fixture()
def push_app(make_app: Any, push_service: FakePushService) -> Flask:
    """A fresh push app (own SQLite database) trusting the fake push service."""
    return make_app(push_service.origin)


# --- An API client checked against the OpenAPI document ----------------------


class OpenAPIChecker:
    """Checks responses against the app's OpenAPI 3.1 document."""

    def __init__(self, doc: dict[str, Any]) -> None:
        """Index the document's paths.

        The endpoint pattern is widened to any loopback port, since each test's
        fake push service has its own (the served document lists the real one).
        """
        doc = copy.deepcopy(doc)
        endpoint = doc["components"]["schemas"]["PushSubscriptionJSON"]
        pattern = endpoint["properties"]["endpoint"]["pattern"]
        endpoint["properties"]["endpoint"]["pattern"] = pattern.replace(
            "^(", r"^(http://127\.0\.0\.1:[0-9]+|", 1
        )
        self.doc = doc
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p)
            for p in doc["paths"]
        ]
        self.seen: set[tuple[str, str, str]] = set()

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        """The documented operation for a request."""
        for pattern, template in self.paths:
            if pattern.match(path):
                item = self.doc["paths"][template]
                assert method.lower() in item, f"{method} {template} is not documented"
                return template, item[method.lower()]
        raise AssertionError(f"{path} is not in the OpenAPI document")

    def validate(self, schema: dict[str, Any], value: Any) -> None:
        """Validate a value against a schema that may refer to components."""
        root = {**schema, "components": self.doc["components"]}
        jsonschema.Draft202012Validator(root).validate(value)

    def check(self, method: str, path: str, response: TestResponse) -> None:
        """Assert the status is documented and the body matches its schema."""
        template, operation = self.operation(method, path)
        status = str(response.status_code)
        documented = operation["responses"]
        assert status in documented, (
            f"{method} {template} answered {status}, documented: {sorted(documented)}"
        )
        self.seen.add((method.upper(), template, status))
        content = documented[status].get("content")
        if content is None:
            assert response.get_data() == b"", f"{status} should have no body"
            return
        assert response.mimetype == "application/json"
        self.validate(content["application/json"]["schema"], response.get_json())

    def check_request(self, method: str, path: str, body: Any) -> None:
        """Assert a (valid) request body matches the documented schema."""
        _, operation = self.operation(method, path)
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        self.validate(schema, body)


@pytest.fixture(scope="session")
def openapi_checker() -> OpenAPIChecker:
    """One checker for the session (it records which responses were seen)."""
    return OpenAPIChecker(document())


class Api:
    """The Flask test client, with every response checked against OpenAPI."""

    def __init__(self, client: FlaskClient, checker: OpenAPIChecker) -> None:
        """Wrap a client."""
        self.client = client
        self.checker = checker

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        """Send a request and check the response."""
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        self.checker.check(method, path, response)
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """GET."""
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        """POST."""
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        """PUT."""
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        """DELETE."""
        return self.call("DELETE", path, **kwargs)

    def subscribe(
        self, subscription: dict[str, Any], **settings: Any
    ) -> tuple[str, str]:
        """Create a subscription; return (id, token)."""
        body = {
            "subscription": subscription,
            "timezone": "Europe/London",
            "reminders": [{"kind": "breathe", "time": "09:00", "days": ["mon"]}],
            **settings,
        }
        self.checker.check_request("POST", "/api/push/subscriptions", body)
        response = self.post("/api/push/subscriptions", json=body)
        assert response.status_code == 201, response.get_json()
        return response.json["id"], response.json["token"]


@pytest.fixture()
def api(push_app: Flask, openapi_checker: OpenAPIChecker) -> Api:
    """The push app's API client, checked against OpenAPI."""
    return Api(push_app.test_client(), openapi_checker)


# --- Time ------------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        """Start at ``now``."""
        self.now = now

    def __call__(self) -> float:
        """The current time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move forward."""
        self.now += seconds


@pytest.fixture()
def clock() -> Clock:
    """A clock starting now."""
    return Clock(time.time())


# --- PostgreSQL ----------------------------------------------------------------------


def _cannot_start(reason: str) -> None:
    """Fail on CI; elsewhere skip only when PostgreSQL is not installed."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    if not pg_cluster.installed():
        pytest.skip(f"PostgreSQL 15 binaries are not installed: {reason}")
    pytest.fail(f"PostgreSQL could not be started: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server URL: TEST_POSTGRES_URL, or a throwaway
    cluster started for this session (tests/pg_cluster.py)."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield parse_database_url(given)
        return
    try:
        cluster = pg_cluster.throwaway_cluster()
        url = cluster.__enter__()
    except pg_cluster.ClusterError as exc:
        _cannot_start(str(exc))
    try:
        yield url
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture()
def empty_postgres_url(
    postgres_server: str, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name = "wf_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    name += "_" + os.urandom(3).hex()
    server = make_url(postgres_server)
    admin = create_engine(
        server.set(database=server.database or "postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture()
def postgres_url(empty_postgres_url: str) -> str:
    """A fresh PostgreSQL database, migrated as `wayfinder migrate` does."""
    engine = db.make_engine(empty_postgres_url)
    db.migrate(engine)
    engine.dispose()
    return empty_postgres_url
