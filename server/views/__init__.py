"""Blueprints: one per area of the site, each registered by its own init_app(app).

This module holds what the areas share: the Library loaded at start-up, and the
list of pages the service worker precaches, derived from the routes themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask, current_app, url_for

from ..content import Library

#: Given the Library, the URL values of every page of one route to save offline.
RouteValues = Callable[[Library], Iterable[Mapping[str, str]]]


def library(app: Flask | None = None) -> Library:
    """Return the content loaded at start-up (of the current app by default)."""
    return (app or current_app).extensions["wayfinder.content"]


def offline_pages(app: Flask, endpoint: str, values: RouteValues) -> None:
    """Save a route with parameters offline, once for each set of values given."""
    app.extensions.setdefault("wayfinder.offline_pages", []).append((endpoint, values))


def site_request(app: Flask, path: str = "/", **options: Any) -> Any:
    """A request context on this site's own origin, for work done at start-up.

    With WAYFINDER_PUBLIC_URL set only its Host is accepted, so the context
    must use it (Flask's default, localhost, would be refused).
    """
    base = app.config.get("PUBLIC_URL") or None
    return app.test_request_context(path, base_url=base, **options)


def online_only(app: Flask, endpoint: str) -> None:
    """Mark a parameterless GET endpoint as not for the offline precache."""
    app.extensions.setdefault("wayfinder.online_only", set()).add(endpoint)


def offline_urls(app: Flask) -> list[str]:
    """Every page URL that must work offline.

    Parameterless GET pages are found from the URL map; a route behind a URL
    parameter (articles, tools) is listed once per value its area registered
    with ``offline_pages``, and its URLs are built by ``url_for``.
    """
    skipped = app.extensions.get("wayfinder.online_only", set())
    urls = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and not rule.arguments
        and not rule.rule.startswith(("/api/", "/static/"))
        and rule.endpoint not in skipped
    }
    with site_request(app):
        for endpoint, values in app.extensions.get("wayfinder.offline_pages", []):
            urls.update(url_for(endpoint, **v) for v in values(library(app)))
    return sorted(urls)
