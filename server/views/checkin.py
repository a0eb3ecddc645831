"""Check-ins: a one-tap mood note, the PHQ-9 and GAD-7, and the trends chart.

Everything a person enters stays on the device (frontend/js/check-in-*.mjs);
these views only serve the pages, which work offline.
"""

from flask import Blueprint, Flask, render_template, url_for

bp = Blueprint("checkin", __name__, url_prefix="/check-in")

#: Each questionnaire page: its record type, name and what it asks about.
QUESTIONNAIRES = {
    "phq9": ("PHQ-9", "low mood and depression"),
    "gad7": ("GAD-7", "anxiety"),
}


@bp.get("")
def index() -> str:
    """Render the one-tap mood check-in."""
    return render_template("check_in.html")


def _questionnaire(instrument: str) -> str:
    """Render one questionnaire page."""
    name, about = QUESTIONNAIRES[instrument]
    return render_template(
        "check_in_questionnaire.html",
        instrument=instrument,
        name=name,
        about=about,
        plan_url=url_for("plan.index"),
    )


@bp.get("/phq-9")
def phq9() -> str:
    """Render the PHQ-9, with the help screen item 9 can open."""
    return _questionnaire("phq9")


@bp.get("/gad-7")
def gad7() -> str:
    """Render the GAD-7."""
    return _questionnaire("gad7")


@bp.get("/trends")
def trends() -> str:
    """Render the chart, the summary, the table and the CSV downloads."""
    return render_template("check_in_trends.html")


def init_app(app: Flask) -> None:
    """Register the check-in pages (parameterless, so precached for offline use)."""
    app.register_blueprint(bp)
