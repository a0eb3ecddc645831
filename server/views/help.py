"""Get help now: crisis lines by country, and the help card on every page."""

from typing import Any

from flask import Blueprint, Flask, render_template

from . import library

bp = Blueprint("help", __name__)


@bp.get("/help")
def index() -> str:
    """Render crisis lines for every country, the call buttons first."""
    return render_template("help.html", lines=library().help)


def help_context() -> dict[str, Any]:
    """Give every template the crisis lines, for its help card."""
    return {"help_lines": library().help}


def init_app(app: Flask) -> None:
    """Register the help page and the help card's data for every template."""
    app.register_blueprint(bp)
    app.context_processor(help_context)
