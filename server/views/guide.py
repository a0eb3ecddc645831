"""The guide: index and articles."""

from flask import Blueprint, abort, render_template

from . import library

bp = Blueprint("guide", __name__, url_prefix="/guide")


@bp.get("")
def index() -> str:
    """List every article."""
    return render_template("guide_index.html", articles=library().guide)


@bp.get("/<slug>")
def article(slug: str) -> str:
    """Render one article."""
    found = library().article(slug)
    if found is None:
        abort(404)
    return render_template("article.html", article=found)
