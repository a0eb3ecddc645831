"""The OpenAPI 3.1 document is valid, and the API answers as it says."""

from __future__ import annotations

from typing import Any

from flask import Flask
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from server import push
from server.push.openapi import document

from .conftest import Api, OpenAPIChecker


def test_document_is_valid_openapi_3_1(api: Api) -> None:
    """openapi-spec-validator accepts the served document."""
    response = api.client.get("/api/openapi.json")
    assert response.status_code == 200
    served = response.get_json()
    assert served["openapi"].startswith("3.1")
    validate(served, cls=OpenAPIV31SpecValidator)
    assert served == document(push.state(api.client.application).services)
    assert served != document()  # the allow-list is in the endpoint pattern


def test_every_operation_answers_as_documented(
    api: Api, push_service: Any, openapi_checker: OpenAPIChecker
) -> None:
    """A full session touches every operation; each answer matches its schema."""
    key = api.get("/api/push/public-key")
    assert key.status_code == 200
    body = {
        "subscription": push_service.subscribe(),
        "timezone": "Europe/Paris",
        "reminders": [
            {"kind": "check-in", "time": "18:00", "days": ["sat", "sun"]},
            {"kind": "custom", "time": "07:15", "days": ["mon"], "text": "Stretch"},
        ],
        "quiet_hours": {"start": "23:00", "end": "06:30"},
        "discreet": False,
    }
    openapi_checker.check_request("POST", "/api/push/subscriptions", body)
    created = api.post("/api/push/subscriptions", json=body).get_json()
    url = f"/api/push/subscriptions/{created['id']}"
    token = created["token"]
    assert api.get(url, token=token).status_code == 200
    update = {k: v for k, v in body.items() if k != "subscription"}
    openapi_checker.check_request("PUT", url, update)
    assert api.put(url, token=token, json=update).status_code == 200
    assert api.post(f"{url}/test", token=token).status_code == 202
    snooze = {"tag": "wf-custom-0-1800000000"}
    openapi_checker.check_request("POST", f"{url}/snooze", snooze)
    assert api.post(f"{url}/snooze", token=token, json=snooze).status_code == 202
    assert api.post(f"{url}/snooze", token=token, json={"tag": 1}).status_code == 400
    assert api.get(url).status_code == 401
    assert api.get(url, token="wrong").status_code == 401
    assert (
        api.put(url, token=token, data="x", content_type="text/plain").status_code
        == 415
    )
    assert api.delete(url, token=token).status_code == 204
    expected = {
        ("GET", "/api/push/public-key", "200"),
        ("POST", "/api/push/subscriptions", "201"),
        ("GET", "/api/push/subscriptions/{id}", "200"),
        ("PUT", "/api/push/subscriptions/{id}", "200"),
        ("PUT", "/api/push/subscriptions/{id}", "415"),
        ("POST", "/api/push/subscriptions/{id}/test", "202"),
        ("POST", "/api/push/subscriptions/{id}/snooze", "202"),
        ("POST", "/api/push/subscriptions/{id}/snooze", "400"),
        ("GET", "/api/push/subscriptions/{id}", "401"),
        ("DELETE", "/api/push/subscriptions/{id}", "204"),
    }
    assert expected <= openapi_checker.seen


def test_checker_catches_an_undocumented_shape(push_app: Flask) -> None:
    """The conformance check itself fails on a body that breaks the schema."""
    import jsonschema
    import pytest

    checker = OpenAPIChecker(document())
    schema = {"$ref": "#/components/schemas/Created"}
    checker.validate(schema, {"id": "a", "token": "b"})
    with pytest.raises(jsonschema.ValidationError):
        checker.validate(schema, {"id": "a", "token": "b", "email": "leak"})
    with pytest.raises(jsonschema.ValidationError):
        checker.validate({"$ref": "#/components/schemas/SubscriptionView"}, {"id": "a"})
