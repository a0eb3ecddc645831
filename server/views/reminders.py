"""The reminders page: opt in to Web Push reminders and manage them on this device."""

from flask import Blueprint, Flask, render_template

bp = Blueprint("reminders", __name__)


@bp.get("/reminders")
def index() -> str:
    """Render the reminders page; the reminders component does the rest."""
    return render_template("reminders.html")


def init_app(app: Flask) -> None:
    """Register the reminders page."""
    app.register_blueprint(bp)
