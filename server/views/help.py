"""Get help now: crisis lines by country."""

from flask import Blueprint, Flask, render_template

from . import library

bp = Blueprint("help", __name__)


@bp.get("/help")
def index() -> str:
    """Render crisis lines for every country, the default country first."""
    return render_template("help.html", lines=library().help)


def init_app(app: Flask) -> None:
    """Register the help page."""
    app.register_blueprint(bp)
