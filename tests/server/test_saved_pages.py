"""Saved pages answered from a copy: the same bytes as a fresh render, per variant."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from flask import Flask
from werkzeug.test import Client

from server import saved_pages
from server.saved_pages import SavedPages

ARTICLE = "/guide/what-is-trd"
BR = {"Accept-Encoding": "gzip, deflate, br"}
NAVIGATE = {**BR, "Sec-Fetch-Mode": "navigate"}


class Counting:
    """A WSGI app that counts the requests that reach it."""

    def __init__(self, app: Callable) -> None:
        """Wrap the app whose calls are counted."""
        self.app = app
        self.paths: list[str] = []

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Count, then answer as the app does."""
        self.paths.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


def keeper_of(app: Flask) -> SavedPages:
    """The copy keeper among the middleware around the app."""
    layer = app.wsgi_app
    while not isinstance(layer, SavedPages):
        layer = layer.app
    return layer


@pytest.fixture()
def saved(app: Flask) -> tuple[Client, Client, Counting]:
    """A client through a fresh copy keeper, one straight to the app, and the count."""
    inner = Counting(keeper_of(app).app)  # beneath the session app's own keeper
    return Client(SavedPages(inner, [ARTICLE, "/"])), Client(inner), inner


def test_the_app_keeps_its_saved_pages(app: Flask) -> None:
    """create_app answers every saved page through one keeper."""
    keeper = keeper_of(app)
    entries = app.extensions["wayfinder.pwa"].entries
    assert {"/", ARTICLE, "/help", "/offline"} <= keeper.paths
    assert keeper.paths == {e.url for e in entries if not e.url.startswith("/static/")}


@pytest.mark.parametrize("headers", [{}, BR, {"Accept-Encoding": "gzip"}, NAVIGATE])
def test_a_copy_is_the_same_answer_as_a_fresh_render(saved, headers: dict) -> None:
    """Status, headers and bytes match the app's own answer; it renders once."""
    client, direct, inner = saved
    first = client.get(ARTICLE, headers=headers)
    again = client.get(ARTICLE, headers=headers)
    fresh = direct.get(ARTICLE, headers=headers)
    assert inner.paths.count(ARTICLE) == 2, "one render for the copy, one direct"
    for response in (first, again):
        assert response.status_code == 200
        assert response.data == fresh.data
        assert sorted(response.headers.items()) == sorted(fresh.headers.items())


def test_each_variant_has_its_own_copy(saved) -> None:
    """Brotli, gzip, none, and a navigation (styles inline) are four answers."""
    client, _, inner = saved
    answers = {}
    for name, headers in {
        "br": BR,
        "gzip": {"Accept-Encoding": "gzip"},
        "none": {},
        "navigate": NAVIGATE,
    }.items():
        answers[name] = client.get(ARTICLE, headers=headers)
        client.get(ARTICLE, headers=headers)
    assert len(inner.paths) == 4
    assert answers["br"].headers["Content-Encoding"] == "br"
    assert answers["gzip"].headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in answers["none"].headers
    assert b"<style>" not in answers["none"].data  # linked, not inline
    assert answers["navigate"].data != answers["br"].data
    assert len({a.headers["ETag"] for a in answers.values()}) == 4


def test_a_known_etag_gets_304_and_another_gets_the_page(saved) -> None:
    """If-None-Match works as it does without the copies."""
    client, _, _ = saved
    tag = client.get(ARTICLE, headers=BR).headers["ETag"]
    for _ in range(2):
        same = client.get(ARTICLE, headers={**BR, "If-None-Match": tag})
        assert same.status_code == 304 and same.data == b""
    other = client.get(ARTICLE, headers={**BR, "If-None-Match": '"nope"'})
    assert other.status_code == 200 and other.data


def test_other_requests_always_reach_the_app(saved) -> None:
    """Query strings, other methods, other paths and ranges are never kept."""
    client, _, inner = saved
    for _ in range(2):
        client.get(ARTICLE + "?x=1")
        client.head(ARTICLE)
        client.get("/help")
        client.get(ARTICLE, headers={"Range": "bytes=0-10"})
    assert len(inner.paths) == 8


def test_an_unaccepted_host_is_refused_every_time(saved) -> None:
    """A Host the site does not accept gets 400, is never kept, and the
    accepted Host still gets the page."""
    client, _, inner = saved
    for _ in range(2):
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert len(inner.paths) == 2
    assert client.get("/").status_code == 200


def test_copies_stop_at_the_limit(saved, monkeypatch) -> None:
    """Forwarded headers are the client's to vary: copies are capped."""
    monkeypatch.setattr(saved_pages, "LIMIT", 2)
    client, _, inner = saved
    for n in range(4):
        client.get("/", headers={"X-Forwarded-Host": f"h{n}.example"})
    keeper = client.application
    assert len(keeper.copies) == 2
    client.get("/", headers={"X-Forwarded-Host": "h3.example"})
    assert len(inner.paths) == 5
