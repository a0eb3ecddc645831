"""Appointment preparation and the one-page summary, kept on the device.

The server sends the guide's questions for clinicians; what a person writes,
and everything in their treatment log, stays in the browser's personal store.
"""

from flask import Blueprint, Flask, render_template

bp = Blueprint("appointment", __name__, url_prefix="/appointment")


@bp.get("")
def index() -> str:
    """Render appointment preparation: questions, changes and what to bring."""
    return render_template("appointment.html")


@bp.get("/summary")
def summary() -> str:
    """Render the one-page summary to print or share."""
    return render_template("appointment_summary.html")


def init_app(app: Flask) -> None:
    """Register the appointment pages."""
    app.register_blueprint(bp)
