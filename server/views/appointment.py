"""Appointment preparation and the one-page summary, kept on the device.

The server sends the guide's "Questions to ask your clinician" boxes (read
from the articles at start-up, never copied) and the medicines list; what a
person writes, and their treatment log, stay in the browser's personal store.
"""

from typing import Any

from flask import Blueprint, Flask, render_template, url_for

from ..content import Library
from . import library
from .treatments import medicines_data

bp = Blueprint("appointment", __name__, url_prefix="/appointment")


def guide_questions(lib: Library) -> list[dict[str, Any]]:
    """Every question box in the guide: its article, a link to it, its questions.

    A question's id is ``<slug>/<box anchor>/<n>`` (n from 1), so a choice
    kept on the device still points at the same box after the text is edited.
    """
    return [
        {
            "slug": article.slug,
            "title": article.title,
            "url": url_for("guide.article", slug=article.slug, _anchor=box.anchor),
            "questions": [
                {"id": f"{article.slug}/{box.anchor}/{n}", "text": text}
                for n, text in enumerate(box.questions, start=1)
            ],
        }
        for article in lib.guide
        for box in article.question_boxes
    ]


@bp.get("")
def index() -> str:
    """Render appointment preparation: questions, changes and what to bring."""
    return render_template(
        "appointment.html", boxes=guide_questions(library()), **medicines_data()
    )


@bp.get("/summary")
def summary() -> str:
    """Render the one-page summary to print or share."""
    return render_template("appointment_summary.html", **medicines_data())


def init_app(app: Flask) -> None:
    """Register the appointment pages."""
    app.register_blueprint(bp)
