"""The guide: index and articles."""

from flask import Blueprint, Flask, abort, render_template

from . import library, offline_pages

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


def init_app(app: Flask) -> None:
    """Register the guide and save every article for offline use."""
    app.register_blueprint(bp)
    offline_pages(
        app, "guide.article", lambda lib: ({"slug": a.slug} for a in lib.guide)
    )
