"""My treatments: the log of medicines, therapies and other courses, kept on the device.

The server sends the medicines list (names, brands, classes and sources from
content/medicines.yaml) and the common side effects; what a person enters is
kept in the browser's personal store and never sent here.
"""

from typing import Any

from flask import Blueprint, Flask, render_template

from . import library

bp = Blueprint("treatments", __name__)


def medicines_data() -> dict[str, Any]:
    """The medicines list and the side effects to tap, for a page's scripts.

    Templates include ``my_treatments_data.html`` with these values, which
    writes them as ``<script type="application/json" id="medicines">`` and
    ``id="side-effects"``.
    """
    medicines = library().medicines
    return {
        "medicines": medicines.as_data(),
        "side_effects": medicines.side_effects_data(),
    }


@bp.get("/my-treatments")
def index() -> str:
    """Render the treatment log: the editor with JavaScript, a note without."""
    sources = {str(s.url): s for s in library().medicines.sources.values()}
    return render_template(
        "my_treatments.html", library_sources=list(sources.values()), **medicines_data()
    )


def init_app(app: Flask) -> None:
    """Register the treatment log's page."""
    app.register_blueprint(bp)
