"""Reminder kinds and weekdays: one definition for the API, payloads and the page."""

from __future__ import annotations

import json
from typing import get_args

import pytest
from werkzeug.exceptions import HTTPException

from server.push import payload, validation
from server.push.vocabulary import DAY_IDS, KIND_IDS, VOCABULARY, load


def test_the_file_defines_each_kind_and_day_once() -> None:
    """Ids are unique; the week starts on Monday and has seven days."""
    assert len(set(KIND_IDS)) == len(KIND_IDS) and payload.TEST not in KIND_IDS
    assert len(DAY_IDS) == len(set(DAY_IDS)) == 7
    assert DAY_IDS[0] == "mon"
    assert load() == VOCABULARY


def test_validation_and_payloads_are_built_from_it() -> None:
    """The API accepts exactly these kinds and days; each kind has a link and words."""
    assert get_args(validation.Kind) == KIND_IDS
    assert get_args(validation.Day) == DAY_IDS
    for kind in VOCABULARY.kinds:
        assert payload.NAVIGATE[kind.id] == kind.navigate
        assert payload.TTL[kind.id] == kind.ttl
        assert payload.PLAIN[kind.id] == payload.Words(kind.title, kind.body)


def test_every_notification_link_is_a_real_page(app, client) -> None:
    """Each kind's link, and the test notification's, is a GET route that answers
    200 (so renaming a route without its link fails here)."""
    assert set(payload.NAVIGATE) == {*KIND_IDS, payload.TEST}
    routes = app.url_map.bind("localhost")
    for kind, path in payload.NAVIGATE.items():
        assert path.startswith("/") and not path.startswith("//"), (kind, path)
        try:
            endpoint, _ = routes.match(path, method="GET")
        except HTTPException as exc:  # NotFound, or a redirect to another URL
            pytest.fail(f"{kind}: {path} is not a GET route ({exc!r})")
        assert endpoint != "static", (kind, path)
        response = client.get(path)
        assert response.status_code == 200, (kind, path, response.status_code)
        assert response.mimetype == "text/html", (kind, path)


def test_the_reminders_page_offers_and_hands_over_the_vocabulary(get_page) -> None:
    """The form's choices and the page's data block for its JavaScript."""
    soup = get_page("/reminders")
    options = [(o["value"], o.get_text()) for o in soup.select("#reminder-kind option")]
    assert options == [(kind.id, kind.option) for kind in VOCABULARY.kinds]
    days = [
        (box["value"], box.find_next_sibling("span").get_text())
        for box in soup.select("input[name='days']")
    ]
    assert days == [(day.id, day.name) for day in VOCABULARY.days]
    block = soup.select_one("script#reminder-vocabulary[type='application/json']")
    assert json.loads(block.string) == VOCABULARY.page_data()
