"""Coping tools: breathing patterns and guided mindfulness exercises."""

from collections.abc import Iterator

from flask import Blueprint, Flask, abort, render_template

from ..content import Library
from ..content.tools import CUSTOM_SLUG, MINUTE_CHOICES, Tools
from . import library, offline_pages

bp = Blueprint("tools", __name__, url_prefix="/tools")


def loaded() -> Tools:
    """Return the tools content loaded at start-up."""
    return library().tools


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
    pattern = None if slug == CUSTOM_SLUG else tools.pattern(slug)
    if pattern is None and slug != CUSTOM_SLUG:
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


def _patterns(lib: Library) -> Iterator[dict[str, str]]:
    """Every breathing page: each shipped pattern, then the custom one."""
    yield from ({"slug": p.slug} for p in lib.tools.patterns)
    yield {"slug": CUSTOM_SLUG}


def init_app(app: Flask) -> None:
    """Register the tools and save every pattern and exercise for offline use."""
    app.register_blueprint(bp)
    offline_pages(app, "tools.breathing", _patterns)
    offline_pages(
        app,
        "tools.mindfulness",
        lambda lib: ({"slug": e.slug} for e in lib.tools.exercises),
    )
