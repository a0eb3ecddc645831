"""Coping tools: breathing patterns and guided mindfulness exercises."""

from pathlib import Path

from flask import Blueprint, Flask, abort, render_template

from .. import tools as tools_content
from ..tools import CUSTOM_SLUG, MINUTE_CHOICES, Tools
from . import add_offline_urls, library

bp = Blueprint("tools", __name__, url_prefix="/tools")


def loaded() -> Tools:
    """Return the tools content loaded at start-up."""
    return library().extra["tools"]


def init_app(app: Flask) -> None:
    """Load content/tools/, register the pages and list them for offline use."""
    content = tools_content.load_tools(Path(app.config["CONTENT_DIR"]) / "tools")
    app.extensions["wayfinder.content"].extra["tools"] = content
    app.register_blueprint(bp)
    add_offline_urls(app, content.urls)


@bp.get("")
def index() -> str:
    """List every breathing pattern and exercise, with the gentle totals."""
    tools = loaded()
    return render_template(
        "tools.html", patterns=tools.patterns, exercises=tools.exercises
    )


@bp.get("/breathing")
def breathing_index() -> str:
    """List the breathing patterns and make custom ones."""
    tools = loaded()
    return render_template(
        "breathing_index.html", patterns=tools.patterns, breathing=tools.breathing
    )


@bp.get("/breathing/<slug>")
def breathing(slug: str) -> str:
    """Breathe along with one pattern (or a custom one saved on the device)."""
    tools = loaded()
    if slug == CUSTOM_SLUG:
        return render_template(
            "breathing.html",
            pattern=None,
            breathing=tools.breathing,
            minutes=MINUTE_CHOICES,
        )
    pattern = tools.pattern(slug)
    if pattern is None:
        abort(404)
    return render_template(
        "breathing.html",
        pattern=pattern,
        breathing=tools.breathing,
        minutes=MINUTE_CHOICES,
    )


@bp.get("/mindfulness")
def mindfulness_index() -> str:
    """List the guided exercises."""
    return render_template("mindfulness_index.html", exercises=loaded().exercises)


@bp.get("/mindfulness/<slug>")
def mindfulness(slug: str) -> str:
    """Follow one guided exercise, step by step."""
    exercise = loaded().exercise(slug)
    if exercise is None:
        abort(404)
    return render_template("mindfulness.html", exercise=exercise)
