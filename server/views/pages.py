"""Home, about, and the friendly error pages."""

from flask import Blueprint, render_template

from ..content import Library
from . import library

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Render the home page."""
    lib: Library = library()
    return render_template("home.html", articles=lib.guide)


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
