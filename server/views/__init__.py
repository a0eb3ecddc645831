"""Blueprints: one per area of the site."""

from flask import current_app

from ..content import Library


def library() -> Library:
    """Return the content loaded at start-up."""
    return current_app.extensions["wayfinder.content"]
