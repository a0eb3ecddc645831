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
    """Render one article, with the articles before and after it in the guide."""
    guide = library().guide
    found = library().article(slug)
    if found is None:
        abort(404)
    at = guide.index(found)
    previous = guide[at - 1] if at > 0 else None
    following = guide[at + 1] if at + 1 < len(guide) else None
    return render_template(
        "article.html", article=found, previous=previous, following=following
    )


def init_app(app: Flask) -> None:
    """Register the guide and save every article for offline use."""
    app.register_blueprint(bp)
    offline_pages(
        app, "guide.article", lambda lib: ({"slug": a.slug} for a in lib.guide)
    )
