"""Home, about, and the friendly error pages."""

from flask import Blueprint, Flask, render_template

from . import library

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Render the home page."""
    return render_template("home.html", articles=library().guide)


@bp.get("/about")
def about() -> str:
    """Render what Wayfinder is, what it is not, and what it stores."""
    return render_template("about.html")


def not_found(_error: Exception) -> tuple[str, int]:
    """Render a friendly 404 page."""
    return render_template("error.html", code=404), 404


def server_error(_error: Exception) -> tuple[str, int]:
    """Render a friendly 500 page."""
    return render_template("error.html", code=500), 500


def init_app(app: Flask) -> None:
    """Register home and about, and the error pages for the whole app."""
    app.register_blueprint(bp)
    app.register_error_handler(404, not_found)
    app.register_error_handler(500, server_error)
