"""Home, about, your data, and the friendly error pages."""

from importlib import metadata

from flask import Blueprint, Flask, current_app, redirect, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from . import library

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """Render the home page."""
    return render_template("home.html", articles=library().guide)


@bp.get("/about")
def about() -> str:
    """Render what Wayfinder is, what it is not, and what it stores."""
    return render_template("about.html", content_updated=library().updated)


@bp.get("/my-data")
def my_data() -> str:
    """Render backup, restore, the lock and delete everything for this device's data."""
    return render_template("my_data.html", app_version=app_version())


def app_version() -> str:
    """The installed Wayfinder's version, written into backup files."""
    try:
        return metadata.version("wayfinder")
    except metadata.PackageNotFoundError:
        return "unknown"


def canonical_path(app: Flask, path: str) -> str | None:
    """The route a path with a trailing slash stands for ("/help/" is "/help")."""
    bare = path.rstrip("/")
    if not bare or bare == path:
        return None
    try:
        app.url_map.bind("localhost").match(bare, method="GET")
    except HTTPException:
        return None
    return bare


def not_found(_error: Exception) -> tuple[str, int] | Response:
    """Send "/help/" on to "/help" (308), else render a friendly 404 page."""
    bare = canonical_path(current_app, request.path)
    if bare is not None:
        query = request.query_string.decode("latin-1")
        return redirect(bare + (f"?{query}" if query else ""), code=308)
    return render_template("error.html", code=404), 404


def server_error(_error: Exception) -> tuple[str, int]:
    """Render a friendly 500 page."""
    return render_template("error.html", code=500), 500


def init_app(app: Flask) -> None:
    """Register home, about and your data, and the error pages for the whole app."""
    app.register_blueprint(bp)
    app.register_error_handler(404, not_found)
    app.register_error_handler(500, server_error)
