"""Blueprints: one per area of the site."""

from collections.abc import Callable, Iterable

from flask import Flask, current_app

from ..content import Library


def library() -> Library:
    """Return the content loaded at start-up."""
    return current_app.extensions["wayfinder.content"]


def offline_urls(app: Flask) -> list[str]:
    """Every page URL that must work offline, from each area's registered source.

    Parameterless GET pages are found from the URL map; an area with pages
    behind a URL parameter (articles, tools) registers a function that lists
    them with ``add_offline_urls``.
    """
    urls: set[str] = set()
    for rule in app.url_map.iter_rules():
        if (
            "GET" in (rule.methods or ())
            and not rule.arguments
            and not rule.rule.startswith(("/api/", "/static/"))
            and rule.endpoint not in app.extensions.get("wayfinder.online_only", set())
        ):
            urls.add(rule.rule)
    for source in app.extensions.get("wayfinder.offline_sources", []):
        urls.update(source())
    return sorted(urls)


def add_offline_urls(app: Flask, source: Callable[[], Iterable[str]]) -> None:
    """Register a function listing page URLs that must be available offline."""
    app.extensions.setdefault("wayfinder.offline_sources", []).append(source)


def online_only(app: Flask, endpoint: str) -> None:
    """Mark a parameterless GET endpoint as not for the offline precache."""
    app.extensions.setdefault("wayfinder.online_only", set()).add(endpoint)
