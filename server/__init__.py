"""Wayfinder: the Flask application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import assets, config, content, http, paths, push, views
from .views import guide, help, pages, reminders, tools
from .views import pwa as pwa_views
from .views import search as search_views

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app from WAYFINDER_* variables, overridden by test_config."""
    # Settings: strict environment parsing, then test overrides.
    settings = config.from_environ()
    settings.update(test_config or {})
    instance = settings.get("INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(instance) if instance else None,
        static_folder=None,
        template_folder=str(paths.TEMPLATES),
    )
    app.config.update(settings)
    app.config.setdefault("CONTENT_DIR", None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"])

    # Content: parsed and rendered once; bad content raises ContentError here.
    content_dir = Path(app.config["CONTENT_DIR"] or paths.CONTENT)
    app.config["CONTENT_DIR"] = content_dir
    app.extensions["wayfinder.content"] = content.load_library(content_dir)

    # Pages.
    for blueprint in (pages.bp, guide.bp, help.bp):
        app.register_blueprint(blueprint)
    views.add_offline_urls(
        app, lambda: [f"/guide/{a.slug}" for a in views.library().guide]
    )
    reminders.init_app(app)
    tools.init_app(app)
    search_views.init_app(app)
    push.init_app(app)
    app.register_error_handler(404, pages.not_found)
    app.register_error_handler(500, pages.server_error)

    # Assets, then headers around everything (static files included).
    assets.init_app(app)
    http.init_app(app, [app.extensions["wayfinder.assets"].importmap_hash])

    # Offline: last, so the worker's precache sees every page and asset above.
    pwa_views.init_app(app)
    return app
