"""Wayfinder: the Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import assets, config, content, first_paint, http, observe, paths, push
from .views import (
    appointment,
    checkin,
    guide,
    health,
    help,
    pages,
    plan,
    reminders,
    tools,
    treatments,
)
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
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    observe.configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])

    # Content: parsed and rendered once; bad content raises ContentError here.
    content_dir = Path(app.config.get("CONTENT_DIR") or paths.CONTENT)
    app.extensions["wayfinder.content"] = content.load_library(content_dir)

    # Home, about and the error pages.
    pages.init_app(app)
    # The guide: its index and every article.
    guide.init_app(app)
    # Get help now: crisis lines.
    help.init_app(app)
    # The reminders page.
    reminders.init_app(app)
    # Coping tools: breathing and mindfulness.
    tools.init_app(app)
    # Check-ins: mood, the PHQ-9 and GAD-7, and the trends chart.
    checkin.init_app(app)
    # My safety plan and hope box (their content stays on the device).
    plan.init_app(app)
    # My treatments: the log of medicines and other courses (kept on the device).
    treatments.init_app(app)
    # Appointment preparation and the one-page summary (kept on the device).
    appointment.init_app(app)
    # Search: after the areas it indexes, so it can link to their routes.
    search_views.init_app(app)
    # Reminders by Web Push: the JSON API, its database and the dispatcher.
    push.init_app(app)
    # /healthz and /readyz for load balancers (after push: they check its database).
    health.init_app(app)
    # Assets: built, hashed and served by WhiteNoise, with the first-paint
    # script and rules made for this content.
    assets.init_app(app, first_paint.generated(app))
    # Inline styles for navigations, the first-paint script and the module loader.
    first_paint.init_app(app)
    # Headers around everything, static files included.
    http.init_app(app)
    # Load balancers probe each machine by address: the probes accept any Host.
    health.accept_any_host(app)
    # Offline: last, so the worker's precache sees every page and asset above.
    pwa_views.init_app(app)
    # One log line, a request id and metrics for every request: around everything.
    observe.init_app(app)
    return app
