"""Search: the /search page and the index the browser searches offline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
    url_for,
)

from ..search.build import KIND_LABELS, build_index_data, index_json
from ..search.rank import SearchIndex
from . import library, site_request

bp = Blueprint("search", __name__)

#: Longest query the server will look at.
MAX_QUERY = 200


@dataclass(frozen=True)
class BuiltIndex:
    """The search index built at start-up: its data, as JSON, and searchable."""

    data: dict[str, Any]
    json: str
    index: SearchIndex


def current(app: Flask | None = None) -> BuiltIndex:
    """The index built at start-up (of the current app by default)."""
    return (app or current_app).extensions["wayfinder.search"]


@bp.get("/search")
def page() -> str:
    """Search the guide, tools and help; results are rendered on the server.

    A query that expresses a crisis leads with the help block, before any result.
    """
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    index = current().index
    results = index.search(query) if query else []
    crisis = bool(query) and index.crisis(query) is not None
    return render_template(
        "search.html", query=query, results=results, kinds=KIND_LABELS, crisis=crisis
    )


@bp.get("/search-index.json")
def index_data() -> Response:
    """The search index as compact JSON, for searching offline in the browser."""
    return Response(current().json, mimetype="application/json")


def init_app(app: Flask) -> None:
    """Register the search pages and index the Library.

    Call it after the areas it links to, so their routes can be built.
    """
    app.register_blueprint(bp)
    with site_request(app):
        data = build_index_data(library(app), url_for)
    app.extensions["wayfinder.search"] = BuiltIndex(
        data, index_json(data), SearchIndex(data)
    )
